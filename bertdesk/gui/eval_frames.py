"""The held-out predictions of each task as a table plus per-row details for the views (no Qt).

Classification rows compare one label; an NER row is a sentence whose gold and predicted entities
are compared as sets; a QA row is a question whose predicted answer is compared with the gold one
(SQuAD exact match). ``details[i]`` goes with row ``i`` of the frame: character spans to highlight.
"""

from __future__ import annotations

import numpy as np

# the frame's roles (the predictions filter searches "text", compares "true"/"predicted", ...)
ROLES = {
    "ner": {"text": "text", "true": "true", "predicted": "predicted", "confidence": "confidence", "types": "types"},
    "qa": {"text": "question", "true": "gold", "predicted": "predicted", "confidence": "score"},
}


def _row_numbers(examples) -> np.ndarray:
    rows = np.asarray(examples.rows, dtype=np.int64)
    fmt = (examples.columns or {}).get("format")
    if fmt == "conll":
        return rows                      # the line where the sentence starts
    if fmt == "squad":
        return rows + 1                  # question number
    return rows + 2                      # spreadsheet row (the header is row 1)


def _entity_text(text: str, spans) -> str:
    return "; ".join(f"{text[s:e]} ({t})" for s, e, t in spans)


def ner_frame(examples, predictions):
    """(DataFrame, details): one row per sentence; details hold gold and predicted character spans."""
    import pandas as pd

    from bertdesk.core.conll import spans as tag_spans

    true, pred, conf, correct, details, types = [], [], [], [], [], []
    for text, offsets, tags, p in zip(examples.texts, examples.offsets, examples.tags, predictions):
        gold = [(offsets[a][0], offsets[b][1], t) for t, a, b in tag_spans(tags)]
        found = [(int(e["start"]), int(e["end"]), e["type"]) for e in p["entities"]]
        true.append(_entity_text(text, gold))
        pred.append(_entity_text(text, found))
        conf.append(float(np.mean(p["scores"])) if len(p["scores"]) else 1.0)
        correct.append(set(gold) == set(found))
        types.append(" ".join(sorted({t for *_, t in gold} | {t for *_, t in found})))
        details.append({"text": text, "gold": gold, "predicted": found})
    df = pd.DataFrame({"row": _row_numbers(examples), "text": examples.texts, "true": true, "predicted": pred,
                       "types": types, "confidence": np.round(conf, 4), "correct": correct})
    return df, details


def qa_frame(examples, predictions):
    """(DataFrame, details): one row per question; details hold the context and both answers' spans."""
    import pandas as pd

    from bertdesk.core.metrics import squad_scores

    gold_text, pred_text, scores, correct, f1s, details = [], [], [], [], [], []
    for context, answers, p in zip(examples.contexts, examples.answers, predictions):
        em, f1 = squad_scores(p["answer"], answers)
        gold_text.append(" | ".join(a["text"] for a in answers) if answers else "(no answer)")
        pred_text.append(p["answer"] or "(no answer)")
        scores.append(float(p["score"]))
        correct.append(bool(em))
        f1s.append(float(f1))
        start = int(p["start"])
        details.append({"text": context,
                        "gold": [(a["start"], a["start"] + len(a["text"])) for a in answers],
                        "predicted": [(start, start + len(p["answer"]))] if start >= 0 and p["answer"] else []})
    df = pd.DataFrame({"row": _row_numbers(examples), "question": examples.questions, "gold": gold_text,
                       "predicted": pred_text, "score": np.round(scores, 4), "f1": np.round(f1s, 3),
                       "correct": correct})
    return df, details
