"""Training with the tiny model: the saved folder, events, cancel, resume, pipeline compatibility."""

from __future__ import annotations

import json
import os

import pytest

from bertdesk.core.cancel import CancelToken, Cancelled
from bertdesk.core.config import TrainConfig
from bertdesk.core.errors import DataError, ModelError
from bertdesk.core.events import Metrics, Progress
from bertdesk.core.runs import last_checkpoint, pending_run, run_dir_for
from bertdesk.core.training import train


def _config(tmp_path, csv, model, **kw):
    base = dict(train_file=str(csv), model=str(model), out_dir=str(tmp_path / "model"), epochs=2,
                batch_size=8, learning_rate=5e-4, max_length=32)
    base.update(kw)
    return TrainConfig(**base)


def test_train_writes_a_complete_model_folder(tmp_path, sentiment_csv, tiny_model_dir):
    events = []
    result = train(_config(tmp_path, sentiment_csv, tiny_model_dir), on_event=events.append)
    out = tmp_path / "model"
    names = {p.name for p in out.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "bertdesk.json"} <= names
    assert not any(n.endswith((".bin", ".pt")) for n in names)
    assert not run_dir_for(out).exists()                    # checkpoints cleaned up after success
    config = json.loads((out / "config.json").read_text())
    assert config["id2label"] == {"0": "neg", "1": "pos"}
    meta = json.loads((out / "bertdesk.json").read_text())
    assert meta["task"] == "classify" and meta["config"]["columns"] == {"text": "text", "label": "label"}
    assert meta["metrics"]["n"] == 6 and "confusion_matrix" in meta["metrics"]
    assert meta["config"]["learning_rate"] == 5e-4
    assert meta["versions"]["transformers"]
    assert result.n_train == 54 and result.n_eval == 6
    # events: progress to the end, train losses, one evaluation per epoch
    steps = [e for e in events if isinstance(e, Progress) and e.phase == "training"]
    assert steps[-1].done == steps[-1].total == 14
    evals = [e for e in events if isinstance(e, Metrics) and e.split == "eval"]
    assert len(evals) == 2 and "accuracy" in evals[0].values
    assert any(isinstance(e, Metrics) and e.split == "train" and "loss" in e.values for e in events)
    assert [h["split"] for h in meta["history"]].count("eval") == 2
    # the new classification head learns at 10 x the encoder's learning rate, and the log says so
    assert any(getattr(e, "message", "") == "The new head learns at 10 x the learning rate (0.005)" for e in events)


def test_saved_folder_loads_in_transformers_pipeline(tmp_path, sentiment_csv, tiny_model_dir):
    from transformers import pipeline

    train(_config(tmp_path, sentiment_csv, tiny_model_dir, epochs=1))
    classify = pipeline("text-classification", model=str(tmp_path / "model"))
    out = classify(["the kettle is great"])
    assert out[0]["label"] in {"neg", "pos"} and 0 <= out[0]["score"] <= 1


def test_cancel_stops_within_a_step_and_leaves_no_model(tmp_path, sentiment_csv, tiny_model_dir):
    token = CancelToken()
    seen = []

    def on_event(e):
        if isinstance(e, Progress) and e.phase == "training":
            seen.append(e.done)
            if e.done == 3:
                token.cancel()

    with pytest.raises(Cancelled):
        train(_config(tmp_path, sentiment_csv, tiny_model_dir, epochs=3), on_event, token)
    assert max(seen) == 3
    assert not (tmp_path / "model").exists()
    assert pending_run(tmp_path / "model")["status"] == "cancelled"


def test_resume_continues_from_thelast_checkpoint(tmp_path, sentiment_csv, tiny_model_dir):
    config = _config(tmp_path, sentiment_csv, tiny_model_dir, epochs=3, eval_steps=5, patience=None)
    token = CancelToken()

    def stop_at_12(e):
        if isinstance(e, Progress) and e.phase == "training" and e.done == 12:
            token.cancel()

    with pytest.raises(Cancelled):
        train(config, stop_at_12, token)
    checkpoints = sorted(p.name for p in run_dir_for(tmp_path / "model").glob("checkpoint-*"))
    assert checkpoints == ["checkpoint-10", "checkpoint-5"]
    starts = []
    train(config, lambda e: starts.append(e.done) if isinstance(e, Progress) and e.phase == "training" else None,
          resume=True)
    assert starts[0] == 10                  # at most one evaluation interval was lost
    assert starts[-1] == 21
    assert (tmp_path / "model" / "model.safetensors").exists()


