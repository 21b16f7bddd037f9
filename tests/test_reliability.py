"""Nothing lost, nothing corrupt: bad input, killed processes, cancel at every phase, offline, OOM."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from bertdesk.core.labeling import label_file
from bertdesk.cli import main
from bertdesk.core.cancel import CancelToken, Cancelled
from bertdesk.core.config import TrainConfig
from bertdesk.core.errors import DataError
from bertdesk.core.events import Progress
from bertdesk.core.runs import pending_run, run_dir_for
from bertdesk.core.training import train

REPO = Path(__file__).resolve().parents[1]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _xlsx_bytes(make) -> bytes:
    import io

    import openpyxl
    book = openpyxl.Workbook()
    make(book)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _merged(book):
    ws = book.active
    ws.append(["text", "label"])
    ws.append(["merged across two rows", "pos"])
    ws.append([None, None])
    ws.merge_cells("A2:A3")
    ws.append(["=CONCAT(\"a\",\"b\")", "neg"])


def _one_class(book):
    ws = book.active
    ws.append(["text", "label"])
    for i in range(5):
        ws.append([f"text {i}", "same"])


# name, file name, bytes, extra CLI options, what the one-line error must say
BAD_INPUTS = [
    ("zero bytes", "d.csv", b"", [], "d.csv: the file is empty (0 bytes)"),
    ("header only", "d.csv", b"text,label\n", [], "has a header but no data rows"),
    ("binary garbage", "d.csv", bytes(range(256)) * 40, [], "binary content"),
    ("ragged rows", "d.csv", b"text,label\na,b\nc,d,e\n", [], "line 3 has 3 fields but the header has 2"),
    ("unclosed quote", "d.csv", b'text,label\n"open,b\nc,d\n', [], "never closed"),
    ("no header name", "d.csv", b"text,,label\na,x,b\n", [], "has no name in the header row"),
    ("duplicate names", "d.csv", b"text,text\na,b\n", [], "'text' appears twice"),
    ("wrong delimiter forced", "d.csv", b"text;label\na;b\n", ["--delimiter", ","], "cannot tell which column"),
    ("unknown encoding", "d.csv", b"text,label\na,b\n", ["--encoding", "klingon-8"], "cannot be read as klingon-8"),
    ("missing column", "d.csv", b"text,label\na,b\nc,d\n", ["--text-col", "body"], "no column named 'body'"),
    ("only empty texts", "d.csv", b"text,label\n ,a\n\t,b\n", [], "no row has a labeled text"),
    ("one class", "d.xlsx", _xlsx_bytes(_one_class), [], "every row has the same label ('same')"),
    ("thousands of classes", "d.csv",
     ("text,label\n" + "".join(f"t{i},c{i}\n" for i in range(3000))).encode(), [], "3000 different labels"),
    ("corrupt xlsx", "d.xlsx", b"PK\x03\x04garbage", [], "not a valid .xlsx workbook"),
    ("protected xlsx", "d.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), [], "password-protected"),
    ("missing sheet", "d.xlsx", _xlsx_bytes(_one_class), ["--sheet", "Data"], "no sheet named 'Data'"),
    ("jsonl broken", "d.jsonl", b'{"text": "a"\n', [], "not valid JSON Lines"),
    ("ner count mismatch", "d.csv", b"tokens,tags\nAna lives,B-PER\n", ["--task", "ner"], "row 2, column 'tags': 2 tokens but 1 tags"),
    ("ner unknown tag", "d.conll", b"Ana PERSON\n", ["--task", "ner"], "unknown tag 'PERSON'"),
    ("ner all O", "d.conll", b"a O\nb O\n", ["--task", "ner"], "no entity tags"),
    ("qa answer not in context", "d.csv", b"context,question,answer\nBlue or red.,Colour?,green\n", ["--task", "qa"],
     "row 2, column 'answer': the answer 'green' is not in its context"),
    ("qa wrong schema", "d.json", b'{"data": [{"title": "x"}]}', ["--task", "qa"], "not SQuAD-format JSON"),
    ("multilabel one label", "d.csv", b"text,topics\na,x\nb,x\n", ["--task", "multilabel", "--label-col", "topics"],
     "at least two different labels"),
]


@pytest.mark.parametrize("name,filename,content,extra,expected", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_training_input(tmp_path, tiny_model_dir, capsys, name, filename, content, extra, expected):
    path = tmp_path / filename
    path.write_bytes(content)
    before = _sha(path)
    code = main(["train", "--train", str(path), "--model", str(tiny_model_dir), "--out", str(tmp_path / "m"), *extra])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and err[0].startswith("error: ") and expected in err[0], err
    assert "Traceback" not in err[0]
    assert _sha(path) == before
    assert not (tmp_path / "m").exists()


def test_merged_cells_and_formulas_are_read_as_empty_and_skipped(tmp_path):
    from bertdesk.core.data import read_table
    from bertdesk.core.tasks import make_task

    path = tmp_path / "m.xlsx"
    path.write_bytes(_xlsx_bytes(_merged))
    ex = make_task("classify").examples_from_table(read_table(path), {})
    assert ex.texts == ["merged across two rows"]
    # the row under the merge is blank and dropped; the formula has no saved value: skipped, counted
    assert ex.skipped == {"empty text": 1}


def test_output_that_cannot_be_written(tmp_path, tiny_model_dir, capsys):
    from tests.conftest import write_sentiment_csv

    data = write_sentiment_csv(tmp_path / "in.csv")
    main(["train", "--train", str(data), "--model", str(tiny_model_dir), "--epochs", "1", "--max-length", "32",
          "--out", str(tmp_path / "model"), "--quiet"])
    capsys.readouterr()
    cases = [(tmp_path / "no" / "such" / "dir.csv", "the folder does not exist"),
             (tmp_path / "x.pdf", "unknown output type"),
             (tmp_path, "is a folder")]
    for target, expected in cases:
        code = main(["label", "--model", str(tmp_path / "model"), "--input", str(data), "--output", str(target)])
        err = capsys.readouterr().err.strip()
        assert code == 2 and expected in err, (target, err)


def test_full_disk_message():
    from bertdesk.core.io import _explain
    err = _explain(OSError(28, "No space left on device"), Path("out.csv"))
    assert str(err) == "out.csv: the disk is full; free some space and try again"
    # the real thing: /dev/full refuses every write with ENOSPC
    if Path("/dev/full").exists():
        with pytest.raises(OSError) as raw:
            with open("/dev/full", "wb") as fh:
                fh.write(b"x" * 10)
        assert "disk is full" in str(_explain(raw.value, Path("/dev/full")))


def test_existing_folders_are_never_emptied(tmp_path, sentiment_csv, tiny_model_dir):
    precious = tmp_path / "Documents"
    precious.mkdir()
    (precious / "thesis.docx").write_text("years of work")
    with pytest.raises(DataError, match="not a bertdesk model"):
        train(TrainConfig(train_file=str(sentiment_csv), model=str(tiny_model_dir), out_dir=str(precious)))
    with pytest.raises(DataError, match="home folder"):
        train(TrainConfig(train_file=str(sentiment_csv), model=str(tiny_model_dir), out_dir=str(Path.home())))
    assert (precious / "thesis.docx").read_text() == "years of work"


# ------------------------------------------------------------------ fuzzing the loaders

_WORKBOOK = None


def _damaged_workbook(cut_and_junk) -> bytes:
    """A valid zip holding a real workbook whose sheet XML is cut short and followed by junk."""
    import io
    import zipfile

    global _WORKBOOK
    if _WORKBOOK is None:
        _WORKBOOK = _xlsx_bytes(_one_class)
    cut, junk = cut_and_junk
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_WORKBOOK)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: cut % max(1, len(data))] + junk
            dst.writestr(item, data)
    return out.getvalue()


def test_fuzzed_files_never_raise_anything_but_data_errors(tmp_path):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from bertdesk.core.tasks import make_task

    cell = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
    csv_text = st.lists(st.lists(cell, min_size=0, max_size=4), max_size=6).map(
        lambda rows: "\n".join(st_sep.join(r) for r in rows for st_sep in [","]))
    trailing = st.lists(st.lists(cell, min_size=1, max_size=3), min_size=1, max_size=5).map(
        lambda rows: "text,label,\n" + "".join(",".join(r) + ",\n" for r in rows))     # Excel's trailing separator
    raw = st.one_of(st.binary(max_size=300), csv_text.map(lambda t: t.encode("utf-8")),
                    csv_text.map(lambda t: ("text,label\n" + t).encode("gb18030", errors="replace")),
                    trailing.map(lambda t: t.encode("utf-8")),
                    st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
                    st.tuples(st.integers(0, 10_000), st.binary(max_size=40)).map(_damaged_workbook))
    suffix = st.sampled_from([".csv", ".tsv", ".txt", ".xlsx", ".jsonl", ".conll", ".json"])
    counter = {"n": 0}

    @settings(max_examples=1000, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(content=raw, ext=suffix, task=st.sampled_from(["classify", "multilabel", "ner", "qa"]))
    def check(content, ext, task):
        counter["n"] += 1
        path = tmp_path / f"fuzz{ext}"
        path.write_bytes(content)
        try:
            t = make_task(task)
            ex = t.read_examples(path, {})
            if task in ("classify", "multilabel", "ner"):
                t.fit_labels(ex)
        except DataError as err:
            assert "\n" not in str(err)
        assert path.read_bytes() == content

    check()
    assert counter["n"] >= 1000


# ------------------------------------------------------------------ killed processes

WRITER = """
import sys, pandas as pd
from bertdesk.core.io import write_table
n = int(sys.argv[2])
i = 0
while True:
    i += 1
    write_table(pd.DataFrame({"gen": [i] * n, "text": ["x" * 50] * n}), sys.argv[1])
    print(i, flush=True)
