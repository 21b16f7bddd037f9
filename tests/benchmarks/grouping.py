"""Training order and accuracy: bertdesk's length-grouped batches (``grouped``: transformers'
length-grouped sampler, mega-batches sorted by length) against random batches (``random``, the
order of the reference recipes), over many seeds: at a small budget one seed's accuracy moves by
several points with the order of the batches alone.

The same job as ``whole_job.py train`` (N short reviews of 5-110 tokens, a seeded sample per seed,
1 epoch, batch 32, lr 5e-5, the bundled model; SST-2 dev accuracy), run in one process with
``bertdesk.core.training.train``; only the order of the training batches differs.

    python tests/benchmarks/grouping.py [--rows 2000] [--seeds 42 43 44 45 46 47 48 49]
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
    ap.add_argument("--data-dir", type=Path, default=whole_job.DATA)
    args = ap.parse_args(argv)
    import pandas as pd
    from transformers import AutoTokenizer

    from bertdesk.core import training
    from bertdesk.core.config import TrainConfig
    from bertdesk.core.models import bundled_model_path, quiet_transformers

    quiet_transformers()
    tokenizer = AutoTokenizer.from_pretrained(str(bundled_model_path()))
    results: dict[str, list[float]] = {v: [] for v in args.variants}
    seconds: dict[str, list[float]] = {v: [] for v in args.variants}
    with tempfile.TemporaryDirectory(prefix="grouping-") as tmp:
        tmp = Path(tmp)
        dev = pd.read_csv(args.data_dir / "sst2" / "dev.tsv", sep="\t", dtype=str, keep_default_na=False)
        dev.rename(columns={"sentence": "text"}).to_csv(tmp / "dev.csv", index=False)
        for seed in args.seeds:
            whole_job.short_reviews(args.data_dir, tokenizer, args.rows, seed).to_csv(tmp / "train.csv", index=False)
            for variant in args.variants:
                config = TrainConfig(train_file=str(tmp / "train.csv"), eval_file=str(tmp / "dev.csv"),
                                     out_dir=str(tmp / f"{variant}-{seed}"), epochs=1, batch_size=32,
                                     learning_rate=5e-5, seed=seed, patience=None,
                                     group_by_length=False if variant == "random" else None)
                t0 = time.perf_counter()
                result = training.train(config)
                seconds[variant].append(time.perf_counter() - t0)
                results[variant].append(result.metrics["accuracy"])
                print(f"seed {seed} {variant:>12}: accuracy {result.metrics['accuracy']:.4f}, "
                      f"{seconds[variant][-1]:.1f} s", file=sys.stderr, flush=True)
    print(f"\n{args.rows} short reviews, 1 epoch, batch 32, lr 5e-5, seeds {', '.join(map(str, args.seeds))}\n")
    print("| batch order | dev accuracy, mean (per seed) | seconds in train(), median |")
    print("|---|---|---|")
    for v in args.variants:
        print(f"| {v} | {100 * statistics.mean(results[v]):.2f} % ({' / '.join(f'{100 * a:.2f}' for a in results[v])}) "
              f"| {statistics.median(seconds[v]):.1f} |")
    if set(args.variants) == {"grouped", "random"}:
        diffs = [a - b for a, b in zip(results["grouped"], results["random"])]
        se = statistics.stdev(diffs) / len(diffs) ** 0.5 if len(diffs) > 1 else float("nan")
        print(f"\ngrouped - random, paired by seed: {100 * statistics.mean(diffs):+.2f} points "
              f"(standard error {100 * se:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
