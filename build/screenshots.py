"""Walk through the app offscreen with a temporary workspace and save a PNG of every page.

    python build/screenshots.py OUT_DIR [--tiny] [--data FILE] [--label-data FILE] [--fast] [--only-main]

Trains for real: the bundled model on resources/samples/reviews.csv for one epoch (about a
minute on 2 CPU cores), or a tiny random BERT with --tiny (seconds; meaningless predictions).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--tiny", action="store_true", help="train a tiny random BERT instead of the bundled model")
    parser.add_argument("--size", default="1280x860")
    parser.add_argument("--data", type=Path, help="train on this file instead of the sample reviews")
    parser.add_argument("--label-data", type=Path, help="label this file instead of the sample sheet")
    parser.add_argument("--fast", action="store_true", help="label in the fast mode")
    parser.add_argument("--only-main", action="store_true", help="skip the NER and QA samples")
    parser.add_argument("--adapt", action="store_true",
                        help="only: adapt the model to the sample reviews, fine-tune, and probe the adapted model")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(REPO / "build"))
    from appdriver import Driver

    driver = Driver("bertdesk-shots-", "bertdesk-screenshots")
    tmp, wait = driver.tmp, driver.wait
    from bertdesk.core.workspace import samples_dir
    from bertdesk.gui.main_window import MainWindow

    def shot(name):
        driver.shot(window, args.out, name)

    model = "bundled"
    if args.tiny:
        sys.path.insert(0, str(REPO / "tests"))
        from conftest import make_tiny_bert
        model = str(make_tiny_bert(tmp / "tiny-bert"))

    window = MainWindow()
    w, h = (int(v) for v in args.size.split("x"))
    window.resize(w, h)
    window.show()
    if args.adapt:
        return adapt_and_probe(window, driver, shot, args, model)
    shot("01-home")
    wiz = window.wizard
    window.open_data(str(args.data or samples_dir() / "reviews.csv"))
    wait(lambda: wiz.data_page.table is not None and not wiz.data_page.reading, 300)
    shot("02-wizard-data")
    wiz.go_next()
    wait(lambda: not wiz.task_page.checking, 300)
    shot("03-wizard-task-columns")
    wiz.go_next()
    if model != "bundled":
        wiz.model_page.folder.setChecked(True)
        wiz.model_page.folder_path.setText(model)
    wait(lambda: wiz.model_page.device_text and wiz.model_page.vocab_fit is not None, 120)
    shot("04-wizard-model")
    wiz.go_next()
    wiz.settings_page.preset.setCurrentIndex(wiz.settings_page.preset.findData("quick"))
    shot("05-wizard-settings")
    done = []
    window.results.predictionsShown.connect(lambda: done.append(1))
    wiz.go_next()
    wait(lambda: wiz.train_page.progress.value() >= 50 or done)
    shot("06-wizard-training")
    wait(lambda: done)
    shot("07-results")
    shown = []
    view = window.results.attention
    view.shown.connect(lambda: shown.append(1))
    window.results.select_row(0)
    wait(lambda: shown, 120)
    shot("08-results-attention")                 # the word attributions (the default view)
    shown.clear()
    view.mode.setCurrentIndex(view.mode.findData("attention"))
    wait(lambda: shown, 120)
    shot("08b-results-attention-map")
    view.mode.setCurrentIndex(view.mode.findData("attribution"))
    window.go("label")
    window.label.open_file(args.label_data or samples_dir() / "reviews_to_label.csv")
    wait(lambda: window.label.table is not None, 300)
    window.label.fast_check.setChecked(args.fast)
    labeled = []
    window.runner.succeeded.connect(lambda n, r: n == "label" and labeled.append(1))
    t0 = time.monotonic()
    window.label.run()
    preparing = window.label.tr("Preparing this model for fast labeling (once per model)…")
    wait(lambda: labeled or window.label.status.text() == preparing, 1800)
    if not labeled:                   # the first labeling with a model builds its ONNX Runtime graph
        shot("09a-label-preparing")
    wait(lambda: labeled, 1800)
    print(f"labeled in {time.monotonic() - t0:.1f} s: {window.label.status.text()}")
    shot("09-label")
    exported = []
    window.runner.succeeded.connect(lambda n, r: n == "export" and exported.append(1))
    window.label.export(str(tmp / "labeled.xlsx"))
    wait(lambda: exported, 600)
    shot("09b-label-exported")
    window.go("models")
    shot("10-models")
    window.go("home")
    shot("11-home-recent")

    def train_other(sample, name, prefix):
        """Train on another sample (NER, QA) through the wizard and shoot its results page."""
        window.open_data(str(samples_dir() / sample))
        shot(f"{prefix}-data")
        wiz.go_next()
        shot(f"{prefix}-task")
        wiz.go_next()
        if model != "bundled":
            wiz.model_page.folder.setChecked(True)
            wiz.model_page.folder_path.setText(model)
        else:
            wiz.model_page.bundled.setChecked(True)
        wiz.model_page.name.setText(name)
        wiz.go_next()
        wiz.settings_page.preset.setCurrentIndex(wiz.settings_page.preset.findData("quick"))
        finished = []
        window.results.predictionsShown.connect(lambda: finished.append(1))
        wiz.go_next()
        wait(lambda: finished)
        window.results.select_row(0)
        shot(f"{prefix}-results")

    if args.only_main:
        window.close()
        return 0
    train_other("news_ner.conll", "news-entities", "12-ner")
    train_other("product_faq_qa.csv", "product-faq", "13-qa")
    window.close()
    return 0


def adapt_and_probe(window, driver, shot, args, model) -> int:
    """Adapt the model to the sample reviews first (the Model step's option), fine-tune, then probe
    the adapted model with a masked word on Results."""
    from bertdesk.core.workspace import samples_dir

    wait, wiz = driver.wait, window.wizard
    window.open_data(str(args.data or samples_dir() / "reviews.csv"))
    wait(lambda: wiz.data_page.table is not None and not wiz.data_page.reading, 300)
    wiz.go_next()
    wait(lambda: not wiz.task_page.checking, 300)
    wiz.go_next()
    if model != "bundled":
        wiz.model_page.folder.setChecked(True)
        wiz.model_page.folder_path.setText(model)
    wiz.model_page.adapt.setChecked(True)
    wiz.model_page.name.setText("reviews-adapted-first")
    wait(lambda: wiz.model_page.device_text, 120)
    shot("18-wizard-model-adapt")
    wiz.go_next()
    wiz.settings_page.preset.setCurrentIndex(wiz.settings_page.preset.findData("quick"))
    done = []
    window.results.predictionsShown.connect(lambda: done.append(1))
    wiz.go_next()
    wait(lambda: done, 1800)
    shot("19-results-from-adapted")
    results = window.results
    from bertdesk.core.workspace import models_dir

    window.show_results(str(models_dir() / "reviews-adapted-first-adapted"))
    wait(lambda: results.detail.currentWidget() is results.fill_mask, 300)
    probe = results.fill_mask
    probe.text.setText("the blender is [MASK] and loud")
    filled = []
    probe.filled.connect(lambda: filled.append(1))
    probe.fill()
    wait(lambda: filled, 300)
    shot("20-results-fill-mask")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
