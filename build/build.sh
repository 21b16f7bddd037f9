#!/usr/bin/env bash
# Build the one-folder bundle for this OS into dist/bertdesk, then test it from a copy elsewhere.
#   bash build/build.sh            build + smoke test
#   SKIP_TEST=1 bash build/build.sh  build only
set -euo pipefail
cd "$(dirname "$0")/.."
py="${PYTHON:-python3}"
"$py" -m pip install -q torch==2.13.0 && "$py" -m pip install -q -e ".[dev,build]"
work="${PYI_WORKPATH:-${TMPDIR:-/tmp}/bertdesk-pyi-work}"   # PyInstaller's scratch stays out of build/
start=$(date +%s)
"$py" -m PyInstaller build/bertdesk.spec --noconfirm --clean --log-level WARN --workpath "$work" --distpath dist
echo "built dist/bertdesk in $(( $(date +%s) - start )) s, $(du -sh dist/bertdesk | cut -f1)"
if [ -z "${SKIP_TEST:-}" ]; then
  "$py" -m pytest -q -m build tests/test_bundle.py
fi
