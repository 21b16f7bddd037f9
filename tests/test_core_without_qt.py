"""Every module of bertdesk.core, bertdesk.app and bertdesk.cli must import, and work, with no Qt installed."""

import subprocess
import sys

BLOCK_QT = """
import sys
class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6', 'qtpy', 'superqt'):
            raise ImportError('Qt is blocked in this test: ' + name)
sys.meta_path.insert(0, BlockQt())
import importlib, pkgutil
import bertdesk.cli, bertdesk.core, bertdesk.app
names = []
for package in (bertdesk.core, bertdesk.app, bertdesk.cli):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):
        if info.name.endswith('.__main__'):
            continue
        importlib.import_module(info.name)
        names.append(info.name)
assert 'bertdesk.core.predictor' in names and 'bertdesk.app.labeling' in names, names
import matplotlib
matplotlib.use('Agg')
from bertdesk.core.attention import render_heatmap
import numpy as np
render_heatmap(np.eye(3), ['a', 'b', 'c'])
assert not [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]
try:
    import PySide6
except ImportError:
    print('blocked-ok')
"""


def test_core_imports_with_qt_blocked():
    out = subprocess.run([sys.executable, "-c", BLOCK_QT], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "blocked-ok" in out.stdout
