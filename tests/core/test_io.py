"""Atomic writes and safe exports."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from bertdesk.core import io as bio
from bertdesk.core.errors import OutputError


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with bio.atomic_path(target) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("killed mid-write")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["out.csv"]


def test_atomic_dir_replaces_whole_folder(tmp_path):
    target = tmp_path / "model"
    with bio.atomic_dir(target) as tmp:
        (tmp / "a.txt").write_text("1")
    with pytest.raises(RuntimeError):
        with bio.atomic_dir(target) as tmp:
            (tmp / "b.txt").write_text("2")
            raise RuntimeError("crash")
    assert sorted(p.name for p in target.iterdir()) == ["a.txt"]
    with bio.atomic_dir(target) as tmp:
        (tmp / "c.txt").write_text("3")
    assert sorted(p.name for p in target.iterdir()) == ["c.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


@pytest.mark.parametrize("cell,expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+cmd", "'+cmd"), ("@SUM(A1)", "'@SUM(A1)"),
    ("-2.5", "-2.5"), ("+3", "+3"), ("\tx", "'\tx"), ("plain", "plain"), (7, 7),
])
def test_formula_cells_are_neutralised(cell, expected):
    assert bio.neutralise_cell(cell) == expected


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".tsv"])
def test_write_table_neutralises_and_round_trips(tmp_path, suffix):
    df = pd.DataFrame({"text": ["=1+1", "normal, with comma", "中文"], "n": ["1", "2", "3"]})
    path = tmp_path / f"out{suffix}"
    bio.write_table(df, path)
    back = pd.read_excel(path, dtype=str) if suffix == ".xlsx" else pd.read_csv(
        path, sep="\t" if suffix == ".tsv" else ",", dtype=str, encoding="utf-8-sig")
    assert back["text"].tolist() == ["'=1+1", "normal, with comma", "中文"]


def test_unwritable_places_give_clear_errors(tmp_path):
    with pytest.raises(OutputError, match="folder does not exist"):
        bio.write_text(tmp_path / "missing" / "x.csv", "a")
    with pytest.raises(OutputError, match="is a folder"):
        bio.write_text(tmp_path, "a")
    with pytest.raises(OutputError, match="unknown output type"):
        bio.write_table(pd.DataFrame({"a": [1]}), tmp_path / "x.pdf")


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root can write anywhere")
def test_permission_denied(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="permission denied"):
            bio.write_text(locked / "x.csv", "a")
    finally:
        locked.chmod(0o700)
