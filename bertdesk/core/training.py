"""Fine-tuning: ``train(config, on_event, cancel)`` on transformers.Trainer, with plain events.

Checkpoints go to the run folder (``core.runs``) while training runs, so a killed run can resume;
the finished model folder (``core.model_folder``) appears under ``config.out_dir`` atomically, and
only then is the run folder removed.
"""

from __future__ import annotations

import contextlib
import platform
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from . import model_folder, runs
from .cancel import CancelToken, Cancelled, check
from .config import TrainConfig
from .distributed import dist_info, threads_per_process
from .errors import BertdeskError, DataError
from .events import Log, Metrics, Progress, emit
from .models import choose_device, load_model, load_tokenizer, resolve_model
from .prepare import prepare_data
from .tasks import task_for_config
from .trust import assess


@dataclass
class RunResult:
    out_dir: Path
    metrics: dict
    history: list[dict] = field(default_factory=list)
    elapsed_s: float = 0.0
    train_samples_per_s: float = 0.0
    n_train: int = 0
    n_eval: int = 0
    device: str = ""


class _ListDataset:
    """A map-style dataset over pre-tokenised features (Trainer needs only len and getitem)."""

    def __init__(self, items):
        self.items = items

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def versions() -> dict:
    import tokenizers
    import torch
    import transformers

    from .. import __version__
    return {"bertdesk": __version__, "torch": torch.__version__, "transformers": transformers.__version__,
            "tokenizers": tokenizers.__version__, "python": platform.python_version()}


def _trainer_class():
    import torch
    from transformers import Trainer

    class BertdeskTrainer(Trainer):
        """Evaluates in dataset order: with length grouping on, transformers 5 also shuffles the
        evaluation set, which would detach predictions from their windows. Our evaluation
        features are already sorted by length, which is what grouping would buy."""

        # names of the new head's parameters and the multiple of the learning rate they learn at
        head_parameters: frozenset = frozenset()
        head_lr_factor: float = 1.0

        def _get_eval_sampler(self, eval_dataset):
            if self.args.world_size <= 1:
                return torch.utils.data.SequentialSampler(eval_dataset)
            return None

        def create_optimizer(self, model=None):
            """Trainer's optimizer, with the new head's parameters in groups of their own at
            learning_rate x head_lr_factor (the schedule scales every group alike)."""
            optimizer = super().create_optimizer(model)
            if self.head_lr_factor == 1.0 or not self.head_parameters or getattr(optimizer, "_bertdesk_split", False):
                return optimizer
            names = {id(p): n for n, p in (model or self.model).named_parameters()}
            for group in list(optimizer.param_groups):
                head = [p for p in group["params"] if names.get(id(p)) in self.head_parameters]
                if not head:
                    continue
                group["params"] = [p for p in group["params"] if names.get(id(p)) not in self.head_parameters]
                optimizer.add_param_group({**{k: v for k, v in group.items() if k != "params"}, "params": head,
                                           "lr": group["lr"] * self.head_lr_factor})
            optimizer.param_groups[:] = [g for g in optimizer.param_groups if g["params"]]
            optimizer._bertdesk_split = True
            return optimizer

    return BertdeskTrainer


def _make_callback(on_event, cancel, history):
    from transformers import TrainerCallback

    class EventCallback(TrainerCallback):
        """Turns Trainer hooks into bertdesk events and checks the cancel token every step."""

        def on_train_begin(self, args, state, control, **kw):
            self.t0 = time.time()
            self.first_step = state.global_step
            emit(on_event, Progress("training", state.global_step, state.max_steps, 0.0, None, state.epoch))

        def on_step_end(self, args, state, control, **kw):
            check(cancel)
            if not state.is_world_process_zero:
                return
            elapsed = time.time() - self.t0
            done = state.global_step - self.first_step
            left = state.max_steps - state.global_step
            eta = elapsed / done * left if done else None
            emit(on_event, Progress("training", state.global_step, state.max_steps, elapsed, eta, state.epoch))

        def on_substep_end(self, args, state, control, **kw):
            check(cancel)

        def on_prediction_step(self, args, state, control, **kw):
            check(cancel)

        def on_log(self, args, state, control, logs=None, **kw):
            if not state.is_world_process_zero or not logs or "loss" not in logs:
                return
            values = {"loss": float(logs["loss"])}
            if "learning_rate" in logs:
                values["learning_rate"] = float(logs["learning_rate"])
            history.append({"split": "train", "step": state.global_step, "epoch": state.epoch, **values})
            emit(on_event, Metrics("train", state.global_step, state.epoch, values))

        def on_evaluate(self, args, state, control, metrics=None, **kw):
            if not state.is_world_process_zero or not metrics:
                return
            values = {k[5:]: float(v) for k, v in metrics.items()
                      if k.startswith("eval_") and isinstance(v, (int, float)) and not k.endswith(
                          ("_runtime", "_per_second"))}
            history.append({"split": "eval", "step": state.global_step, "epoch": state.epoch, **values})
            emit(on_event, Metrics("eval", state.global_step, state.epoch, values))

    return EventCallback()


