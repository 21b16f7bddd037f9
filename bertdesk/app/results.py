"""What the Results page shows: a model's predictions on its held-out examples, rebuilt the way
training split them, and the attention map of one text."""

from __future__ import annotations

from pathlib import Path

from .imports import ensure_imported
from .predictors import predictor_for


def evaluation(model_dir, *, on_event=None, cancel=None) -> dict:
    """{"meta", "model_dir", "predictions" (DataFrame or None), "details", "note"}: the task's
    held-out table (``Task.eval_table``) and per-row details for the detail view."""
    from ..core.events import Log, emit
    from ..core.prepare import prepare_data
    from ..core.tasks import task_for_config

    ensure_imported()
    predictor = predictor_for(model_dir)
    config = predictor.folder.config
    result = {"meta": predictor.meta, "model_dir": str(model_dir), "predictions": None, "details": None, "note": ""}
    if not config.train_file or not Path(config.train_file).exists():
        result["note"] = "The training file is no longer where it was: predictions cannot be rebuilt."
        return result
    data = prepare_data(config, task_for_config(config), on_event)
    predictions = predictor.predict_examples(data.eval, on_event=on_event, cancel=cancel)
    df, details = predictor.task.eval_table(data.eval, predictions)
    emit(on_event, Log(f"Predicted {len(df)} held-out {predictor.task.unit}"))
    result.update(predictions=df, details=details)
    return result


def attention(model_dir, text: str, pair: str | None = None, *, on_event=None, cancel=None) -> dict:
    """{"tokens", "attentions" [layer, head, query, key], "label", "score", "text"} for one text."""
    from ..core.attention import attention_of

    ensure_imported()
    predictor = predictor_for(model_dir)
    res = attention_of(predictor, text, pair)
    label, score = predictor.task.describe_prediction(res.prediction) if res.prediction else ("", None)
    return {"tokens": list(res.tokens), "attentions": res.attentions, "label": label, "score": score, "text": text}
