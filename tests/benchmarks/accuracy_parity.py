"""Accuracy parity: bertdesk against the reference transformers recipe, side by side.

Both systems fine-tune the same model (the bundled MiniLM by default) on the same training rows,
with the same hyper-parameters and budget, in this one process, and are scored on the same
evaluation rows. Prints a markdown table and optionally writes JSON.

    python tests/benchmarks/accuracy_parity.py --task ner|qa|classify|multilabel \
        [--train-rows N] [--eval-rows N] [--epochs E] [--lr X] [--batch-size B] [--seed S] \
        [--json OUT]

The data sets are read from ../shared/data beside the repository (see its README); they are
never copied into the repository: subsets are written to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
for p in (str(REPO), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

DATA_DIR = REPO.parent / "shared" / "data"

DEFAULTS = {
    # task: train rows, epochs, learning rate, batch size, max length
    "ner": {"train_rows": 3000, "epochs": 2.0, "learning_rate": 1e-4, "batch_size": 16, "max_length": 128},
    "qa": {"train_rows": None, "epochs": 1.0, "learning_rate": 1e-4, "batch_size": 16, "max_length": 384},
    "classify": {"train_rows": 4000, "epochs": 1.0, "learning_rate": 5e-5, "batch_size": 16, "max_length": 128},
    "multilabel": {"train_rows": 4000, "epochs": 2.0, "learning_rate": 1e-4, "batch_size": 32,
                   "max_length": 64, "eval_rows": 2000},
}
BERTDESK_MAIN = {"ner": "f1", "qa": "f1", "classify": "accuracy", "multilabel": "micro_f1"}   # best-epoch choice
NEEDS = {"ner": ["conll2003/train.txt", "conll2003/test.txt"], "qa": ["squad_v1.1/dev-v1.1.json"],
         "classify": ["sst2/train.tsv", "sst2/dev.tsv"],
         "multilabel": ["goemotions/train.csv", "goemotions/dev.csv", "goemotions/labels.txt"]}
# metric key -> (label, scale to points)
MAIN = {"ner": [("f1", "entity F1", 100), ("token_accuracy", "token acc", 100)],
        "qa": [("exact_match", "EM", 100), ("f1", "F1", 100)],
        "classify": [("accuracy", "accuracy", 100)],
        "multilabel": [("micro_f1", "micro-F1 @0.5", 100), ("micro_f1_eval_tuned", "micro-F1 eval-tuned", 100)]}


# ---------------------------------------------------------------------------- data

def read_conll(path: Path):
    words, tags, cur_w, cur_t = [], [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("-DOCSTART-"):
            if cur_w:
                words.append(cur_w)
                tags.append(cur_t)
                cur_w, cur_t = [], []
            continue
        parts = line.split()
        cur_w.append(parts[0])
        cur_t.append(parts[-1])
    if cur_w:
        words.append(cur_w)
        tags.append(cur_t)
    return words, tags


def write_conll(path: Path, words, tags):
    with open(path, "w", encoding="utf-8") as fh:
        for ws, ts in zip(words, tags):
            for w, t in zip(ws, ts):
                fh.write(f"{w} {t}\n")
            fh.write("\n")


def squad_articles(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["data"]


def sample_questions(articles: list[dict], n: int | None, seed: int) -> list[dict]:
    """A seeded sample of n questions drawn across all these articles (file order kept), as SQuAD
    articles, so a reduced training set still covers every training article."""
    if n is None:
        return articles
    total = sum(len(p["qas"]) for a in articles for p in a["paragraphs"])
    if n >= total:
        return articles
    keep = set(np.random.default_rng(seed).choice(total, n, replace=False).tolist())
    out, k = [], 0
    for art in articles:
        paras = []
        for para in art["paragraphs"]:
            qas = [qa for j, qa in enumerate(para["qas"], start=k) if j in keep]
            k += len(para["qas"])
            if qas:
                paras.append({**para, "qas": qas})
        if paras:
            out.append({**art, "paragraphs": paras})
    return out


def limit_questions(articles: list[dict], n: int | None) -> list[dict]:
    """The first n questions of these articles (in file order), as SQuAD articles."""
    if n is None:
        return articles
    out, left = [], n
    for art in articles:
        paras = []
        for para in art["paragraphs"]:
            if left <= 0:
                break
            qas = para["qas"][:left]
            left -= len(qas)
            paras.append({**para, "qas": qas})
        if paras:
            out.append({**art, "paragraphs": paras})
        if left <= 0:
            break
    return out


def squad_examples(articles: list[dict]) -> list[dict]:
    out = []
    for art in articles:
        for para in art["paragraphs"]:
            for qa in para["qas"]:
                out.append({"id": qa["id"], "question": qa["question"], "context": para["context"],
                            "answers": {"text": [a["text"] for a in qa["answers"]],
                                        "answer_start": [int(a["answer_start"]) for a in qa["answers"]]}})
    return out


def write_squad(path: Path, articles: list[dict]):
    path.write_text(json.dumps({"version": "1.1", "data": articles}), encoding="utf-8")


def prepare(task: str, args, tmp: Path) -> dict:
    """Returns the bertdesk job pieces and the reference function's inputs, on identical rows."""
    import pandas as pd

    d = args.data_dir
    if task == "ner":
        train_w, train_t = read_conll(d / "conll2003/train.txt")
        train_w, train_t = train_w[:args.train_rows], train_t[:args.train_rows]
        eval_file = d / "conll2003/test.txt"
        eval_w, eval_t = read_conll(eval_file)
        if args.eval_rows:
            eval_w, eval_t = eval_w[:args.eval_rows], eval_t[:args.eval_rows]
            eval_file = tmp / "eval.conll"
            write_conll(eval_file, eval_w, eval_t)
        train_file = tmp / "train.conll"
        write_conll(train_file, train_w, train_t)
        return {"bertdesk": {"train_file": str(train_file), "eval_file": str(eval_file)},
                "reference": (train_w, train_t, eval_w, eval_t),
                "data": f"conll2003 train.txt first {len(train_w)} sentences; eval "
                        f"{'test.txt' if not args.eval_rows else f'first {len(eval_w)} of test.txt'}"}
    if task == "qa":
        articles = squad_articles(d / "squad_v1.1/dev-v1.1.json")
        n_train = args.train_articles
        train_art = sample_questions(articles[:n_train], args.train_rows, args.seed)
        rest = articles[n_train:]
        eval_art = limit_questions(rest[:args.eval_articles] if args.eval_articles else rest, args.eval_rows)
        write_squad(tmp / "train.json", train_art)
        write_squad(tmp / "eval.json", eval_art)
        train_ex, eval_ex = squad_examples(train_art), squad_examples(eval_art)
        return {"bertdesk": {"train_file": str(tmp / "train.json"), "eval_file": str(tmp / "eval.json")},
                "reference": (train_ex, eval_ex),
                "data": f"squad_v1.1 dev split by article: first {n_train} articles to train ("
                        f"{len(train_art)} articles / {len(train_ex)} questions"
                        f"{f', seeded sample, seed {args.seed}' if args.train_rows else ''}), then "
                        f"{len(eval_art)} articles / {len(eval_ex)} questions to evaluate"}
    if task == "classify":
        train = pd.read_csv(d / "sst2/train.tsv", sep="\t", dtype=str, keep_default_na=False)
        rng = np.random.default_rng(args.seed)
        if args.train_rows and args.train_rows < len(train):
            train = train.iloc[np.sort(rng.choice(len(train), args.train_rows, replace=False))]
        dev = pd.read_csv(d / "sst2/dev.tsv", sep="\t", dtype=str, keep_default_na=False)
        eval_file = d / "sst2/dev.tsv"
        if args.eval_rows:
            dev = dev.iloc[:args.eval_rows]
            eval_file = tmp / "eval.tsv"
            dev.to_csv(eval_file, sep="\t", index=False)
        train.to_csv(tmp / "train.tsv", sep="\t", index=False)
        return {"bertdesk": {"train_file": str(tmp / "train.tsv"), "eval_file": str(eval_file),
                             "columns": {"text": "sentence", "label": "label"}},
                "reference": (train["sentence"].tolist(), train["label"].tolist(), dev["sentence"].tolist(),
                              dev["label"].tolist()),
                "data": f"sst2 train.tsv seeded sample of {len(train)} rows (seed {args.seed}); eval "
                        f"{'dev.tsv' if not args.eval_rows else f'first {len(dev)} rows of dev.tsv'}"}
    if task == "multilabel":
        names = [l.strip() for l in (d / "goemotions/labels.txt").read_text(encoding="utf-8").splitlines()
                 if l.strip()]
        train = pd.read_csv(d / "goemotions/train.csv", dtype=str, keep_default_na=False)
        rng = np.random.default_rng(args.seed)
        if args.train_rows and args.train_rows < len(train):
            train = train.iloc[np.sort(rng.choice(len(train), args.train_rows, replace=False))]
        dev = pd.read_csv(d / "goemotions/dev.csv", dtype=str, keep_default_na=False)
        eval_rows = args.eval_rows if args.eval_rows else DEFAULTS["multilabel"]["eval_rows"]
        dev = dev.iloc[:eval_rows]
        train.to_csv(tmp / "train.csv", index=False)
        dev.to_csv(tmp / "eval.csv", index=False)
        y = lambda df: df[names].astype(int).to_numpy()  # noqa: E731
        return {"bertdesk": {"train_file": str(tmp / "train.csv"), "eval_file": str(tmp / "eval.csv"),
                             "columns": {"text": "text", "labels": names}},
                "reference": (train["text"].tolist(), y(train), dev["text"].tolist(), y(dev)),
                "label_names": names,
                "data": f"goemotions train.csv seeded sample of {len(train)} rows (seed {args.seed}); eval "
                        f"first {len(dev)} rows of dev.csv; {len(names)} labels"}
    raise ValueError(task)


