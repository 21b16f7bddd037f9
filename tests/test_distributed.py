"""The same job as 2 CPU processes under torchrun (gloo): training, and labeling merged in order."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from bertdesk.core.labeling import label_table
from bertdesk.core.config import TrainConfig, load_job, save_job
from bertdesk.core.distributed import shard_bounds
from bertdesk.core.predictor import Predictor

pytestmark = pytest.mark.slow


def _torchrun(args, cwd, n=2):
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MASTER_PORT": "29533"}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", str(n), "--master_port", "29533",
           "-m", "bertdesk.cli", *args]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("batch,accum,world,expected", [
    (8, 1, 2, (4, 1)),        # halves
    (8, 4, 2, (8, 2)),        # a process never takes more than the batch it was given (memory)
    (4, 8, 2, (4, 4)),        # after out-of-memory halving: still 4 per process, accumulation makes up
    (16, 1, 3, (6, 1)),       # does not divide: rounded up, and the log says so
    (16, 2, 1, (16, 2)),      # one process: as given
])
def test_the_jobs_batch_is_split_over_the_processes(batch, accum, world, expected):
    from bertdesk.core.config import split_batch

    per, steps, said = split_batch(batch, accum, world)
    assert (per, steps) == expected
    if world > 1 and per * steps * world == batch * accum:
        assert said.endswith(f"effective batch {batch * accum}, as in one process")
    elif world > 1:
        assert "does not split evenly" in said


@pytest.mark.parametrize("n_rows,world", [(10, 3), (2, 2), (101, 2), (0, 2)])
def test_shards_cover_every_row_once_in_order(n_rows, world):
    rows = [r for rank in range(world) for r in range(*shard_bounds(n_rows, rank, world))]
    assert rows == list(range(n_rows))


def test_job_file_paths_are_relative_to_the_job(tmp_path, sentiment_csv, tiny_model_dir):
    job = tmp_path / "job.json"
    save_job(TrainConfig(train_file=str(sentiment_csv), model=str(tiny_model_dir), out_dir=str(tmp_path / "m")), job)
    raw = json.loads(job.read_text())["job"]
    assert raw["train_file"] == "sentiment.csv" and raw["out_dir"] == "m"
    moved = tmp_path / "moved"
    moved.mkdir()
    (moved / "job.json").write_text(job.read_text())
    cfg = load_job(moved / "job.json")
    assert cfg.train_file == str(moved / "sentiment.csv") and cfg.out_dir == str(moved / "m")


def test_two_process_training_and_labeling(tmp_path, sentiment_csv, tiny_model_dir):
    job = tmp_path / "job.json"
    save_job(TrainConfig(train_file=str(sentiment_csv), model=str(tiny_model_dir), out_dir=str(tmp_path / "model"),
                         epochs=2, batch_size=8, max_length=32), job)
    run = _torchrun(["train", "--job", str(job), "--json"], tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    json_lines = [l for l in run.stdout.splitlines() if l.startswith("{")]
    assert len(json_lines) == 1                                  # only rank 0 reports
    result = json.loads(json_lines[0])
    assert result["n_train"] == 54 and result["n_eval"] == 6
    assert "2 processes: batch 4 per process x 1 accumulation step x 2 processes = effective batch 8" in run.stderr
    predictor = Predictor.load(tmp_path / "model")               # the folder rank 0 wrote loads
    assert predictor.meta["history"]
    # the same job in one process takes the same optimizer steps: the job's batch is the effective one
    from bertdesk.core.training import train
    single = load_job(job)
    single.out_dir = str(tmp_path / "single")
    train(single)
    one = Predictor.load(tmp_path / "single").meta
    assert predictor.meta["optimizer_steps"] == one["optimizer_steps"] == 14 and predictor.meta["world_size"] == 2
    # the folder keeps the job's batch, not the per-process share: a resume or a retraining splits it again
    assert predictor.meta["config"]["batch_size"] == 8 and predictor.meta["config"]["grad_accum"] == 1

    sheet = tmp_path / "sheet.csv"
    pd.DataFrame({"id": range(37), "text": [f"row {i} is {'great' if i % 2 else 'awful'}" for i in range(37)],
                  "extra": list("abcdefghijklmnopqrstuvwxyz0123456789!")}).to_csv(sheet, index=False)
    run = _torchrun(["label", "--model", str(tmp_path / "model"), "--input", str(sheet), "--output",
                     str(tmp_path / "out.xlsx")], tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    merged = pd.read_excel(tmp_path / "out.xlsx")
    assert merged["id"].tolist() == list(range(37))               # every row once, in order
    assert list(merged.columns) == ["id", "text", "extra", "pred_label", "pred_score"]
    single = label_table(predictor, pd.read_csv(sheet))
    assert merged["pred_label"].tolist() == single["pred_label"].tolist()
