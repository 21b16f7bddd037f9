"""Plain, immutable events that long work emits; safe to pass across threads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Progress:
    phase: str            # "tokenising", "training", "evaluating", "saving", "labeling", ...
    done: int
    total: int
    elapsed_s: float = 0.0
    eta_s: float | None = None
    epoch: float | None = None


@dataclass(frozen=True)
class Metrics:
    split: str            # "train" or "eval"
    step: int
    epoch: float | None
    values: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Log:
    message: str
    level: str = "info"


@dataclass(frozen=True)
class Preview:
    rows: Any             # a DataFrame: the first rows of a result, shown while the rest is computed


Event = Progress | Metrics | Log | Preview
EventSink = Callable[[Event], None]


def emit(sink: EventSink | None, event: Event) -> None:
    if sink is not None:
        sink(event)
