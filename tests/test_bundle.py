"""The PyInstaller bundle works from another folder with a minimal environment (run by build/build.sh)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.build

REPO = Path(__file__).resolve().parents[1]
DIST = REPO / "dist" / "bertdesk"
EXE = ".exe" if sys.platform == "win32" else ""


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    if not DIST.is_dir():
        pytest.fail("no bundle in dist/bertdesk: run build/build.sh first")
    target = tmp_path_factory.mktemp("installed") / "bertdesk"
    shutil.copytree(DIST, target, symlinks=True)
    return target


def _minimal_env(home: Path) -> dict:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    if sys.platform == "win32":
        env = {"PATH": os.environ.get("SystemRoot", r"C:\Windows"), "USERPROFILE": str(home),
               "SystemRoot": os.environ.get("SystemRoot", r"C:\Windows")}
    return env


def test_gui_smoke_from_a_copy(bundle, tmp_path):
    out = subprocess.run([str(bundle / f"bertdesk{EXE}"), "--smoke"], env=_minimal_env(tmp_path),
                         capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["ok"] is True and result["window"] is True
    assert result["prediction"]["label"] in ("negative", "positive")
    assert result["model"].startswith("MiniLM")
    assert result["child_process_device"].startswith(("CPU", "CUDA", "NVIDIA", "Apple"))   # spawn works frozen
    assert result["onnxruntime"]


def test_cli_demo_from_a_copy(bundle, tmp_path):
    out = subprocess.run([str(bundle / f"bertdesk-cli{EXE}"), "demo", "--out", str(tmp_path / "demo"), "--epochs", "1",
                          "--json", "--quiet"], env=_minimal_env(tmp_path), capture_output=True, text=True,
                         timeout=900, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    labeled = pd.read_csv(result["labeled"], dtype=str, keep_default_na=False)
    assert len(labeled) == 60 and "pred_label" in labeled.columns
