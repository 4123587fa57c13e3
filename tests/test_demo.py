"""The demo verb: its own model defaults (MiniLM's mean pooling and cosine), TrainConfig's training defaults."""

from __future__ import annotations

import pandas as pd

from dptdr_mini.cli import main
from dptdr_mini.config import ModelConfig, TrainConfig
from dptdr_mini.recipes import demo
from dptdr_mini.recipes.run import RECIPE_SETS


def record_run_demo(monkeypatch) -> dict:
    seen = {}

    def record(demo_cfg, model_cfg, train_cfg):
        seen.update(demo=demo_cfg, model=model_cfg, train=train_cfg)
        return pd.DataFrame()
    monkeypatch.setattr(demo, "run_demo", record)
    return seen


def test_demo_verb_keeps_its_defaults(monkeypatch):
    seen = record_run_demo(monkeypatch)
    assert main(["demo"]) == 0
    model, train = seen["model"], seen["train"]
    assert (model.pooling, model.normalize, model.temperature, model.prefix_len) == ("mean", True, 0.05, 32)
    assert (train.epochs, train.batch_size, train.negatives, train.seed, train.max_steps) == (3, 8, 1, 42, 0)
    assert (seen["demo"].data, seen["demo"].eval_split, seen["demo"].output_dir) == (
        "data_samples/msmarco", "dev", "runs/demo")
    assert model == demo.demo_model_config()                             # the library call's defaults
    library = TrainConfig()                                              # (less the fields the recipe sets)
    assert all(getattr(train, f) == getattr(library, f) for f in library.__dataclass_fields__ if f not in RECIPE_SETS)


def test_demo_verb_passes_model_and_training_flags_through(monkeypatch):
    seen = record_run_demo(monkeypatch)
    assert main(["demo", "--pooling", "cls", "--no-normalize", "--temperature", "1.0", "--prefix-len", "8",
                 "--epochs", "1", "--seed", "3", "--max-steps", "2"]) == 0
    assert seen["model"] == ModelConfig(prefix_len=8)
    assert (seen["train"].epochs, seen["train"].seed, seen["train"].max_steps) == (1, 3, 2)


def test_demo_help_shows_the_verbs_defaults_not_the_dataclasss(capsys):
    try:
        main(["demo", "--help"])
    except SystemExit:
        pass
    text = " ".join(capsys.readouterr().out.split())
    assert "--pooling mean --normalize --temperature 0.05" in text
    assert "default here: 'mean'" in text and "default here: 0.05" in text
