"""Whole-job speed: what the user waits for, from starting the program to its last file written.

Each system is a separate process (imports, reading, tokenising, model load, training or
labeling, evaluation, writing), timed from outside, interleaved with the others in one run:

  train  ``bertdesk-cli train`` against the tutorial recipe (``baseline_jobs.py train``: every
         text padded to 128, random batches), the bundled model, N short reviews (SST-2 training
         sentences of 5-110 tokens, a seeded sample per seed), 1 epoch, batch 32, lr 5e-5, dev
         accuracy on the SST-2 dev set (872); one run per seed.
  label  ``bertdesk-cli label`` against ``transformers.pipeline`` (``baseline_jobs.py label``: batch
         32, truncation at 128) on N texts of 5-110 tokens (a third each: SST-2 training sentences,
         GoEmotions comments, the opening sentences of SQuAD contexts), with a model bertdesk
         trained first. bertdesk's systems: ``first run`` (a fresh copy of the model folder: the
         ONNX Runtime graph is built and checked), ``later runs`` (the graph kept in the folder),
         ``--backend torch`` and ``--fast`` (int8, kept only where its accuracy check holds).

Both report the machine's limit: the model's FLOPs on the real (unpadded) tokens of the job
(forward 2 x weights per token plus attention; training 3 x forward), at the GEMM rate of these
cores (``torch.mm`` on 2048 x 2048 float32 matrices, best of 5), and each system's time as
"x of the limit". ``label`` also gives the int8 limit: the linear layers at ONNX Runtime's dynamic
int8 matrix-product rate (2048 x 2048, weights per output channel), the attention products at the
float32 rate.

    python tests/benchmarks/whole_job.py train [--rows 2000] [--seeds 42 43 44] [--json out.json]
    python tests/benchmarks/whole_job.py label [--n 3000] [--repeats 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DATA = HERE.parents[2] / "shared" / "data"
PY = sys.executable


# ---------------------------------------------------------------------------- the machine's limit

def gemm_rate() -> float:
    """FLOP/s of torch.mm on 2048 x 2048 float32 matrices with this process's threads (best of 5)."""
    import torch

    torch.set_num_threads(os.cpu_count() or 1)
    a, b = torch.randn(2048, 2048), torch.randn(2048, 2048)
    for _ in range(2):
        a @ b
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        a @ b
        best = min(best, time.perf_counter() - t0)
    return 2 * 2048 ** 3 / best


def int8_gemm_rate() -> float:
    """Operations/s of ONNX Runtime's dynamically quantised int8 matrix product (the kernel the
    ``--fast`` graph runs: float32 in, int8 weights per output channel) on 2048 x 2048 matrices, with
    this process's threads (best of 5)."""
    import numpy as np
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    n = 2048
    rng = np.random.default_rng(0)
    weight = numpy_helper.from_array(rng.standard_normal((n, n)).astype(np.float32), "w")
    graph = helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["y"])], "gemm",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [n, n])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [n, n])], [weight])
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "fp32.onnx", Path(tmp) / "int8.onnx"
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        model.ir_version = 8                  # what this ONNX Runtime reads (the exporter's too)
        onnx.save(model, str(src))
        logging.getLogger().setLevel(logging.ERROR)      # the quantiser's advice on the root logger
        quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True)
        so = ort.SessionOptions()
        so.intra_op_num_threads = os.cpu_count() or 1
        session = ort.InferenceSession(str(dst), so, providers=["CPUExecutionProvider"])
    x = rng.standard_normal((n, n)).astype(np.float32)
    for _ in range(2):
        session.run(None, {"x": x})
    best = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        session.run(None, {"x": x})
        best = min(best, time.perf_counter() - t0)
    return 2 * n ** 3 / best


def forward_flops_split(config, lengths) -> tuple[float, float]:
    """Forward FLOPs of a BERT encoder on sequences of these real lengths, as (the linear layers:
    2 x weights per token, and the pooler; the attention products: 4 x length x hidden per token
    per layer)."""
    d, ff, layers = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    per_token = 2 * layers * (4 * d * d + 2 * d * ff)
    linear = attention = 0.0
    for n in lengths:
        linear += n * per_token + 2 * d * d
        attention += 4 * layers * n * n * d
    return linear, attention


def forward_flops(config, lengths) -> float:
    return sum(forward_flops_split(config, lengths))


