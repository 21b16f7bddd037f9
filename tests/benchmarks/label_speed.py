"""Batch-labeling speed: Predictor's table labeling against transformers.pipeline.

Texts of varied length: SST-2 dev sentences, GoEmotions comments and SQuAD contexts, shuffled.
The model: a classification folder trained by bertdesk (``--model DIR``; by default a quick
one-epoch SST-2 model is trained first). Systems, interleaved, repeated:

  pipeline      transformers.pipeline("text-classification", batch_size=32, truncation=True)
  bertdesk      Predictor.label_table (length-sorted batches, dynamic padding; windows for long texts)
  bertdesk-trunc  the same with truncation instead of windows (the pipeline's amount of text)
  fast-onnx       bertdesk-trunc through ONNX Runtime, float32 (``enable_fast("onnx")``)
  fast-onnx-int8  the same with int8 weights (``enable_fast("onnx-int8")``, the CLI's ``--fast``)
  fast-int8       torch dynamic int8 (``enable_fast("int8")``)

The fast modes are switched on through their parity check on the model's evaluation set (SST-2
dev for the default model); the check's figures are printed, and its one-time cost is not part
of the labeling speed. Agreement is measured against the pipeline's labels on the same texts.

    python tests/benchmarks/label_speed.py [--model DIR] [--n 3000] [--repeats 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
DATA = HERE.parents[2] / "shared" / "data"


def mixed_texts(data: Path, n: int, seed: int = 0) -> list[str]:
    sst = pd.read_csv(data / "sst2" / "dev.tsv", sep="\t")["sentence"].tolist()
    ge = pd.read_csv(data / "goemotions" / "dev.csv")["text"].tolist()
    squad = json.loads((data / "squad_v1.1" / "dev-v1.1.json").read_text(encoding="utf-8"))
    contexts = [p["context"] for a in squad["data"] for p in a["paragraphs"]]
    rng = random.Random(seed)
    third = n // 3
    texts = rng.sample(sst, min(third, len(sst))) + rng.sample(ge, third) + rng.sample(contexts, n - 2 * third)
    rng.shuffle(texts)
    return texts


def quick_model(data: Path, out: Path) -> Path:
    from bertdesk.core.config import TrainConfig
    from bertdesk.core.training import train

    train(TrainConfig(train_file=str(data / "sst2" / "train.tsv"), eval_file=str(data / "sst2" / "dev.tsv"),
                      columns={"text": "sentence", "label": "label"}, max_train_rows=2000, epochs=1,
                      out_dir=str(out), patience=None))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path)
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--data-dir", type=Path, default=DATA)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--fast-modes", nargs="*", default=["onnx", "onnx-int8", "int8"])
    args = ap.parse_args(argv)
    if not (args.data_dir / "sst2").exists():
        print(f"error: data sets not found in {args.data_dir}", file=sys.stderr)
        return 2
    from transformers import pipeline

    from bertdesk.core import fast as fast_mode
    from bertdesk.core.labeling import label_table
    from bertdesk.core.models import quiet_transformers
    from bertdesk.core.predictor import Predictor

    quiet_transformers()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        model = args.model or quick_model(args.data_dir, Path(tmp) / "model")
        texts = mixed_texts(args.data_dir, args.n)
        df = pd.DataFrame({"text": texts})
        pipe = pipeline("text-classification", model=str(model), batch_size=32, truncation=True, max_length=128,
                        device="cpu")
        windows = Predictor.load(model)
        trunc = Predictor.load(model)
        trunc.task.long_text = "truncate"
        systems = {
            "pipeline": lambda: [r["label"] for r in pipe(texts)],
            "bertdesk": lambda: label_table(windows, df)["pred_label"].tolist(),
            "bertdesk-trunc": lambda: label_table(trunc, df)["pred_label"].tolist(),
        }
        checks = {}
        for mode in args.fast_modes:
            fast = Predictor.load(model)
            fast.task.long_text = "truncate"
            t0 = time.perf_counter()
            checks[mode] = fast_mode.enable(fast, mode, max_drop_points=0.5)
            checks[mode]["seconds"] = round(time.perf_counter() - t0, 1)
            print(f"fast mode {mode}: {checks[mode]}", file=sys.stderr, flush=True)
            if checks[mode]["accepted"]:
                systems[f"fast-{mode}"] = (lambda p: lambda: label_table(p, df)["pred_label"].tolist())(fast)
        times: dict[str, list[float]] = {k: [] for k in systems}
        labels = {}
        for rep in range(args.repeats):
            for name, run in systems.items():
                t0 = time.perf_counter()
                labels[name] = run()
                times[name].append(time.perf_counter() - t0)
                print(f"repeat {rep + 1} {name:>14}: {len(texts) / times[name][-1]:.1f} rows/s", file=sys.stderr,
                      flush=True)
    agree = {k: sum(a == b for a, b in zip(v, labels["pipeline"])) / len(texts) for k, v in labels.items()}
    base = statistics.median(times["pipeline"])
    print(f"\n{len(texts)} mixed texts (SST-2 sentences, GoEmotions comments, SQuAD contexts), {args.repeats} repeats\n")
    print("| system | rows/s, median (min-max) | speed-up vs pipeline | same label as pipeline |")
    print("|---|---|---|---|")
    summary = {}
    for name, ts in times.items():
        med = statistics.median(ts)
        summary[name] = {"rows_per_s": len(texts) / med, "min": len(texts) / max(ts), "max": len(texts) / min(ts),
                         "speedup": base / med, "agreement": agree[name]}
        s = summary[name]
        print(f"| {name} | {s['rows_per_s']:.1f} ({s['min']:.1f}-{s['max']:.1f}) | {s['speedup']:.2f}x | "
              f"{100 * s['agreement']:.1f} % |")
    if args.json:
        args.json.write_text(json.dumps({"n": len(texts), "times": times, "summary": summary,
                                         "fast_checks": checks}, indent=2, default=str))
    for mode, c in checks.items():
        print(f"\nfast mode {mode}: {c['metric']} {100 * c['before']:.2f} -> {100 * c['after']:.2f} on {c['n_eval']} "
              f"evaluation rows ({'accepted' if c['accepted'] else 'refused'}; check took {c['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
