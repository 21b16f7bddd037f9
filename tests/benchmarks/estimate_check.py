"""How close the wizard's training-time estimate comes to real runs.

Trains the bundled model on the project's sample sheets (and, when ../shared/data is there, SST-2
and GoEmotions samples with long windows), each with the settings the wizard would pick, and
prints the estimate (bertdesk.core.estimate, as the Settings page computes it) beside the wall time
of bertdesk.core.training.train.

    python tests/benchmarks/estimate_check.py [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

SHARED = HERE.parents[2] / "shared" / "data"


def cases(tmp: Path) -> list[dict]:
    import pandas as pd

    from bertdesk.core.workspace import samples_dir

    s = samples_dir()
    out = [
        {"name": "reviews.csv, balanced (10 epochs)", "task": "classify", "file": s / "reviews.csv",
         "epochs": 10, "max_length": 128},
        {"name": "reviews.csv, quick (10 epochs)", "task": "classify", "file": s / "reviews.csv",
         "epochs": 10, "max_length": 64},
        {"name": "news_ner.conll, balanced", "task": "ner", "file": s / "news_ner.conll", "epochs": 10,
         "max_length": 128},
        {"name": "product_faq_qa.csv, 384 tokens", "task": "qa", "file": s / "product_faq_qa.csv",
         "epochs": 10, "max_length": 384},
    ]
    sst = SHARED / "sst2" / "train.tsv"
    if sst.exists():
        df = pd.read_csv(sst, sep="\t").sample(2000, random_state=0)
        path = tmp / "sst2_2000.csv"
        df.to_csv(path, index=False)
        out.append({"name": "SST-2 2,000 rows, 1 epoch", "task": "classify", "file": path, "epochs": 1,
                    "max_length": 128})
    squad = SHARED / "squad_v1.1" / "dev-v1.1.json"
    if squad.exists():
        # long texts: SQuAD contexts (~160 tokens) classified by article, in 64-token windows
        data = json.loads(squad.read_text(encoding="utf-8"))["data"][:6]
        rows = [{"text": p["context"], "label": a["title"]} for a in data for p in a["paragraphs"]]
        path = tmp / "contexts.csv"
        pd.DataFrame(rows).to_csv(path, index=False)
        out.append({"name": f"{len(rows)} SQuAD contexts, 64-token windows", "task": "classify",
                    "file": path, "epochs": 3, "max_length": 64})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json")
    args = ap.parse_args(argv)

    from bertdesk.core.config import TrainConfig
    from bertdesk.core.estimate import estimate_train_seconds, model_scale
    from bertdesk.core.prepare import prepare_data
    from bertdesk.core.tasks import task_for_config
    from bertdesk.core.training import train

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for i, case in enumerate(cases(tmp)):
            config = TrainConfig(task=case["task"], train_file=str(case["file"]), out_dir=str(tmp / f"m{i}"),
                                 epochs=case["epochs"], batch_size=16, learning_rate=5e-5,
                                 max_length=case["max_length"], eval_fraction=0.2, patience=None)
            task = task_for_config(config)
            data = prepare_data(config, task)
            estimate = estimate_train_seconds(task, data.train, data.n_train, data.n_eval,
                                              epochs=config.epochs, batch_size=config.batch_size,
                                              scale=model_scale("bundled"))
            t0 = time.perf_counter()
            train(config)
            wall = time.perf_counter() - t0
            row = {"case": case["name"], "n_train": data.n_train, "n_eval": data.n_eval,
                   "estimate_s": round(estimate, 1), "wall_s": round(wall, 1), "ratio": round(estimate / wall, 2)}
            results.append(row)
            print(f"{row['case']:45s} train {row['n_train']:5d}  estimate {row['estimate_s']:7.1f} s  "
                  f"real {row['wall_s']:7.1f} s  estimate/real {row['ratio']:.2f}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
