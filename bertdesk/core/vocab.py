"""How well a model's vocabulary covers a sheet's text, and teaching it the characters it lacks.

A WordPiece vocabulary built from English text has a few hundred Chinese characters at most: the
rest of a Chinese review becomes ``[UNK]``, and a model cannot learn from tokens that are all the
same. ``vocab_fit`` measures it on a sample of the texts (the wizard's Model page and
``bertdesk-cli vocab`` show it); ``extend_model`` writes a copy of the model whose vocabulary
also holds the sheet's frequent unknown characters, with an embedding row for each (started at the
mean of the trained rows), which masked-language-model adaptation (``core.pretrain``) then trains.
"""

from __future__ import annotations

import json
import shutil
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .cancel import check
from .errors import ModelError
from .events import Log, Progress, emit

SAMPLE_TEXTS = 500
# at least this share of the tokens [UNK]: the model reads too little of the text to learn from it
POOR_UNKNOWN_SHARE = 0.05
MAX_NEW_TOKENS = 8000
MIN_COUNT = 2                     # an unknown character must occur this often to earn a vocabulary entry
CHINESE_MODELS = ("bert-base-chinese", "hfl/chinese-macbert-base", "bert-base-multilingual-cased")


def is_cjk(ch: str) -> bool:
    """A CJK ideograph (the ranges BERT's basic tokenizer splits one character at a time)."""
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


@dataclass
class VocabFit:
    texts: int = 0
    tokens: int = 0
    unknown: int = 0
    single_characters: int = 0        # tokens that are one character (not punctuation)
    cjk_characters: int = 0           # CJK ideographs among the texts' letters
    letters: int = 0
    top_unknown: list = field(default_factory=list)   # [(character, count)] most frequent first

    @property
    def unknown_share(self) -> float:
        return self.unknown / self.tokens if self.tokens else 0.0

    @property
    def single_share(self) -> float:
        return self.single_characters / self.tokens if self.tokens else 0.0

    @property
    def cjk_share(self) -> float:
        return self.cjk_characters / self.letters if self.letters else 0.0

    @property
    def poor(self) -> bool:
        return self.unknown_share >= POOR_UNKNOWN_SHARE

    def as_dict(self) -> dict:
        return {**asdict(self), "unknown_share": self.unknown_share, "single_share": self.single_share,
                "cjk_share": self.cjk_share, "poor": self.poor}


def _letters(text: str) -> tuple[int, int]:
    cjk = letters = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            cjk += is_cjk(ch)
    return cjk, letters


def vocab_fit(tokenizer, texts, limit: int = SAMPLE_TEXTS) -> VocabFit:
    """The share of [UNK] and one-character tokens the tokenizer makes of (the first ``limit`` of)
    ``texts``, and which characters it does not know."""
    fit = VocabFit()
    unknown_chars: Counter = Counter()
    unk_id = tokenizer.unk_token_id
    vocab = None
    for text in list(texts)[:limit]:
        if not isinstance(text, str) or not text.strip():
            continue
        fit.texts += 1
        cjk, letters = _letters(text)
        fit.cjk_characters += cjk
        fit.letters += letters
        tokens = tokenizer.convert_ids_to_tokens(tokenizer(text, add_special_tokens=False)["input_ids"])
        fit.tokens += len(tokens)
        fit.single_characters += sum(1 for t in tokens if len(t) == 1 and t.isalpha())
        fit.unknown += sum(1 for t in tokens if t == tokenizer.unk_token)
        if unk_id is not None and fit.unknown:
            vocab = vocab if vocab is not None else tokenizer.get_vocab()
            unknown_chars.update(_unknown_characters(tokenizer, text, vocab))
    fit.top_unknown = unknown_chars.most_common(20)
    return fit


