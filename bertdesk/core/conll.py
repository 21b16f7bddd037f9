"""CoNLL-style token files and IOB tag schemes."""

from __future__ import annotations

import re
from pathlib import Path

from .data import read_text_lines
from .errors import DataError

WORD_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|\w+(?:[-'’.]\w+)*|[^\w\s]",
                     re.UNICODE)


def read_conll(path: str | Path) -> tuple[list[list[str]], list[list[str]], list[int]]:
    """Sentences of (tokens, tags) from a CoNLL file: one token a line, the tag in the last column,
    a blank line between sentences, ``-DOCSTART-`` lines ignored. Returns tokens, tags and the
    1-based line number where each sentence starts."""
    tokens, tags, starts = [], [], []
    cur_tok, cur_tag, start = [], [], 0
    for number, line in enumerate(read_text_lines(Path(path)), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("-DOCSTART-"):
            if cur_tok:
                tokens.append(cur_tok)
                tags.append(cur_tag)
                starts.append(start)
                cur_tok, cur_tag = [], []
            continue
        parts = stripped.split()
        if len(parts) < 2:
            raise DataError(f"line {number} has no tag (expected 'token ... TAG')", file=path)
        if not cur_tok:
            start = number
        cur_tok.append(parts[0])
        cur_tag.append(parts[-1])
    if cur_tok:
        tokens.append(cur_tok)
        tags.append(cur_tag)
        starts.append(start)
    if not tokens:
        raise DataError("has no sentences (expected one 'token TAG' per line)", file=path)
    return tokens, tags, starts


def looks_like_conll(path: str | Path) -> bool:
    """True when the first non-blank lines are 'token ... TAG' rows rather than a delimited table."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return False
    lines = [l for l in head.splitlines()[:30] if l.strip() and not l.startswith("-DOCSTART-")]
    if not lines:
        return False
    tagged = sum(1 for l in lines if re.fullmatch(r"\S+(?:[ \t]+\S+)*[ \t]+(?:O|[BIES]-\S+)", l.strip()))
    return tagged >= 0.8 * len(lines)


def check_tags(tags: list[str], where: str, path=None) -> None:
    for tag in tags:
        if tag != "O" and not re.fullmatch(r"[BIES]-.+", tag):
            raise DataError(f"{where}: unknown tag '{tag}' (expected O, B-TYPE or I-TYPE)", file=path)


def is_iob1(sentences: list[list[str]]) -> bool:
    """IOB1 starts entities with I- and uses B- only between two adjacent entities of one type."""
    for tags in sentences:
        prev = "O"
        for tag in tags:
            if tag.startswith("I-") and (prev == "O" or prev[2:] != tag[2:]):
                return True
            prev = tag
    return False


def iob1_to_iob2(tags: list[str]) -> list[str]:
    out, prev = [], "O"
    for tag in tags:
        if tag.startswith("I-") and (prev == "O" or prev[2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return out


def spans(tags: list[str]) -> list[tuple[str, int, int]]:
    """Entity spans (type, first word, last word inclusive) of an IOB2 tag sequence; a stray I-
    starts a new entity, as seqeval does."""
    out, cur = [], None
    for i, tag in enumerate(list(tags) + ["O"]):
        if tag == "O" or tag.startswith("B-") or (tag.startswith("I-") and (cur is None or cur[0] != tag[2:])):
            if cur is not None:
                out.append((cur[0], cur[1], i - 1))
                cur = None
            if tag != "O":
                cur = (tag[2:], i)
    return out


def split_words(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Words of untokenised text with their character offsets; each CJK character is a word."""
    words, offsets = [], []
    for m in WORD_RE.finditer(text):
        words.append(m.group())
        offsets.append((m.start(), m.end()))
    return words, offsets
