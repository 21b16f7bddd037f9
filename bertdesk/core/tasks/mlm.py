"""Pre-training on the user's own text: BERT's masked language model (and, when asked, its
next-sentence prediction), continued on a sheet's texts before fine-tuning.

Whole words are masked: 15 % of the words of each window (each CJK character counts as a word), all
their pieces; of the masked pieces 80 % become [MASK], 10 % a random piece, 10 % stay. The masks are
drawn again for every batch. With next-sentence pairs, each example is two sentences: the next
one of the same text half of the time, a random sentence of another text otherwise.

Not a fine-tuning task: the wizard offers it as "Adapt the model to my text first", the command line
as ``bertdesk-cli pretrain``. The model folder it writes (task ``mlm``) loads in
``transformers.pipeline("fill-mask")`` and is a starting point for any fine-tuning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..i18n import QT_TRANSLATE_NOOP
from .. import data as D
from ..cancel import check
from ..errors import DataError
from .base import ColumnRole, ExampleSet, Features, Task

MASK_SHARE = 0.15
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")
TEXT_SUFFIXES = (".txt", ".text", ".md")


@dataclass
class Documents(ExampleSet):
    """Texts to learn from (no labels); ``rows`` where each came from."""
    texts: list[str]
    rows: np.ndarray | None = None
    skipped: dict[str, int] = field(default_factory=dict)
    columns: dict = field(default_factory=dict)
    path: object = None

    def __post_init__(self):
        if self.rows is None:
            self.rows = np.arange(len(self.texts))

    @property
    def labels(self):
        return None


def read_text_documents(path: Path) -> Documents:
    """A plain text file: one document a line, or, when blank lines separate them, one a paragraph."""
    lines = D.read_text_lines(path)
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    between = lines[filled[0]:filled[-1] + 1] if filled else []
    if any(not ln.strip() for ln in between):          # blank lines between texts: paragraphs
        docs, current, starts, start = [], [], [], None
        for i, line in enumerate(lines, start=1):
            if line.strip():
                current.append(line.strip())
                start = start or i
            elif current:
                docs.append(" ".join(current))
                starts.append(start)
                current, start = [], None
        if current:
            docs.append(" ".join(current))
            starts.append(start)
        return Documents(docs, np.asarray(starts), columns={"format": "text"}, path=path)
    kept = [(i, ln.strip()) for i, ln in enumerate(lines, start=1) if ln.strip()]
    return Documents([t for _, t in kept], np.asarray([i for i, _ in kept]), columns={"format": "text"}, path=path)


class MlmTask(Task):
    name = "mlm"
    title = QT_TRANSLATE_NOOP("core", "Pre-training on your text (masked language model)")
    choice_title = QT_TRANSLATE_NOOP("core", "Adapt the model to my text (pre-training)")
    description = QT_TRANSLATE_NOOP(
        "core", "Continue BERT's own pre-training on your texts, labeled or not: the model learns your "
        "domain's words before it is fine-tuned.")
    unit = "texts"
    label_noun = None
    fine_tunes = False                      # not offered as a task of the wizard or of train --task
    roles = (ColumnRole("text", QT_TRANSLATE_NOOP("core", "Text column"), D.TEXT_NAMES, detect="text",
                        help=QT_TRANSLATE_NOOP("core", "The texts to learn from.")),)
    label_roles = ()
    file_formats = ("text",)
    main_metric = "masked_accuracy"
    cards = (("masked_accuracy", QT_TRANSLATE_NOOP("core", "Masked-word accuracy")),
             ("masked_top5", QT_TRANSLATE_NOOP("core", "Top-5 accuracy")),
             ("perplexity", QT_TRANSLATE_NOOP("core", "Perplexity")),
             ("nsp_accuracy", QT_TRANSLATE_NOOP("core", "Next-sentence accuracy")))
    plain_cards = ("perplexity",)
    results_view = "fill-mask"
    per_token = True
    pipeline_tag = "fill-mask"
    evaluate_first = True                   # the held-out scores before training: the fresh head's
    measured_in_training = True             # metrics from the trainer's own predictions (trainer_metrics)
    best_by = ("loss", False)               # the held-out loss: steadier than the accuracy of a few masked words
    select_hint = QT_TRANSLATE_NOOP(
        "core", "Type a sentence with [MASK] below to see the words the model would put there.")

    def __init__(self, labels=None, max_length=None, long_text="window", stride=None, nsp: bool = False):
        super().__init__([], max_length, "window", stride)
        self.nsp = bool(nsp)
        self._mask_id = None
        self._vocab_size = None
        self._special_ids: set = set()

    def state(self) -> dict:
        return {"nsp": self.nsp}

    @property
    def model_class(self):
        if self.nsp:
            from transformers import BertForPreTraining
            return BertForPreTraining
        from transformers import AutoModelForMaskedLM
        return AutoModelForMaskedLM

    def model_kwargs(self) -> dict:
        return {}

    def loading_notes(self, source: str) -> list[str]:
        """Said in the log before training: a model without a masked-language-model head gets a new one."""
        if not has_mlm_head(source):
            return ["This model has no masked-language-model head: a new one is made (its output layer tied to "
                    "the word embeddings, a fresh transform layer) and learns from your text."]
        return []

    # ------------------------------------------------------------ data
    def reads_as_file(self, path) -> bool:
        return Path(path).suffix.lower() in TEXT_SUFFIXES

    def read_examples(self, path, columns: dict, *, with_labels: bool = True, **read_kw):
        path = Path(path)
        if self.reads_as_file(path):
            if not path.exists():
                raise DataError("file not found", file=path)
            docs = read_text_documents(path)
            if not docs.texts:
                raise DataError("has no text", file=path)
            return docs
        return self.examples_from_table(D.read_table(path, **read_kw), columns)

    def examples_from_table(self, table, columns: dict, *, with_labels: bool = True) -> Documents:
        df = table.df
        cols = {"text": (columns or {}).get("text") or D.guess_text_column(df)}
        if cols["text"] is None:
            raise DataError("cannot tell which column holds the text; name it (--text-col)", file=table.path)
        D.require_column(df, cols["text"], table.path)
        texts = D.text_values(df, cols["text"])
        keep = [i for i, t in enumerate(texts) if t.strip()]
        if not keep:
            raise DataError(f"no row has text (column '{cols['text']}')", file=table.path)
        docs = Documents([texts[i].strip() for i in keep], np.asarray(keep), columns=cols, path=table.path)
        if len(keep) < len(texts):
            docs.skipped = {"empty text": len(texts) - len(keep)}
        return docs

    def examples_from_texts(self, texts, pairs=None) -> Documents:
        return Documents(list(texts))

    def fit_labels(self, examples) -> None:
        if len(examples) < 2:
            raise DataError("at least two texts are needed (one of them is held out to measure the learning)",
                            file=examples.path)

    def check_eval_labels(self, examples) -> None:
        return None

    def split(self, examples, eval_fraction: float, seed: int):
        tr, ev = D.split_indices(list(range(len(examples))), eval_fraction, seed, stratify=False)
        return examples.subset(tr), examples.subset(ev)

    def label_counts(self, examples) -> dict[str, int]:
        return {}

    def error_source_columns(self, examples) -> dict:
        return {"text": list(examples.texts)}

    # ------------------------------------------------------------ model inputs
    def encode(self, tokenizer, examples: Documents, *, with_labels: bool = True, cancel=None) -> Features:
        """Windows of whole words (each with its pieces' word ids, for whole-word masking); with
        next-sentence pairs, one example per sentence pair."""
        from ..conll import split_words

        self._mask_id = tokenizer.mask_token_id
        self._vocab_size = len(tokenizer)
        self._special_ids = set(tokenizer.all_special_ids)
        if self._mask_id is None:
            raise DataError("this model's tokenizer has no [MASK] token: it cannot learn by filling in words")
        if self.nsp:
            return self._encode_pairs(tokenizer, examples, cancel)
        items, mapping = [], []
        for start in range(0, len(examples), 1000):
            check(cancel)
            words = [split_words(t)[0] or [t] for t in examples.texts[start:start + 1000]]
            enc = tokenizer(words, is_split_into_words=True, truncation=True, max_length=self.max_length,
                            return_overflowing_tokens=True, stride=0, return_attention_mask=False)
            for i, ex in enumerate(enc["overflow_to_sample_mapping"]):
                items.append({"input_ids": enc["input_ids"][i], "token_type_ids": enc["token_type_ids"][i],
                              "word_ids": [-1 if w is None else w for w in enc.word_ids(i)]})
                mapping.append(start + ex)
        return Features(items, np.asarray(mapping, dtype=np.int64))

    def _encode_pairs(self, tokenizer, examples: Documents, cancel) -> Features:
        from ..conll import split_words

        rng = np.random.default_rng(len(examples))
        sentences = [[s for s in SENTENCE_END.split(t) if s.strip()] for t in examples.texts]
        pairs, mapping = [], []
        for d, sents in enumerate(sentences):
            for k in range(len(sents) - 1):
                if rng.random() < 0.5 or len(sentences) < 2:
                    pairs.append((sents[k], sents[k + 1], 0))             # 0: B follows A
                else:
                    other = int(rng.integers(len(sentences) - 1))
                    other += other >= d
                    pick = sentences[other][int(rng.integers(len(sentences[other])))] if sentences[other] else sents[k]
                    pairs.append((sents[k], pick, 1))                    # 1: B is from another text
                mapping.append(d)
        if not pairs:
            raise DataError("next-sentence pairs need texts of at least two sentences", file=examples.path)
        items = []
        for start in range(0, len(pairs), 1000):
            check(cancel)
            part = pairs[start:start + 1000]
            enc = tokenizer([split_words(a)[0] or [a] for a, _, _ in part], [split_words(b)[0] or [b] for _, b, _ in part],
                            is_split_into_words=True, truncation="longest_first", max_length=self.max_length,
                            return_attention_mask=False)
            for i, (_, _, label) in enumerate(part):
                seq = enc.sequence_ids(i)
                words = [-1 if w is None else w + (100000 if s == 1 else 0) for w, s in zip(enc.word_ids(i), seq)]
                items.append({"input_ids": enc["input_ids"][i], "token_type_ids": enc["token_type_ids"][i],
                              "word_ids": words, "next_sentence_label": label})
        return Features(items, np.asarray(mapping, dtype=np.int64))

    def collate(self, pad_id: int):
        """Pad, then mask whole words afresh in every batch (80 % [MASK], 10 % a random piece, 10 % kept)."""
        import torch

        mask_id, vocab, special = self._mask_id, self._vocab_size, self._special_ids

        def collate(batch: list[dict]) -> dict:
            width = max(len(f["input_ids"]) for f in batch)
            n = len(batch)
            ids = torch.full((n, width), pad_id, dtype=torch.long)
            types = torch.zeros((n, width), dtype=torch.long)
            attention = torch.zeros((n, width), dtype=torch.long)
            labels = torch.full((n, width), -100, dtype=torch.long)
            for i, f in enumerate(batch):
                length = len(f["input_ids"])
                row = torch.as_tensor(f["input_ids"])
                ids[i, :length] = row
                types[i, :length] = torch.as_tensor(f["token_type_ids"])
                attention[i, :length] = 1
                words = f["word_ids"]
                chosen = sorted({w for w in words if w >= 0})
                if not chosen:
                    continue
                k = max(1, int(round(MASK_SHARE * len(chosen))))
                picked = set(np.random.choice(chosen, size=min(k, len(chosen)), replace=False).tolist())
                for pos, w in enumerate(words):
                    if w in picked and int(row[pos]) not in special:
                        labels[i, pos] = row[pos]
                        roll = np.random.random()
                        if roll < 0.8:
                            ids[i, pos] = mask_id
                        elif roll < 0.9:
                            ids[i, pos] = int(np.random.randint(vocab))
            out = {"input_ids": ids, "attention_mask": attention, "token_type_ids": types, "labels": labels}
            if "next_sentence_label" in batch[0]:
                out["next_sentence_label"] = torch.tensor([f["next_sentence_label"] for f in batch], dtype=torch.long)
            return out

        return collate

    # ------------------------------------------------------------ what training reports
    def reduce_logits(self, logits, labels):
        """Trainer's ``preprocess_logits_for_metrics``: the five most likely pieces at every position
        (keeps the vocabulary-wide logits out of memory), and the next-sentence guess."""
        if isinstance(logits, (tuple, list)):
            mlm, nsp = logits[0], logits[1]
            return mlm.topk(5, dim=-1).indices, nsp.argmax(-1)
        return logits.topk(5, dim=-1).indices

    def trainer_metrics(self, predictions, label_ids) -> dict:
        """Masked-word accuracy (top 1 and top 5) of the masked pieces, and next-sentence accuracy."""
        labels = label_ids[0] if isinstance(label_ids, (tuple, list)) else label_ids
        top5 = predictions[0] if isinstance(predictions, (tuple, list)) else predictions
        top5, labels = np.asarray(top5), np.asarray(labels)
        width = min(top5.shape[1], labels.shape[1])
        top5, labels = top5[:, :width], labels[:, :width]
        masked = labels != -100
        out = {"masked_accuracy": 0.0, "masked_top5": 0.0, "masked_pieces": int(masked.sum())}
        if masked.any():
            out["masked_accuracy"] = float((top5[..., 0][masked] == labels[masked]).mean())
            out["masked_top5"] = float((top5[masked] == labels[masked][:, None]).any(-1).mean())
        if isinstance(predictions, (tuple, list)) and len(predictions) > 1 and isinstance(label_ids, (tuple, list)):
            out["nsp_accuracy"] = float((np.asarray(predictions[1]) == np.asarray(label_ids[1])).mean())
        return out

    # ------------------------------------------------------------ the Task protocol's other half
    def decode(self, outputs, features: Features, examples) -> list[dict]:
        raise DataError("a pre-trained model fills in masked words: use fill-mask, not labeling")

    def evaluate(self, predictions, examples, *, tune: bool = False) -> dict:
        raise DataError("a pre-trained model is measured while it trains (masked-word accuracy)")

    def output_columns(self, predictions) -> dict[str, list]:
        return {"pred_tokens": [p["tokens"] if p else "" for p in predictions],
                "pred_scores": [p["scores"] if p else "" for p in predictions]}

    def eval_table(self, examples, predictions):
        import pandas as pd

        return pd.DataFrame({"row": [], "text": [], "true": [], "predicted": [], "correct": []}), None


def has_mlm_head(source) -> bool:
    """Whether the weights at ``source`` (a folder) hold a masked-language-model head. A hub id not
    on disk counts as having one (pipeline models usually do); loading will tell."""
    folder = Path(str(source))
    files = sorted(folder.glob("*.safetensors")) if folder.is_dir() else []
    if not files:
        return not folder.is_dir()
    from safetensors import safe_open

    for f in files:
        with safe_open(str(f), "pt") as fh:
            if any(k.startswith("cls.predictions.transform") for k in fh.keys()):
                return True
    return False
