"""The task registry: every task by name. Each implements ``base.Task``; the front ends build their
choices, cards and column pickers from the classes here instead of branching on task names."""

from __future__ import annotations

from .base import ColumnRole, Task
from .classification import ClassificationTask
from .mlm import MlmTask
from .multilabel import MultiLabelTask
from .ner import NerTask
from .qa import QATask

TASKS: dict[str, type[Task]] = {
    ClassificationTask.name: ClassificationTask,
    MultiLabelTask.name: MultiLabelTask,
    NerTask.name: NerTask,
    QATask.name: QATask,
    MlmTask.name: MlmTask,
}
# the tasks a model is fine-tuned for (the wizard's choices, train --task); pre-training is apart
FINE_TUNING = {name: cls for name, cls in TASKS.items() if cls.fine_tunes}

__all__ = ["FINE_TUNING", "TASKS", "ColumnRole", "Task", "make_task", "suggest_task", "task_class",
           "task_for_config"]


def task_class(name: str) -> type[Task]:
    try:
        return TASKS[name]
    except KeyError:
        from ..errors import BertdeskError
        raise BertdeskError(f"unknown task '{name}' (choose from {', '.join(TASKS)})") from None


def make_task(name: str, **settings) -> Task:
    return task_class(name)(**settings)


def task_for_config(config, state: dict | None = None) -> Task:
    """The task a ``TrainConfig`` describes (window length, stride, long texts), with what was learnt
    from the data (``state``: labels, thresholds...) when it comes from a model folder."""
    return make_task(config.task, max_length=config.max_length, long_text=config.long_text,
                     stride=config.stride, **{**(config.task_options or {}), **(state or {})})


def suggest_task(table) -> str | None:
    """The task a source obviously is for: its format, or tell-tale column names."""
    return next((name for name, cls in FINE_TUNING.items() if cls.claims(table)), None)
