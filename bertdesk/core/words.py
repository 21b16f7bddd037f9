"""Words as people read them, with their character offsets: what explanations and the attention view
show instead of word pieces. Each CJK character is a word of its own, unless the optional ``jieba``
word segmenter is installed: then runs of Chinese characters are grouped into its words."""

from __future__ import annotations

import re
from functools import lru_cache

from .conll import split_words

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@lru_cache(maxsize=1)
def _jieba():
    try:
        import jieba  # noqa: F401 - optional
    except ImportError:
        return None
    import logging

    jieba.setLogLevel(logging.WARNING)
    return jieba


def segmenter() -> str:
    """How CJK text is split: "jieba" or "characters"."""
    return "jieba" if _jieba() is not None else "characters"


def words_of(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) for each word of ``text``; the offsets index ``text`` itself."""
    words, offsets = split_words(text)
    out = [(w, s, e) for w, (s, e) in zip(words, offsets)]
    jieba = _jieba()
    if jieba is None or not _HAN.search(text):
        return out
    grouped, i = [], 0
    while i < len(out):
        word, start, end = out[i]
        if not _HAN.fullmatch(word):
            grouped.append(out[i])
            i += 1
            continue
        j = i
        while j + 1 < len(out) and _HAN.fullmatch(out[j + 1][0]) and out[j + 1][1] == out[j][2]:
            j += 1
        run_start, run_end = start, out[j][2]
        pos = run_start
        for piece in jieba.cut(text[run_start:run_end], HMM=True):
            grouped.append((piece, pos, pos + len(piece)))
            pos += len(piece)
        i = j + 1
    return grouped


def word_index(words: list[tuple[str, int, int]], start: int, end: int) -> int | None:
    """The word a character span [start, end) falls in (by its first character), or None."""
    lo, hi = 0, len(words) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        _, s, e = words[mid]
        if start < s:
            hi = mid - 1
        elif start >= e:
            lo = mid + 1
        else:
            return mid
    # a piece that starts in a space before its word: take the word it reaches into
    for i, (_, s, e) in enumerate(words):
        if s < end and start < e:
            return i
    return None
