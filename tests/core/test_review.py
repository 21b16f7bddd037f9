"""Reviewing labels: decisions, undo, the reviewed copy (never the original), and going on later."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from bertdesk.core.data import read_table
from bertdesk.core.errors import DataError
from bertdesk.core.review import CHANGED, KEPT, LABEL_BEFORE, LABELED, REVIEWED, ReviewSheet, reviewed_copy_path


def _sheet(tmp_path, suffix=".csv"):
    df = pd.DataFrame({"id": [1, 2, 3, 4], "text": ["great kettle", "awful lamp", "fine mug", "love it"],
                       "label": ["pos", "pos", "", "neg"]})
    path = tmp_path / f"reviews{suffix}"
    if suffix == ".xlsx":
        df.to_excel(path, index=False)
    else:
        df.to_csv(path, index=False)
    return path


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_each_decision_is_saved_to_the_copy_and_the_original_is_never_written(tmp_path):
    path = _sheet(tmp_path)
    before, mtime = _digest(path), path.stat().st_mtime_ns
    sheet = ReviewSheet.open(path, "text", "label", labels=["neg", "pos"])
    assert sheet.copy_path == tmp_path / "reviews.reviewed.csv" and not sheet.resumed
    assert sheet.set_label(1, "neg")                        # a wrong label corrected
    copy = read_table(sheet.copy_path).df
    assert copy["label"].tolist() == ["pos", "neg", "", "neg"]
    assert copy[REVIEWED].tolist() == ["", CHANGED, "", ""] and copy[LABEL_BEFORE].tolist() == ["", "pos", "", ""]
    assert sheet.keep(0) and not sheet.keep(0)             # kept once; nothing more to confirm
    assert sheet.set_label(2, "pos")                        # an unlabeled row labeled
    assert sheet.counts() == {KEPT: 1, CHANGED: 1, LABELED: 1}
    copy = read_table(sheet.copy_path).df
    assert copy[REVIEWED].tolist() == [KEPT, CHANGED, LABELED, ""] and copy["id"].tolist() == ["1", "2", "3", "4"]
    assert _digest(path) == before and path.stat().st_mtime_ns == mtime


def test_undo_takes_back_the_last_decision_and_saves(tmp_path):
    sheet = ReviewSheet.open(_sheet(tmp_path), "text", "label")
    sheet.set_label(1, "neg")
    sheet.set_label(1, "pos")                               # back to the first label: kept
    assert sheet.label(1) == "pos" and sheet.status(1) == KEPT
    assert sheet.undo() == 1
    assert sheet.label(1) == "neg" and sheet.status(1) == CHANGED
    assert sheet.undo() == 1 and sheet.undo() is None
    assert read_table(sheet.copy_path).df[REVIEWED].tolist() == ["", "", "", ""]
    with pytest.raises(DataError):
        sheet.set_label(0, "  ")


def test_opening_the_original_again_goes_on_from_the_copy(tmp_path):
    path = _sheet(tmp_path)
    sheet = ReviewSheet.open(path, "text", "label")
    sheet.set_label(3, "pos")
    again = ReviewSheet.open(path, "text", "label")
    assert again.resumed and again.label(3) == "pos" and again.status(3) == CHANGED
    assert again.df.at[3, LABEL_BEFORE] == "neg"
    direct = ReviewSheet.open(sheet.copy_path, "text", "label")         # the copy itself opened
    assert direct.copy_path == sheet.copy_path and direct.label(3) == "pos"


def test_a_workbook_gets_a_workbook_copy(tmp_path):
    path = _sheet(tmp_path, ".xlsx")
    sheet = ReviewSheet.open(path, "text", "label")
    sheet.set_label(0, "neg")
    assert sheet.copy_path.name == "reviews.reviewed.xlsx"
    assert read_table(sheet.copy_path).df["label"].tolist()[0] == "neg"


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root can write a read-only folder")
def test_a_read_only_folder_keeps_the_copy_in_the_workspace(tmp_path, workspace):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = _sheet(folder)
    folder.chmod(0o555)
    try:
        assert reviewed_copy_path(path).parent == workspace / "reviews"
    finally:
        folder.chmod(0o755)


def test_a_read_only_folder_keeps_the_copy_in_the_workspace_as_root(tmp_path, workspace, monkeypatch):
    path = _sheet(tmp_path)
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(tmp_path) else real(p, mode))
    sheet = ReviewSheet.open(path, "text", "label")
    sheet.set_label(0, "neg")
    assert sheet.copy_path == workspace / "reviews" / "reviews.reviewed.csv" and sheet.copy_path.is_file()


def test_missing_columns_are_named(tmp_path):
    with pytest.raises(DataError, match="no column named 'sentiment'"):
        ReviewSheet.open(_sheet(tmp_path), "text", "sentiment")


def test_the_copy_survives_a_kill(tmp_path):
    """Three decisions, then the process is killed (SIGKILL, no clean-up): all three are in the copy."""
    path = _sheet(tmp_path)
    script = textwrap.dedent(f"""
        import os, signal
        from bertdesk.core.review import ReviewSheet
        sheet = ReviewSheet.open({str(path)!r}, "text", "label")
        sheet.set_label(1, "neg")
        sheet.keep(0)
        sheet.set_label(2, "pos")
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    again = ReviewSheet.open(path, "text", "label")
    assert again.resumed and [again.status(i) for i in range(4)] == [KEPT, CHANGED, LABELED, ""]
    assert not list(tmp_path.glob(".*.tmp"))                # no half-written file left beside it
