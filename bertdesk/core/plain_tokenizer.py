"""A model folder's ``tokenizer.json`` run by the ``tokenizers`` library alone.

Labeling through ONNX Runtime needs neither torch nor transformers, except for the tokenizer: loading
transformers' tokenizer costs about 1.7 s of a command-line run (1.1 s of it importing transformers),
a seventh of a 3,000-row ``--fast`` job. ``PlainTokenizer`` answers the one call the text tasks make
when they encode (texts or pairs, truncation, windows with a stride) straight from the Rust tokenizer
that transformers itself wraps; any other call or attribute goes to transformers' tokenizer, loaded
on first use.

It is used only where ``check`` found that both give the same features for this folder's tokenizer
files and these library versions (``tokenizer-check.json`` in the folder's ``fast`` directory, written
when the ONNX graph is built and checked); anywhere else transformers' tokenizer is loaded as before.
"""

from __future__ import annotations

import hashlib
import json
import threading
from importlib import metadata
from pathlib import Path

CHECK_FILE = "tokenizer-check.json"
# the files a tokenizer is made of: a change to any of them asks for the check again
SOURCE_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json")
# texts that tell tokenizers apart, checked besides the user's own rows: accents, case, CJK, emoji,
# control characters, nothing at all, and a text long enough for several windows
PROBE_TEXTS = ["Café naïve RÉSUMÉ, déjà vu!", "HELLO World, it's 5pm...", "这家店的服务很好，下次还来。",
               "great 👍🏽 value (10/10) — would buy again", "tab\there\nnew line\r\nend", "", "   ",
               "[CLS] written [SEP] in the [MASK] text [PAD] [UNK]",
               " ".join(["the battery lasted two days and the screen stayed sharp"] * 60)]


class PlainTokenizer:
    """Called like transformers' fast tokenizer for ``tokenizer(texts[, pairs], truncation=True,
    max_length=N[, stride=S, return_overflowing_tokens=True, return_attention_mask=False])`` on lists;
    returns a dict of lists (``input_ids``, ``token_type_ids``, ``attention_mask`` unless turned off,
    ``overflow_to_sample_mapping`` with windows). Everything else is transformers' tokenizer's."""

    def __init__(self, folder: str | Path):
        from tokenizers import Tokenizer

        self.folder = Path(folder)
        self._backend = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        self._backend.no_padding()
        config = _read_json(self.folder / "tokenizer_config.json")
        if (config.get("truncation_side") or "right") != "right":
            raise ValueError("the tokenizer truncates on the left")
        special = _read_json(self.folder / "special_tokens_map.json")
        self.pad_token_id = self._backend.token_to_id(_pad_token(config, special))
        if self.pad_token_id is None:
            raise ValueError("the padding token is not in the vocabulary")
        self._full = None
        self._lock = threading.Lock()

    @property
    def full(self):
        """transformers' tokenizer for this folder (loaded once, on first use)."""
        with self._lock:
            if self._full is None:
                from .models import load_tokenizer

                self._full = load_tokenizer(str(self.folder))
            return self._full

    def __getattr__(self, name):          # only for what this class does not have itself
        if name.startswith("_") or name == "full":      # "full": its loading failed; no recursion
            raise AttributeError(name)
        return getattr(self.full, name)

    def __len__(self) -> int:
        return len(self.full)

    def __call__(self, text, text_pair=None, *, truncation=None, max_length=None, stride=0,
                 return_overflowing_tokens=False, return_attention_mask=True, **other):
        plain = (not other and truncation is True and isinstance(max_length, int) and isinstance(text, list)
                 and (text_pair is None or (isinstance(text_pair, list) and len(text_pair) == len(text)
                                            and not return_overflowing_tokens)))
        if not plain:
            return self.full(text, text_pair, truncation=truncation, max_length=max_length, stride=stride,
                             return_overflowing_tokens=return_overflowing_tokens,
                             return_attention_mask=return_attention_mask, **other)
        backend = self._backend
        with self._lock:                  # truncation is a setting of the shared Rust tokenizer
            backend.enable_truncation(max_length, stride=stride, strategy="longest_first", direction="right")
            encodings = backend.encode_batch(text if text_pair is None else list(zip(text, text_pair)))
        out: dict[str, list] = {"input_ids": [], "token_type_ids": []}
        if return_attention_mask:
            out["attention_mask"] = []
        mapping: list[int] = []
        for i, encoding in enumerate(encodings):
            parts = [encoding, *encoding.overflowing] if return_overflowing_tokens else [encoding]
            for part in parts:
                out["input_ids"].append(part.ids)
                out["token_type_ids"].append(part.type_ids)
                if return_attention_mask:
                    out["attention_mask"].append(part.attention_mask)
                mapping.append(i)
        if return_overflowing_tokens:
            out["overflow_to_sample_mapping"] = mapping
        return out


