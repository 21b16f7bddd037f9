"""The labeling loop in the app, driven like a user with the keyboard, with a PNG of each step.

    python build/review_walkthrough.py OUT_DIR [--labeled 60] [--flipped 6] [--review 20] [--tiny]

From the sample reviews (300 rows, 3 labels) it makes a sheet with only ``--labeled`` labels, of
which ``--flipped`` are wrong; trains the quick start (a head on the frozen bundled encoder) through
the wizard; opens Review from Results; goes through the ``--review`` most suspicious rows with the
number keys and Enter, answering with the sample's true labels; labels the suggested rows the same
way; retrains and shoots the comparison. Prints what it did and measured as it goes. Run it under
Xvfb (``xvfb-run -a``) for a real window, or offscreen.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def make_sheet(path: Path, labeled: int, flipped: int, seed: int = 0):
    """The sample reviews with ``labeled`` labels kept (``flipped`` of them wrong) and the rest
    blank; returns the true labels."""
    import numpy as np
    import pandas as pd

    from bertdesk.core.workspace import samples_dir

    df = pd.read_csv(samples_dir() / "reviews.csv", dtype=str, keep_default_na=False)
    truth = df["sentiment"].tolist()
    rng = np.random.default_rng(seed)
    keep = rng.choice(len(df), labeled, replace=False)
    labels = sorted(set(truth))
    sheet = [""] * len(df)
    for i in keep:
        sheet[i] = truth[i]
    for i in rng.choice(keep, flipped, replace=False):
        sheet[i] = rng.choice([lab for lab in labels if lab != truth[i]])
    df["sentiment"] = sheet
    df.to_csv(path, index=False)
    return truth, set(int(i) for i in keep), labels


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--labeled", type=int, default=60)
    parser.add_argument("--flipped", type=int, default=6)
    parser.add_argument("--review", type=int, default=20)
    parser.add_argument("--suggest", type=int, default=20)
    parser.add_argument("--tiny", action="store_true", help="a tiny random BERT instead of the bundled model")
    parser.add_argument("--size", default="1280x860")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(REPO / "build"))
    from appdriver import Driver

    driver = Driver("bertdesk-review-", "bertdesk-review-walkthrough")
    tmp, app, wait, settle = driver.tmp, driver.app, driver.wait, driver.settle
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from bertdesk.gui.main_window import MainWindow

    def shot(name):
        driver.shot(window, args.out, name)

    sheet_path = tmp / "reviews-partly-labeled.csv"
    truth, labeled_rows, labels = make_sheet(sheet_path, args.labeled, args.flipped)
    before = sheet_path.read_bytes()
    model = None
    if args.tiny:
        sys.path.insert(0, str(REPO / "tests"))
        from conftest import make_tiny_bert
        model = str(make_tiny_bert(tmp / "tiny-bert"))

    window = MainWindow()
    w, h = (int(v) for v in args.size.split("x"))
    window.resize(w, h)
    window.show()
    wiz = window.wizard
    window.open_data(str(sheet_path))
    wait(lambda: wiz.data_page.table is not None and not wiz.data_page.reading, 300)
    wiz.go_next()
    wait(lambda: not wiz.task_page.checking, 300)
    print("task page:", wiz.task_page.summary.text())
    wiz.go_next()
    if model:
        wiz.model_page.folder.setChecked(True)
        wiz.model_page.folder_path.setText(model)
    wiz.model_page.name.setText("reviews-first")
    wait(lambda: wiz.model_page.device_text, 120)
    wiz.go_next()
    print("settings:", wiz.settings_page.method.currentText(), "|", wiz.settings_page.method_note.text())
    shot("review-01-settings-quick-start")
    shown = []
    window.results.predictionsShown.connect(lambda: shown.append(1))
    t0 = time.monotonic()
    wiz.go_next()
    wait(lambda: shown)
    print(f"trained and evaluated in {time.monotonic() - t0:.1f} s: {window.results.status.text()[:120]}")
    shot("review-02-results")

    done = []
    window.runner.succeeded.connect(lambda name, _r: done.append(name))
    t0 = time.monotonic()
    window.results.review_button.click()
    wait(lambda: "suspects" in done)
    page = window.review
    print(f"suspicious labels in {time.monotonic() - t0:.1f} s: {page.status.text()}")
    shot("review-03-suspicious")
    table = page.suspect_table
    table.setFocus()
    top = [page.suspect_model.sheet_row(i) for i in range(min(args.review, page.suspect_model.rowCount()))]
    wrong_in_top = sum(page.sheet.label(r) != truth[r] for r in top)
    for r in top:
        right = truth[r]
        if page.sheet.label(r) == right:
            QTest.keyClick(table, Qt.Key.Key_Return)
        else:
            QTest.keyClick(table, Qt.Key(Qt.Key.Key_1 + page.sheet.labels.index(right)))
        app.processEvents()
    counts = page.sheet.counts()
    print(f"reviewed the top {len(top)} with the keyboard: {wrong_in_top} of them were wrong "
          f"(of {args.flipped} flipped in all); now {counts}")
    shot("review-04-reviewed")

    page.tabs.setCurrentIndex(1)
    page.n_rows.setValue(args.suggest)
    done.clear()
    page.suggest()
    wait(lambda: "suggest" in done)
    shot("review-05-label-next")
    nxt = page.next_table
    nxt.setFocus()
    for i in range(page.next_model.rowCount()):
        r = page.next_model.sheet_row(i)
        QTest.keyClick(nxt, Qt.Key(Qt.Key.Key_1 + page.sheet.labels.index(truth[r])))
        app.processEvents()
    print(f"labeled {page.next_model.rowCount()} suggested rows; now {page.sheet.counts()}; "
          f"copy: {page.sheet.copy_path}")
    shown.clear()
    t0 = time.monotonic()
    page.retrain_button.click()
    wait(lambda: shown)
    print(f"retrained in {time.monotonic() - t0:.1f} s: {window.results.status.text()[:160]}")
    for key, card in window.results.cards.items():
        print(f"  {key}: {card.value.text()} {card.delta.text()}")
    shot("review-06-retrained-comparison")
    window.go("models")
    settle()
    page = window.models
    page.table.selectAll()
    dialog = page.compare_selected()
    shot("review-07-models-runs")
    settle(0.6)
    dialog.grab().save(str(args.out / "review-08-compare.png"))
    print("saved", args.out / "review-08-compare.png", f"({len(dialog.result['wrong_to_right'])} rows wrong -> right, "
          f"{len(dialog.result['right_to_wrong'])} right -> wrong on {dialog.result['shared_rows']} shared rows)")
    dialog.close()
    assert sheet_path.read_bytes() == before, "the original sheet was written"
    print("the original sheet is unchanged")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
