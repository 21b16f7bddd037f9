"""The command line's arguments: one parser, column options shared by the commands."""

from __future__ import annotations

import argparse

from ..core.config import PRESETS
from ..core.tasks import FINE_TUNING, TASKS


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line on stderr, exit 2 (argparse prints usage + two lines)
        raise UsageError(message)


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
    _add_read_options(g)


def _add_read_options(p) -> None:
    """How to read the input table, when detection is not enough."""
    p.add_argument("--encoding", help="file encoding (default: detected)")
    p.add_argument("--delimiter", help="CSV separator (default: detected)")
    p.add_argument("--sheet", help="XLSX sheet name (default: the first)")


COLUMN_OPTIONS = {"text": "text_col", "text_pair": "text_pair_col", "label": "label_col", "labels": "label_cols",
                  "label_sep": "label_sep", "tokens": "tokens_col", "tags": "tags_col", "context": "context_col",
                  "question": "question_col", "answer": "answer_col", "answer_start": "answer_start_col"}


def columns_of(args) -> dict:
    cols = {key: getattr(args, attr, None) for key, attr in COLUMN_OPTIONS.items()}
    if cols["labels"]:
        cols["labels"] = [c.strip() for c in cols["labels"].split(",") if c.strip()]
    return {k: v for k, v in cols.items() if v}


def read_options_of(args) -> dict:
    opts = {"encoding": args.encoding, "delimiter": _unescape(args.delimiter), "sheet": args.sheet}
    return {k: v for k, v in opts.items() if v}


