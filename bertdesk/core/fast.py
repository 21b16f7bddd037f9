"""Fast CPU inference for labeling: the model exported to ONNX and run by ONNX Runtime.

Modes, chosen by the user (``enable``), each accepted only after a parity check:

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
import warnings
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from . import plain_tokenizer
from .cancel import check
from .errors import BertdeskError, DataError, ModelError
from .events import Progress, emit
from .io import atomic_path, write_json

MODES = ("onnx-int8", "onnx", "int8")
FAST_DIR = "fast"
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def onnx_available() -> bool:
    """ONNX Runtime runs the graphs, the onnx package builds them. onnx is only looked for here
    (importing it takes most of a second, and a kept graph never needs it)."""
    import importlib.util

    try:
        import onnxruntime  # noqa: F401
        return importlib.util.find_spec("onnx") is not None
    except (ImportError, ValueError):
        return False


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


# how each kept file is made, in its key: a graph or verdict made another way is made again
FIRST_TOKEN = "last layer for the first token alone where the outputs read only it"
RECIPES = {"onnx-int8": f"int8 weights per output channel; {FIRST_TOKEN}", "onnx": FIRST_TOKEN}


def weights_key(model_dir: Path, mode: str) -> str:
    """Identifies the weights a cached ONNX file was built from: a hash of the safetensors' bytes
    (a copy, a restored backup or a touched file keeps it; any change of a weight does not), and of
    the settings the predictions depend on (temperature, thresholds)."""
    from .. import __version__
    from .model_folder import FORMAT_VERSION

    recipe = [RECIPES[mode]] if mode in RECIPES else []
    digest = hashlib.sha256("|".join([mode, *recipe, __version__, f"format {FORMAT_VERSION}"]).encode())
    for f in sorted(model_dir.glob("*.safetensors")):
        digest.update(f.name.encode())
        with open(f, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]


def can_keep(model_dir: Path) -> bool:
    """Whether ``<model>/fast`` can be written (a read-only model folder keeps nothing)."""
    target = Path(model_dir) / FAST_DIR
    try:
        target.mkdir(exist_ok=True)
        probe = target / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
        return True
    except OSError:
        return False


def cache_dir(model_dir: Path) -> Path:
    """``<model>/fast`` when the model folder can be written, else a folder for this session only."""
    if can_keep(model_dir):
        return model_dir / FAST_DIR
    import atexit
    import shutil

    from .tmpfiles import temp_dir

    folder = temp_dir("fast")            # this session's only; gone when it ends (or swept later)
    atexit.register(shutil.rmtree, folder, True)
    return folder


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
    except (OSError, BertdeskError):
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


def export_onnx(model, task, path: Path) -> None:
    """Export to ONNX with dynamic batch and sequence sizes (eager attention: ORT fuses it)."""
    import torch

    from .first_token import last_layer_first_token

    names = list(task.output_names)
    per_token = task.per_token
    dummy = tuple(torch.ones((2, 11), dtype=torch.long) if n != "token_type_ids"
                  else torch.zeros((2, 11), dtype=torch.long) for n in INPUTS)
    axes = {n: {0: "batch", 1: "sequence"} for n in INPUTS}
    axes.update({n: ({0: "batch", 1: "sequence"} if per_token else {0: "batch"}) for n in names})
    previous = getattr(model.config, "_attn_implementation", "sdpa") or "sdpa"
    model.set_attn_implementation("eager")
    try:
        with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad(), \
                last_layer_first_token(model, task):
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
    import logging

    try:
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:           # installed but broken (onnx_available only looks for it)
        raise ModelError(f"the onnx package cannot be loaded ({exc}); the 'int8' fast mode works without it") from exc

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)       # the quantiser advises "pre-processing" on the root logger
    try:
        # one scale per output channel: on an SST-2 model, 98.6 % of the full-precision labels kept
        # against 96.8 % with one scale per matrix, at the same speed (AVX2 without VNNI)
        quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    except Exception as exc:
        raise ModelError(f"could not quantise the ONNX model ({type(exc).__name__}: {exc})") from exc
    finally:
        root.setLevel(level)


def build(model, task, mode: str, target: Path) -> None:
    """Write the ONNX file for ``mode`` to ``target`` (atomically)."""
    from .tmpfiles import temp_dir

    tmp = temp_dir("onnx")
    try:
        raw, fused = tmp / "raw.onnx", tmp / "fused.onnx"
        export_onnx(model, task, raw)
        best = fused if optimise(raw, fused, model.config) else raw
        with atomic_path(target) as out:
            if mode == "onnx-int8":
                quantise(best, out)
            else:
                out.write_bytes(best.read_bytes())
    finally:
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)


class OnnxModel:
    """Called like the torch model on a batch of arrays (numpy, or torch tensors); returns an object
    with the same output names holding numpy arrays. ``takes_numpy`` tells ``Predictor.run`` to
    pad batches straight into numpy, so labeling through it needs no torch."""

    takes_numpy = True

    def __init__(self, path: Path, output_names: tuple[str, ...], threads: int):
        import onnxruntime as ort

        so = ort.SessionOptions()
        so.intra_op_num_threads = max(1, threads)
        so.inter_op_num_threads = 1
        so.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(str(path), so, providers=["CPUExecutionProvider"])
        except Exception as exc:
            raise ModelError(f"ONNX Runtime could not open {path.name} ({exc})", file=path) from exc
        self.names = list(output_names)
        self.inputs = [i.name for i in self.session.get_inputs()]
        self.path = path

    def __call__(self, **batch):
        feed = {}
        for name in self.inputs:
            value = batch.get(name)
            if value is None:      # token_type_ids: zeros, as the model itself would use
                value = np.zeros(tuple(batch["input_ids"].shape), dtype=np.int64)
            if not isinstance(value, np.ndarray):
                value = value.cpu().numpy()
            feed[name] = np.ascontiguousarray(value.astype(np.int64, copy=False))
        outs = self.session.run(self.names, feed)
        return SimpleNamespace(**dict(zip(self.names, outs)))


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


# ---------------------------------------------------------------- the default backend

DEFAULT_MODE = "onnx"          # float32: labels through it are the model's own, to rounding
DEFAULT_FILE = "default.json"  # the verdict of the full-precision check, beside onnx.onnx
TOLERANCE = 1e-3               # largest difference of any model output allowed against torch
CHECK_FEATURES = 256           # windows compared in the check


def gpu_possible() -> bool:
    """Whether this machine may have a GPU torch would use, told without importing torch: an NVIDIA
    driver (Linux, Windows) or Apple silicon (MPS). Only then is torch asked (``choose_device``)."""
    import platform
    import sys

    if sys.platform == "darwin":
        return platform.machine() == "arm64"
    if sys.platform.startswith("win"):
        return (Path(os.environ.get("SystemRoot", r"C:\Windows")) / "System32" / "nvcuda.dll").exists()
    return Path("/proc/driver/nvidia").exists() or Path("/dev/nvidia0").exists() or Path("/dev/dxg").exists()


def ready(model_dir: Path) -> Path | None:
    """The float32 ONNX file of this model folder when its full-precision check (``prepare_default``)
    passed for exactly these weights; else None. Reads only: nothing is built or written."""
    folder = Path(model_dir) / FAST_DIR
    info = _default_verdict(folder)
    if info is None or not info.get("accepted") or info.get("key") != weights_key(Path(model_dir), DEFAULT_MODE):
        return None
    return folder / f"{DEFAULT_MODE}.onnx"


def open_default(path: Path, task) -> "OnnxModel":
    from .distributed import threads_per_process

    return OnnxModel(path, task.output_names, threads_per_process())


def prepare_default(predictor, examples, on_event=None, cancel=None) -> dict:
    """Build this model's float32 ONNX graph (once per weights) and check it against the torch model
    (a CPU predictor, with ONNX Runtime installed: ``core.labeling.use_default_backend`` sees to both)
    on the windows of ``examples`` (the first ``CHECK_FEATURES`` of them): accepted when no output differs by
    more than ``TOLERANCE``. On acceptance the predictor labels through it; either way the verdict is
    stored beside the graph, so later runs decide at once (``ready``).

    Returns {"accepted", "max_abs_diff", "n_checked", "seconds", "reason"}."""
    import time

    t0 = time.time()
    folder, key = cache_dir(predictor.model_dir), weights_key(predictor.model_dir, DEFAULT_MODE)
    target = folder / f"{DEFAULT_MODE}.onnx"
    task = predictor.task
    if len(examples) > CHECK_FEATURES:
        examples = examples.subset(range(CHECK_FEATURES))
    features = task.encode(predictor.tokenizer, examples, with_labels=False, cancel=cancel)
    emit(on_event, Progress("preparing the fast CPU model", 0, 3, 0.0))
    previous = (predictor.fast, predictor.fast_mode)
    predictor.set_fast(None, None)
    try:
        reference = predictor.run(features, cancel=cancel, whole=True)
        plain_tokenizer.check_once(task, predictor.tokenizer, predictor.model_dir, examples)
        emit(on_event, Progress("preparing the fast CPU model", 1, 3, time.time() - t0))
        built = read_verdict(folder, DEFAULT_MODE, key) or _default_verdict(folder) or {}
        if built.get("key") != key:          # no graph of these weights yet (from --fast onnx or a check)
            with predictor.lock:             # the export changes the model for a while (core.first_token)
                build(predictor.model, task, DEFAULT_MODE, target)
        emit(on_event, Progress("preparing the fast CPU model", 2, 3, time.time() - t0))
        candidate = open_default(target, task)
        predictor.set_fast(candidate, DEFAULT_MODE)
        outputs = predictor.run(features, cancel=cancel)
    except ModelError as exc:
        predictor.set_fast(*previous)
        result = {"accepted": False, "reason": exc.user_message, "seconds": round(time.time() - t0, 1)}
        _write_default(folder, key, result)
        return result
    except BaseException:
        predictor.set_fast(*previous)
        raise
    diff = max((float(np.max(np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))))
                for a, b in zip(reference, outputs) if np.size(a)), default=0.0)
    accepted = bool(np.isfinite(diff) and diff <= TOLERANCE)
    if not accepted:
        predictor.set_fast(*previous)
    result = {"accepted": accepted, "max_abs_diff": diff, "n_checked": len(features),
              "seconds": round(time.time() - t0, 1),
              "reason": "" if accepted else f"its outputs differ from the model's by up to {diff:.2g}"}
    _write_default(folder, key, result)
    emit(on_event, Progress("preparing the fast CPU model", 3, 3, time.time() - t0))
    return result


def _default_verdict(folder: Path) -> dict | None:
    """The stored verdict of the last full-precision check, if its ONNX file is still beside it."""
    try:
        info = json.loads((folder / DEFAULT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) and (folder / f"{DEFAULT_MODE}.onnx").is_file() else None


def _write_default(folder: Path, key: str, result: dict) -> None:
    try:
        write_json(folder / DEFAULT_FILE, {"key": key, "mode": DEFAULT_MODE, "tolerance": TOLERANCE, **result})
    except (OSError, BertdeskError):
        pass          # a read-only model folder only costs the check next time


# ---------------------------------------------------------------- the parity check

def enable(predictor, mode: str | None = None, max_drop_points: float = 0.5, on_event=None, cancel=None) -> dict:
    """Label through a faster CPU model (``onnx-int8``, ``onnx`` or ``int8``), but only if the task's
    main metric on the model's own evaluation set drops by at most ``max_drop_points`` points.

    Returns {"mode", "metric", "before", "after", "drop_points", "accepted", "n_eval", "cached"}; on
    refusal the predictor stays at full precision. The evaluation set is rebuilt from the training
    settings in the model folder (so those files must still be where they were) unless the same
    check on the same weights was stored earlier beside the ONNX file.
    """
    from .distributed import threads_per_process

    mode = check_mode(mode or default_mode())
    if predictor.device != "cpu":
        raise ModelError("the fast mode runs on the CPU only; on a GPU the model is already fast")
    task = predictor.task
    folder, key = None, None
    if mode.startswith("onnx"):
        folder, key = cache_dir(predictor.model_dir), weights_key(predictor.model_dir, mode)
        stored = read_verdict(folder, mode, key)
        if stored is not None and stored.get("max_drop_points", max_drop_points) >= max_drop_points \
                and stored.get("drop_points", 0.0) <= max_drop_points:
            predictor.set_fast(OnnxModel(folder / f"{mode}.onnx", task.output_names, threads_per_process()), mode)
            return {k: v for k, v in stored.items() if k != "key"} | {"cached": True, "accepted": True}
        if stored is not None and stored.get("drop_points", 0.0) > max_drop_points:
            # refused for these weights at this limit before: the same check would refuse again
            return {k: v for k, v in stored.items() if k != "key"} | {"cached": True, "accepted": False,
                                                                       "max_drop_points": max_drop_points}
    eval_ex = _check_examples(predictor)
    metric = task.main_metric
    predictor.set_fast(None, None)
    emit(on_event, Progress("checking fast mode", 0, 3, 0.0))
    before = task.evaluate(predictor.predict_examples(eval_ex, cancel=cancel, whole=True), eval_ex)[metric]
    emit(on_event, Progress("checking fast mode", 1, 3, 0.0))
    check(cancel)
    if mode == "int8":
        candidate = TorchInt8(predictor.model)
    else:
        target = folder / f"{mode}.onnx"
        with predictor.lock:
            build(predictor.model, task, mode, target)
        plain_tokenizer.check_once(task, predictor.tokenizer, predictor.model_dir, eval_ex)
        candidate = OnnxModel(target, task.output_names, threads_per_process())
    emit(on_event, Progress("checking fast mode", 2, 3, 0.0))
    predictor.set_fast(candidate, mode)
    try:
        after = task.evaluate(predictor.predict_examples(eval_ex, cancel=cancel), eval_ex)[metric]
    except BaseException:
        predictor.set_fast(None, None)
        raise
    drop = round((before - after) * 100, 3)          # metrics are 0-1: points are hundredths
    accepted = drop <= max_drop_points
    if not accepted:
        predictor.set_fast(None, None)
    result = {"mode": mode, "metric": metric, "before": before, "after": after, "drop_points": drop,
              "accepted": accepted, "n_eval": len(eval_ex), "max_drop_points": max_drop_points,
              "cached": False}
    if folder is not None:
        write_verdict(folder, mode, key, result)
    emit(on_event, Progress("checking fast mode", 3, 3, 0.0))
    return result


def _check_examples(predictor):
    """The model's own evaluation examples, read the way training read them."""
    from .prepare import prepare_data
    from .tasks import task_for_config

    config = predictor.folder.config
    try:
        data = prepare_data(config, task_for_config(config))
    except DataError as exc:
        raise ModelError(f"the fast mode is checked on the evaluation data, which cannot be read now ({exc})",
                         file=predictor.model_dir) from exc
    return data.eval