# ---------------------------------------------------------------------------- data

def token_lengths(tokenizer, texts, cap: int = 128) -> list[int]:
    return [min(cap, len(ids)) for ids in tokenizer(texts, add_special_tokens=True)["input_ids"]]


def short_reviews(data: Path, tokenizer, n: int, seed: int):
    import pandas as pd

    train = pd.read_csv(data / "sst2" / "train.tsv", sep="\t", dtype=str, keep_default_na=False)
    lengths = token_lengths(tokenizer, train["sentence"].tolist(), cap=10 ** 6)
    keep = train[[5 <= n_tok <= 110 for n_tok in lengths]]
    sample = keep.sample(n=n, random_state=seed)
    return sample.rename(columns={"sentence": "text"})[["text", "label"]]


def mixed_texts(data: Path, tokenizer, n: int, seed: int = 0) -> list[str]:
    import pandas as pd

    rng = random.Random(seed)
    sst = pd.read_csv(data / "sst2" / "train.tsv", sep="\t", dtype=str, keep_default_na=False)["sentence"]
    ge = pd.read_csv(data / "goemotions" / "test.csv", dtype=str, keep_default_na=False)["text"]
    squad = json.loads((data / "squad_v1.1" / "dev-v1.1.json").read_text(encoding="utf-8"))
    openings = []
    for article in squad["data"]:
        for para in article["paragraphs"]:
            sentences = re.split(r"(?<=[.!?])\s+", para["context"])
            openings.append(" ".join(sentences[:rng.randint(1, 3)]))
    third = n // 3
    out = []
    for pool, want in ((sst.tolist(), third), (ge.tolist(), third), (openings, n - 2 * third)):
        rng.shuffle(pool)
        got = 0
        for text, length in zip(pool, token_lengths(tokenizer, pool, cap=10 ** 6)):
            if 5 <= length <= 110:
                out.append(text)
                got += 1
                if got == want:
                    break
    rng.shuffle(out)
    return out


# ---------------------------------------------------------------------------- running a job

