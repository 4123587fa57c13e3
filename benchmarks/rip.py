"""Benchmark: does retrieval-oriented intermediate pretraining (RIP) help deep prompt tuning (DPT)?

Rows: the untuned backbone; DPT alone; RIP (span | ict) x (backbone | prompt) then DPT; and, for each
RIP backbone, that backbone untuned (no prompt) to see what RIP itself did. RIP reads the corpus only
(no queries, no labels); DPT trains on the train split; every row is scored on the eval split against
the full corpus.

    python -m benchmarks.rip --data ../shared/data/scifact --eval-split test
    python -m benchmarks.rip --data data_samples/msmarco --eval-split dev

Model and DPT settings follow the SciFact protocol (mean pooling, cosine / 0.05, prefix 32, query 64 /
passage 128 tokens; 1 epoch, batch 16, lr 1e-2, in-batch negatives, seed 42). RIP runs with its
defaults (lr 2e-5 backbone / 1e-2 prompt, spans of 8-48 words) for --rip-steps steps of
--rip-batch-size pairs; nothing is tuned on the eval split. Each finished row is cached in
--output-dir (row_<key>.json), so the rows can be run one `--rows` at a time; --fresh recomputes.
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

from dptdr_mini.model.checkpoint import atomic_write_bytes
from benchmarks.provenance import cpu_model
from dptdr_mini.config import ModelConfig, TrainConfig
from dptdr_mini.data.loaders import load_data
from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.evaluate.runs import dense_run, score_run
from dptdr_mini.data.examples import examples_from_data
from dptdr_mini.recipes.run import train_and_score
from dptdr_mini.training.rip import RIPConfig, pretrain

METRICS = ("nDCG@10", "MRR@10", "R@100")
RIP_ROWS = [f"{m}-{u}" for u in ("backbone", "prompt") for m in ("span", "ict")]
ALL_ROWS = ["untuned", "dpt", *RIP_ROWS]


def log(msg: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {msg}", flush=True)


def model_config(args, **overrides) -> ModelConfig:
    """The SciFact protocol's model (overrides: backbone, prefix_len)."""
    fields = dict(backbone=args.backbone, mode="prompt", prefix_len=args.prefix_len, pooling="mean", normalize=True,
                  temperature=0.05, query_max_len=args.query_max_len, passage_max_len=args.passage_max_len)
    return ModelConfig(**{**fields, **overrides})


def rip_config(args, method: str, update: str, out: Path) -> RIPConfig:
    """RIP's own settings; the model it trains is `model_config(args)` (its mode set by `update`)."""
    return RIPConfig(overwrite=True, data=args.data, method=method, update=update, output_dir=str(out),
                     steps=args.rip_steps, batch_size=args.rip_batch_size, seed=args.seed, quiet=True)


def evaluate(model, data, name: str, extra: dict) -> dict:
    start = time.perf_counter()
    run, _ = dense_run(model, data, 100, 64, quiet=True)
    secs = time.perf_counter() - start
    return score_run(name, run, data, secs, {**extra, "eval s": round(secs, 1)}).row()


def cached(args, key: str, make) -> dict:
    path = Path(args.output_dir) / f"row_{key}.json"
    if path.is_file() and not args.fresh:
        log(f"{key}: cached ({path})")
        return json.loads(path.read_text())
    row = make()
    atomic_write_bytes(path, json.dumps(row, indent=1).encode())
    log(f"{key}: " + ", ".join(f"{m} {row[m]:.4f}" for m in METRICS))
    return row


def dpt(args, train_data, eval_data, name: str, key: str, backbone: str = "", init: str = "",
        extra: dict | None = None) -> dict:
    """Prompt-tune a fresh (seeded) or RIP-initialised prefix on the train split, score it on the eval split."""
    tcfg = TrainConfig(overwrite=True, data=args.data, output_dir=str(Path(args.output_dir) / key), epochs=args.epochs,
                       batch_size=16, lr=1e-2, negatives=0, seed=args.seed, eval_split="", quiet=True)
    scored = train_and_score(model_config(args, backbone=backbone or args.backbone), tcfg,
                             examples_from_data(train_data), train_data.corpus, eval_data, name, init_checkpoint=init)
    result = scored.training
    log(f"{key}: DPT {result.steps} steps in {result.seconds:.0f} s, loss {result.losses[0]:.3f} -> {result.losses[-1]:.3f}")
    scored.scores.extra = {**(extra or {}), "train s": round(result.seconds, 1),
                           "eval s": round(scored.scores.seconds, 1)}
    return scored.scores.row()


