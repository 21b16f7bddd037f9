"""Why did the model decide: integrated gradients (``captum``) on the embedding layer, summed from
word pieces to the words people read.

For one text and one target (the predicted class, or one the user names; each predicted label of a
multi-label model; each predicted entity of a NER model, through the sum of its words' tag logits;
the answer span of a QA model, through its start and end logits), every input token gets the share
of the target's output it accounts for against a baseline input in which every word piece is
[PAD] and [CLS]/[SEP] are kept. The interpolation steps run as one batch. The shares of a word's
pieces add up to the word's score; a text longer than one window is explained window by window
(the same windows as prediction), each window's shares divided by the number of windows, as the
prediction averages them. Completeness: the word scores, plus what the special tokens (and a QA
question) hold, add up to the target's output minus the baseline's, up to ``delta``.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

import numpy as np

from .cancel import check
from .errors import DataError
from .events import Progress, emit

DEFAULT_STEPS = 32
METHOD = "integrated_gradients"


@dataclass
class Explanation:
    text: str
    target: str
    delta: float                         # captum's convergence delta (summed over the windows)
    words: list[dict] = field(default_factory=list)      # {"word", "start", "end", "score"}
    output: float = 0.0                  # the target's output for the text ...
    baseline_output: float = 0.0         # ... and for the baseline
    other: float = 0.0                   # what [CLS]/[SEP] (and a QA question) hold
    method: str = METHOD

    def to_dict(self) -> dict:
        out = asdict(self)
        return {"text": out.pop("text"), "target": out.pop("target"), "method": out.pop("method"),
                "delta": round(out.pop("delta"), 6), "words": out.pop("words"), **{k: round(v, 6) for k, v in out.items()}}

    def top_words(self, k: int) -> list[dict]:
        """The ``k`` words that pushed the target most (highest scores), best first."""
        return sorted((w for w in self.words if w["score"] > 0), key=lambda w: -w["score"])[:k]


@dataclass
class _Window:
    """One model input and how its tokens map to words."""
    input_ids: list
    token_type_ids: list
    word_of_token: list           # word index per token, or None (special tokens, a QA question)
    weight: float = 1.0           # the window's share of the prediction (1 / windows)


@dataclass
class _Target:
    name: str
    windows: list                 # [(_Window, selector)], selector(outputs) -> tensor [batch]


# ---------------------------------------------------------------- the attribution itself

def _attribute(model, device, window: _Window, selector, special_ids: set, pad_id: int, steps: int):
    """(per-token attributions, delta, output, baseline output) of one window."""
    import torch
    from captum.attr import LayerIntegratedGradients

    ids = torch.tensor([window.input_ids], dtype=torch.long, device=device)
    types = torch.tensor([window.token_type_ids], dtype=torch.long, device=device)
    mask = torch.ones_like(ids)
    keep = torch.tensor([[t in special_ids for t in window.input_ids]], device=device)
    baseline = torch.where(keep, ids, torch.full_like(ids, pad_id))

    def forward(input_ids, token_type_ids, attention_mask):
        return selector(model(input_ids=input_ids, token_type_ids=token_type_ids, attention_mask=attention_mask))

    lig = LayerIntegratedGradients(forward, model.base_model.embeddings)
    with torch.enable_grad():
        attributions, delta = lig.attribute(inputs=ids, baselines=baseline, additional_forward_args=(types, mask),
                                            n_steps=steps, internal_batch_size=steps, return_convergence_delta=True)
    with torch.no_grad():
        both = forward(torch.cat([ids, baseline]), torch.cat([types, types]), torch.cat([mask, mask]))
    scores = attributions.sum(-1)[0].detach().float().cpu().numpy()
    return scores, float(delta.detach().float().sum()), float(both[0]), float(both[1])


def _explain_target(predictor, text: str, words: list, target: _Target, steps: int) -> Explanation:
    tok = predictor.tokenizer
    special = set(tok.all_special_ids) - {tok.unk_token_id}
    totals = np.zeros(len(words))
    other = delta = output = base = 0.0
    with predictor.lock:
        for window, selector in target.windows:
            scores, d, out, b = _attribute(predictor.model, predictor.device, window, selector, special,
                                           tok.pad_token_id, steps)
            for score, w in zip(scores, window.word_of_token):
                if w is None:
                    other += window.weight * score
                else:
                    totals[w] += window.weight * score
            delta += window.weight * d
            output += window.weight * out
            base += window.weight * b
    shown = [{"word": w, "start": int(s), "end": int(e), "score": round(float(v), 6)}
             for (w, s, e), v in zip(words, totals)]
    return Explanation(text, target.name, delta, shown, output, base, float(other))


# ---------------------------------------------------------------- the four kinds of target

def _text_windows(predictor, text: str, pair: str | None, words) -> list[_Window]:
    """The windows prediction reads ``text`` in (pairs: one input), tokens mapped to ``words``."""
    from .words import word_index

    task = predictor.task
    windowed = task.long_text == "window" and pair is None
    enc = predictor.tokenizer(text, pair, truncation=True, max_length=task.max_length,
                              return_overflowing_tokens=windowed, stride=task.stride if windowed else 0,
                              return_offsets_mapping=True)
    ids = enc["input_ids"] if windowed else [enc["input_ids"]]
    types = enc["token_type_ids"] if windowed else [enc["token_type_ids"]]
    offsets = enc["offset_mapping"] if windowed else [enc["offset_mapping"]]
    out = []
    for i in range(len(ids)):
        seq = enc.sequence_ids(i)
        mapping = [word_index(words, s, e) if sid == 0 and e > s else None
                   for (s, e), sid in zip(offsets[i], seq)]
        out.append(_Window(ids[i], types[i], mapping, 1.0 / len(ids)))
    return out


def _logit(index: int):
    return lambda out: out.logits[:, index]


def _class_targets(predictor, text, pair, prediction, target, words):
    task = predictor.task
    if target is not None and target not in task.labels:
        raise DataError(f"'{target}' is not one of the model's labels ({', '.join(task.labels[:10])})")
    name = target if target is not None else prediction["label"]
    windows = _text_windows(predictor, text, pair, words)
    return [_Target(name, [(w, _logit(task.labels.index(name))) for w in windows])]


def _label_targets(predictor, text, pair, prediction, target, words):
    task = predictor.task
    if target is not None and target not in task.labels:
        raise DataError(f"'{target}' is not one of the model's labels ({', '.join(task.labels[:10])})")
    names = [target] if target is not None else (list(prediction["labels"]) or
                                                 [task.labels[int(np.argmax(prediction["scores"]))]])
    windows = _text_windows(predictor, text, pair, words)
    return [_Target(n, [(w, _logit(task.labels.index(n))) for w in windows]) for n in names]


def _entity_targets(predictor, text, pair, prediction, target, words):
    """Each predicted entity: the sum of its words' logits for their predicted tags, in every window
    that holds the entity's first word."""
    task = predictor.task
    examples = task.examples_from_texts([text])
    features = task.encode(predictor.tokenizer, examples, with_labels=False)
    tags = prediction["tags"]
    entities = prediction["entities"]
    if target is not None:
        entities = [e for e in entities if e["type"] == target or e["text"] == target]
        if not entities:
            raise DataError(f"no predicted entity is '{target}'")
    from . import conll as C

    spans = list(C.spans(tags))
    out = []
    for entity, (etype, a, b) in zip(prediction["entities"], spans):
        if entity not in entities:
            continue
        windows = []
        for i, word_ids in enumerate(features.extra["word_ids"]):
            first = {}
            for pos, w in enumerate(word_ids):
                if w is not None and w not in first:
                    first[w] = pos
            if a not in first:
                continue
            picks = [(first[w], task.labels.index(tags[w])) for w in range(a, b + 1) if w in first]
            item = features.items[i]
            window = _Window(item["input_ids"], item["token_type_ids"], list(word_ids))
            windows.append((window, _tag_logits(picks)))
        for window, _ in windows:
            window.weight = 1.0 / len(windows)
        out.append(_Target(f"{etype}: {entity['text']}", windows))
    return out


