"""Extractive question answering: doc-stride windows over the context, n-best span decoding."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..i18n import QT_TRANSLATE_NOOP
from .. import data as D
from ..cancel import check
from ..errors import DataError
from ..formats import FILE_FORMATS
from ..metrics import best_null_threshold, squad_metrics, squad_scores
from .base import ColumnRole, ExampleSet, Features, Task

CONTEXT = ColumnRole("context", QT_TRANSLATE_NOOP("core", "Context column"),
                     ("context", "passage", "paragraph", "document", "text"))
QUESTION = ColumnRole("question", QT_TRANSLATE_NOOP("core", "Question column"), ("question", "query", "q"))


@dataclass
class QAExamples(ExampleSet):
    questions: list[str]
    contexts: list[str]
    answers: list[list[dict]] | None = None      # [{"text", "start"}], [] when unanswerable
    ids: list[str] | None = None
    groups: list[str] | None = None              # article title or context: splits keep them whole
    rows: np.ndarray | None = None
    skipped: dict[str, int] = field(default_factory=dict)
    columns: dict = field(default_factory=dict)
    path: object = None

    def __post_init__(self):
        if self.rows is None:
            self.rows = np.arange(len(self.questions))
        if self.ids is None:
            self.ids = [str(r) for r in self.rows]
        if self.groups is None:
            self.groups = list(self.contexts)

    @property
    def labels(self):
        return self.answers


def _kind(value) -> str:
    return "empty (null)" if value is None else f"a {type(value).__name__}"


def _answer_text(ans: dict, qid, path) -> str:
    text = ans.get("text") if isinstance(ans, dict) else None
    if not isinstance(text, str):
        raise DataError(f"question '{qid}': an answer's text is {_kind(text)}", file=path)
    return text


def _answer_start(ans: dict, qid, context: str, path) -> int:
    """A gold answer's character offset: a whole number inside its context."""
    value = ans.get("answer_start")
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise DataError(f"question '{qid}': answer_start is {_kind(value)}, not a number", file=path)
    start = _position(value)
    if start is None or start > len(context):
        raise DataError(f"question '{qid}': answer_start {value!r} is not a position in its context "
                        f"(0 to {len(context)})", file=path)
    return start