def rip_rows(args, key: str, train_data, eval_data) -> list[dict]:
    method, update = key.split("-")
    out = Path(args.output_dir) / f"rip_{key}"
    state: dict = {}

    def run_rip() -> dict:
        if "rip" not in state:
            done = out / "rip_log.json"
            if done.is_file() and not args.fresh:
                state["rip"] = json.loads(done.read_text())
            else:
                r = pretrain(rip_config(args, method, update, out), model_config(args))
                log(f"{key}: {r.summary()}")
                state["rip"] = dataclasses.asdict(r)
        return state["rip"]

    def rip_extra() -> dict:
        r = run_rip()
        return {"rip s": round(r["seconds"], 1), "rip loss": f"{r['loss_start']:.3f}->{r['loss_end']:.3f}"}

    rows = []
    if update == "backbone":
        rows.append(cached(args, f"{key}-untuned", lambda: evaluate(
            DenseRetriever(model_config(args, backbone=run_rip()["backbone_path"], prefix_len=0)), eval_data,
            f"RIP({method}, backbone), untuned", {**rip_extra(), "train s": 0.0})))
        rows.append(cached(args, key, lambda: dpt(args, train_data, eval_data, f"RIP({method}, backbone) + DPT", key,
                                                  backbone=run_rip()["backbone_path"], extra=rip_extra())))
    else:
        rows.append(cached(args, key, lambda: dpt(args, train_data, eval_data, f"RIP({method}, prompt) + DPT", key,
                                                  init=run_rip()["prompt_path"], extra=rip_extra())))
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.rip", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="data_samples/msmarco")
    p.add_argument("--train-split", default="train")
    p.add_argument("--eval-split", default="dev")
    p.add_argument("--output-dir", default="", help="default runs/bench_rip_<data name>")
    p.add_argument("--rows", default=",".join(ALL_ROWS), help=f"comma list of {ALL_ROWS}")
    p.add_argument("--rip-steps", type=int, default=60)
    p.add_argument("--rip-batch-size", type=int, default=16)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--prefix-len", type=int, default=32)
    p.add_argument("--query-max-len", type=int, default=64)
    p.add_argument("--passage-max-len", type=int, default=128)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--backbone", default="default", help="backbone to start from (a tiny folder for smoke tests)")
    p.add_argument("--fresh", action="store_true", help="recompute cached rows")
    p.add_argument("--results", default="benchmarks/results", help="folder for rip_<data>.csv/.md")
    args = p.parse_args(argv)
    name = Path(args.data).name
    args.output_dir = args.output_dir or f"runs/bench_rip_{name}"
    rows = [r.strip() for r in args.rows.split(",") if r.strip()]
    unknown = sorted(set(rows) - set(ALL_ROWS))
    if unknown:
        p.error(f"--rows: unknown {unknown}; expected some of {ALL_ROWS}")
    start = time.perf_counter()
    train_data, eval_data = load_data(args.data, args.train_split), load_data(args.data, args.eval_split)
    log(f"{name}: corpus {len(eval_data.corpus):,} passages; {len(train_data.qrels)} train queries; "
        f"{len(eval_data.qrels)} {args.eval_split} queries")
    for key in rows:
        if key == "untuned":
            cached(args, key, lambda: evaluate(DenseRetriever(model_config(args, prefix_len=0)), eval_data,
                                               "untuned backbone (mean)", {"train s": 0.0}))
        elif key == "dpt":
            cached(args, key, lambda: dpt(args, train_data, eval_data, "DPT (no RIP)", "dpt"))
        else:
            rip_rows(args, key, train_data, eval_data)
    write_results(args, argv if argv is not None else sys.argv[1:], name, eval_data, time.perf_counter() - start)
    return 0


def collect(args) -> pd.DataFrame:
    """Every cached row of --output-dir, in the table's order."""
    order = ["untuned", "dpt"] + [k for key in RIP_ROWS for k in (f"{key}-untuned", key)]
    rows = [json.loads(f.read_text()) for k in order if (f := Path(args.output_dir) / f"row_{k}.json").is_file()]
    cols = ["system", *METRICS, "corpus", "queries", "rip s", "rip loss", "train s", "eval s", "note"]
    table = pd.DataFrame(rows).fillna("")
    return table[[c for c in cols if c in table]].set_index("system")


def markdown(table: pd.DataFrame) -> str:
    """Metrics to 4 places, seconds to 1, blanks where a row has no value."""
    def cell(col: str, v) -> str:
        if isinstance(v, float):
            return f"{v:.4f}" if col in METRICS else f"{v:.1f}" if col.endswith(" s") else f"{v:,.0f}"
        return f"{v:,}" if isinstance(v, int) else str(v)
    return table.apply(lambda c: [cell(c.name, v) for v in c]).to_markdown(stralign="right", disable_numparse=True)


def write_results(args, argv, name: str, eval_data, total: float) -> None:
    import bm25s
    import faiss
    import transformers

    table = collect(args)
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    cmd = "python -m benchmarks.rip " + " ".join(argv)
    header = (f"# RIP + DPT on {name}\n\n"
              f"Corpus {len(eval_data.corpus):,} passages; scored on `{args.eval_split}` ({len(eval_data.qrels)} "
              f"queries) against the full corpus; DPT trained on `{args.train_split}` ({args.epochs} epoch, batch 16, "
              f"lr 1e-2, in-batch negatives, prefix {args.prefix_len}, mean pooling, cosine / 0.05, query "
              f"{args.query_max_len} / passage {args.passage_max_len} tokens, seed {args.seed}). RIP: "
              f"{args.rip_steps} steps x {args.rip_batch_size} pseudo pairs from the corpus only, default lr "
              f"(2e-5 backbone, 1e-2 prompt), spans 8-48 words. Seconds are wall time on a shared 2-core CPU.\n\n"
              f"Command: `{cmd}` (last invocation; rows cached in `{args.output_dir}`)  \n"
              f"Date: {datetime.now():%Y-%m-%d %H:%M}  \nMachine: {nproc} CPUs, {cpu_model()}  \n"
              f"Packages: python {platform.python_version()}, torch {torch.__version__}, transformers "
              f"{transformers.__version__}, faiss {faiss.__version__}, bm25s {bm25s.__version__}, "
              f"pandas {pd.__version__}\n\n")
    notes = [f"- {system}: {note}" for system, note in zip(table.index, table.get("note", [""] * len(table))) if note]
    table = table.drop(columns=["note"], errors="ignore")
    md = header + markdown(table) + "\n" + ("\n" + "\n".join(notes) + "\n" if notes else "")
    out = Path(args.results)
    atomic_write_bytes(out / f"rip_{name}.md", md.encode())
    atomic_write_bytes(out / f"rip_{name}.csv", table.to_csv().encode())
    print(md)
    log(f"this invocation: {total:.0f} s")


if __name__ == "__main__":
    raise SystemExit(main())