def _tag_logits(picks):
    def select(out):
        return sum(out.logits[:, pos, tag] for pos, tag in picks)
    return select


def _answer_targets(predictor, question, context, prediction, target, words):
    """The answer span: its start token's start logit plus its end token's end logit, in the first
    window that holds the whole answer."""
    from .words import word_index

    task = predictor.task
    if prediction["start"] < 0 or not prediction["answer"]:
        raise DataError("the model gives no answer here: there is no span to explain")
    a, b = prediction["start"], prediction["start"] + len(prediction["answer"])
    examples = task.examples_from_texts([question], [context])
    features = task.encode(predictor.tokenizer, examples, with_labels=False)
    for i, offsets in enumerate(features.extra["offsets"]):
        inside = [j for j, o in enumerate(offsets) if o is not None]
        starts = [j for j in inside if offsets[j][0] <= a < offsets[j][1]]
        ends = [j for j in inside if offsets[j][0] < b <= offsets[j][1]]
        if starts and ends:
            s, e = starts[0], ends[-1]
            mapping = [word_index(words, o[0], o[1]) if o is not None and o[1] > o[0] else None for o in offsets]
            item = features.items[i]
            window = _Window(item["input_ids"], item["token_type_ids"], mapping)
            return [_Target(prediction["answer"], [(window, lambda out, s=s, e=e: out.start_logits[:, s]
                                                    + out.end_logits[:, e])])]
    raise DataError("the answer is not inside one window of the context; it cannot be explained")