def run(cmd: list[str], env_extra: dict | None = None) -> tuple[float, str]:
    env = {**os.environ, "TOKENIZERS_PARALLELISM": "false", **(env_extra or {})}
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} ... failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def last_json(stdout: str) -> dict:
    for line in reversed(stdout.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no JSON in the output: {stdout[-500:]}")


def bertdesk_train(train_csv: Path, eval_csv: Path, out: Path, seed: int) -> dict:
    seconds, stdout = run([PY, "-m", "bertdesk.cli", "train", "--train", str(train_csv), "--eval", str(eval_csv),
                           "--epochs", "1", "--batch-size", "32", "--lr", "5e-5", "--seed", str(seed),
                           "--out", str(out), "--json", "--quiet"])
    return {"seconds": seconds, "accuracy": float(last_json(stdout)["accuracy"])}


def baseline_train(model: Path, train_csv: Path, eval_csv: Path, out: Path, seed: int) -> dict:
    seconds, stdout = run([PY, str(HERE / "baseline_jobs.py"), "train", "--model", str(model), "--train",
                           str(train_csv), "--eval", str(eval_csv), "--out", str(out), "--epochs", "1",
                           "--batch-size", "32", "--lr", "5e-5", "--seed", str(seed)])
    return {"seconds": seconds, "accuracy": float(last_json(stdout)["accuracy"])}


def bertdesk_label(model: Path, inp: Path, out: Path, *extra: str) -> float:
    seconds, _ = run([PY, "-m", "bertdesk.cli", "label", "--model", str(model), "--input", str(inp),
                      "--output", str(out), "--quiet", *extra])
    return seconds


def baseline_label(model: Path, inp: Path, out: Path) -> float:
    seconds, _ = run([PY, str(HERE / "baseline_jobs.py"), "label", "--model", str(model), "--input", str(inp),
                      "--output", str(out)])
    return seconds


# ---------------------------------------------------------------------------- the two benchmarks

def bench_train(args, tmp: Path, tokenizer, config, rate: float) -> dict:
    import pandas as pd

    from bertdesk.core.models import bundled_model_path

    eval_df = pd.read_csv(args.data_dir / "sst2" / "dev.tsv", sep="\t", dtype=str,
                          keep_default_na=False).rename(columns={"sentence": "text"})
    eval_csv = tmp / "dev.csv"
    eval_df.to_csv(eval_csv, index=False)
    eval_flops = forward_flops(config, token_lengths(tokenizer, eval_df["text"].tolist()))
    runs: dict[str, list[dict]] = {"bertdesk": [], "fixed-128": []}
    limits = []
    for seed in args.seeds:
        sample = short_reviews(args.data_dir, tokenizer, args.rows, seed)
        train_csv = tmp / f"train-{seed}.csv"
        sample.to_csv(train_csv, index=False)
        lengths = token_lengths(tokenizer, sample["text"].tolist())
        limit = (3 * forward_flops(config, lengths) + eval_flops) / rate
        limits.append({"seed": seed, "limit_s": limit, "mean_tokens": statistics.mean(lengths)})
        for name in runs:
            out = tmp / f"{name}-{seed}"
            row = (bertdesk_train(train_csv, eval_csv, out, seed) if name == "bertdesk" else
                   baseline_train(bundled_model_path(), train_csv, eval_csv, out, seed))
            row.update(seed=seed, of_limit=row["seconds"] / limit)
            runs[name].append(row)
            shutil.rmtree(out, ignore_errors=True)
            print(f"seed {seed} {name:>9}: {row['seconds']:.1f} s, accuracy {row['accuracy']:.4f}, "
                  f"{row['of_limit']:.1f} x the limit ({limit:.1f} s)", file=sys.stderr, flush=True)
    base = statistics.median(r["seconds"] for r in runs["fixed-128"])
    print(f"\n{args.rows} short reviews (SST-2 training sentences of 5-110 tokens, mean "
          f"{statistics.mean(x['mean_tokens'] for x in limits):.1f} tokens), 1 epoch, batch 32, lr 5e-5; dev set "
          f"(872); seeds {', '.join(map(str, args.seeds))}; GEMM rate {rate / 1e9:.0f} GFLOP/s; the limit "
          f"(training 3 x forward FLOPs + one evaluation) {statistics.mean(x['limit_s'] for x in limits):.1f} s\n")
    print("| system | whole-process s, median (min-max) | speed-up | x of the limit | dev accuracy, mean (per seed) |")
    print("|---|---|---|---|---|")
    summary = {}
    for name, rows in runs.items():
        secs = [r["seconds"] for r in rows]
        accs = [r["accuracy"] for r in rows]
        med = statistics.median(secs)
        summary[name] = {"median_s": med, "speedup": base / med, "accuracy_mean": statistics.mean(accs),
                         "of_limit": statistics.median(r["of_limit"] for r in rows)}
        print(f"| {name} | {med:.1f} ({min(secs):.1f}-{max(secs):.1f}) | {base / med:.2f}x | "
              f"{summary[name]['of_limit']:.1f} | {100 * statistics.mean(accs):.2f} % "
              f"({' / '.join(f'{100 * a:.2f}' for a in accs)}) |")
    return {"runs": runs, "limits": limits, "summary": summary}


def bench_label(args, tmp: Path, tokenizer, config, rate: float) -> dict:
    import pandas as pd

    model = args.model
    if model is None:
        sample = short_reviews(args.data_dir, tokenizer, 2000, 0)
        sample.to_csv(tmp / "train.csv", index=False)
        eval_df = pd.read_csv(args.data_dir / "sst2" / "dev.tsv", sep="\t", dtype=str, keep_default_na=False)
        eval_df.rename(columns={"sentence": "text"}).to_csv(tmp / "dev.csv", index=False)
        model = tmp / "model"
        bertdesk_train(tmp / "train.csv", tmp / "dev.csv", model, 0)
    texts = mixed_texts(args.data_dir, tokenizer, args.n)
    inp = tmp / "texts.csv"
    pd.DataFrame({"text": texts}).to_csv(inp, index=False)
    lengths = token_lengths(tokenizer, texts)
    limit = forward_flops(config, lengths) / rate
    linear, attention = forward_flops_split(config, lengths)
    rate8 = int8_gemm_rate()
    limit8 = linear / rate8 + attention / rate    # int8 weights in the linear layers; attention stays float
    kept = tmp / "kept-model"                    # a copy whose ONNX graph is built once and kept
    shutil.copytree(model, kept, ignore=shutil.ignore_patterns("fast"))
    bertdesk_label(kept, inp, tmp / "warm.csv")                   # builds and checks the fp32 graph
    bertdesk_label(kept, inp, tmp / "warm-fast.csv", "--fast")      # builds and checks the int8 one

    def first_run(out):
        fresh = tmp / "fresh-model"
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.copytree(model, fresh, ignore=shutil.ignore_patterns("fast"))
        return bertdesk_label(fresh, inp, out)

    systems = {
        "pipeline": lambda out: baseline_label(model, inp, out),
        "bertdesk, first run with the model": first_run,
        "bertdesk, later runs (ONNX Runtime fp32)": lambda out: bertdesk_label(kept, inp, out),
        "bertdesk --backend torch": lambda out: bertdesk_label(kept, inp, out, "--backend", "torch"),
        "bertdesk --fast (int8, checked)": lambda out: bertdesk_label(kept, inp, out, "--fast"),
    }
    times: dict[str, list[float]] = {k: [] for k in systems}
    outputs = {}
    for rep in range(args.repeats):
        for i, (name, job) in enumerate(systems.items()):
            out = tmp / f"out-{i}.csv"
            out.unlink(missing_ok=True)
            times[name].append(job(out))
            outputs[name] = pd.read_csv(out, dtype=str, keep_default_na=False)["pred_label"].tolist()
            print(f"repeat {rep + 1} {name}: {times[name][-1]:.1f} s", file=sys.stderr, flush=True)
    base = statistics.median(times["pipeline"])
    print(f"\n{len(texts)} texts of 5-110 tokens (mean {statistics.mean(lengths):.1f}), {args.repeats} repeats; "
          f"GEMM rate {rate / 1e9:.0f} GFLOP/s; the limit (forward FLOPs of the real tokens) {limit:.1f} s; "
          f"int8 GEMM rate (ONNX Runtime) {rate8 / 1e9:.0f} GOP/s, the int8 limit {limit8:.1f} s\n")
    print("| system | whole-process s, median (min-max) | rows/s | vs pipeline | x of the limit | same label as pipeline |")
    print("|---|---|---|---|---|---|")
    summary = {}
    for name, ts in times.items():
        med = statistics.median(ts)
        agree = sum(a == b for a, b in zip(outputs[name], outputs["pipeline"])) / len(texts)
        summary[name] = {"median_s": med, "rows_per_s": len(texts) / med, "speedup": base / med,
                         "of_limit": med / limit, "agreement": agree}
        print(f"| {name} | {med:.1f} ({min(ts):.1f}-{max(ts):.1f}) | {len(texts) / med:.0f} | {base / med:.2f}x | "
              f"{med / limit:.1f} | {100 * agree:.1f} % |")
    fast_json = kept / "fast" / "onnx-int8.json"
    if fast_json.exists():
        print(f"\n--fast check: {fast_json.read_text(encoding='utf-8')}")
    fast_s = summary["bertdesk --fast (int8, checked)"]["median_s"]
    print(f"--fast: {fast_s / limit8:.1f} x the int8 limit; 5x the pipeline would be {base / 5:.1f} s")
    return {"n": len(texts), "mean_tokens": statistics.mean(lengths), "limit_s": limit, "limit_int8_s": limit8,
            "int8_gemm_ops": rate8, "times": times, "summary": summary}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("job", choices=("train", "label"))
    ap.add_argument("--rows", type=int, default=2000, help="train: training rows")
    ap.add_argument("--seeds", type=int, nargs="+", default=[42, 43, 44])
    ap.add_argument("--n", type=int, default=3000, help="label: texts")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--model", type=Path, help="label: a bertdesk classification folder (default: train one)")
    ap.add_argument("--data-dir", type=Path, default=DATA)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if not (args.data_dir / "sst2").exists():
        print(f"error: data sets not found in {args.data_dir}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(REPO))
    from transformers import AutoConfig, AutoTokenizer

    from bertdesk.core.models import bundled_model_path

    tokenizer = AutoTokenizer.from_pretrained(str(bundled_model_path()))
    config = AutoConfig.from_pretrained(str(bundled_model_path()))
    rate = gemm_rate()
    with tempfile.TemporaryDirectory(prefix="whole-job-") as name:
        bench = bench_train if args.job == "train" else bench_label
        result = bench(args, Path(name), tokenizer, config, rate)
    if args.json:
        args.json.write_text(json.dumps({"job": args.job, "gemm_flops": rate, **result}, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
