"""Pre-training on the user's own text, measured.

  domain      masked-word accuracy (top 1, top 5) and perplexity on held-out texts (5 %) before
              (the bundled model with a fresh head) and after one pass over --texts GoEmotions comments
  downstream  SST-2 with --labels labeled sentences, fine-tuned (quick preset) from the bundled model
              and from the bundled model adapted on --texts other SST-2 training sentences without
              their labels; dev accuracy (872) and time, for each seed

    python tests/benchmarks/pretrain.py domain [--texts 20000]
    python tests/benchmarks/pretrain.py downstream [--texts 20000] [--labels 200 500 2000] [--seeds 42 43 44]
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
    return pd.DataFrame({"text": df["sentence"].str.strip(), "label": df["label"].map({"0": "negative",
                                                                                        "1": "positive"})})


def pretrain(sheet: Path, out: Path, seed: int = 42) -> tuple[dict, float]:
    from bertdesk.core.config import TrainConfig
    from bertdesk.core.training import train

    t0 = time.perf_counter()
    result = train(TrainConfig(task="mlm", train_file=str(sheet), columns={"text": "text"}, out_dir=str(out),
                               epochs=1.0, batch_size=16, learning_rate=5e-5, max_length=128, eval_fraction=0.05,
                               seed=seed))
    return result.metrics, time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=("domain", "downstream"))
    ap.add_argument("--texts", type=int, default=20000)
    ap.add_argument("--labels", type=int, nargs="*", default=[200, 500, 2000])
    ap.add_argument("--seeds", type=int, nargs="*", default=[42, 43, 44])
    ap.add_argument("--data-dir", type=Path, default=DATA)
    args = ap.parse_args(argv)
    if not (args.data_dir / "sst2").exists():
        print(f"error: data sets not found in {args.data_dir}", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="bench-pretrain-"))
    keys = ("masked_accuracy", "masked_top5", "perplexity", "masked_pieces")
    if args.what == "domain":
        comments = pd.read_csv(args.data_dir / "goemotions" / "train.csv", dtype=str, keep_default_na=False)
        sheet = tmp / "comments.csv"
        comments[["text"]].sample(n=args.texts, random_state=42).to_csv(sheet, index=False)
        metrics, seconds = pretrain(sheet, tmp / "adapted")
        print(json.dumps({"texts": args.texts, "before": {k: metrics["before"][k] for k in keys},
                          "after": {k: metrics[k] for k in keys}, "seconds": round(seconds, 1)}))
        return 0
    from bertdesk.core.config import TrainConfig, preset_values
    from bertdesk.core.data import read_table
    from bertdesk.core.predictor import Predictor
    from bertdesk.core.training import train

    dev_csv = tmp / "dev.csv"
    read_sst2(args.data_dir / "sst2" / "dev.tsv").to_csv(dev_csv, index=False)
    dev = read_table(dev_csv)
    pool = read_sst2(args.data_dir / "sst2" / "train.tsv").sample(frac=1, random_state=0).reset_index(drop=True)
    labeled_pool, unlabeled = pool.iloc[:max(args.labels) * 2], pool.iloc[max(args.labels) * 2:]
    texts = tmp / "unlabeled.csv"
    unlabeled[["text"]].head(args.texts).to_csv(texts, index=False)
    metrics, seconds = pretrain(texts, tmp / "sst2-adapted")
    print(json.dumps({"adaptation": {"texts": args.texts, "seconds": round(seconds, 1),
                                     "before": {k: metrics["before"][k] for k in keys},
                                     "after": {k: metrics[k] for k in keys}}}), flush=True)
    for n in args.labels:
        for seed in args.seeds:
            sheet = tmp / f"labeled{n}-{seed}.csv"
            labeled_pool.sample(n=n, random_state=seed).to_csv(sheet, index=False)
            row = {"labels": n, "seed": seed}
            for name, model in (("bundled", "bundled"), ("adapted", str(tmp / "sst2-adapted"))):
                quick = preset_values("quick", int(n * 0.9))
                t0 = time.perf_counter()
                result = train(TrainConfig(train_file=str(sheet), columns={"text": "text", "label": "label"},
                                           model=model, out_dir=str(tmp / f"m-{name}-{n}-{seed}"), seed=seed,
                                           epochs=quick["epochs"], batch_size=quick["batch_size"],
                                           learning_rate=quick["learning_rate"], max_length=quick["max_length"]))
                accuracy = Predictor.load(result.out_dir).evaluate_table(dev, {"text": "text", "label": "label"})
                row[name] = {"dev_accuracy": round(accuracy["accuracy"], 4),
                             "seconds": round(time.perf_counter() - t0, 1)}
            print(json.dumps(row), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
