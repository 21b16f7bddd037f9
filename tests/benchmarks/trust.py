"""Calibration and class weights on real data (SST-2 from ../shared/data, the bundled model).

  calibration    train on --rows SST-2 training sentences (quick preset; temperature fitted on the
                 held-out 10 %), then ECE (15 bins) and Brier on the SST-2 dev set (872) with the
                 saved temperature and without it
  class-weights  a sheet made imbalanced: --rows sentences of which --minority-share are positive;
                 trained with --class-weights none and auto; macro-F1 and the positive class's recall
                 on the SST-2 dev set (balanced)

    python tests/benchmarks/trust.py calibration [--rows 2000] [--seeds 42 43 44]
    python tests/benchmarks/trust.py class-weights [--rows 2000] [--minority-share 0.1] [--seeds 42 43 44]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def read_sst2(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, sep="\t", quoting=3, dtype=str, keep_default_na=False)
    return pd.DataFrame({"text": df["sentence"], "label": df["label"].map({"0": "negative", "1": "positive"})})


def quick_config(sheet: Path, out: Path, seed: int, **extra):
    from bertdesk.core.config import TrainConfig, preset_values

    quick = preset_values("quick")
    return TrainConfig(train_file=str(sheet), columns={"text": "text", "label": "label"}, out_dir=str(out),
                       epochs=quick["epochs"], batch_size=quick["batch_size"], learning_rate=quick["learning_rate"],
                       max_length=quick["max_length"], seed=seed, **extra)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=("calibration", "class-weights"))
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--minority-share", type=float, default=0.1)
    ap.add_argument("--seeds", type=int, nargs="*", default=[42, 43, 44])
    ap.add_argument("--data-dir", type=Path, default=DATA)
    args = ap.parse_args(argv)
    if not (args.data_dir / "sst2").exists():
        print(f"error: data sets not found in {args.data_dir}", file=sys.stderr)
        return 2
    from bertdesk.core.data import read_table
    from bertdesk.core.predictor import Predictor
    from bertdesk.core.training import train

    tmp = Path(tempfile.mkdtemp(prefix="bench-trust-"))
    dev_csv = tmp / "dev.csv"
    read_sst2(args.data_dir / "sst2" / "dev.tsv").to_csv(dev_csv, index=False)
    dev = read_table(dev_csv)
    train_all = read_sst2(args.data_dir / "sst2" / "train.tsv")
    for seed in args.seeds:
        if args.what == "calibration":
            sheet = tmp / f"train{seed}.csv"
            train_all.sample(n=args.rows, random_state=seed).to_csv(sheet, index=False)
            t0 = time.perf_counter()
            result = train(quick_config(sheet, tmp / f"cal{seed}", seed))
            metrics = Predictor.load(result.out_dir).evaluate_table(dev, {"text": "text", "label": "label"})
            print(json.dumps({"seed": seed, "rows": args.rows, "held_out_rows": result.n_eval,
                              "temperature": metrics["calibration"]["temperature"],
                              "dev_accuracy": round(metrics["accuracy"], 4), "dev_ece": metrics["ece"],
                              "dev_ece_uncalibrated": metrics["ece_uncalibrated"], "dev_brier": metrics["brier"],
                              "dev_brier_uncalibrated": metrics["calibration"]["brier_uncalibrated"],
                              "held_out_ece": result.metrics["ece"],
                              "held_out_ece_uncalibrated": result.metrics["ece_uncalibrated"],
                              "seconds": round(time.perf_counter() - t0, 1)}), flush=True)
        else:
            n_pos = int(round(args.rows * args.minority_share))
            pos = train_all[train_all["label"] == "positive"].sample(n=n_pos, random_state=seed)
            neg = train_all[train_all["label"] == "negative"].sample(n=args.rows - n_pos, random_state=seed)
            sheet = tmp / f"skewed{seed}.csv"
            pd.concat([pos, neg]).sample(frac=1, random_state=seed).to_csv(sheet, index=False)
            for weights in ("none", "auto"):
                t0 = time.perf_counter()
                result = train(quick_config(sheet, tmp / f"cw{seed}{weights}", seed, class_weights=weights))
                metrics = Predictor.load(result.out_dir).evaluate_table(dev, {"text": "text", "label": "label"})
                print(json.dumps({"seed": seed, "class_weights": weights, "positives": n_pos, "rows": args.rows,
                                  "dev_accuracy": round(metrics["accuracy"], 4),
                                  "dev_macro_f1": round(metrics["macro_f1"], 4),
                                  "dev_positive_recall": round(metrics["per_class"]["positive"]["recall"], 4),
                                  "dev_negative_recall": round(metrics["per_class"]["negative"]["recall"], 4),
                                  "seconds": round(time.perf_counter() - t0, 1)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
