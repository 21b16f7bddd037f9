"""The interface's language: English (the source texts) or Simplified Chinese.

Texts are marked where they are written: ``self.tr("…")`` in a QObject, ``translate("Context", "…")``
elsewhere in the GUI, and ``QT_TRANSLATE_NOOP("Context", "…")`` (``bertdesk.core.i18n``) for texts the
Qt-free core hands the GUI (task names, column roles), translated where the GUI shows them.
``translations/bertdesk_zh_CN.ts`` holds the Chinese; ``pyside6-lupdate`` collects the marked texts
into it (``python build/translations.py update``) and ``pyside6-lrelease`` compiles it into the ``.qm``
file Qt reads (``python build/translations.py release``; the bundle build does it). A checkout that has
no ``.qm`` yet compiles one into the user's cache folder the first time the language is used.

The language comes from the Language setting (``ui/language``: "auto", "en", "zh_CN"); "auto" follows
the system locale. It applies when the app starts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QStandardPaths, QTranslator

from bertdesk.core.i18n import QT_TRANSLATE_NOOP

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}      # each in its own language
SETTING = "ui/language"
PROPERTY = "bertdesk_language"


def translate(context: str, text: str) -> str:
    """``text`` in the interface's language (``context``: the name lupdate filed it under)."""
    return QCoreApplication.translate(context, text)


def core_text(text: str) -> str:
    """A text the core marked with ``QT_TRANSLATE_NOOP("core", …)``, in the interface's language."""
    return QCoreApplication.translate("core", text) if text else text


UNITS = {"rows": QT_TRANSLATE_NOOP("units", "rows"), "sentences": QT_TRANSLATE_NOOP("units", "sentences"),
         "questions": QT_TRANSLATE_NOOP("units", "questions"), "texts": QT_TRANSLATE_NOOP("units", "texts"),
         "labels": QT_TRANSLATE_NOOP("units", "labels"), "tags": QT_TRANSLATE_NOOP("units", "tags")}


def unit_text(word: str) -> str:
    """A task's ``unit`` or ``label_noun`` ("rows", "sentences", "tags"…) in the interface's language."""
    return QCoreApplication.translate("units", UNITS[word]) if word in UNITS else word


def system_language(locale: QLocale | None = None) -> str:
    """The supported language closest to ``locale`` (the system's): Chinese for any Chinese locale
    written in simplified characters (mainland China, Singapore), else English."""
    locale = locale or QLocale.system()
    if locale.language() == QLocale.Language.Chinese and locale.script() != QLocale.Script.TraditionalChineseScript:
        return "zh_CN"
    return "en"


def chosen_language(settings=None) -> str:
    """The language the app starts in: the setting, else the system's."""
    if settings is None:
        from .util import settings as app_settings
        settings = app_settings()
    value = str(settings.value(SETTING, "auto") or "auto")
    return value if value in LANGUAGES else system_language()


def qt_tool(name: str) -> str | None:
    """Qt's ``lupdate`` or ``lrelease`` as PySide6 ships it (beside the package, or its pyside6- script)."""
    import PySide6

    for candidate in (Path(PySide6.__file__).parent / n for n in (name, name + ".exe")):
        if candidate.is_file():
            return str(candidate)
    return shutil.which("pyside6-" + name)


def qm_file(language: str) -> Path | None:
    """The compiled translation for ``language``: the one beside the sources when it is up to date
    (the bundle, a build), else one compiled into the cache folder; None when neither can be had."""
    ts = TRANSLATIONS / f"bertdesk_{language}.ts"
    built = TRANSLATIONS / f"bertdesk_{language}.qm"
    if built.is_file() and (not ts.is_file() or built.stat().st_mtime >= ts.stat().st_mtime):
        return built
    if not ts.is_file():
        return None
    cache = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation) or
                 tempfile.gettempdir()) / "translations"
    cached = cache / f"bertdesk_{language}-{int(ts.stat().st_mtime)}-{ts.stat().st_size}.qm"
    if cached.is_file():
        return cached
    tool = qt_tool("lrelease")
    if tool is None:
        return None
    cache.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache, suffix=".qm.part")
    os.close(fd)
    try:
        subprocess.run([tool, "-silent", str(ts), "-qm", tmp], check=True, capture_output=True, timeout=60)
        os.replace(tmp, cached)
    except (OSError, subprocess.SubprocessError):
        Path(tmp).unlink(missing_ok=True)
        return None
    return cached


def install(app, language: str | None = None) -> str:
    """Put the language's translators on ``app`` (bertdesk's texts and Qt's own dialogs); returns
    the language in use ("en" when the translation cannot be loaded)."""
    language = language or chosen_language()
    for old in getattr(app, "_bertdesk_translators", ()):
        app.removeTranslator(old)
    app._bertdesk_translators = []
    app.setProperty(PROPERTY, "en")
    QLocale.setDefault(QLocale.system())
    if language == "en":
        return "en"
    ours = QTranslator(app)
    path = qm_file(language)
    if path is None or not ours.load(str(path)):
        return "en"
    app.installTranslator(ours)
    app._bertdesk_translators.append(ours)
    qt = QTranslator(app)        # the standard buttons and dialogs (OK, Cancel, file dialogs)
    if qt.load(QLocale(language), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        app._bertdesk_translators.append(qt)
    QLocale.setDefault(QLocale(language))
    app.setProperty(PROPERTY, language)
    return language


def current_language() -> str:
    """The language ``install`` put on the running application ("en" before it ran)."""
    app = QCoreApplication.instance()
    return str(app.property(PROPERTY) or "en") if app is not None else "en"
