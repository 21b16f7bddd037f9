"""Fine-tuning for the app: the core's ``train`` in a process of its own, so the window's thread
never waits for the training's Python code (the GIL), and a crash there cannot take the window down."""

from __future__ import annotations

# what the child process runs ("module:function": only the child imports it)
TRAIN_FUNCTION = "bertdesk.core.training:train"


def train(config, resume: bool = False, *, on_event=None, cancel=None) -> dict:
    """Fine-tune ``config`` (or resume its interrupted run from the last checkpoint); returns a
    summary dict. The model folder is written by the core."""
    from ..core.childproc import run_in_child

    result = run_in_child(TRAIN_FUNCTION, (config,), {"resume": resume}, on_event, cancel)
    return {"out_dir": str(result.out_dir), "metrics": result.metrics, "elapsed_s": result.elapsed_s,
            "n_train": result.n_train, "n_eval": result.n_eval, "device": result.device}


def describe_device(*, on_event=None, cancel=None) -> str:
    """The device training would use, found in a child process (importing torch in the window's
    process would take turns with the window)."""
    from ..core.childproc import run_in_child

    return run_in_child("bertdesk.core.models:describe_device", on_event=on_event, cancel=cancel)
