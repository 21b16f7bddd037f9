"""Multi-label on GoEmotions: does the model learn, and what in the defaults makes it learn.

bertdesk trains on a seeded sample of train.csv; it tunes each label's threshold (and temperature)
on its own held-out 10 % of those rows; the figures are on dev.csv, rows neither training nor
threshold tuning saw. Baseline: the best constant label set ("always neutral").

  old      the head as transformers starts it (random weights, zero bias), one learning rate
  new      bertdesk's defaults: each label's bias at its log-odds in the training rows, the new head
           at MultiLabelTask.head_lr_factor x the learning rate
  weights  new + positive-class weights (--class-weights auto)

    python tests/benchmarks/multilabel.py [--rows 4000] [--epochs 2] [--lr 1e-4] [--batch 32] \\
        [--max-length 64] [--variants old new] [--seeds 42]
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


def run(variant: str, train_csv: Path, names: list[str], dev: pd.DataFrame, out: Path, args, seed: int) -> dict:
    from sklearn.metrics import f1_score

    from bertdesk.core.config import TrainConfig
    from bertdesk.core.predictor import Predictor
    from bertdesk.core.tasks.multilabel import MultiLabelTask
    from bertdesk.core.training import train

    saved = MultiLabelTask.init_head
    if variant == "old":
        MultiLabelTask.init_head = lambda self, *a, **k: None     # the head as transformers starts it
    try:
        t0 = time.perf_counter()
        train(TrainConfig(task="multilabel", train_file=str(train_csv), columns={"text": "text", "labels": names},
                          out_dir=str(out), epochs=args.epochs, batch_size=args.batch, learning_rate=args.lr,
                          max_length=args.max_length, seed=seed,
                          head_lr_factor=1.0 if variant == "old" else args.head_factor,
                          class_weights="auto" if variant == "weights" else "none"))
        seconds = time.perf_counter() - t0
    finally:
        MultiLabelTask.init_head = saved
    predictor = Predictor.load(out)
    outputs = predictor.predict(dev["text"].tolist())
    guess = np.stack([[label in p["labels"] for label in names] for p in outputs]).astype(int)
    truth = dev[names].astype(int).to_numpy()
    per_label = f1_score(truth, guess, average=None, zero_division=0)
    return {"variant": variant, "seed": seed, "seconds": round(seconds, 1),
            "micro_f1": round(100 * f1_score(truth, guess, average="micro", zero_division=0), 2),
            "macro_f1": round(100 * f1_score(truth, guess, average="macro", zero_division=0), 2),
            "labels_predicted": int((guess.sum(0) > 0).sum()),
            "per_label_f1": {n: round(100 * float(f), 1) for n, f in zip(names, per_label)}}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=4000)
    ap.add_argument("--epochs", type=float, default=2.0)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--max-length", type=int, default=64)
    ap.add_argument("--variants", nargs="*", default=["old", "new"], choices=("old", "new", "weights"))
    ap.add_argument("--seeds", type=int, nargs="*", default=[42])
    ap.add_argument("--head-factor", type=float, help="new/weights: this head factor instead of the task's")
    ap.add_argument("--data-dir", type=Path, default=DATA)
    args = ap.parse_args(argv)
    folder = args.data_dir / "goemotions"
    if not folder.exists():
        print(f"error: data sets not found in {args.data_dir}", file=sys.stderr)
        return 2
    names = [line.strip() for line in (folder / "labels.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    train_all = pd.read_csv(folder / "train.csv", dtype=str, keep_default_na=False)
    dev = pd.read_csv(folder / "dev.csv", dtype=str, keep_default_na=False)
    truth = dev[names].astype(int).to_numpy()
    from sklearn.metrics import f1_score

    neutral = np.zeros_like(truth)
    neutral[:, names.index("neutral")] = 1
    print(json.dumps({"dev_rows": len(dev), "always_neutral": {
        "micro_f1": round(100 * f1_score(truth, neutral, average="micro", zero_division=0), 2),
        "macro_f1": round(100 * f1_score(truth, neutral, average="macro", zero_division=0), 2)}}), flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench-multilabel-"))
    for seed in args.seeds:
        train_csv = tmp / f"train-{seed}.csv"
        train_all.sample(n=min(args.rows, len(train_all)), random_state=seed).to_csv(train_csv, index=False)
        for variant in args.variants:
            row = run(variant, train_csv, names, dev, tmp / f"{variant}-{seed}", args, seed)
            row.update(head_factor=args.head_factor, rows=args.rows, epochs=args.epochs, lr=args.lr, batch=args.batch, max_length=args.max_length)
            print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
