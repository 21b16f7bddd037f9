"""Pre-training on one's own text: a tiny model learns a repeated pattern, the folder loads in
transformers.pipeline("fill-mask"), next-sentence pairs, plain text files, resume after a kill,
adapt-then-fine-tune, and the fill-mask command."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from bertdesk.cli import main
from bertdesk.core.model_folder import open_folder

REPO = Path(__file__).resolve().parents[2]


def _pattern(path: Path, n: int = 240) -> Path:
    others = ["my cat is asleep .", "the train was late again .", "we ate rice for dinner ."]
    rows = ["the sky is blue today ." if i % 2 == 0 else others[(i // 2) % 3] for i in range(n)]
    pd.DataFrame({"id": range(n), "text": rows, "label": ["x", ""] * (n // 2)}).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def pretrained(tmp_path_factory, tiny_model_dir):
    tmp = tmp_path_factory.mktemp("pretrain")
    sheet = _pattern(tmp / "texts.csv")
    out = tmp / "adapted"
    assert main(["pretrain", "--train", str(sheet), "--model", str(tiny_model_dir), "--epochs", "12", "--lr", "1e-3",
                 "--max-length", "16", "--out", str(out), "--json", "--quiet"]) == 0
    return out


def test_a_tiny_model_learns_a_repeated_pattern_and_loads_in_the_fill_mask_pipeline(pretrained, capsys):
    from transformers import pipeline

    meta = open_folder(pretrained).meta
    assert meta["task"] == "mlm" and meta["task_state"] == {"nsp": False}
    metrics = meta["metrics"]
    assert metrics["masked_accuracy"] > 0.8 > metrics["before"]["masked_accuracy"]
    assert metrics["perplexity"] < metrics["before"]["perplexity"] / 100
    fill = pipeline("fill-mask", model=str(pretrained))        # loads with the kept pooler beside it
    assert fill("the sky is [MASK] today .")[0]["token_str"] == "blue"
    from safetensors import safe_open
    with safe_open(str(pretrained / "model.safetensors"), "pt") as fh:
        assert {"bert.pooler.dense.weight", "bert.pooler.dense.bias"} <= set(fh.keys())
    assert fill("the [MASK] is blue today .")[0]["token_str"] == "sky"
    assert main(["fill-mask", "--model", str(pretrained), "--text", "my [MASK] is asleep .", "--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["predictions"][0]["token"] == "cat" and len(out["predictions"]) == 5
    assert sum(p["score"] for p in out["predictions"]) <= 1.0001
    # the candidates are words: [SEP], [CLS], [PAD] are never offered, however likely
    from bertdesk.core.fill_mask import fill_mask

    many = fill_mask(pretrained, ["the sky is [MASK] today ."], top_k=100)[0]
    assert len(many) == 100 and not {p["token"] for p in many} & {"[SEP]", "[CLS]", "[PAD]", "[MASK]", "[UNK]"}


def test_fill_mask_on_a_table_and_on_a_model_without_a_head(pretrained, tiny_model_dir, tmp_path, capsys):
    sheet = tmp_path / "probe.csv"
    pd.DataFrame({"sentence": ["the sky is [MASK] today .", "no mask here"]}).to_csv(sheet, index=False)
    out = tmp_path / "filled.csv"
    assert main(["fill-mask", "--model", str(pretrained), "--input", str(sheet), "--text-col", "sentence",
                 "--output", str(out), "--top-k", "3"]) == 0
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert df["pred_tokens"][0].split(";")[0] == "blue" and len(df["pred_scores"][0].split(";")) == 3
    assert df["pred_tokens"][1] == ""
    capsys.readouterr()
    assert main(["fill-mask", "--model", str(tiny_model_dir), "--text", "a [MASK]"]) == 2
    assert "has no masked-language-model head" in capsys.readouterr().err


def test_plain_text_files_give_lines_or_paragraphs(tmp_path):
    from bertdesk.core.tasks.mlm import read_text_documents

    lines = tmp_path / "lines.txt"
    lines.write_text("first text\nsecond text\n\n", encoding="utf-8")
    assert read_text_documents(lines).texts == ["first text", "second text"]
    paragraphs = tmp_path / "paras.txt"
    paragraphs.write_text("one line\nof the first\n\nthe second\n\n\nthe third\n", encoding="utf-8")
    docs = read_text_documents(paragraphs)
    assert docs.texts == ["one line of the first", "the second", "the third"] and list(docs.rows) == [1, 4, 7]


def test_next_sentence_pairs_are_trained_and_reported(tmp_path, tiny_model_dir, capsys):
    texts = tmp_path / "docs.txt"
    docs = [f"Order {i} arrived on time. The box was intact. We will order again." for i in range(40)]
    texts.write_text("\n".join(docs) + "\n", encoding="utf-8")
    assert main(["pretrain", "--train", str(texts), "--model", str(tiny_model_dir), "--nsp", "--max-steps", "8",
                 "--max-length", "24", "--out", str(tmp_path / "nsp"), "--json", "--quiet"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert 0 <= out["nsp_accuracy"] <= 1 and "masked_accuracy" in out
    config = json.loads((tmp_path / "nsp" / "config.json").read_text(encoding="utf-8"))
    assert config["architectures"] == ["BertForPreTraining"]
    from transformers import pipeline
    assert pipeline("fill-mask", model=str(tmp_path / "nsp"))("order [MASK] arrived")


def test_a_killed_pretraining_resumes(tmp_path, tiny_model_dir):
    from bertdesk.core.runs import pending_run, run_dir_for

    sheet = _pattern(tmp_path / "texts.csv", 300)
    out = tmp_path / "adapted"
    cmd = [sys.executable, "-m", "bertdesk.cli", "pretrain", "--train", str(sheet), "--model", str(tiny_model_dir),
           "--max-steps", "200", "--batch-size", "8", "--max-length", "16", "--out", str(out)]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    run_dir = run_dir_for(out)
    deadline = time.time() + 240
    while time.time() < deadline and len(list(run_dir.glob("checkpoint-*"))) < 1:
        time.sleep(0.2)
    time.sleep(0.5)
    proc.kill()
    proc.wait()
    assert not out.exists() and pending_run(out)["job"]["task"] == "mlm"
    resumed = subprocess.run([sys.executable, "-m", "bertdesk.cli", "train", "--resume", str(out)], cwd=REPO,
                             capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "Resuming from checkpoint-" in resumed.stderr
    assert open_folder(out).meta["task"] == "mlm" and not run_dir.exists()


def test_adapt_first_then_fine_tune(tmp_path, tiny_model_dir, workspace):
    from bertdesk.core.config import TrainConfig
    from bertdesk.core.training import train

    sheet = _pattern(tmp_path / "texts.csv", 60)
    df = pd.read_csv(sheet, dtype=str, keep_default_na=False)
    df["label"] = ["a", "b", "", ""] * 15            # half of the rows unlabeled: adaptation reads them too
    df.to_csv(sheet, index=False)
    logs = []
    out = workspace / "models" / "tuned"
    result = train(TrainConfig(train_file=str(sheet), model=str(tiny_model_dir), out_dir=str(out), epochs=1,
                               max_length=16, adapt_first=True, columns={"text": "text", "label": "label"}),
                   on_event=lambda e: logs.append(getattr(e, "message", "")))
    adapted = workspace / "models" / "tuned-adapted"
    assert open_folder(adapted).meta["task"] == "mlm" and open_folder(adapted).meta["n_train"] + \
        open_folder(adapted).meta["n_eval"] == 60
    assert open_folder(result.out_dir).config.model == str(adapted)
    assert any("Adapting the model to 60 texts" in m for m in logs)
    # the masked-language model has no pooler: the base model's is kept for the classifier that follows
    from safetensors.torch import load_file
    base, mine = load_file(str(tiny_model_dir / "model.safetensors")), load_file(str(adapted / "model.safetensors"))
    pooler = {k: v for k, v in base.items() if "pooler." in k}
    assert pooler
    for key, value in pooler.items():
        assert (mine["bert." + key[key.index("pooler."):]] == value).all()
    again = []
    train(TrainConfig(train_file=str(sheet), model=str(tiny_model_dir), out_dir=str(out), epochs=1, max_length=16,
                      adapt_first=True, columns={"text": "text", "label": "label"}),
          on_event=lambda e: again.append(getattr(e, "message", "")))
    assert any("Starting from the model adapted earlier" in m for m in again)
    assert not any("Adapting the model" in m for m in again)
    before = open_folder(adapted).meta["data"]["sha256"]

    df.loc[len(df)] = [str(len(df)), "a new review the first adaptation never read", ""]   # edited: adapt again
    df.to_csv(sheet, index=False)
    edited = []
    train(TrainConfig(train_file=str(sheet), model=str(tiny_model_dir), out_dir=str(out), epochs=1, max_length=16,
                      adapt_first=True, columns={"text": "text", "label": "label"}),
          on_event=lambda e: edited.append(getattr(e, "message", "")))
    assert any("adapted to other texts" in m for m in edited)
    assert any("Adapting the model to 61 texts" in m for m in edited)
    assert not any("Starting from the model adapted earlier" in m for m in edited)
    assert open_folder(adapted).meta["n_train"] + open_folder(adapted).meta["n_eval"] == 61
    assert open_folder(adapted).meta["data"]["sha256"] != before


def test_keeping_the_pooler_is_best_effort(tmp_path, tiny_model_dir):
    """A weights file that cannot be read leaves the folder as it was and the job goes on, warned."""
    from bertdesk.core.pretrain import keep_pooler

    folder = tmp_path / "adapted"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"not a safetensors file")
    logs = []
    assert keep_pooler(str(tiny_model_dir), folder, logs.append) is False
    assert (folder / "model.safetensors").read_bytes() == b"not a safetensors file"
    assert any("Could not keep the base model's pooler" in getattr(e, "message", "") for e in logs)
