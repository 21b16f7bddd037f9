"""Which int8 graph keeps the model's labels: ONNX Runtime's dynamic quantisation of bertdesk's fused
fp32 graph, one way per row, against that fp32 graph on the model's own held-out rows.

Each variant is set as the predictor's fast model and run over the rows tokenised once
(``Predictor.run``: the batches bertdesk labels with), a warm-up pass then a timed one: accuracy, the
share of labels equal to the fp32 graph's, the mean over rows of the largest change of any class
probability, and the model's speed as a ratio to fp32 measured in the same run.

    python tests/benchmarks/int8_variants.py [--model FOLDER]

Without ``--model`` a classification model is trained first (2,000 SST-2 training sentences of
5-110 tokens, seed 0, 1 epoch, batch 32, lr 5e-5; held out: the SST-2 dev set), as
``whole_job.py label`` does.
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

VARIANTS = {
    "one scale per matrix": {"per_channel": False},
    "one scale per matrix, 7-bit weights": {"per_channel": False, "reduce_range": True},
    "one scale per output channel": {"per_channel": True},
    "per output channel, 7-bit weights": {"per_channel": True, "reduce_range": True},
    "unsigned weights (u8u8)": {"per_channel": False, "unsigned": True},
    "unsigned weights, per output channel": {"per_channel": True, "unsigned": True},
}


def train_model(tmp: Path, data: Path) -> Path:
    import pandas as pd
    from transformers import AutoTokenizer

    import whole_job
    from bertdesk.core.models import bundled_model_path

    tokenizer = AutoTokenizer.from_pretrained(str(bundled_model_path()))
    whole_job.short_reviews(data, tokenizer, 2000, 0).to_csv(tmp / "train.csv", index=False)
    dev = pd.read_csv(data / "sst2" / "dev.tsv", sep="\t", dtype=str, keep_default_na=False)
    dev.rename(columns={"sentence": "text"}).to_csv(tmp / "dev.csv", index=False)
    subprocess.run([sys.executable, "-m", "bertdesk.cli", "train", "--train", str(tmp / "train.csv"), "--eval",
                    str(tmp / "dev.csv"), "--epochs", "1", "--batch-size", "32", "--lr", "5e-5", "--seed", "0",
                    "--out", str(tmp / "model"), "--quiet"], check=True, cwd=HERE.parents[1])
    return tmp / "model"


def main(argv=None) -> int:
    import whole_job

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, help="a bertdesk classification folder (default: train one)")
    ap.add_argument("--data-dir", type=Path, default=whole_job.DATA)
    args = ap.parse_args(argv)
    import numpy as np
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from bertdesk.core import fast
    from bertdesk.core.distributed import threads_per_process
    from bertdesk.core.predictor import Predictor

    with tempfile.TemporaryDirectory(prefix="int8-variants-") as name:
        tmp = Path(name)
        model_dir = args.model or train_model(tmp, args.data_dir)
        predictor = Predictor.load(model_dir, device="cpu", backend="torch")
        task = predictor.task
        rows = fast._check_examples(predictor)
        raw, fused = tmp / "raw.onnx", tmp / "fused.onnx"
        fast.export_onnx(predictor.model, task, raw)
        if not fast.optimise(raw, fused, predictor.model.config):
            fused = raw

        features = task.encode(predictor.tokenizer, rows, with_labels=False)

        def measure(path: Path):
            predictor.set_fast(fast.OnnxModel(path, task.output_names, threads_per_process()), "measured")
            predictor.run(features)                                # warm-up
            t0 = time.perf_counter()
            raw = predictor.run(features)
            seconds = time.perf_counter() - t0
            out = task.decode(raw, features, rows)
            return task.evaluate(out, rows)[task.main_metric], seconds, out

        base_acc, base_s, base_out = measure(fused)
        print(f"\n{len(rows)} held-out rows; fp32 fused graph: accuracy {100 * base_acc:.2f} %, {base_s:.2f} s\n")
        print("| int8 graph | accuracy | labels as fp32 | mean largest probability change | model speed vs fp32 |")
        print("|---|---|---|---|---|")
        logging.getLogger().setLevel(logging.ERROR)
        for i, (label, opts) in enumerate(VARIANTS.items()):
            path = tmp / f"int8-{i}.onnx"
            try:
                quantize_dynamic(str(fused), str(path), per_channel=opts["per_channel"],
                                 reduce_range=opts.get("reduce_range", False),
                                 weight_type=QuantType.QUInt8 if opts.get("unsigned") else QuantType.QInt8,
                                 extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
            except Exception as exc:
                print(f"| {label} | could not be built ({type(exc).__name__}: {exc}) | | | |", flush=True)
                continue
            acc, seconds, out = measure(path)
            same = np.mean([a["label"] == b["label"] for a, b in zip(out, base_out)])
            change = np.mean([np.abs(np.asarray(a["probs"]) - np.asarray(b["probs"])).max()
                              for a, b in zip(out, base_out)])
            print(f"| {label} | {100 * acc:.2f} % | {100 * same:.1f} % | {change:.3f} | {base_s / seconds:.2f}x |",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