# ---------------------------------------------------------------------------- the two systems

def run_bertdesk(task: str, job: dict, hp: dict, tmp: Path, args) -> dict:
    from bertdesk.core.config import TrainConfig
    from bertdesk.core.events import Log, Metrics, Progress
    from bertdesk.core.tasks import task_for_config
    from bertdesk.core.training import grouped_batches, train

    out_dir = tmp / "bertdesk-model"
    last = {"pct": -1}

    def on_event(ev):
        if isinstance(ev, Log):
            print(f"  [bertdesk] {ev.message}", flush=True)
        elif isinstance(ev, Metrics) and ev.split == "eval":
            shown = {k: round(v, 4) for k, v in ev.values.items() if k in dict((m[0], 1) for m in MAIN[task])
                     or k in ("loss", "micro_f1", "accuracy", "f1", "exact_match")}
            print(f"  [bertdesk] eval at epoch {ev.epoch}: {shown}", flush=True)
        elif isinstance(ev, Progress) and ev.phase == "training" and ev.total:
            pct = int(100 * ev.done / ev.total) // 10 * 10
            if pct != last["pct"]:
                last["pct"] = pct
                print(f"  [bertdesk] training {ev.done}/{ev.total} steps, {ev.elapsed_s:.0f}s", flush=True)

    config = TrainConfig(task=task, train_file=job["train_file"], eval_file=job["eval_file"],
                         columns=job.get("columns", {}), model=args.model, out_dir=str(out_dir),
                         epochs=hp["epochs"], batch_size=hp["batch_size"], learning_rate=hp["learning_rate"],
                         max_length=hp["max_length"], warmup_ratio=hp["warmup_ratio"],
                         weight_decay=hp["weight_decay"], seed=hp["seed"], eval_steps=None, patience=None,
                         stride=hp.get("stride"), group_by_length=False if args.bertdesk_no_group else None)
    t0 = time.time()
    result = train(config, on_event=on_event)
    total = time.time() - t0
    meta = json.loads((out_dir / "bertdesk.json").read_text(encoding="utf-8"))
    metrics = {k: v for k, v in result.metrics.items() if isinstance(v, (int, float))}
    out = {**metrics, "train_seconds": float(meta.get("train_seconds", float("nan"))),
           "total_seconds": total, "train_samples_per_s": float(result.train_samples_per_s),
           "n_train": result.n_train, "n_eval": result.n_eval, "device": result.device,
           "group_by_length": grouped_batches(config, task_for_config(config))}
    main_key = BERTDESK_MAIN[task]
    evals = [h for h in result.history if h.get("split") == "eval" and main_key in h]
    out["epoch_evals"] = [{"epoch": h["epoch"], main_key: h[main_key]} for h in evals]
    if evals:
        best = int(np.argmax([h[main_key] for h in evals]))
        out["best_epoch_kept"] = evals[best]["epoch"]
        out["best_is_last_epoch"] = best == len(evals) - 1
    if task == "multilabel":
        # bertdesk tunes per-label thresholds on the evaluation rows; score its model at 0.5 too
        out["micro_f1_eval_tuned"] = out.pop("micro_f1")
        out.update(_bertdesk_multilabel_at_half(out_dir, job))
    return out


