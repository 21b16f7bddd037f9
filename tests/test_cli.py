"""The CLI contract: commands, --json last line, exit codes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from bertdesk.cli import main


@pytest.fixture(scope="module")
def cli_model(tmp_path_factory, tiny_model_dir):
    from tests.conftest import write_sentiment_csv

    tmp = tmp_path_factory.mktemp("cli")
    csv = write_sentiment_csv(tmp / "train.csv")
    code = main(["train", "--train", str(csv), "--model", str(tiny_model_dir), "--epochs", "1",
                 "--batch-size", "8", "--max-length", "32", "--out", str(tmp / "model"), "--quiet"])
    assert code == 0
    return tmp / "model"


def _last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


def test_train_json_is_the_last_stdout_line(tmp_path, sentiment_csv, tiny_model_dir, capsys):
    code = main(["train", "--task", "classify", "--train", str(sentiment_csv), "--text-col", "text",
                 "--label-col", "label", "--model", str(tiny_model_dir), "--epochs", "1", "--batch-size", "16",
                 "--lr", "1e-4", "--max-length", "32", "--seed", "3", "--out", str(tmp_path / "m"), "--json"])
    out, err = capsys.readouterr()
    assert code == 0
    result = _last_json(out)
    assert {"accuracy", "macro_f1", "per_class", "confusion_matrix"} <= set(result)
    assert result["n_train"] == 54 and result["out_dir"].endswith("m")
    assert "training" in err                       # progress goes to stderr


def test_evaluate_and_label(cli_model, tmp_path, capsys):
    from tests.conftest import write_sentiment_csv

    data = write_sentiment_csv(tmp_path / "eval.csv", 20, seed=9)
    assert main(["evaluate", "--model", str(cli_model), "--data", str(data), "--json", "--quiet"]) == 0
    assert _last_json(capsys.readouterr().out)["n"] == 20
    out_file = tmp_path / "labeled.xlsx"
    assert main(["label", "--model", str(cli_model), "--input", str(data), "--output", str(out_file),
                 "--text-col", "text", "--json", "--quiet"]) == 0
    assert _last_json(capsys.readouterr().out)["rows"] == 20
    back = pd.read_excel(out_file, dtype=str)
    assert list(back.columns) == ["id", "text", "label", "pred_label", "pred_score"]


def test_attention_png(cli_model, tmp_path, capsys):
    png = tmp_path / "att.png"
    assert main(["attention", "--model", str(cli_model), "--text", "the lamp is great", "--out", str(png),
                 "--layer", "1", "--head", "0", "--json"]) == 0
    assert _last_json(capsys.readouterr().out) == {"out": str(png), "tokens": 6, "layers": 2, "heads": 2}
    assert png.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("argv,needle", [
    (["train", "--train", "missing.csv", "--out", "x"], "missing.csv: file not found"),
    (["train", "--out", "x"], "train needs --train"),
    (["train", "--train", "a.csv", "--out", "x", "--epochs", "0"], "--epochs must be above 0"),
    (["label", "--model", "nope", "--input", "a.csv", "--output", "b.csv"], "model folder not found"),
    (["frobnicate"], "invalid choice"),
    (["attention", "--model", "m"], "required"),
])
def test_bad_input_exits_2_with_one_error_line(argv, needle, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and needle in err[0]


def test_bad_data_exits_2(tmp_path, tiny_model_dir, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01garbage" * 100)
    assert main(["train", "--train", str(bad), "--model", str(tiny_model_dir), "--out", str(tmp_path / "m")]) == 2
    assert "bad.csv: does not look like a text table" in capsys.readouterr().err


def test_save_job_then_train_from_it(tmp_path, sentiment_csv, tiny_model_dir, capsys):
    job = tmp_path / "job.json"
    assert main(["train", "--train", str(sentiment_csv), "--model", str(tiny_model_dir), "--epochs", "1",
                 "--max-length", "32", "--out", str(tmp_path / "from-job"), "--save-job", str(job)]) == 0
    saved = json.loads(job.read_text())
    assert saved["schema"] == "bertdesk.job" and saved["job"]["epochs"] == 1
    assert not (tmp_path / "from-job").exists()
    assert main(["train", "--job", str(job), "--quiet", "--json"]) == 0
    assert (tmp_path / "from-job" / "bertdesk.json").exists()


def test_console_script_entry_point(tmp_path):
    out = subprocess.run([sys.executable, "-m", "bertdesk.cli", "label", "--model", str(tmp_path / "none"),
                          "--input", "a.csv", "--output", "b.csv"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 2
    assert out.stderr.strip() == f"error: {tmp_path.name and 'none'}: model folder not found"


def test_ner_train_and_label_from_cli(tmp_path, tiny_model_dir, samples_dir, capsys):
    out = tmp_path / "ner"
    assert main(["train", "--task", "ner", "--train", str(samples_dir / "news_ner.conll"), "--model",
                 str(tiny_model_dir), "--epochs", "1", "--max-rows", "60", "--out", str(out), "--json", "--quiet"]) == 0
    result = _last_json(capsys.readouterr().out)
    assert {"f1", "precision", "recall", "token_accuracy", "per_type", "errors"} <= set(result)
    sheet = tmp_path / "plain.csv"
    pd.DataFrame({"id": [1, 2], "note": ["Ana Lima visited Porto.", ""]}).to_csv(sheet, index=False)
    assert main(["label", "--model", str(out), "--input", str(sheet), "--output", str(tmp_path / "o.csv"),
                 "--text-col", "note", "--quiet"]) == 0
    back = pd.read_csv(tmp_path / "o.csv", dtype=str, keep_default_na=False)
    assert list(back.columns) == ["id", "note", "pred_tags", "pred_entities"]
    assert len(back.loc[0, "pred_tags"].split()) == 5 and back.loc[1, "pred_tags"] == ""
    for ent in json.loads(back.loc[0, "pred_entities"]):
        assert back.loc[0, "note"][ent["start"]:ent["end"]] == ent["text"]


def test_qa_train_from_csv_with_named_columns(tmp_path, tiny_model_dir, capsys):
    rows = [{"passage": f"The item number {i} ships in {i % 5 + 2} days from Oslo.", "ask": "How long to ship?",
             "ans": f"{i % 5 + 2} days"} for i in range(30)]
    data = tmp_path / "qa.csv"
    pd.DataFrame(rows).to_csv(data, index=False)
    assert main(["train", "--task", "qa", "--train", str(data), "--context-col", "passage", "--question-col", "ask",
                 "--answer-col", "ans", "--model", str(tiny_model_dir), "--epochs", "1", "--max-length", "64",
                 "--stride", "16", "--out", str(tmp_path / "qa"), "--json", "--quiet"]) == 0
    result = _last_json(capsys.readouterr().out)
    assert 0 <= result["exact_match"] <= 1 and 0 <= result["f1"] <= 1 and result["n_eval"] == 3
    bad = tmp_path / "bad.csv"
    pd.DataFrame([{"passage": "Blue or red.", "ask": "Colour?", "ans": "green"}] * 3).to_csv(bad, index=False)
    assert main(["train", "--task", "qa", "--train", str(bad), "--context-col", "passage", "--question-col", "ask",
                 "--answer-col", "ans", "--model", str(tiny_model_dir), "--out", str(tmp_path / "x")]) == 2
    assert "bad.csv, row 2, column 'ans': the answer 'green' is not in its context" in capsys.readouterr().err


def test_preset_gives_a_small_sheet_enough_epochs(tmp_path, capsys):
    from tests.conftest import write_sentiment_csv

    def saved_epochs(csv, *extra):
        job = tmp_path / "job.json"
        assert main(["train", "--train", str(csv), "--preset", "balanced", *extra, "--save-job", str(job)]) == 0
        return json.loads(job.read_text())["job"]["epochs"]

    small = write_sentiment_csv(tmp_path / "small.csv")                 # 54 training rows: 4 steps an epoch
    assert saved_epochs(small) == 10.0                                  # capped at MAX_EPOCHS
    assert saved_epochs(small, "--epochs", "2") == 2.0                  # an explicit --epochs wins
    large = write_sentiment_csv(tmp_path / "large.csv", 1600)           # 1440 rows: 90 steps an epoch
    assert saved_epochs(large) == 3.0                                   # the preset's own 3 epochs
    assert saved_epochs(large, "--batch-size", "64") == 7.0             # 23 steps an epoch: 7 for 150


def test_resume_takes_another_device_and_precision_but_keeps_the_job(tmp_path, sentiment_csv, tiny_model_dir):
    from bertdesk.cli.commands import _train_config
    from bertdesk.cli.parser import build_parser
    from bertdesk.core.config import TrainConfig
    from bertdesk.core.runs import write_state

    out = tmp_path / "model"
    job = TrainConfig(train_file=str(sentiment_csv), model=str(tiny_model_dir), out_dir=str(out), epochs=2,
                      device="cuda", precision="fp16", learning_rate=3e-4)
    write_state(out, "cancelled", job)
    config, resumed = _train_config(build_parser().parse_args(
        ["train", "--resume", str(out), "--device", "cpu", "--precision", "fp32"]))
    assert resumed and (config.device, config.precision) == ("cpu", "fp32")
    assert (config.epochs, config.learning_rate, config.out_dir) == (2, 3e-4, str(out))
    config, _ = _train_config(build_parser().parse_args(["train", "--resume", str(out)]))
    assert (config.device, config.precision) == ("cuda", "fp16")
