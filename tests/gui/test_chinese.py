"""Chinese users: glyphs in charts, the Chinese interface, the language setting."""

from __future__ import annotations

import warnings

import pytest


def _missing_glyphs(fill) -> list[str]:
    """Fill a chart (``fill()``) and draw it now; the glyphs matplotlib found in no font of its chain."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fill().canvas.draw()
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_charts_draw_chinese_labels_with_a_font_that_has_them(qtbot, monkeypatch):
    from matplotlib import rcParams

    from bertdesk.gui.views.charts import LabelDistributionChart, PerClassChart
    from bertdesk.gui.views.mpl import cjk_family

    if cjk_family() is None:
        pytest.skip("this machine has no font with Chinese glyphs (the bundle ships one)")
    chart = LabelDistributionChart()
    qtbot.addWidget(chart)
    assert _missing_glyphs(lambda: chart.set_counts({"好评": 120, "差评": 45, "中评": 3}) or chart) == []
    labels = [t.get_text() for t in chart.figure.axes[0].get_yticklabels()]
    assert set(labels) == {"好评", "差评", "中评"}

    per_class = PerClassChart()
    qtbot.addWidget(per_class)
    scores = {"好评": {"precision": 0.9, "recall": 0.8, "f1": 0.85, "support": 30},
              "差评": {"precision": 0.7, "recall": 0.75, "f1": 0.72, "support": 12}}
    assert _missing_glyphs(lambda: per_class.set_scores(scores) or per_class) == []

    # the check can fail: with the default font alone the same labels are boxes
    import bertdesk.gui.views.mpl as mpl

    saved = list(rcParams["font.family"])
    monkeypatch.setattr(mpl, "use_cjk_fonts", lambda: None)
    try:
        rcParams["font.family"] = ["DejaVu Sans"]
        plain = LabelDistributionChart()
        qtbot.addWidget(plain)
        assert _missing_glyphs(lambda: plain.set_counts({"好评": 1}) or plain)
    finally:
        rcParams["font.family"] = saved


def _translations() -> dict[tuple[str, str], str]:
    import xml.etree.ElementTree as ET

    from bertdesk.gui.i18n import TRANSLATIONS

    root = ET.parse(TRANSLATIONS / "bertdesk_zh_CN.ts").getroot()
    return {(c.findtext("name"), m.findtext("source")): (m.findtext("translation") or "")
            for c in root.iter("context") for m in c.iter("message")
            if (m.find("translation") is None or m.find("translation").get("type") != "vanished")}


def _placeholders(text: str) -> list[str]:
    import re

    return sorted(re.findall(r"\{[a-z_0-9]*\}|%\d|&[A-Za-z]|</?[a-z]+[^>]*>", text))


def test_every_marked_text_has_a_chinese_translation_with_the_same_placeholders(tmp_path):
    """lupdate collects the marked texts of the sources now; each one is translated in the shipped .ts,
    and keeps its {placeholders}, HTML tags and & mnemonic."""
    import subprocess
    import sys
    import xml.etree.ElementTree as ET
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root / "build"))
    try:
        import translations
    finally:
        sys.path.remove(str(root / "build"))
    lupdate = translations.tool("lupdate")
    if lupdate is None:
        pytest.skip("this PySide6 has no lupdate")
    fresh = tmp_path / "fresh.ts"
    subprocess.run([lupdate, "-silent", "-locations", "none", *translations.sources(), "-ts", str(fresh)],
                   cwd=root, check=True, capture_output=True, timeout=300)
    marked = {(c.findtext("name"), m.findtext("source"))
              for c in ET.parse(fresh).getroot().iter("context") for m in c.iter("message")}
    assert len(marked) > 400
    shipped = _translations()
    untranslated = sorted(key for key in marked if not shipped.get(key, "").strip())
    assert untranslated == []
    mismatched = [(key, text) for key, text in shipped.items()
                  if key in marked and _placeholders(key[1]) != _placeholders(text)]
    assert mismatched == []


def test_the_window_speaks_chinese_when_chosen_and_english_again_after(qtbot, qapp, workspace, isolated_settings,
                                                                      dialogs):
    from PySide6.QtWidgets import QMessageBox, QRadioButton

    from bertdesk.core.tasks import TASKS
    from bertdesk.gui.i18n import chosen_language, current_language, install
    from bertdesk.gui.main_window import MainWindow

    def texts(win) -> list[str]:
        return ([win.sidebar.item(i).text() for i in range(win.sidebar.count())]
                + [a.text() for a in win.menuBar().actions()]
                + [r.text() for r in win.findChildren(QRadioButton) if r.objectName().startswith("taskRadio_")])

    def has_chinese(s: str) -> bool:
        return any("\u4e00" <= ch <= "\u9fff" for ch in s)

    try:
        assert install(qapp, "zh_CN") == "zh_CN" and current_language() == "zh_CN"
        win = MainWindow()
        qtbot.addWidget(win)
        chinese = texts(win)
        assert len(chinese) >= 10 and all(has_chinese(t) for t in chinese if t != "bertdesk")
        assert win.findChild(QRadioButton, "taskRadio_ner").text() == "查找名称和实体（NER）"
        zh_action = win.language_actions["zh_CN"]
        assert zh_action.text() == "简体中文"
        win.close()

        # the choice is kept; it applies at the next start (declining the restart keeps this window)
        dialogs.answer = QMessageBox.StandardButton.No
        win.language_actions["en"].trigger()
        assert chosen_language() == "en" and win.language_actions["en"].isChecked()
        assert dialogs.questions, "a language change offers to restart"

        assert install(qapp, chosen_language()) == "en"
        win2 = MainWindow()
        qtbot.addWidget(win2)
        english = texts(win2)
        assert not any(has_chinese(t) for t in english if t not in ("简体中文",))
        assert win2.findChild(QRadioButton, "taskRadio_ner").text() == TASKS["ner"].choice_title
        win2.close()
    finally:
        install(qapp, "en")


def test_model_page_says_how_much_of_a_chinese_sheet_the_model_cannot_read_and_offers_to_teach_it(
        window, qtbot, tmp_path, tiny_model_dir, samples_dir):
    """The Chinese sample (a GB18030 file): the tiny model has the bundled English vocabulary, so most
    characters are [UNK]; the page says so with the numbers, names Chinese models, and its option
    turns into a job that extends the vocabulary and adapts first. An English sheet shows none of it."""
    from tests.conftest import copy_sample, write_sentiment_csv

    from .helpers import TIMEOUT_MS, click

    wiz = window.wizard
    assert window.open_data(str(copy_sample("reviews_zh.csv", tmp_path)))
    click(qtbot, wiz.next)
    click(qtbot, wiz.next)
    page = wiz.model_page
    page.folder.setChecked(True)
    page.folder_path.setText(str(tiny_model_dir))
    qtbot.waitUntil(lambda: page.vocab_note.isVisible(), timeout=TIMEOUT_MS)
    fit = page.vocab_fit
    assert fit["texts"] == 120 and fit["unknown_share"] > 0.3 and fit["cjk_share"] > 0.9
    note = page.vocab_note.text()
    assert f"{fit['unknown_share']:.0%}" in note and "[UNK]" in note and "bert-base-chinese" in note
    assert page.extend.isVisible() and not page.extend.isChecked()
    page.extend.setChecked(True)
    assert page.adapt.isChecked() and not page.adapt.isEnabled()
    config = wiz.build_config()
    assert config.extend_vocab and config.adapt_first
    page.extend.setChecked(False)
    assert page.adapt.isEnabled() and not wiz.build_config().extend_vocab

    wiz.go_back()
    wiz.go_back()
    assert window.open_data(str(write_sentiment_csv(tmp_path / "english.csv", n=40)))
    click(qtbot, wiz.next)
    click(qtbot, wiz.next)
    qtbot.waitUntil(lambda: page.vocab_fit is not None and page.vocab_fit["texts"] == 40, timeout=TIMEOUT_MS)
    assert page.vocab_fit["unknown_share"] < 0.05
    assert not page.vocab_note.isVisible() and not page.extend.isVisible()
