"""Peak memory while labeling a generated 1,000,000-row CSV with ``bertdesk-cli label``.

Writes the CSV (short generated texts, three extra columns), runs the CLI in a child process and
samples its resident memory; prints the RSS after start-up (model loaded), the peak, and the
growth. The labeling streams in chunks, so the growth should stay flat in the row count.

    python tests/benchmarks/label_memory.py --model DIR [--rows 1000000] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        src, out = Path(tmp) / "big.csv", Path(tmp) / "big-labeled.csv"
        write_csv(src, args.rows)
        t0 = time.time()
        proc = subprocess.Popen([sys.executable, "-m", "bertdesk.cli", "label", "--model", str(args.model),
                                 "--input", str(src), "--output", str(out), "--text-col", "text", "--quiet"])
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
    result = {"rows": args.rows, "rows_written": lines, "csv_mb": round(size_mb, 1), "seconds": round(seconds, 1),
              "rows_per_s": round(args.rows / seconds, 1), "rss_after_start_mb": round(start_rss / 2**20),
              "peak_rss_mb": round(peak / 2**20), "growth_mb": round((peak - start_rss) / 2**20)}
    print(json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps({"result": result, "samples": samples}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
