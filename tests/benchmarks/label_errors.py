"""How well the suspicious-label finder finds labels flipped on purpose.

Takes --rows SST-2 training sentences (seeded sample), flips --flip of their labels at random
(seeded), runs ``core.label_errors.find_label_errors`` and scores the flags against the flipped
rows: precision and recall of the top k rows (k = the number flipped), and of the rows cleanlab
flags. Random flags would have precision = the flip rate.

    python tests/benchmarks/label_errors.py [--rows 2000] [--flip 0.1] [--method fast|kfold] [--seeds 42]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def flipped_sheet(data_dir: Path, rows: int, flip: float, seed: int, path: Path) -> np.ndarray:
    df = pd.read_csv(data_dir / "sst2" / "train.tsv", sep="\t", quoting=3, dtype=str, keep_default_na=False)
    df = df.sample(n=rows, random_state=seed).reset_index(drop=True)
    df["label"] = df["label"].map({"0": "negative", "1": "positive"})
    rng = np.random.default_rng(seed)
    flipped = rng.choice(rows, size=int(round(flip * rows)), replace=False)
    df.loc[flipped, "label"] = df.loc[flipped, "label"].map({"negative": "positive", "positive": "negative"})
    df.rename(columns={"sentence": "text"}).to_csv(path, index=False)
    return np.sort(flipped)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--flip", type=float, default=0.1)
    ap.add_argument("--method", choices=("fast", "kfold"), default="fast")
    ap.add_argument("--folds", type=int, default=4)
    ap.add_argument("--epochs", type=float, help="kfold: epochs of each fold's fine-tune (default: the quick preset's)")
    ap.add_argument("--seeds", type=int, nargs="*", default=[42])
    ap.add_argument("--data-dir", type=Path, default=DATA)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if not (args.data_dir / "sst2").exists():
        print(f"error: data sets not found in {args.data_dir}", file=sys.stderr)
        return 2
    from bertdesk.core.config import PRESETS, TrainConfig
    from bertdesk.core.label_errors import find_label_errors

    quick = PRESETS["quick"]         # what `bertdesk-cli find-errors` uses for each fold

    results = []
    for seed in args.seeds:
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            sheet = Path(tmp) / "sst2-flipped.csv"
            flipped = flipped_sheet(args.data_dir, args.rows, args.flip, seed, sheet)
            config = TrainConfig(train_file=str(sheet), columns={"text": "text", "label": "label"}, seed=seed,
                                 epochs=args.epochs or quick["epochs"], batch_size=quick["batch_size"],
                                 learning_rate=quick["learning_rate"], max_length=quick["max_length"], patience=None)
            t0 = time.perf_counter()
            res = find_label_errors(config, method=args.method, folds=args.folds)
            seconds = time.perf_counter() - t0
        df = res.table
        k = len(flipped)
        top = set(df.index[df["suspect_rank"].notna() & (df["suspect_rank"] <= k)])
        flagged = set(df.index[df["suspect"].eq(True)])
        truth = set(flipped.tolist())
        row = {"seed": seed, "method": args.method, "rows": args.rows, "flipped": k, "seconds": round(seconds, 1),
               "precision_at_k": round(len(top & truth) / k, 3), "recall_at_k": round(len(top & truth) / k, 3),
               "flagged": len(flagged),
               "flagged_precision": round(len(flagged & truth) / max(1, len(flagged)), 3),
               "flagged_recall": round(len(flagged & truth) / k, 3)}
        results.append(row)
        print(json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
