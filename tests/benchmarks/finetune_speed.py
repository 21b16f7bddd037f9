"""Fine-tuning speed at the same accuracy: bertdesk against the recipes users would otherwise run.

Bundled model, a seeded sample of SST-2 training sentences, one epoch, the same hyper-parameters;
dev accuracy on the full SST-2 dev set. Systems, run interleaved in one process, repeated:

  bertdesk      bertdesk.core.training.train (length-grouped batches, dynamic padding)
  fixed-128     plain Trainer, padding="max_length", max_length=128 (the tutorial recipe)
  dynamic       plain Trainer, DataCollatorWithPadding, random batches

    python tests/benchmarks/finetune_speed.py [--rows 3000] [--repeats 3] [--json out.json]

Each repeat trains with the next seed (--seed, --seed+1, ...). Reports train samples/s (Trainer's train_samples_per_second; bertdesk's includes its one
in-training evaluation, the references' does not), median and min-max over repeats, the ratios
of medians, and dev accuracy (mean over the seeds).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

DATA = HERE.parents[2] / "shared" / "data" / "sst2"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=3000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--data-dir", type=Path, default=DATA)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if not (args.data_dir / "train.tsv").exists():
        print(f"error: SST-2 not found in {args.data_dir} (expected ../shared/data/sst2 beside the repo)",
              file=sys.stderr)
        return 2

    from reference_recipes import ref_classification

    from bertdesk.core.config import TrainConfig
    from bertdesk.core.models import bundled_model_path
    from bertdesk.core.training import train

    full = pd.read_csv(args.data_dir / "train.tsv", sep="\t", dtype=str, keep_default_na=False)
    sample = full.sample(n=args.rows, random_state=args.seed).reset_index(drop=True)
    dev = pd.read_csv(args.data_dir / "dev.tsv", sep="\t", dtype=str, keep_default_na=False)
    model = bundled_model_path()
    hp = {"epochs": args.epochs, "batch_size": args.batch_size, "learning_rate": args.lr, "max_length": 128,
          "seed": args.seed}
    runs: dict[str, list[dict]] = {"bertdesk": [], "fixed-128": [], "dynamic": []}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        train_file = tmp / "train.tsv"
        sample.to_csv(train_file, sep="\t", index=False)
        for rep in range(args.repeats):
            seed = args.seed + rep          # each repeat is another training seed: accuracy is a mean over seeds
            hp["seed"] = seed
            for name in runs:
                if name == "bertdesk":
                    out = tmp / f"model-{rep}"
                    result = train(TrainConfig(task="classify", train_file=str(train_file),
                                               eval_file=str(args.data_dir / "dev.tsv"),
                                               columns={"text": "sentence", "label": "label"}, out_dir=str(out),
                                               epochs=args.epochs, batch_size=args.batch_size,
                                               learning_rate=args.lr, max_length=128, seed=seed, patience=None))
                    row = {"samples_per_s": result.train_samples_per_s, "accuracy": result.metrics["accuracy"]}
                else:
                    r = ref_classification(model, sample["sentence"].tolist(), sample["label"].tolist(),
                                           dev["sentence"].tolist(), dev["label"].tolist(), hp,
                                           padding="max_length" if name == "fixed-128" else "dynamic")
                    row = {"samples_per_s": r["train_samples_per_s"], "accuracy": r["accuracy"]}
                runs[name].append(row)
                print(f"repeat {rep + 1} {name:>9}: {row['samples_per_s']:.1f} samples/s, "
                      f"accuracy {row['accuracy']:.4f}", file=sys.stderr, flush=True)

    summary = {}
    for name, rows in runs.items():
        speeds = [r["samples_per_s"] for r in rows]
        accs = [r["accuracy"] for r in rows]
        summary[name] = {"samples_per_s_median": statistics.median(speeds), "samples_per_s_min": min(speeds),
                         "samples_per_s_max": max(speeds), "accuracy_mean": statistics.mean(accs),
                         "accuracies": accs}
    base = summary["bertdesk"]["samples_per_s_median"]
    print(f"\nSST-2, {args.rows} training sentences, {args.epochs:g} epoch, batch {args.batch_size}, lr {args.lr:g}, "
          f"{args.repeats} repeats\n")
    print("| system | train samples/s, median (min-max) | bertdesk speed-up | dev accuracy, mean over seeds (min-max) |")
    print("|---|---|---|---|")
    for name, s in summary.items():
        ratio = base / s["samples_per_s_median"]
        print(f"| {name} | {s['samples_per_s_median']:.1f} ({s['samples_per_s_min']:.1f}-{s['samples_per_s_max']:.1f}) "
              f"| {ratio:.2f}x | {100 * s['accuracy_mean']:.2f} % ({100 * min(s['accuracies']):.2f}-"
              f"{100 * max(s['accuracies']):.2f}) |")
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, "runs": runs,
                                         "summary": summary}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