def test_the_run_records_the_heads_rate_and_an_older_run_resumes_at_one_rate(tmp_path, sentiment_csv,
                                                                              tiny_model_dir):
    """run.json records the head's learning-rate multiple, so a resumed run splits its optimizer as
    the checkpoint's was split; a run whose run.json left it to the task (as runs did when a
    classification head trained at 1 x) resumes at 1 x: its saved optimizer fits no other split."""
    import shutil

    def interrupted():
        token = CancelToken()

        def stop_at_7(e):
            if isinstance(e, Progress) and e.phase == "training" and e.done == 7:
                token.cancel()

        with pytest.raises(Cancelled):
            train(_config(tmp_path, sentiment_csv, tiny_model_dir, epochs=2, eval_steps=5, patience=None),
                  stop_at_7, token)
        return run_dir_for(tmp_path / "model") / "run.json"

    state = interrupted()
    assert json.loads(state.read_text())["job"]["head_lr_factor"] == 10.0
    shutil.rmtree(state.parent)
    # an older run: its head trained at 1 x, its run.json without the factor
    token = CancelToken()
    with pytest.raises(Cancelled):
        train(_config(tmp_path, sentiment_csv, tiny_model_dir, epochs=2, eval_steps=5, patience=None,
                      head_lr_factor=1.0),
              lambda e: token.cancel() if isinstance(e, Progress) and e.phase == "training" and e.done == 7 else None,
              token)
    older = json.loads(state.read_text())
    older["job"]["head_lr_factor"] = None
    state.write_text(json.dumps(older))
    events = []
    train(_config(tmp_path, sentiment_csv, tiny_model_dir, epochs=2, eval_steps=5, patience=None),
          events.append, resume=True)
    assert any(getattr(e, "message", "").startswith("Resuming from checkpoint-5") for e in events)
    assert not any(getattr(e, "message", "").startswith("The new head learns at") for e in events)
    meta = json.loads((tmp_path / "model" / "bertdesk.json").read_text())
    assert meta["config"]["head_lr_factor"] == 1.0


def test_multilabel_training_saves_thresholds(tmp_path, tiny_model_dir):
    rows = ["text,topics"]
    for i in range(40):
        rows.append(f"invoice charged twice {i},billing" if i % 3 == 0 else
                    f"package tracking late {i},shipping" if i % 3 == 1 else f"charged and package lost {i},billing;shipping")
    csv = tmp_path / "ml.csv"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    train(_config(tmp_path, csv, tiny_model_dir, task="multilabel", epochs=1))
    meta = json.loads((tmp_path / "model" / "bertdesk.json").read_text())
    assert meta["task_state"]["labels"] == ["billing", "shipping"]
    assert len(meta["task_state"]["thresholds"]) == 2
    assert {"micro_f1", "macro_f1", "per_class", "thresholds"} <= set(meta["metrics"])
    cfg = json.loads((tmp_path / "model" / "config.json").read_text())
    assert cfg["problem_type"] == "multi_label_classification"


def test_bad_model_and_bad_data_are_user_errors(tmp_path, sentiment_csv, tiny_model_dir):
    with pytest.raises(ModelError, match="not found"):
        train(_config(tmp_path, sentiment_csv, tmp_path / "no-such-model"))
    one_class = tmp_path / "one.csv"
    one_class.write_text("text,label\na,x\nb,x\nc,x\n", encoding="utf-8")
    with pytest.raises(DataError, match="same label"):
        train(_config(tmp_path, one_class, tiny_model_dir))
    assert not (tmp_path / "model").exists()


def test_pickle_only_model_folder_is_refused(tmp_path, sentiment_csv):
    folder = tmp_path / "pickled"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    (folder / "pytorch_model.bin").write_bytes(b"not loaded")
    with pytest.raises(ModelError, match="pickle"):
        train(_config(tmp_path, sentiment_csv, folder))


