"""The long work the GUI starts, as plain functions ``job(on_event, cancel) -> plain data``.

No Qt here: each job calls the core, runs in a worker thread, and returns data (dicts,
DataFrames, numpy arrays) that the views show. Loaded predictors stay in a cache that only
worker threads touch; the GUI refers to models by folder.
"""

from __future__ import annotations

import threading
from pathlib import Path

from .preload import ensure_imported

_PREDICTORS: dict[str, object] = {}
_LOCK = threading.Lock()


def predictor_for(model_dir: str | Path):
    from bertdesk.core.inference import Predictor

    key = str(Path(model_dir).resolve())
    with _LOCK:
        pred = _PREDICTORS.get(key)
        if pred is None:
            pred = Predictor.load(key)
            _PREDICTORS.clear()          # one model in memory at a time is plenty
            _PREDICTORS[key] = pred
        return pred


def forget_predictor(model_dir: str | Path) -> None:
    with _LOCK:
        _PREDICTORS.pop(str(Path(model_dir).resolve()), None)


def describe_device(on_event=None, cancel=None) -> str:
    """The device training would use, found in a child process (importing torch here would
    take turns with the window)."""
    from bertdesk.core.childproc import run_in_child
    return run_in_child("bertdesk.core.models:describe_device", on_event=on_event, cancel=cancel)


def train_in_child() -> bool:
    """Training runs in its own process unless BERTDESK_TRAIN_IN_THREAD=1 (the older way, kept
    for comparison: build/measure_gui.py measures both)."""
    import os
    return os.environ.get("BERTDESK_TRAIN_IN_THREAD", "") != "1"


def train_job(config, resume: bool = False):
    """Fine-tune (or resume from the run's last checkpoint); returns a summary dict (the model
    folder is written by the core). The work runs in a child process, so the window's thread
    never waits for the training's Python code (the GIL)."""
    def job(on_event, cancel):
        if train_in_child():
            from bertdesk.core.childproc import run_in_child
            result = run_in_child("bertdesk.core.training:train", (config,), {"resume": resume}, on_event, cancel)
        else:
            ensure_imported()
            from bertdesk.core.training import train
            result = train(config, on_event=on_event, cancel=cancel, resume=resume)
        return {"out_dir": str(result.out_dir), "metrics": result.metrics, "elapsed_s": result.elapsed_s,
                "n_train": result.n_train, "n_eval": result.n_eval, "device": result.device}
    return job


def _label_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value)


def evaluation_job(model_dir):
    """Predictions on the model's held-out rows, rebuilt the way training split them."""
    def job(on_event, cancel):
        ensure_imported()
        import numpy as np
        import pandas as pd

        from bertdesk.core.config import TrainConfig
        from bertdesk.core.events import Log, emit
        from bertdesk.core.tasks import make_task
        from bertdesk.core.training import prepare_data

        predictor = predictor_for(model_dir)
        meta = predictor.meta
        hp = dict(meta.get("hyperparameters") or {})
        result = {"meta": meta, "model_dir": str(model_dir), "predictions": None, "details": None, "note": ""}
        if not hp.get("train_file") or not Path(hp["train_file"]).exists():
            result["note"] = "The training file is no longer where it was: predictions cannot be rebuilt."
            return result
        config = TrainConfig.from_dict(hp)
        task = make_task(meta["task"], max_length=config.max_length, long_text=config.long_text)
        _, eval_ex = prepare_data(config, task, on_event)
        preds = predictor.predict_examples(eval_ex, on_event=on_event, cancel=cancel)
        if meta["task"] in ("ner", "qa"):
            from .eval_frames import ner_frame, qa_frame

            df, result["details"] = (ner_frame if meta["task"] == "ner" else qa_frame)(eval_ex, preds)
            emit(on_event, Log(f"Predicted {len(df)} held-out examples"))
            result["predictions"] = df
            return result
        multilabel = meta["task"] == "multilabel"
        if multilabel:
            true = [_label_text(sorted(l)) for l in eval_ex.labels]
            pred = [_label_text(sorted(p["labels"])) for p in preds]
            # confidence: how far the least certain label is from its threshold, scaled to 0.5-1
            th = np.asarray(predictor.task.thresholds or [0.5] * len(predictor.task.labels))
            conf = [float(0.5 + np.min(np.abs(p["scores"] - th))) for p in preds]
        else:
            true = [str(l) for l in eval_ex.labels]
            pred = [p["label"] for p in preds]
            conf = [float(p["score"]) for p in preds]
        df = pd.DataFrame({
            "row": np.asarray(eval_ex.rows, dtype=np.int64) + 2,   # spreadsheet row (header is row 1)
            "text": eval_ex.texts,
            "true": true,
            "predicted": pred,
            "confidence": np.round(conf, 4),
            "correct": [t == p for t, p in zip(true, pred)],
        })
        emit(on_event, Log(f"Predicted {len(df)} held-out rows"))
        result["predictions"] = df
        return result
    return job


def attention_job(model_dir, text: str, pair: str | None = None):
    def job(on_event, cancel):
        ensure_imported()
        res = predictor_for(model_dir).attention(text, pair)
        pred = res.prediction or {}
        label = pred.get("label") if "label" in pred else _label_text(pred.get("labels"))
        score = pred.get("score")
        return {"tokens": list(res.tokens), "attentions": res.attentions, "label": label,
                "score": None if score is None else float(score), "text": text}
    return job


def label_job(model_dir, table_path, read_options: dict, columns: dict | str | None, fast: bool = False):
    """Label every row of a table; returns the DataFrame with the prediction columns added.

    ``columns`` maps the model's input roles to columns ({"text": ...}; QA: context and question);
    a plain string is the text column. With ``fast`` the CPU fast mode is tried first (it is kept
    only if it passes its parity check); what happened is in ``df.attrs["fast"]`` as words."""
    def job(on_event, cancel):
        ensure_imported()
        from bertdesk.core.data import read_table
        from bertdesk.core.errors import BertdeskError

        table = read_table(table_path, **(read_options or {}))
        cols = {"text": columns} if isinstance(columns, str) else {k: v for k, v in (columns or {}).items() if v}
        predictor = predictor_for(model_dir)
        note = ""
        if not fast:
            predictor.disable_fast()
        elif predictor.fast_mode is None:
            try:
                check = predictor.enable_fast(on_event=on_event, cancel=cancel)
                note = fast_note(check)
            except BertdeskError as exc:
                note = f"Fast mode not used: {exc}"
        else:
            note = f"Fast mode {predictor.fast_mode} on."
        df = predictor.label_table(table.df, cols or None, on_event=on_event, cancel=cancel, path=table_path)
        df.attrs["fast"] = note
        return df
    return job


def fast_note(check: dict) -> str:
    """One sentence on a fast-mode parity check, for the status line."""
    metric = check["metric"].replace("_", " ")
    before, after = check["before"], check["after"]
    figures = f"{metric} {before:.3f} → {after:.3f} on {check['n_eval']:,} evaluation rows"
    if check.get("cached"):
        figures = "checked earlier on this model"
    if check["accepted"]:
        return f"Fast mode {check['mode']} on ({figures})."
    return (f"Fast mode {check['mode']} refused: it would cost {check['drop_points']:.2f} points "
            f"({figures}); labeled at full precision.")


def read_job(path, read_options: dict | None = None):
    """Read a data file in the worker (large files would freeze the window)."""
    def job(on_event, cancel):
        from .sources import read_source_checked
        return {"path": str(path), "table": read_source_checked(path, **(read_options or {}))}
    return job
