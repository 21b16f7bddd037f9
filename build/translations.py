"""The interface's translations (Qt's own tools, shipped with PySide6).

  python build/translations.py update    collect the marked texts of bertdesk/gui and bertdesk/core
                                         into bertdesk/gui/translations/bertdesk_<lang>.ts
                                         (pyside6-lupdate; existing translations are kept)
  python build/translations.py release   compile each .ts into the .qm the app loads (pyside6-lrelease)
  python build/translations.py check     the texts still untranslated, per language (exit 1 if any)
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "bertdesk" / "gui" / "translations"
LANGUAGES = ("zh_CN",)


def sources() -> list[str]:
    files = sorted((ROOT / "bertdesk" / "gui").rglob("*.py")) + sorted((ROOT / "bertdesk" / "core").rglob("*.py"))
    return [str(f.relative_to(ROOT)) for f in files if "QT_TRANSLATE_NOOP" in f.read_text(encoding="utf-8")
            or "tr(" in f.read_text(encoding="utf-8") or "translate(" in f.read_text(encoding="utf-8")]


def tool(name: str) -> str | None:
    sys.path.insert(0, str(ROOT))
    from bertdesk.gui.i18n import qt_tool

    return qt_tool(name)


def update() -> None:
    for lang in LANGUAGES:
        ts = FOLDER / f"bertdesk_{lang}.ts"
        subprocess.run([tool("lupdate"), "-no-obsolete", "-locations", "none", *sources(), "-ts",
                        str(ts.relative_to(ROOT))], cwd=ROOT, check=True)


def release() -> None:
    for lang in LANGUAGES:
        ts = FOLDER / f"bertdesk_{lang}.ts"
        subprocess.run([tool("lrelease"), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)


def untranslated(lang: str) -> list[tuple[str, str]]:
    tree = ET.parse(FOLDER / f"bertdesk_{lang}.ts")
    missing = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            tr = message.find("translation")
            if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete") or not (tr.text or "").strip():
                if tr is None or tr.get("type") not in ("vanished", "obsolete"):
                    missing.append((name, message.findtext("source") or ""))
    return missing


def main(argv: list[str]) -> int:
    what = argv[1] if len(argv) > 1 else ""
    if what == "update":
        update()
    elif what == "release":
        release()
    elif what == "check":
        bad = 0
        for lang in LANGUAGES:
            missing = untranslated(lang)
            bad += len(missing)
            print(f"{lang}: {len(missing)} untranslated")
            for context, source in missing[:50]:
                print(f"  [{context}] {source}")
        return 1 if bad else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
