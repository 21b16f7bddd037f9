"""Entities and answers shown inside their text, and the NER per-type breakdown."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QTableWidget,
                               QTableWidgetItem, QTextBrowser, QVBoxLayout, QWidget)

from ..i18n import QT_TRANSLATE_NOOP, translate

# pastel backgrounds (dark text stays readable on them in light and dark themes)
TYPE_COLORS = ["#ffcc80", "#90caf9", "#a5d6a7", "#f48fb1", "#ce93d8", "#fff59d", "#80deea", "#bcaaa4",
               "#e6ee9c", "#b0bec5"]
GOLD_COLOR = "#a5d6a7"
PRED_COLOR = "#90caf9"
BOTH_COLOR = "#80cbc4"
ERROR_NAMES = [("missed", QT_TRANSLATE_NOOP("NerBreakdown", "Missed"),
                QT_TRANSLATE_NOOP("NerBreakdown", "in the gold data, not found")),
               ("spurious", QT_TRANSLATE_NOOP("NerBreakdown", "Spurious"),
                QT_TRANSLATE_NOOP("NerBreakdown", "found, but not in the gold data")),
               ("wrong_type", QT_TRANSLATE_NOOP("NerBreakdown", "Wrong type"),
                QT_TRANSLATE_NOOP("NerBreakdown", "right words, wrong entity type")),
               ("wrong_boundary", QT_TRANSLATE_NOOP("NerBreakdown", "Wrong boundary"),
                QT_TRANSLATE_NOOP("NerBreakdown", "overlaps a gold entity, not the same words"))]


def type_colors(types) -> dict[str, str]:
    return {t: TYPE_COLORS[i % len(TYPE_COLORS)] for i, t in enumerate(sorted(types))}


def _chip(text: str, color: str, note: str = "") -> str:
    tail = f"<sub style='color:#555555'>&nbsp;{escape(note)}</sub>" if note else ""
    return (f"<span style='background-color:{color}; color:#000000'>&nbsp;{escape(text)}&nbsp;</span>{tail}")


def entities_html(text: str, spans, colors: dict[str, str]) -> str:
    """``text`` with each (start, end, type) span on its type's colour, the type as a small suffix."""
    out, pos = [], 0
    for start, end, etype in sorted(spans):
        if start < pos:                       # overlapping spans cannot be drawn inline: skip
            continue
        out.append(escape(text[pos:start]))
        out.append(_chip(text[start:end], colors.get(etype, TYPE_COLORS[-1]), etype))
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def answers_html(text: str, gold, predicted) -> str:
    """``text`` with the gold answer(s) and the predicted answer highlighted; overlap in a third colour."""
    marks = sorted({0, len(text), *[p for s in list(gold) + list(predicted) for p in s]})
    out = []
    for a, b in zip(marks, marks[1:]):
        in_gold = any(s <= a and b <= e for s, e in gold)
        in_pred = any(s <= a and b <= e for s, e in predicted)
        piece = escape(text[a:b])
        if in_gold or in_pred:
            color = BOTH_COLOR if in_gold and in_pred else GOLD_COLOR if in_gold else PRED_COLOR
            weight = "font-weight:600;" if in_pred else ""
            piece = f"<span style='background-color:{color}; color:#000000; {weight}'>{piece}</span>"
        out.append(piece)
    return "".join(out)


class SpanView(QWidget):
    """The selected held-out example: NER sentences with gold and predicted entities, or a QA context."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("<b>Select a row to see it here</b>"))
        self.browser = QTextBrowser(objectName="spanBrowser")
        self.browser.setOpenLinks(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.browser, 1)
        self.colors: dict[str, str] = {}

    def set_types(self, types) -> None:
        self.colors = type_colors(types)

    def clear(self) -> None:
        self.browser.clear()

    def show_ner(self, detail: dict) -> None:
        self.title.setText(self.tr("<b>Entities in the selected sentence</b>"))
        text = detail["text"]
        legend = " ".join(_chip(t, c) for t, c in self.colors.items())
        self.browser.setHtml(
            "<p><b>" + self.tr("Gold") + "</b><br>" + entities_html(text, detail["gold"], self.colors) + "</p>"
            "<p><b>" + self.tr("Predicted") + "</b><br>" + entities_html(text, detail["predicted"], self.colors) + "</p>"
            "<p style='color:#777777'>" + self.tr("Types: {legend}").format(legend=legend) + "</p>")

    def show_qa(self, question: str, detail: dict, predicted: str, gold: str) -> None:
        self.title.setText(self.tr("<b>The answer in its context</b>"))
        legend = (_chip(self.tr("gold answer"), GOLD_COLOR) + " " + _chip(self.tr("predicted answer"), PRED_COLOR) + " "
                  + _chip(self.tr("both"), BOTH_COLOR))
        self.browser.setHtml(
            "<p>" + self.tr("<b>Question:</b> {question}").format(question=escape(question)) + "</p>"
            "<p>" + self.tr("<b>Gold:</b> {gold} &nbsp; <b>Predicted:</b> {predicted}").format(
                gold=escape(gold), predicted=escape(predicted)) + "</p>"
            "<p>" + answers_html(detail["text"], detail["gold"], detail["predicted"]) + "</p>"
            f"<p style='color:#777777'>{legend}</p>")


class NerBreakdown(QWidget):
    """Per entity type precision, recall, F1 and support, and the four kinds of error."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 5, objectName="nerPerType")
        self.table.setHorizontalHeaderLabels([self.tr("Entity type"), self.tr("Precision"), self.tr("Recall"), "F1",
                                              self.tr("Support")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.error_labels: dict[str, QLabel] = {}
        errors = QVBoxLayout()
        errors.addWidget(QLabel(self.tr("<b>Errors on the held-out sentences</b>")))
        for key, name, help_text in ERROR_NAMES:
            label = QLabel("", objectName=f"nerError_{key}")
            label.setToolTip(translate("NerBreakdown", help_text))
            self.error_labels[key] = label
            errors.addWidget(label)
        errors.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 3)
        layout.addLayout(errors, 2)

    def set_metrics(self, metrics: dict) -> None:
        per_type = metrics.get("per_type") or {}
        self.table.setRowCount(len(per_type))
        for r, (etype, v) in enumerate(sorted(per_type.items())):
            cells = [etype, f"{v['precision']:.1%}", f"{v['recall']:.1%}", f"{v['f1']:.1%}", str(v["support"])]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        errors = metrics.get("errors") or {}
        for key, name, help_text in ERROR_NAMES:
            self.error_labels[key].setText(
                self.tr("{name}: <b>{count}</b> <span style='color:#777777'>({help})</span>").format(
                    name=translate("NerBreakdown", name), count=errors.get(key, 0),
                    help=translate("NerBreakdown", help_text)))
