"""``bertdesk --smoke``: a self-check of an installed copy; one JSON line on stdout, exit 0.

It opens the main window (offscreen where there is no screen), loads the bundled model and
predicts one sample, starts a child process (as training does) and imports ONNX Runtime; the head is untrained, so the label only shows that the whole path runs.
"""

from __future__ import annotations

import json
import os
import sys
import time


def run_smoke() -> int:
    t0 = time.perf_counter()
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    result = {"ok": False, "window": False}
    try:
        from .gui.app import make_app
        from .gui.main_window import MainWindow

        app = make_app([sys.argv[0]])
        window = MainWindow()
        window.show()
        app.processEvents()
        result["window"] = window.isVisible()
        result["window_s"] = round(time.perf_counter() - t0, 3)
        result["window_epoch"] = time.time()    # wall clock: launch-to-window = this - launch time
        window.close()
    except ImportError as exc:
        result["window_error"] = str(exc)

    import torch

    from .core.models import BUNDLED_LABEL, bundled_model_path, load_model, load_tokenizer

    from transformers import AutoModelForSequenceClassification

    path = str(bundled_model_path())
    tokenizer = load_tokenizer(path)
    model = load_model(AutoModelForSequenceClassification, path, num_labels=2,
                       id2label={0: "negative", 1: "positive"}, label2id={"negative": 0, "positive": 1}).eval()
    with torch.inference_mode():
        probs = model(**tokenizer("The kettle works perfectly.", return_tensors="pt")).logits.softmax(-1)[0]
    best = int(probs.argmax())
    # training runs in a spawned child process: check that a frozen copy can start one
    from .core.childproc import run_in_child
    result["child_process_device"] = run_in_child("bertdesk.core.models:describe_device")
    try:                                        # the fast labeling path's runtime
        import onnxruntime
        result["onnxruntime"] = onnxruntime.__version__
    except ImportError as exc:
        result["onnxruntime_error"] = str(exc)
    result.update(ok=bool(result["window"]), model=BUNDLED_LABEL,
                  prediction={"label": model.config.id2label[best], "score": round(float(probs[best]), 4)},
                  seconds=round(time.perf_counter() - t0, 2))
    print(json.dumps(result), flush=True)
    return 0 if result["ok"] else 1
