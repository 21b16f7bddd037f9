"""Fine-tuning and labeling on a GPU: speed, peak memory and accuracy against full precision.

One command for a machine with CUDA (it runs on the CPU too, to check the script itself):

  train  ``core.training.train`` on N short SST-2 reviews (5-110 tokens, a seeded sample), 1 epoch,
         batch 32, lr 5e-5, once per precision (fp32, then bf16 where the GPU has it, else fp16), the
         same seed; training samples/s (the Trainer's), whole-run seconds, peak GPU memory, accuracy
         on the SST-2 dev set (872 sentences) and how far it is from the fp32 run.
  label  each trained model labels M texts of 5-110 tokens (``whole_job.mixed_texts``) through
         ``Predictor`` on the device: rows/s, peak GPU memory, the share of labels equal to the fp32
         model's; and ``transformers.pipeline(batch_size=32, truncation=True, max_length=128)`` on the
         same device with the fp32 model, for the ratio.

    python tests/benchmarks/gpu.py [--device cuda] [--rows 8000] [--n 3000] [--data-dir ../shared/data]
                                   [--json out.json]

The data sets are read from ``--data-dir`` (default ``../shared/data``; a machine that has only the
repository can be given a copy of the folders ``sst2``, ``goemotions`` and ``squad_v1.1``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import whole_job  # noqa: E402


def _peak_reset(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()


def _peak_gib(device: str) -> float | None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()
        return torch.cuda.max_memory_allocated() / 2 ** 30
    return None


def precisions(device: str) -> list[str]:
    import torch

    if device.startswith("cuda"):
        return ["fp32", "bf16" if torch.cuda.is_bf16_supported(including_emulation=False) else "fp16"]
    return ["fp32", "bf16"]          # the CPU: bf16 autocast, to check the path runs


def bench_train(args, tmp: Path, tokenizer) -> dict:
    import pandas as pd

    from bertdesk.core import data as D
    from bertdesk.core.config import TrainConfig
    from bertdesk.core.predictor import Predictor
    from bertdesk.core.training import train

    sample = whole_job.short_reviews(args.data_dir, tokenizer, args.rows, args.seed)
    sample.to_csv(tmp / "train.csv", index=False)
    dev = pd.read_csv(args.data_dir / "sst2" / "dev.tsv", sep="\t", dtype=str, keep_default_na=False)
    dev = dev.rename(columns={"sentence": "text"})
    dev.to_csv(tmp / "dev.csv", index=False)
    out = {}
    for precision in precisions(args.device):
        config = TrainConfig(train_file=str(tmp / "train.csv"), eval_file=str(tmp / "dev.csv"),
                             out_dir=str(tmp / f"model-{precision}"), epochs=1, batch_size=32, learning_rate=5e-5,
                             seed=args.seed, device=args.device, precision=precision)
        _peak_reset(args.device)
        t0 = time.perf_counter()
        result = train(config)
        seconds = time.perf_counter() - t0
        peak = _peak_gib(args.device)
        accuracy = Predictor.load(config.out_dir, device=args.device).evaluate_table(
            D.read_table(tmp / "dev.csv"))["accuracy"]
        out[precision] = {"seconds": seconds, "samples_per_s": result.train_samples_per_s, "peak_gib": peak,
                          "accuracy": accuracy, "device": result.device, "model": config.out_dir}
        print(f"train {precision}: {seconds:.1f} s, {result.train_samples_per_s:.0f} samples/s, accuracy "
              f"{100 * accuracy:.2f} %, peak {peak if peak is None else round(peak, 2)} GiB ({result.device})",
              file=sys.stderr, flush=True)
    return out


def bench_label(args, tmp: Path, tokenizer, models: dict) -> dict:
    import pandas as pd
    import torch
    from transformers import pipeline

    from bertdesk.core.labeling import label_table
    from bertdesk.core.predictor import Predictor

    texts = whole_job.mixed_texts(args.data_dir, tokenizer, args.n)
    df = pd.DataFrame({"text": texts})
    out, labels = {}, {}
    for precision, info in models.items():
        predictor = Predictor.load(info["model"], device=args.device)
        label_table(predictor, df.head(64), preview=False)               # warm-up (kernels, allocator)
        _peak_reset(args.device)
        t0 = time.perf_counter()
        labeled = label_table(predictor, df, preview=False)
        seconds = time.perf_counter() - t0
        labels[precision] = labeled["pred_label"].tolist()
        out[precision] = {"seconds": seconds, "rows_per_s": len(df) / seconds, "peak_gib": _peak_gib(args.device),
                          "same_label_as_fp32": sum(a == b for a, b in zip(labels[precision], labels["fp32"]))
                          / len(df)}
        del predictor
    device = 0 if args.device.startswith("cuda") else -1
    pipe = pipeline("text-classification", model=models["fp32"]["model"], device=device,
                    dtype=torch.float32)
    pipe(texts[:64], batch_size=32, truncation=True, max_length=128)
    t0 = time.perf_counter()
    pipe(texts, batch_size=32, truncation=True, max_length=128)
    seconds = time.perf_counter() - t0
    out["pipeline (fp32)"] = {"seconds": seconds, "rows_per_s": len(df) / seconds}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--device", default="cuda", choices=("cuda", "cpu"),
                    help="cuda (the first GPU; CUDA_VISIBLE_DEVICES picks another) or cpu")
    ap.add_argument("--rows", type=int, default=8000, help="training rows")
    ap.add_argument("--n", type=int, default=3000, help="texts to label")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--data-dir", type=Path, default=whole_job.DATA)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if not (args.data_dir / "sst2").exists():
        print(f"error: data sets not found in {args.data_dir}", file=sys.stderr)
        return 2
    import torch
    from transformers import AutoTokenizer

    from bertdesk.core.models import bundled_model_path

    if args.device.startswith("cuda") and not torch.cuda.is_available():
        print("error: no CUDA device here (use --device cpu to check the script)", file=sys.stderr)
        return 2
    tokenizer = AutoTokenizer.from_pretrained(str(bundled_model_path()))
    name = torch.cuda.get_device_name() if args.device.startswith("cuda") else "CPU"
    with tempfile.TemporaryDirectory(prefix="gpu-bench-") as tmp_name:
        tmp = Path(tmp_name)
        trained = bench_train(args, tmp, tokenizer)
        labeled = bench_label(args, tmp, tokenizer, trained)
    base = trained["fp32"]
    print(f"\n{name}, torch {torch.__version__}; {args.rows} training rows, 1 epoch, batch 32; {args.n} texts labeled\n")
    print("| trained in | train samples/s | train whole run s | peak GiB (train) | dev accuracy | vs fp32 |"
          " label rows/s (fp32) | peak GiB (label) | same label as the fp32-trained model |")
    print("|---|---|---|---|---|---|---|---|---|")
    for precision, t in trained.items():
        lab = labeled[precision]
        peak_t = "-" if t["peak_gib"] is None else f"{t['peak_gib']:.2f}"
        peak_l = "-" if lab["peak_gib"] is None else f"{lab['peak_gib']:.2f}"
        print(f"| {precision} | {t['samples_per_s']:.0f} | {t['seconds']:.1f} | {peak_t} | {100 * t['accuracy']:.2f} % | "
              f"{100 * (t['accuracy'] - base['accuracy']):+.2f} | {lab['rows_per_s']:.0f} | {peak_l} | "
              f"{100 * lab['same_label_as_fp32']:.1f} % |")
    pipe = labeled["pipeline (fp32)"]
    print(f"\npipeline (fp32, batch 32): {pipe['rows_per_s']:.0f} rows/s; bertdesk fp32 "
          f"{labeled['fp32']['rows_per_s'] / pipe['rows_per_s']:.2f}x")
    if args.json:
        args.json.write_text(json.dumps({"device": name, "train": trained, "label": labeled}, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
