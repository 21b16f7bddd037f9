"""The tasks the wizard offers: each entry names its column roles, the file formats it reads
(besides tables) and what one example is called."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class ColumnRole:
    key: str                       # the key in TrainConfig.columns
    label: str                     # shown beside the combo box
    optional: bool = False
    guess: Callable | None = None  # (df, already chosen columns) -> column name or None
    help: str = ""


@dataclass(frozen=True)
class TaskChoice:
    name: str                      # core task name (bertdesk.core.tasks.make_task)
    title: str
    description: str
    roles: tuple[ColumnRole, ...] = field(default_factory=tuple)
    label_counts: Callable | None = None   # examples -> {label: rows}
    formats: tuple[str, ...] = ()          # non-table sources it reads ("conll", "squad")
    unit: str = "rows"                     # what one example is, for the summary line
    eval_metric: str = "f1"                # the metric drawn live during training


def _guess_text(df, chosen):
    from bertdesk.core.data import guess_text_column
    return guess_text_column(df)


def _guess_label(df, chosen):
    from bertdesk.core.data import guess_label_column
    return guess_label_column(df, exclude=[c for c in chosen.values() if c])


def _single_counts(examples) -> dict:
    from collections import Counter
    return dict(Counter(examples.labels))


def _multi_counts(examples) -> dict:
    from collections import Counter
    return dict(Counter(l for labels in examples.labels for l in labels))


def _match(names):
    def guess(df, chosen):
        from bertdesk.core.data import _match_name
        taken = {c for c in chosen.values() if c}
        return _match_name([c for c in df.columns if c not in taken], names)
    return guess


def _entity_counts(examples) -> dict:
    from collections import Counter

    from bertdesk.core.conll import spans
    return dict(Counter(t for tags in examples.tags for t, _, _ in spans(tags)))


def _answer_counts(examples) -> dict:
    answered = sum(1 for a in examples.answers if a)
    counts = {"answer in the context": answered}
    if answered < len(examples.answers):
        counts["no answer"] = len(examples.answers) - answered
    return counts


TEXT = ColumnRole("text", "Text column", guess=_guess_text, help="The text the model reads.")

TASK_CHOICES: list[TaskChoice] = [
    TaskChoice("classify", "Classify texts (one label each)",
               "Sentiment, topic, priority… every row has exactly one label.",
               (TEXT,
                ColumnRole("label", "Label column", guess=_guess_label),
                ColumnRole("text_pair", "Second text (optional)", optional=True,
                           help="For pairs such as question + answer; leave at (none) otherwise.")),
               _single_counts, eval_metric="accuracy"),
    TaskChoice("multilabel", "Tag texts (several labels each)",
               "Each row can carry any number of labels, written in one column separated by ; or |.",
               (TEXT, ColumnRole("label", "Labels column", guess=_guess_label)),
               _multi_counts, eval_metric="micro_f1"),
    TaskChoice("ner", "Find names and entities (NER)",
               "Tag people, places, products… word by word: a CoNLL file (one word and its tag a line) "
               "or a table with a words column and a tags column (B-/I-/O tags, space-separated).",
               (ColumnRole("tokens", "Words column", guess=_match(("tokens", "words", "token", "word")),
                           help="The sentence as words separated by spaces."),
                ColumnRole("tags", "Tags column", guess=_match(("tags", "ner_tags", "labels", "ner", "tag", "label")),
                           help="One tag per word (O, B-TYPE, I-TYPE), separated by spaces.")),
               _entity_counts, formats=("conll",), unit="sentences"),
    TaskChoice("qa", "Answer questions from a text (QA)",
               "The model finds the answer to a question inside a passage: a SQuAD .json file or a table "
               "with context, question and answer columns (the answer must appear in the context).",
               (ColumnRole("context", "Context column",
                           guess=_match(("context", "passage", "paragraph", "document", "text"))),
                ColumnRole("question", "Question column", guess=_match(("question", "query", "q"))),
                ColumnRole("answer", "Answer column", guess=_match(("answer", "answers", "answer_text", "answer text")),
                           help="The answer as written in the context; empty when the context has none."),
                ColumnRole("answer_start", "Answer position (optional)", optional=True,
                           guess=_match(("answer_start", "answer start", "start")),
                           help="Character offset of the answer in the context, when the answer occurs twice.")),
               _answer_counts, formats=("squad",), unit="questions"),
]


def suggest_task(table) -> str | None:
    """The task a source obviously is for: its format, or tell-tale column names."""
    from bertdesk.core.data import _match_name

    if table.format == "conll":
        return "ner"
    if table.format == "squad":
        return "qa"
    cols = list(table.df.columns)
    if _match_name(cols, ("context", "passage", "paragraph")) and _match_name(cols, ("question", "query")):
        return "qa"
    if _match_name(cols, ("tokens", "words")) and _match_name(cols, ("tags", "ner_tags")):
        return "ner"
    return None


def task_choice(name: str) -> TaskChoice:
    for choice in TASK_CHOICES:
        if choice.name == name:
            return choice
    raise KeyError(name)