def _unknown_characters(tokenizer, text: str, vocab: dict | None = None) -> list[str]:
    """The characters of ``text`` that the vocabulary lacks (after the tokenizer's normalisation:
    lower case, accents as the model has them). ``vocab``: the tokenizer's, when the caller has it."""
    vocab = tokenizer.get_vocab() if vocab is None else vocab
    backend = getattr(tokenizer, "backend_tokenizer", None)
    normalized = backend.normalizer.normalize_str(text) if backend is not None and backend.normalizer else text
    out = []
    for ch in normalized:
        if ch.isspace() or ch in vocab or "##" + ch in vocab:
            continue
        if unicodedata.category(ch).startswith(("C", "Z")):
            continue
        out.append(ch)
    return out


def new_tokens(tokenizer, texts, min_count: int = MIN_COUNT, limit: int = MAX_NEW_TOKENS) -> list[str]:
    """The characters of ``texts`` the vocabulary lacks, seen at least ``min_count`` times, most
    frequent first (at most ``limit``)."""
    counts: Counter = Counter()
    vocab = tokenizer.get_vocab()
    for text in texts:
        if isinstance(text, str) and text:
            counts.update(_unknown_characters(tokenizer, text, vocab))
    return [ch for ch, n in counts.most_common(limit) if n >= min_count]


PROVENANCE = "bertdesk-vocab.json"        # in an extended copy: the model and the texts it was made from