"""


def test_killing_a_save_leaves_the_old_or_the_new_file(tmp_path):
    target = tmp_path / "out.csv"
    rng = random.Random(1)
    for attempt in range(8):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target), "20000"], stdout=subprocess.PIPE,
                                cwd=REPO, text=True)
        proc.stdout.readline()                      # at least one complete save
        time.sleep(rng.uniform(0.0, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        df = pd.read_csv(target, encoding="utf-8-sig")
        assert len(df) == 20000 and df["gen"].nunique() == 1      # one whole generation, never a mix
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "out.csv"]
    assert all(name.startswith(".out.csv.") for name in leftovers)  # only hidden temps, never the target


def test_kill_9_during_training_then_resume(tmp_path, tiny_model_dir):
    from tests.conftest import write_sentiment_csv

    data = write_sentiment_csv(tmp_path / "train.csv", 200)
    out = tmp_path / "model"
    cmd = [sys.executable, "-m", "bertdesk.cli", "train", "--train", str(data), "--model", str(tiny_model_dir),
           "--epochs", "6", "--batch-size", "8", "--max-length", "32", "--eval-steps", "10", "--patience", "0",
           "--out", str(out)]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run_dir = run_dir_for(out)
    deadline = time.time() + 240
    while time.time() < deadline and len(list(run_dir.glob("checkpoint-*"))) < 2:
        time.sleep(0.2)
    time.sleep(0.5)
    proc.kill()                                            # SIGKILL: no cleanup of any kind
    proc.wait()
    assert not out.exists()
    assert pending_run(out)["status"] == "running"
    last = max(int(p.name.split("-")[1]) for p in run_dir.glob("checkpoint-*")
               if (p / "trainer_state.json").exists())
    resumed = subprocess.run([sys.executable, "-m", "bertdesk.cli", "train", "--resume", str(out)],
                             cwd=REPO, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert f"Resuming from checkpoint-{last}" in resumed.stderr
    assert (out / "model.safetensors").exists() and not run_dir.exists()


# ------------------------------------------------------------------ cancel at every phase

@pytest.mark.parametrize("phase", ["reading", "tokenising", "loading", "training", "evaluating", "saving"])
def test_cancel_in_every_phase(tmp_path, sentiment_csv, tiny_model_dir, phase):
    token = CancelToken()

    def on_event(e):
        if isinstance(e, Progress) and e.phase == phase:
            token.cancel()

    config = TrainConfig(train_file=str(sentiment_csv), model=str(tiny_model_dir), out_dir=str(tmp_path / "m"),
                         epochs=1, batch_size=8, max_length=32)
    with pytest.raises(Cancelled):
        train(config, on_event, token)
    assert not (tmp_path / "m").exists()
    state = pending_run(tmp_path / "m")
    assert state is None or state["status"] == "cancelled"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".m.")] == []   # no half-written folder
    # the next run works
    train(config)
    assert (tmp_path / "m" / "bertdesk.json").exists()


# ------------------------------------------------------------------ paths from job files and names

def test_a_job_file_cannot_write_outside_its_folder(tmp_path, sentiment_csv, tiny_model_dir, capsys):
    from bertdesk.core.config import load_job

    jobs = tmp_path / "jobs"
    jobs.mkdir()
    for out in ("../escaped", "sub/../../escaped", str(tmp_path / "elsewhere")):
        job = jobs / "job.json"
        job.write_text(json.dumps({"schema": "bertdesk.job", "version": 1,
                                   "job": {"train_file": str(sentiment_csv), "model": str(tiny_model_dir),
                                           "out_dir": out, "epochs": 1, "batch_size": 8, "max_length": 32}}))
        before = _sha(job)
        with pytest.raises(DataError, match="outside the job file's folder"):
            load_job(job)
        assert main(["train", "--job", str(job)]) == 2
        assert "give --out" in capsys.readouterr().err
        assert not (tmp_path / "escaped").exists() and not (tmp_path / "elsewhere").exists()
        assert _sha(job) == before
    # inside its folder it is fine, and --out (the user's own choice) overrides the job
    assert load_job(jobs / "job.json", out_given=True).out_dir == str(tmp_path / "elsewhere")
    assert main(["train", "--job", str(jobs / "job.json"), "--out", str(tmp_path / "chosen"), "--json"]) == 0
    assert (tmp_path / "chosen" / "bertdesk.json").exists() and not (tmp_path / "elsewhere").exists()


@pytest.mark.parametrize("name, ok", [("reviews v2", True), ("模型-1", True), ("../up", False), ("a/b", False),
                                      ("a\\b", False), ("..", False), (".hidden", False), ("CON", False),
                                      ("nul.txt", False), ("trailing.", False), ("x" * 200, False),
                                      ("tab\there", False)])
def test_model_names_are_one_folder_never_a_path(name, ok, tmp_path):
    from bertdesk.core.workspace import folder_name_problem

    assert (folder_name_problem(name) == "") is ok
    if ok:
        assert (tmp_path / name).resolve().parent == tmp_path.resolve()


def test_cancel_while_labeling(tmp_path, sentiment_csv, tiny_model_dir):
    from bertdesk.core.predictor import Predictor

    train(TrainConfig(train_file=str(sentiment_csv), model=str(tiny_model_dir), out_dir=str(tmp_path / "m"),
                      epochs=1, max_length=32))
    big = pd.DataFrame({"text": [f"row {i}" for i in range(5000)]})
    src = tmp_path / "big.csv"
    big.to_csv(src, index=False)
    token = CancelToken()

    def on_event(e):
        if isinstance(e, Progress) and e.phase == "labeling" and e.done > 0:
            token.cancel()

    with pytest.raises(Cancelled):
        label_file(Predictor.load(tmp_path / "m"), src, tmp_path / "out.csv", on_event=on_event, cancel=token)
    assert not (tmp_path / "out.csv").exists()


# ------------------------------------------------------------------ offline, untrusted, memory

def test_works_with_the_network_off(tmp_path, sentiment_csv, monkeypatch):
    """Bundled model, training and labeling with every socket connection refused."""
    def refuse(*args, **kwargs):
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    assert main(["train", "--train", str(sentiment_csv), "--epochs", "1", "--max-length", "32", "--max-rows", "40",
                 "--out", str(tmp_path / "m"), "--quiet"]) == 0
    assert main(["label", "--model", str(tmp_path / "m"), "--input", str(sentiment_csv),
                 "--output", str(tmp_path / "o.csv"), "--quiet"]) == 0


def test_no_remote_code_and_no_pickle_loading_in_the_source():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "bertdesk").rglob("*.py"))
    assert "trust_remote_code=True" not in source
    assert "torch.load(" not in source
    assert "use_safetensors=True" in source


def test_gpu_out_of_memory_halves_the_batch_and_goes_on(tmp_path, sentiment_csv, tiny_model_dir, monkeypatch):
    """Fault injection: the first training attempt runs out of GPU memory."""
    import torch

    from bertdesk.core import training as T
    from bertdesk.core.events import Log
    from bertdesk.core.models import DeviceInfo

    monkeypatch.setattr(T, "choose_device", lambda prefer="auto", precision="auto": DeviceInfo("cuda", "test GPU", 8.0, "fp32", 2)
                        if prefer == "cuda-test" else DeviceInfo("cpu", "CPU", None, "fp32", 2))
    calls = []
    real = T._train_once

    def flaky(config, *args):
        calls.append((config.batch_size, config.grad_accum))
        if len(calls) == 1:
            raise torch.OutOfMemoryError("CUDA out of memory")
        return real(dataclasses.replace(config, device="cpu"), *args)

    monkeypatch.setattr(T, "_train_once", flaky)
    events = []
    config = TrainConfig(train_file=str(sentiment_csv), model=str(tiny_model_dir), out_dir=str(tmp_path / "m"),
                         epochs=1, batch_size=16, max_length=32, device="cuda-test")
    T.train(config, events.append)
    assert calls == [(16, 1), (8, 2)]
    assert any(isinstance(e, Log) and "batches of 8 and 2 accumulation steps" in e.message for e in events)
    assert json.loads((tmp_path / "m" / "bertdesk.json").read_text())["config"]["grad_accum"] == 2


def test_out_of_memory_on_cpu_is_a_clear_message(tmp_path, sentiment_csv, tiny_model_dir, monkeypatch):
    import torch

    from bertdesk.core import training as T

    def oom(*args):
        raise torch.OutOfMemoryError("alloc failed")

    monkeypatch.setattr(T, "_train_once", oom)
    with pytest.raises(T.BertdeskError, match="out of memory; lower the batch size"):
        T.train(TrainConfig(train_file=str(sentiment_csv), model=str(tiny_model_dir), out_dir=str(tmp_path / "m"),
                            device="cpu"))


def test_extremely_long_cell_is_read_and_labeled_in_windows(tmp_path, sentiment_csv, tiny_model_dir):
    from bertdesk.core.predictor import Predictor

    train(TrainConfig(train_file=str(sentiment_csv), model=str(tiny_model_dir), out_dir=str(tmp_path / "m"),
                      epochs=1, max_length=32))
    huge = "the kettle is great and " * 12_000                      # ~290,000 characters in one cell
    src = tmp_path / "long.csv"
    pd.DataFrame({"id": [1, 2], "text": [huge, "short one"]}).to_csv(src, index=False)
    predictor = Predictor.load(tmp_path / "m")
    result = label_file(predictor, src, tmp_path / "out.csv")
    back = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert result.rows == 2 and back["text"][0] == huge               # the cell survives whole
    assert back["pred_label"].tolist()[0] in ("neg", "pos")
    features = predictor.task.encode(predictor.tokenizer, predictor.task.examples_from_texts([huge]),
                                      with_labels=False)
    assert len(features) > 1000                                      # windows over all of it, no truncation