KINDS = {"class": _class_targets, "labels": _label_targets, "entities": _entity_targets, "answer": _answer_targets}


# ---------------------------------------------------------------- entry points

def explain_text(predictor, text: str, pair: str | None = None, *, target: str | None = None,
                 steps: int = DEFAULT_STEPS, prediction: dict | None = None) -> list[Explanation]:
    """Explanations of the model's decision on one text (QA: ``text`` is the question, ``pair`` its
    context, whose words are scored)."""
    from .words import words_of

    task = predictor.task
    if not text or not text.strip():
        raise DataError("the text is empty")
    if not 2 <= int(steps) <= 512:
        raise DataError("the number of steps must be between 2 and 512")
    kind = KINDS.get(task.explain_kind or "")
    if kind is None:
        raise DataError(f"explanations are not available for {task.title}")
    prediction = prediction or predictor.predict([text], [pair] if pair is not None else None)[0]
    shown = pair if task.explain_kind == "answer" else text
    if task.explain_kind == "entities":
        examples = task.examples_from_texts([text])
        words = [(w, s, e) for w, (s, e) in zip(examples.words[0], examples.offsets[0])]
    else:
        words = words_of(shown)
    return [_explain_target(predictor, shown, words, t, int(steps))
            for t in kind(predictor, text, pair, prediction, target, words)]


def explain_rows(predictor, texts: list[str], pairs: list[str] | None = None, *, target: str | None = None,
                 steps: int = DEFAULT_STEPS, on_event=None, cancel=None) -> list[list[Explanation] | None]:
    """Explanations of many texts, with progress; an empty text gives None."""
    out, t0 = [], time.time()
    predictions = predictor.predict(texts, pairs) if texts else []
    for i, text in enumerate(texts):
        check(cancel)
        pair = pairs[i] if pairs is not None else None
        if not text or not text.strip():
            out.append(None)
        else:
            try:
                out.append(explain_text(predictor, text, pair, target=target, steps=steps, prediction=predictions[i]))
            except DataError:
                out.append([])
        elapsed = time.time() - t0
        emit(on_event, Progress("explaining", i + 1, len(texts), elapsed, elapsed / (i + 1) * (len(texts) - i - 1)))
    return out


def top_words_cell(explanations: list[Explanation] | None, k: int) -> str:
    """The labeling column: the ``k`` words that pushed the (first) target most, with their scores."""
    if not explanations:
        return ""
    return "; ".join(f"{w['word']} ({w['score']:+.2f})" for w in explanations[0].top_words(k))


def colour(score: float, scale: float) -> str:
    """A word's background: red pushed towards the target, blue against it, stronger for more."""
    strength = min(1.0, abs(score) / scale) if scale > 0 else 0.0
    red, blue = (220, 50, 47), (38, 110, 210)
    r, g, b = red if score >= 0 else blue
    alpha = round(0.08 + 0.72 * strength, 3)
    return f"rgba({r}, {g}, {b}, {alpha})"


def to_html(explanation: Explanation | dict, title: str = "") -> str:
    """A self-contained HTML page of the text with each word coloured by its score (its value when
    the pointer rests on it)."""
    from html import escape

    e = explanation.to_dict() if isinstance(explanation, Explanation) else explanation
    text, words = e["text"], e["words"]
    scale = max((abs(w["score"]) for w in words), default=0.0)
    out, pos = [], 0
    for w in words:
        out.append(escape(text[pos:w["start"]]))
        out.append(f'<span title="{w["score"]:+.4f}" style="background:{colour(w["score"], scale)};'
                   f'border-radius:3px;padding:0 1px">{escape(text[w["start"]:w["end"]])}</span>')
        pos = w["end"]
    out.append(escape(text[pos:]))
    heading = escape(title or f"Why “{e['target']}”")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + heading + "</title></head>"
            "<body style=\"font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.9\">"
            f"<h3>{heading}</h3><p>{''.join(out)}</p>"
            "<p style=\"color:#555;font-size:smaller\">Red words pushed the model towards this result, blue ones "
            f"away from it (integrated gradients, convergence delta {e['delta']:+.4f}; hover a word for its "
            "score).</p></body></html>\n")
