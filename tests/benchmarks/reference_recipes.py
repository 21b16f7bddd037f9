"""Reference fine-tuning recipes: what an analyst would run without bertdesk.

Each function follows the recipe of the matching transformers tutorial / example script
(sequence classification, token classification with first-subword labels, extractive QA with
doc-stride windows), on plain ``transformers.Trainer``. They take the model folder, the data as
Python lists and a hyper-parameter dict, and return a flat dict of metrics and timings:

    hp = {"epochs", "batch_size", "learning_rate", "max_length", "seed",
          "warmup_ratio" (0.1), "weight_decay" (0.01),
          optional: "eval_batch_size" (max(64, batch_size)), "stride" (QA, 128),
          "n_best" (QA, 20), "max_answer_length" (QA, 30)}

    returns {<metrics>..., "train_seconds", "total_seconds", "train_samples_per_s", ...}

These are benchmark scripts, not tests: pytest does not collect this folder.
"""

from __future__ import annotations

import os
import tempfile
import time

import numpy as np

HP_DEFAULTS = {"warmup_ratio": 0.1, "weight_decay": 0.01, "seed": 42}


# ---------------------------------------------------------------------------- shared pieces

def _hp(hp: dict) -> dict:
    out = {**HP_DEFAULTS, **hp}
    for key in ("epochs", "batch_size", "learning_rate", "max_length"):
        if key not in out:
            raise ValueError(f"hp needs '{key}'")
    out.setdefault("eval_batch_size", max(64, int(out["batch_size"])))
    return out


def _quiet():
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _cpu_threads():
    import torch

    if not torch.cuda.is_available():
        torch.set_num_threads(os.cpu_count() or 1)


def _tokenizer(model_path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(model_path), local_files_only=True)


def _model(auto_cls, model_path, seed, **kw):
    from transformers import set_seed

    set_seed(seed)   # the new head's initial weights depend on the RNG state
    return auto_cls.from_pretrained(str(model_path), use_safetensors=True, local_files_only=True, **kw)


def _training_args(out_dir: str, hp: dict):
    import torch
    from transformers import TrainingArguments

    cuda = torch.cuda.is_available()
    bf16 = cuda and torch.cuda.is_bf16_supported()
    return TrainingArguments(
        output_dir=out_dir,
        num_train_epochs=float(hp["epochs"]),
        per_device_train_batch_size=int(hp["batch_size"]),
        per_device_eval_batch_size=int(hp["eval_batch_size"]),
        learning_rate=float(hp["learning_rate"]),
        weight_decay=float(hp["weight_decay"]),
        warmup_steps=float(hp["warmup_ratio"]),     # transformers 5: a value below 1 is a ratio
        lr_scheduler_type="linear",
        eval_strategy="no",                         # evaluated once, after training
        save_strategy="no",
        logging_strategy="steps",
        logging_steps=50,
        seed=int(hp["seed"]),
        train_sampling_strategy="random",           # no length grouping in the reference
        use_cpu=not cuda,
        bf16=bf16,
        fp16=cuda and not bf16,
        dataloader_num_workers=0,
        report_to="none",
        disable_tqdm=True,
        log_level="error",
    )


def _trainer(model, args, train_dataset, collator):
    import torch
    from transformers import PrinterCallback, Trainer

    class SequentialEvalTrainer(Trainer):
        """Predictions come back in dataset order, whatever the sampling settings say."""

        def _get_eval_sampler(self, eval_dataset):
            return torch.utils.data.SequentialSampler(eval_dataset)

    trainer = SequentialEvalTrainer(model=model, args=args, train_dataset=train_dataset,
                                    data_collator=collator)
    trainer.remove_callback(PrinterCallback)
    if os.environ.get("REF_PROGRESS"):
        trainer.add_callback(_progress_callback())
    return trainer


