"""What the Results page shows: a model's predictions on its held-out examples, rebuilt the way
training split them, and the attention map of one text."""

from __future__ import annotations

from pathlib import Path

from .imports import ensure_imported
from .predictors import predictor_for


def evaluation(model_dir, *, on_event=None, cancel=None) -> dict:
    """{"meta", "model_dir", "predictions" (DataFrame or None), "details", "note", "previous"}: the
    task's held-out table (``Task.eval_table``) and per-row details for the detail view; "previous"
    the model this one was retrained from, measured on the same held-out rows (or None)."""
    from ..core.events import Log, emit
    from ..core.prepare import prepare_data
    from ..core.tasks import task_for_config

    ensure_imported()
    predictor = predictor_for(model_dir)
    config = predictor.folder.config
    result = {"meta": predictor.meta, "model_dir": str(model_dir), "predictions": None, "details": None, "note": "",
              "previous": None}
    if predictor.task.measured_in_training:
        result["note"] = "A pre-trained model fills in masked words: try it below."
        return result
    if not config.train_file or not Path(config.train_file).exists():
        result["note"] = "The training file is no longer where it was: predictions cannot be rebuilt."
        return result
    data = prepare_data(config, task_for_config(config), on_event)
    predictions = predictor.predict_examples(data.eval, on_event=on_event, cancel=cancel)
    df, details = predictor.task.eval_table(data.eval, predictions)
    emit(on_event, Log(f"Predicted {len(df)} held-out {predictor.task.unit}"))
    result.update(predictions=df, details=details, previous=previous_on(config.compare_to, data.eval, on_event=on_event,
                                                                         cancel=cancel))
    return result


def previous_on(model_dir, examples, *, on_event=None, cancel=None) -> dict | None:
    """The metrics of the model at ``model_dir`` on ``examples`` (another model's held-out rows):
    {"model_dir", "name", "metrics"}, or None when it cannot be (folder gone, a label of these rows
    it never learnt)."""
    from ..core.errors import BertdeskError
    from ..core.events import Log, emit
    from ..core.predictor import Predictor

    if not model_dir or not Path(model_dir).is_dir():
        return None
    try:
        previous = Predictor.load(model_dir)       # not kept: the page's model stays the one in memory
        predictions = previous.predict_examples(examples, cancel=cancel)
        metrics = previous.task.evaluate(predictions, examples)
    except (BertdeskError, KeyError, ValueError) as exc:
        emit(on_event, Log(f"The previous model could not be measured on these rows: {exc}", "warning"))
        return None
    return {"model_dir": str(model_dir), "name": Path(model_dir).name, "metrics": metrics}


def attention(model_dir, text: str, pair: str | None = None, *, on_event=None, cancel=None) -> dict:
    """{"tokens", "attentions" [layer, head, query, key], "words", "word_of_token" (None when the
    tokenizer gives no offsets), "label", "score", "text"} for one text."""
    from ..core.attention import attention_of

    ensure_imported()
    predictor = predictor_for(model_dir)
    res = attention_of(predictor, text, pair)
    label, score = predictor.task.describe_prediction(res.prediction) if res.prediction else ("", None)
    return {"tokens": list(res.tokens), "attentions": res.attentions, "words": res.words,
            "word_of_token": res.word_of_token, "label": label, "score": score, "text": text}


def explanation(model_dir, text: str, pair: str | None = None, target: str | None = None, steps: int = 32, *,
                on_event=None, cancel=None) -> dict:
    """{"model_dir", "text", "pair", "explanations" [dicts of core.explain.Explanation]} for one text
    (QA: the question, with its context as ``pair``)."""
    from ..core.explain import explain_text

    ensure_imported()
    predictor = predictor_for(model_dir)
    found = explain_text(predictor, text, pair, target=target, steps=steps)
    return {"model_dir": str(model_dir), "text": text, "pair": pair, "explanations": [e.to_dict() for e in found]}


def fill(model_dir, text: str, top_k: int = 10, *, on_event=None, cancel=None) -> dict:
    """{"model_dir", "text", "predictions" [{"token", "score"}] or None (no [MASK])} (core.fill_mask)."""
    from ..core.fill_mask import fill_mask

    ensure_imported()
    [found] = fill_mask(model_dir, [text], top_k)
    return {"model_dir": str(model_dir), "text": text, "predictions": found}
