"""Measure the GUI's responsiveness; prints one JSON object.

    python build/measure_gui.py [--runs 3] [--epochs 1]

- startup: launch → main window shown and first painted, for a fresh ``python`` process running
  ``bertdesk.gui.app.run(['--smoke'])`` offscreen (median of --runs).
- attention: a 128-token heatmap (bundled model) drawn in the Results page's view, from the
  model's attention weights to the canvas painted (layer average and rollout).
- stall: the longest gap between ticks of a 10 ms QTimer in the GUI thread while the bundled model
  trains on resources/samples/reviews.csv (quick preset) through the real wizard, and while the
  Results page computes its predictions right after, in a fresh process (training itself runs
  in a child process of the window's, the app's way).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def measure_startup(runs: int, tmp: Path) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BERTDESK_WORKSPACE": str(tmp / "ws"),
           "HOME": str(tmp), "XDG_CONFIG_HOME": str(tmp / "config")}
    code = "import sys; from bertdesk.gui.app import run; sys.exit(run(['bertdesk', '--smoke']))"
    shown, painted, inproc = [], [], []
    for _ in range(runs):
        t0 = time.time()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env,
                             timeout=120)
        info = json.loads([ln for ln in out.stdout.splitlines() if ln.startswith("{")][-1])
        painted.append(info["first_paint_epoch"] - t0)
        shown.append(info["shown_s"])
        inproc.append(info["first_paint_s"])
    return {"launch_to_first_paint_s": round(statistics.median(painted), 3),
            "import_to_show_s_in_process": round(statistics.median(shown), 3),
            "import_to_first_paint_s_in_process": round(statistics.median(inproc), 3),
            "runs": runs, "all_launch_to_first_paint_s": [round(v, 3) for v in painted]}


def measure_stall(epochs: float, tmp: Path) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["BERTDESK_WORKSPACE"] = str(tmp / "workspace")
    from PySide6.QtCore import QSettings, QTimer

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    from bertdesk.gui.app import make_app

    app = make_app(["bertdesk"])
    app.setOrganizationName("bertdesk-measure")
    from bertdesk.core.workspace import samples_dir
    from bertdesk.gui.main_window import MainWindow

    window = MainWindow()
    window.show()
    window.open_data(str(samples_dir() / "reviews.csv"))
    wiz = window.wizard
    wiz.go_next()
    wiz.go_next()
    wiz.go_next()
    wiz.settings_page.preset.setCurrentText("quick")
    wiz.settings_page.epochs.setValue(epochs)

    ticks: list[float] = []
    marks: dict[str, float] = {}
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    window.runner.started.connect(lambda n: marks.setdefault(f"{n}_start", time.perf_counter()))
    window.runner.finished.connect(lambda n: marks.setdefault(f"{n}_end", time.perf_counter()))
    timer.start()
    t0 = time.perf_counter()
    wiz.go_next()                                   # Train
    while "evaluate_end" not in marks and time.perf_counter() - t0 < 900:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    window.close()

    def gaps(start, end):
        ts = [t for t in ticks if start <= t <= end]
        g = [b - a for a, b in zip(ts, ts[1:])]
        g.sort()
        return {"max_gap_ms": round(1000 * g[-1], 1) if g else None,
                "p99_gap_ms": round(1000 * g[int(0.99 * (len(g) - 1))], 1) if g else None,
                "gaps_over_50ms": sum(1 for x in g if x > 0.05),
                "gaps_over_100ms": sum(1 for x in g if x > 0.1), "ticks": len(ts),
                "seconds": round(end - start, 1)}

    pairs = sorted(((b - a, a - marks["train_start"]) for a, b in zip(ticks, ticks[1:])), reverse=True)[:8]
    worst = [{"gap_ms": round(1000 * g, 1), "at_s": round(at, 2)} for g, at in pairs]
    return {"worst_gaps": worst,
            "training": gaps(marks["train_start"], marks["train_end"]),
            "results_predictions": gaps(marks.get("evaluate_start", 0), marks.get("evaluate_end", 0)),
            "whole_run": gaps(t0, marks.get("evaluate_end", time.perf_counter())),
            "timer_interval_ms": 10, "model": "bundled", "epochs": epochs, "rows": 300,
            "training_runs_in": "child process"}


def measure_attention(tmp: Path, repeats: int = 5) -> dict:
    """Time from an attention result (128 tokens, bundled model) to the heatmap drawn in the
    AttentionView, for the layer average and for rollout; medians over ``repeats``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from bertdesk.core.attention import attention_of
    from bertdesk.core.predictor import Predictor
    from bertdesk.core.models import bundled_model_path
    from bertdesk.gui.app import make_app

    app = make_app(["bertdesk"])
    from bertdesk.core.config import TrainConfig
    from bertdesk.core.training import train
    from bertdesk.core.workspace import samples_dir
    from bertdesk.gui.views.attention_view import AttentionView

    out = tmp / "attention-model"
    train(TrainConfig(train_file=str(samples_dir() / "reviews.csv"), model=str(bundled_model_path()),
                      columns={"text": "text", "label": "sentiment"}, out_dir=str(out), epochs=0.2,
                      max_length=128, patience=None))
    predictor = Predictor.load(out)
    text = " ".join(["the kettle arrived quickly and works well but the lid is flimsy"] * 12)
    res = attention_of(predictor, text)
    result = {"tokens": list(res.tokens), "attentions": res.attentions, "label": "x", "score": 0.5, "text": text}
    view = AttentionView()
    view.resize(560, 520)
    view.show()
    app.processEvents()
    times = {"average": [], "rollout": []}
    for _ in range(repeats):
        for kind in times:
            view.head.blockSignals(True)
            view.head.setCurrentIndex(1 if kind == "rollout" else 0)
            view.head.blockSignals(False)
            t0 = time.perf_counter()
            view._on_result("attention", result)
            view._canvas.repaint()           # paints now, not at the next turn of the event loop
            app.processEvents()
            times[kind].append(time.perf_counter() - t0)
    return {"tokens": len(res.tokens), "median_ms": {k: round(1000 * statistics.median(v), 1) for k, v in times.items()},
            "max_ms": {k: round(1000 * max(v), 1) for k, v in times.items()}, "repeats": repeats}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--skip-stall", action="store_true")
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument("--attention-only", action="store_true", help="only the heatmap render time")
    parser.add_argument("--stall-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bertdesk-measure-"))
    if args.stall_only:
        print(json.dumps(measure_stall(args.epochs, tmp)))
        return 0
    if args.attention_only:
        print(json.dumps({"attention_render": measure_attention(tmp)}), flush=True)
        os._exit(0)            # Qt objects of a bare view need not be torn down one by one
    result = {"cpu_count": os.cpu_count()}
    if not args.skip_startup:
        result["startup"] = measure_startup(args.runs, tmp)
    if not args.skip_stall:
        out = subprocess.run([sys.executable, __file__, "--stall-only", "--epochs", str(args.epochs)],
                             capture_output=True, text=True, cwd=REPO, timeout=1800)
        lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
        result["main_thread_stall"] = json.loads(lines[-1]) if lines else {"error": out.stderr[-2000:]}
    out = subprocess.run([sys.executable, __file__, "--attention-only"], capture_output=True, text=True, cwd=REPO,
                         timeout=1800)
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    result.update(json.loads(lines[-1]) if lines else {"attention_render": {"error": out.stderr[-2000:]}})
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