def _read_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _pad_token(config: dict, special: dict) -> str:
    for source in (config, special):
        value = source.get("pad_token")
        if isinstance(value, dict):
            value = value.get("content")
        if isinstance(value, str):
            return value
    return "[PAD]"


def source_key(folder: str | Path) -> str | None:
    """A hash of the folder's tokenizer files and the versions of the libraries that read them;
    None when the folder has no ``tokenizer.json`` (nothing for ``PlainTokenizer`` to run)."""
    from .. import __version__

    folder = Path(folder)
    if not (folder / "tokenizer.json").is_file():
        return None
    digest = hashlib.sha256(__version__.encode())
    for package in ("tokenizers", "transformers"):
        try:
            digest.update(f"|{package} {metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"|{package} -".encode())
    for name in SOURCE_FILES:
        path = folder / name
        if path.is_file():
            digest.update(f"|{name}|".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def check(task, full_tokenizer, folder: str | Path, examples) -> dict:
    """Whether ``PlainTokenizer`` gives ``task`` the same features as ``full_tokenizer`` (transformers'
    tokenizer of ``folder``) on ``examples`` (None: none) and ``PROBE_TEXTS``: {"same", "n_checked", "reason"}."""
    try:
        return _compare(task, full_tokenizer, PlainTokenizer(folder), examples)
    except Exception as exc:  # noqa: BLE001 - whatever fails here, transformers' tokenizer stays
        return {"same": False, "n_checked": 0, "reason": f"{type(exc).__name__}: {exc}"[:200]}


def _compare(task, full_tokenizer, plain: PlainTokenizer, examples) -> dict:
    from .errors import BertdeskError

    if plain.pad_token_id != full_tokenizer.pad_token_id:
        return {"same": False, "n_checked": 0, "reason": "another padding token"}
    sets = [examples] if examples is not None else []
    for pairs in (None, PROBE_TEXTS[::-1]):        # single texts, and pairs for tasks that read them
        try:
            sets.append(task.examples_from_texts(PROBE_TEXTS, pairs))
        except BertdeskError:
            pass                          # a task whose examples are not plain texts
    checked = 0
    for probe in sets:
        a = task.encode(full_tokenizer, probe, with_labels=False)
        b = task.encode(plain, probe, with_labels=False)
        if list(a.example_index) != list(b.example_index) or len(a.items) != len(b.items):
            return {"same": False, "n_checked": checked, "reason": "other windows"}
        for x, y in zip(a.items, b.items):
            if set(x) != set(y) or any(list(x[k]) != list(y[k]) for k in x):
                return {"same": False, "n_checked": checked, "reason": "other tokens"}
        checked += len(a.items)
    if not checked:
        return {"same": False, "n_checked": 0, "reason": "nothing to compare"}
    return {"same": True, "n_checked": checked, "reason": ""}


def _check_file(model_dir: str | Path) -> Path:
    from .fast import FAST_DIR

    return Path(model_dir) / FAST_DIR / CHECK_FILE


def record(model_dir: str | Path, verdict: dict) -> None:
    """Keep ``check``'s verdict for this model folder's tokenizer files (a folder that cannot be
    written keeps nothing: the check runs again next time)."""
    from .errors import BertdeskError
    from .io import write_json

    key = source_key(model_dir)
    if key is None:
        return
    try:
        write_json(_check_file(model_dir), {"key": key, **verdict})
    except (OSError, BertdeskError):
        pass


def kept_verdict(model_dir: str | Path) -> dict | None:
    """The kept check of this folder's tokenizer files as they are now (passed or not); None if none."""
    info = _read_json(_check_file(model_dir))
    return info if info and info.get("key") == source_key(model_dir) else None


def checked(model_dir: str | Path) -> bool:
    """Whether a kept check says ``PlainTokenizer`` matches this folder's tokenizer as it is now."""
    info = kept_verdict(model_dir)
    return bool(info and info.get("same") is True and info.get("n_checked", 0) > 0)


def check_once(task, tokenizer, model_dir: str | Path, examples) -> None:
    """``check`` and ``record``, where the model folder keeps fast graphs and this tokenizer was not
    checked yet (a kept refusal counts too). ``tokenizer``: the predictor's (a ``PlainTokenizer``
    hands over the transformers tokenizer it wraps)."""
    from .fast import FAST_DIR, can_keep

    model_dir = Path(model_dir)
    if not (model_dir / FAST_DIR).is_dir() or kept_verdict(model_dir) is not None or not can_keep(model_dir):
        return
    full = tokenizer.full if isinstance(tokenizer, PlainTokenizer) else tokenizer
    record(model_dir, check(task, full, model_dir, examples))
