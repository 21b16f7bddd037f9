"""bertdesk.core must import, and work, with no Qt installed."""

import subprocess
import sys

BLOCK_QT = """
import sys
class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6', 'qtpy', 'superqt'):
            raise ImportError('Qt is blocked in this test: ' + name)
sys.meta_path.insert(0, BlockQt())
import bertdesk.cli
import bertdesk.core.data, bertdesk.core.training, bertdesk.core.inference, bertdesk.core.attention
import bertdesk.core.metrics, bertdesk.core.io, bertdesk.core.tasks
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
