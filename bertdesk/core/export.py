"""Handing a model to someone else: a clean folder in a format other tools load, checked.

  hf         the Hugging Face folder (config, safetensors, tokenizer, model card, bertdesk.json)
             without bertdesk's caches: it loads in ``transformers.pipeline``
  onnx       model.onnx (float32, ONNX Runtime's fused BERT operators) with the tokenizer
  onnx-int8  the same with int8 weights

An ONNX export is compared with the PyTorch model on the model's own held-out rows (or, when the
training file is gone, on a few built-in sentences): the largest difference of an output and the
main metric before and after go into the export's model card and the returned summary.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from .cancel import check
from .errors import DataError, ModelError
from .events import Log, Progress, emit

FORMATS = ("onnx", "onnx-int8", "hf")
PARITY_ROWS = 256
SKIPPED = {"fast", "README.md", ".git"}


def _usage(fmt: str, task) -> str:
    if fmt == "hf":
        if task.has_pipeline:
            return (f'from transformers import pipeline\n\nmodel = pipeline("{task.pipeline_tag}", '
                    'model="path/to/this/folder")\nprint(model("Your text here"))')
        return ('from transformers import AutoModelForQuestionAnswering, AutoTokenizer\n\n'
                'model = AutoModelForQuestionAnswering.from_pretrained("path/to/this/folder")\n'
                'tokenizer = AutoTokenizer.from_pretrained("path/to/this/folder")')
    outputs = ", ".join(task.output_names)
    return ("import numpy as np\nimport onnxruntime as ort\nfrom transformers import AutoTokenizer\n\n"
            'tokenizer = AutoTokenizer.from_pretrained("path/to/this/folder")\n'
            'session = ort.InferenceSession("path/to/this/folder/model.onnx")\n'
            'enc = tokenizer(["Your text here"], return_tensors="np", truncation=True, max_length=128)\n'
            f'{outputs} = session.run(None, {{k: enc[k].astype(np.int64) for k in '
            '("input_ids", "attention_mask", "token_type_ids")})')


def export_model(model_dir, fmt: str, out, *, on_event=None, cancel=None) -> dict:
    """Export ``model_dir`` as ``fmt`` into the folder ``out`` (written beside its name, then
    renamed; an existing folder is replaced only if it is an earlier bertdesk export or model)."""
    from . import io as bio
    from .model_card import CARD_FILE, model_card
    from .model_folder import META_FILE, check_output_dir, open_folder

    if fmt not in FORMATS:
        raise DataError(f"unknown export format '{fmt}' (choose {', '.join(FORMATS)})")
    folder = open_folder(model_dir)
    out = check_output_dir(out)
    if out == folder.path.resolve():
        raise DataError("export into another folder than the model's own", file=out)
    task = folder.task()
    if fmt == "hf" and getattr(task, "pooling", "cls") == "mean":
        raise ModelError("this model keeps its encoder frozen and reads the mean of its tokens, which "
                         "transformers.pipeline does not know: export it as onnx, or fine-tune it first",
                         file=folder.path)
    summary = {"format": fmt, "out": str(out), "model": str(folder.path)}
    with bio.atomic_dir(out) as tmp:
        for item in folder.path.iterdir():
            check(cancel)
            if item.name in SKIPPED or item.name.startswith("."):
                continue
            if fmt != "hf" and item.suffix == ".safetensors":
                continue          # the ONNX file replaces the weights
            if item.is_file():
                shutil.copy2(item, tmp / item.name)
        if fmt != "hf":
            summary.update(_onnx(folder, task, fmt, tmp / "model.onnx", on_event, cancel))
        summary["usage"] = _usage(fmt, task)
        bio.write_text(tmp / CARD_FILE, model_card(folder.meta, folder.path.name, export=summary))
        if not (tmp / META_FILE).exists():
            raise ModelError(f"{META_FILE} could not be copied", file=folder.path)
    emit(on_event, Log(f"Exported {folder.path.name} as {fmt} to {out}"))
    return summary


def _onnx(folder, task, fmt: str, target: Path, on_event, cancel) -> dict:
    """Build the ONNX file and compare it with the PyTorch model."""
    from .fast import OnnxModel, build
    from .predictor import Predictor

    predictor = Predictor.load(folder.path, device="cpu")
    emit(on_event, Progress("exporting", 0, 3))
    build(predictor.model, task, fmt, target)
    emit(on_event, Progress("exporting", 1, 3))
    check(cancel)
    examples, labeled = _parity_examples(predictor, task)
    features = task.encode(predictor.tokenizer, examples, with_labels=False)
    torch_out = predictor.run(features, cancel=cancel, whole=True)
    torch_pred = task.decode(torch_out, features, examples)
    emit(on_event, Progress("exporting", 2, 3))
    predictor.set_fast(OnnxModel(target, task.output_names, 1), fmt)
    onnx_out = predictor.run(features, cancel=cancel)
    onnx_pred = task.decode(onnx_out, features, examples)
    predictor.set_fast(None, None)
    diff = max((float(np.abs(np.asarray(a) - np.asarray(b)).max()) for a, b in zip(torch_out, onnx_out)
                if np.asarray(a).size), default=0.0)
    result = {"max_abs_diff": diff, "n_checked": len(examples), "metric": task.main_metric,
              "before": None, "after": None, "change_points": None}
    if labeled:
        before = task.evaluate(torch_pred, examples)[task.main_metric]
        after = task.evaluate(onnx_pred, examples)[task.main_metric]
        result.update(before=before, after=after, change_points=round((after - before) * 100, 3))
    emit(on_event, Progress("exporting", 3, 3))
    emit(on_event, Log(f"ONNX ({fmt}) against PyTorch on {len(examples)} {task.unit}: largest output "
                       f"difference {diff:.2e}"))
    return result


def _parity_examples(predictor, task):
    """(examples, labeled): the model's held-out rows (up to PARITY_ROWS) when its training file is
    still there, else a few built-in sentences."""
    from .prepare import prepare_data
    from .tasks import task_for_config

    config = predictor.folder.config
    try:
        eval_ex = prepare_data(config, task_for_config(config)).eval
        return eval_ex.subset(np.arange(min(PARITY_ROWS, len(eval_ex)))), True
    except (DataError, OSError):
        texts, pairs = task.sample_inputs
        return task.examples_from_texts(list(texts), list(pairs) if pairs else None), False
