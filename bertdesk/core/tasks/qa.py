"""Extractive question answering: doc-stride windows over the context, n-best span decoding."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import data as D
from ..cancel import check
from ..errors import DataError
from ..metrics import best_null_threshold, squad_metrics
from .base import ExampleSet, Features, Task

CONTEXT_NAMES = ("context", "passage", "paragraph", "document", "text")
QUESTION_NAMES = ("question", "query", "q")
ANSWER_NAMES = ("answer", "answers", "answer_text", "answer text")
START_NAMES = ("answer_start", "answer start", "start")


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
                for qa in para["qas"]:
                    answers = [] if qa.get("is_impossible") else [
                        {"text": ans["text"], "start": int(ans["answer_start"])} for ans in qa.get("answers", [])]
                    for ans in answers:
                        if context[ans["start"]:ans["start"] + len(ans["text"])] != ans["text"]:
                            found = context.find(ans["text"])
                            if found < 0:
                                raise DataError(f"question '{qa.get('id')}': the answer '{ans['text']}' is not "
                                                "in its context", file=path)
                            ans["start"] = found
                    q.append(qa["question"])
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
    title = "Extractive question answering"
    main_metric = "f1"
    input_columns = ("context", "question")

    def __init__(self, labels=None, max_length=384, long_text="window", stride=128, n_best=20,
                 max_answer_tokens=30, null_threshold=None):
        super().__init__([], max_length, "window", stride)
        self.n_best = n_best
        self.max_answer_tokens = max_answer_tokens
        self.null_threshold = null_threshold      # set when the data has unanswerable questions

    def to_config(self) -> dict:
        return {"max_length": self.max_length, "stride": self.stride, "n_best": self.n_best,
                "max_answer_tokens": self.max_answer_tokens, "null_threshold": self.null_threshold}

    def model_kwargs(self) -> dict:
        return {}

    @property
    def model_class(self):
        from transformers import AutoModelForQuestionAnswering
        return AutoModelForQuestionAnswering

    @staticmethod
    def model_outputs(out) -> np.ndarray:
        return np.stack([out.start_logits.float().cpu().numpy(), out.end_logits.float().cpu().numpy()], -1)

    @staticmethod
    def trainer_outputs(predictions):
        start, end = predictions[:2]
        return np.stack([start, end], -1)

    # ------------------------------------------------------------ reading
    def read_examples(self, path, columns: dict, *, with_labels: bool = True, **read_kw):
        path = Path(path)
        if path.suffix.lower() == ".json":
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
        for key, names in (("context", CONTEXT_NAMES), ("question", QUESTION_NAMES)):
            if key not in cols:
                cols[key] = D._match_name(df.columns, names)
                if cols[key] is None:
                    raise DataError(f"cannot tell which column holds the {key}; name it (--{key}-col)", file=path)
            D.require_column(df, cols[key], path)
        contexts = D.text_values(df, cols["context"])
        questions = D.text_values(df, cols["question"])
        answers = None
        if with_labels:
            if "answer" not in cols:
                cols["answer"] = D._match_name(df.columns, ANSWER_NAMES)
                if cols["answer"] is None:
                    raise DataError("cannot tell which column holds the answers; name it (--answer-col)", file=path)
            D.require_column(df, cols["answer"], path)
            if "answer_start" not in cols:
                found = D._match_name(df.columns, START_NAMES)
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
            try:
                s = int(float(start))
            except ValueError:
                raise DataError(f"answer start '{start}' is not a number", file=path, row=row,
                                column=cols.get("answer_start")) from None
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

    def check_eval_labels(self, examples) -> None:
        return None

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

    def calibrate(self, predictions, examples: QAExamples) -> None:
        if examples.answers is not None and any(not a for a in examples.answers):
            self.null_threshold = best_null_threshold(predictions, examples.answers)

    def evaluate(self, predictions, examples: QAExamples, *, tune: bool = False) -> dict:
        return squad_metrics([p["answer"] for p in predictions], examples.answers)

    def output_columns(self, predictions) -> dict[str, list]:
        return {"pred_answer": [p["answer"] if p else "" for p in predictions],
                "pred_score": [round(p["score"], 4) if p else None for p in predictions],
                "pred_start": [p["start"] if p else None for p in predictions]}

    def examples_from_texts(self, texts, pairs=None) -> QAExamples:
        if pairs is None:
            raise DataError("question answering needs a question and a context")
        return QAExamples(list(texts), list(pairs))


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
