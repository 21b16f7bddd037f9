"""Attention maps: a model's attention weights for one text, head averages, rollout, heatmap pictures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import DataError, ModelError


@dataclass
class AttentionResult:
    tokens: list[str]
    attentions: np.ndarray          # [layer, head, query, key]
    prediction: dict | None = None
    words: list[str] | None = None          # the words people read ([CLS] and [SEP] each one of their own)
    word_of_token: list[int] | None = None  # for each token, the index of its word in ``words``


def token_words(tokens: list[str], offsets, sequence_ids, texts: list[str]) -> tuple[list[str], list[int]]:
    """Group word pieces into words (``core.words``: spaces and punctuation, each CJK character or a
    jieba word): (words, word_of_token). ``offsets`` are the tokens' character spans in the text of
    their sequence (``sequence_ids``: 0 the text, 1 the pair, None a special token)."""
    from .words import word_index, words_of

    per_text = [words_of(t) for t in texts]
    words: list[str] = []
    word_of_token: list[int] = []
    last_key = None
    for token, (start, end), seq in zip(tokens, offsets, sequence_ids):
        index = None
        if seq is not None and end > start:
            index = word_index(per_text[seq], start, end)
        key = (seq, index) if index is not None else None
        if key is None or key != last_key:
            words.append(per_text[seq][index][0] if key is not None else token)
        word_of_token.append(len(words) - 1)
        last_key = key
    return words, word_of_token


def word_map(matrix: np.ndarray, word_of_token: list[int]) -> np.ndarray:
    """A token map as a word map: a word attends with the mean of its pieces (rows) to the sum of
    another word's pieces (columns), so each row still sums to what the token rows did (1)."""
    n_words = max(word_of_token) + 1
    member = np.zeros((n_words, len(word_of_token)))
    member[word_of_token, np.arange(len(word_of_token))] = 1.0
    rows = member @ matrix / member.sum(1, keepdims=True)
    return rows @ member.T


def attention_of(predictor, text: str, text_pair: str | None = None) -> AttentionResult:
    """All layers' and heads' attention of a ``core.predictor.Predictor``'s model for one input
    (its first window), with the prediction."""
    import torch

    if not text or not text.strip():
        raise DataError("the text is empty")
    tokenizer = predictor.tokenizer
    fast = getattr(tokenizer, "is_fast", False)
    enc = tokenizer(text, text_pair, truncation="only_second" if text_pair else True,
                    max_length=predictor.task.max_length, return_tensors="pt", return_offsets_mapping=fast)
    offsets = enc.pop("offset_mapping")[0].tolist() if fast else None
    model = predictor.model
    with predictor.lock, torch.inference_mode():
        model.set_attn_implementation("eager")       # sdpa returns no weights
        try:
            out = model(**{k: v.to(predictor.device) for k, v in enc.items()}, output_attentions=True)
        finally:
            model.set_attn_implementation("sdpa")
    if not out.attentions:
        raise ModelError("this model returned no attention weights")
    att = torch.stack([a[0] for a in out.attentions]).float().cpu().numpy()
    tokens = predictor.tokenizer.convert_ids_to_tokens(enc["input_ids"][0].tolist())
    prediction = predictor.predict([text], [text_pair] if text_pair else None)[0]
    words = word_of_token = None
    if offsets is not None:
        words, word_of_token = token_words(tokens, offsets, enc.sequence_ids(0), [text, text_pair or ""])
    return AttentionResult(tokens, att, prediction, words, word_of_token)


def head_average(attentions: np.ndarray, layer: int) -> np.ndarray:
    """Mean over heads of one layer: [query, key]."""
    return attentions[layer].mean(0)


def rollout(attentions: np.ndarray, residual: float = 0.5) -> np.ndarray:
    """Attention rollout (Abnar & Zuidema, 2020): how much each token draws on each input token
    through all layers, mixing in the residual connection and renormalising at every layer."""
    n = attentions.shape[-1]
    result = np.eye(n)
    for layer in attentions:
        a = layer.mean(0)
        a = residual * np.eye(n) + (1 - residual) * a
        a = a / a.sum(-1, keepdims=True)
        result = a @ result
    return result


def select_map(attentions: np.ndarray, layer: int | None, head: int | str | None) -> tuple[np.ndarray, str]:
    """The map a user asked for: a layer's head, the layer's head average, or rollout."""
    n_layers, n_heads = attentions.shape[:2]
    if head == "rollout" or layer is None and head is None:
        return rollout(attentions), "rollout over all layers"
    layer = n_layers - 1 if layer is None else int(layer)
    if not -n_layers <= layer < n_layers:
        raise DataError(f"layer {layer} does not exist (the model has layers 0-{n_layers - 1})")
    layer %= n_layers
    if head is None or head == "mean":
        return head_average(attentions, layer), f"layer {layer}, average of {n_heads} heads"
    head = int(head)
    if not 0 <= head < n_heads:
        raise DataError(f"head {head} does not exist (the model has heads 0-{n_heads - 1})")
    return attentions[layer, head], f"layer {layer}, head {head}"


def render_heatmap(matrix: np.ndarray, tokens: list[str], title: str = "", path: str | Path | None = None,
                   figure=None):
    """Draw a [query, key] map with tokens on both axes; save a PNG atomically when ``path`` is given.

    Returns the matplotlib Figure (pass one in to draw on a canvas the GUI owns).
    """
    from matplotlib.figure import Figure

    n = len(tokens)
    side = min(max(4.0, 0.22 * n + 2.0), 40.0)
    fig = figure if figure is not None else Figure(figsize=(side, side), dpi=100)
    fig.clear()
    ax = fig.add_subplot(111)
    im = ax.imshow(matrix, cmap="viridis", aspect="equal", interpolation="nearest")
    font = max(4, min(10, int(400 / max(n, 1))))
    ax.set_xticks(range(n), labels=tokens, rotation=90, fontsize=font)
    ax.set_yticks(range(n), labels=tokens, fontsize=font)
    ax.set_xlabel("attended token (key)")
    ax.set_ylabel("token (query)")
    if title:
        ax.set_title(title)
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04, label="attention weight")
    fig.tight_layout()
    if path is not None:
        from .io import atomic_path
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format="png")
    return fig
