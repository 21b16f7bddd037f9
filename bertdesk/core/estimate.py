"""A rough training-time estimate from the data's text lengths, the model's size and the device.

Time per optimizer step is modelled as a fixed cost plus a cost per (padded) token, fitted to the
README's fine-tuning benchmark (bundled MiniLM-L6-H384, 2 CPU threads, batch 16, 3,000 SST-2
sentences of 13 tokens on average): 88.5 rows/s with length-grouped batches, 12.4 rows/s padded
to 128 tokens, i.e. about 0.06 s a step plus 0.57 ms a token; both lowered by a fifth after
``tests/benchmarks/estimate_check.py``, whose real runs took 0.63-0.90 of that first fit's estimate
(sample sheets, SST-2, SQuAD contexts in windows). Evaluation passes run forward only,
at about a third of a training step's cost. Tokens are counted from characters (4.7 characters a
WordPiece token in English, one a CJK character), so no tokenizer is needed.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np

CPU_SECONDS_PER_STEP = 0.06 * 0.8
CPU_SECONDS_PER_TOKEN = 5.7e-4 * 0.8
GPU_SPEEDUP = 25.0                    # a rough figure for a laptop GPU; not measured on this machine
EVAL_COST = 1 / 3                     # a forward pass against forward + backward + update
OVERHEAD_S = 10.0                     # loading the model, saving the folder
CHARS_PER_TOKEN = 4.7
REFERENCE_SIZE = 6 * 384 ** 2         # layers x hidden^2 of the bundled model
BERT_BASE_SCALE = 12 * 768 ** 2 / REFERENCE_SIZE
SAMPLE = 400


# kana, CJK ideographs (with extension A and compatibility), Hangul syllables: a token each
CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def approx_tokens(text: str) -> int:
    """WordPiece tokens of ``text`` without [CLS]/[SEP], counted from its characters."""
    text = text or ""
    cjk = len(CJK.findall(text))
    rest = len(text) - cjk
    return cjk + math.ceil(rest / CHARS_PER_TOKEN)


def window_lengths(n_tokens: int, max_length: int, stride: int, long_text: str = "window",
                   reserved: int = 2) -> list[int]:
    """Feature lengths (with special tokens) that one text of ``n_tokens`` gives. ``reserved``:
    special tokens, plus the question in QA. Windows overlap by ``stride`` tokens."""
    room = max(1, max_length - reserved)
    if n_tokens <= room or long_text == "truncate":
        return [min(n_tokens, room) + reserved]
    step = max(1, room - stride)
    n_windows = 1 + math.ceil((n_tokens - room) / step)
    last = n_tokens - (n_windows - 1) * step
    return [max_length] * (n_windows - 1) + [last + reserved]


def sample_tokens(task, examples, sample: int = SAMPLE, seed: int = 0) -> list[tuple[int, int]]:
    """(text tokens, reserved tokens) for a random sample of ``examples`` (all when fewer): the
    text that may be split into windows, and what each window repeats (``Task.approx_sizes``)."""
    n = len(examples)
    rng = np.random.default_rng(seed)
    idx = np.arange(n) if n <= sample else np.sort(rng.choice(n, sample, replace=False))
    return task.approx_sizes(examples, idx, approx_tokens)


def example_lengths(task, examples, counts: list[tuple[int, int]] | None = None) -> list[int]:
    """Feature lengths for a random sample of ``examples`` (all of them when fewer), with the task's
    window length, stride and long-text mode; ``counts``: that sample's ``sample_tokens``."""
    out: list[int] = []
    for tokens, reserved in (sample_tokens(task, examples) if counts is None else counts):
        out += window_lengths(tokens, task.max_length, task.stride, task.long_text,
                              min(reserved, task.max_length - 16))
    return out


def share_longer(task, examples, counts: list[tuple[int, int]] | None = None) -> float:
    """The share of (a sample of) ``examples`` whose text does not fit in the task's window."""
    counts = sample_tokens(task, examples) if counts is None else counts
    if not counts:
        return 0.0
    return sum(tokens + reserved > task.max_length for tokens, reserved in counts) / len(counts)


