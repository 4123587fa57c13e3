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
import torch

from dptdr_mini.model.checkpoint import atomic_write_bytes
from dptdr_mini.config import ModelConfig, TrainConfig, option
from dptdr_mini.data.loaders import load_data
from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.evaluate.runs import evaluate_bm25, evaluate_dense, results_table
from dptdr_mini.data.examples import examples_from_data
from dptdr_mini.training.loop import train


@dataclass
class DemoConfig:
    data: str = option("data_samples/msmarco", "data folder with a train and an eval split")
    backbone: str = option("default", "Hugging Face name or folder; 'default' = bundled all-MiniLM-L6-v2")
    eval_split: str = option("dev", "split to score on")
    output_dir: str = option("runs/demo", "checkpoints, logs and results.md go here")
    epochs: int = option(3, "training epochs for DPT and FT")
    max_steps: int = option(0, "cap on training steps per model (0 = all epochs); for quick checks")
    batch_size: int = option(8, "queries per step")
    negatives: int = option(1, "hard (here: random) negatives per query")
    prefix_len: int = option(32, "DPT prefix length")
    pooling: str = option("mean", "pooling for all dense rows (all-MiniLM-L6-v2 was trained with mean; the paper's "
                      "RoBERTa uses cls)", ("cls", "mean"))
    normalize: bool = option(True, "cosine score (MiniLM's training); --no-normalize for the paper's plain dot product")
    temperature: float = option(0.05, "loss temperature (0.05 with cosine; 1.0 with a plain dot product)")
    seed: int = option(42, "seed")
    quiet: bool = option(False, "no progress bars")

    def validate(self) -> None:
        TrainConfig(epochs=self.epochs, max_steps=self.max_steps, batch_size=self.batch_size, negatives=self.negatives).validate()
        ModelConfig(prefix_len=self.prefix_len, pooling=self.pooling, temperature=self.temperature).validate()


def run_demo(cfg: DemoConfig) -> pd.DataFrame:
    """Train DPT and FT on the sample and return the results table (also written to results.md)."""
    cfg.validate()
    out = Path(cfg.output_dir)
    train_data = load_data(cfg.data, "train")
    eval_data = load_data(cfg.data, cfg.eval_split)
    examples = examples_from_data(train_data)
    results = [evaluate_bm25(eval_data)]
    results[0].extra = {"trainable": 0, "train s": 0.0}
    base = ModelConfig(backbone=cfg.backbone, pooling=cfg.pooling, normalize=cfg.normalize, temperature=cfg.temperature,
                       prefix_len=cfg.prefix_len)
    untuned = DenseRetriever(dataclasses.replace(base, prefix_len=0))
    results.append(evaluate_dense(untuned, eval_data, f"untuned backbone ({cfg.pooling})", quiet=cfg.quiet,
                                  extra={"trainable": 0, "train s": 0.0}))
    for mode, name in (("prompt", "DPT (prompt tuning)"), ("finetune", "FT (fine-tuning)")):
        torch.manual_seed(cfg.seed)  # the prefix's initialisation: torch seeds each process at random
        model = DenseRetriever(dataclasses.replace(base, mode=mode))
        tcfg = TrainConfig(data=cfg.data, output_dir=str(out / mode), epochs=cfg.epochs, max_steps=cfg.max_steps,
                           batch_size=cfg.batch_size,
                           negatives=cfg.negatives, seed=cfg.seed, quiet=cfg.quiet)
        result = train(model, examples, train_data.corpus, tcfg)
        report = model.parameter_report()
        results.append(evaluate_dense(model, eval_data, name, quiet=cfg.quiet,
                                      extra={"trainable": report["trainable"], "train s": round(result.seconds, 1)}))
    table = results_table(results)
    header = (f"# dptdr-mini demo\n\nData: `{cfg.data}`, trained on `train` ({len(examples)} queries), "
              f"scored on `{cfg.eval_split}` ({len(eval_data.qrels)} queries) against the full corpus of "
              f"{len(eval_data.corpus):,} passages. Pooling {cfg.pooling}, normalize {cfg.normalize}, "
              f"temperature {cfg.temperature}, prefix {cfg.prefix_len}, "
              f"{cfg.epochs} epochs, seed {cfg.seed}. Written {time.strftime('%Y-%m-%d %H:%M')}.\n\n")
    atomic_write_bytes(out / "results.md", (header + table.to_markdown(floatfmt=".4f") + "\n").encode())
    atomic_write_bytes(out / "results.json", json.dumps([r.row() for r in results], indent=2).encode())
    return table
