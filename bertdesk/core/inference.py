"""Using a trained model: predictions, labeling whole tables in chunks, attention."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import data as D
from .cancel import CancelToken, check
from .errors import DataError, ModelError
from .events import Progress, emit
from .models import check_local_folder, choose_device, load_model, load_tokenizer
from .tasks import make_task
from .training import META_FILE

TOKEN_BUDGET = 8192          # tokens per inference batch (rows x padded length)
MAX_BATCH = 128


PREVIEW_ROWS = 20


@dataclass
class LabelResult:
    rows: int
    preview: pd.DataFrame        # the first labeled rows, to show


def _count_lines(path: Path) -> int:
    """Rows in a text table, from its newlines (quoted line breaks make it an estimate)."""
    count = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            count += block.count(b"\n")
    return max(1, count - 1)


@dataclass
class AttentionResult:
    tokens: list[str]
    attentions: np.ndarray          # [layer, head, query, key]
    prediction: dict | None = None


class Predictor:
    """A trained bertdesk model folder, ready to predict."""

    def __init__(self, model_dir: Path, meta: dict, task, tokenizer, model, device: str):
        self.model_dir = model_dir
        self.meta = meta
        self.task = task
        self.tokenizer = tokenizer
        self.model = model
        self.device = device
        self._lock = threading.RLock()     # one forward pass at a time: attention switches kernels
        self._fast = None                  # a faster CPU model for labeling (enable_fast)

    @classmethod
    def load(cls, model_dir: str | Path, device: str = "auto") -> "Predictor":
        import torch

        model_dir = Path(model_dir).expanduser()
        if not model_dir.is_dir():
            raise ModelError("model folder not found", file=model_dir)
        meta_path = model_dir / META_FILE
        if not meta_path.exists():
            raise ModelError(f"is not a bertdesk model folder (no {META_FILE})", file=model_dir)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            task = make_task(meta["task"], **meta.get("task_config", {}))
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"{META_FILE} is damaged or from a newer bertdesk", file=model_dir) from exc
        check_local_folder(model_dir)
        tokenizer = load_tokenizer(str(model_dir))
        # sdpa is the faster kernel for predictions; attention() switches to eager for the weights,
        # which sdpa does not return
        model = load_model(task.model_class, str(model_dir), attn="sdpa")
        info = choose_device(device)
        from .distributed import dist_info
        dev = f"cuda:{dist_info().local_rank}" if info.kind == "cuda" else info.kind
        model.to(dev).eval()
        if info.kind == "cpu":
            from .distributed import threads_per_process
            torch.set_num_threads(threads_per_process())
        return cls(model_dir, meta, task, tokenizer, model, dev)

    @property
    def columns(self) -> dict:
        return self.meta.get("columns", {})

    # ------------------------------------------------------------ core loop
    def _run(self, features, on_event=None, cancel: CancelToken | None = None, phase="predicting"):
        """Model outputs for every feature, in feature order; batches sorted by length."""
        import torch

        lengths = features.lengths()
        order = np.argsort(lengths, kind="stable")
        collate = self.task.collate(self.tokenizer.pad_token_id)
        outputs: list[np.ndarray] = [None] * len(order)  # type: ignore[list-item]
        start, done, t0 = 0, 0, time.time()
        with self._lock, torch.inference_mode():
            while start < len(order):
                check(cancel)
                width = int(lengths[order[min(len(order) - 1, start + MAX_BATCH - 1)]])
                size = max(1, min(MAX_BATCH, TOKEN_BUDGET // max(width, 1)))
                idx = order[start:start + size]
                batch = collate([{k: v for k, v in features.items[i].items() if k != "labels"} for i in idx])
                batch = {k: v.to(self.device) for k, v in batch.items() if k != "labels"}
                values = self.task.model_outputs((self._fast or self.model)(**batch))
                for j, i in enumerate(idx):
                    # per-token outputs are cut back to this feature's own length
                    outputs[i] = values[j, :lengths[i]] if values.ndim == 3 else values[j]
                start += len(idx)
                done += len(idx)
                emit(on_event, Progress(phase, done, len(order), time.time() - t0))
        return outputs

    def predict_examples(self, examples, on_event=None, cancel=None) -> list[dict]:
        features = self.task.encode(self.tokenizer, examples, with_labels=False, cancel=cancel)
        return self.task.decode(self._run(features, on_event, cancel), features, examples)

    def predict(self, texts: list[str], pairs: list[str] | None = None) -> list[dict]:
        """Predictions for plain texts (QA: ``texts`` are questions, ``pairs`` their contexts)."""
        return self.predict_examples(self.task.examples_from_texts(texts, pairs))

    def evaluate_table(self, table, columns: dict | None = None, on_event=None, cancel=None) -> dict:
        cols = {**self.columns, **(columns or {})}
        examples = self.task.examples_from_table(table, cols)
        self.task.check_eval_labels(examples)
        predictions = self.predict_examples(examples, on_event, cancel)
        metrics = self.task.evaluate(predictions, examples)
        metrics["skipped"] = examples.skipped
        return metrics

    # ------------------------------------------------------------ tables
    def label_table(self, df: pd.DataFrame, columns: dict | None = None, *, chunk_rows: int = 4096,
                    on_event=None, cancel=None, path=None) -> pd.DataFrame:
        """All original columns and rows, in order, plus the prediction columns.

        Rows without text keep empty predictions. Work goes in chunks so progress and cancel
        are seen often; inside a chunk rows are sorted by length.
        """
        cols = self._label_columns(df, columns, path)
        n = len(df)
        preds: list[dict | None] = [None] * n
        t0 = time.time()
        table = D.Table(df=df, path=Path(path) if path else Path("input"), format="csv")
        for start in range(0, n, chunk_rows):
            check(cancel)
            part = D.Table(df=df.iloc[start:start + chunk_rows].reset_index(drop=True), path=table.path,
                           format="csv")
            try:
                examples = self.task.examples_from_table(part, cols, with_labels=False)
                cols = examples.columns      # detected once, the same for every chunk
            except DataError:
                if start == 0 and n <= chunk_rows:
                    raise
                examples = None   # a chunk with no text at all
            if examples is not None:
                for row, p in zip(examples.rows, self.predict_examples(examples, cancel=cancel)):
                    preds[start + int(row)] = p
            done = min(n, start + chunk_rows)
            elapsed = time.time() - t0
            emit(on_event, Progress("labeling", done, n, elapsed, elapsed / done * (n - done)))
        out = df.copy()
        for name, values in self.task.output_columns(preds).items():
            if name in out.columns:
                name = f"{name}_new"
            out[name] = values
        return out

    def _label_columns(self, df, columns, path) -> dict:
        """Columns named by the user, else those the model was trained on when the sheet has
        them; the task detects the rest."""
        wanted = {k: v for k, v in (columns or {}).items() if v}
        for column in wanted.values():
            D.require_column(df, column, path)
        saved = {k: v for k, v in self.columns.items()
                 if k in self.task.input_columns and isinstance(v, str) and v in df.columns}
        return {**saved, **wanted}

    def label_file(self, input_path, output_path, columns: dict | None = None, *, on_event=None,
                   cancel=None, chunk_rows: int = 20000, **read_kw) -> "LabelResult":
        """Label a file into another, keeping every column and the row order.

        CSV/TSV into CSV/TSV/JSONL streams in chunks, so memory stays flat however long the
        file is; other formats are read whole. The output appears only when complete.
        """
        from .io import check_output_file, table_format, write_table

        check_output_file(output_path)
        if Path(output_path).expanduser().resolve() == Path(input_path).expanduser().resolve():
            raise DataError("the output would overwrite the input file; choose another name",
                            file=output_path)
        head = D.read_table(input_path, nrows=200, **read_kw)
        if head.format in ("csv", "tsv") and table_format(output_path) in ("csv", "tsv", "jsonl"):
            return self._label_stream(head, Path(output_path), columns, chunk_rows, on_event, cancel)
        table = D.read_table(input_path, **read_kw)
        out = self.label_table(table.df, columns, on_event=on_event, cancel=cancel, path=input_path)
        check(cancel)
        write_table(out, output_path)
        return LabelResult(len(out), out.head(PREVIEW_ROWS))

    def _label_stream(self, head: D.Table, output_path: Path, columns, chunk_rows, on_event, cancel):
        from .io import atomic_path, neutralise_frame, table_format

        cols = self._label_columns(head.df, columns, head.path)
        try:
            cols = self.task.examples_from_table(head, cols, with_labels=False).columns
        except DataError:
            pass                     # the first rows have no text: chunks detect it themselves
        total = _count_lines(head.path)
        fmt = table_format(output_path)
        reader = pd.read_csv(head.path, sep=head.delimiter, encoding=head.encoding, dtype=str, keep_default_na=False,
                             na_filter=False, chunksize=chunk_rows)
        done, preview, t0 = 0, None, time.time()
        with atomic_path(output_path) as tmp, open(tmp, "w", encoding="utf-8-sig" if fmt != "jsonl" else "utf-8",
                                                   newline="") as fh:
            try:
                for chunk in reader:
                    check(cancel)
                    chunk.columns = head.df.columns
                    def inner(e, offset=done):
                        if isinstance(e, Progress):
                            elapsed = time.time() - t0
                            seen = offset + e.done
                            emit(on_event, Progress("labeling", seen, max(total, seen), elapsed,
                                                    elapsed / max(seen, 1) * max(total - seen, 0)))

                    labeled = self.label_table(chunk.reset_index(drop=True), cols, chunk_rows=2048, cancel=cancel,
                                               path=head.path, on_event=inner)
                    if preview is None or len(preview) < PREVIEW_ROWS:
                        preview = pd.concat([preview, labeled], ignore_index=True).head(PREVIEW_ROWS)
                    if fmt == "jsonl":
                        labeled.to_json(fh, orient="records", lines=True, force_ascii=False)
                    else:
                        neutralise_frame(labeled).to_csv(fh, header=done == 0, index=False,
                                                         sep="\t" if fmt == "tsv" else ",")
                    done += len(chunk)
                    total = max(total, done)
            except UnicodeDecodeError as exc:
                raise DataError(f"has bytes that are not valid {head.encoding} after row {done} "
                                "(mixed encodings?)", file=head.path) from exc
            except pd.errors.ParserError as exc:
                raise DataError(D._explain_parser_error(str(exc), head.delimiter), file=head.path) from exc
        emit(on_event, Progress("labeling", done, done, time.time() - t0, 0.0))
        return LabelResult(done, preview if preview is not None else head.df.head(0))

    # ------------------------------------------------------------ fast path
    def enable_fast(self, mode: str | None = None, max_drop_points: float = 0.5, on_event=None,
                    cancel=None) -> dict:
        """Label through a faster CPU model (see ``core.fast``: ``onnx-int8``, ``onnx`` or ``int8``),
        but only if the task's main metric on the model's own evaluation set drops by at most
        ``max_drop_points`` points.

        Returns {"mode", "metric", "before", "after", "drop_points", "accepted", "n_eval", "cached"}; on
        refusal predictions stay at full precision. The evaluation set is rebuilt from the training
        settings saved in bertdesk.json (so those files must still be where they were) unless the
        same check on the same weights was stored earlier beside the ONNX file.
        """
        from . import fast as F
        from .distributed import threads_per_process

        mode = F.check_mode(mode or F.default_mode())
        if self.device != "cpu":
            raise ModelError("the fast mode runs on the CPU only; on a GPU the model is already fast")
        folder, key = None, None
        if mode.startswith("onnx"):
            folder, key = F.cache_dir(self.model_dir), F.weights_key(self.model_dir, mode)
            stored = F.read_verdict(folder, mode, key)
            if stored is not None and stored.get("max_drop_points", max_drop_points) >= max_drop_points \
                    and stored.get("drop_points", 0.0) <= max_drop_points:
                self._fast = F.OnnxModel(folder / f"{mode}.onnx", self.task.name, threads_per_process())
                return {k: v for k, v in stored.items() if k != "key"} | {"cached": True, "accepted": True}
        eval_ex = self._fast_check_examples()
        metric = self.task.main_metric
        scale = 1.0 if self.task.name == "qa" else 100.0      # QA metrics are already in percent
        self._fast = None
        emit(on_event, Progress("checking fast mode", 0, 3, 0.0))
        before = self.task.evaluate(self.predict_examples(eval_ex, cancel=cancel), eval_ex)[metric]
        emit(on_event, Progress("checking fast mode", 1, 3, 0.0))
        check(cancel)
        if mode == "int8":
            candidate = F.TorchInt8(self.model)
        else:
            target = folder / f"{mode}.onnx"
            F.build(self.model, self.task.name, mode, target)
            candidate = F.OnnxModel(target, self.task.name, threads_per_process())
        emit(on_event, Progress("checking fast mode", 2, 3, 0.0))
        self._fast = candidate
        try:
            after = self.task.evaluate(self.predict_examples(eval_ex, cancel=cancel), eval_ex)[metric]
        except BaseException:
            self._fast = None
            raise
        drop = round((before - after) * scale, 3)
        accepted = drop <= max_drop_points
        if not accepted:
            self._fast = None
        result = {"mode": mode, "metric": metric, "before": before, "after": after, "drop_points": drop,
                  "accepted": accepted, "n_eval": len(eval_ex), "max_drop_points": max_drop_points,
                  "cached": False}
        if folder is not None:
            F.write_verdict(folder, mode, key, result)
        emit(on_event, Progress("checking fast mode", 3, 3, 0.0))
        return result

    def disable_fast(self) -> None:
        self._fast = None

    @property
    def fast_mode(self) -> str | None:
        if self._fast is None:
            return None
        return "int8" if not hasattr(self._fast, "session") else self._fast.path.stem

    def _fast_check_examples(self):
        from .config import TrainConfig
        from .training import prepare_data, task_settings

        try:
            config = TrainConfig.from_dict(self.meta["hyperparameters"])
        except (KeyError, TypeError, DataError) as exc:
            raise ModelError("this model folder has no training settings to check the fast mode against",
                             file=self.model_dir) from exc
        probe = make_task(config.task, **task_settings(config))
        try:
            _, eval_ex = prepare_data(config, probe)
        except DataError as exc:
            raise ModelError(f"the fast mode is checked on the evaluation data, which cannot be read now ({exc})",
                             file=self.model_dir) from exc
        return eval_ex

    # ------------------------------------------------------------ attention
    def attention(self, text: str, text_pair: str | None = None) -> AttentionResult:
        """All layers' and heads' attention for one input (first window), with the prediction."""
        import torch

        if not text or not text.strip():
            raise DataError("the text is empty")
        enc = self.tokenizer(text, text_pair, truncation="only_second" if text_pair else True,
                             max_length=self.task.max_length,
                             return_tensors="pt")
        with self._lock, torch.inference_mode():
            self.model.set_attn_implementation("eager")
            try:
                out = self.model(**{k: v.to(self.device) for k, v in enc.items()}, output_attentions=True)
            finally:
                self.model.set_attn_implementation("sdpa")
        if not out.attentions:
            raise ModelError("this model returned no attention weights")
        att = torch.stack([a[0] for a in out.attentions]).float().cpu().numpy()
        tokens = self.tokenizer.convert_ids_to_tokens(enc["input_ids"][0].tolist())
        prediction = self.predict([text], [text_pair] if text_pair else None)[0]
        return AttentionResult(tokens, att, prediction)
