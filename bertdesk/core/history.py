"""The run history: every training run, from the app or the command line, recorded in the workspace
(``<workspace>/history/<id>.json``, one file a run, written atomically), and two runs compared.

A record holds what is needed to tell runs apart and trust a comparison: the data file, its SHA-256
and row counts, the whole training configuration, seed, library versions, device, time, the metrics
(baseline, per-class scores, confusion matrix) and the held-out predictions row by row (up to
``MAX_ROWS``), each with a key made of its row number and a hash of its text, so that two runs'
predictions on the same rows can be matched.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from pathlib import Path

from .errors import DataError

HISTORY_FOLDER = "history"
FORMAT = 1
MAX_ROWS = 20000


def history_dir(workspace: Path | None = None) -> Path:
    from .workspace import default_workspace

    return (workspace or default_workspace()) / HISTORY_FOLDER


def _key(row, text) -> str:
    return f"{row}:{hashlib.sha1(str(text).encode('utf-8', 'replace')).hexdigest()[:12]}"


def predictions_of(eval_df, task) -> list[dict]:
    """The held-out rows as the record keeps them: row, key, true, predicted, correct."""
    text_col = task.eval_roles.get("text", "text")
    true_col, pred_col = task.eval_roles.get("true", "true"), task.eval_roles.get("predicted", "predicted")
    out = []
    for row, text, true, pred, ok in zip(eval_df["row"].tolist(), eval_df[text_col].tolist(),
                                         eval_df[true_col].tolist(), eval_df[pred_col].tolist(),
                                         eval_df["correct"].tolist()):
        out.append({"row": int(row), "key": _key(row, text), "text": str(text)[:300], "true": str(true),
                    "predicted": str(pred), "correct": bool(ok)})
        if len(out) >= MAX_ROWS:
            break
    return out


def record_run(meta: dict, model_dir, predictions: list[dict], seconds: float, workspace: Path | None = None) -> Path:
    """Write the record of a finished run; returns its path."""
    from .io import write_json

    config = meta.get("config") or {}
    created = meta.get("created") or ""
    stamp = re.sub(r"[^0-9]", "", created)[:14] or "run"
    run_id = f"{stamp}-{uuid.uuid4().hex[:6]}"
    record = {"format": FORMAT, "id": run_id, "created": created, "model_dir": str(Path(model_dir).resolve()),
              "model_name": Path(model_dir).name, "task": meta.get("task"),
              "data": {"train_file": config.get("train_file"), "eval_file": config.get("eval_file"),
                       **(meta.get("data") or {})},
              "n_train": meta.get("n_train"), "n_eval": meta.get("n_eval"), "config": config,
              "seed": config.get("seed"), "versions": meta.get("versions"), "device": meta.get("device"),
              "seconds": round(float(seconds), 1), "metrics": meta.get("metrics") or {},
              "predictions": predictions, "predictions_truncated": len(predictions) >= MAX_ROWS}
    folder = history_dir(workspace)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{run_id}.json"
    write_json(path, record)
    return path


def list_runs(workspace: Path | None = None) -> list[dict]:
    """Every readable record, newest first, without their predictions (a damaged file is skipped)."""
    folder = history_dir(workspace)
    runs = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        if not isinstance(record, dict) or record.get("format") != FORMAT or "id" not in record:
            continue
        record.pop("predictions", None)
        record["path"] = str(path)
        runs.append(record)
    runs.sort(key=lambda r: (r.get("created") or "", r["id"]), reverse=True)
    return runs


def load_run(ref: str, workspace: Path | None = None) -> dict:
    """A whole record by its id, a unique start of it, or its model folder's path or name."""
    folder = history_dir(workspace)
    candidates = []
    for run in list_runs(workspace):
        if run["id"] == ref:
            candidates = [run]
            break
        if run["id"].startswith(ref) or run.get("model_name") == ref or run.get("model_dir") == str(
                Path(ref).expanduser().resolve()):
            candidates.append(run)
    if not candidates:
        raise DataError(f"no run '{ref}' in the history ({folder}); `bertdesk-cli runs` lists them")
    if len(candidates) > 1:
        ids = ", ".join(r["id"] for r in candidates[:5])
        raise DataError(f"'{ref}' names {len(candidates)} runs ({ids}); give a longer id")
    return json.loads(Path(candidates[0]["path"]).read_text(encoding="utf-8"))


def compare(a: dict, b: dict) -> dict:
    """Run ``b`` against run ``a``: the change of every scalar metric (b - a), of each label's F1,
    both confusion matrices, and the held-out rows both runs predicted whose result flipped."""
    ma, mb = a.get("metrics") or {}, b.get("metrics") or {}
    deltas = {k: round(float(mb[k]) - float(ma[k]), 6) for k in ma
              if isinstance(ma.get(k), (int, float)) and isinstance(mb.get(k), (int, float)) and k != "n"}
    per_a = ma.get("per_class") or ma.get("per_type") or {}
    per_b = mb.get("per_class") or mb.get("per_type") or {}
    f1 = {label: round(per_b[label]["f1"] - per_a[label]["f1"], 6) for label in per_a if label in per_b}
    pa = {p["key"]: p for p in a.get("predictions") or []}
    right_to_wrong, wrong_to_right, shared = [], [], 0
    for p in b.get("predictions") or []:
        before = pa.get(p["key"])
        if before is None:
            continue
        shared += 1
        row = {"row": p["row"], "text": p["text"], "true": p["true"], "predicted_a": before["predicted"],
               "predicted_b": p["predicted"]}
        if before["correct"] and not p["correct"]:
            right_to_wrong.append(row)
        elif p["correct"] and not before["correct"]:
            wrong_to_right.append(row)
    same_data = (a.get("data") or {}).get("sha256") == (b.get("data") or {}).get("sha256")
    return {"a": a["id"], "b": b["id"], "a_name": a.get("model_name"), "b_name": b.get("model_name"),
            "task": b.get("task"), "same_data": same_data, "metric_deltas": deltas, "f1_deltas": f1,
            "confusion_a": ma.get("confusion_matrix"), "confusion_b": mb.get("confusion_matrix"),
            "labels_a": ma.get("labels"), "labels_b": mb.get("labels"), "shared_rows": shared,
            "right_to_wrong": right_to_wrong, "wrong_to_right": wrong_to_right}


def relocate(old, new, workspace: Path | None = None) -> int:
    """Point the records of the model folder ``old`` at ``new`` (it was renamed); how many changed."""
    from .io import write_json

    old, new = str(Path(old).resolve()), Path(new).resolve()
    changed = 0
    for run in list_runs(workspace):
        if run.get("model_dir") == old:
            path = Path(run["path"])
            record = json.loads(path.read_text(encoding="utf-8"))
            record.update(model_dir=str(new), model_name=new.name)
            write_json(path, record)
            changed += 1
    return changed
