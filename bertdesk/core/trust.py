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
    if task.temperature_kind:
        z, y = task.temperature_inputs(predictions, examples)
        temperature = getattr(task, "temperature", 1.0)
        import numpy as np

        raw = np.asarray(z) * np.asarray(temperature, dtype=np.float64)     # back to the unscaled logits
        report = calibration.report(raw, y, task.temperature_kind, temperature)
        out.update(ece=report["ece"], ece_uncalibrated=report["ece_uncalibrated"], brier=report["brier"],
                   calibration=report)
    return out


def warnings(task, predictions, examples, metrics: dict, base: dict) -> list[str]:
    said = []
    missed = task.missed_labels(predictions, examples)
    if missed:
        listed = ", ".join(f"“{label}” ({n:,} held-out {task.unit})" for label, n in
                           sorted(missed.items(), key=lambda kv: -kv[1])[:5])
        said.append(f"The model never predicts {listed}. {TRY}")
    key = task.main_metric
    value, trivial = metrics.get(key), base.get(key) if base else None
    if isinstance(value, (int, float)) and isinstance(trivial, (int, float)) and value <= trivial + 1e-9:
        said.append(f"The model does no better than {base['name']} ({key.replace('_', ' ')} {value:.1%} against "
                    f"{trivial:.1%}). {TRY}")
    return said
