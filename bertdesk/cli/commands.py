"""The commands: each turns parsed arguments into a call of the core and prints what it did.
Each returns the dict that ``--json`` prints."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .parser import UsageError, columns_of, read_options_of
from .progress import ProgressPrinter


def _train_config(args):
    from ..core.config import PRESETS, TrainConfig, load_job, preset_values

    if args.resume:
        from ..core.runs import resume_config
        config = resume_config(args.resume)
        # where to run and in what arithmetic may change with the machine; the job itself does not
        for key in ("device", "precision"):
            if getattr(args, key) is not None:
                setattr(config, key, getattr(args, key))
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
        "device": args.device, "precision": args.precision, "stride": args.stride,
        "class_weights": args.class_weights,
    }
    for key, value in overrides.items():
        if value is not None:
            setattr(config, key, value)
    if args.patience is not None:
        config.patience = args.patience or None
    if args.truncate:
        config.long_text = "truncate"
    if args.frozen:
        config.frozen_encoder = True
    if args.per_device_batch:
        config.per_device_batch = True
    if args.adapt_first:
        config.adapt_first = True
    if args.extend_vocab:
        config.extend_vocab = config.adapt_first = True
    cols = columns_of(args)
    if cols:
        config.columns = cols
    opts = read_options_of(args)
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
    from ..core.prepare import prepare_data
    from ..core.tasks import task_for_config

    return prepare_data(config, task_for_config(config), split=False).n_train


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
    from ..core.config import save_job
    from ..core.distributed import dist_info
    from ..core.training import train

    config, resume = _train_config(args)
    if args.save_job:
        save_job(config, args.save_job)
        print(f"job written to {args.save_job}", file=sys.stderr)
        return {"job": args.save_job}
    result = train(config, on_event=ProgressPrinter(quiet=args.quiet), resume=resume)
    if not dist_info().is_main:
        return {}
    summary = _summary(result.metrics)
    summary.update({"out_dir": str(result.out_dir), "n_train": result.n_train, "n_eval": result.n_eval,
                    "seconds": round(result.elapsed_s, 1),
                    "train_samples_per_second": round(result.train_samples_per_s, 2)})
    if not args.json:
        print(describe_metrics(result.metrics, config.task))
        print(f"model saved to {result.out_dir} ({result.elapsed_s:.0f} s)")
    return summary


def _summary(metrics: dict) -> dict:
    return {k: v for k, v in metrics.items() if isinstance(v, (int, float, str, list, dict))}


def describe_metrics(metrics: dict, task_name: str) -> str:
    """The task's metric cards on one line, the entity error counts, and a per-class table."""
    from ..core.tasks import task_class

    keys = [k for k, _ in task_class(task_name).cards if isinstance(metrics.get(k), (int, float))]
    lines = ["  ".join(f"{k} {metrics[k]:.4f}" for k in keys)]
    if "errors" in metrics:
        lines.append("entities: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in metrics["errors"].items()))
    base = metrics.get("baseline") or {}
    main = task_class(task_name).main_metric
    if isinstance(base.get(main), (int, float)):
        lines.append(f"baseline ({base['name']}): {main} {base[main]:.4f}")
    if "ece" in metrics:
        t = (metrics.get("calibration") or {}).get("temperature")
        shown = f"{t:.3f}" if isinstance(t, (int, float)) else "one per label" if t else "–"
        lines.append(f"calibration: ECE {metrics['ece']:.4f} (before temperature scaling {metrics['ece_uncalibrated']:.4f}; "
                     f"temperature {shown}), Brier {metrics['brier']:.4f}")
    lines.extend(f"warning: {w}" for w in metrics.get("warnings") or [])
    per = metrics.get("per_class") or metrics.get("per_type") or {}
    if per:
        width = max(len(str(n)) for n in per) + 2
        lines.append(f"{'':<{width}}precision  recall  f1      support")
        for name, m in per.items():
            lines.append(f"{name:<{width}}{m['precision']:.3f}      {m['recall']:.3f}   {m['f1']:.3f}   {m['support']}")
    return "\n".join(lines)


def cmd_evaluate(args) -> dict:
    from ..core.data import read_table
    from ..core.predictor import Predictor

    predictor = Predictor.load(args.model)
    table = read_table(args.data, **read_options_of(args))
    metrics = predictor.evaluate_table(table, columns_of(args), on_event=ProgressPrinter(quiet=args.quiet))
    if not args.json:
        print(describe_metrics(metrics, predictor.task.name))
    return _summary(metrics)


def cmd_label(args) -> dict:
    from ..core import fast, labeling
    from ..core.distributed import dist_info
    from ..core.predictor import Predictor

    if args.output == "-" and (args.json or dist_info().active):
        raise UsageError("--output - writes the table to standard output: it cannot go with --json or several "
                         "processes; name a file instead")
    t0 = time.time()
    backend = "torch" if dist_info().active else args.backend
    # with --fast nothing is loaded first: a mode checked before opens its graph alone, and the
    # check (or a refusal) loads torch when it runs
    predictor = Predictor.load(args.model, backend="later" if args.fast else backend)
    progress = ProgressPrinter(quiet=args.quiet or not dist_info().is_main)
    verdict = None
    if args.fast:
        verdict = fast.enable(predictor, None if args.fast == "auto" else args.fast,
                              max_drop_points=args.fast_max_drop)
        said = "on" if verdict["accepted"] else "refused, labeling at full precision"
        when = " (checked earlier on these weights)" if verdict.get("cached") else ""
        print(f"fast mode {verdict['mode']} {said}: {verdict['metric']} {verdict['before']:.4f} -> "
              f"{verdict['after']:.4f} on {verdict['n_eval']} evaluation rows ({-verdict['drop_points']:+.2f} points)"
              f"{when}", file=sys.stderr)
    if backend == "auto" and predictor.fast is None:
        default = labeling.use_default_backend(predictor, args.input, columns_of(args), on_event=progress,
                                               **read_options_of(args))
        if default is not None and not default.get("cached"):
            said = (f"gave the model's outputs to {default['max_abs_diff']:.1e} on {default['n_checked']} rows; "
                    f"it labels from now on" if default["accepted"] else
                    f"not used ({default['reason']}); labeling with torch")
            print(f"ONNX Runtime graph of this model (built once, {default['seconds']:.1f} s): {said}",
                  file=sys.stderr)
    label = labeling.label_sharded if dist_info().active else labeling.label_file
    to_stdout = args.output == "-"
    if to_stdout:
        import shutil

        from ..core.tmpfiles import temp_dir

        target = temp_dir("label") / "labeled.csv"
        try:
            out = label(predictor, args.input, target, columns_of(args), on_event=progress, **explain_of(args),
                        **read_options_of(args))
            with open(target, "rb") as fh:
                if fh.read(3) != b"\xef\xbb\xbf":        # no byte-order mark in a pipe
                    fh.seek(0)
                sys.stdout.flush()
                shutil.copyfileobj(fh, sys.stdout.buffer)
                sys.stdout.buffer.flush()
        finally:
            shutil.rmtree(target.parent, ignore_errors=True)
    else:
        out = label(predictor, args.input, args.output, columns_of(args), on_event=progress, **explain_of(args),
                    **read_options_of(args))
    seconds = time.time() - t0
    if not args.json and dist_info().is_main:
        print(f"labeled {out.rows} rows into {'standard output' if to_stdout else args.output} ({seconds:.1f} s)",
              file=sys.stderr if to_stdout else sys.stdout)
    return {"rows": out.rows, "output": args.output, "seconds": round(seconds, 2),
            "backend": predictor.fast_mode or "torch", **({"fast": verdict} if verdict else {})}


def cmd_attention(args) -> dict:
    from ..core.attention import attention_of, render_heatmap, select_map
    from ..core.predictor import Predictor

    predictor = Predictor.load(args.model)
    result = attention_of(predictor, args.text, args.pair)
    head = args.head if args.head in (None, "mean", "rollout") else _int(args.head, "--head")
    matrix, title = select_map(result.attentions, args.layer, head if head is not None else "mean")
    text, score = predictor.task.describe_prediction(result.prediction) if result.prediction else ("", None)
    if text and score is not None:
        title += f" — predicted {text} ({score:.2f})"
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
    from ..core.config import TrainConfig
    from ..core.labeling import label_file
    from ..core.predictor import Predictor
    from ..core.training import train
    from ..core.workspace import default_workspace, samples_dir

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
    table = label_file(predictor, samples / "reviews_to_label.csv", labeled, {"text": "text"},
                       on_event=progress).preview
    if not args.json:
        print(describe_metrics(result.metrics, config.task))
        print(f"model: {result.out_dir}\nlabeled sheet: {labeled}")
        print(table[["text", "pred_label", "pred_score"]].head(8).to_string(index=False, max_colwidth=60))
    return {"accuracy": result.metrics["accuracy"], "macro_f1": result.metrics["macro_f1"],
            "model": str(result.out_dir), "labeled": str(labeled), "seconds": round(result.elapsed_s, 1)}


def cmd_find_errors(args) -> dict:
    from ..core.config import PRESETS, TrainConfig
    from ..core.io import check_output_file, write_table
    from ..core.label_errors import find_label_errors
    from ..core.labeling import check_not_input

    check_output_file(args.out)
    check_not_input(args.out, args.train)
    quick = PRESETS["quick"]
    config = TrainConfig(task=args.task or "classify", train_file=args.train, columns=columns_of(args),
                         read_options=read_options_of(args), model=args.model or "bundled",
                         epochs=args.epochs or quick["epochs"], batch_size=quick["batch_size"],
                         learning_rate=quick["learning_rate"], max_length=args.max_length or quick["max_length"],
                         patience=None, **({"seed": args.seed} if args.seed is not None else {}))
    _validate(config)
    progress = ProgressPrinter(quiet=args.quiet)
    result = find_label_errors(config, method="fast" if args.fast else "kfold", folds=args.folds, on_event=progress)
    write_table(result.table, args.out)
    if not args.json:
        print(f"{result.n_flagged} of {result.n_labeled} labels flagged as suspicious ({result.method}, "
              f"{result.folds} folds, {result.seconds:.1f} s); ranked in {args.out}")
    return {"flagged": result.n_flagged, "labeled": result.n_labeled, "method": result.method,
            "folds": result.folds, "seconds": round(result.seconds, 2), "output": args.out}


def cmd_suggest(args) -> dict:
    from ..core.io import check_output_file, write_table
    from ..core.labeling import check_not_input
    from ..core.suggest import suggest_rows

    check_output_file(args.out)
    check_not_input(args.out, args.input)
    result = suggest_rows(args.model, args.input, columns_of(args), args.n, read_options=read_options_of(args),
                          on_event=ProgressPrinter(quiet=args.quiet))
    write_table(result.table, args.out)
    if not args.json:
        print(f"{result.n_suggested} of {result.n_unlabeled} unlabeled rows suggested ({result.seconds:.1f} s); "
              f"suggest_rank in {args.out}")
    return {"suggested": result.n_suggested, "unlabeled": result.n_unlabeled, "seconds": round(result.seconds, 2),
            "output": args.out}


def cmd_export(args) -> dict:
    from ..core.export import export_model

    summary = export_model(args.model, args.format, args.out, on_event=ProgressPrinter(quiet=args.quiet))
    if not args.json:
        line = f"exported {args.format} to {summary['out']}"
        if summary.get("max_abs_diff") is not None:
            line += f"; largest output difference from PyTorch {summary['max_abs_diff']:.2e}"
        if summary.get("before") is not None:
            line += (f"; {summary['metric']} {summary['before']:.4f} -> {summary['after']:.4f} "
                     f"({summary['change_points']:+.2f} points) on {summary['n_checked']} held-out rows")
        print(line)
    return {k: v for k, v in summary.items() if k != "usage"}


def cmd_runs(args) -> dict:
    from ..core.history import history_dir, list_runs
    from ..core.tasks import TASKS

    runs = list_runs()
    rows = []
    for run in runs:
        main = TASKS[run["task"]].main_metric if run.get("task") in TASKS else None
        value = (run.get("metrics") or {}).get(main)
        rows.append({"id": run["id"], "created": run.get("created"), "model": run.get("model_name"),
                     "model_dir": run.get("model_dir"), "task": run.get("task"),
                     "data": Path(run["data"].get("train_file") or "").name, "main_metric": main,
                     "value": value, "seconds": run.get("seconds"), "exists": Path(run.get("model_dir", "")).is_dir()})
    if not args.json:
        if not rows:
            print(f"no runs recorded yet in {history_dir()}")
        for r in rows:
            shown = f"{r['main_metric']} {r['value']:.4f}" if isinstance(r["value"], (int, float)) else "–"
            gone = "" if r["exists"] else "  (model folder gone)"
            print(f"{r['id']}  {(r['created'] or '')[:16]}  {r['task']:<10} {shown:<18} {r['model']}  "
                  f"on {r['data']}{gone}")
    return {"runs": rows}


def cmd_compare(args) -> dict:
    from ..core.history import compare, load_run

    result = compare(load_run(args.run_a), load_run(args.run_b))
    if not args.json:
        print(f"{result['b_name']} ({result['b']}) against {result['a_name']} ({result['a']})"
              + ("" if result["same_data"] else "  -- trained on different data"))
        for key, delta in result["metric_deltas"].items():
            print(f"  {key:<18} {delta:+.4f}")
        if result["f1_deltas"]:
            print("  F1 per label: " + ", ".join(f"{k} {v:+.3f}" for k, v in result["f1_deltas"].items()))
        print(f"held-out rows in both: {result['shared_rows']}; right -> wrong: {len(result['right_to_wrong'])}; "
              f"wrong -> right: {len(result['wrong_to_right'])}")
        for title, rows in (("right -> wrong", result["right_to_wrong"]), ("wrong -> right", result["wrong_to_right"])):
            for r in rows[:5]:
                print(f"  {title}: row {r['row']}: {r['predicted_a']!r} -> {r['predicted_b']!r} (true {r['true']!r})")
    return {**result, "right_to_wrong_count": len(result["right_to_wrong"]),
            "wrong_to_right_count": len(result["wrong_to_right"])}


def explain_of(args) -> dict:
    if args.explain < 0:
        raise UsageError("--explain must be 0 or more")
    return {"explain": args.explain} if args.explain else {}


def cmd_explain(args) -> dict | list:
    import json as _json

    from ..core.data import read_table
    from ..core.explain import explain_rows, explain_text
    from ..core.io import atomic_path, check_output_file
    from ..core.labeling import check_not_input
    from ..core.predictor import Predictor

    if bool(args.text) == bool(args.input):
        raise UsageError("explain needs --text TEXT or --input FILE (one of them)")
    if args.input and not args.output:
        raise UsageError("--input needs --output FILE.jsonl")
    if args.input:
        if not str(args.output).lower().endswith(".jsonl"):
            raise UsageError("--output must be a .jsonl file (one JSON object per explanation)")
        check_output_file(args.output)
        check_not_input(args.output, args.input)
    predictor = Predictor.load(args.model)
    if args.text:
        found = explain_text(predictor, args.text, args.pair, target=args.target, steps=args.steps)
        if not args.json:
            for e in found:
                top = ", ".join(f"{w['word']} {w['score']:+.3f}" for w in e.top_words(8)) or "(no word pushed it)"
                print(f"{e.target}: {top}  (delta {e.delta:+.4f})")
        dicts = [e.to_dict() for e in found]
        return dicts[0] if len(dicts) == 1 else dicts
    table = read_table(args.input, **read_options_of(args))
    cols = predictor.label_columns(table.df, columns_of(args), table.path)
    examples = predictor.task.examples_from_table(table, cols, with_labels=False)
    texts, pairs = predictor.task.explain_inputs(examples)
    results = explain_rows(predictor, texts, pairs, target=args.target, steps=args.steps,
                           on_event=ProgressPrinter(quiet=args.quiet))
    n = 0
    with atomic_path(args.output) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        for row, found in zip(examples.row_numbers(), results):
            for e in found or []:
                fh.write(_json.dumps({"row": int(row), **e.to_dict()}, ensure_ascii=False) + "\n")
                n += 1
    if not args.json:
        print(f"{n} explanations of {len(texts)} rows written to {args.output}")
    return {"rows": len(texts), "explanations": n, "output": args.output}


def cmd_pretrain(args) -> dict:
    from ..core.config import TrainConfig
    from ..core.training import train

    config = TrainConfig(task="mlm", train_file=args.train, columns={"text": args.text_col} if args.text_col else {},
                         read_options=read_options_of(args), model=args.model or "bundled", out_dir=args.out,
                         epochs=args.epochs or 1.0, batch_size=args.batch_size or 16,
                         learning_rate=args.lr or 5e-5, max_length=args.max_length or 128, eval_fraction=0.05,
                         max_steps=args.max_steps, task_options={"nsp": bool(args.nsp)},
                         extend_vocab=bool(args.extend_vocab),
                         **({"seed": args.seed} if args.seed is not None else {}))
    if args.max_steps:
        if args.max_steps < 1:
            raise UsageError("--max-steps must be at least 1")
        config.eval_steps = max(1, args.max_steps // 4)
    _validate(config)
    result = train(config, on_event=ProgressPrinter(quiet=args.quiet))
    from ..core.pretrain import keep_pooler

    keep_pooler(config.model, Path(result.out_dir))     # for a classifier fine-tuned from it later
    keys = ("masked_accuracy", "masked_top5", "perplexity", "nsp_accuracy", "loss", "masked_pieces")
    summary = {k: result.metrics[k] for k in keys if k in result.metrics}
    summary["before"] = {k: v for k, v in (result.metrics.get("before") or {}).items() if k in keys}
    summary.update(out_dir=str(result.out_dir), n_train=result.n_train, n_eval=result.n_eval,
                   seconds=round(result.elapsed_s, 1))
    if not args.json:
        before = summary["before"]
        print(f"held-out texts: masked-word accuracy {summary.get('masked_accuracy', 0):.4f} (before "
              f"{before.get('masked_accuracy', 0):.4f}), top 5 {summary.get('masked_top5', 0):.4f}, perplexity "
              f"{summary.get('perplexity', float('nan')):.1f} (before {before.get('perplexity', float('nan')):.1f})")
        print(f"model saved to {result.out_dir} ({result.elapsed_s:.0f} s)")
    return summary


def cmd_fill_mask(args) -> dict | list:
    from ..core.data import read_table
    from ..core.fill_mask import fill_mask
    from ..core.io import check_output_file, write_table
    from ..core.labeling import check_not_input

    if bool(args.text) == bool(args.input):
        raise UsageError("fill-mask needs --text TEXT or --input FILE (one of them)")
    if args.input:
        if not args.output:
            raise UsageError("--input needs --output FILE")
        check_output_file(args.output)
        check_not_input(args.output, args.input)
    if args.text:
        [found] = fill_mask(args.model, [args.text], args.top_k)
        if found is None:
            raise UsageError("the text has no [MASK] to fill in")
        if not args.json:
            for item in found:
                print(f"{item['token']:<20} {item['score']:.4f}")
        return {"text": args.text, "predictions": found}
    table = read_table(args.input, **read_options_of(args))
    from ..core import data as D

    column = args.text_col or D.guess_text_column(table.df)
    if column is None:
        raise UsageError("name the column with the sentences (--text-col)")
    D.require_column(table, column)
    results = fill_mask(args.model, D.text_values(table.df, column), args.top_k)
    out = table.df.copy()
    out["pred_tokens"] = [";".join(i["token"] for i in r) if r else "" for r in results]
    out["pred_scores"] = [";".join(f"{i['score']:.4f}" for i in r) if r else "" for r in results]
    write_table(out, args.output)
    filled = sum(1 for r in results if r)
    if not args.json:
        print(f"filled {filled} of {len(results)} rows into {args.output}")
    return {"rows": len(results), "filled": filled, "output": args.output}


def cmd_vocab(args) -> dict:
    from ..core import data as D
    from ..core.tasks.classification import TEXT_ROLE
    from ..core.vocab import advice, table_fit

    if args.rows < 1:
        raise UsageError("--rows must be at least 1")
    table = D.read_table(args.input, **read_options_of(args)).df
    column = args.text_col or TEXT_ROLE.guess(table)
    if not column:
        raise UsageError("no text column found: name it with --text-col")
    D.require_column(table, column, args.input)
    fit = table_fit(table, column, args.model or "bundled", args.rows)
    summary = fit.as_dict()
    summary.update(column=column, model=args.model or "bundled", advice=advice(fit))
    if not args.json:
        print(f"{fit.texts:,} texts of column {column!r}: {fit.tokens:,} tokens, {fit.unknown:,} [UNK] "
              f"({fit.unknown_share:.1%}), one-character tokens {fit.single_share:.1%}, CJK characters "
              f"{fit.cjk_share:.0%} of the letters")
        if fit.top_unknown:
            print("most frequent unknown characters: " + " ".join(f"{ch}({n})" for ch, n in fit.top_unknown[:15]))
        if summary["advice"]:
            print(summary["advice"])
    return summary


COMMANDS = {"train": cmd_train, "evaluate": cmd_evaluate, "label": cmd_label, "attention": cmd_attention,
            "demo": cmd_demo, "find-errors": cmd_find_errors,
            "suggest": cmd_suggest, "export": cmd_export, "runs": cmd_runs, "compare": cmd_compare,
            "explain": cmd_explain, "pretrain": cmd_pretrain, "fill-mask": cmd_fill_mask,
            "vocab": cmd_vocab}