def test_model_folder_without_tokenizer_is_a_user_error(tmp_path, tiny_model_dir):
    import shutil

    from bertdesk.core.models import load_tokenizer

    folder = tmp_path / "weights-only"
    folder.mkdir()
    for name in ("config.json", "model.safetensors"):
        shutil.copy(tiny_model_dir / name, folder / name)
    with pytest.raises(ModelError) as err:
        load_tokenizer(str(folder))
    assert "\n" not in str(err.value) and "weights-only" in str(err.value)


def test_length_grouping_is_on_except_for_ner_unless_chosen():
    from bertdesk.core.tasks import task_for_config
    from bertdesk.core.training import grouped_batches

    def grouped(**kw):
        config = TrainConfig(**kw)
        return grouped_batches(config, task_for_config(config))

    assert grouped(task="classify") and grouped(task="qa") and grouped(task="multilabel")
    assert not grouped(task="ner")
    assert grouped(task="ner", group_by_length=True)
    assert not grouped(task="classify", group_by_length=False)
    # job files keep the choice (None: the per-task default)
    assert TrainConfig.from_dict(TrainConfig(task="ner").to_dict()).group_by_length is None


def test_resume_skips_a_checkpoint_that_a_kill_left_half_written(tmp_path):
    def checkpoint(step, files):
        folder = tmp_path / f"checkpoint-{step}"
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        return folder

    whole = {"model.safetensors": "w", "optimizer.pt": "o", "scheduler.pt": "s", "trainer_state.json": "{}"}
    assert last_checkpoint(tmp_path) is None
    checkpoint(10, whole)
    checkpoint(20, whole)
    checkpoint(30, {"model.safetensors": "w"})                        # killed after the weights
    checkpoint(40, {**whole, "trainer_state.json": '{"global_st'})   # killed inside the last file
    (tmp_path / "checkpoint-x").mkdir()
    assert last_checkpoint(tmp_path) == str(tmp_path / "checkpoint-20")
    (tmp_path / "checkpoint-20" / "optimizer.pt").unlink()           # an old one deleted file by file
    assert last_checkpoint(tmp_path) == str(tmp_path / "checkpoint-10")
    assert last_checkpoint(tmp_path / "missing") is None


def test_presets_raise_epochs_only_for_sheets_too_small_for_150_steps():
    from bertdesk.core.config import PRESETS, preset_values

    assert preset_values("balanced") == PRESETS["balanced"]
    assert preset_values("balanced", 3200)["epochs"] == 3.0          # 200 steps an epoch
    assert preset_values("balanced", 240)["epochs"] == 10.0          # 15 steps an epoch: 10 epochs
    assert preset_values("balanced", 800)["epochs"] == 3.0           # 50 steps an epoch: 150 at 3
    assert preset_values("thorough", 400)["epochs"] == 6.0           # 25 steps an epoch
    assert preset_values("quick", 20)["epochs"] == 10.0              # capped
    assert preset_values("nope", 100) is None
    assert PRESETS["balanced"]["epochs"] == 3.0                      # the table itself is not changed


def test_multilabel_head_starts_at_each_labels_log_odds(tmp_path, tiny_model_dir):
    import numpy as np
    from safetensors.numpy import load_file

    rows = ["text,topics"] + [f"row {i},{'billing;shipping' if i % 10 == 0 else 'billing' if i % 2 else 'refund'}"
                              for i in range(40)]
    csv = tmp_path / "ml.csv"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    # learning rate 0: the saved head is the head training started from
    events = []
    train(_config(tmp_path, csv, tiny_model_dir, task="multilabel", epochs=1, learning_rate=0.0, eval_file=str(csv)),
          on_event=events.append)
    assert any(getattr(e, "message", "").startswith("The new head learns at 10 x") for e in events)
    meta = json.loads((tmp_path / "model" / "bertdesk.json").read_text())
    bias = load_file(str(tmp_path / "model" / "model.safetensors"))["classifier.bias"]
    rate = {"billing": 24 / 40, "refund": 16 / 40, "shipping": 4 / 40}
    expected = [np.log(rate[label] / (1 - rate[label])) for label in meta["task_state"]["labels"]]
    assert np.allclose(bias, expected, atol=1e-5)