def _unescape(sep: str | None) -> str | None:
    return {"\\t": "\t", "tab": "\t", "TAB": "\t"}.get(sep, sep) if sep else sep


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = _Parser(prog="bertdesk-cli", description="Fine-tune BERT on your own text, headless.")
    parser.add_argument("--version", action="version", version=f"bertdesk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    t = sub.add_parser("train", help="fine-tune a model on a labeled file")
    t.add_argument("--task", choices=list(FINE_TUNING), help="what to learn (default: classify)")
    t.add_argument("--train", help="training data: CSV, TSV, XLSX, JSONL; NER also CoNLL; QA also SQuAD JSON")
    t.add_argument("--eval", help="separate evaluation data (default: hold out --eval-fraction)")
    _add_column_options(t)
    t.add_argument("--model", help="bundled (default), a local model folder or a hub id")
    t.add_argument("--preset", choices=list(PRESETS), help="settings preset")
    t.add_argument("--epochs", type=float)
    t.add_argument("--batch-size", type=int)
    t.add_argument("--lr", type=float, help="learning rate (default 5e-5)")
    t.add_argument("--max-length", type=int, help="tokens per window (default 128; QA 384)")
    t.add_argument("--stride", type=int, help="overlap of long-text windows in tokens (default: a quarter of "
                                              "the window; QA: 128, at most half the window)")
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
    t.add_argument("--precision", choices=["auto", "fp32", "bf16", "fp16"],
                   help="training arithmetic (default auto: bf16 on a CUDA GPU that has it, else fp16 there; "
                        "fp32 on Apple GPUs and the CPU)")
    t.add_argument("--per-device-batch", action="store_true",
                   help="under torchrun/accelerate: --batch-size is each process's own (default: the job's batch is "
                        "split over the processes, so N processes take the steps one process would)")
    t.add_argument("--class-weights", choices=("auto", "none"),
                   help="auto: rare labels weigh more in the loss (inverse frequency; multi-label: positive-class "
                        "weights); default none")
    t.add_argument("--frozen", action="store_true",
                   help="classification: keep the encoder frozen and fit only a head on its embeddings (seconds; "
                        "for sheets with few labeled rows)")
    t.add_argument("--adapt-first", action="store_true",
                   help="continue the model's pre-training on the sheet's texts (labeled or not) before fine-tuning")
    t.add_argument("--extend-vocab", action="store_true",
                   help="add the sheet's frequent characters the model's vocabulary lacks (e.g. Chinese with the "
                        "bundled English model), learn them from the sheet's texts, then fine-tune (implies "
                        "--adapt-first)")
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
    lab.add_argument("--output", required=True, help="where to write (.csv, .tsv, .xlsx, .jsonl); - for CSV on "
                                                     "standard output")
    _add_column_options(lab)
    lab.add_argument("--fast", nargs="?", const="auto", default=None, metavar="MODE",
                     choices=("auto", "onnx-int8", "onnx", "int8"),
                     help="faster CPU labeling: onnx-int8 (the default when given alone), onnx or int8; used only "
                          "if the main metric on the model's evaluation set drops by at most --fast-max-drop points")
    lab.add_argument("--fast-max-drop", type=float, default=0.5, metavar="POINTS",
                     help="largest drop of the evaluation metric the fast mode may cost (default 0.5)")
    lab.add_argument("--backend", choices=("auto", "torch"), default="auto",
                     help="auto (default): on a machine without a GPU, label through the model's float32 ONNX "
                          "Runtime graph once it gave the model's own outputs (to 0.001) on the first rows; the "
                          "graph is built and checked on the first labeling with a model and kept in its folder. "
                          "torch: always the torch model")
    lab.add_argument("--explain", type=int, default=0, metavar="K",
                     help="add a top_words column: the K words that pushed each prediction most, with their scores "
                          "(integrated gradients; about a second a row on a CPU)")
    lab.add_argument("--json", action="store_true")
    lab.add_argument("--quiet", action="store_true")

    pt = sub.add_parser("pretrain", help="continue BERT's pre-training (masked language model) on your own text")
    pt.add_argument("--train", required=True, help="texts: CSV, TSV, XLSX, JSONL (a text column) or a .txt file "
                                                   "(one text a line, or paragraphs between blank lines)")
    pt.add_argument("--text-col", help="the column with the text (default: detected)")
    pt.add_argument("--model", help="bundled (default), a local model folder or a hub id")
    pt.add_argument("--nsp", action="store_true", help="also next-sentence prediction (BERT's original recipe)")
    pt.add_argument("--extend-vocab", action="store_true",
                    help="first add the texts' frequent characters the model's vocabulary lacks")
    pt.add_argument("--epochs", type=float, help="passes over the texts (default 1)")
    pt.add_argument("--max-steps", type=int, help="stop after this many steps")
    pt.add_argument("--max-length", type=int, help="tokens per window (default 128)")
    pt.add_argument("--batch-size", type=int)
    pt.add_argument("--lr", type=float, help="learning rate (default 5e-5)")
    pt.add_argument("--seed", type=int)
    _add_read_options(pt)
    pt.add_argument("--out", required=True, help="the model folder to write")
    pt.add_argument("--json", action="store_true", help="held-out masked-word accuracy and perplexity, before and after")
    pt.add_argument("--quiet", action="store_true")

    vc = sub.add_parser("vocab", help="how well a model's vocabulary covers a sheet's text ([UNK] share)")
    vc.add_argument("--input", required=True, help="CSV, TSV, XLSX or JSONL")
    vc.add_argument("--text-col", help="the column with the text (default: detected)")
    vc.add_argument("--model", help="bundled (default), a local model folder or a cached hub id")
    vc.add_argument("--rows", type=int, default=500, help="texts to look at (default 500)")
    _add_read_options(vc)
    vc.add_argument("--json", action="store_true")

    fm = sub.add_parser("fill-mask", help="the words a pre-trained model would put at [MASK]")
    fm.add_argument("--model", required=True, help="a model folder (or cached hub id) with a masked-language-model head")
    fm.add_argument("--text", help="a sentence with [MASK] in it")
    fm.add_argument("--input", help="a table of sentences with [MASK]; adds pred_tokens and pred_scores")
    fm.add_argument("--text-col", help="the column with the sentences")
    fm.add_argument("--output", help="where to write the table (with --input)")
    fm.add_argument("--top-k", type=int, default=5)
    _add_read_options(fm)
    fm.add_argument("--json", action="store_true")
    fm.add_argument("--quiet", action="store_true")

    xp = sub.add_parser("explain", help="which words made the model decide (integrated gradients)")
    xp.add_argument("--model", required=True, help="trained model folder")
    xp.add_argument("--text", help="one text to explain (QA: the question, with --pair the context)")
    xp.add_argument("--pair", help="the second text (sentence pairs; QA: the context)")
    xp.add_argument("--input", help="a table of texts to explain, one JSON line per explanation into --output")
    xp.add_argument("--output", help="the .jsonl file to write (with --input)")
    _add_column_options(xp)
    xp.add_argument("--target", help="the label (or entity type) to explain; default: what the model predicts")
    xp.add_argument("--steps", type=int, default=32, help="integration steps (default 32; fewer: faster, rougher)")
    xp.add_argument("--json", action="store_true")
    xp.add_argument("--quiet", action="store_true")

    f = sub.add_parser("find-errors", help="rank the labeled rows of a sheet by how suspicious their labels are")
    f.add_argument("--task", choices=[n for n, c in TASKS.items() if c.label_error_kind],
                   help="the kind of labels (default: classify)")
    f.add_argument("--train", required=True, help="labeled data: CSV, TSV, XLSX, JSONL; NER also CoNLL")
    _add_column_options(f)
    f.add_argument("--model", help="bundled (default), a local model folder or a hub id")
    f.add_argument("--folds", type=int, default=4, help="cross-validation folds (default 4)")
    f.add_argument("--fast", action="store_true",
                   help="fit a logistic-regression head on the model's frozen embeddings instead of one "
                        "fine-tune per fold (seconds instead of folds × a training)")
    f.add_argument("--epochs", type=float, help="epochs of each fold's fine-tune (default: the quick preset's)")
    f.add_argument("--max-length", type=int, help="tokens per text (default: the quick preset's, 64)")
    f.add_argument("--seed", type=int)
    f.add_argument("--out", required=True, help="where to write the sheet with the suspicion columns")
    f.add_argument("--json", action="store_true")
    f.add_argument("--quiet", action="store_true")

    ex = sub.add_parser("export", help="a clean, checked copy of a model for other tools: onnx, onnx-int8 or hf")
    ex.add_argument("--model", required=True, help="trained model folder")
    ex.add_argument("--format", required=True, choices=("onnx", "onnx-int8", "hf"),
                    help="onnx: float32 ONNX Runtime graph; onnx-int8: with int8 weights; hf: a folder that "
                         "transformers.pipeline loads")
    ex.add_argument("--out", required=True, help="the folder to write (a new one, or an earlier export)")
    ex.add_argument("--json", action="store_true")
    ex.add_argument("--quiet", action="store_true")

    rn = sub.add_parser("runs", help="the training runs recorded in the workspace, newest first")
    rn.add_argument("--json", action="store_true", help="one JSON object: the list of runs")
    rn.add_argument("--quiet", action="store_true")

    cp = sub.add_parser("compare", help="two runs side by side: metric changes and held-out rows that flipped")
    cp.add_argument("run_a", metavar="RUN_A", help="a run's id (or its start), its model folder or its name")
    cp.add_argument("run_b", metavar="RUN_B", help="the run to compare with RUN_A")
    cp.add_argument("--json", action="store_true")
    cp.add_argument("--quiet", action="store_true")

    sg = sub.add_parser("suggest", help="choose the unlabeled rows to label next")
    sg.add_argument("--model", required=True, help="trained model folder")
    sg.add_argument("--input", required=True, help="the sheet: rows with an empty label cell are candidates")
    _add_column_options(sg)
    sg.add_argument("--n", type=int, default=50, help="rows to suggest (default 50)")
    sg.add_argument("--out", required=True, help="where to write the sheet with suggest_rank and predictions")
    sg.add_argument("--json", action="store_true")
    sg.add_argument("--quiet", action="store_true")

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
