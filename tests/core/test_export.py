"""Model cards and exports: the card says what the model is and how good; the ONNX export gives
PyTorch's logits; the hf export loads in transformers.pipeline; the model folder is never changed."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bertdesk.cli import main
from bertdesk.core.errors import BertdeskError
from bertdesk.core.export import export_model


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_model_dir):
    from tests.conftest import write_sentiment_csv

    tmp = tmp_path_factory.mktemp("export")
    sheet = write_sentiment_csv(tmp / "reviews.csv", n=80)
    assert main(["train", "--train", str(sheet), "--model", str(tiny_model_dir), "--epochs", "1", "--out",
                 str(tmp / "model"), "--quiet"]) == 0
    return tmp / "model", sheet


def test_every_model_folder_has_a_card(trained):
    from bertdesk.core.model_card import file_sha256

    model, sheet = trained
    card = (model / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\nlibrary_name: transformers\npipeline_tag: text-classification\n")
    meta = json.loads((model / "bertdesk.json").read_text(encoding="utf-8"))
    assert meta["data"]["sha256"] == file_sha256(sheet) and f"SHA-256 `{meta['data']['sha256'][:16]}" in card
    assert "`reviews.csv`" in card and "| Accuracy |" in card and "| baseline: always “" in card
    assert "expected calibration error" in card and "of their word pieces were unknown" in card
    assert 0 <= meta["data"]["unknown_pieces"] < 0.05 and meta["data"]["longer_than_window"] == 0.0


def test_the_onnx_export_gives_pytorchs_logits(trained, tmp_path):
    from bertdesk.core.fast import OnnxModel
    from bertdesk.core.predictor import Predictor

    model, _ = trained
    before = sorted(p.name for p in model.iterdir())
    out = tmp_path / "exported"
    summary = export_model(model, "onnx", out)
    assert summary["max_abs_diff"] < 1e-3 and summary["n_checked"] == 8
    assert summary["change_points"] == 0.0
    assert (out / "model.onnx").is_file() and not list(out.glob("*.safetensors")) and (out / "tokenizer.json").is_file()
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "## Export: onnx" in card and "largest difference of an output" in card and "import onnxruntime" in card
    # independently: ONNX Runtime on the exported file against the torch model
    predictor = Predictor.load(model)
    enc = predictor.tokenizer(["the lamp is great", "it broke on day one, useless"], padding=True,
                              return_tensors="pt")
    torch_logits = predictor.model(**enc).logits.detach().numpy()
    onnx_logits = OnnxModel(out / "model.onnx", ("logits",), 1)(**enc).logits
    assert np.abs(torch_logits - onnx_logits).max() < 1e-3
    assert sorted(p.name for p in model.iterdir()) == before          # the model folder is not touched


def test_the_hf_export_loads_in_a_pipeline(trained, tmp_path):
    from transformers import pipeline

    model, _ = trained
    out = tmp_path / "hf"
    export_model(model, "hf", out)
    assert not (out / "fast").exists() and (out / "model.safetensors").is_file()
    clf = pipeline("text-classification", model=str(out))
    assert clf("the kettle is great")[0]["label"] in ("pos", "neg")


def test_refusals_are_said(trained, tmp_path, tiny_model_dir, capsys):
    model, sheet = trained
    with pytest.raises(BertdeskError, match="another folder than the model's own"):
        export_model(model, "hf", model)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "thesis.txt").write_text("mine", encoding="utf-8")
    assert main(["export", "--model", str(model), "--format", "hf", "--out", str(tmp_path / "docs")]) == 2
    assert "not a bertdesk model" in capsys.readouterr().err
    assert (tmp_path / "docs" / "thesis.txt").read_text(encoding="utf-8") == "mine"
    from bertdesk.core.config import TrainConfig
    from bertdesk.core.training import train
    train(TrainConfig(train_file=str(sheet), model=str(tiny_model_dir), out_dir=str(tmp_path / "frozen"),
                      frozen_encoder=True))
    with pytest.raises(BertdeskError, match="transformers.pipeline does not know"):
        export_model(tmp_path / "frozen", "hf", tmp_path / "frozen-hf")


def test_cli_export_json(trained, tmp_path, capsys):
    model, _ = trained
    assert main(["export", "--model", str(model), "--format", "onnx-int8", "--out", str(tmp_path / "q"),
                 "--json", "--quiet"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["format"] == "onnx-int8" and summary["n_checked"] == 8 and "usage" not in summary
    assert (tmp_path / "q" / "model.onnx").stat().st_size < (model / "model.safetensors").stat().st_size
