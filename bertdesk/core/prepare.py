"""From a training config to examples: read, sample, learn the label set, split (or read the
evaluation file). Training, the wizard's column check, the Results page and the fast mode's
parity check all read the data through ``prepare_data``, so they see the same rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .config import TrainConfig
from .events import Log, emit


@dataclass
class PreparedData:
    examples: object              # every usable training example, before any split
    train: object | None          # None when asked not to split (``split=False``)
    eval: object | None
    n_train: int
    n_eval: int


def read_training_examples(config: TrainConfig, task, table=None):
    """The training file's usable examples (``table``: the file already read as a ``data.Table``)."""
    if table is not None and table.format not in task.file_formats:
        examples = task.examples_from_table(table, config.columns)
    else:
        examples = task.read_examples(config.train_file, config.columns, **config.read_options)
    if config.max_train_rows and len(examples) > config.max_train_rows:
        rng = np.random.default_rng(config.seed)
        examples = examples.subset(np.sort(rng.choice(len(examples), config.max_train_rows, replace=False)))
    return examples


def prepare_data(config: TrainConfig, task, on_event=None, *, table=None, split: bool = True) -> PreparedData:
    """Read, clean and split the data; learn the label set (``task.fit_labels``).

    With ``split=False`` the held-out split is only counted (no sampling work, no scikit-learn):
    what the wizard needs to say how many rows train and evaluate."""
    examples = read_training_examples(config, task, table)
    task.fit_labels(examples)
    train_ex = eval_ex = None
    if config.eval_file:
        eval_ex = task.read_examples(config.eval_file, examples.columns, **config.read_options)
        task.check_eval_labels(eval_ex)
        train_ex = examples
        n_train, n_eval = len(examples), len(eval_ex)
    elif split:
        train_ex, eval_ex = task.split(examples, config.eval_fraction, config.seed)
        n_train, n_eval = len(train_ex), len(eval_ex)
    else:
        n_train, n_eval = task.split_sizes(examples, config.eval_fraction, config.seed)
    for reason, count in examples.skipped.items():
        if reason == "no label":     # a partly labeled sheet: expected, and the rows are not lost
            emit(on_event, Log(f"{count} rows have no label yet: left out of training"))
        else:
            emit(on_event, Log(f"Skipped {count} rows with {reason}", "warning"))
    labels = f"; {len(task.labels)} labels" if task.labels else ""
    emit(on_event, Log(f"{n_train} training and {n_eval} evaluation examples{labels}"))
    return PreparedData(examples, train_ex, eval_ex, n_train, n_eval)
