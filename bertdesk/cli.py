"""bertdesk-cli: the same jobs as the app, headless. Exit codes: 0 ok, 2 bad input or usage, 1 other."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

from .core.cancel import Cancelled
from .core.errors import BertdeskError

log = logging.getLogger("bertdesk")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line on stderr, exit 2 (argparse prints usage + two lines)
        raise UsageError(message)


# ------------------------------------------------------------------ progress on stderr

class ProgressPrinter:
    """Draws a progress bar for Progress events on stderr and prints logs and eval metrics."""

    def __init__(self, stream=None, quiet: bool = False):
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self._last = 0.0
        self._open_line = False
        self._last_pct = {}

    def __call__(self, event) -> None:
        from .core.events import Log, Metrics, Progress

        if self.quiet:
            return
        if isinstance(event, Progress):
            self._progress(event)
        elif isinstance(event, Log):
            self._line(("warning: " if event.level == "warning" else "") + event.message)
        elif isinstance(event, Metrics) and event.split == "eval":
            shown = ", ".join(f"{k} {v:.4f}" for k, v in event.values.items() if k != "loss")
            self._line(f"evaluation at epoch {event.epoch or 0:.2f}: loss {event.values.get('loss', float('nan')):.4f}"
                       + (f", {shown}" if shown else ""))

    def _progress(self, p) -> None:
        now = time.time()
        finished = p.total and p.done >= p.total
        if self.tty:
            if not finished and now - self._last < 0.1:
                return
            self._last = now
            frac = p.done / p.total if p.total else 0.0
            bar = "#" * int(frac * 30)
            eta = f" ETA {_fmt_time(p.eta_s)}" if p.eta_s is not None and not finished else ""
            self.stream.write(f"\r{p.phase:>11} [{bar:<30}] {p.done}/{p.total}{eta}   ")
            self._open_line = True
            if finished:
                self.stream.write("\n")
                self._open_line = False
            self.stream.flush()
        else:  # a log file or CI: a line every 10 %, none for a phase that has only begun
            if p.done == 0 and p.total:
                return
            pct = int(100 * p.done / p.total) if p.total else 100
            key = p.phase
            if pct // 10 != self._last_pct.get(key, -1) // 10 or finished:
                if self._last_pct.get(key) != pct:
                    eta = f", ETA {_fmt_time(p.eta_s)}" if p.eta_s else ""
                    self._line(f"{p.phase}: {p.done}/{p.total} ({pct}%{eta})")
                self._last_pct[key] = pct

    def _line(self, text: str) -> None:
        if self._open_line:
            self.stream.write("\n")
            self._open_line = False
        self.stream.write(text + "\n")
        self.stream.flush()


def _fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 \
        else f"{seconds // 60}:{seconds % 60:02d}"


# ------------------------------------------------------------------ arguments

def _add_column_options(p) -> None:
    g = p.add_argument_group("columns (detected when left out)")
    g.add_argument("--text-col", help="column with the text")
    g.add_argument("--text-pair-col", help="column with a second text (sentence pairs)")
    g.add_argument("--label-col", help="column with the label (multi-label: labels joined by ; or |)")
    g.add_argument("--label-cols", help="multi-label as one 0/1 column per label: A,B,C")
    g.add_argument("--label-sep", help="separator of labels in --label-col (default: detected)")
    g.add_argument("--tokens-col", help="NER: column of space-separated tokens")
    g.add_argument("--tags-col", help="NER: column of space-separated tags, one per token")
    g.add_argument("--context-col", help="QA: column with the context passage")
    g.add_argument("--question-col", help="QA: column with the question")
    g.add_argument("--answer-col", help="QA: column with the answer text")
    g.add_argument("--answer-start-col", help="QA: column with the answer's character offset (optional)")
    g.add_argument("--encoding", help="file encoding (default: detected)")
    g.add_argument("--delimiter", help="CSV separator (default: detected)")
    g.add_argument("--sheet", help="XLSX sheet name (default: the first)")


COLUMN_OPTIONS = {"text": "text_col", "text_pair": "text_pair_col", "label": "label_col", "labels": "label_cols",
                  "label_sep": "label_sep", "tokens": "tokens_col", "tags": "tags_col", "context": "context_col",
                  "question": "question_col", "answer": "answer_col", "answer_start": "answer_start_col"}


def _columns(args) -> dict:
    cols = {key: getattr(args, attr, None) for key, attr in COLUMN_OPTIONS.items()}
    if cols["labels"]:
        cols["labels"] = [c.strip() for c in cols["labels"].split(",") if c.strip()]
    return {k: v for k, v in cols.items() if v}


def _read_options(args) -> dict:
    opts = {"encoding": args.encoding, "delimiter": _unescape(args.delimiter), "sheet": args.sheet}
    return {k: v for k, v in opts.items() if v}


def _unescape(sep: str | None) -> str | None:
    return {"\\t": "\t", "tab": "\t", "TAB": "\t"}.get(sep, sep) if sep else sep


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = _Parser(prog="bertdesk-cli", description="Fine-tune BERT on your own text, headless.")
    parser.add_argument("--version", action="version", version=f"bertdesk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    t = sub.add_parser("train", help="fine-tune a model on a labeled file")
    t.add_argument("--task", choices=["classify", "multilabel", "ner", "qa"],
                   help="what to learn (default: classify)")
    t.add_argument("--train", help="training data: CSV, TSV, XLSX, JSONL; NER also CoNLL; QA also SQuAD JSON")
    t.add_argument("--eval", help="separate evaluation data (default: hold out --eval-fraction)")
    _add_column_options(t)
    t.add_argument("--model", help="bundled (default), a local model folder or a hub id")
    t.add_argument("--preset", choices=["quick", "balanced", "thorough"], help="settings preset")
    t.add_argument("--epochs", type=float)
    t.add_argument("--batch-size", type=int)
    t.add_argument("--lr", type=float, help="learning rate (default 5e-5)")
    t.add_argument("--max-length", type=int, help="tokens per window (default 128; QA 384)")
    t.add_argument("--stride", type=int, help="overlap of long-text windows in tokens (QA doc stride: 128)")
    t.add_argument("--seed", type=int)
    t.add_argument("--eval-fraction", type=float, help="held-out share of --train (default 0.1)")
    t.add_argument("--eval-steps", type=int, help="evaluate every N steps (default: every epoch)")
    t.add_argument("--patience", type=int, help="early stopping after N evaluations without gain (0: off)")
    t.add_argument("--grad-accum", type=int, help="gradient accumulation steps")
    t.add_argument("--warmup", type=float, help="warm-up share of the steps (default 0.1)")
    t.add_argument("--weight-decay", type=float)
    t.add_argument("--truncate", action="store_true", help="truncate long texts instead of windows")
    t.add_argument("--max-rows", type=int, help="train on a seeded sample of N rows")
    t.add_argument("--device", choices=["auto", "cuda", "mps", "cpu"])
    t.add_argument("--out", help="output model folder")
    t.add_argument("--job", help="read all settings from a job file (options given here override it)")
    t.add_argument("--save-job", help="write the settings to a job file and exit")
    t.add_argument("--resume", metavar="DIR", help="resume the interrupted run whose output folder is DIR")
    t.add_argument("--json", action="store_true", help="print the metrics as JSON on the last line")
    t.add_argument("--quiet", action="store_true", help="no progress on stderr")

    e = sub.add_parser("evaluate", help="metrics of a trained model on a labeled file")
    e.add_argument("--model", required=True, help="trained model folder")
    e.add_argument("--data", required=True, help="labeled data file")
    _add_column_options(e)
    e.add_argument("--json", action="store_true")
    e.add_argument("--quiet", action="store_true")

    lab = sub.add_parser("label", help="add predictions to every row of a CSV/XLSX")
    lab.add_argument("--model", required=True, help="trained model folder")
    lab.add_argument("--input", required=True, help="CSV, TSV, XLSX or JSONL to label")
    lab.add_argument("--output", required=True, help="where to write (.csv, .tsv, .xlsx, .jsonl)")
    _add_column_options(lab)
    lab.add_argument("--fast", nargs="?", const="auto", default=None, metavar="MODE",
                     choices=("auto", "onnx-int8", "onnx", "int8"),
                     help="faster CPU labeling: onnx-int8 (the default when given alone), onnx or int8; used only "
                          "if the main metric on the model's evaluation set drops by at most --fast-max-drop points")
    lab.add_argument("--fast-max-drop", type=float, default=0.5, metavar="POINTS",
                     help="largest drop of the evaluation metric the fast mode may cost (default 0.5)")
    lab.add_argument("--json", action="store_true")
    lab.add_argument("--quiet", action="store_true")

    a = sub.add_parser("attention", help="draw an attention heatmap for one text")
    a.add_argument("--model", required=True, help="trained model folder")
    a.add_argument("--text", required=True, help="the text (QA: the question)")
    a.add_argument("--pair", help="second text of a pair (QA: the context)")
    a.add_argument("--out", required=True, help="PNG file to write")
    a.add_argument("--layer", type=int, help="layer (default: the last)")
    a.add_argument("--head", help="head number, 'mean' (default) or 'rollout'")
    a.add_argument("--json", action="store_true")

    d = sub.add_parser("demo", help="fine-tune the bundled model on a sample and label a sample sheet")
    d.add_argument("--out", help="folder for the demo's model and labeled sheet (default: workspace/demo)")
    d.add_argument("--epochs", type=float, default=3.0)
    d.add_argument("--json", action="store_true")
    d.add_argument("--quiet", action="store_true")
    return parser


# ------------------------------------------------------------------ commands

def _train_config(args):
    from .core.config import PRESETS, TrainConfig, load_job, preset_values

    if args.resume:
        from .core.training import pending_run
        state = pending_run(args.resume)
        if state is None:
            raise BertdeskError(f"no interrupted run to resume for '{args.resume}'")
        config = TrainConfig.from_dict(state["job"])
        return config, True
    config = load_job(args.job, out_given=args.out is not None) if args.job else TrainConfig()
    if args.preset:
        for key, value in PRESETS[args.preset].items():
            setattr(config, key, value)
    overrides = {
        "task": args.task, "train_file": args.train, "eval_file": args.eval, "model": args.model,
        "out_dir": args.out, "epochs": args.epochs, "batch_size": args.batch_size,
        "learning_rate": args.lr, "max_length": args.max_length, "seed": args.seed,
        "eval_fraction": args.eval_fraction, "eval_steps": args.eval_steps, "grad_accum": args.grad_accum,
        "warmup_ratio": args.warmup, "weight_decay": args.weight_decay, "max_train_rows": args.max_rows,
        "device": args.device, "stride": args.stride,
    }
    for key, value in overrides.items():
        if value is not None:
            setattr(config, key, value)
    if args.patience is not None:
        config.patience = args.patience or None
    if args.truncate:
        config.long_text = "truncate"
    cols = _columns(args)
    if cols:
        config.columns = cols
    opts = _read_options(args)
    if opts:
        config.read_options = opts
    if not config.train_file:
        raise UsageError("train needs --train FILE (or --job FILE)")
    if not config.out_dir and not args.save_job:
        raise UsageError("train needs --out DIR")
    _validate(config)
    if args.preset and args.epochs is None:
        # as in the wizard: a small sheet gets enough passes to learn (an explicit --epochs wins)
        config.epochs = preset_values(args.preset, _n_train_rows(config), config.batch_size)["epochs"]
    return config, False


def _n_train_rows(config) -> int:
    from .core.tasks import make_task
    from .core.training import prepare_data, task_settings

    train_ex, _ = prepare_data(config, make_task(config.task, **task_settings(config)))
    return len(train_ex)


def _validate(config) -> None:
    checks = [(config.epochs > 0, "--epochs must be above 0"), (config.batch_size >= 1, "--batch-size must be at least 1"),
              (0 < config.learning_rate < 1, "--lr must be between 0 and 1"),
              (config.max_length is None or 16 <= config.max_length <= 4096,
               "--max-length must be between 16 and 4096"),
              (0 < config.eval_fraction < 1, "--eval-fraction must be between 0 and 1"),
              (config.grad_accum >= 1, "--grad-accum must be at least 1"),
              (0 <= config.warmup_ratio < 1, "--warmup must be in [0, 1)")]
    for ok, message in checks:
        if not ok:
            raise UsageError(message)


def cmd_train(args) -> dict:
    from .core.config import save_job
    from .core.training import train

    config, resume = _train_config(args)
    if args.save_job:
        save_job(config, args.save_job)
        print(f"job written to {args.save_job}", file=sys.stderr)
        return {"job": args.save_job}
    from .core.distributed import dist_info
    result = train(config, on_event=ProgressPrinter(quiet=args.quiet), resume=resume)
    if not dist_info().is_main:
        return {}
    summary = _summary(result.metrics)
    summary.update({"out_dir": str(result.out_dir), "n_train": result.n_train, "n_eval": result.n_eval,
                    "seconds": round(result.elapsed_s, 1),
                    "train_samples_per_second": round(result.train_samples_per_s, 2)})
    if not args.json:
        print(_describe_metrics(result.metrics))
        print(f"model saved to {result.out_dir} ({result.elapsed_s:.0f} s)")
    return summary


def _summary(metrics: dict) -> dict:
    return {k: v for k, v in metrics.items() if isinstance(v, (int, float, str, list, dict))}


def _describe_metrics(metrics: dict) -> str:
    keys = [k for k in ("accuracy", "macro_f1", "micro_f1", "samples_f1", "f1", "precision", "recall",
                        "token_accuracy", "exact_match") if k in metrics]
    lines = ["  ".join(f"{k} {metrics[k]:.4f}" for k in keys)]
    if "errors" in metrics:
        lines.append("entities: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in metrics["errors"].items()))
    per = metrics.get("per_class") or metrics.get("per_type") or {}
    if per:
        width = max(len(str(n)) for n in per) + 2
        lines.append(f"{'':<{width}}precision  recall  f1      support")
        for name, m in per.items():
            lines.append(f"{name:<{width}}{m['precision']:.3f}      {m['recall']:.3f}   {m['f1']:.3f}   {m['support']}")
    return "\n".join(lines)


def cmd_evaluate(args) -> dict:
    from .core.data import read_table
    from .core.inference import Predictor

    predictor = Predictor.load(args.model)
    table = read_table(args.data, **_read_options(args))
    metrics = predictor.evaluate_table(table, _columns(args), on_event=ProgressPrinter(quiet=args.quiet))
    if not args.json:
        print(_describe_metrics(metrics))
    return _summary(metrics)


def cmd_label(args) -> dict:
    from .core.distributed import dist_info
    from .core.inference import Predictor

    t0 = time.time()
    predictor = Predictor.load(args.model)
    progress = ProgressPrinter(quiet=args.quiet or not dist_info().is_main)
    fast = None
    if args.fast:
        fast = predictor.enable_fast(None if args.fast == "auto" else args.fast, max_drop_points=args.fast_max_drop,
                                     cancel=None)
        verdict = "on" if fast["accepted"] else "refused, labeling at full precision"
        when = " (checked earlier on these weights)" if fast.get("cached") else ""
        print(f"fast mode {fast['mode']} {verdict}: {fast['metric']} {fast['before']:.4f} -> {fast['after']:.4f} "
              f"on {fast['n_eval']} evaluation rows ({-fast['drop_points']:+.2f} points){when}", file=sys.stderr)
    if dist_info().active:
        out = _label_sharded(predictor, args, progress)
    else:
        out = predictor.label_file(args.input, args.output, _columns(args), on_event=progress, **_read_options(args))
    seconds = time.time() - t0
    rows = out.rows if hasattr(out, "rows") else len(out)
    if not args.json and dist_info().is_main:
        print(f"labeled {rows} rows into {args.output} ({seconds:.1f} s)")
    return {"rows": rows, "output": args.output, "seconds": round(seconds, 2), **({"fast": fast} if fast else {})}


def _label_sharded(predictor, args, progress):
    """Under torchrun: each process labels its contiguous shard; rank 0 writes them in order."""
    import pandas as pd

    from .core.data import read_table
    from .core.distributed import dist_info, gather_to_main, init_process_group, shard_bounds
    from .core.io import write_table

    init_process_group()
    info = dist_info()
    table = read_table(args.input, **_read_options(args))
    start, end = shard_bounds(len(table.df), info.rank, info.world_size)
    part = table.df.iloc[start:end]
    labeled = predictor.label_table(part.reset_index(drop=True), _columns(args), on_event=progress, path=args.input)
    new_cols = labeled.columns[len(part.columns):]
    parts = gather_to_main(labeled[new_cols])
    if not info.is_main:
        return part
    predictions = pd.concat(parts, ignore_index=True)
    out = pd.concat([table.df.reset_index(drop=True), predictions], axis=1)
    write_table(out, args.output)
    return out


def cmd_attention(args) -> dict:
    from .core.attention import render_heatmap, select_map
    from .core.inference import Predictor

    predictor = Predictor.load(args.model)
    result = predictor.attention(args.text, args.pair)
    head = args.head if args.head in (None, "mean", "rollout") else _int(args.head, "--head")
    matrix, title = select_map(result.attentions, args.layer, head if head is not None else "mean")
    if result.prediction and "label" in result.prediction:
        title += f" — predicted {result.prediction['label']} ({result.prediction['score']:.2f})"
    render_heatmap(matrix, result.tokens, title, path=args.out)
    if not args.json:
        print(f"heatmap of {len(result.tokens)} tokens ({title}) written to {args.out}")
    return {"out": args.out, "tokens": len(result.tokens), "layers": int(result.attentions.shape[0]),
            "heads": int(result.attentions.shape[1])}


def _int(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise UsageError(f"{name} must be a number, 'mean' or 'rollout'") from None


def cmd_demo(args) -> dict:
    from .core.config import TrainConfig
    from .core.inference import Predictor
    from .core.training import train
    from .core.workspace import default_workspace, samples_dir

    out = Path(args.out) if args.out else default_workspace() / "demo"
    samples = samples_dir()
    progress = ProgressPrinter(quiet=args.quiet)
    print(f"Fine-tuning the bundled model on {samples / 'reviews.csv'} ...", file=sys.stderr)
    config = TrainConfig(task="classify", train_file=str(samples / "reviews.csv"),
                         columns={"text": "text", "label": "sentiment"}, out_dir=str(out / "sentiment-model"),
                         epochs=args.epochs, batch_size=16, learning_rate=1e-4, max_length=64, patience=None)
    result = train(config, on_event=progress)
    labeled = out / "reviews_to_label-labeled.csv"
    predictor = Predictor.load(result.out_dir)
    table = predictor.label_file(samples / "reviews_to_label.csv", labeled, {"text": "text"}, on_event=progress).preview
    if not args.json:
        print(_describe_metrics(result.metrics))
        print(f"model: {result.out_dir}\nlabeled sheet: {labeled}")
        print(table[["text", "pred_label", "pred_score"]].head(8).to_string(index=False, max_colwidth=60))
    return {"accuracy": result.metrics["accuracy"], "macro_f1": result.metrics["macro_f1"],
            "model": str(result.out_dir), "labeled": str(labeled), "seconds": round(result.elapsed_s, 1)}


COMMANDS = {"train": cmd_train, "evaluate": cmd_evaluate, "label": cmd_label, "attention": cmd_attention,
            "demo": cmd_demo}


def main(argv: list[str] | None = None) -> int:
    from .core.logs import setup_logging

    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    log_file = setup_logging()
    try:
        args = build_parser().parse_args(argv)
        log.info("bertdesk-cli %s", " ".join(sys.argv[1:] if argv is None else argv))
        result = COMMANDS[args.command](args)
        from .core.distributed import dist_info
        if getattr(args, "json", False) and dist_info().is_main:
            print(json.dumps(result, default=_json_default, ensure_ascii=False))
        return 0
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BertdeskError as exc:
        log.info("user error: %s", exc.user_message)
        print(f"error: {exc.user_message}", file=sys.stderr)
        return 2
    except (Cancelled, KeyboardInterrupt):
        print("error: cancelled", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - last resort: one line, details in the log
        log.exception("unexpected error")
        where = f" (details in {log_file})" if log_file else ""
        print(f"error: unexpected {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}{where}",
              file=sys.stderr)
        return 1


def _json_default(obj):
    import numpy as np
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return str(obj)


if __name__ == "__main__":
    sys.exit(main())
