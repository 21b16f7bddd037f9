"""Tasks by name. Each implements ``base.Task``."""

from __future__ import annotations

from .base import Task
from .classification import ClassificationTask
from .multilabel import MultiLabelTask
from .ner import NerTask
from .qa import QATask

TASKS: dict[str, type[Task]] = {
    ClassificationTask.name: ClassificationTask,
    MultiLabelTask.name: MultiLabelTask,
    NerTask.name: NerTask,
    QATask.name: QATask,
}


def make_task(name: str, **config) -> Task:
    try:
        cls = TASKS[name]
    except KeyError:
        from ..errors import BertdeskError
        raise BertdeskError(f"unknown task '{name}' (choose from {', '.join(TASKS)})") from None
    return cls(**config)
