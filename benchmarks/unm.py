"""Benchmark: which negatives help deep prompt tuning? In-batch only, + BM25, + dense, + UNM union, union
with no false-negative protection (no filter, no rank window). Trained on the train split, scored on the
eval split against the full corpus.

    python -m benchmarks.unm --data ../shared/data/scifact --eval-split test
    python -m benchmarks.unm --data data_samples/msmarco --eval-split dev

The dense negatives are mined with the stage-1 model (DPT trained on BM25 negatives), as in
coCondenser / Tevatron; every stage-2 row trains a fresh prompt from the same seed. The stage-1
model's corpus vectors, encoded once to evaluate it, are reused for mining (the corpus is shared by
all splits of a folder). Each finished row is cached in --output-dir (row_<name>.json); rerun with
--fresh to recompute.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pandas as pd
import torch

from dptdr_mini.model.checkpoint import atomic_write_bytes, load_retriever
from benchmarks.provenance import cpu_model
from dptdr_mini.config import ModelConfig, TrainConfig
from dptdr_mini.data.loaders import load_data
from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.evaluate.runs import dense_run, evaluate_bm25, score_run
from dptdr_mini.data.examples import examples_from_data
from dptdr_mini.retrieve.index import DenseIndex
from dptdr_mini.mining.unm import FN_FILTERS, MineConfig, mine_negatives, mining_summary, retrieve_candidates
from dptdr_mini.recipes.run import train_and_score

METRICS = ("nDCG@10", "MRR@10", "R@100")


def markdown(table: pd.DataFrame) -> str:
    """Metrics to 4 places, shares to 3, counts and seconds as written, blanks for rows without a value."""
    def cell(col, v):
        if v is None or (isinstance(v, float) and v != v):
            return ""
        if col in METRICS:
            return f"{v:.4f}"
        if isinstance(v, float) and col.startswith(("neg ", "share ")):
            return f"{v:.3f}"
        return f"{int(v):,}" if isinstance(v, float) and v.is_integer() and not col.endswith(" s") else str(v)
    return table.apply(lambda c: [cell(c.name, v) for v in c]).to_markdown(stralign="right", disable_numparse=True)


def log(msg: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {msg}", flush=True)


def model_config(args) -> ModelConfig:
    """The SciFact protocol's model (mean pooling + cosine / 0.05, 32 prefix slots)."""
    return ModelConfig(mode="prompt", prefix_len=args.prefix_len, pooling="mean", normalize=True, temperature=0.05,
                       query_max_len=args.query_max_len, passage_max_len=args.passage_max_len)


def evaluate(model, data, name: str, args, extra: dict) -> tuple[dict, DenseIndex]:
    start = time.perf_counter()
    run, index = dense_run(model, data, 100, 64, quiet=True)
    secs = time.perf_counter() - start
    row = score_run(name, run, data, secs, {**extra, "eval s": round(secs, 1)}).row()
    return row, index


def train_row(name: str, key: str, examples, negatives: int, train_data, eval_data, args, extra: dict,
              keep_index: bool = False):
    """Train a fresh prompt on `examples`, evaluate, cache the row. -> (row, model, index or None)."""
    out = Path(args.output_dir) / key
    cached = Path(args.output_dir) / f"row_{key}.json"
    if cached.is_file() and not args.fresh and (not keep_index or (out / "index" / "ids.txt").is_file()):
        log(f"{name}: cached ({cached})")
        row = json.loads(cached.read_text())
        if keep_index:
            return row, load_retriever(out / "model.safetensors"), DenseIndex.load(out / "index")
        return row, None, None
    tcfg = TrainConfig(overwrite=True, data=args.data, split=args.train_split, output_dir=str(out), epochs=args.epochs,
                       batch_size=args.batch_size, lr=args.lr, seed=args.seed, negatives=negatives,
                       eval_split="", quiet=True)
    log(f"{name}: training on {len(examples)} examples, {negatives} hard negative(s) per query")
    # every row starts from the same prefix: train_and_score seeds torch with args.seed before building
    scored = train_and_score(model_config(args), tcfg, examples, train_data.corpus, eval_data, name)
    model, result, index = scored.model, scored.training, scored.index
    log(f"{name}: trained {result.steps} steps in {result.seconds:.0f} s")
    scored.scores.extra = {**extra, "train s": round(result.seconds, 1), "eval s": round(scored.scores.seconds, 1)}
    row = scored.scores.row()
    log(f"{name}: " + ", ".join(f"{m} {row[m]:.4f}" for m in METRICS) + f" (eval {row['eval s']:.0f} s)")
    if keep_index:
        index.save(out / "index")
    atomic_write_bytes(cached, json.dumps(row, indent=2).encode())
    return row, model, index if keep_index else None


