"""A trained model folder, ready to predict: texts, examples, a labeled table's evaluation."""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path

import numpy as np

from . import data as D
from .cancel import CancelToken, check
from .events import Progress, emit
from .model_folder import ModelFolder, open_folder
from .models import check_local_folder, choose_device, load_model, load_tokenizer
from .tasks.base import pad_inputs
from .trust import assess

TOKEN_BUDGET = 2048          # tokens per inference batch (rows x padded length) on the CPU, where a
GPU_TOKEN_BUDGET = 8192      # batch that fits the caches beats a bigger one; a GPU wants more at once
MAX_BATCH = 128


class Predictor:
    """A bertdesk model folder loaded for predictions.

    ``fast`` is what runs the forward passes when set: a CPU model that ``core.fast`` installed
    after its parity check (``fast_mode`` names it); else the torch model. With ``backend="auto"``
    on a machine without a GPU, a model whose ONNX graph passed its full-precision check labels
    through ONNX Runtime and the torch model is loaded only when something asks for it (attention
    maps, explanations): labeling then never imports torch."""

    def __init__(self, folder: ModelFolder, task, tokenizer, model, device: str):
        self.folder = folder
        self.task = task
        self.tokenizer = tokenizer
        self._model = model
        self.device = device
        self.lock = threading.RLock()     # one forward pass at a time: attention switches kernels
        self.fast = None
        self.fast_mode: str | None = None

    @classmethod
    def load(cls, model_dir: str | Path, device: str = "auto", backend: str = "torch") -> "Predictor":
        """``backend``: "torch", "auto" (ONNX Runtime where ``core.fast.ready`` says its check
        passed for these weights and no GPU can be there; else torch), or "later" (nothing loaded
        but the tokenizer: the caller sets a faster model, and torch loads on first use if it must)."""
        folder = open_folder(model_dir)
        task = folder.task()
        check_local_folder(folder.path)
        from . import fast

        onnx = None
        if backend == "auto" and device in ("auto", "cpu"):
            onnx = fast.ready(folder.path) if device == "cpu" or not fast.gpu_possible() else None
        tokenizer = _load_tokenizer(folder.path, task, plain=onnx is not None or backend == "later")
        if onnx is not None:
            predictor = cls(folder, task, tokenizer, None, "cpu")
            predictor.set_fast(fast.open_default(onnx, task), fast.DEFAULT_MODE)
            return predictor
        predictor = cls(folder, task, tokenizer, None, _device_name(device, guess=backend in ("auto", "later")))
        if backend != "later":
            predictor.model      # noqa: B018 - load it now: the caller asked for torch
        return predictor

    @property
    def model(self):
        """The torch model, loaded on first use (sdpa attention: the faster kernel for predictions;
        attention maps switch to eager for the weights, which sdpa does not return)."""
        with self.lock:
            if self._model is None:
                import torch

                from .distributed import threads_per_process

                model = load_model(self.task.model_class, str(self.folder.path), attn="sdpa")
                model.to(self.device).eval()
                if self.device == "cpu":
                    torch.set_num_threads(threads_per_process())
                self._model = model
            return self._model

    @model.setter
    def model(self, value) -> None:
        self._model = value

    @property
    def model_dir(self) -> Path:
        return self.folder.path

    @property
    def meta(self) -> dict:
        return self.folder.meta

    @property
    def columns(self) -> dict:
        """The columns the model was trained on."""
        return self.folder.config.columns

    def set_fast(self, model, mode: str | None) -> None:
        """Run forward passes through ``model`` (None: the torch model again)."""
        self.fast, self.fast_mode = model, (mode if model is not None else None)

    # ------------------------------------------------------------ core loop
    def run(self, features, on_event=None, cancel: CancelToken | None = None, phase="predicting",
            whole: bool = False):
        """Model outputs for every feature, in feature order; batches sorted by length and sized by
        a token budget (many short texts in one batch, few long ones). A classifier's last layer
        runs for [CLS] alone (``core.first_token``) unless ``whole`` (the parity checks' reference)."""
        lengths = features.lengths()
        order = np.argsort(lengths, kind="stable")
        backend = self.fast or self.model
        if getattr(backend, "takes_numpy", False):       # ONNX Runtime: numpy in and out, no torch at all
            collate, grad_off = (lambda b: pad_inputs(b, self.tokenizer.pad_token_id)), contextlib.nullcontext()
            trim = contextlib.nullcontext()
        else:
            import torch

            from .first_token import last_layer_first_token

            collate, grad_off = self.task.collate(self.tokenizer.pad_token_id), torch.inference_mode()
            module = backend if backend is self.model else getattr(backend, "model", None)   # fast.TorchInt8's copy
            trim = contextlib.nullcontext() if whole else \
                last_layer_first_token(module, self.task)           # entered with the lock held
        outputs: list[np.ndarray] = [None] * len(order)  # type: ignore[list-item]
        start, t0 = 0, time.time()
        budget = TOKEN_BUDGET if self.device == "cpu" else GPU_TOKEN_BUDGET
        with self.lock, grad_off, trim:
            while start < len(order):
                check(cancel)
                width = int(lengths[order[min(len(order) - 1, start + MAX_BATCH - 1)]])
                size = max(1, min(MAX_BATCH, budget // max(width, 1)))
                idx = order[start:start + size]
                batch = collate([{k: v for k, v in features.items[i].items() if k != "labels"} for i in idx])
                if not isinstance(batch["input_ids"], np.ndarray):
                    batch = {k: v.to(self.device) for k, v in batch.items() if k != "labels"}
                values = self.task.model_outputs(backend(**batch))
                for j, i in enumerate(idx):
                    # per-token outputs are cut back to this feature's own length
                    outputs[i] = values[j, :lengths[i]] if self.task.per_token else values[j]
                start += len(idx)
                emit(on_event, Progress(phase, start, len(order), time.time() - t0))
        return outputs

    def predict_examples(self, examples, on_event=None, cancel=None, whole: bool = False) -> list[dict]:
        features = self.task.encode(self.tokenizer, examples, with_labels=False, cancel=cancel)
        return self.task.decode(self.run(features, on_event, cancel, whole=whole), features, examples)

    def predict(self, texts: list[str], pairs: list[str] | None = None) -> list[dict]:
        """Predictions for plain texts (QA: ``texts`` are questions, ``pairs`` their contexts)."""
        return self.predict_examples(self.task.examples_from_texts(texts, pairs))

    def evaluate_table(self, table, columns: dict | None = None, on_event=None, cancel=None) -> dict:
        cols = {**self.columns, **(columns or {})}
        examples = self.task.examples_from_table(table, cols)
        self.task.check_eval_labels(examples)
        predictions = self.predict_examples(examples, on_event, cancel)
        metrics = self.task.evaluate(predictions, examples)
        metrics.update(assess(self.task, predictions, examples, metrics))
        metrics["skipped"] = examples.skipped
        return metrics

    def label_columns(self, df, columns: dict | None, path=None) -> dict:
        """The columns labeling reads: those named by the user, else those the model was trained
        on when the sheet has them; the task detects the rest."""
        wanted = {k: v for k, v in (columns or {}).items() if v}
        for column in wanted.values():
            D.require_column(df, column, path)
        saved = {k: v for k, v in self.columns.items()
                 if k in self.task.input_columns and isinstance(v, str) and v in df.columns}
        return {**saved, **wanted}


def _load_tokenizer(folder: Path, task, plain: bool):
    """transformers' tokenizer; or, where ``plain`` and the folder's kept check allows it, the same
    tokenizer run by the ``tokenizers`` library alone (no transformers import: ``core.plain_tokenizer``).
    A folder that keeps a graph but no check of its tokenizer (made before there was one) is checked
    here on the probe texts, so its next run can go without transformers."""
    if not plain:
        return load_tokenizer(str(folder))
    from . import plain_tokenizer

    if plain_tokenizer.checked(folder):
        try:
            return plain_tokenizer.PlainTokenizer(folder)
        except Exception:  # noqa: BLE001 - changed since its check: transformers' tokenizer decides
            pass
    tokenizer = load_tokenizer(str(folder))
    plain_tokenizer.check_once(task, tokenizer, folder, None)
    return tokenizer


def _device_name(device: str, guess: bool = False) -> str:
    """The torch device string for the user's choice ("auto": CUDA, then MPS, else the CPU).
    ``guess``: where no GPU driver is seen (``fast.gpu_possible``), the CPU without importing torch."""
    from .distributed import dist_info
    from .fast import gpu_possible

    if device == "cpu" or (guess and device == "auto" and not gpu_possible()):
        return "cpu"
    info = choose_device(device)
    return f"cuda:{dist_info().local_rank}" if info.kind == "cuda" else info.kind
