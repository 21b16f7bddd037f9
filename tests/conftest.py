"""Shared fixtures: a tiny random BERT (fast) with the bundled tokenizer, and small data files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# never touch the real user's workspace or logs
import tempfile  # noqa: E402
_SCRATCH = tempfile.mkdtemp(prefix="bertdesk-tests-")
os.environ.setdefault("BERTDESK_WORKSPACE", os.path.join(_SCRATCH, "workspace"))
os.environ.setdefault("BERTDESK_LOG_DIR", os.path.join(_SCRATCH, "logs"))

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "resources" / "samples"


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A workspace of the test's own (models, kept labeling results)."""
    ws = tmp_path / "workspace"
    ws.mkdir()
    monkeypatch.setenv("BERTDESK_WORKSPACE", str(ws))
    return ws


def make_tiny_bert(path: Path) -> Path:
    """A randomly initialised 2-layer BERT saved with the bundled model's tokenizer."""
    from transformers import BertConfig, BertModel

    from bertdesk.core.models import bundled_model_path, load_tokenizer, quiet_transformers

    quiet_transformers()
    tokenizer = load_tokenizer(str(bundled_model_path()))
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=128, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=512, max_position_embeddings=512)
    import torch
    torch.manual_seed(0)
    BertModel(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    return make_tiny_bert(tmp_path_factory.mktemp("tiny-bert"))


def write_sentiment_csv(path: Path, n: int = 60, seed: int = 0) -> Path:
    """A small, easily separable sentiment CSV written by the test itself."""
    import random

    rng = random.Random(seed)
    good = ["great", "excellent", "love it", "works perfectly", "very happy", "fantastic"]
    bad = ["terrible", "broke quickly", "awful", "want a refund", "very poor", "useless"]
    things = ["kettle", "lamp", "backpack", "charger", "headphones"]
    rows = ["id,text,label"]
    for i in range(n):
        positive = i % 2 == 0
        word = rng.choice(good if positive else bad)
        rows.append(f'{i},"The {rng.choice(things)} is {word}, honestly",{"pos" if positive else "neg"}')
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def sentiment_csv(tmp_path) -> Path:
    return write_sentiment_csv(tmp_path / "sentiment.csv")


@pytest.fixture
def samples_dir() -> Path:
    return SAMPLES


def copy_sample(name: str, dest: Path) -> Path:
    target = dest / name
    shutil.copy(SAMPLES / name, target)
    return target


def as_format1(model_dir: Path, dest: Path) -> Path:
    """A copy of a model folder with its bertdesk.json as bertdesk 0.1 wrote it after
    ``bertdesk-cli train`` without ``--max-length``: the settings twice, window length null."""
    import json
    import shutil

    shutil.copytree(model_dir, dest)
    meta = json.loads((dest / "bertdesk.json").read_text(encoding="utf-8"))
    config = dict(meta.pop("config"), max_length=None, stride=None)
    columns = config.pop("columns")
    task_config = {**meta.pop("task_state"), "max_length": None, "long_text": config["long_text"], "stride": None}
    meta.update(format_version=1, hyperparameters=config, task_config=task_config, columns=columns,
                base_model=config["model"])
    (dest / "bertdesk.json").write_text(json.dumps(meta), encoding="utf-8")
    return dest