def _position(value) -> int | None:
    """A character offset from a cell or JSON value: a whole number, 0 or more (else None)."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if not np.isfinite(number) or number < 0 or number != int(number):
        return None
    return int(number)


def read_squad(path: Path) -> QAExamples:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError("is not valid JSON", file=path) from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("data"), list):
        raise DataError("is not SQuAD-format JSON (expected {\"data\": [{\"paragraphs\": ...}]})", file=path)
    q, c, a, ids, groups = [], [], [], [], []
    try:
        for art_no, article in enumerate(raw["data"]):
            title = str(article.get("title", art_no))
            for para in article["paragraphs"]:
                context = para["context"]
                if not isinstance(context, str):
                    raise DataError(f"article '{title}': a context is {_kind(context)}, not text", file=path)
                for qa in para["qas"]:
                    qid = qa.get("id", len(ids))
                    question = qa.get("question")
                    if isinstance(question, (int, float)) and not isinstance(question, bool):
                        question = str(question)          # a number asked as a question: odd, but text
                    if not isinstance(question, str) or not question.strip():
                        raise DataError(f"question '{qid}' has no question text ({_kind(question)})", file=path)
                    answers = [] if qa.get("is_impossible") else [
                        {"text": _answer_text(ans, qid, path), "start": _answer_start(ans, qid, context, path)}
                        for ans in qa.get("answers", [])]
                    for ans in answers:
                        if context[ans["start"]:ans["start"] + len(ans["text"])] != ans["text"]:
                            found = context.find(ans["text"])
                            if found < 0:
                                raise DataError(f"question '{qa.get('id')}': the answer '{ans['text']}' is not "
                                                "in its context", file=path)
                            ans["start"] = found
                    q.append(question)
                    c.append(context)
                    a.append(answers)
                    ids.append(str(qa.get("id", len(ids))))
                    groups.append(title)
    except (KeyError, TypeError, AttributeError) as exc:
        raise DataError(f"is not SQuAD-format JSON (missing {exc})", file=path) from exc
    if not q:
        raise DataError("has no questions", file=path)
    return QAExamples(q, c, a, ids, groups, columns={"format": "squad"}, path=path)


class QATask(Task):
    name = "qa"
    title = QT_TRANSLATE_NOOP("core", "Extractive question answering")
    choice_title = QT_TRANSLATE_NOOP("core", "Answer questions from a text (QA)")
    description = QT_TRANSLATE_NOOP(
        "core", "The model finds the answer to a question inside a passage: a SQuAD .json file or a table "
        "with context, question and answer columns (the answer must appear in the context).")
    unit = "questions"
    label_noun = None
    roles = (CONTEXT, QUESTION,
             ColumnRole("answer", QT_TRANSLATE_NOOP("core", "Answer column"),
                        ("answer", "answers", "answer_text", "answer text"),
                        help=QT_TRANSLATE_NOOP("core", "The answer as written in the context; empty when the context has none.")),
             ColumnRole("answer_start", QT_TRANSLATE_NOOP("core", "Answer position (optional)"),
                        ("answer_start", "answer start", "start"),
                        optional=True,
                        help=QT_TRANSLATE_NOOP("core", "Character offset of the answer in the context, when the answer occurs twice.")))
    label_roles = (CONTEXT, QUESTION)
    input_columns = ("context", "question")
    file_formats = ("squad",)
    telltale_names = (("context", "passage", "paragraph"), ("question", "query"))
    main_metric = "f1"
    cards = (("exact_match", QT_TRANSLATE_NOOP("core", "Exact match")),
             ("f1", QT_TRANSLATE_NOOP("core", "F1 (word overlap)")))
    format1_percent_metrics = ("exact_match", "f1", "has_answer_exact", "has_answer_f1", "no_answer_accuracy")
    default_max_length = 384
    long_text_modes = ("window",)          # a question reads its whole context
    per_token = True
    output_names = ("start_logits", "end_logits")
    results_view = "answers"
    pipeline_tag = "question-answering"
    explain_kind = "answer"
    has_pipeline = False                  # transformers 5 removed the question-answering pipeline
    score_note = QT_TRANSLATE_NOOP(
        "core", "An answer's score is its share among the best candidate spans of its context, not a calibrated probability.")
    sample_inputs = (("Where did she move?", "When did she move?"),
                     ("Ana Lima moved from Lisbon to Paris in 2019.", "Ana Lima moved from Lisbon to Paris in 2019."))
    eval_roles = {"text": "question", "true": "gold", "predicted": "predicted", "confidence": "score"}
    search_hint = QT_TRANSLATE_NOOP("core", "Search questions…")
    select_hint = QT_TRANSLATE_NOOP("core", "Select a question to see the answers in their context.")

    def __init__(self, labels=None, max_length=None, long_text="window", stride=None, n_best=20,
                 max_answer_tokens=30, null_threshold=None):
        super().__init__([], max_length, long_text, stride)
        self.n_best = n_best
        self.max_answer_tokens = max_answer_tokens
        self.null_threshold = null_threshold      # set when the data has unanswerable questions

    @staticmethod
    def default_stride(max_length: int) -> int:
        """The doc stride of SQuAD fine-tuning (128 tokens), but at most half of a short window."""
        return min(128, max_length // 2)

    def state(self) -> dict:
        return {"n_best": self.n_best, "max_answer_tokens": self.max_answer_tokens,
                "null_threshold": self.null_threshold}

    def model_kwargs(self) -> dict:
        return {}

    @property
    def model_class(self):
        from transformers import AutoModelForQuestionAnswering
        return AutoModelForQuestionAnswering

    # ------------------------------------------------------------ reading
    def read_examples(self, path, columns: dict, *, with_labels: bool = True, **read_kw):
        path = Path(path)
        if path.suffix.lower() in FILE_FORMATS["squad"]:
            if not path.exists():
                raise DataError("file not found", file=path)
            ex = read_squad(path)
            if not with_labels:
                ex.answers = None
            return ex
        return self.examples_from_table(D.read_table(path, **read_kw), columns, with_labels=with_labels)

    def examples_from_table(self, table, columns: dict, *, with_labels: bool = True) -> QAExamples:
        df, path = table.df, table.path
        cols = {k: v for k, v in (columns or {}).items() if v}
        for key in ("context", "question"):
            if key not in cols:
                cols[key] = D.match_name(df.columns, self.role(key).names)
                if cols[key] is None:
                    raise DataError(f"cannot tell which column holds the {key}; name it (--{key}-col)", file=path)
            D.require_column(df, cols[key], path)
        contexts = D.text_values(df, cols["context"])
        questions = D.text_values(df, cols["question"])
        answers = None
        if with_labels:
            if "answer" not in cols:
                cols["answer"] = D.match_name(df.columns, self.role("answer").names)
                if cols["answer"] is None:
                    raise DataError("cannot tell which column holds the answers; name it (--answer-col)", file=path)
            D.require_column(df, cols["answer"], path)
            if "answer_start" not in cols:
                found = D.match_name(df.columns, self.role("answer_start").names)
                if found:
                    cols["answer_start"] = found
            answer_texts = D.text_values(df, cols["answer"])
            starts = D.text_values(df, cols["answer_start"]) if "answer_start" in cols else None
            answers = []
            for i, (ctx, ans) in enumerate(zip(contexts, answer_texts)):
                answers.append(self._locate(ctx, ans, starts[i] if starts else "", i + 2, cols, path))
        keep = [i for i, (c, q) in enumerate(zip(contexts, questions)) if c.strip() and q.strip()]
        if not keep:
            raise DataError("no row has both a context and a question", file=path)
        ex = QAExamples(questions, contexts, answers, columns=cols, path=path).subset(keep)
        if len(keep) < len(contexts):
            ex.skipped = {"empty context or question": len(contexts) - len(keep)}
        return ex

    @staticmethod
    def _locate(context: str, answer: str, start: str, row: int, cols: dict, path) -> list[dict]:
        answer = answer.strip()
        if not answer:
            return []   # unanswerable
        if start.strip():
            s = _position(start.strip())
            if s is None or s > len(context):
                raise DataError(f"answer start '{start.strip()}' is not a position in the context (a whole number "
                                f"from 0 to {len(context)})", file=path, row=row, column=cols.get("answer_start"))
            if context[s:s + len(answer)] == answer:
                return [{"text": answer, "start": s}]
        s = context.find(answer)
        if s < 0:
            lowered = context.lower().find(answer.lower())
            if lowered < 0:
                raise DataError(f"the answer '{answer[:40]}' is not in its context", file=path, row=row,
                                column=cols.get("answer"))
            s, answer = lowered, context[lowered:lowered + len(answer)]
        return [{"text": answer, "start": s}]

    def fit_labels(self, examples) -> None:
        self.labels = []

    def split(self, examples: QAExamples, eval_fraction: float, seed: int):
        """Hold out whole articles (or contexts), so no context is in both sets."""
        groups = sorted(set(examples.groups))
        if len(groups) < 2:
            raise DataError("every question shares one context; add more contexts or an evaluation file",
                            file=examples.path)
        rng = np.random.default_rng(seed)
        order = rng.permutation(len(groups))
        target = eval_fraction * len(examples)
        sizes = {g: 0 for g in groups}
        for g in examples.groups:
            sizes[g] += 1
        held, count = set(), 0
        for k in order:
            if count >= target and held:
                break
            held.add(groups[k])
            count += sizes[groups[k]]
        if len(held) == len(groups):
            held.discard(groups[order[-1]])
        ev = [i for i, g in enumerate(examples.groups) if g in held]
        tr = [i for i, g in enumerate(examples.groups) if g not in held]
        return examples.subset(tr), examples.subset(ev)

    def split_sizes(self, examples, eval_fraction: float, seed: int) -> tuple[int, int]:
        train, held = self.split(examples, eval_fraction, seed)     # by context: the split itself decides
        return len(train), len(held)

    def check_eval_labels(self, examples) -> None:
        return None

    def label_counts(self, examples: QAExamples) -> dict[str, int]:
        answered = sum(1 for a in examples.answers if a)
        counts = {"answer in the context": answered}
        if answered < len(examples.answers):
            counts["no answer"] = len(examples.answers) - answered
        return counts

    def approx_sizes(self, examples, idx, count) -> list[tuple[int, int]]:
        return [(count(examples.contexts[i]), 3 + count(examples.questions[i])) for i in idx]

    # ------------------------------------------------------------ model io
    def encode(self, tokenizer, examples: QAExamples, *, with_labels: bool = True, cancel=None) -> Features:
        items, mapping, offsets_all = [], [], []
        questions = [q.lstrip() for q in examples.questions]   # leading spaces waste window room
        chunk = 500
        for start in range(0, len(examples), chunk):
            check(cancel)
            enc = tokenizer(questions[start:start + chunk], examples.contexts[start:start + chunk],
                            truncation="only_second", max_length=self.max_length, stride=self.stride,
                            return_overflowing_tokens=True, return_offsets_mapping=True,
                            return_attention_mask=False)
            for i, ex_local in enumerate(enc["overflow_to_sample_mapping"]):
                ex = start + ex_local
                seq_ids = enc.sequence_ids(i)
                offsets = [o if s == 1 else None for o, s in zip(enc["offset_mapping"][i], seq_ids)]
                item = {"input_ids": enc["input_ids"][i], "token_type_ids": enc["token_type_ids"][i]}
                if with_labels and examples.answers is not None:
                    item["start_positions"], item["end_positions"] = _positions(
                        offsets, examples.answers[ex])
                items.append(item)
                mapping.append(ex)
                offsets_all.append(offsets)
        return Features(items, np.asarray(mapping, dtype=np.int64), {"offsets": offsets_all})

    def decode(self, outputs, features: Features, examples: QAExamples) -> list[dict]:
        null = np.full(len(examples), np.inf)
        cands: list[list[tuple[float, int, int]]] = [[] for _ in range(len(examples))]
        for i, ex in enumerate(features.example_index):
            logits = np.asarray(outputs[i], dtype=np.float64)
            offsets = features.extra["offsets"][i]
            n = min(len(offsets), len(logits))
            start_l, end_l = logits[:n, 0], logits[:n, 1]
            null[ex] = min(null[ex], start_l[0] + end_l[0])
            ctx = np.array([o is not None for o in offsets[:n]])
            if not ctx.any():
                continue
            s_masked = np.where(ctx, start_l, -np.inf)
            e_masked = np.where(ctx, end_l, -np.inf)
            k = min(self.n_best, int(ctx.sum()))
            top_s = np.argpartition(-s_masked, k - 1)[:k]
            top_e = np.argpartition(-e_masked, k - 1)[:k]
            for s in top_s:
                for e in top_e:
                    if e < s or e - s + 1 > self.max_answer_tokens:
                        continue
                    cands[ex].append((float(start_l[s] + end_l[e]), offsets[s][0], offsets[e][1]))
        out = []
        for ex in range(len(examples)):
            context = examples.contexts[ex]
            if not cands[ex]:
                out.append({"answer": "", "start": -1, "score": 0.0, "null_diff": float("inf")})
                continue
            scores = np.array([c[0] for c in cands[ex]])
            top = int(scores.argmax())
            probs = np.exp(scores - scores.max())
            probs /= probs.sum()
            score, a, b = cands[ex][top]
            pred = {"answer": context[a:b], "start": int(a), "score": float(probs[top]),
                    "null_diff": float(null[ex] - score)}
            if self.null_threshold is not None and pred["null_diff"] > self.null_threshold:
                pred.update(answer="", start=-1)
            out.append(pred)
        return out

    def calibrate(self, predictions, examples: QAExamples):
        """The no-answer threshold, for data with unanswerable questions. The span score is not
        temperature-scaled: it is the answer's share among the best candidate spans."""
        if examples.answers is not None and any(not a for a in examples.answers):
            self.null_threshold = best_null_threshold(predictions, examples.answers)
        return predictions

    def baseline(self, examples: QAExamples) -> dict:
        """The better of two answers that need no model: nothing, or the context's first sentence."""
        first = [re.split(r"(?<=[.!?])\s+|(?<=[。！？])", c.strip(), maxsplit=1)[0] for c in examples.contexts]
        empty = squad_metrics([""] * len(examples), examples.answers)
        sentence = squad_metrics(first, examples.answers)
        if empty["f1"] >= sentence["f1"]:
            return {"name": "no answer", "exact_match": empty["exact_match"], "f1": empty["f1"]}
        return {"name": "the context's first sentence", "exact_match": sentence["exact_match"], "f1": sentence["f1"]}

    def evaluate(self, predictions, examples: QAExamples, *, tune: bool = False) -> dict:
        return squad_metrics([p["answer"] for p in predictions], examples.answers)

    def output_columns(self, predictions) -> dict[str, list]:
        return {"pred_answer": [p["answer"] if p else "" for p in predictions],
                "pred_score": [round(p["score"], 4) if p else None for p in predictions],
                "pred_start": [p["start"] if p else None for p in predictions]}

    def adaptation_texts(self, examples):
        return list(dict.fromkeys(examples.contexts))        # each context once

    def explain_inputs(self, examples):
        return list(examples.questions), list(examples.contexts)

    def examples_from_texts(self, texts, pairs=None) -> QAExamples:
        if pairs is None:
            raise DataError("question answering needs a question and a context")
        return QAExamples(list(texts), list(pairs))

    def eval_table(self, examples: QAExamples, predictions):
        """One row per question; the predicted answer against the gold one (SQuAD exact match)."""
        import pandas as pd

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
        df = pd.DataFrame({"row": examples.row_numbers(), "question": examples.questions, "gold": gold_text,
                           "predicted": pred_text, "score": np.round(scores, 4), "f1": np.round(f1s, 3),
                           "correct": correct})
        return df, details

    def describe_prediction(self, prediction: dict) -> tuple[str, float | None]:
        return prediction["answer"], float(prediction["score"])


def _positions(offsets: list, answers: list[dict]) -> tuple[int, int]:
    """Token positions of the first answer inside this window, or (0, 0) (the [CLS] token)."""
    if not answers:
        return 0, 0
    a = answers[0]["start"]
    b = a + len(answers[0]["text"])
    ctx = [i for i, o in enumerate(offsets) if o is not None]
    if not ctx or offsets[ctx[0]][0] > a or offsets[ctx[-1]][1] < b:
        return 0, 0
    s = next(i for i in ctx if offsets[i][1] > a)
    e = next(i for i in reversed(ctx) if offsets[i][0] < b)
    return s, e