def _bertdesk_multilabel_at_half(out_dir: Path, job: dict) -> dict:
    from sklearn.metrics import f1_score

    from bertdesk.core.predictor import Predictor

    pred = Predictor.load(out_dir)
    examples = pred.task.read_examples(job["eval_file"], job["columns"])
    pred.task.thresholds = [0.5] * len(pred.task.labels)
    outputs = pred.predict_examples(examples)
    probs = np.stack([p["scores"] for p in outputs])
    truth = pred.task.multi_hot(examples.labels).astype(int)
    guess = (probs >= 0.5).astype(int)
    return {"micro_f1": float(f1_score(truth, guess, average="micro", zero_division=0)),
            "macro_f1_at_0.5": float(f1_score(truth, guess, average="macro", zero_division=0))}


def run_reference(task: str, prepared: dict, hp: dict, args) -> dict:
    import reference_recipes as R

    from bertdesk.core.models import bundled_model_path, is_bundled

    model_path = bundled_model_path() if is_bundled(args.model) else Path(args.model)
    data = prepared["reference"]
    if task == "ner":
        return R.ref_ner(model_path, *data, hp)
    if task == "qa":
        return R.ref_qa(model_path, *data, hp, padding=args.ref_padding)
    if task == "classify":
        return R.ref_classification(model_path, *data, hp, padding=args.ref_padding)
    return R.ref_multilabel(model_path, *data, hp, padding=args.ref_padding,
                            label_names=prepared["label_names"])


