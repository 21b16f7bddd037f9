"""The same job in one process and in two (torchrun, gloo, 2 CPU processes): the job's batch is the
effective batch, split over the processes, so both take the same optimizer steps and should reach
the same accuracy.

Per seed: SST-2, the first --rows training sentences (seeded split of bertdesk's own), 1 epoch,
batch 16, evaluated on the dev set (872 sentences), run as `bertdesk-cli train` and as
`torchrun --nproc_per_node 2 -m bertdesk.cli train`, whole processes, one after the other.

    python tests/benchmarks/processes.py [--rows 2000] [--seeds 42 43 44] [--data-dir ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def run(cmd: list[str], env: dict) -> tuple[dict, float]:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stderr[-3000:]}")
    return json.loads([line for line in done.stdout.splitlines() if line.startswith("{")][-1]), seconds


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--seeds", type=int, nargs="*", default=[42, 43, 44])
    ap.add_argument("--data-dir", type=Path, default=DATA)
    args = ap.parse_args(argv)
    sst = args.data_dir / "sst2"
    if not (sst / "train.tsv").is_file():
        print(f"error: no sst2/train.tsv under {args.data_dir}", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="bench-processes-"))
    results = {"1 process": [], "2 processes": []}
    for seed in args.seeds:
        common = ["train", "--train", str(sst / "train.tsv"), "--eval", str(sst / "dev.tsv"), "--max-rows",
                  str(args.rows), "--epochs", "1", "--batch-size", "16", "--seed", str(seed), "--json"]
        one, t_one = run([sys.executable, "-m", "bertdesk.cli", *common, "--out", str(tmp / f"one-{seed}")],
                         dict(os.environ))
        two, t_two = run([sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2",
                          "--master_port", "29561", "-m", "bertdesk.cli", *common, "--out", str(tmp / f"two-{seed}")],
                         {**os.environ, "OMP_NUM_THREADS": "1"})
        for name, res, secs in (("1 process", one, t_one), ("2 processes", two, t_two)):
            meta = json.loads((tmp / f"{'one' if name == '1 process' else 'two'}-{seed}" / "bertdesk.json").read_text())
            row = {"seed": seed, "system": name, "accuracy": round(100 * res["accuracy"], 2),
                   "optimizer_steps": meta.get("optimizer_steps"), "world_size": meta.get("world_size"),
                   "seconds": round(secs, 1)}
            results[name].append(row)
            print(json.dumps(row), flush=True)
    for name, rows in results.items():
        acc = [r["accuracy"] for r in rows]
        print(f"{name}: accuracy mean {statistics.mean(acc):.2f} (min {min(acc):.2f}, max {max(acc):.2f}); "
              f"optimizer steps {[r['optimizer_steps'] for r in rows]}", flush=True)
    diff = statistics.mean(r["accuracy"] for r in results["2 processes"]) - \
        statistics.mean(r["accuracy"] for r in results["1 process"])
    print(f"2 processes - 1 process: {diff:+.2f} points (mean of {len(args.seeds)} seeds)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
