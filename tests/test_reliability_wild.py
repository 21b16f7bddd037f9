"""Reliability, second round: files from the wild, hand-edited jobs, two processes at once, huge
inputs, temporary files, privacy and the small contracts. Each case either gives one clean
``error:`` line (exit 2, input untouched, nothing written) or a correct result."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from bertdesk.cli import main
from bertdesk.core.data import read_table
from bertdesk.core.errors import DataError

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def model(tmp_path_factory, tiny_model_dir):
    from tests.conftest import write_sentiment_csv

    tmp = tmp_path_factory.mktemp("wild")
    sheet = write_sentiment_csv(tmp / "train.csv", n=40)
    assert main(["train", "--train", str(sheet), "--model", str(tiny_model_dir), "--epochs", "1", "--out",
                 str(tmp / "model"), "--quiet"]) == 0
    return tmp / "model"


def _error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert err and err[-1].startswith("error: ") and "Traceback" not in "".join(err), err
    return err[-1]


# ---------------------------------------------------------------- Excel-style CSV exports

EXCEL_CSVS = {
    "trailing separator on every line": b"text,label,\r\ngreat kettle,pos,\r\nawful lamp,neg,\r\n",
    "trailing separator on data lines only": b"text,label\ngreat kettle,pos,\nawful lamp,neg,\n",
    "blank column in the middle": b"id,,text,label\n1,,great kettle,pos\n2,,awful lamp,neg\n",
    "title lines above the header": b"Feedback export\nCreated 2026-12-01\n\ntext,label\ngreat kettle,pos\nawful lamp,neg\n",
    "windows line endings": b"text,label\r\ngreat kettle,pos\r\n\"awful\r\nlamp\",neg\r\n",
    "utf-16 (Excel's Unicode text)": "text\tlabel\ngreat kettle\tpos\nawful lamp\tneg\n".encode("utf-16"),
}


@pytest.mark.parametrize("case", list(EXCEL_CSVS), ids=list(EXCEL_CSVS))
def test_excel_style_csv_exports_are_labeled_whole(case, model, tmp_path, capsys):
    path = tmp_path / ("in.txt" if "utf-16" in case else "in.csv")
    path.write_bytes(EXCEL_CSVS[case])
    out = tmp_path / "out.csv"
    assert main(["label", "--model", str(model), "--input", str(path), "--output", str(out), "--quiet"]) == 0, \
        capsys.readouterr().err
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(df.columns[-2:]) == ["pred_label", "pred_score"] and len(df) == 2
    assert df["label"].tolist() == ["pos", "neg"] and df["text"].str.startswith(("great", "awful")).all()
    assert not any(c.startswith("Unnamed") for c in df.columns)
    assert path.read_bytes() == EXCEL_CSVS[case]


def test_a_last_field_that_is_not_empty_is_a_clean_error(model, tmp_path, capsys):
    path = tmp_path / "extra.csv"
    path.write_bytes(b"text,label\ngreat kettle,pos,oops\nawful lamp,neg,again\n")
    assert main(["label", "--model", str(model), "--input", str(path), "--output", str(tmp_path / "o.csv")]) == 2
    assert "the data rows have 3 fields but the header has 2" in _error_line(capsys)
    assert not (tmp_path / "o.csv").exists()


def test_duplicate_column_names_are_a_clean_error_in_labeling_too(model, tmp_path, capsys):
    path = tmp_path / "dup.csv"
    path.write_bytes(b"text,label,label\na,b,c\n")
    assert main(["label", "--model", str(model), "--input", str(path), "--output", str(tmp_path / "o.csv")]) == 2
    assert "the column name 'label' appears twice" in _error_line(capsys)


# ---------------------------------------------------------------- encodings

def test_western_names_are_never_read_as_chinese(tmp_path):
    # every accented letter here is followed by a letter: GB18030 accepts each pair (ü + l = 黮)
    rows = "name,city\nMüller,Köln\nSeñora,Garçon\n"
    raw = rows.encode("cp1252")
    assert raw.decode("gb18030") != rows                 # it would decode, wrongly
    path = tmp_path / "cp1252.csv"
    path.write_bytes(raw)
    table = read_table(path)
    assert table.encoding == "cp1252" and table.df["name"].tolist() == ["Müller", "Señora"]
    chinese = tmp_path / "gbk.csv"
    chinese.write_bytes("评论,标签\n房间很干净，服务很好,好评\n位置不方便，早餐一般,差评\n".encode("gbk"))
    assert read_table(chinese).df["标签"].tolist() == ["好评", "差评"]


# ---------------------------------------------------------------- workbooks

def _workbook(path: Path, rows, far=None):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    for row in rows:
        ws.append(row)
    if far:
        ws[far] = "x"
    book.save(path)
    return path


def test_a_workbook_with_damaged_sheet_xml_is_a_clean_error(tmp_path, capsys, model):
    good = _workbook(tmp_path / "good.xlsx", [["text", "label"], ["a", "b"]])
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]            # cut in the middle of a tag
            dst.writestr(item, data)
    before = bad.read_bytes()
    assert main(["label", "--model", str(model), "--input", str(bad), "--output", str(tmp_path / "o.csv")]) == 2
    assert "bad.xlsx: is not a valid .xlsx workbook" in _error_line(capsys)
    assert bad.read_bytes() == before and not (tmp_path / "o.csv").exists()


def test_a_far_cell_does_not_make_millions_of_cells(tmp_path):
    import tracemalloc

    path = _workbook(tmp_path / "far.xlsx", [["text", "label"]] + [[f"t{i}", "a"] for i in range(2000)], far="XFD1")
    tracemalloc.start()
    table = read_table(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert list(table.df.columns[:2]) == ["text", "label"] and table.df.shape[1] <= 3 and len(table.df) == 2000
    assert peak < 100_000_000                  # 2,000 rows padded to 16,384 columns: hundreds of MB


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b"\0" * (1 << 20)
            for _ in range(150):                        # 150 MB of zeros, a few hundred kB packed
                fh.write(block)
    with pytest.raises(DataError, match=r"would unpack to 150 MB from \d+(\.\d)? kB"):
        read_table(path)


def test_workbook_output_checks_its_row_limit_before_labeling(model, tmp_path, capsys, monkeypatch):
    import bertdesk.core.io as bio

    monkeypatch.setattr(bio, "EXCEL_MAX_ROWS", 5)
    path = tmp_path / "many.csv"
    path.write_text("text\n" + "".join(f"row {i}\n" for i in range(8)), encoding="utf-8")
    calls = []
    import bertdesk.core.labeling as lab
    real = lab.label_table
    monkeypatch.setattr(lab, "label_table", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert main(["label", "--model", str(model), "--input", str(path), "--output", str(tmp_path / "o.xlsx")]) == 2
    assert "an Excel sheet holds at most 5" in _error_line(capsys) and not calls


def test_workbook_cells_keep_plus_minus_at_and_lose_control_characters(tmp_path):
    from bertdesk.core.io import write_table

    df = pd.DataFrame({"text": ["+44 20 7946", "-rated", "@home", "=SUM(A1)", "bell\x07ring", "tab\tok"]})
    write_table(df, tmp_path / "o.xlsx")
    write_table(df, tmp_path / "o.csv")
    back = pd.read_excel(tmp_path / "o.xlsx", dtype=str)["text"].tolist()
    assert back == ["+44 20 7946", "-rated", "@home", "'=SUM(A1)", "bellring", "tab\tok"]
    assert pd.read_csv(tmp_path / "o.csv", dtype=str)["text"].tolist()[:4] == ["'+44 20 7946", "'-rated", "'@home",
                                                                               "'=SUM(A1)"]


# ---------------------------------------------------------------- job files and run folders

@pytest.mark.parametrize("job,expected", [
    ({"epochs": "three"}, "setting 'epochs' must be a number, not \"three\""),
    ({"columns": "text"}, "setting 'columns' must be an object"),
    ({"batch_size": 16.5}, "setting 'batch_size' must be a whole number"),
    ({"patience": True}, "setting 'patience' must be a whole number"),
    ({"colour": "red"}, "unknown job settings: colour"),
])
def test_hand_edited_job_files_are_refused_with_the_setting_named(job, expected, tmp_path, capsys):
    path = tmp_path / "job.json"
    path.write_text(json.dumps({"schema": "bertdesk.job", "version": 1,
                                "job": {"train_file": "t.csv", "out_dir": "m", **job}}), encoding="utf-8")
    assert main(["train", "--job", str(path)]) == 2
    line = _error_line(capsys)
    assert line.startswith("error: job.json: ") and expected in line


def test_a_newer_job_version_is_refused(tmp_path, capsys):
    path = tmp_path / "job.json"
    path.write_text(json.dumps({"schema": "bertdesk.job", "version": 99, "job": {}}), encoding="utf-8")
    assert main(["train", "--job", str(path)]) == 2
    assert "newer bertdesk" in _error_line(capsys)


@pytest.mark.parametrize("state", [{"status": "running", "job": "train it"},
                                   {"status": "running", "job": {"train_file": "t.csv", "out_dir": "/elsewhere/m"}}])
def test_an_edited_run_state_cannot_resume_or_write_elsewhere(state, tmp_path, capsys):
    run = tmp_path / "m.run"
    run.mkdir()
    (run / "run.json").write_text(json.dumps(state), encoding="utf-8")
    assert main(["train", "--resume", str(tmp_path / "m")]) == 2
    line = _error_line(capsys)
    assert "run.json" in line or "not to the folder given to resume" in line
    assert not Path("/elsewhere").exists()


# ---------------------------------------------------------------- QA data

QA_BAD = [
    ("squad start not a number", "q.json",
     json.dumps({"data": [{"title": "t", "paragraphs": [{"context": "Lyon is big.", "qas": [
         {"id": "1", "question": "What?", "answers": [{"text": "Lyon", "answer_start": "zero"}]}]}]}]}),
     "question '1': answer_start 'zero' is not a position in its context"),
    ("squad question null", "q.json",
     json.dumps({"data": [{"title": "t", "paragraphs": [{"context": "Lyon is big.", "qas": [
         {"id": "7", "question": None, "answers": [{"text": "Lyon", "answer_start": 0}]}]}]}]}),
     "question '7' has no question text (empty (null))"),
    ("csv start inf", "q.csv", "context,question,answer,answer_start\nLyon is big.,What?,Lyon,inf\n",
     "answer start 'inf' is not a position in the context"),
    ("csv start negative", "q.csv", "context,question,answer,answer_start\nLyon is big.,What?,Lyon,-3\n",
     "answer start '-3' is not a position"),
    ("csv start past the end", "q.csv", "context,question,answer,answer_start\nLyon is big.,What?,Lyon,400\n",
     "answer start '400' is not a position in the context (a whole number from 0 to 12)"),
]


@pytest.mark.parametrize("name,filename,content,expected", QA_BAD, ids=[c[0] for c in QA_BAD])
def test_bad_qa_answers_are_clean_errors(name, filename, content, expected, tmp_path, tiny_model_dir, capsys):
    path = tmp_path / filename
    path.write_text(content, encoding="utf-8")
    assert main(["train", "--task", "qa", "--train", str(path), "--model", str(tiny_model_dir),
                 "--out", str(tmp_path / "m")]) == 2
    assert expected in _error_line(capsys)
    assert not (tmp_path / "m").exists()


def test_a_numeric_squad_question_is_read_as_text(tmp_path):
    from bertdesk.core.tasks.qa import read_squad

    path = tmp_path / "q.json"
    path.write_text(json.dumps({"data": [{"title": "t", "paragraphs": [{"context": "Lyon is big.", "qas": [
        {"id": "1", "question": 42, "answers": [{"text": "Lyon", "answer_start": 0}]}]}]}]}), encoding="utf-8")
    assert read_squad(path).questions == ["42"]


# ---------------------------------------------------------------- model names

def test_a_model_name_that_is_nowhere_fails_in_seconds_and_says_what_was_tried(tmp_path, monkeypatch, capsys):
    import time

    sheet = tmp_path / "s.csv"
    sheet.write_text("text,label\na,x\nb,y\nc,x\nd,y\n", encoding="utf-8")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")          # nothing listens there
    t0 = time.time()
    assert main(["train", "--train", str(sheet), "--model", "models/mine", "--out", str(tmp_path / "m")]) == 2
    line = _error_line(capsys)
    assert time.time() - t0 < 30
    assert "'models/mine' is not a model folder here, not in the local model cache" in line
    assert "could not be reached" in line
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert main(["train", "--train", str(sheet), "--model", "models/mine", "--out", str(tmp_path / "m")]) == 2
    assert "downloads are off (offline mode)" in _error_line(capsys)
    (tmp_path / "models").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["train", "--train", str(sheet), "--model", "models/mine", "--out", str(tmp_path / "m")]) == 2
    assert "model folder not found" in _error_line(capsys)


# ---------------------------------------------------------------- output paths

def test_an_output_folder_that_cannot_be_created_is_refused_before_any_work(tmp_path, tiny_model_dir, capsys):
    sheet = tmp_path / "s.csv"
    sheet.write_text("text,label\na,x\nb,y\nc,x\nd,y\n", encoding="utf-8")
    assert main(["train", "--train", str(sheet), "--model", str(tiny_model_dir),
                 "--out", "/proc/bertdesk-test/model"]) == 2
    assert "cannot create the folder" in _error_line(capsys)


def test_output_dash_writes_csv_to_standard_output(model, tmp_path, capfd):
    path = tmp_path / "in.csv"
    path.write_text("text\ngreat kettle\nawful lamp\n", encoding="utf-8")
    assert main(["label", "--model", str(model), "--input", str(path), "--output", "-", "--quiet"]) == 0
    out, err = capfd.readouterr()
    lines = out.strip().splitlines()
    assert lines[0] == "text,pred_label,pred_score" and len(lines) == 3
    assert not (Path.cwd() / "-").exists() and "labeled 2 rows into standard output" in err
    assert main(["label", "--model", str(model), "--input", str(path), "--output", "-", "--json"]) == 2


def test_a_column_named_like_an_output_keeps_the_users_values(model, tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_text("text,pred_label\ngreat kettle,mine\nawful lamp,also mine\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    assert main(["label", "--model", str(model), "--input", str(path), "--output", str(out)]) == 0
    df = pd.read_csv(out, dtype=str)
    assert df["pred_label"].tolist() == ["mine", "also mine"] and "pred_label_2" in df.columns
    assert "its values are kept, and the predictions are in 'pred_label_2'" in capsys.readouterr().err


def test_an_output_that_is_the_input_through_a_link_is_refused(model, tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_text("text\na\n", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(path)
    assert main(["label", "--model", str(model), "--input", str(path), "--output", str(tmp_path / "link.csv")]) == 2
    assert "would overwrite the input" in _error_line(capsys)
    assert path.read_text(encoding="utf-8") == "text\na\n"


# ---------------------------------------------------------------- wide and huge

def test_a_csv_with_100000_columns_is_read_in_seconds(tmp_path):
    import time

    n = 100_000
    path = tmp_path / "wide.csv"
    path.write_text(",".join(["text"] + [f"c{i}" for i in range(n)]) + "\n" + ",".join(["hello"] + ["1"] * n) + "\n",
                    encoding="utf-8")
    t0 = time.time()
    table = read_table(path)
    assert table.df.shape == (1, n + 1) and time.time() - t0 < 60


def test_a_10_mb_cell_sorts_and_shows_without_copies_of_it(qapp):
    import tracemalloc

    from PySide6.QtCore import Qt

    from bertdesk.gui.views.table_model import MAX_TOOLTIP_CHARS, DataFrameModel

    big = "x" * 10_000_000
    model = DataFrameModel(pd.DataFrame({"text": [big] + [f"row {i}" for i in range(2000)]}))
    tracemalloc.start()
    model.sort(0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50_000_000                     # a fixed-width array would be 2,001 x 10 M x 4 bytes
    tip = model.data(model.index(model.order.tolist().index(0), 0), Qt.ItemDataRole.ToolTipRole)
    assert len(tip) < MAX_TOOLTIP_CHARS + 40


# ---------------------------------------------------------------- processes and files

def test_a_second_training_into_the_same_folder_is_refused(tmp_path, tiny_model_dir, capsys):
    from bertdesk.core.runs import run_lock

    sheet = tmp_path / "s.csv"
    sheet.write_text("text,label\na,x\nb,y\nc,x\nd,y\n", encoding="utf-8")
    out = tmp_path / "m"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\nfrom bertdesk.core.runs import run_lock\n"
        f"with run_lock({str(out)!r}):\n    print('held', flush=True)\n    time.sleep(60)\n")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert main(["train", "--train", str(sheet), "--model", str(tiny_model_dir), "--out", str(out)]) == 2
        assert "another bertdesk run is training into this model folder right now" in _error_line(capsys)
    finally:
        holder.kill()
        holder.wait()
    with run_lock(out):                          # the holder is gone: free again
        pass


def test_retraining_keeps_the_users_files_in_the_model_folder(tmp_path, tiny_model_dir):
    from tests.conftest import write_sentiment_csv

    sheet = write_sentiment_csv(tmp_path / "s.csv", n=30)
    args = ["train", "--train", str(sheet), "--model", str(tiny_model_dir), "--epochs", "0.5", "--out",
            str(tmp_path / "m"), "--quiet"]
    assert main(args) == 0
    (tmp_path / "m" / "my notes.txt").write_text("keep me", encoding="utf-8")
    assert main(args) == 0
    assert (tmp_path / "m" / "my notes.txt").read_text(encoding="utf-8") == "keep me"


def test_leftovers_of_a_killed_writer_are_swept_and_a_normal_run_leaves_nothing(tmp_path, model):
    import tempfile

    from bertdesk.core.io import write_text
    from bertdesk.core.tmpfiles import sweep

    dead = 2 ** 22 + 12345                       # no such process
    target = tmp_path / "out.csv"
    (tmp_path / f".out.csv.{dead}-abcdef12.tmp").write_text("half", encoding="utf-8")
    (tmp_path / f".out.csv.{dead}-abcdef13.old").mkdir()
    write_text(target, "whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    stale = Path(tempfile.gettempdir()) / f"bertdesk-fast-{dead}-xyz"
    stale.mkdir()
    assert sweep() >= 1 and not stale.exists()


def test_the_fast_cache_is_keyed_by_the_weights_content(model, tmp_path):
    import shutil

    from bertdesk.core.fast import weights_key

    copy = tmp_path / "copy"
    shutil.copytree(model, copy)
    assert weights_key(copy, "onnx") == weights_key(model, "onnx")            # same bytes, other time
    data = bytearray((copy / "model.safetensors").read_bytes())
    data[-1] ^= 1                                                            # one weight changed
    (copy / "model.safetensors").write_bytes(bytes(data))
    os.utime(copy / "model.safetensors", ns=(os.stat(model / "model.safetensors").st_atime_ns,
                                              os.stat(model / "model.safetensors").st_mtime_ns))
    assert weights_key(copy, "onnx") != weights_key(model, "onnx")


def test_the_training_childs_log_records_reach_the_log(tmp_path, monkeypatch):
    import logging

    from bertdesk.core.childproc import run_in_child

    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    handler = Keep()
    logging.getLogger("bertdesk").addHandler(handler)
    try:
        run_in_child("tests.core.childjobs:logs_a_warning")
    finally:
        logging.getLogger("bertdesk").removeHandler(handler)
    assert "[child] the child says hello" in records


def test_ctrl_c_exits_130_and_leaves_no_partial_output(tmp_path, model):
    import signal

    path = tmp_path / "big.csv"
    path.write_text("text\n" + "".join(f"row {i} is some text\n" for i in range(200_000)), encoding="utf-8")
    out = tmp_path / "o.csv"
    proc = subprocess.Popen([sys.executable, "-m", "bertdesk.cli", "label", "--model", str(model), "--input",
                             str(path), "--output", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=REPO,
                            # as from a terminal: a test run started in the background (`cmd &` in a
                            # script) passes Ctrl+C on as ignored, and Python then keeps ignoring it
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    # Ctrl+C once the labeling is under way (a fixed wait would miss it when the job is quick)
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if line.startswith("labeling:"):
            break
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    err = "".join(seen) + err
    assert proc.returncode == 130, err
    assert "error: cancelled" in err and not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".o.csv")]


# ---------------------------------------------------------------- privacy

def test_the_log_holds_no_user_text_and_only_its_owner_reads_it(model, tmp_path, monkeypatch):
    from bertdesk.core.logs import log_path

    secret = "my secret diary entry"
    assert main(["attention", "--model", str(model), "--text", secret, "--out", str(tmp_path / "a.png")]) == 0
    log = log_path()
    assert secret not in log.read_text(encoding="utf-8")
    if os.name != "nt":
        assert stat.S_IMODE(log.stat().st_mode) == 0o600


# ---------------------------------------------------------------- small contracts

@pytest.mark.parametrize("flag,expected", [("--help", "usage: bertdesk"), ("--version", "bertdesk 0.")])
def test_help_and_version_print_and_exit_without_a_screen(flag, expected):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = subprocess.run([sys.executable, "-m", "bertdesk", flag], capture_output=True, text=True, timeout=60,
                         cwd=REPO, env=env)
    assert out.returncode == 0 and out.stdout.startswith(expected) and "demo" not in out.stderr
