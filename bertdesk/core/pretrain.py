"""Adapt, then fine-tune: continue the model's pre-training on the sheet's own texts (labeled and
unlabeled: ``tasks.mlm``), then fine-tune from the adapted model. ``core.training.train`` comes here
when ``config.adapt_first`` is set; the adapted model stays as a folder of its own beside the
fine-tuned one (``<name>-adapted``), so a second fine-tuning, or a resumed one, starts from it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .config import TrainConfig
from .events import Log, Progress, emit
from .tasks.mlm import MlmTask

ADAPT_EPOCHS = 1.0
ADAPT_LEARNING_RATE = 5e-5


def adapted_dir(config: TrainConfig) -> Path:
    out = Path(config.out_dir)
    return out.with_name(out.name + "-adapted")


def adaptation_config(config: TrainConfig, texts_file: Path) -> TrainConfig:
    """The pre-training job for a fine-tuning job: the same base model and seed, one pass."""
    return TrainConfig(task=MlmTask.name, train_file=str(texts_file), columns={"text": "text"}, model=config.model,
                       out_dir=str(adapted_dir(config)), epochs=ADAPT_EPOCHS, batch_size=config.batch_size,
                       learning_rate=ADAPT_LEARNING_RATE, max_length=config.max_length or 128,
                       eval_fraction=0.05, seed=config.seed, device=config.device,
                       precision=config.precision)


def _as_adapting(on_event):
    if on_event is None:
        return None

    def inner(ev):
        if isinstance(ev, Progress) and ev.phase == "training":
            ev = Progress("adapting", ev.done, ev.total, ev.elapsed_s, ev.eta_s, ev.epoch)
        elif isinstance(ev, Progress):
            return                       # the adaptation's reading, loading and saving: one phase
        emit(on_event, ev)
    return inner


def adapt(config: TrainConfig, on_event=None, cancel=None) -> Path:
    """Pre-train ``config.model`` on the texts of ``config.train_file`` (every row with text, labeled
    or not); the adapted model folder. A complete one made from the same model and the same texts is
    reused; one made from other texts (the sheet was edited, or another sheet has the same output
    name) is made again, as any retrained model folder is."""
    import pandas as pd

    from .model_card import file_sha256
    from .model_folder import try_open
    from .tmpfiles import temp_dir
    from .training import train

    target = adapted_dir(config)
    texts = sheet_texts(config)
    folder = temp_dir("adapt")
    try:
        sheet = folder / "texts.csv"
        pd.DataFrame({"text": texts}).to_csv(sheet, index=False)
        done = try_open(target)
        same_model = done is not None and done.task_name == MlmTask.name and done.config.model == config.model
        if same_model and (done.meta.get("data") or {}).get("sha256") == file_sha256(sheet):
            emit(on_event, Log(f"Starting from the model adapted earlier: {target.name}"))
        else:
            if same_model:
                emit(on_event, Log(f"{target.name} was adapted to other texts than the sheet's now: adapting again"))
            emit(on_event, Log(f"Adapting the model to {len(texts):,} texts of the sheet (masked language model, one pass)"))
            train(adaptation_config(config, sheet), on_event=_as_adapting(on_event), cancel=cancel)
    finally:
        import shutil
        shutil.rmtree(folder, ignore_errors=True)
    keep_pooler(config.model, target, on_event)       # also for a folder adapted before it was kept
    return target


def _weights_file(model: str) -> Path | None:
    """The single safetensors file of a model folder or of a hub id in the local cache (None: sharded,
    absent, or not found without downloading)."""
    from .models import resolve_model

    try:
        source = resolve_model(model)
    except Exception:                   # noqa: BLE001 - the fine-tune that follows says what is wrong
        return None
    if Path(source).is_dir():
        found = Path(source) / "model.safetensors"
        return found if found.is_file() else None
    try:
        from huggingface_hub import try_to_load_from_cache

        cached = try_to_load_from_cache(source, "model.safetensors")
    except Exception:                   # noqa: BLE001
        return None
    return Path(cached) if isinstance(cached, str) else None


def keep_pooler(base_model: str, adapted: Path, on_event=None) -> bool:
    """Give the adapted folder the base model's pooler. The masked-language model has none (it reads
    every token, not [CLS]), so a classifier fine-tuned from the adapted folder started with a
    pooler drawn at random between the encoder and its head; adaptation does not change the pooler,
    so the base model's is the one to keep. True when the folder has one now. Best effort: a file
    that cannot be read or written leaves the folder as it was (the log says so)."""
    try:
        return _keep_pooler(base_model, Path(adapted), on_event)
    except Exception as exc:            # noqa: BLE001 - the adaptation itself succeeded
        emit(on_event, Log(f"Could not keep the base model's pooler in {Path(adapted).name} "
                           f"({type(exc).__name__}); a classifier fine-tuned from it starts with a new one",
                           "warning"))
        return False


def _keep_pooler(base_model: str, adapted: Path, on_event) -> bool:
    from safetensors import safe_open
    from safetensors.torch import load, save_file

    from .io import atomic_path

    mine, base = adapted / "model.safetensors", _weights_file(base_model)
    if not mine.is_file() or base is None:
        return False
    with safe_open(str(mine), "pt") as fh:
        keys, metadata = list(fh.keys()), fh.metadata() or {"format": "pt"}
    if not any(k.startswith("bert.") for k in keys):
        return False                     # not BERT's masked-language model: left as it is
    if any(k.startswith("bert.pooler.") for k in keys):
        return True
    with safe_open(str(base), "pt") as fh:
        pooler = {"bert." + k[k.index("pooler."):]: fh.get_tensor(k) for k in fh.keys()
                  if k.startswith("pooler.") or k.startswith("bert.pooler.")}
    if not pooler:
        return False
    weights = load(mine.read_bytes())    # not mapped: Windows refuses to replace a mapped file
    hidden = weights.get("bert.embeddings.word_embeddings.weight")
    dense = pooler.get("bert.pooler.dense.weight")
    if dense is None or (hidden is not None and tuple(dense.shape) != (hidden.shape[1], hidden.shape[1])):
        return False                     # a base of another shape than the adapted model
    weights.update(pooler)
    with atomic_path(mine) as out:
        save_file(weights, str(out), metadata=metadata)
    emit(on_event, Log(f"Kept the base model's pooler in {adapted.name} (what a classifier reads [CLS] through)"))
    return True


def sheet_texts(config: TrainConfig) -> list[str]:
    """The texts of every row of the job's sheet with text, labeled or not."""
    from .prepare import read_training_examples
    from .tasks import task_for_config

    task = task_for_config(replace(config, adapt_first=False, extend_vocab=False))
    examples = read_training_examples(replace(config, max_train_rows=None), task, None) \
        if task.reads_as_file(config.train_file) or not task.fine_tunes else _all_rows(config, task)
    return [t for t in task.adaptation_texts(examples) if t and t.strip()]


