"""What computing a classifier's last layer for [CLS] alone (``core/first_token.py``) buys: the model
part of labeling (``Predictor.run`` over texts tokenised once) with the whole last layer and with
the shortcut, for torch, the fp32 ONNX graph and the int8 one, interleaved in one run.

Reported per backend: median seconds of each (after a warm-up pass), their ratio, the largest
difference of any logit and the share of equal labels between the two.

    python tests/benchmarks/first_token.py [--model FOLDER] [--n 3000] [--repeats 3]

The texts are ``whole_job.py label``'s (SST-2, GoEmotions, SQuAD sentences of 5-110 tokens); without
``--model`` a classification model is trained first as ``int8_variants.py`` does.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))


def main(argv=None) -> int:
    import whole_job

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, help="a bertdesk classification folder (default: train one)")
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--data-dir", type=Path, default=whole_job.DATA)
    args = ap.parse_args(argv)
    import numpy as np

    from bertdesk.core import fast
    from bertdesk.core.distributed import threads_per_process
    from bertdesk.core.predictor import Predictor

    with tempfile.TemporaryDirectory(prefix="first-token-") as name:
        tmp = Path(name)
        if args.model is None:
            from int8_variants import train_model
        model_dir = args.model or train_model(tmp, args.data_dir)
        predictor = Predictor.load(model_dir, device="cpu", backend="torch")
        task = predictor.task
        if not task.reads_first_token:
            print("this model's outputs read every token: nothing to compare")
            return 1
        texts = whole_job.mixed_texts(args.data_dir, predictor.tokenizer, args.n)
        features = task.encode(predictor.tokenizer, task.examples_from_texts(texts), with_labels=False)
        whole = mock.patch.object(type(task), "reads_first_token", False)   # the layer as trained

        graphs = {}
        for variant in ("whole", "first token"):
            raw, fused = tmp / f"{variant}-raw.onnx", tmp / f"{variant}-fused.onnx"
            if variant == "whole":
                with whole:
                    fast.export_onnx(predictor.model, task, raw)
            else:
                fast.export_onnx(predictor.model, task, raw)
            if not fast.optimise(raw, fused, predictor.model.config):
                fused = raw
            fast.quantise(fused, tmp / f"{variant}-int8.onnx")
            graphs[("onnx fp32", variant)] = fast.OnnxModel(fused, task.output_names, threads_per_process())
            graphs[("onnx int8", variant)] = fast.OnnxModel(tmp / f"{variant}-int8.onnx", task.output_names,
                                                            threads_per_process())

        def run(backend: str, variant: str):
            predictor.set_fast(graphs.get((backend, variant)), backend)
            if backend == "torch" and variant == "whole":
                with whole:
                    return predictor.run(features)
            return predictor.run(features)

        systems = [(b, v) for b in ("torch", "onnx fp32", "onnx int8") for v in ("whole", "first token")]
        outputs = {s: np.stack(run(*s)) for s in systems}                  # warm-up, and the outputs
        times: dict[tuple, list[float]] = {s: [] for s in systems}
        for _ in range(args.repeats):
            for s in systems:
                t0 = time.perf_counter()
                run(*s)
                times[s].append(time.perf_counter() - t0)

    lengths = features.lengths()
    print(f"\n{len(texts)} texts, {int(np.sum(lengths)):,} tokens (mean {np.mean(lengths):.1f}); "
          f"{args.repeats} repeats, medians\n")
    print("| backend | whole last layer, s | [CLS] alone, s | speed-up | largest logit difference | same label |")
    print("|---|---|---|---|---|---|")
    for backend in ("torch", "onnx fp32", "onnx int8"):
        a, b = (statistics.median(times[(backend, v)]) for v in ("whole", "first token"))
        x, y = outputs[(backend, "whole")], outputs[(backend, "first token")]
        print(f"| {backend} | {a:.2f} | {b:.2f} | {a / b:.2f}x | {np.abs(x - y).max():.1e} | "
              f"{100 * np.mean(x.argmax(-1) == y.argmax(-1)):.2f} % |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
