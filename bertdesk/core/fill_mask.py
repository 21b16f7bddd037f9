"""Fill in the blank: the words a model with a masked-language-model head would put at [MASK].
The probe of what pre-training taught a model; any folder or cached hub model with such a head."""

from __future__ import annotations

import threading

import numpy as np

from .errors import DataError, ModelError

MASK = "[MASK]"
_LOADED: dict = {}
_LOCK = threading.Lock()


def load(model_dir):
    """(tokenizer, model) of a model with a masked-language-model head, kept for the next call."""
    from transformers import AutoModelForMaskedLM

    from .models import load_model, load_tokenizer, resolve_model
    from .tasks.mlm import has_mlm_head

    source = resolve_model(model_dir)
    with _LOCK:
        if source in _LOADED:
            return _LOADED[source]
        if not has_mlm_head(source):
            raise ModelError("has no masked-language-model head, so it cannot fill in words: pre-train it on "
                             "your text first (bertdesk-cli pretrain, or Adapt the model to my text in the wizard)",
                             file=model_dir)
        tokenizer = load_tokenizer(source)
        model = load_model(AutoModelForMaskedLM, source).eval()
        _LOADED.clear()
        _LOADED[source] = (tokenizer, model)
        return tokenizer, model


def fill_mask(model_dir, texts: list[str], top_k: int = 5) -> list[list[dict] | None]:
    """For each text, the ``top_k`` words for its first [MASK] with their probabilities
    ({"token", "score"}); None for a text without [MASK]. The model's own mask token is also
    accepted (``<mask>`` for RoBERTa-like models)."""
    import torch

    if not 1 <= int(top_k) <= 100:
        raise DataError("--top-k must be between 1 and 100")
    tokenizer, model = load(model_dir)
    mask = tokenizer.mask_token
    out: list[list[dict] | None] = []
    special = set(tokenizer.all_special_ids)
    for text in texts:
        text = (text or "").replace(MASK, mask) if mask != MASK else (text or "")
        if mask not in text:
            out.append(None)
            continue
        enc = tokenizer(text, truncation=True, max_length=512, return_tensors="pt")
        positions = (enc["input_ids"][0] == tokenizer.mask_token_id).nonzero()
        if not len(positions):
            out.append(None)          # the mask fell beyond the window
            continue
        with torch.inference_mode():
            logits = model(**enc).logits[0, int(positions[0])]
        probs = torch.softmax(logits.float(), -1).numpy()
        ranked = np.argsort(-probs)
        best = [i for i in ranked[:top_k + len(special)] if int(i) not in special][:top_k]   # words, not [SEP]
        out.append([{"token": tokenizer.convert_ids_to_tokens(int(i)), "score": round(float(probs[i]), 6)}
                    for i in best])
    return out


def mask_word(text: str, start: int, end: int) -> str:
    """``text`` with the characters [start, end) (a word the user selected) replaced by [MASK]."""
    return text[:start] + MASK + text[end:]