def vocab_dir(config: TrainConfig) -> Path:
    out = Path(config.out_dir)
    return out.with_name(out.name + "-vocab")


def extend_vocabulary(config: TrainConfig, on_event=None, cancel=None) -> TrainConfig:
    """The job on a copy of its model whose vocabulary also holds the sheet's frequent unknown
    characters (``core.vocab``), written beside the output as ``<name>-vocab`` (reused when a
    complete one is there); the job unchanged when there is nothing to add."""
    from .models import resolve_model
    from .vocab import extend_model, made_from, texts_digest

    target = vocab_dir(config)
    source, texts = resolve_model(config.model), sheet_texts(config)
    earlier = made_from(target)           # written atomically: there only when complete
    if earlier.get("base") == str(source) and earlier.get("texts") == texts_digest(texts):
        emit(on_event, Log(f"Starting from the vocabulary extended earlier: {target.name}"))
        return replace(config, model=str(target), extend_vocab=False)
    folder, added = extend_model(source, texts, target, on_event, cancel)
    if not added:
        return replace(config, extend_vocab=False)
    return replace(config, model=str(folder), extend_vocab=False)


def _all_rows(config: TrainConfig, task):
    """Every row of a table with text, labeled or not: unlabeled rows are what adaptation is for."""
    from . import data as D

    table = D.read_table(config.train_file, **(config.read_options or {}))
    return task.examples_from_table(table, config.columns, with_labels=False)


def adapt_then_train(config: TrainConfig, on_event=None, cancel=None, resume: bool = False):
    from .training import train

    adapted = adapt(config, on_event, cancel)
    emit(on_event, Log(f"Fine-tuning from the adapted model {adapted.name}"))
    return train(replace(config, model=str(adapted), adapt_first=False), on_event=on_event, cancel=cancel,
                 resume=resume)