def _padded_tokens(lengths: np.ndarray, batch_size: int, grouped: bool, rng) -> tuple[int, int]:
    """(steps, padded tokens) for one pass over features of ``lengths``."""
    order = np.sort(lengths) if grouped else rng.permutation(lengths)
    steps, tokens = 0, 0
    for start in range(0, len(order), batch_size):
        batch = order[start:start + batch_size]
        steps += 1
        tokens += int(batch.max()) * len(batch)
    return steps, tokens


def model_scale(source: str | None) -> float:
    """Compute per token relative to the bundled model, from the model folder's config.json; a
    model whose config is not on this computer counts as a BERT-base."""
    from .models import bundled_model_path, is_bundled

    try:
        folder = bundled_model_path() if is_bundled(source) else Path(str(source)).expanduser()
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        layers = int(config.get("num_hidden_layers") or config.get("n_layers"))
        hidden = int(config.get("hidden_size") or config.get("dim"))
        return max(0.05, layers * hidden ** 2 / REFERENCE_SIZE)
    except (OSError, ValueError, TypeError):
        return BERT_BASE_SCALE


def estimate_train_seconds(task, examples, n_train: int, n_eval: int, *, epochs: float, batch_size: int,
                           gpu: bool = False, scale: float = 1.0, grouped: bool | None = None,
                           counts: list[tuple[int, int]] | None = None) -> float:
    """Seconds to fine-tune ``task`` (its window settings) on ``n_train`` rows like ``examples`` and
    evaluate ``n_eval`` once an epoch; ``grouped``: length-grouped batches (default: the task's rule)."""
    if grouped is None:
        grouped = task.group_by_length
    lengths = np.asarray(example_lengths(task, examples, counts), dtype=np.int64)
    sampled = max(1, min(len(examples), SAMPLE))
    if not len(lengths):
        return OVERHEAD_S
    rng = np.random.default_rng(0)
    features_per_row = len(lengths) / sampled
    steps, tokens = _padded_tokens(lengths, batch_size, grouped, rng)
    # one pass over the sample gives per-row costs; scale them to the real row counts
    per_row_step = steps / len(lengths) * features_per_row
    per_row_tokens = tokens / len(lengths) * features_per_row
    attention = 1 + float(lengths.mean()) / 2304        # attention's share grows with the length
    cost_row = CPU_SECONDS_PER_STEP * per_row_step + CPU_SECONDS_PER_TOKEN * scale * attention * per_row_tokens
    seconds = n_train * epochs * cost_row + math.ceil(epochs) * n_eval * cost_row * EVAL_COST
    if gpu:
        seconds /= GPU_SPEEDUP
    return OVERHEAD_S + seconds



FROZEN_OVERHEAD_S = 5.0               # loading the model, fitting the head, saving the folder
FROZEN_ROWS_PER_S = 200.0             # one forward pass a row (short texts, bundled model, 2 threads)


def frozen_seconds(n_rows: int, scale: float = 1.0) -> float:
    """Time to train a head on the frozen encoder: one forward pass over every labeled row (the
    label-error finder's fast mode read 2,000 SST-2 sentences in 6-10 s with the bundled model)."""
    return FROZEN_OVERHEAD_S + n_rows * scale / FROZEN_ROWS_PER_S


ADAPT_TOKENS_PER_TEXT = 40            # a review-length text, in word pieces


def adaptation_seconds(n_texts: int, scale: float = 1.0, batch_size: int = 16) -> float:
    """One pass of masked-language-model pre-training over ``n_texts`` texts: a training step a
    batch, as for fine-tuning (plus loading, the evaluation before and after, saving)."""
    steps = -(-n_texts // batch_size)
    per_step = (CPU_SECONDS_PER_STEP + CPU_SECONDS_PER_TOKEN * batch_size * ADAPT_TOKENS_PER_TEXT) * scale
    return OVERHEAD_S + steps * per_step * (1 + 2 * EVAL_COST * 0.05)