def texts_digest(texts) -> str:
    import hashlib

    digest = hashlib.sha256()
    for text in texts:
        digest.update(str(text).encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def made_from(folder: Path) -> dict:
    """What an extended copy was made from ({} when it is not one, or its record cannot be read)."""
    try:
        record = json.loads((Path(folder) / PROVENANCE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def extend_model(source: str, texts, out_dir: Path, on_event=None, cancel=None) -> tuple[Path, int]:
    """Write to ``out_dir`` the model of ``source`` with the frequent unknown characters of ``texts``
    added to its vocabulary (a character other than CJK also as a word's continuation, ``##`` + it)
    and its embedding matrix grown to match, new rows at the mean of the trained ones. Returns
    (the folder, how many characters were added); with none to add, (``source``, 0)."""
    import torch
    from transformers import BertForMaskedLM

    from .io import atomic_dir
    from .models import load_model, load_tokenizer

    tokenizer = load_tokenizer(source)
    problem = extension_problem(source, tokenizer)
    if problem:
        raise ModelError(problem)
    added = new_tokens(tokenizer, texts)
    if not added:
        emit(on_event, Log("The vocabulary already has every frequent character of these texts"))
        return Path(source), 0
    emit(on_event, Log(f"Adding {len(added):,} characters to the vocabulary (most frequent: {''.join(added[:12])})"))
    emit(on_event, Progress("extending", 0, 2))
    check(cancel)
    model = load_model(BertForMaskedLM, source)
    vocab = tokenizer.get_vocab()
    # a CJK character is always a word of its own to BERT's pre-tokenizer; any other character may
    # also continue a word
    entries = [t for ch in added for t in ((ch,) if is_cjk(ch) else (ch, "##" + ch)) if t not in vocab]
    with atomic_dir(out_dir) as tmp:
        tokenizer.save_pretrained(tmp)
        _append_to_vocabulary(Path(tmp), entries, len(vocab))
        extended = load_tokenizer(str(tmp))
        if len(extended) != len(vocab) + len(entries):
            raise RuntimeError("the extended vocabulary did not load back")
        with torch.no_grad():
            model.resize_token_embeddings(len(extended), mean_resizing=True)
        emit(on_event, Progress("extending", 1, 2))
        check(cancel)
        model.save_pretrained(tmp, safe_serialization=True)
        from .pretrain import keep_pooler

        keep_pooler(str(source), Path(tmp))          # the masked-language model saved none
        (Path(tmp) / PROVENANCE).write_text(json.dumps({"base": str(source), "added": len(added),
                                                         "texts": texts_digest(texts)}), encoding="utf-8")
        for extra in ("1_Pooling", "modules.json", "sentence_bert_config.json"):
            if (Path(source) / extra).exists() and not (Path(tmp) / extra).exists():
                copy = shutil.copytree if (Path(source) / extra).is_dir() else shutil.copy2
                copy(Path(source) / extra, Path(tmp) / extra)
    emit(on_event, Progress("extending", 2, 2))
    return Path(out_dir), len(added)


def extension_problem(source: str, tokenizer) -> str:
    """Why this model's vocabulary cannot be extended ("" when it can): only a BERT model with a
    WordPiece vocabulary in a fast tokenizer (``tokenizer.json``) can take new characters here."""
    from transformers import AutoConfig

    said = ("the vocabulary of {name} cannot be extended here ({why}); only BERT models with a WordPiece "
            "vocabulary can: choose a model pre-trained on text like yours")
    name = Path(source).name or str(source)
    try:
        model_type = AutoConfig.from_pretrained(source).model_type
    except (OSError, ValueError) as exc:
        return said.format(name=name, why=f"its config cannot be read: {exc}")
    if model_type != "bert":
        return said.format(name=name, why=f"it is a {model_type} model")
    if not getattr(tokenizer, "is_fast", False):
        return said.format(name=name, why="it has no tokenizer.json")
    kind = json.loads(tokenizer.backend_tokenizer.to_str()).get("model", {}).get("type")
    if kind != "WordPiece":
        return said.format(name=name, why=f"its vocabulary is {kind}")
    return ""


def _append_to_vocabulary(folder: Path, entries: list[str], first_id: int) -> None:
    """Add ``entries`` to the WordPiece vocabulary of a saved tokenizer (``tokenizer.json`` and,
    when there is one, ``vocab.txt``), ids from ``first_id`` on."""
    path = folder / "tokenizer.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    vocab = spec["model"]["vocab"]
    for i, token in enumerate(entries):
        vocab[token] = first_id + i
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    txt = folder / "vocab.txt"
    if txt.is_file():
        with txt.open("a", encoding="utf-8") as f:
            f.writelines(token + "\n" for token in entries)


def table_fit(table, text_column: str, model: str = "bundled", limit: int = SAMPLE_TEXTS) -> VocabFit:
    """``vocab_fit`` of a table's text column (its first ``limit`` non-empty texts) with ``model``'s tokenizer."""
    texts = [t for t in table[text_column].dropna().astype(str).tolist() if t.strip()][:limit]
    return _model_vocab_fit(model, texts, limit)


def _model_vocab_fit(model: str, texts, limit: int = SAMPLE_TEXTS) -> VocabFit:
    from .models import load_tokenizer, resolve_model

    return vocab_fit(load_tokenizer(resolve_model(model)), texts, limit)


def advice(fit: VocabFit) -> str:
    """What a person should know about the fit, in a sentence or three ("" when it is fine)."""
    if not fit.poor:
        return ""
    said = (f"The model does not know {fit.unknown_share:.0%} of the tokens of these texts: they all read as "
            f"[UNK] ({fit.unknown:,} of {fit.tokens:,} tokens in {fit.texts:,} texts).")
    if fit.cjk_share >= 0.3:
        said += (" The bundled model was pre-trained on English text. For Chinese, choose a Chinese or multilingual "
                 "model folder (" + ", ".join(CHINESE_MODELS) + ") from disk or the local cache, or let bertdesk "
                 "add the missing characters to the vocabulary and learn them from your texts first.")
    else:
        said += (" Choose a model pre-trained on text like yours, or let bertdesk add the missing characters to "
                 "the vocabulary and learn them from your texts first.")
    return said


def model_fit(model: str, texts, on_event=None, cancel=None) -> dict:
    """``vocab_fit`` of ``texts`` with ``model``'s tokenizer, as a plain dict (the wizard's Model page)."""
    return _model_vocab_fit(model, texts).as_dict()