def _progress_callback():
    """Prints training progress every 10% (REF_PROGRESS=1); it changes nothing in the recipe."""
    from transformers import TrainerCallback

    class Progress(TrainerCallback):
        def on_train_begin(self, args, state, control, **kw):
            self.t0, self.shown = time.time(), -1

        def on_step_end(self, args, state, control, **kw):
            pct = 100 * state.global_step // max(1, state.max_steps) // 10 * 10
            if pct != self.shown:
                self.shown = pct
                print(f"  [reference] training {state.global_step}/{state.max_steps} steps, "
                      f"{time.time() - self.t0:.0f}s", flush=True)

    return Progress()


class _Rows:
    """Map-style dataset over a list of feature dicts."""

    def __init__(self, rows):
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]


def _train(trainer) -> dict:
    t0 = time.time()
    out = trainer.train()
    seconds = time.time() - t0
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]
    return {"train_seconds": seconds,
            "train_samples_per_s": float(out.metrics.get("train_samples_per_second", 0.0)),
            "train_loss": float(out.metrics.get("train_loss", np.nan)),
            "last_logged_loss": float(losses[-1]) if losses else float("nan"),
            "train_steps": int(trainer.state.global_step)}


def _rows_from_encoding(enc, keys=("input_ids", "token_type_ids", "attention_mask")) -> list[dict]:
    n = len(enc["input_ids"])
    present = [k for k in keys if k in enc]
    return [{k: enc[k][i] for k in present} for i in range(n)]


# ---------------------------------------------------------------------------- classification

def _sequence_classification(model_path, train_texts, train_targets, eval_texts, hp, padding,
                             model_kwargs):
    """Train and predict; returns (eval logits, timing dict, total start time)."""
    from transformers import (AutoModelForSequenceClassification, DataCollatorWithPadding,
                              default_data_collator)

    if padding not in ("max_length", "dynamic"):
        raise ValueError("padding must be 'max_length' or 'dynamic'")
    _quiet()
    _cpu_threads()
    tok = _tokenizer(model_path)
    pad = "max_length" if padding == "max_length" else False

    def encode(texts, targets):
        enc = tok(list(texts), truncation=True, max_length=int(hp["max_length"]), padding=pad)
        rows = _rows_from_encoding(enc)
        if targets is not None:
            for row, y in zip(rows, targets):
                row["labels"] = y
        return rows

    train_rows = encode(train_texts, train_targets)
    eval_rows = encode(eval_texts, None)
    collator = default_data_collator if padding == "max_length" else DataCollatorWithPadding(tok)
    model = _model(AutoModelForSequenceClassification, model_path, int(hp["seed"]), **model_kwargs)
    with tempfile.TemporaryDirectory(prefix="ref-") as tmp:
        trainer = _trainer(model, _training_args(tmp, hp), _Rows(train_rows), collator)
        timing = _train(trainer)
        t0 = time.time()
        pred = trainer.predict(_Rows(eval_rows))
        timing["eval_seconds"] = time.time() - t0
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return np.asarray(logits, dtype=np.float64), timing


def ref_classification(model_path, train_texts, train_labels, eval_texts, eval_labels, hp,
                       padding="max_length") -> dict:
    """Single-label classification (run_glue / the text-classification tutorial); accuracy."""
    t_start = time.time()
    hp = _hp(hp)
    labels = sorted({str(l) for l in train_labels})
    label2id = {l: i for i, l in enumerate(labels)}
    targets = [label2id[str(l)] for l in train_labels]
    logits, timing = _sequence_classification(
        model_path, train_texts, targets, eval_texts, hp, padding,
        {"num_labels": len(labels), "id2label": dict(enumerate(labels)), "label2id": label2id})
    pred = logits.argmax(-1)
    gold = np.array([label2id.get(str(l), -1) for l in eval_labels])
    from sklearn.metrics import f1_score

    return {"accuracy": float((pred == gold).mean()),
            "macro_f1": float(f1_score(gold, pred, average="macro", labels=list(range(len(labels))),
                                       zero_division=0)),
            "n_train": len(train_texts), "n_eval": len(eval_texts), "padding": padding,
            **timing, "total_seconds": time.time() - t_start}


