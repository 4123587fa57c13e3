"""One trained-and-scored retriever: seed, build, train, score against the full corpus of the eval split.

What the demo, the pipeline and the benchmarks each did by hand. The seed comes first because a
prompt's prefix is drawn when the `DenseRetriever` is built (torch seeds every process at random), so
two rows trained with one seed start from one prefix. The corpus vectors encoded to score the model
come back with it: mining with the same model can reuse them when train and eval share one corpus.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import torch

from dptdr_mini.config import ModelConfig, TrainConfig
from dptdr_mini.data.examples import TrainExample
from dptdr_mini.data.loaders import Passage, RetrievalData
from dptdr_mini.evaluate.runs import EvalResult, dense_run, score_run
from dptdr_mini.model.checkpoint import load_model_tensors, load_tensors
from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.retrieve.index import DenseIndex
from dptdr_mini.training.loop import TrainResult, train

# TrainConfig fields a recipe sets itself for every model it trains (`run_config`); its verb offers no flag for them
RECIPE_SETS = ("data", "split", "train_file", "output_dir", "eval_split", "eval_every", "save_every", "resume",
               "quiet", "negatives_x_device", "overwrite")


@dataclass
class ScoredRetriever:
    """What `train_and_score` hands back."""

    model: DenseRetriever
    training: TrainResult
    scores: EvalResult            # its row: metrics, corpus size, query count (add columns to `scores.extra`)
    index: DenseIndex             # the eval corpus's vectors under `model`


def run_config(train_cfg: TrainConfig, data: str, split: str, output_dir: str, quiet: bool) -> TrainConfig:
    """`train_cfg` for one model of a recipe: its data and folder; no periodic evaluation, no resume, a
    checkpoint per epoch, one process, and its own folders rewritten on a rerun (the RECIPE_SETS fields)."""
    return replace(train_cfg, data=data, split=split, train_file="", output_dir=output_dir, eval_split="",
                   eval_every=0, save_every=0, resume=False, quiet=quiet, negatives_x_device=False, overwrite=True)


def seeded_retriever(model_cfg: ModelConfig, seed: int, init_checkpoint: str = "") -> DenseRetriever:
    """A `DenseRetriever` whose prefix is drawn under `seed`, optionally loaded from a model.safetensors."""
    torch.manual_seed(seed)
    model = DenseRetriever(model_cfg)
    if init_checkpoint:
        tensors, meta = load_tensors(init_checkpoint)
        load_model_tensors(model, tensors, meta, init_checkpoint)
    return model


def train_and_score(model_cfg: ModelConfig, train_cfg: TrainConfig, examples: list[TrainExample],
                    corpus: dict[str, Passage], eval_data: RetrievalData, name: str,
                    init_checkpoint: str = "", depth: int = 100) -> ScoredRetriever:
    """Seed torch with train_cfg.seed, build the retriever, train it on `examples`, and score it on
    `eval_data` against its full corpus (`depth` passages per query). The row is named `name`."""
    model = seeded_retriever(model_cfg, train_cfg.seed, init_checkpoint)
    training = train(model, examples, corpus, train_cfg)
    start = time.perf_counter()
    run, index = dense_run(model, eval_data, depth, quiet=train_cfg.quiet)
    scores = score_run(name, run, eval_data, time.perf_counter() - start)
    return ScoredRetriever(model, training, scores, index)
