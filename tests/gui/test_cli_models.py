"""The CLI and the app agree: a model folder written by ``bertdesk-cli train`` opens in Results, and the
same settings give the same task (the same QA window stride) whichever of the two built them."""

from __future__ import annotations

import json

from bertdesk.cli import main
from bertdesk.core.config import load_job
from bertdesk.core.tasks import task_for_config
from bertdesk.core.workspace import samples_dir

from tests.conftest import as_format1

from .helpers import setup_training

TIMEOUT_MS = 240_000


def test_cli_model_trained_without_max_length_opens_in_results(window, qtbot, workspace, tmp_path,
                                                               tiny_model_dir, sentiment_csv, dialogs):
    out = workspace / "models" / "from-cli"
    assert main(["train", "--train", str(sentiment_csv), "--model", str(tiny_model_dir), "--epochs", "1",
                 "--batch-size", "16", "--out", str(out), "--quiet"]) == 0
    meta = json.loads((out / "bertdesk.json").read_text(encoding="utf-8"))
    assert meta["config"]["max_length"] == 128                  # saved as used: the task's default
    # and as the previous version saved it: format 1, window length null
    old = as_format1(out, workspace / "models" / "from-cli-0.1")
    for folder in (out, old):
        with qtbot.waitSignal(window.results.predictionsShown, timeout=TIMEOUT_MS):
            window.show_results(str(folder))
        results = window.results
        assert results.model.rowCount() == meta["n_eval"] > 0
        assert results.cards["accuracy"].value.text() == f"{meta['metrics']['accuracy']:.1%}"
    assert not dialogs.errors


def test_cli_and_wizard_give_the_same_qa_stride(window, qtbot, tmp_path, tiny_model_dir):
    data = samples_dir() / "product_faq_qa.csv"
    wiz = setup_training(window, qtbot, data, tiny_model_dir)
    assert wiz.task_page.choice.name == "qa"
    wiz.settings_page.max_length.setValue(128)
    from_wizard = task_for_config(wiz.build_config())

    job = tmp_path / "qa-job.json"
    assert main(["train", "--task", "qa", "--train", str(data), "--model", str(tiny_model_dir),
                 "--max-length", "128", "--save-job", str(job)]) == 0
    from_cli = task_for_config(load_job(job, out_given=True))

    assert from_wizard.max_length == from_cli.max_length == 128
    assert from_wizard.stride == from_cli.stride == 64        # half of a short window, not SQuAD's 128
    wiz.settings_page.max_length.setValue(384)
    assert task_for_config(wiz.build_config()).stride == 128