def _tuned_thresholds(truth: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Per label, the threshold on a 0.05..0.95 grid with the best F1 on these rows (0.5 where the
    label never occurs). Only for comparing with systems that calibrate on the evaluation set."""
    grid = np.round(np.arange(0.05, 0.951, 0.05), 2)
    out = np.full(truth.shape[1], 0.5)
    for j in range(truth.shape[1]):
        pos = truth[:, j] > 0.5
        if not pos.any():
            continue
        best, best_f = 0.5, -1.0
        for t in grid:
            guess = probs[:, j] >= t
            tp = int((guess & pos).sum())
            f = 2 * tp / max(1, 2 * tp + int((guess & ~pos).sum()) + int((~guess & pos).sum()))
            if f > best_f:
                best, best_f = t, f
        out[j] = best
    return out


def ref_multilabel(model_path, train_texts, train_labels, eval_texts, eval_labels, hp,
                   padding="max_length", label_names=None) -> dict:
    """Multi-label classification: BCE on float multi-hot targets, sigmoid >= 0.5, micro-F1.

    ``train_labels``/``eval_labels``: arrays [n, n_labels] of 0/1. Also reports the micro-F1 with
    per-label thresholds tuned on the evaluation rows themselves (``micro_f1_eval_tuned``), which
    is an optimistic figure, for comparison with systems that calibrate that way.
    """
    from sklearn.metrics import f1_score

    t_start = time.time()
    hp = _hp(hp)
    y_train = np.asarray(train_labels, dtype=np.float32)
    y_eval = np.asarray(eval_labels, dtype=np.float32)
    n_labels = y_train.shape[1]
    names = list(label_names) if label_names is not None else [str(i) for i in range(n_labels)]
    logits, timing = _sequence_classification(
        model_path, train_texts, [row.tolist() for row in y_train], eval_texts, hp, padding,
        {"num_labels": n_labels, "problem_type": "multi_label_classification",
         "id2label": dict(enumerate(names)), "label2id": {n: i for i, n in enumerate(names)}})
    probs = 1.0 / (1.0 + np.exp(-logits))
    truth = y_eval.astype(int)
    pred = (probs >= 0.5).astype(int)
    tuned = (probs >= _tuned_thresholds(y_eval, probs)).astype(int)
    return {"micro_f1": float(f1_score(truth, pred, average="micro", zero_division=0)),
            "macro_f1": float(f1_score(truth, pred, average="macro", zero_division=0)),
            "micro_f1_eval_tuned": float(f1_score(truth, tuned, average="micro", zero_division=0)),
            "n_train": len(train_texts), "n_eval": len(eval_texts), "padding": padding,
            **timing, "total_seconds": time.time() - t_start}


# ---------------------------------------------------------------------------- NER

def _align_first_subword(enc, i, tags, label2id):
    """Labels for feature i: the tag id on each word's first subword, -100 everywhere else."""
    out, prev = [], None
    for w in enc.word_ids(i):
        if w is None or w == prev:
            out.append(-100)
        else:
            out.append(label2id[tags[w]])
        prev = w
    return out


def ref_ner(model_path, train_words, train_tags, eval_words, eval_tags, hp) -> dict:
    """Token classification (run_ner): first-subword labels, truncation at max_length, seqeval.

    Words past the truncation point (or that tokenise to nothing) are predicted 'O' and scored
    against the full gold sequence, so every system is scored on the same words.
    """
    from seqeval.metrics import accuracy_score, f1_score, precision_score, recall_score
    from transformers import AutoModelForTokenClassification, DataCollatorForTokenClassification

    t_start = time.time()
    hp = _hp(hp)
    _quiet()
    _cpu_threads()
    labels = sorted({t for ts in train_tags for t in ts})
    label2id = {l: i for i, l in enumerate(labels)}
    tok = _tokenizer(model_path)

    def encode(words, tags):
        enc = tok([list(w) for w in words], is_split_into_words=True, truncation=True,
                  max_length=int(hp["max_length"]))
        rows = _rows_from_encoding(enc)
        word_ids = [enc.word_ids(i) for i in range(len(rows))]
        if tags is not None:
            for i, row in enumerate(rows):
                row["labels"] = _align_first_subword(enc, i, tags[i], label2id)
        return rows, word_ids

    train_rows, _ = encode(train_words, train_tags)
    eval_rows, eval_word_ids = encode(eval_words, None)
    model = _model(AutoModelForTokenClassification, model_path, int(hp["seed"]), num_labels=len(labels),
                   id2label=dict(enumerate(labels)), label2id=label2id)
    with tempfile.TemporaryDirectory(prefix="ref-") as tmp:
        trainer = _trainer(model, _training_args(tmp, hp), _Rows(train_rows),
                           DataCollatorForTokenClassification(tok))
        timing = _train(trainer)
        t0 = time.time()
        out = trainer.predict(_Rows(eval_rows))
        timing["eval_seconds"] = time.time() - t0
    logits = out.predictions[0] if isinstance(out.predictions, tuple) else out.predictions
    best = np.asarray(logits).argmax(-1)          # [n, padded length]
    predictions, cut = [], 0
    for i, words in enumerate(eval_words):
        tags = ["O"] * len(words)
        seen = set()
        for pos, w in enumerate(eval_word_ids[i]):
            if w is not None and w not in seen:
                tags[w] = labels[int(best[i, pos])]
                seen.add(w)
        cut += len(words) - len(seen)
        predictions.append(tags)
    gold = [list(t) for t in eval_tags]
    return {"f1": float(f1_score(gold, predictions)),
            "precision": float(precision_score(gold, predictions)),
            "recall": float(recall_score(gold, predictions)),
            "token_accuracy": float(accuracy_score(gold, predictions)),
            "words_not_seen": int(cut),
            "n_train": len(train_words), "n_eval": len(eval_words),
            **timing, "total_seconds": time.time() - t_start}


# ---------------------------------------------------------------------------- QA

def _qa_train_features(tok, examples, max_length, stride, padding="max_length"):
    questions = [ex["question"].lstrip() for ex in examples]
    contexts = [ex["context"] for ex in examples]
    enc = tok(questions, contexts, truncation="only_second", max_length=max_length, stride=stride,
              return_overflowing_tokens=True, return_offsets_mapping=True,
              padding="max_length" if padding == "max_length" else False)
    rows = []
    for i, ex_i in enumerate(enc["overflow_to_sample_mapping"]):
        ids = enc["input_ids"][i]
        cls = ids.index(tok.cls_token_id)
        offsets = enc["offset_mapping"][i]
        seq = enc.sequence_ids(i)
        answers = examples[ex_i]["answers"]
        start_pos = end_pos = cls
        if answers["answer_start"]:
            a = int(answers["answer_start"][0])
            b = a + len(answers["text"][0])
            first = seq.index(1)
            last = len(seq) - 1 - seq[::-1].index(1)
            if offsets[first][0] <= a and offsets[last][1] >= b:
                s = first
                while s <= last and offsets[s][0] <= a:
                    s += 1
                e = last
                while e >= first and offsets[e][1] >= b:
                    e -= 1
                start_pos, end_pos = s - 1, e + 1
        rows.append({"input_ids": ids, "token_type_ids": enc["token_type_ids"][i],
                     "attention_mask": enc["attention_mask"][i],
                     "start_positions": start_pos, "end_positions": end_pos})
    return rows


def _qa_eval_features(tok, examples, max_length, stride, padding="max_length"):
    questions = [ex["question"].lstrip() for ex in examples]
    contexts = [ex["context"] for ex in examples]
    enc = tok(questions, contexts, truncation="only_second", max_length=max_length, stride=stride,
              return_overflowing_tokens=True, return_offsets_mapping=True,
              padding="max_length" if padding == "max_length" else False)
    rows, offsets_all, example_of = [], [], []
    for i, ex_i in enumerate(enc["overflow_to_sample_mapping"]):
        seq = enc.sequence_ids(i)
        offsets_all.append([o if s == 1 else None for o, s in zip(enc["offset_mapping"][i], seq)])
        example_of.append(ex_i)
        rows.append({"input_ids": enc["input_ids"][i], "token_type_ids": enc["token_type_ids"][i],
                     "attention_mask": enc["attention_mask"][i]})
    return rows, offsets_all, np.asarray(example_of)


def _qa_postprocess(examples, start_logits, end_logits, offsets_all, example_of, n_best,
                    max_answer_length) -> list[str]:
    """Best span per example over all its windows: top n_best starts x ends, inside the context."""
    by_example: dict[int, list[int]] = {}
    for f, ex_i in enumerate(example_of):
        by_example.setdefault(int(ex_i), []).append(f)
    answers = []
    for ex_i, ex in enumerate(examples):
        best_score, best_text = None, ""
        for f in by_example.get(ex_i, []):
            s_log, e_log, offsets = start_logits[f], end_logits[f], offsets_all[f]
            starts = np.argsort(s_log)[::-1][:n_best]
            ends = np.argsort(e_log)[::-1][:n_best]
            for s in starts:
                for e in ends:
                    if s >= len(offsets) or e >= len(offsets) or offsets[s] is None or offsets[e] is None:
                        continue
                    if e < s or e - s + 1 > max_answer_length:
                        continue
                    score = float(s_log[s] + e_log[e])
                    if best_score is None or score > best_score:
                        best_score = score
                        best_text = ex["context"][offsets[s][0]:offsets[e][1]]
        answers.append(best_text)
    return answers


def ref_qa(model_path, train_examples, eval_examples, hp, padding: str = "max_length") -> dict:
    """Extractive QA (run_qa): doc-stride windows padded to max_length (``padding="dynamic"``: to the
    longest in each batch, run_qa's ``--pad_to_max_length False``), n-best span decoding, SQuAD v1.1
    EM/F1 (bertdesk's scorer, the official normalisation, used for scoring only)."""
    from transformers import AutoModelForQuestionAnswering, DataCollatorWithPadding, default_data_collator

    from bertdesk.core.metrics import squad_metrics

    t_start = time.time()
    hp = _hp(hp)
    max_length, stride = int(hp["max_length"]), int(hp.get("stride", 128))
    _quiet()
    _cpu_threads()
    tok = _tokenizer(model_path)
    train_rows = _qa_train_features(tok, train_examples, max_length, stride, padding)
    eval_rows, offsets_all, example_of = _qa_eval_features(tok, eval_examples, max_length, stride, padding)
    model = _model(AutoModelForQuestionAnswering, model_path, int(hp["seed"]))
    collator = default_data_collator if padding == "max_length" else DataCollatorWithPadding(tok)
    with tempfile.TemporaryDirectory(prefix="ref-") as tmp:
        trainer = _trainer(model, _training_args(tmp, hp), _Rows(train_rows), collator)
        timing = _train(trainer)
        t0 = time.time()
        out = trainer.predict(_Rows(eval_rows))
        timing["eval_seconds"] = time.time() - t0
    start_logits, end_logits = out.predictions[:2]
    answers = _qa_postprocess(eval_examples, np.asarray(start_logits), np.asarray(end_logits), offsets_all,
                              example_of, int(hp.get("n_best", 20)), int(hp.get("max_answer_length", 30)))
    gold = [[{"text": t} for t in ex["answers"]["text"]] for ex in eval_examples]
    scores = squad_metrics(answers, gold)
    return {"exact_match": float(scores["exact_match"]), "f1": float(scores["f1"]),
            "n_empty_predictions": sum(1 for a in answers if not a),
            "n_train": len(train_examples), "n_eval": len(eval_examples),
            "n_train_features": len(train_rows), "n_eval_features": len(eval_rows),
            **timing, "total_seconds": time.time() - t_start}
