"""The kit's main job on the embedded sample: one table comparing BM25, the untuned backbone,
deep prompt tuning (DPT) and fine-tuning (FT), trained on the train split and scored on the dev split
against the full corpus.
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dptdr_mini.model.checkpoint import atomic_write_bytes
from dptdr_mini.config import ModelConfig, TrainConfig, option
from dptdr_mini.data.loaders import load_data
from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.evaluate.runs import evaluate_bm25, evaluate_dense, results_table
from dptdr_mini.data.examples import examples_from_data
from dptdr_mini.recipes.run import run_config, train_and_score

# The demo's model, where it differs from ModelConfig's (the paper's RoBERTa: cls, dot product, 1.0):
# all-MiniLM-L6-v2 was trained with mean pooling and cosine similarity, so the demo scores it that way.
DEMO_MODEL = {"pooling": "mean", "normalize": True, "temperature": 0.05}


@dataclass
class DemoConfig:
    """Where the demo reads and writes; the model and its training are a ModelConfig and a TrainConfig."""

    data: str = option("data_samples/msmarco", "data folder with a train and an eval split")
    eval_split: str = option("dev", "split to score on")
    output_dir: str = option("runs/demo", "checkpoints, logs and results.md go here")
    quiet: bool = option(False, "no progress bars")

    def validate(self) -> None:
        """Nothing to check here: the folder and split are checked when they are read."""


def demo_model_config(**changes) -> ModelConfig:
    """ModelConfig with the demo's defaults (DEMO_MODEL), then `changes`."""
    return ModelConfig(**{**DEMO_MODEL, **changes})


def run_demo(demo: DemoConfig, model_cfg: ModelConfig | None = None,
             train_cfg: TrainConfig | None = None) -> pd.DataFrame:
    """Train DPT and FT on the sample and return the results table (also written to results.md).

    `model_cfg` (default: `demo_model_config()`) describes every dense row, its `mode` set per row;
    `train_cfg` (default: TrainConfig()) trains DPT and FT alike.
    """
    model_cfg = model_cfg or demo_model_config()
    train_cfg = train_cfg or TrainConfig()
    demo.validate()
    model_cfg.validate()
    train_cfg.validate()
    out = Path(demo.output_dir)
    train_data = load_data(demo.data, "train")
    eval_data = load_data(demo.data, demo.eval_split)
    examples = examples_from_data(train_data)
    results = [evaluate_bm25(eval_data)]
    results[0].extra = {"trainable": 0, "train s": 0.0}
    untuned = DenseRetriever(dataclasses.replace(model_cfg, prefix_len=0))
    results.append(evaluate_dense(untuned, eval_data, f"untuned backbone ({model_cfg.pooling})", quiet=demo.quiet,
                                  extra={"trainable": 0, "train s": 0.0}))
    for mode, name in (("prompt", "DPT (prompt tuning)"), ("finetune", "FT (fine-tuning)")):
        tcfg = run_config(train_cfg, demo.data, "train", str(out / mode), demo.quiet)
        scored = train_and_score(dataclasses.replace(model_cfg, mode=mode), tcfg, examples, train_data.corpus,
                                 eval_data, name)
        scored.scores.extra = {"trainable": scored.model.parameter_report()["trainable"],
                               "train s": round(scored.training.seconds, 1)}
        results.append(scored.scores)
    table = results_table(results)
    header = (f"# dptdr-mini demo\n\nData: `{demo.data}`, trained on `train` ({len(examples)} queries), "
              f"scored on `{demo.eval_split}` ({len(eval_data.qrels)} queries) against the full corpus of "
              f"{len(eval_data.corpus):,} passages. Pooling {model_cfg.pooling}, normalize {model_cfg.normalize}, "
              f"temperature {model_cfg.temperature}, prefix {model_cfg.prefix_len}, "
              f"{train_cfg.epochs} epochs, seed {train_cfg.seed}. Written {time.strftime('%Y-%m-%d %H:%M')}.\n\n")
    atomic_write_bytes(out / "results.md", (header + table.to_markdown(floatfmt=".4f") + "\n").encode())
    atomic_write_bytes(out / "results.json", json.dumps([r.row() for r in results], indent=2).encode())
    return table
