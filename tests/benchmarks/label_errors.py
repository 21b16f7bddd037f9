"""How well the suspicious-label finder finds labels made wrong on purpose.

Takes --rows examples (seeded sample), makes --flip of them wrong (seeded), runs
``core.label_errors.find_label_errors`` and scores the flags against the rows made wrong: precision
and recall of the top k rows (k = the number made wrong), and of the rows cleanlab flags. Random
flags would have precision = the flip rate. By --task:

  classify    SST-2 training sentences, the label flipped
  multilabel  GoEmotions training comments (28 labels), the label set replaced by one label it lacked
  ner         CoNLL-2003 training sentences with an entity, one entity's type changed (its B-/I- tags);
              also: how often the changed entity's first word is among the words named

    python tests/benchmarks/label_errors.py [--task classify|multilabel|ner] [--rows 2000] [--flip 0.1]
        [--method fast|kfold] [--seeds 42]
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


def flipped_goemotions(data_dir: Path, rows: int, flip: float, seed: int, path: Path) -> np.ndarray:
    df = pd.read_csv(data_dir / "goemotions" / "train.csv", dtype=str, keep_default_na=False)
    df = df.sample(n=rows, random_state=seed).reset_index(drop=True)
    names = [c for c in df.columns if c not in ("id", "text")]
    sets = [[n for n in names if row[n] == "1"] for _, row in df.iterrows()]
    rng = np.random.default_rng(seed)
    flipped = rng.choice(rows, size=int(round(flip * rows)), replace=False)
    for i in flipped:
        sets[i] = [str(rng.choice([n for n in names if n not in sets[i]]))]
    pd.DataFrame({"text": df["text"], "emotions": [";".join(s) for s in sets]}).to_csv(path, index=False)
    return np.sort(flipped)


def flipped_conll(data_dir: Path, rows: int, flip: float, seed: int, path: Path) -> tuple[np.ndarray, dict]:
    from bertdesk.core import conll as C

    words, tags, _ = C.read_conll(data_dir / "conll2003" / "train.txt")
    with_entity = [i for i, ts in enumerate(tags) if any(t != "O" for t in ts)]
    rng = np.random.default_rng(seed)
    keep = np.sort(rng.choice(with_entity, size=rows, replace=False))
    words, tags = [words[i] for i in keep], [list(tags[i]) for i in keep]
    flipped = np.sort(rng.choice(rows, size=int(round(flip * rows)), replace=False))
    first_word = {}
    for i in flipped:
        spans = C.spans(tags[i])
        etype, a, b = spans[int(rng.integers(len(spans)))]
        new = str(rng.choice([t for t in ("PER", "ORG", "LOC", "MISC") if t != etype]))
        for j in range(a, b + 1):
            tags[i][j] = tags[i][j][:2] + new
        first_word[int(i)] = a
    pd.DataFrame({"tokens": [" ".join(w) for w in words], "tags": [" ".join(t) for t in tags]}).to_csv(path, index=False)
    return flipped, first_word


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--task", choices=("classify", "multilabel", "ner"), default="classify")
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--flip", type=float, default=0.1)
    ap.add_argument("--method", choices=("fast", "kfold"), default="fast")
    ap.add_argument("--folds", type=int, default=4)
    ap.add_argument("--epochs", type=float, help="kfold: epochs of each fold's fine-tune (default: the quick preset's)")
    ap.add_argument("--seeds", type=int, nargs="*", default=[42])
    ap.add_argument("--data-dir", type=Path, default=DATA)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if not (args.data_dir / {"classify": "sst2", "multilabel": "goemotions", "ner": "conll2003"}[args.task]).exists():
        print(f"error: data sets not found in {args.data_dir}", file=sys.stderr)
        return 2
    from bertdesk.core.config import PRESETS, TrainConfig
    from bertdesk.core.label_errors import find_label_errors

    quick = PRESETS["quick"]         # what `bertdesk-cli find-errors` uses for each fold

    results = []
    for seed in args.seeds:
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            sheet = Path(tmp) / f"{args.task}-flipped.csv"
            first_word = {}
            if args.task == "classify":
                flipped = flipped_sheet(args.data_dir, args.rows, args.flip, seed, sheet)
                columns = {"text": "text", "label": "label"}
            elif args.task == "multilabel":
                flipped = flipped_goemotions(args.data_dir, args.rows, args.flip, seed, sheet)
                columns = {"text": "text", "label": "emotions", "label_sep": ";"}
            else:
                flipped, first_word = flipped_conll(args.data_dir, args.rows, args.flip, seed, sheet)
                columns = {"tokens": "tokens", "tags": "tags"}
            config = TrainConfig(task=args.task, train_file=str(sheet), columns=columns, seed=seed,
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
        row = {"task": args.task, "seed": seed, "method": args.method, "rows": args.rows, "flipped": k,
               "seconds": round(seconds, 1),
               "precision_at_k": round(len(top & truth) / k, 3), "recall_at_k": round(len(top & truth) / k, 3),
               "flagged": len(flagged),
               "flagged_precision": round(len(flagged & truth) / max(1, len(flagged)), 3),
               "flagged_recall": round(len(flagged & truth) / k, 3)}
        if first_word:
            named = sum(first_word[i] in [t["index"] for t in json.loads(df.loc[i, "suspect_tokens"] or "[]")]
                        for i in first_word)
            row["changed_word_named"] = round(named / k, 3)
        results.append(row)
        print(json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
