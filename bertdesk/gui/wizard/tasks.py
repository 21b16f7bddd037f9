"""The tasks the wizard offers. Adding a task (NER, QA) is one entry here: its column roles."""

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


TEXT = ColumnRole("text", "Text column", guess=_guess_text, help="The text the model reads.")

TASK_CHOICES: list[TaskChoice] = [
    TaskChoice("classify", "Classify texts (one label each)",
               "Sentiment, topic, priority… every row has exactly one label.",
               (TEXT,
                ColumnRole("label", "Label column", guess=_guess_label),
                ColumnRole("text_pair", "Second text (optional)", optional=True,
                           help="For pairs such as question + answer; leave at (none) otherwise.")),
               _single_counts),
    TaskChoice("multilabel", "Tag texts (several labels each)",
               "Each row can carry any number of labels, written in one column separated by ; or |.",
               (TEXT, ColumnRole("label", "Labels column", guess=_guess_label)),
               _multi_counts),
]


def task_choice(name: str) -> TaskChoice:
    for choice in TASK_CHOICES:
        if choice.name == name:
            return choice
    raise KeyError(name)
