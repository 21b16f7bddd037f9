"""Do the explanations point at the words that matter? Comprehensiveness (ERASER, DeYoung et al. 2020):
delete the top-k words of a sentence by a ranking and measure how much the probability of the
predicted class drops. Rankings: (a) integrated gradients (``core.explain``), (b) last-layer
attention from [CLS], averaged over heads, summed over a word's pieces, (c) random words.
Also the time an explanation takes.

A classifier is trained on --train-rows SST-2 training sentences (quick preset) unless --model is
given; the first --n SST-2 dev sentences are explained.

    python tests/benchmarks/faithfulness.py [--n 200] [--train-rows 2000] [--steps 32] [--model DIR]
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
    return pd.DataFrame({"text": df["sentence"].str.strip(), "label": df["label"].map({"0": "negative",
                                                                                        "1": "positive"})})


def attention_scores(predictor, text: str, words) -> np.ndarray:
    """Per word: last-layer attention from [CLS], mean over heads, summed over the word's pieces."""
    import torch

    from bertdesk.core.words import word_index

    enc = predictor.tokenizer(text, truncation=True, max_length=predictor.task.max_length, return_tensors="pt",
                              return_offsets_mapping=True)
    offsets = enc.pop("offset_mapping")[0].tolist()
    model = predictor.model
    with predictor.lock, torch.inference_mode():
        model.set_attn_implementation("eager")
        try:
            out = model(**enc, output_attentions=True)
        finally:
            model.set_attn_implementation("sdpa")
    cls_row = out.attentions[-1][0].mean(0)[0].numpy()
    scores = np.zeros(len(words))
    for (s, e), a in zip(offsets, cls_row):
        if e > s:
            w = word_index(words, s, e)
            if w is not None:
                scores[w] += a
    return scores


def without(text: str, words, drop: set) -> str:
    return " ".join(w for i, (w, _, _) in enumerate(words) if i not in drop)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--train-rows", type=int, default=2000)
    ap.add_argument("--steps", type=int, default=32)
    ap.add_argument("--model", type=Path)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--data-dir", type=Path, default=DATA)
    args = ap.parse_args(argv)
    if not (args.data_dir / "sst2").exists():
        print(f"error: data sets not found in {args.data_dir}", file=sys.stderr)
        return 2
    from bertdesk.core.config import TrainConfig, preset_values
    from bertdesk.core.explain import explain_text
    from bertdesk.core.predictor import Predictor
    from bertdesk.core.training import train
    from bertdesk.core.words import words_of

    model = args.model
    if model is None:
        tmp = Path(tempfile.mkdtemp(prefix="bench-faith-"))
        sheet = tmp / "train.csv"
        read_sst2(args.data_dir / "sst2" / "train.tsv").sample(n=args.train_rows, random_state=args.seed) \
            .to_csv(sheet, index=False)
        quick = preset_values("quick")
        result = train(TrainConfig(train_file=str(sheet), columns={"text": "text", "label": "label"},
                                   out_dir=str(tmp / "model"), epochs=quick["epochs"], batch_size=quick["batch_size"],
                                   learning_rate=quick["learning_rate"], max_length=quick["max_length"],
                                   seed=args.seed))
        model = result.out_dir
        print(f"trained {model}: held-out accuracy {result.metrics['accuracy']:.4f}", file=sys.stderr)
    predictor = Predictor.load(model)
    labels = predictor.task.labels
    dev = read_sst2(args.data_dir / "sst2" / "dev.tsv").head(args.n)
    rng = np.random.default_rng(args.seed)
    drops = {m: {k: [] for k in (1, 2, 3)} for m in ("integrated_gradients", "attention", "random")}
    seconds, word_counts = [], []
    for text in dev["text"]:
        words = words_of(text)
        if len(words) < 4:
            continue
        base = predictor.predict([text])[0]
        target = labels.index(base["label"])
        t0 = time.perf_counter()
        [e] = explain_text(predictor, text, steps=args.steps, prediction=base)
        seconds.append(time.perf_counter() - t0)
        word_counts.append(len(words))
        rankings = {"integrated_gradients": np.argsort([-w["score"] for w in e.words], kind="stable"),
                    "attention": np.argsort(-attention_scores(predictor, text, words), kind="stable"),
                    "random": rng.permutation(len(words))}
        for method, order in rankings.items():
            for k in (1, 2, 3):
                cut = without(text, words, set(order[:k].tolist()))
                p = predictor.predict([cut])[0]["probs"][target]
                drops[method][k].append(float(base["probs"][target] - p))
    summary = {"n": len(seconds), "steps": args.steps,
               "comprehensiveness": {m: {k: round(float(np.mean(v)), 4) for k, v in ks.items()}
                                     for m, ks in drops.items()},
               "seconds_per_sentence": {"median": round(float(np.median(seconds)), 3),
                                        "mean": round(float(np.mean(seconds)), 3)},
               "words_per_sentence": round(float(np.mean(word_counts)), 1)}
    long = [s for s, n in zip(seconds, word_counts) if 25 <= n <= 35]
    if long:
        summary["seconds_for_25_to_35_words"] = {"n": len(long), "median": round(float(np.median(long)), 3),
                                                 "max": round(float(np.max(long)), 3)}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
