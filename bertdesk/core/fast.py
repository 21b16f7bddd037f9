"""Fast CPU inference for labeling: the model exported to ONNX and run by ONNX Runtime.

Modes, chosen by the user (``Predictor.enable_fast``), each accepted only after a parity check:

  onnx-int8   ONNX graph with fused BERT operators, int8 weights (dynamic quantisation)
  onnx        the same graph in float32 (no accuracy change beyond rounding)
  int8        torch's dynamic int8 quantisation of the linear layers (no extra packages)

The ONNX file is built once per model and kept in ``<model folder>/fast/`` with the verdict of its
parity check, so later runs start at once. Nothing here downloads anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import warnings
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from .errors import ModelError
from .io import atomic_path, write_json

MODES = ("onnx-int8", "onnx", "int8")
FAST_DIR = "fast"
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def onnx_available() -> bool:
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def available_modes() -> list[str]:
    return list(MODES) if onnx_available() else ["int8"]


def default_mode() -> str:
    return available_modes()[0]


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ModelError(f"unknown fast mode {mode!r} (choose one of {', '.join(MODES)})")
    if mode.startswith("onnx") and not onnx_available():
        raise ModelError(f"the fast mode {mode!r} needs the onnxruntime and onnx packages, which this "
                         "installation lacks; the 'int8' mode works without them")
    return mode


def weights_key(model_dir: Path, mode: str) -> str:
    """Identifies the weights a cached ONNX file was built from (size and time of the safetensors)."""
    from .. import __version__

    parts = [mode, __version__]
    for f in sorted(model_dir.glob("*.safetensors")):
        st = f.stat()
        parts.append(f"{f.name}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def cache_dir(model_dir: Path) -> Path:
    """``<model>/fast`` when the model folder can be written, else a folder for this session only."""
    target = model_dir / FAST_DIR
    try:
        target.mkdir(exist_ok=True)
        probe = target / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
        return target
    except OSError:
        return Path(tempfile.mkdtemp(prefix="bertdesk-fast-"))


def read_verdict(folder: Path, mode: str, key: str) -> dict | None:
    """The stored parity check for this mode and these weights, if the ONNX file is still there."""
    meta = folder / f"{mode}.json"
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if info.get("key") != key or not (folder / f"{mode}.onnx").is_file():
        return None
    return info


def write_verdict(folder: Path, mode: str, key: str, check: dict) -> None:
    try:
        write_json(folder / f"{mode}.json", {"key": key, **check})
    except OSError:
        pass          # a read-only model folder only costs the check next time


class _Export:
    """torch.nn.Module wrapper with positional inputs and tuple outputs, as the exporter wants."""

    def __new__(cls, model, output_names):
        import torch

        class Wrapped(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.model = model

            def forward(self, input_ids, attention_mask, token_type_ids):
                out = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
                return tuple(getattr(out, name) for name in output_names)

        return Wrapped().eval()


def output_names(task_name: str) -> list[str]:
    return ["start_logits", "end_logits"] if task_name == "qa" else ["logits"]


def export_onnx(model, task_name: str, path: Path) -> None:
    """Export to ONNX with dynamic batch and sequence sizes (eager attention: ORT fuses it)."""
    import torch

    names = output_names(task_name)
    per_token = task_name in ("ner", "qa")
    dummy = tuple(torch.ones((2, 11), dtype=torch.long) if n != "token_type_ids"
                  else torch.zeros((2, 11), dtype=torch.long) for n in INPUTS)
    axes = {n: {0: "batch", 1: "sequence"} for n in INPUTS}
    axes.update({n: ({0: "batch", 1: "sequence"} if per_token else {0: "batch"}) for n in names})
    previous = getattr(model.config, "_attn_implementation", "sdpa") or "sdpa"
    model.set_attn_implementation("eager")
    try:
        with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(_Export(model, names), dummy, str(path), input_names=list(INPUTS),
                              output_names=names, dynamic_axes=axes, opset_version=17, dynamo=False)
    except Exception as exc:   # the exporter raises many kinds; all mean "this model cannot go fast"
        raise ModelError(f"could not export this model to ONNX ({type(exc).__name__}: {exc})") from exc
    finally:
        model.set_attn_implementation(previous)


def optimise(src: Path, dst: Path, config) -> bool:
    """Fuse attention, layer norm and GELU into ORT's BERT operators; False when it does not apply."""
    try:
        from onnxruntime.transformers import optimizer

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            opt = optimizer.optimize_model(str(src), model_type="bert", num_heads=config.num_attention_heads,
                                           hidden_size=config.hidden_size, opt_level=1)
        opt.save_model_to_file(str(dst))
        return True
    except Exception:      # an unusual graph: the plain export still runs, only slower
        return False


def quantise(src: Path, dst: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    import logging

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)       # the quantiser advises "pre-processing" on the root logger
    try:
        quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    except Exception as exc:
        raise ModelError(f"could not quantise the ONNX model ({type(exc).__name__}: {exc})") from exc
    finally:
        root.setLevel(level)


def build(model, task_name: str, mode: str, target: Path) -> None:
    """Write the ONNX file for ``mode`` to ``target`` (atomically)."""
    with tempfile.TemporaryDirectory(prefix="bertdesk-onnx-") as tmp:
        tmp = Path(tmp)
        raw, fused = tmp / "raw.onnx", tmp / "fused.onnx"
        export_onnx(model, task_name, raw)
        best = fused if optimise(raw, fused, model.config) else raw
        with atomic_path(target) as out:
            if mode == "onnx-int8":
                quantise(best, out)
            else:
                out.write_bytes(best.read_bytes())


class OnnxModel:
    """Called like the torch model on a batch of tensors; returns an object with the same output names."""

    def __init__(self, path: Path, task_name: str, threads: int):
        import onnxruntime as ort

        so = ort.SessionOptions()
        so.intra_op_num_threads = max(1, threads)
        so.inter_op_num_threads = 1
        so.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
        except Exception as exc:
            raise ModelError(f"ONNX Runtime could not open {path.name} ({exc})", file=path) from exc
        self.names = output_names(task_name)
        self.inputs = [i.name for i in self.session.get_inputs()]
        self.path = path

    def __call__(self, **batch):
        import torch

        feed = {}
        for name in self.inputs:
            value = batch.get(name)
            if value is None:      # token_type_ids: zeros, as the model itself would use
                value = torch.zeros_like(batch["input_ids"])
            feed[name] = np.ascontiguousarray(value.cpu().numpy().astype(np.int64, copy=False))
        outs = self.session.run(self.names, feed)
        return SimpleNamespace(**{n: torch.from_numpy(o) for n, o in zip(self.names, outs)})


class TorchInt8:
    """torch dynamic int8 quantisation of the linear layers (a copy; the original stays for attention)."""

    def __init__(self, model):
        import copy

        import torch

        with warnings.catch_warnings():   # torch points to torchao for the future; this API still works
            warnings.simplefilter("ignore")
            self.model = torch.ao.quantization.quantize_dynamic(copy.deepcopy(model), {torch.nn.Linear},
                                                                dtype=torch.qint8)

    def __call__(self, **batch):
        return self.model(**batch)