def _scalars(metrics: dict) -> dict:
    return {k: float(v) for k, v in metrics.items() if isinstance(v, (int, float)) and k != "n"}


def train(config: TrainConfig, on_event=None, cancel: CancelToken | None = None,
          resume: bool = False) -> RunResult:
    """Fine-tune ``config.model`` on ``config.train_file``; write the model folder ``config.out_dir``.

    Raises BertdeskError for problems the user can fix, Cancelled when ``cancel`` fires (the run
    is then marked cancelled and no model folder appears). Out of GPU memory, the batch is halved
    and gradient accumulation doubled, so the effective batch stays the same, and training goes
    on from the last checkpoint.
    """
    if not config.out_dir:
        raise DataError("no output folder given")
    from .config import CLASS_WEIGHT_CHOICES, PRECISION_CHOICES
    if config.class_weights not in CLASS_WEIGHT_CHOICES:
        raise DataError(f"class_weights must be one of {', '.join(CLASS_WEIGHT_CHOICES)}, not {config.class_weights!r}")
    if config.precision not in PRECISION_CHOICES:
        raise DataError(f"precision must be one of {', '.join(PRECISION_CHOICES)}, not {config.precision!r}")
    choose_device(config.device, config.precision)      # this device can do it: said before any reading
    out_dir = model_folder.check_output_dir(config.out_dir)
    dist = dist_info()
    if config.extend_vocab:
        if dist.active:
            raise DataError("the vocabulary is extended in one process: run `bertdesk-cli pretrain --extend-vocab` "
                            "first, then train from the folder it writes")
        from .pretrain import extend_vocabulary
        config = extend_vocabulary(config, on_event, cancel)
    if config.adapt_first:
        from .pretrain import adapt_then_train
        return adapt_then_train(config, on_event, cancel, resume)
    if config.frozen_encoder:
        from .frozen import train_frozen
        with runs.run_lock(out_dir):
            result = train_frozen(config, on_event, cancel)
        shutil.rmtree(runs.run_dir_for(out_dir), ignore_errors=True)
        return result
    lock = runs.run_lock(out_dir) if dist.is_main else contextlib.nullcontext()
    with lock:
        return _train_with_retries(config, out_dir, dist, on_event, cancel, resume)


