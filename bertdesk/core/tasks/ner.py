"""Named-entity recognition: word-level tags, first-subword labels, windows merged per word."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import conll as C
from .. import data as D
from ..cancel import check
from ..errors import DataError
from ..metrics import ner_metrics
from .base import ExampleSet, Features, Task

TOKEN_NAMES = ("tokens", "words", "token", "word")
TAG_NAMES = ("tags", "ner_tags", "labels", "ner", "tag", "label")


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
    title = "Named-entity recognition"
    main_metric = "f1"
    input_columns = ("tokens", "text")

    def __init__(self, labels=None, max_length=128, long_text="window", stride=None, scheme="IOB2"):
        super().__init__(labels, max_length, long_text, stride)
        self.scheme = scheme

    def to_config(self) -> dict:
        return {**super().to_config(), "scheme": self.scheme}

    @property
    def model_class(self):
        from transformers import AutoModelForTokenClassification
        return AutoModelForTokenClassification

    # ------------------------------------------------------------ reading
    def read_examples(self, path, columns: dict, *, with_labels: bool = True, **read_kw):
        path = Path(path)
        if path.suffix.lower() in (".conll", ".iob", ".bio", ".conllu") or (
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

    def _to_iob2(self, tags):
        if C.is_iob1(tags):
            self.scheme = "IOB1"
            return [C.iob1_to_iob2(t) for t in tags]
        return tags

    def examples_from_table(self, table, columns: dict, *, with_labels: bool = True) -> TokenExamples:
        df, path = table.df, table.path
        cols = {k: v for k, v in (columns or {}).items() if v}
        if "tokens" not in cols and "text" not in cols:
            named = D._match_name(df.columns, TOKEN_NAMES)
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
                cols["tags"] = D._match_name([c for c in df.columns if c != source], TAG_NAMES)
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
                    row = logits[pos] - logits[pos].max()
                    p = np.exp(row) / np.exp(row).sum()
                    sums[ex][w] += p
                    counts[ex][w] += 1
                prev = w
        preds = []
        for ex, (s, c) in enumerate(zip(sums, counts)):
            probs = s / np.maximum(c, 1)[:, None]
            best = probs.argmax(-1) if len(probs) else np.zeros(0, dtype=int)
            tags = [self.labels[b] if c[k] else "O" for k, b in enumerate(best)]  # words cut off: O
            tags = _repair(tags)
            scores = [float(probs[k, b]) if c[k] else 0.0 for k, b in enumerate(best)]
            preds.append({"tags": tags, "scores": scores,
                          "entities": self._entities(tags, scores, examples.texts[ex], examples.offsets[ex])})
        return preds

    @staticmethod
    def _entities(tags, scores, text, offsets) -> list[dict]:
        out = []
        for etype, a, b in C.spans(tags):
            start, end = offsets[a][0], offsets[b][1]
            out.append({"type": etype, "text": text[start:end], "start": start, "end": end,
                        "score": round(float(np.mean(scores[a:b + 1])), 4)})
        return out

    def examples_from_texts(self, texts, pairs=None) -> TokenExamples:
        split = [C.split_words(t) for t in texts]
        return TokenExamples([w for w, _ in split], None, list(texts), [o for _, o in split])

    def evaluate(self, predictions, examples: TokenExamples, *, tune: bool = False) -> dict:
        return ner_metrics(examples.tags, [p["tags"] for p in predictions])

    def output_columns(self, predictions) -> dict[str, list]:
        return {"pred_tags": [" ".join(p["tags"]) if p else "" for p in predictions],
                "pred_entities": [json.dumps(p["entities"], ensure_ascii=False) if p else "" for p in predictions]}


def _repair(tags: list[str]) -> list[str]:
    """Make a predicted sequence valid IOB2: an I- that does not continue its type starts it."""
    out, prev = [], "O"
    for tag in tags:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return out