def mix(examples) -> dict:
    s = mining_summary(examples)
    return {"neg bm25": s["share bm25"], "neg dense": s["share dense"], "neg both": s["share both"],
            "FN dropped": s["dropped false-neg"], "above window": s["dropped above window"]}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.unm", description=__doc__.split("\n\n")[0])
    p.add_argument("--data", default="data_samples/msmarco")
    p.add_argument("--train-split", default="train")
    p.add_argument("--eval-split", default="dev", help="scored split (test for BEIR data such as SciFact)")
    p.add_argument("--output-dir", default="runs/bench_unm", help="checkpoints, mined files, cached rows")
    p.add_argument("--results", default="benchmarks/results", help="where the CSV and markdown go")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--lr", type=float, default=1e-2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--prefix-len", type=int, default=32)
    p.add_argument("--query-max-len", type=int, default=64)
    p.add_argument("--passage-max-len", type=int, default=128)
    p.add_argument("--depth", type=int, default=100, help="mining depth per source")
    p.add_argument("--skip-top", type=int, default=10, help="mining: candidates from ranks skip_top < rank <= depth")
    p.add_argument("--sample", type=int, default=8, help="negatives written per query")
    p.add_argument("--fn-filter", default="rank-window", choices=FN_FILTERS,
                   help="false-negative filter of the dense and UNM rows (MineConfig.fn_filter)")
    p.add_argument("--margin", type=float, default=0.05, help="--fn-filter margin: relative margin")
    p.add_argument("--fresh", action="store_true", help="recompute cached rows")
    args = p.parse_args(argv)
    wall = time.perf_counter()
    out = Path(args.output_dir)
    train_data, eval_data = load_data(args.data, args.train_split), load_data(args.data, args.eval_split)
    if list(train_data.corpus) != list(eval_data.corpus):
        raise SystemExit("train and eval splits must share one corpus (the stage-1 index is reused for mining)")
    name = f"{Path(args.data).name} ({args.eval_split}, {len(eval_data.corpus):,} passages)"
    log(f"{name}: train {len(train_data.qrels)} queries, eval {len(eval_data.qrels)} queries")
    rows = []

    bm25 = evaluate_bm25(eval_data)
    rows.append({**bm25.row(), "eval s": round(bm25.seconds, 1)})
    cached = out / "row_untuned.json"
    if cached.is_file() and not args.fresh:
        rows.append(json.loads(cached.read_text()))
    else:
        untuned = DenseRetriever(dataclasses.replace(model_config(args), prefix_len=0))
        row, _ = evaluate(untuned, eval_data, "untuned backbone (mean, cosine)", args, {"train s": 0.0})
        atomic_write_bytes(cached, json.dumps(row, indent=2).encode())
        rows.append(row)
    log(f"untuned: {rows[-1]['nDCG@10']:.4f} nDCG@10")

    plain = examples_from_data(train_data)
    for e in plain:
        e.negatives = []  # in-batch only, even if the data ships hard negatives (DPR files)
    rows.append(train_row("DPT in-batch only", "inbatch", plain, 0, train_data, eval_data, args, {})[0])

    # Stage 1: BM25 negatives (coCondenser / Tevatron stage 1: no dense model yet, so no score filter).
    start = time.perf_counter()
    bm25_cfg = MineConfig(data=args.data, split=args.train_split, sources="bm25", fn_filter="none",
                          depth=args.depth, skip_top=args.skip_top, negatives=args.sample, seed=args.seed,
                          output=str(out / "negatives_bm25.jsonl"), quiet=True)
    bm25_neg = mine_negatives(bm25_cfg, data=train_data)
    mining = [{"variant": "BM25 (stage 1)", "mined with": "bm25s", **mining_summary(bm25_neg),
               "mine s": round(time.perf_counter() - start, 1)}]
    row, stage1, index1 = train_row("DPT + BM25 negatives (stage 1)", f"bm25_skip{args.skip_top}", bm25_neg, 1,
                                    train_data, eval_data, args, mix(bm25_neg), keep_index=True)
    rows.append(row)

    # Stage 2: candidates from BM25 and the stage-1 model, retrieved once, selected three ways.
    start = time.perf_counter()
    cands = retrieve_candidates(train_data, ["bm25", "dense"], args.depth, stage1, index1, need_scores=True,
                                quiet=True)
    retrieve_s = time.perf_counter() - start
    # the no-filter row takes the whole top `depth` (skip_top 0): no false-negative protection at all
    # (cached rows are keyed by filter and window (stage 1's too), so other mining flags do not reuse them)
    mode = f"{args.fn_filter}_skip{args.skip_top}" + (f"_m{args.margin:g}" if args.fn_filter == "margin" else "")
    variants = [(f"dense_{mode}", "DPT + dense negatives", "dense", args.fn_filter, args.skip_top),
                (f"unm_{mode}", f"DPT + UNM (union, {args.fn_filter})", "bm25,dense", args.fn_filter, args.skip_top),
                (f"unm_nofilter_after_skip{args.skip_top}", "DPT + union, no FN filter", "bm25,dense", "none", 0)]
    for key, label, sources, fn, skip in variants:
        cfg = dataclasses.replace(bm25_cfg, sources=sources, fn_filter=fn, skip_top=skip, margin=args.margin,
                                  output=str(out / f"negatives_{key}.jsonl"))
        t0 = time.perf_counter()
        examples = mine_negatives(cfg, data=train_data, candidates=cands)
        mining.append({"variant": label.replace("DPT + ", ""), "mined with": "stage-1 DPT (BM25 negatives)",
                       **mining_summary(examples), "mine s": round(retrieve_s + time.perf_counter() - t0, 1)})
        rows.append(train_row(label, key, examples, 1, train_data, eval_data, args, mix(examples))[0])

    table = pd.DataFrame(rows).set_index("system")
    cols = [c for c in (*METRICS, "corpus", "queries", "neg bm25", "neg dense", "neg both", "FN dropped",
                        "above window", "train s", "eval s") if c in table.columns]
    table = table[cols]
    mtable = pd.DataFrame(mining).set_index("variant")
    total = time.perf_counter() - wall
    print(f"\n## {name}\n")
    print(markdown(table))
    print()
    print(markdown(mtable))
    write_results(args, argv, name, table, mtable, total, eval_data)
    return 0


