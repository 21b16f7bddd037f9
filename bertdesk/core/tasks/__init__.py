"""Tasks by name. Each implements ``base.Task``."""

from __future__ import annotations

from .base import Task
from .classification import ClassificationTask
from .multilabel import MultiLabelTask

TASKS: dict[str, type[Task]] = {
    ClassificationTask.name: ClassificationTask,
    MultiLabelTask.name: MultiLabelTask,
}


def make_task(name: str, **config) -> Task:
    try:
        cls = TASKS[name]
    except KeyError:
        from ..errors import BertdeskError
        raise BertdeskError(f"unknown task '{name}' (choose from {', '.join(TASKS)})") from None
    return cls(**config)