# ---------------------------------------------------------------------------- report

def _fmt(v, scale):
    return "n/a" if v is None or (isinstance(v, float) and np.isnan(v)) else f"{v * scale:.2f}"


def table(task: str, results: dict) -> str:
    cols = MAIN[task]
    head = "| system | " + " | ".join(c[1] for c in cols) + " | train time s | train samples/s | total s |"
    lines = [head, "|" + "---|" * (len(cols) + 4)]
    for name, r in results.items():
        if "error" in r:
            lines.append(f"| {name} | error: {r['error']} |")
            continue
        vals = " | ".join(_fmt(r.get(k), s) for k, _, s in cols)
        lines.append(f"| {name} | {vals} | {r['train_seconds']:.1f} | {r['train_samples_per_s']:.1f} | "
                     f"{r['total_seconds']:.1f} |")
    if all(n in results and "error" not in results[n] for n in ("bertdesk", "reference")):
        b, r = results["bertdesk"], results["reference"]
        diffs = " | ".join(f"{(b[k] - r[k]) * s:+.2f}" if b.get(k) is not None and r.get(k) is not None
                           else "n/a" for k, _, s in cols)
        lines.append(f"| difference (bertdesk - reference), points | {diffs} | "
                     f"{b['train_seconds'] - r['train_seconds']:+.1f} | | |")
    return "\n".join(lines)


