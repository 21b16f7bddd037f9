"""What a score means: the trivial baseline beside it, warnings about a model that learnt little,
and how well its probabilities are calibrated.

``assess`` adds to a task's metrics (all computed on the same held-out examples):

  baseline          the score of a model that ignores the text (``Task.baseline``)
  warnings          sentences for the user: labels the model never predicts, no gain over the
                    baseline, each with what to try
  ece, ece_uncalibrated, brier, calibration
                    expected calibration error with the fitted temperature and without it, the
                    Brier score, the reliability diagram's points (``core.calibration``)
"""

from __future__ import annotations

from . import calibration

TRY = ("Try more epochs or a higher learning rate, class weights (Settings → Advanced, or --class-weights auto) "
       "when some labels are rare, more labeled rows, or a model that knows the texts' language.")


def assess(task, predictions: list[dict], examples, metrics: dict) -> dict:
    """The baseline, the warnings and the calibration of ``predictions`` (made with the task as it
    is now: its temperature applied) against ``examples``."""
    out: dict = {}
    if not predictions:
        return out
    base = task.baseline(examples)
    if base:
        out["baseline"] = {k: round(v, 4) if isinstance(v, float) else v for k, v in base.items()}
    out["warnings"] = warnings(task, predictions, examples, metrics, base)
    out["warning_facts"] = warning_facts(task, predictions, examples, metrics, base)
    if task.temperature_kind:
        z, y = task.temperature_inputs(predictions, examples)
        temperature = getattr(task, "temperature", 1.0)
        import numpy as np

        raw = np.asarray(z) * np.asarray(temperature, dtype=np.float64)     # back to the unscaled logits
        report = calibration.report(raw, y, task.temperature_kind, temperature)
        out.update(ece=report["ece"], ece_uncalibrated=report["ece_uncalibrated"], brier=report["brier"],
                   calibration=report)
    return out


def warning_facts(task, predictions, examples, metrics: dict, base: dict) -> list[dict]:
    """What the warnings say, as data (an interface words them in its own language):
    {"kind": "missed", "labels": [[label, held-out count], ...]} (at most 5, most frequent first) and
    {"kind": "no_gain", "metric": key, "value": v, "baseline": v}."""
    facts = []
    missed = task.missed_labels(predictions, examples)
    if missed:
        facts.append({"kind": "missed", "unit": task.unit,
                      "labels": [[label, int(n)] for label, n in sorted(missed.items(), key=lambda kv: -kv[1])[:5]]})
    key = task.main_metric
    value, trivial = metrics.get(key), base.get(key) if base else None
    if isinstance(value, (int, float)) and isinstance(trivial, (int, float)) and value <= trivial + 1e-9:
        facts.append({"kind": "no_gain", "metric": key, "value": float(value), "baseline": float(trivial)})
    return facts


def warnings(task, predictions, examples, metrics: dict, base: dict) -> list[str]:
    """The warnings as English sentences (the CLI, the model card, ``--json``)."""
    said = []
    for fact in warning_facts(task, predictions, examples, metrics, base):
        if fact["kind"] == "missed":
            listed = ", ".join(f"“{label}” ({n:,} held-out {task.unit})" for label, n in fact["labels"])
            said.append(f"The model never predicts {listed}. {TRY}")
        else:
            said.append(f"The model does no better than {base['name']} ({fact['metric'].replace('_', ' ')} "
                        f"{fact['value']:.1%} against {fact['baseline']:.1%}). {TRY}")
    return said