def _train_with_retries(config: TrainConfig, out_dir: Path, dist, on_event, cancel, resume: bool) -> RunResult:
    import torch

    if not dist.is_main:
        on_event = None            # one voice: rank 0 reports, logs and writes
    t_start = time.time()
    config = _with_head_factor(config, out_dir, resume)
    while True:
        try:
            return _train_once(config, out_dir, on_event, cancel, resume, t_start)
        except Cancelled:
            if dist.is_main and runs.run_dir_for(out_dir).is_dir():
                runs.write_state(out_dir, "cancelled", config, ended=runs.now())
            raise
        except torch.OutOfMemoryError as exc:
            if choose_device(config.device, config.precision).kind == "cpu" or config.batch_size <= 1:
                raise BertdeskError("out of memory; lower the batch size or the maximum length") from exc
            config = replace(config, batch_size=config.batch_size // 2, grad_accum=config.grad_accum * 2)
            emit(on_event, Log(f"Out of GPU memory: going on with batches of {config.batch_size} and "
                               f"{config.grad_accum} accumulation steps (same effective batch)", "warning"))
            _free_gpu_memory()
            resume = True
        except (MemoryError, RuntimeError) as exc:
            if isinstance(exc, RuntimeError) and "alloc" not in str(exc).lower():
                raise
            raise BertdeskError("not enough memory (RAM); lower the batch size or the maximum length, "
                                "or close other programs") from exc


def _free_gpu_memory() -> None:
    import gc

    import torch
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def grouped_batches(config: TrainConfig, task) -> bool:
    """Whether training batches are grouped by length: the config's choice, else the task's rule."""
    return config.group_by_length if config.group_by_length is not None else task.group_by_length


def _training_arguments(config: TrainConfig, task, run_dir: Path, device, n_features: int):
    from transformers import TrainingArguments

    dist = dist_info()
    steps_per_epoch = max(1, -(-n_features // (config.batch_size * config.grad_accum)))
    total_steps = max(1, int(steps_per_epoch * config.epochs))
    by_steps = config.eval_steps is not None
    grouped = grouped_batches(config, task)
    return TrainingArguments(
        output_dir=str(run_dir),
        num_train_epochs=config.epochs,
        per_device_train_batch_size=config.batch_size,
        per_device_eval_batch_size=max(64, config.batch_size),
        gradient_accumulation_steps=config.grad_accum,
        learning_rate=config.learning_rate,
        weight_decay=config.weight_decay,
        warmup_steps=config.warmup_ratio,
        lr_scheduler_type="linear",
        max_steps=config.max_steps or -1,
        eval_strategy="steps" if by_steps else "epoch",
        save_strategy="steps" if by_steps else "epoch",
        eval_steps=config.eval_steps,
        save_steps=config.eval_steps,
        save_total_limit=2,
        load_best_model_at_end=True,
        metric_for_best_model=(task.best_by or (task.main_metric, True))[0],
        greater_is_better=(task.best_by or (task.main_metric, True))[1],
        logging_strategy="steps",
        logging_steps=max(1, min(50, total_steps // 40)),
        seed=config.seed,
        data_seed=config.seed,
        use_cpu=device.kind == "cpu",
        ddp_backend="gloo" if device.kind == "cpu" and dist.active else None,
        ddp_find_unused_parameters=False,       # every parameter takes part: skip DDP's extra graph walk
        bf16=device.precision == "bf16",
        fp16=device.precision == "fp16",
        train_sampling_strategy="group_by_length" if grouped else "random",
        remove_unused_columns=False,
        dataloader_num_workers=0,
        report_to="none",
        disable_tqdm=True,
        log_level="error",
    )


def _cpu_has_bf16() -> bool:
    """Whether the CPU has bfloat16 instructions (AVX-512 BF16 or AMX); without them oneDNN emulates bf16."""
    import torch

    try:
        return bool(torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported())
    except (AttributeError, RuntimeError):
        return False


def _train_once(config: TrainConfig, out_dir: Path, on_event, cancel, resume: bool, t_start: float) -> RunResult:
    import torch
    from transformers import EarlyStoppingCallback, PrinterCallback, set_seed

    run_dir = runs.run_dir_for(out_dir)
    set_seed(config.seed)
    dist = dist_info()

    task = task_for_config(config)
    emit(on_event, Progress("reading", 0, 1))
    check(cancel)
    data = prepare_data(config, task, on_event)
    train_ex, eval_ex = data.train, data.eval
    emit(on_event, Progress("reading", 1, 1))
    check(cancel)

    source = resolve_model(config.model)
    tokenizer = load_tokenizer(source)
    emit(on_event, Progress("tokenising", 0, 2))
    train_feats = task.encode(tokenizer, train_ex, cancel=cancel)
    emit(on_event, Progress("tokenising", 1, 2))
    eval_feats = task.encode(tokenizer, eval_ex, cancel=cancel).sorted_by_length()
    emit(on_event, Progress("tokenising", 2, 2))
    check(cancel)

    device = choose_device(config.device, config.precision)
    emit(on_event, Log(f"Model {config.model}; device {device.describe()}"))
    if device.kind == "cpu" and device.precision == "bf16" and not _cpu_has_bf16():
        emit(on_event, Log("This CPU has no bfloat16 instructions: bf16 training runs emulated, many times "
                           "slower than fp32 (precision fp32 or auto is faster here)", "warning"))
    steps = config            # the job as the processes step it; ``config`` stays the job (run state, model folder)
    if dist.active:
        if config.per_device_batch:
            emit(on_event, Log(f"{dist.world_size} processes: batch {config.batch_size} per process "
                               f"(--per-device-batch), effective batch size "
                               f"{config.batch_size * config.grad_accum * dist.world_size}"))
        else:
            from .config import split_batch

            per, accum, said = split_batch(config.batch_size, config.grad_accum, dist.world_size)
            steps = replace(config, batch_size=per, grad_accum=accum)
            emit(on_event, Log(said))
    emit(on_event, Progress("loading", 0, 1))
    check(cancel)
    for note in task.loading_notes(source):
        emit(on_event, Log(note))
    model, new_parameters = load_model(task.model_class, source, with_new=True, ignore_mismatched_sizes=True,
                                       **task.model_kwargs())
    loss = _weighted_loss(config, task, train_ex, on_event)
    if new_parameters and not resume:
        task.init_head(model, train_ex, new_parameters, loss.weights if loss is not None else None)
    emit(on_event, Progress("loading", 1, 1))
    check(cancel)

    history: list[dict] = []
    last_eval: dict = {}       # the latest evaluation's raw outputs and the step it was taken at

    def compute_metrics(pred):
        if task.measured_in_training:
            return _scalars(task.trainer_metrics(pred.predictions, pred.label_ids))
        last_eval.update(step=trainer.state.global_step, predictions=pred.predictions)
        logits = task.trainer_outputs(pred.predictions)
        _check_order(pred.label_ids, eval_feats)
        predictions = task.decode(logits, eval_feats, eval_ex)
        return _scalars(task.evaluate(predictions, eval_ex, tune=True))

    if dist.is_main:
        runs.write_state(out_dir, "running", config, started=runs.now(), world_size=dist.world_size)
    callbacks = [_make_callback(on_event, cancel, history)]
    if config.patience:
        callbacks.append(EarlyStoppingCallback(early_stopping_patience=config.patience))
    trainer = _trainer_class()(model=model, args=_training_arguments(steps, task, run_dir, device, len(train_feats)),
                               data_collator=task.collate(tokenizer.pad_token_id),
                               train_dataset=_ListDataset(train_feats.items),
                               eval_dataset=_ListDataset(eval_feats.items),
                               compute_metrics=compute_metrics, callbacks=callbacks,
                               compute_loss_func=loss,
                               preprocess_logits_for_metrics=task.reduce_logits if task.measured_in_training else None)
    trainer.remove_callback(PrinterCallback)   # our events replace its prints to stdout
    head_factor = config.head_lr_factor          # written in by _with_head_factor
    if new_parameters and head_factor != 1.0:
        trainer.head_parameters = frozenset(new_parameters)
        trainer.head_lr_factor = float(head_factor)
        emit(on_event, Log(f"The new head learns at {head_factor:g} x the learning rate "
                           f"({config.learning_rate * head_factor:.2g})"))
    if device.kind == "cpu":
        torch.set_num_threads(threads_per_process())

    checkpoint = runs.last_checkpoint(run_dir) if resume else None
    if resume and checkpoint is None:
        emit(on_event, Log("No checkpoint to resume from; starting from the beginning", "warning"))
    elif checkpoint:
        emit(on_event, Log(f"Resuming from {Path(checkpoint).name}"))
    before = None
    if task.evaluate_first and not checkpoint:
        emit(on_event, Progress("evaluating", 0, 1))
        before = _measured(task, trainer.predict(_ListDataset(eval_feats.items)))
        emit(on_event, Log("Before training, on the held-out texts: " + _said(before)))
    t_train = time.time()
    train_out = trainer.train(resume_from_checkpoint=checkpoint)
    train_time = time.time() - t_train

    emit(on_event, Progress("evaluating", 0, 1))
    if task.measured_in_training:
        predictions = []
        metrics = _measured(task, trainer.predict(_ListDataset(eval_feats.items)))
        if before is not None:
            metrics["before"] = before
        emit(on_event, Log("After training, on the held-out texts: " + _said(metrics)))
    else:
        kept = trainer.state.best_global_step or trainer.state.global_step
        if last_eval.get("step") == trainer.state.global_step == kept:
            raw = last_eval["predictions"]       # the model kept is the one evaluated last: no second pass
        else:
            raw = trainer.predict(_ListDataset(eval_feats.items)).predictions
        predictions = task.decode(task.trainer_outputs(raw), eval_feats, eval_ex)
        predictions = task.calibrate(predictions, eval_ex)
        metrics = task.evaluate(predictions, eval_ex)
        metrics.update(assess(task, predictions, eval_ex, metrics))
    for warning in metrics.get("warnings", []):
        emit(on_event, Log(warning, "warning"))
    emit(on_event, Progress("evaluating", 1, 1))
    check(cancel)

    samples_per_s = float(train_out.metrics.get("train_samples_per_second", 0.0))
    result = RunResult(out_dir, metrics, history, time.time() - t_start, samples_per_s,
                       len(train_ex), len(eval_ex), device.describe())
    if trainer.is_world_process_zero():
        emit(on_event, Progress("saving", 0, 1))
        meta = model_folder.build_meta(
            config, task, train_ex.columns, metrics=metrics, history=history, n_train=len(train_ex),
            data=data_facts(config, tokenizer, train_feats, len(train_ex)),
            n_eval=len(eval_ex), train_seconds=round(train_time, 2), train_samples_per_second=samples_per_s,
            device=device.describe(), created=runs.now(), versions=versions(),
            optimizer_steps=int(trainer.state.global_step), world_size=dist.world_size)
        model_folder.save(trainer.model, tokenizer, meta, out_dir, cancel)
        shutil.rmtree(run_dir, ignore_errors=True)
        record_history(meta, out_dir, task, eval_ex, predictions, time.time() - t_start, on_event)
        emit(on_event, Progress("saving", 1, 1))
    return result


def _with_head_factor(config: TrainConfig, out_dir: Path, resume: bool) -> TrainConfig:
    """The job with the new head's learning-rate multiple written in, so that run.json records it: the
    job's own, else (resuming from a checkpoint) the one the interrupted run recorded, else the task's rule."""
    if config.head_lr_factor is not None:
        return config
    task = task_for_config(config)
    factor = task.head_lr_factor
    if resume and runs.last_checkpoint(runs.run_dir_for(out_dir)) is not None:
        job = (runs.pending_run(out_dir) or {}).get("job")
        recorded = job.get("head_lr_factor") if isinstance(job, dict) else None
        factor = recorded if isinstance(recorded, (int, float)) else task.unrecorded_head_lr_factor or factor
    return replace(config, head_lr_factor=float(factor))


def _measured(task, out) -> dict:
    """A measured-in-training task's metrics from ``Trainer.predict``, with the loss and perplexity."""
    import math

    metrics = task.trainer_metrics(out.predictions, out.label_ids)
    loss = (out.metrics or {}).get("test_loss")
    if isinstance(loss, (int, float)):
        metrics.update(loss=float(loss), perplexity=float(math.exp(min(loss, 50.0))))
    return metrics


def _said(metrics: dict) -> str:
    shown = [f"{k.replace('_', ' ')} {metrics[k]:.3f}" for k in ("masked_accuracy", "masked_top5", "nsp_accuracy")
             if isinstance(metrics.get(k), (int, float))]
    if isinstance(metrics.get("perplexity"), (int, float)):
        shown.append(f"perplexity {metrics['perplexity']:.1f}")
    return ", ".join(shown)


def record_history(meta: dict, out_dir, task, eval_ex, predictions, seconds: float, on_event) -> None:
    """Add the finished run to the workspace's run history (a failure there costs only the record)."""
    from .history import predictions_of, record_run

    try:
        rows = []
        if predictions:
            table, _ = task.eval_table(eval_ex, predictions)
            rows = predictions_of(table, task)
        record_run(meta, out_dir, rows, seconds)
    except (OSError, BertdeskError) as exc:
        emit(on_event, Log(f"The run could not be added to the history: {exc}", "warning"))


def data_facts(config: TrainConfig, tokenizer, features, n_examples: int) -> dict:
    """The training file's fingerprint and what its texts say about the model's limits."""
    from .model_card import data_profile, file_sha256

    return {"sha256": file_sha256(config.train_file), **data_profile(tokenizer, features, n_examples)}


def _weighted_loss(config: TrainConfig, task, train_ex, on_event):
    """The task's loss with rare labels weighted up (``config.class_weights == "auto"``), or None
    (the model's own loss)."""
    if config.class_weights != "auto":
        return None
    weights = task.loss_weights(train_ex)
    if weights is None:
        emit(on_event, Log(f"Class weights are not available for {task.title}; training without them", "warning"))
        return None
    import torch

    shown = ", ".join(f"{label} {w:.2f}" for label, w in list(zip(task.labels, weights))[:8])
    emit(on_event, Log(f"Class weights (rare labels count more): {shown}" + (" …" if len(weights) > 8 else "")))
    tensor = torch.as_tensor(weights, dtype=torch.float32)

    def loss(outputs, labels, num_items_in_batch=None):
        logits = outputs["logits"] if isinstance(outputs, dict) else outputs[0]
        return task.weighted_loss(logits, labels, tensor, num_items_in_batch)

    loss.weights = weights
    return loss


def _check_order(label_ids, features) -> None:
    """Predictions must come back in feature order; the labels they carry tell if they did not."""
    if label_ids is None or not features.items or "labels" not in features.items[0]:
        return
    expected = [f["labels"] for f in features.items]
    got = np.asarray(label_ids)
    if got.ndim == 1 and len(got) == len(expected) and not np.array_equal(got, np.asarray(expected)):
        raise RuntimeError("evaluation predictions came back out of order")
