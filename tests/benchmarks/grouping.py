"""Training order and accuracy: bertdesk's length-grouped batches (``grouped``: transformers'
length-grouped sampler, mega-batches sorted by length) against random batches (``random``, the
order of the reference recipes), over many seeds: at a small budget one seed's accuracy moves by
several points with the order of the batches alone.

The same job as ``whole_job.py train`` (N short reviews of 5-110 tokens, a seeded sample per seed,
1 epoch, batch 32, lr 5e-5, the bundled model; SST-2 dev accuracy), run in one process with
``bertdesk.core.training.train``; only the order of the training batches differs.

    python tests/benchmarks/grouping.py [--rows 2000] [--seeds 42 43 44 45 46 47 48 49]
        [--variants grouped random] [--head-lr 1 3 10]

``--head-lr`` runs each order once per factor: the new classification head learning at that
multiple of the learning rate (``TrainConfig.head_lr_factor``; without it, the task's rule).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))


def main(argv=None) -> int:
    import whole_job

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--seeds", type=int, nargs="+", default=[42, 43, 44, 45, 46, 47, 48, 49])
    ap.add_argument("--variants", nargs="+", choices=("grouped", "random"), default=["grouped", "random"])
    ap.add_argument("--head-lr", type=float, nargs="+", help="head learning-rate factors to compare")
    ap.add_argument("--data-dir", type=Path, default=whole_job.DATA)
    args = ap.parse_args(argv)
    import pandas as pd
    from transformers import AutoTokenizer

    from bertdesk.core import training
    from bertdesk.core.config import TrainConfig
    from bertdesk.core.models import bundled_model_path, quiet_transformers

    quiet_transformers()
    tokenizer = AutoTokenizer.from_pretrained(str(bundled_model_path()))
    factors = args.head_lr or [None]
    runs = {(f"{order} head x{factor:g}" if factor is not None else order): (order, factor)
            for order in args.variants for factor in factors}
    results: dict[str, list[float]] = {v: [] for v in runs}
    seconds: dict[str, list[float]] = {v: [] for v in runs}
    with tempfile.TemporaryDirectory(prefix="grouping-") as tmp:
        tmp = Path(tmp)
        dev = pd.read_csv(args.data_dir / "sst2" / "dev.tsv", sep="\t", dtype=str, keep_default_na=False)
        dev.rename(columns={"sentence": "text"}).to_csv(tmp / "dev.csv", index=False)
        for seed in args.seeds:
            whole_job.short_reviews(args.data_dir, tokenizer, args.rows, seed).to_csv(tmp / "train.csv", index=False)
            for variant, (order, factor) in runs.items():
                config = TrainConfig(train_file=str(tmp / "train.csv"), eval_file=str(tmp / "dev.csv"),
                                     out_dir=str(tmp / f"{order}-{factor}-{seed}"), epochs=1, batch_size=32,
                                     learning_rate=5e-5, seed=seed, patience=None,
                                     group_by_length=False if order == "random" else None,
                                     head_lr_factor=factor)
                t0 = time.perf_counter()
                result = training.train(config)
                seconds[variant].append(time.perf_counter() - t0)
                results[variant].append(result.metrics["accuracy"])
                print(f"seed {seed} {variant:>16}: accuracy {result.metrics['accuracy']:.4f}, "
                      f"{seconds[variant][-1]:.1f} s", file=sys.stderr, flush=True)
    print(f"\n{args.rows} short reviews, 1 epoch, batch 32, lr 5e-5, seeds {', '.join(map(str, args.seeds))}\n")
    print("| batch order | dev accuracy, mean (per seed) | seconds in train(), median |")
    print("|---|---|---|")
    for v in runs:
        print(f"| {v} | {100 * statistics.mean(results[v]):.2f} % ({' / '.join(f'{100 * a:.2f}' for a in results[v])}) "
              f"| {statistics.median(seconds[v]):.1f} |")
    names = list(runs)
    print()
    for other in names[1:]:
        diffs = [a - b for a, b in zip(results[other], results[names[0]])]
        se = statistics.stdev(diffs) / len(diffs) ** 0.5 if len(diffs) > 1 else float("nan")
        print(f"{other} - {names[0]}, paired by seed: {100 * statistics.mean(diffs):+.2f} points "
              f"(standard error {100 * se:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
