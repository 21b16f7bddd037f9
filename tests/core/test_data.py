"""Reading users' tables: encodings, delimiters, messy files, clear errors, column detection, splits."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from bertdesk.core import data as D
from bertdesk.core.errors import DataError


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("encoding,text", [
    ("utf-8", "café,positive\nnaïve,negative\n"),
    ("utf-8-sig", "café,positive\nnaïve,negative\n"),
    ("gb18030", "这个水壶很好用,正面\n质量太差了,负面\n"),
    ("cp1252", "café crème,positive\nnaïve façade,negative\n"),
])
def test_encodings_are_sniffed_and_text_survives(tmp_path, encoding, text):
    path = tmp_path / "t.csv"
    path.write_bytes(("text,label\n" + text).encode(encoding))
    table = D.read_table(path)
    expected = [line.split(",")[0] for line in text.strip().splitlines()]
    assert table.df["text"].tolist() == expected
    assert list(table.df.columns) == ["text", "label"]  # a BOM never sticks to the first name


@pytest.mark.parametrize("sep", [";", "\t", "|", ","])
def test_delimiter_is_sniffed(tmp_path, sep):
    path = tmp_path / "t.csv"
    path.write_text(sep.join(["id", "text", "label"]) + "\n" +
                    "\n".join(sep.join([str(i), f"text number {i}", "a" if i % 2 else "b"]) for i in range(20)),
                    encoding="utf-8")
    table = D.read_table(path)
    assert table.delimiter == sep
    assert table.df.shape == (20, 3)


def test_quoted_fields_with_newlines_and_commas(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('text,label\n"line one\nline two, with comma",pos\n"say ""hi""",neg\n', encoding="utf-8")
    df = D.read_table(path).df
    assert df["text"].tolist() == ["line one\nline two, with comma", 'say "hi"']


def test_values_round_trip_as_written(tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("id,text,label\n007,hello,1\n,NA,0\n", encoding="utf-8")
    df = D.read_table(path).df
    assert df["id"].tolist() == ["007", ""]          # no int parsing, no NaN guessing
    assert df["text"].tolist() == ["hello", "NA"]


@pytest.mark.parametrize("content,expected", [
    (b"", "empty (0 bytes)"),
    (b"text,label\n", "no data rows"),
    (b"\x00\x01\x02\x03garbage\x00\xff" * 50, "binary"),
    (b"text,label\na,b\nc,d,e,f\n", "line 3 has 4 fields but the header has 2"),
    (b"text,,label\na,b,c\n", "column 2 (B) has no name"),
    (b"text,label,text\na,b,c\n", "'text' appears twice"),
    (b'text,label\n"never closed,a\n', "never closed"),
])
def test_bad_files_give_one_line_errors_and_stay_untouched(tmp_path, content, expected):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    before = _digest(path)
    with pytest.raises(DataError) as err:
        D.read_table(path)
    message = str(err.value)
    assert expected in message
    assert message.startswith("bad.csv")
    assert "\n" not in message
    assert _digest(path) == before


def test_mixed_encodings_are_reported_with_a_line(tmp_path):
    path = tmp_path / "mixed.csv"
    good = "text,label\n" + "".join(f"row {i} fine,a\n" for i in range(20000))
    path.write_bytes(good.encode() + "café,b\n".encode("cp1252"))
    with pytest.raises(DataError, match="not valid utf-8"):
        D.read_table(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DataError, match="not found"):
        D.read_table(tmp_path / "nope.csv")
    with pytest.raises(DataError, match="folder"):
        D.read_table(tmp_path)


def test_xlsx_sheets_and_blank_rows(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"note": ["x"]}).to_excel(writer, sheet_name="About", index=False)
        pd.DataFrame({"review": ["good", None, "bad"], "stars": [5, None, 1]}).to_excel(
            writer, sheet_name="Data", index=False)
    first = D.read_table(path)
    assert first.sheets == ["About", "Data"] and first.sheet == "About"
    data = D.read_table(path, sheet="Data")
    assert data.df["review"].tolist() == ["good", "bad"]          # the blank row is dropped
    with pytest.raises(DataError, match="no sheet named 'Nope'"):
        D.read_table(path, sheet="Nope")


@pytest.mark.parametrize("content,expected", [
    (b"PK\x03\x04 this is not really a zip", "not a valid .xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "password-protected"),
    (b"hello", "not a valid .xlsx"),
])
def test_corrupt_or_protected_xlsx(tmp_path, content, expected):
    path = tmp_path / "book.xlsx"
    path.write_bytes(content)
    with pytest.raises(DataError, match=expected):
        D.read_table(path)


def test_jsonl(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "good", "label": "pos"}\n{"text": "bad", "label": "neg"}\n', encoding="utf-8")
    assert D.read_table(path).df["label"].tolist() == ["pos", "neg"]
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(DataError, match="JSON Lines"):
        D.read_table(path)


def test_column_guessing():
    df = pd.DataFrame({"id": ["1", "2", "3", "4"], "Review Text": ["long words here", "more text", "x y z", "abc"],
                       "Sentiment": ["pos", "neg", "pos", "neg"]})
    assert D.guess_text_column(df) == "Review Text"
    assert D.guess_label_column(df, exclude=["Review Text"]) == "Sentiment"
    unnamed = pd.DataFrame({"a": ["1", "2", "3", "4"], "b": ["a long sentence", "another sentence here", "words", "w"],
                            "c": ["x", "y", "x", "y"]})
    assert D.guess_text_column(unnamed) == "b"
    assert D.guess_label_column(unnamed, exclude=["b"]) == "c"


def test_binary_columns_and_separator_detection():
    df = pd.DataFrame({"text": ["a", "b", "c"], "joy": ["1", "0", "0"], "anger": ["0", "1", "1"], "n": ["3", "5", "9"]})
    assert D.guess_binary_label_columns(df, exclude=["text"]) == ["joy", "anger"]
    assert D.detect_label_separator(pd.Series(["a;b", "c", "a"])) == ";"
    assert D.detect_label_separator(pd.Series(["a|b", "c"])) == "|"
    assert D.detect_label_separator(pd.Series(["a", "c"])) is None


@pytest.mark.parametrize("value,expected", [(1, "1"), (1.0, "1"), ("1.0", "1"), (" pos ", "pos"),
                                            (True, "1"), (float("nan"), ""), (2.5, "2.5")])
def test_labels_have_one_spelling(value, expected):
    assert D.normalise_label(value) == expected


def test_split_is_seeded_and_stratified():
    labels = ["a"] * 80 + ["b"] * 20
    tr1, ev1 = D.split_indices(labels, 0.1, seed=3)
    tr2, ev2 = D.split_indices(labels, 0.1, seed=3)
    assert np.array_equal(ev1, ev2) and len(ev1) == 10 and len(tr1) == 90
    assert sorted(labels[i] for i in ev1).count("b") == 2           # 20 % of the held-out rows
    assert not set(tr1) & set(ev1)
    _, ev3 = D.split_indices(labels, 0.1, seed=4)
    assert not np.array_equal(ev1, ev3)


def test_split_refuses_too_few_rows():
    with pytest.raises(DataError, match="too few"):
        D.split_indices(["a"], 0.1, seed=0)
