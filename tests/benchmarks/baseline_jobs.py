"""The jobs an analyst would otherwise run, as whole programs (the baselines of ``whole_job.py``).

    python tests/benchmarks/baseline_jobs.py train --model DIR --train T.csv --eval E.csv --out DIR \
        [--epochs 1] [--batch-size 32] [--lr 5e-5] [--seed 42]
    python tests/benchmarks/baseline_jobs.py label --model DIR --input IN.csv --output OUT.csv

``train`` is the tutorial recipe for sequence classification: every text padded to 128 tokens
(``padding="max_length"``), plain ``Trainer``, random batches, the same optimiser settings as
bertdesk's defaults (warm-up 10 %, weight decay 0.01), evaluated once after training, the model
saved. ``label`` reads the CSV with pandas, runs ``transformers.pipeline("text-classification",
batch_size=32, truncation=True, max_length=128)`` and writes the labels and scores beside the rows.
Both read columns ``text`` (and ``label`` for training) and print one JSON line of results.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


def train(args) -> dict:
    import numpy as np
    import pandas as pd
    import torch
    from transformers import (AutoModelForSequenceClassification, AutoTokenizer, Trainer, TrainingArguments,
                              default_data_collator, set_seed)

    torch.set_num_threads(os.cpu_count() or 1)
    train_df = pd.read_csv(args.train, dtype=str, keep_default_na=False)
    eval_df = pd.read_csv(args.eval, dtype=str, keep_default_na=False)
    names = sorted(set(train_df["label"]))
    label_id = {name: i for i, name in enumerate(names)}
    tok = AutoTokenizer.from_pretrained(args.model)

    def rows(df):
        enc = tok(df["text"].tolist(), padding="max_length", truncation=True, max_length=128)
        return [{"input_ids": enc["input_ids"][i], "token_type_ids": enc["token_type_ids"][i],
                 "attention_mask": enc["attention_mask"][i], "labels": label_id[df["label"].iloc[i]]}
                for i in range(len(df))]

    train_rows, eval_rows = rows(train_df), rows(eval_df)
    set_seed(args.seed)
    model = AutoModelForSequenceClassification.from_pretrained(
        args.model, num_labels=len(names), id2label=dict(enumerate(names)), label2id=label_id)
    targs = TrainingArguments(output_dir=args.out, num_train_epochs=args.epochs,
                              per_device_train_batch_size=args.batch_size, per_device_eval_batch_size=64,
                              learning_rate=args.lr, warmup_steps=0.1, weight_decay=0.01, seed=args.seed,
                              eval_strategy="no", save_strategy="no", report_to="none", use_cpu=True,
                              disable_tqdm=True, log_level="error")
    trainer = Trainer(model=model, args=targs, train_dataset=train_rows, data_collator=default_data_collator)
    trainer.train()
    logits = trainer.predict(eval_rows).predictions
    accuracy = float(np.mean(np.argmax(logits, -1) == np.array([r["labels"] for r in eval_rows])))
    trainer.save_model(args.out)
    tok.save_pretrained(args.out)
    return {"accuracy": accuracy, "n_train": len(train_rows), "n_eval": len(eval_rows)}


def label(args) -> dict:
    import pandas as pd
    import torch
    from transformers import pipeline

    torch.set_num_threads(os.cpu_count() or 1)
    df = pd.read_csv(args.input, dtype=str, keep_default_na=False)
    pipe = pipeline("text-classification", model=args.model, batch_size=32, truncation=True, max_length=128,
                    device="cpu")
    out = pipe(df["text"].tolist())
    df["pred_label"] = [r["label"] for r in out]
    df["pred_score"] = [r["score"] for r in out]
    df.to_csv(args.output, index=False)
    return {"rows": len(df)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="job", required=True)
    t = sub.add_parser("train")
    t.add_argument("--model", required=True)
    t.add_argument("--train", required=True)
    t.add_argument("--eval", required=True)
    t.add_argument("--out", required=True)
    t.add_argument("--epochs", type=float, default=1.0)
    t.add_argument("--batch-size", type=int, default=32)
    t.add_argument("--lr", type=float, default=5e-5)
    t.add_argument("--seed", type=int, default=42)
    lab = sub.add_parser("label")
    lab.add_argument("--model", required=True)
    lab.add_argument("--input", required=True)
    lab.add_argument("--output", required=True)
    args = ap.parse_args(argv)
    import transformers
    transformers.logging.set_verbosity_error()
    t0 = time.perf_counter()
    result = train(args) if args.job == "train" else label(args)
    print(json.dumps({**result, "seconds": round(time.perf_counter() - t0, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
