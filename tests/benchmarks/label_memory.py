"""Peak memory while labeling a generated 1,000,000-row CSV, the app's way or the CLI's.

Writes the CSV (short generated texts, three extra columns), labels it in a child process and
samples its resident memory; prints the RSS after start-up (model loaded), the peak, and the
growth. The labeling streams in chunks, so the growth should stay flat in the row count.

``--via app`` (the default) runs the Label page's jobs as the app does, without the window:
``bertdesk.app.labeling.label`` (into the workspace's kept file) and then ``export`` to a CSV.
``--via cli`` runs ``bertdesk-cli label``.

    python tests/benchmarks/label_memory.py --model DIR [--rows 1000000] [--fast] [--via app|cli] [--json out.json]
    python tests/benchmarks/label_memory.py --tiny [--rows 1000000]

``--tiny`` labels with a 2-layer, 128-wide BERT trained here for one epoch on the sample reviews
(what is measured is the streaming, which does not depend on the model's size; the bundled model
would need about an hour for a million rows on two CPU cores).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil


def write_csv(path: Path, rows: int) -> None:
    rng = random.Random(0)
    words = ("good bad fine awful great kettle lamp phone arrived broke love hate price quality service "
             "delivery fast slow cheap solid").split()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("id,date,text,stars\n")
        for i in range(rows):
            text = " ".join(rng.choice(words) for _ in range(rng.randint(3, 14)))
            fh.write(f"{i},2026-03-{i % 28 + 1:02d},{text},{rng.randint(1, 5)}\n")


# the Label page's two jobs, in the order the page runs them
APP_JOBS = """
import sys
from bertdesk.app import labeling
model, src, out, fast = sys.argv[1:5]
result = labeling.label(model, src, {"text": "text"}, fast=bool(fast))
labeling.export(result["output"], out, src, result["rows"])
labeling.discard(result["output"])
"""


def tiny_model(tmp: Path) -> Path:
    repo = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(repo))
    from bertdesk.core.config import TrainConfig
    from bertdesk.core.training import train
    from tests.conftest import make_tiny_bert

    base = make_tiny_bert(tmp / "tiny-bert")
    train(TrainConfig(train_file=str(repo / "resources" / "samples" / "reviews.csv"), model=str(base),
                      columns={"text": "text", "label": "sentiment"}, out_dir=str(tmp / "tiny-model"), epochs=1,
                      max_length=64, patience=None))
    return tmp / "tiny-model"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path)
    ap.add_argument("--tiny", action="store_true", help="build and train a tiny model to label with")
    ap.add_argument("--fast", action="store_true", help="label in the fast mode (onnx-int8)")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--via", choices=("app", "cli"), default="app")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if not args.model and not args.tiny:
        ap.error("give --model DIR or --tiny")
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        if args.tiny:
            args.model = tiny_model(Path(tmp))
        src, out = Path(tmp) / "big.csv", Path(tmp) / "big-labeled.csv"
        write_csv(src, args.rows)
        t0 = time.time()
        if args.via == "cli":
            cmd = [sys.executable, "-m", "bertdesk.cli", "label", "--model", str(args.model), "--input", str(src),
                   "--output", str(out), "--text-col", "text", "--quiet"] + (["--fast"] if args.fast else [])
        else:
            cmd = [sys.executable, "-c", APP_JOBS, str(args.model), str(src), str(out), "1" if args.fast else ""]
        env = dict(os.environ, BERTDESK_WORKSPACE=str(Path(tmp) / "workspace"))
        proc = subprocess.Popen(cmd, env=env)
        p = psutil.Process(proc.pid)
        samples = []
        while proc.poll() is None:
            try:
                samples.append((time.time() - t0, p.memory_info().rss))
            except psutil.NoSuchProcess:
                break
            time.sleep(0.2)
        seconds = time.time() - t0
        if proc.returncode != 0:
            print("error: labeling failed", file=sys.stderr)
            return 1
        lines = sum(1 for _ in open(out, encoding="utf-8-sig")) - 1
        size_mb = src.stat().st_size / 2**20
    # the baseline: memory once the model is loaded and the first chunk is under way
    settled = [rss for t, rss in samples if t > 15] or [rss for _, rss in samples]
    start_rss = settled[0]
    peak = max(rss for _, rss in samples)
    result = {"via": args.via, "rows": args.rows, "model": "tiny" if args.tiny else str(args.model), "fast": args.fast, "rows_written": lines, "csv_mb": round(size_mb, 1), "seconds": round(seconds, 1),
              "rows_per_s": round(args.rows / seconds, 1), "rss_after_start_mb": round(start_rss / 2**20),
              "peak_rss_mb": round(peak / 2**20), "growth_mb": round((peak - start_rss) / 2**20)}
    print(json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps({"result": result, "samples": samples}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
