"""Named-entity recognition: word-level tags, first-subword labels, windows merged per word."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..i18n import QT_TRANSLATE_NOOP
from .. import conll as C
from .. import data as D
from ..cancel import check
from ..errors import DataError
from ..formats import FILE_FORMATS
from ..metrics import ner_metrics
from .base import ColumnRole, ExampleSet, Features, Task



@dataclass
class TokenExamples(ExampleSet):
    """Sentences as words (and tags); ``texts``/``offsets`` map words back into original text."""
    words: list[list[str]]
    tags: list[list[str]] | None = None
    texts: list[str] | None = None
    offsets: list[list[tuple[int, int]]] | None = None
    rows: np.ndarray | None = None
    skipped: dict[str, int] = field(default_factory=dict)
    columns: dict = field(default_factory=dict)
    path: object = None

    def __post_init__(self):
        if self.rows is None:
            self.rows = np.arange(len(self.words))
        if self.texts is None:   # words joined by spaces: offsets into that text
            self.texts, self.offsets = [], []
            for ws in self.words:
                offs, pos = [], 0
                for w in ws:
                    offs.append((pos, pos + len(w)))
                    pos += len(w) + 1
                self.texts.append(" ".join(ws))
                self.offsets.append(offs)

    @property
    def labels(self):
        return self.tags


class NerTask(Task):
    name = "ner"
    title = QT_TRANSLATE_NOOP("core", "Named-entity recognition")
    choice_title = QT_TRANSLATE_NOOP("core", "Find names and entities (NER)")
    description = QT_TRANSLATE_NOOP(
        "core", "Tag people, places, products… word by word: a CoNLL file (one word and its tag a line) "
        "or a table with a words column and a tags column (B-/I-/O tags, space-separated).")
    unit = "sentences"
    label_noun = "tags"
    roles = (ColumnRole("tokens", QT_TRANSLATE_NOOP("core", "Words column"), ("tokens", "words", "token", "word"),
                        help=QT_TRANSLATE_NOOP("core", "The sentence as words separated by spaces.")),
             ColumnRole("tags", QT_TRANSLATE_NOOP("core", "Tags column"),
                        ("tags", "ner_tags", "labels", "ner", "tag", "label"),
                        help=QT_TRANSLATE_NOOP("core", "One tag per word (O, B-TYPE, I-TYPE), separated by spaces.")))
    label_roles = (ColumnRole("text", QT_TRANSLATE_NOOP("core", "Text column"), D.TEXT_NAMES, detect="text",
                              help=QT_TRANSLATE_NOOP("core", "Plain text: it is split into words (each CJK character is a word).")),)
    input_columns = ("tokens", "text")
    file_formats = ("conll",)
    telltale_names = (("tokens", "words"), ("tags", "ner_tags"))
    main_metric = "f1"
    cards = (("f1", QT_TRANSLATE_NOOP("core", "Entity F1")),
             ("precision", QT_TRANSLATE_NOOP("core", "Entity precision")), ("recall", QT_TRANSLATE_NOOP("core", "Entity recall")),
             ("token_accuracy", QT_TRANSLATE_NOOP("core", "Token accuracy")))
    # batches of very short sentences weigh their few tokens too much when grouped by length
    # (CoNLL-2003: 77.3 vs 78.6 entity F1, README)
    group_by_length = False
    per_token = True
    label_error_kind = "tokens"
    pipeline_tag = "token-classification"
    calibration_items = "words"
    suggests_rows = True
    results_view = "entities"
    eval_roles = {"text": "text", "true": "true", "predicted": "predicted", "confidence": "confidence",
                  "types": "types"}
    search_hint = QT_TRANSLATE_NOOP("core", "Search sentences…")
    select_hint = QT_TRANSLATE_NOOP("core", "Select a sentence to see its entities.")

    temperature_kind = "softmax"          # over each word's tags
    explain_kind = "entities"

    def __init__(self, labels=None, max_length=None, long_text="window", stride=None, scheme="IOB2",
                 temperature: float = 1.0):
        super().__init__(labels, max_length, long_text, stride)
        self.scheme = scheme
        self.temperature = float(temperature)

    def state(self) -> dict:
        return {**super().state(), "scheme": self.scheme,
                **({"temperature": round(self.temperature, 6)} if self.temperature != 1.0 else {})}

    @property
    def model_class(self):
        from transformers import AutoModelForTokenClassification
        return AutoModelForTokenClassification

    # ------------------------------------------------------------ reading
    def read_examples(self, path, columns: dict, *, with_labels: bool = True, **read_kw):
        path = Path(path)
        if path.suffix.lower() in FILE_FORMATS["conll"] or (
                path.suffix.lower() == ".txt" and C.looks_like_conll(path)):
            if not path.exists():
                raise DataError("file not found", file=path)
            words, tags, starts = C.read_conll(path)
            for ts, line in zip(tags, starts):
                C.check_tags(ts, f"sentence at line {line}", path)
            ex = TokenExamples(words, self._to_iob2(tags) if with_labels else None,
                               rows=np.asarray(starts), columns={"format": "conll"}, path=path)
            return ex
        return self.examples_from_table(D.read_table(path, **read_kw), columns, with_labels=with_labels)

    def reads_as_file(self, path) -> bool:
        path = Path(path)
        return super().reads_as_file(path) or (path.suffix.lower() == ".txt" and path.is_file()
                                               and C.looks_like_conll(path))

    def error_source_columns(self, examples) -> dict:
        return {"tokens": [" ".join(ws) for ws in examples.words], "tags": [" ".join(ts) for ts in examples.tags]}

    def uncertainty(self, predictions: list[dict]) -> np.ndarray:
        """Token level: one minus the probability of the least certain word's tag."""
        return np.array([1.0 - min(p["scores"]) if len(p["scores"]) else 0.0 for p in predictions])

    def unlabeled_mask(self, df, columns: dict):
        column = columns.get("tags") or D.match_name(df.columns, self.role("tags").names)
        if not column or column not in df.columns:
            return None
        return np.array([not t.strip() for t in D.text_values(df, column)])

    def _to_iob2(self, tags):
        if C.is_iob1(tags):
            self.scheme = "IOB1"
            return [C.iob1_to_iob2(t) for t in tags]
        return tags

    def examples_from_table(self, table, columns: dict, *, with_labels: bool = True) -> TokenExamples:
        df, path = table.df, table.path
        cols = {k: v for k, v in (columns or {}).items() if v}
        if "tokens" not in cols and "text" not in cols:
            named = D.match_name(df.columns, self.role("tokens").names)
            if named is not None:
                cols["tokens"] = named
            else:
                cols["text"] = D.guess_text_column(df)
                if cols["text"] is None:
                    raise DataError("cannot tell which column holds the text; name it (--tokens-col or --text-col)",
                                    file=path)
        source = cols.get("tokens") or cols["text"]
        D.require_column(df, source, path)
        values = D.text_values(df, source)
        if with_labels:
            if "tags" not in cols:
                cols["tags"] = D.match_name([c for c in df.columns if c != source], self.role("tags").names)
                if cols["tags"] is None:
                    raise DataError("cannot tell which column holds the tags; name it (--tags-col)", file=path)
            D.require_column(df, cols["tags"], path)
            tag_values = D.text_values(df, cols["tags"])
        words, texts, offsets, tags, keep = [], [], [], [], []
        for i, value in enumerate(values):
            if not value.strip():
                continue
            if "tokens" in cols:
                ws = value.split()
                ex = TokenExamples([ws])
                texts.append(ex.texts[0])
                offsets.append(ex.offsets[0])
            else:
                ws, offs = C.split_words(value)
                texts.append(value)
                offsets.append(offs)
            if with_labels:
                ts = tag_values[i].split()
                if len(ts) != len(ws):
                    raise DataError(f"{len(ws)} tokens but {len(ts)} tags", file=path, row=i + 2,
                                    column=cols["tags"])
                C.check_tags(ts, f"row {i + 2}", path)
                tags.append(ts)
            words.append(ws)
            keep.append(i)
        if not words:
            raise DataError(f"no row has text (column '{source}')", file=path)
        ex = TokenExamples(words, self._to_iob2(tags) if with_labels else None, texts, offsets,
                           np.asarray(keep), columns=cols, path=path)
        if len(keep) < len(values):
            ex.skipped = {"empty text": len(values) - len(keep)}
        return ex

    def fit_labels(self, examples: TokenExamples) -> None:
        found = {t for ts in examples.tags for t in ts}
        types = sorted({t[2:] for t in found if t != "O"})
        if not types:
            raise DataError("no entity tags in the data (every token is O)", file=examples.path)
        self.labels = ["O"] + [f"{p}-{t}" for t in types for p in ("B", "I")]

    def split(self, examples, eval_fraction: float, seed: int):
        tr, ev = D.split_indices(list(range(len(examples))), eval_fraction, seed, stratify=False)
        return examples.subset(tr), examples.subset(ev)

    def label_counts(self, examples: TokenExamples) -> dict[str, int]:
        return dict(Counter(t for tags in examples.tags for t, _, _ in C.spans(tags)))

    def check_eval_labels(self, examples: TokenExamples) -> None:
        known = set(self.labels)
        unknown = sorted({t for ts in examples.tags for t in ts} - known)
        if unknown:
            raise DataError(f"the evaluation data has tags not seen in training: {', '.join(unknown[:5])}",
                            file=examples.path)

    # ------------------------------------------------------------ model io
    def encode(self, tokenizer, examples: TokenExamples, *, with_labels: bool = True, cancel=None) -> Features:
        ids = self.label2id
        windows = self.long_text == "window"
        items, mapping, word_ids_all = [], [], []
        chunk = 1000
        for start in range(0, len(examples), chunk):
            check(cancel)
            enc = tokenizer(examples.words[start:start + chunk], is_split_into_words=True, truncation=True,
                            max_length=self.max_length, return_overflowing_tokens=windows,
                            stride=self.stride if windows else 0, return_attention_mask=False)
            sample_map = enc.get("overflow_to_sample_mapping", list(range(len(enc["input_ids"]))))
            for i, ex_local in enumerate(sample_map):
                ex = start + ex_local
                word_ids = enc.word_ids(i)
                item = {"input_ids": enc["input_ids"][i], "token_type_ids": enc["token_type_ids"][i]}
                if with_labels and examples.tags is not None:
                    tags = examples.tags[ex]
                    labels, prev = [], None
                    for w in word_ids:
                        # only a word's first subword carries its label; the rest are ignored
                        labels.append(-100 if w is None or w == prev else ids.get(tags[w], 0))
                        prev = w
                    item["labels"] = labels
                items.append(item)
                mapping.append(ex)
                word_ids_all.append(word_ids)
        return Features(items, np.asarray(mapping, dtype=np.int64), {"word_ids": word_ids_all})

    def decode(self, outputs, features: Features, examples: TokenExamples) -> list[dict]:
        """Per word: the softmax of its first subword, averaged over the windows that hold it."""
        n_labels = len(self.labels)
        sums = [np.zeros((len(ws), n_labels)) for ws in examples.words]
        counts = [np.zeros(len(ws)) for ws in examples.words]
        for i, ex in enumerate(features.example_index):
            logits = np.asarray(outputs[i], dtype=np.float64)
            prev = None
            for pos, w in enumerate(features.extra["word_ids"][i]):
                if w is not None and w != prev and pos < len(logits):
                    row = (logits[pos] - logits[pos].max()) / self.temperature
                    p = np.exp(row) / np.exp(row).sum()
                    sums[ex][w] += p
                    counts[ex][w] += 1
                prev = w
        return [self._prediction(s / np.maximum(c, 1)[:, None], c > 0, examples.texts[ex], examples.offsets[ex])
                for ex, (s, c) in enumerate(zip(sums, counts))]

    def _prediction(self, probs: np.ndarray, seen: np.ndarray, text: str, offsets) -> dict:
        """Tags, scores and entities of one sentence from its words' probabilities (``seen``: the
        words a window held; the rest, cut off, are O)."""
        best = probs.argmax(-1) if len(probs) else np.zeros(0, dtype=int)
        tags = _repair([self.labels[b] if seen[k] else "O" for k, b in enumerate(best)])
        scores = [float(probs[k, b]) if seen[k] else 0.0 for k, b in enumerate(best)]
        return {"tags": tags, "scores": scores, "probs": probs, "seen": seen,
                "entities": self._entities(tags, scores, text, offsets)}

    @staticmethod
    def _entities(tags, scores, text, offsets) -> list[dict]:
        """Each entity with its words' mean probability ("score") and the lowest ("min_score")."""
        out = []
        for etype, a, b in C.spans(tags):
            start, end = offsets[a][0], offsets[b][1]
            out.append({"type": etype, "text": text[start:end], "start": start, "end": end,
                        "score": round(float(np.mean(scores[a:b + 1])), 4),
                        "min_score": round(float(np.min(scores[a:b + 1])), 4)})
        return out

    def temperature_inputs(self, predictions, examples):
        """Every word a window held: its tags' log-probabilities and its gold tag."""
        ids = self.label2id
        z, y = [], []
        for p, tags in zip(predictions, examples.tags):
            for k, seen in enumerate(p["seen"]):
                if seen:
                    z.append(np.log(np.clip(p["probs"][k], 1e-12, None)))
                    y.append(ids.get(tags[k], 0))
        return (np.asarray(z, dtype=np.float64).reshape(-1, len(self.labels)), np.asarray(y, dtype=np.int64))

    def calibrate(self, predictions, examples: TokenExamples):
        """One temperature over every held-out word's tags; the tags stay, their scores change."""
        from ..calibration import fit_temperature

        z, y = self.temperature_inputs(predictions, examples)
        if not len(y):
            return predictions
        old = self.temperature
        self.temperature = fit_temperature(z * old, y, "softmax")
        out = []
        for p, text, offsets in zip(predictions, examples.texts, examples.offsets):
            logp = np.log(np.clip(p["probs"], 1e-12, None)) * old / self.temperature
            probs = np.exp(logp - logp.max(-1, keepdims=True)) if len(logp) else logp
            probs = probs / probs.sum(-1, keepdims=True) if len(probs) else probs
            out.append(self._prediction(probs, p["seen"], text, offsets))
        return out

    def baseline(self, examples) -> dict:
        """No entities at all: every word O."""
        from ..metrics import ner_metrics

        metrics = ner_metrics(examples.tags, [["O"] * len(ts) for ts in examples.tags])
        return {"name": "no entities (every word O)", "f1": metrics["f1"], "token_accuracy": metrics["token_accuracy"]}

    def missed_labels(self, predictions, examples) -> dict[str, int]:
        predicted = {e["type"] for p in predictions for e in p["entities"]}
        counts = Counter(t for tags in examples.tags for t, _, _ in C.spans(tags))
        return {etype: n for etype, n in counts.items() if etype not in predicted}

    def examples_from_texts(self, texts, pairs=None) -> TokenExamples:
        split = [C.split_words(t) for t in texts]
        return TokenExamples([w for w, _ in split], None, list(texts), [o for _, o in split])

    def evaluate(self, predictions, examples: TokenExamples, *, tune: bool = False) -> dict:
        return ner_metrics(examples.tags, [p["tags"] for p in predictions])

    def output_columns(self, predictions) -> dict[str, list]:
        return {"pred_tags": [" ".join(p["tags"]) if p else "" for p in predictions],
                "pred_entities": [json.dumps(p["entities"], ensure_ascii=False) if p else "" for p in predictions]}

    def eval_table(self, examples: TokenExamples, predictions):
        """One row per sentence; gold and predicted entities compared as sets of character spans."""
        import pandas as pd

        true, pred, conf, correct, details, types = [], [], [], [], [], []
        for text, offsets, tags, p in zip(examples.texts, examples.offsets, examples.tags, predictions):
            gold = [(offsets[a][0], offsets[b][1], t) for t, a, b in C.spans(tags)]
            found = [(int(e["start"]), int(e["end"]), e["type"]) for e in p["entities"]]
            true.append(_entity_text(text, gold))
            pred.append(_entity_text(text, found))
            conf.append(float(np.mean(p["scores"])) if len(p["scores"]) else 1.0)
            correct.append(set(gold) == set(found))
            types.append(" ".join(sorted({t for *_, t in gold} | {t for *_, t in found})))
            details.append({"text": text, "gold": gold, "predicted": found})
        df = pd.DataFrame({"row": examples.row_numbers(), "text": examples.texts, "true": true,
                           "predicted": pred, "types": types, "confidence": np.round(conf, 4),
                           "correct": correct})
        return df, details


def _entity_text(text: str, spans) -> str:
    return "; ".join(f"{text[s:e]} ({t})" for s, e, t in spans)


def _repair(tags: list[str]) -> list[str]:
    """Make a predicted sequence valid IOB2: an I- that does not continue its type starts it."""
    out, prev = [], "O"
    for tag in tags:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return out
