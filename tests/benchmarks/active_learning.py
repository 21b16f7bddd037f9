"""A learning curve: rows chosen by ``core.suggest`` (uncertainty + diversity) against random rows.

SST-2: a pool of --pool training sentences; a random --start rows are labeled; each of --rounds rounds
trains the bundled model on the labeled rows and then adds --step rows, chosen by ``suggest_rows`` or
at random, with their true labels. Accuracy on the SST-2 dev set (872) after each round; the first
round is shared. How each round trains (--policy):

  finetune  the quick preset, with its small-sheet epochs (the first version's loop)
  frozen    a head on the frozen encoder (core.frozen), every round
  app       as the app chooses: the frozen head while the smallest label has fewer than
            FEW_LABELS_PER_CLASS rows, then the quick-preset fine-tune

    python tests/benchmarks/active_learning.py [--seeds 42 43 44] [--pool 2000] [--start 50] [--step 50]
        [--rounds 4] [--policy finetune|frozen|app]
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


def read_sst2(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, sep="\t", quoting=3, dtype=str, keep_default_na=False)
    return pd.DataFrame({"text": df["sentence"], "label": df["label"].map({"0": "negative", "1": "positive"})})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, nargs="*", default=[42, 43, 44])
    ap.add_argument("--pool", type=int, default=2000)
    ap.add_argument("--start", type=int, default=50)
    ap.add_argument("--step", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--policy", choices=("finetune", "frozen", "app"), default="finetune")
    ap.add_argument("--data-dir", type=Path, default=DATA)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if not (args.data_dir / "sst2").exists():
        print(f"error: data sets not found in {args.data_dir}", file=sys.stderr)
        return 2
    from bertdesk.core.config import TrainConfig, few_labels, preset_values
    from bertdesk.core.data import read_table
    from bertdesk.core.predictor import Predictor
    from bertdesk.core.suggest import suggest_rows
    from bertdesk.core.training import train

    dev_csv = Path(tempfile.mkdtemp(prefix="bench-al-dev-")) / "dev.csv"
    read_sst2(args.data_dir / "sst2" / "dev.tsv").to_csv(dev_csv, index=False)
    dev = read_table(dev_csv)
    curves = []
    for seed in args.seeds:
        pool = read_sst2(args.data_dir / "sst2" / "train.tsv").sample(n=args.pool, random_state=seed)
        pool = pool.reset_index(drop=True)
        rng = np.random.default_rng(seed)
        start = set(rng.choice(len(pool), size=args.start, replace=False).tolist())
        with tempfile.TemporaryDirectory(prefix="bench-al-") as tmp:
            tmp = Path(tmp)

            def fit(rows: set, name: str) -> tuple[Path, float]:
                sheet = tmp / f"{name}.csv"
                pool.loc[sorted(rows)].to_csv(sheet, index=False)
                quick = preset_values("quick", int(len(rows) * 0.9))
                counts = pool.loc[sorted(rows), "label"].value_counts().to_dict()
                frozen = args.policy == "frozen" or (args.policy == "app" and few_labels(counts))
                config = TrainConfig(train_file=str(sheet), columns={"text": "text", "label": "label"},
                                     out_dir=str(tmp / name), epochs=quick["epochs"], batch_size=quick["batch_size"],
                                     learning_rate=quick["learning_rate"], max_length=quick["max_length"], seed=seed,
                                     frozen_encoder=frozen)
                train(config)
                accuracy = Predictor.load(tmp / name).evaluate_table(dev, {"text": "text", "label": "label"})
                return tmp / name, float(accuracy["accuracy"])

            t0 = time.perf_counter()
            model, first = fit(start, "r0")
            for strategy in ("suggest", "random"):
                labeled, accs, current = set(start), [first], model
                for r in range(1, args.rounds + 1):
                    if strategy == "suggest":
                        sheet = pool.copy()
                        sheet.loc[~sheet.index.isin(sorted(labeled)), "label"] = ""
                        sheet.to_csv(tmp / "pool.csv", index=False)
                        ranked = suggest_rows(current, tmp / "pool.csv", {"text": "text", "label": "label"},
                                              n=args.step, seed=seed).table
                        new = ranked.index[ranked["suggest_rank"].notna()].tolist()
                    else:
                        free = sorted(set(range(len(pool))) - labeled)
                        new = rng.choice(free, size=args.step, replace=False).tolist()
                    labeled |= set(new)
                    current, acc = fit(labeled, f"{strategy}{r}")
                    accs.append(acc)
                row = {"seed": seed, "strategy": strategy, "policy": args.policy, "labeled": [args.start + i * args.step
                                                                       for i in range(args.rounds + 1)],
                       "accuracy": [round(a, 4) for a in accs]}
                curves.append(row)
                print(json.dumps(row), flush=True)
            print(f"seed {seed}: {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    if args.json:
        args.json.write_text(json.dumps(curves, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
