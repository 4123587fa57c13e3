"""The whole DPTDR recipe as one call: (RIP) -> DPT on BM25 negatives -> mine with it -> DPT on the union.

1. optional, `rip=True`: retrieval-oriented intermediate pretraining of the backbone
   (`dptdr_mini.training.rip.pretrain`, span method); later stages prompt-tune on top of its backbone;
2. stage 1: mine BM25 negatives (`mine_negatives`, sources=bm25) and train a prompt on them;
3. mine again with the stage-1 model: BM25 + dense candidates, merged, false-negative filtered (UNM);
4. final: train a fresh prompt (same seed and init, as coCondenser / Tevatron restart stage 2 from the
   pretrained model rather than from the stage-1 retriever) on the union.
Both trained models are scored on the eval split against its full corpus. The stage-1 corpus vectors,
encoded to evaluate it, are reused for mining when the two splits share one corpus.
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd
import torch

from dptdr_mini.model.checkpoint import atomic_write_bytes
from dptdr_mini.config import ModelConfig, TrainConfig, option
from dptdr_mini.data.loaders import load_data
from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.errors import ConfigError
from dptdr_mini.evaluate.runs import dense_run, results_table, score_run
from dptdr_mini.mining.unm import MineConfig, mine_negatives, mining_summary
from dptdr_mini.training.loop import train


@dataclass
class PipelineConfig:
    """The two-stage UNM recipe (optionally after RIP): data, training and mining settings."""

    data: str = option("data_samples/msmarco", "data folder with a train and an eval split")
    train_split: str = option("train", "split to mine on and train on")
    eval_split: str = option("dev", "split to score both stages on (full corpus)")
    output_dir: str = option("runs/pipeline", "checkpoints, mined files and results.md go here")
    rip: bool = option(False, "run RIP (span method, backbone update) first and prompt-tune on its backbone")
    epochs: int = option(3, "training epochs of each stage")
    batch_size: int = option(8, "queries per step")
    lr: float = option(0.0, "peak learning rate (0 = 1e-2 for prompt mode)")
    negatives: int = option(1, "hard negatives per query per step")
    depth: int = option(100, "mining depth per source")
    skip_top: int = option(0, "mining: top ranks skipped per source")
    sample: int = option(8, "negatives written per query")
    margin: float = option(0.05, "false-negative filter margin (relative to the positive's dense score)")
    seed: int = option(42, "seed for initialisation, data order and sampling")
    quiet: bool = option(False, "no progress bars")

    def validate(self) -> None:
        TrainConfig(epochs=self.epochs, batch_size=self.batch_size, lr=self.lr, negatives=self.negatives).validate()
        MineConfig(depth=self.depth, skip_top=self.skip_top, negatives=self.sample, margin=self.margin).validate()


def run_rip(cfg: PipelineConfig) -> str:
    """Pretrain the backbone with RIP; -> the Hugging Face folder of the new backbone."""
    try:
        from dptdr_mini.training.rip import RIPConfig, pretrain
    except ImportError as e:
        raise ConfigError(f"--rip: RIP is not available in this installation (dptdr_mini.training.rip: {e}); "
                          f"run without --rip") from None
    result = pretrain(RIPConfig(data=cfg.data, method="span", update="backbone",
                                output_dir=str(Path(cfg.output_dir) / "rip")))
    return str(result.backbone_path)


def _train_stage(mcfg: ModelConfig, examples, corpus, cfg: PipelineConfig, folder: Path):
    torch.manual_seed(cfg.seed)  # same prefix initialisation for both stages
    model = DenseRetriever(dataclasses.replace(mcfg))
    tcfg = TrainConfig(data=cfg.data, split=cfg.train_split, output_dir=str(folder), epochs=cfg.epochs,
                       batch_size=cfg.batch_size, lr=cfg.lr, negatives=cfg.negatives, seed=cfg.seed,
                       eval_split="", quiet=cfg.quiet)
    return model, train(model, examples, corpus, tcfg)


def _mix(examples) -> dict:
    s = mining_summary(examples)
    return {"neg bm25": s["share bm25"], "neg dense": s["share dense"], "neg both": s["share both"],
            "FN dropped": s["dropped false-neg"]}


def run_pipeline(cfg: PipelineConfig, mcfg: ModelConfig | None = None) -> pd.DataFrame:
    """Run the recipe; -> a table (stage 1 vs final) with corpus size and times, also in results.md."""
    cfg.validate()
    mcfg = mcfg or ModelConfig()
    mcfg.validate()
    wall = time.perf_counter()
    out = Path(cfg.output_dir)
    stages = {}
    if cfg.rip:
        start = time.perf_counter()
        mcfg = dataclasses.replace(mcfg, backbone=run_rip(cfg))
        stages["rip s"] = round(time.perf_counter() - start, 1)
    train_data, eval_data = load_data(cfg.data, cfg.train_split), load_data(cfg.data, cfg.eval_split)
    tag = "RIP + " if cfg.rip else ""

    bm25_cfg = MineConfig(data=cfg.data, split=cfg.train_split, sources="bm25", fn_filter=False, depth=cfg.depth,
                          skip_top=cfg.skip_top, negatives=cfg.sample, seed=cfg.seed,
                          output=str(out / "negatives_bm25.jsonl"), quiet=cfg.quiet)
    bm25_neg = mine_negatives(bm25_cfg, data=train_data)
    stage1, r1 = _train_stage(mcfg, bm25_neg, train_data.corpus, cfg, out / "stage1")
    start = time.perf_counter()
    run, index = dense_run(stage1, eval_data, 100, quiet=cfg.quiet)
    secs = time.perf_counter() - start
    results = [score_run(f"stage 1: {tag}DPT + BM25 negatives", run, eval_data, secs,
                         {**_mix(bm25_neg), "train s": round(r1.seconds, 1), "eval s": round(secs, 1)})]

    same_corpus = list(train_data.corpus) == list(eval_data.corpus)
    unm_cfg = dataclasses.replace(bm25_cfg, sources="bm25,dense", fn_filter=True, margin=cfg.margin,
                                  output=str(out / "negatives_unm.jsonl"))
    start = time.perf_counter()
    unm_neg = mine_negatives(unm_cfg, data=train_data, model=stage1, index=index if same_corpus else None)
    stages["mine s"] = round(time.perf_counter() - start, 1)
    final, r2 = _train_stage(mcfg, unm_neg, train_data.corpus, cfg, out / "final")
    start = time.perf_counter()
    run, _ = dense_run(final, eval_data, 100, quiet=cfg.quiet)
    secs = time.perf_counter() - start
    results.append(score_run(f"final: {tag}DPT + UNM negatives", run, eval_data, secs,
                             {**_mix(unm_neg), "train s": round(r2.seconds, 1), "eval s": round(secs, 1)}))
    table = results_table(results)
    stages["total s"] = round(time.perf_counter() - wall, 1)
    header = (f"# dptdr-mini pipeline\n\nData `{cfg.data}`: trained on `{cfg.train_split}` "
              f"({len(bm25_neg)} queries), scored on `{cfg.eval_split}` ({len(eval_data.qrels)} queries) against the "
              f"full corpus of {len(eval_data.corpus):,} passages. Dense negatives mined with the stage-1 model; "
              f"{'RIP backbone ' + mcfg.backbone + '; ' if cfg.rip else ''}"
              + ", ".join(f"{k} {v}" for k, v in stages.items()) + f". Written {time.strftime('%Y-%m-%d %H:%M')}.\n\n")
    atomic_write_bytes(out / "results.md", (header + table.to_markdown(floatfmt=".4f") + "\n").encode())
    atomic_write_bytes(out / "results.json", json.dumps({"config": asdict(cfg), "model": asdict(mcfg), **stages,
                                                         "rows": [r.row() for r in results]}, indent=2).encode())
    table.attrs.update(stages)
    return table