def differences(task: str, results: dict) -> dict:
    b, r = results.get("bertdesk", {}), results.get("reference", {})
    out = {}
    for k, _, s in MAIN[task]:
        if isinstance(b.get(k), (int, float)) and isinstance(r.get(k), (int, float)):
            out[k] = (b[k] - r[k]) * s
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--task", required=True, choices=sorted(DEFAULTS))
    ap.add_argument("--train-rows", type=int, help="training rows (ner: first N sentences; qa: a seeded sample of N "
                    "questions across the training articles; classify/multilabel: a seeded sample)")
    ap.add_argument("--eval-rows", type=int, help="evaluate on the first N evaluation rows only (smoke runs)")
    ap.add_argument("--epochs", type=float)
    ap.add_argument("--lr", type=float)
    ap.add_argument("--batch-size", type=int)
    ap.add_argument("--max-length", type=int)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--stride", type=int, help="qa: window overlap in tokens (default 128)")
    ap.add_argument("--train-articles", type=int, default=38, help="qa: the first N articles train")
    ap.add_argument("--eval-articles", type=int, help="qa: evaluate on the next N articles (default: all the rest)")
    ap.add_argument("--ref-padding", choices=("max_length", "dynamic"), default="max_length",
                    help="reference padding (qa: dynamic is run_qa's --pad_to_max_length False; the same results, "
                         "faster)")
    ap.add_argument("--bertdesk-no-group", action="store_true", help="turn off bertdesk's length grouping")
    ap.add_argument("--systems", choices=("both", "bertdesk", "reference"), default="both")
    ap.add_argument("--model", default="bundled")
    ap.add_argument("--data-dir", type=Path, default=DATA_DIR)
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args(argv)

    missing = [n for n in NEEDS[args.task] if not (args.data_dir / n).exists()]
    if missing:
        print(f"error: the benchmark data is missing: {', '.join(str(args.data_dir / n) for n in missing)}\n"
              f"The shared data sets are expected in {args.data_dir} (beside the repository; see its "
              "README). Give another folder with --data-dir.", file=sys.stderr)
        return 2

    import os

    import transformers
    transformers.logging.set_verbosity_error()
    os.environ.setdefault("REF_PROGRESS", "1")

    d = DEFAULTS[args.task]
    if args.train_rows is None:
        args.train_rows = d["train_rows"]
    hp = {"epochs": args.epochs if args.epochs is not None else d["epochs"],
          "learning_rate": args.lr if args.lr is not None else d["learning_rate"],
          "batch_size": args.batch_size or d["batch_size"],
          "max_length": args.max_length or d["max_length"],
          "seed": args.seed, "warmup_ratio": 0.1, "weight_decay": 0.01}
    if args.task == "qa":
        hp.update(stride=args.stride or 128, n_best=20, max_answer_length=30)

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bertdesk-parity-") as tmp_name:
        tmp = Path(tmp_name)
        prepared = prepare(args.task, args, tmp)
        print(f"task {args.task}: {prepared['data']}", flush=True)
        print(f"hyper-parameters: {hp}", flush=True)
        order = ["bertdesk", "reference"] if args.systems == "both" else [args.systems]
        for name in order:
            print(f"--- {name}", flush=True)
            t0 = time.time()
            if name == "bertdesk":
                results[name] = run_bertdesk(args.task, prepared["bertdesk"], hp, tmp, args)
            else:
                results[name] = run_reference(args.task, prepared, hp, args)
            shown = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in results[name].items()
                     if not isinstance(v, (list, dict))}
            print(f"  {name} done in {time.time() - t0:.0f}s: {shown}", flush=True)

    if "bertdesk" in results and "reference" in results:
        nb, nr = results["bertdesk"], results["reference"]
        if (nb["n_train"], nb["n_eval"]) != (nr["n_train"], nr["n_eval"]):
            print(f"WARNING: the systems saw different row counts: bertdesk {nb['n_train']}/{nb['n_eval']}, "
                  f"reference {nr['n_train']}/{nr['n_eval']}", flush=True)
    print()
    print(f"### {args.task}: {prepared['data']}")
    print(f"epochs {hp['epochs']}, lr {hp['learning_rate']}, batch {hp['batch_size']}, max length "
          f"{hp['max_length']}, seed {hp['seed']}, warmup 0.1, weight decay 0.01")
    print()
    print(table(args.task, results))
    if "bertdesk" in results and "best_is_last_epoch" in results["bertdesk"]:
        b = results["bertdesk"]
        print(f"\nbertdesk keeps the best epoch by its main metric: kept epoch {b['best_epoch_kept']} "
              f"({'the last one' if b['best_is_last_epoch'] else 'NOT the last one'}); "
              f"per-epoch: {b['epoch_evals']}")
    if args.task == "multilabel":
        print("\nmicro-F1 @0.5: fixed threshold (the reference recipe); eval-tuned: per-label thresholds "
              "tuned on the evaluation rows themselves (bertdesk's reported figure; optimistic).")
    if args.json:
        import torch
        payload = {"task": args.task, "data": prepared["data"], "hyperparameters": hp,
                   "bertdesk_group_by_length": "off" if args.bertdesk_no_group else "default (off for ner)",
                   "reference_padding": args.ref_padding if args.task in ("classify", "multilabel", "qa") else
                   ("max_length" if args.task == "qa" else "dynamic"),
                   "results": results, "difference_points": differences(args.task, results),
                   "versions": {"python": platform.python_version(), "torch": torch.__version__,
                                "transformers": transformers.__version__},
                   "machine": platform.machine(), "created": time.strftime("%Y-%m-%dT%H:%M:%S")}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
