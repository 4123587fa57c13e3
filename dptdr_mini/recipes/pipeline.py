"""The whole DPTDR recipe as one call: (RIP) -> DPT on BM25 negatives -> mine with it -> DPT on the union.

1. optional, `rip=True`: retrieval-oriented intermediate pretraining of the backbone
   (`dptdr_mini.training.rip.pretrain`, crop pairs); later stages prompt-tune on top of its backbone;
2. stage 1: mine BM25 negatives (`mine_negatives`, sources=bm25) and train a prompt on them;
3. mine again with the stage-1 model: BM25 + dense candidates from the rank window (skip_top, depth] of
   each, merged; `fn_filter` rank-window (default) adds no score filter, margin drops candidates scoring
   within `margin` of the positive (which, under a weak stage-1 model, drops true hard negatives; UNM);
4. final: train a fresh prompt (same seed and init, as coCondenser / Tevatron restart stage 2 from the
   pretrained model rather than from the stage-1 retriever) on the union.
Both trained models, and the untuned model they start from (the backbone without a prefix), are scored on the
eval split against its full corpus, and a final model below that start is said out loud. The stage-1 corpus
vectors, encoded to evaluate it, are reused for mining when the two splits share one corpus. A dataset with
only train and test gets its dev split from `TrainConfig.dev_from_train` (carved from train by hashed id).

`run_pipeline(cfg, model_cfg, train_cfg)`: the ModelConfig describes every model of the run, RIP's too
(in finetune mode, no prefix); the TrainConfig trains both stages, and its seed seeds RIP and mining.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from dptdr_mini.model.checkpoint import atomic_write_bytes
from dptdr_mini.config import ModelConfig, TrainConfig, option
from dptdr_mini.data.splits import load_split
from dptdr_mini.errors import ConfigError
from dptdr_mini.evaluate.runs import dense_run, results_table, score_run
from dptdr_mini.mining.unm import FN_FILTERS, MineConfig, mine_negatives, mining_summary
from dptdr_mini.recipes.run import ScoredRetriever, run_config, seeded_retriever, train_and_score


@dataclass
class PipelineConfig:
    """The two-stage UNM recipe (optionally after RIP): data, splits and mining; a TrainConfig trains each stage."""

    data: str = option("data_samples/msmarco", "data folder with a train and an eval split")
    train_split: str = option("train", "split to mine on and train on")
    eval_split: str = option("dev", "split to score both stages on (full corpus)")
    output_dir: str = option("runs/pipeline", "checkpoints, mined files and results.md go here")
    rip: bool = option(False, "run RIP (crop pairs, backbone update) first and prompt-tune on its backbone")
    depth: int = option(100, "mining depth per source")
    skip_top: int = option(10, "mining: candidates come from ranks skip_top < rank <= depth of each source")
    sample: int = option(8, "negatives written per query")
    fn_filter: str = option("rank-window", "false-negative filter of the UNM mining (stage 1 has none): "
                            "rank-window: only the rank window; margin: drop candidates within --margin of the "
                            "positive's dense score; none", FN_FILTERS)
    margin: float = option(0.05, "--fn-filter margin: relative margin to the positive's dense score")
    quiet: bool = option(False, "no progress bars")

    def validate(self) -> None:
        MineConfig(depth=self.depth, skip_top=self.skip_top, negatives=self.sample, fn_filter=self.fn_filter,
                   margin=self.margin).validate()


def run_rip(cfg: PipelineConfig, model_cfg: ModelConfig, seed: int) -> str:
    """Pretrain the backbone `model_cfg` names with RIP (its default pairs: crops, one pass); -> its folder."""
    try:
        from dptdr_mini.training.rip import RIPConfig, pretrain
    except ImportError as e:
        raise ConfigError(f"--rip: RIP is not available in this installation (dptdr_mini.training.rip: {e}); "
                          f"run without --rip") from None
    rip = RIPConfig(data=cfg.data, update="backbone", output_dir=str(Path(cfg.output_dir) / "rip"),
                    seed=seed, quiet=cfg.quiet, overwrite=True)           # the recipe's own folder, rerun
    return str(pretrain(rip, model_cfg).backbone_path)


def train_stage(name: str, model_cfg: ModelConfig, train_cfg: TrainConfig, examples, train_data, eval_data,
                cfg: PipelineConfig, folder: Path) -> ScoredRetriever:
    """A fresh prompt from train_cfg.seed (both stages start from one prefix), trained and scored."""
    tcfg = run_config(train_cfg, cfg.data, cfg.train_split, str(folder), cfg.quiet)
    scored = train_and_score(model_cfg, tcfg, examples, train_data.corpus, eval_data, name)
    scored.scores.extra = {**_mix(examples), "train s": round(scored.training.seconds, 1),
                           "eval s": round(scored.scores.seconds, 1)}
    return scored


def _mix(examples) -> dict:
    s = mining_summary(examples)
    return {"neg bm25": s["share bm25"], "neg dense": s["share dense"], "neg both": s["share both"],
            "FN dropped": s["dropped false-neg"], "above window": s["dropped above window"]}


def run_pipeline(cfg: PipelineConfig, model_cfg: ModelConfig | None = None,
                 train_cfg: TrainConfig | None = None) -> pd.DataFrame:
    """Run the recipe; -> a table (stage 1 vs final) with corpus size and times, also in results.md.

    `model_cfg` (default ModelConfig()) is every model of the run; `train_cfg` (default TrainConfig()) trains
    both stages, with the pipeline's data, split, folders and quiet (`recipes.run.run_config`).
    """
    cfg.validate()
    model_cfg = model_cfg or ModelConfig()
    model_cfg.validate()
    train_cfg = train_cfg or TrainConfig()
    train_cfg.validate()
    wall = time.perf_counter()
    out = Path(cfg.output_dir)
    stages = {}
    if cfg.rip:
        start = time.perf_counter()
        model_cfg = dataclasses.replace(model_cfg, backbone=run_rip(cfg, model_cfg, train_cfg.seed))
        stages["rip s"] = round(time.perf_counter() - start, 1)
    train_data = load_split(cfg.data, cfg.train_split, train_cfg.dev_from_train)
    eval_data = load_split(cfg.data, cfg.eval_split, train_cfg.dev_from_train)
    tag = "RIP + " if cfg.rip else ""
    start = time.perf_counter()
    untuned = seeded_retriever(dataclasses.replace(model_cfg, prefix_len=0), train_cfg.seed).eval()
    run, _ = dense_run(untuned, eval_data, quiet=cfg.quiet)
    results = [score_run(f"start: {tag}backbone, untuned", run, eval_data, time.perf_counter() - start)]
    del untuned

    bm25_cfg = MineConfig(data=cfg.data, split=cfg.train_split, sources="bm25", fn_filter="none", depth=cfg.depth,
                          skip_top=cfg.skip_top, negatives=cfg.sample, seed=train_cfg.seed,
                          output=str(out / "negatives_bm25.jsonl"), quiet=cfg.quiet)
    bm25_neg = mine_negatives(bm25_cfg, data=train_data)
    stage1 = train_stage(f"stage 1: {tag}DPT + BM25 negatives", model_cfg, train_cfg, bm25_neg, train_data,
                         eval_data, cfg, out / "stage1")
    results.append(stage1.scores)

    same_corpus = list(train_data.corpus) == list(eval_data.corpus)
    unm_cfg = dataclasses.replace(bm25_cfg, sources="bm25,dense", fn_filter=cfg.fn_filter, margin=cfg.margin,
                                  output=str(out / "negatives_unm.jsonl"))
    start = time.perf_counter()
    unm_neg = mine_negatives(unm_cfg, data=train_data, model=stage1.model,
                             index=stage1.index if same_corpus else None)
    stages["mine s"] = round(time.perf_counter() - start, 1)
    final = train_stage(f"final: {tag}DPT + UNM negatives", model_cfg, train_cfg, unm_neg, train_data, eval_data,
                        cfg, out / "final")
    results.append(final.scores)
    start_score, final_score = results[0].metrics["nDCG@10"], final.scores.metrics["nDCG@10"]
    if final_score < start_score:
        print(f"warning: the final model scores below the untuned model it started from on {eval_data.split} "
              f"(nDCG@10 {final_score:.4f} < {start_score:.4f}, {len(eval_data.corpus):,} passages): the recipe "
              f"made it worse here", file=sys.stderr)
    table = results_table(results)
    stages["total s"] = round(time.perf_counter() - wall, 1)
    header = (f"# dptdr-mini pipeline\n\nData `{cfg.data}`: trained on `{cfg.train_split}` "
              f"({len(bm25_neg)} queries), scored on `{cfg.eval_split}` ({len(eval_data.qrels)} queries) against the "
              f"full corpus of {len(eval_data.corpus):,} passages. Dense negatives mined with the stage-1 model, "
              f"from ranks ({cfg.skip_top}, {cfg.depth}] of each source, false-negative filter {cfg.fn_filter}; "
              f"{'RIP backbone ' + model_cfg.backbone + '; ' if cfg.rip else ''}"
              + ", ".join(f"{k} {v}" for k, v in stages.items()) + f". Written {time.strftime('%Y-%m-%d %H:%M')}.\n\n")
    atomic_write_bytes(out / "results.md", (header + table.to_markdown(floatfmt=".4f") + "\n").encode())
    atomic_write_bytes(out / "results.json", json.dumps({"config": asdict(cfg), "model": asdict(model_cfg),
                                                         "train": asdict(train_cfg), **stages,
                                                         "rows": [r.row() for r in results]}, indent=2).encode())
    table.attrs.update(stages)
    return table
