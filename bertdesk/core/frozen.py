"""Training with the encoder frozen: a logistic-regression head on mean-pooled embeddings.

For a sheet with few labeled rows, fine-tuning every weight learns little and takes minutes; the
pre-trained encoder already separates many kinds of text, and a linear head on its embeddings fits
in seconds. The result is a normal model folder (``core.heads.BertMeanPoolForSequenceClassification``
with ``pooling: mean`` in its task state) that evaluates, labels, explains and suggests like any
other. ``core.training.train`` comes here when ``config.frozen_encoder`` is set.
"""

from __future__ import annotations

import time

import numpy as np

from . import model_folder, runs
from .cancel import check
from .config import TrainConfig
from .embeddings import embed_with, fit_head, head_weights
from .errors import DataError
from .events import Log, Progress, emit
from .models import load_model, load_tokenizer, resolve_model
from .prepare import prepare_data
from .tasks import task_for_config
from .trust import assess


def train_frozen(config: TrainConfig, on_event=None, cancel=None):
    """Fit the head on the training rows, evaluate the saved model on the held-out rows, write the
    model folder ``config.out_dir`` atomically; returns a ``training.RunResult``."""
    from .predictor import Predictor
    from .training import RunResult, data_facts, record_history, versions

    from .distributed import dist_info

    t_start = time.time()
    if dist_info().active:
        raise DataError("a frozen-encoder head trains in seconds in one process; run it without torchrun")
    out_dir = model_folder.check_output_dir(config.out_dir)
    task = task_for_config(config)
    if not task.frozen_head:
        raise DataError(f"a frozen-encoder head is not available for {task.title}; fine-tune instead")
    task.pooling = "mean"
    emit(on_event, Progress("reading", 0, 1))
    data = prepare_data(config, task, on_event)
    emit(on_event, Progress("reading", 1, 1))
    check(cancel)

    emit(on_event, Progress("loading", 0, 1))
    source = resolve_model(config.model)
    tokenizer = load_tokenizer(source)
    model = load_model(task.model_class, source, **task.model_kwargs()).eval()
    emit(on_event, Progress("loading", 1, 1))
    emit(on_event, Log(f"Model {config.model}; encoder frozen: fitting a classification head on its "
                       f"embeddings of {len(data.train)} labeled {task.unit}"))

    t_train = time.time()
    vectors = embed_with(model.bert, tokenizer, task, data.train, on_event=_as_training(on_event), cancel=cancel)
    y = np.asarray(task.label_targets(data.train), dtype=np.int64)
    head = fit_head(vectors, y, seed=config.seed, balanced=config.class_weights == "auto")
    model.set_head(*head_weights(head, len(task.labels)))
    train_time = time.time() - t_train
    check(cancel)

    emit(on_event, Progress("evaluating", 0, 1))
    predictor = Predictor(None, task, tokenizer, model, "cpu")
    predictions = task.calibrate(predictor.predict_examples(data.eval, cancel=cancel), data.eval)
    metrics = task.evaluate(predictions, data.eval)
    metrics.update(assess(task, predictions, data.eval, metrics))
    for warning in metrics.get("warnings", []):
        emit(on_event, Log(warning, "warning"))
    emit(on_event, Progress("evaluating", 1, 1))
    emit(on_event, Log(f"Held-out {task.main_metric.replace('_', ' ')}: {metrics[task.main_metric]:.3f}"))
    check(cancel)

    emit(on_event, Progress("saving", 0, 1))
    meta = model_folder.build_meta(
        config, task, data.train.columns, metrics=metrics, history=[], n_train=len(data.train),
        data=data_facts(config, tokenizer, task.encode(tokenizer, data.train, with_labels=False), len(data.train)),
        n_eval=len(data.eval), train_seconds=round(train_time, 2),
        train_samples_per_second=round(len(data.train) / max(train_time, 1e-9), 1), device="CPU (frozen encoder)",
        created=runs.now(), versions=versions())
    model_folder.save(model, tokenizer, meta, out_dir, cancel)
    record_history(meta, out_dir, task, data.eval, predictions, time.time() - t_start, on_event)
    emit(on_event, Progress("saving", 1, 1))
    return RunResult(out_dir, metrics, [], time.time() - t_start, meta["train_samples_per_second"],
                     len(data.train), len(data.eval), meta["device"])


def _as_training(on_event):
    """Embedding progress shown as the training step (it is most of the work)."""
    if on_event is None:
        return None

    def inner(ev):
        if isinstance(ev, Progress):
            ev = Progress("training", ev.done, ev.total, ev.elapsed_s, ev.eta_s)
        emit(on_event, ev)
    return inner