def test_the_new_head_gets_its_own_learning_rate(tmp_path, tiny_model_dir):
    from transformers import BertForSequenceClassification, TrainingArguments

    from bertdesk.core.models import load_model
    from bertdesk.core.training import _trainer_class

    model, new = load_model(BertForSequenceClassification, str(tiny_model_dir), with_new=True, num_labels=3)
    assert new == {"classifier.weight", "classifier.bias"}
    trainer = _trainer_class()(model=model, args=TrainingArguments(output_dir=str(tmp_path), learning_rate=2e-5,
                                                                   use_cpu=True, report_to="none"))
    trainer.head_parameters, trainer.head_lr_factor = frozenset(new), 10.0
    groups = trainer.create_optimizer().param_groups
    names = {id(p): n for n, p in model.named_parameters()}
    lr_of = {names[id(p)]: g["lr"] for g in groups for p in g["params"]}
    assert len(lr_of) == len(names)                              # every parameter learns, once
    assert lr_of["classifier.weight"] == lr_of["classifier.bias"] == pytest.approx(2e-4)
    assert {lr for n, lr in lr_of.items() if not n.startswith("classifier.")} == {2e-5}


@pytest.mark.parametrize("patience", [None, 1])
def test_the_final_evaluation_reuses_the_last_one_when_that_model_is_kept(tmp_path, sentiment_csv, tiny_model_dir,
                                                                          monkeypatch, patience):
    """One evaluation pass fewer: the model kept is the one the last epoch evaluated, unless an
    earlier epoch was better (then the kept model is evaluated again)."""
    from transformers import Trainer

    calls = []
    real_predict = Trainer.predict

    def counting_predict(self, *args, **kwargs):
        calls.append(self.state.global_step)
        return real_predict(self, *args, **kwargs)

    monkeypatch.setattr(Trainer, "predict", counting_predict)
    config = _config(tmp_path, sentiment_csv, tiny_model_dir, epochs=3, patience=patience)
    result = train(config)
    meta = json.loads((tmp_path / "model" / "bertdesk.json").read_text())
    evals = [h for h in meta["history"] if h["split"] == "eval"]
    best = max(range(len(evals)), key=lambda i: evals[i]["accuracy"])     # Trainer keeps the first best
    if best == len(evals) - 1:
        assert calls == []
    else:
        assert len(calls) == 1
    assert result.metrics["accuracy"] == pytest.approx(evals[best]["accuracy"])


def test_bf16_training_runs_under_autocast_and_saves_float32_weights(tmp_path, sentiment_csv, tiny_model_dir):
    """The mixed-precision path a GPU takes, run where it can be here: bf16 autocast on the CPU."""
    import torch
    from safetensors import safe_open

    from bertdesk.core.predictor import Predictor

    def losses(name, **kw):
        events = []
        train(_config(tmp_path, sentiment_csv, tiny_model_dir, epochs=1, out_dir=str(tmp_path / name), **kw),
              on_event=events.append)
        logs = [getattr(e, "message", "") for e in events]
        return [e.values["loss"] for e in events if isinstance(e, Metrics) and e.split == "train"], logs

    half, logs = losses("bf16", precision="bf16")
    assert any(m.startswith("Model ") and m.endswith("CPU (%d threads), bf16" % (os.cpu_count() or 1))
               for m in logs), logs
    from bertdesk.core.training import _cpu_has_bf16
    assert any("bf16 training runs emulated" in m for m in logs) == (not _cpu_has_bf16())
    full, _ = losses("fp32", precision="fp32")
    assert all(torch.isfinite(torch.tensor(half))) and half != full       # the same seed, other arithmetic
    with safe_open(str(tmp_path / "bf16" / "model.safetensors"), "pt") as f:
        assert {f.get_tensor(k).dtype for k in f.keys()} == {torch.float32}
    prediction = Predictor.load(tmp_path / "bf16").predict(["the kettle is great"])[0]
    assert prediction["label"] in {"neg", "pos"}

    if not torch.cuda.is_available():
        with pytest.raises(DataError, match="fp16 training needs a CUDA GPU"):
            train(_config(tmp_path, sentiment_csv, tiny_model_dir, out_dir=str(tmp_path / "fp16"), precision="fp16"))
    with pytest.raises(DataError, match="precision must be one of"):
        train(_config(tmp_path, sentiment_csv, tiny_model_dir, out_dir=str(tmp_path / "x"), precision="fp8"))