def write_results(args, argv, name, table, mtable, total, eval_data) -> None:
    import bm25s
    import faiss
    import transformers

    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    cmd = "python -m benchmarks.unm " + " ".join(argv if argv is not None else sys.argv[1:])
    stem = f"unm_{Path(args.data).name}"
    results = Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    table.reset_index().to_csv(results / f"{stem}.csv", index=False)
    md = (f"# UNM benchmark: {name}\n\n"
          f"Command: `{cmd}`  \nDate: {datetime.now():%Y-%m-%d %H:%M}  \nMachine: {nproc} CPUs, {cpu_model()}  \n"
          f"Packages: python {platform.python_version()}, torch {torch.__version__}, transformers "
          f"{transformers.__version__}, faiss {faiss.__version__}, bm25s {bm25s.__version__}, pandas {pd.__version__}\n\n"
          f"Trained on `{args.train_split}`, scored on `{args.eval_split}` ({len(eval_data.qrels)} queries) "
          f"against the full corpus of {len(eval_data.corpus):,} passages. DPT: prefix {args.prefix_len}, mean "
          f"pooling, cosine / 0.05, query/passage max len {args.query_max_len}/{args.passage_max_len}, "
          f"{args.epochs} epoch(s), batch {args.batch_size}, lr {args.lr}, seed {args.seed}; 1 hard negative per "
          f"query per step when hard negatives are used. Mining: rank window ({args.skip_top}, {args.depth}] "
          f"(the no-filter row: (0, {args.depth}]), {args.sample} negatives written per query, false-negative "
          f"filter {args.fn_filter}" + (f" (margin {args.margin})" if args.fn_filter == "margin" else "") + ". "
          f"Dense negatives mined with the stage-1 model (DPT + BM25 negatives). `neg *` = share of written "
          f"negatives by source; `FN dropped` = candidates removed by the margin filter; `above window` = "
          f"candidates found only at ranks <= skip top. Total wall time {total / 60:.1f} min.\n\n"
          + markdown(table) + "\n\n## Mining\n\n" + markdown(mtable) + "\n")
    atomic_write_bytes(results / f"{stem}.md", md.encode())
    mtable.reset_index().to_csv(results / f"{stem}_mining.csv", index=False)
    log(f"wrote {results / stem}.md/.csv in {total / 60:.1f} min total")


if __name__ == "__main__":
    sys.exit(main())
