"""The DPTDR ablation table: BM25, untuned backbone, FT, DPT, DPT+RIP, DPT+UNM, DPTDR (RIP + UNM).

    python -m benchmarks.ablation --data ../shared/data/scifact --eval-split test --seeds 42,43,44
    python -m benchmarks.ablation --data data_samples/msmarco --eval-split dev --epochs 2

Every trained row uses the same seed, step budget (epochs x ceil(queries / batch)), optimiser and one
hard negative per query per step; rows differ only in what the recipe changes:
- FT        fine-tune all weights, BM25 negatives;
- DPT       prompt on the frozen backbone, BM25 negatives (also stage 1 of UNM: it mines for DPT+UNM);
- DPT+RIP   prompt on the RIP backbone (span pairs from the training corpus, no labels), BM25 negatives;
- DPT+UNM   prompt on the frozen backbone, union of BM25 + dense negatives mined by the DPT row's model;
- DPTDR     prompt on the RIP backbone, union negatives mined by the DPT+RIP row's model.
RIP runs once per corpus (seed 42), as the paper trains one retrieval-oriented backbone per corpus.
Trained rows report mean and standard deviation over the seeds; every row is scored on the eval split
against its full corpus, and the corpus size is written next to the metrics.
"""

from __future__ import annotations

import argparse
import os
import dataclasses
import platform
import sys
import time
from pathlib import Path

import pandas as pd
import torch

from benchmarks.provenance import cpu_model
from dptdr_mini.config import ModelConfig, TrainConfig
from dptdr_mini.data.loaders import load_data
from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.evaluate.runs import evaluate_bm25, evaluate_dense
from dptdr_mini.mining.unm import MineConfig, mine_negatives
from dptdr_mini.recipes.run import train_and_score
from dptdr_mini.training.rip import RIPConfig, pretrain

METRICS = ["nDCG@10", "MRR@10", "R@100"]
ORDER = ["BM25", "untuned backbone", "FT", "DPT", "DPT+RIP", "DPT+UNM", "DPTDR (RIP+UNM)"]


def machine() -> str:
    import transformers
    gpu = f"GPU {torch.cuda.get_device_name(0)} (training and encoding ran there); " if torch.cuda.is_available() else ""
    return (f"{gpu}cpu: {cpu_model()}, {torch.get_num_threads()} torch threads; python "
            f"{platform.python_version()}, torch {torch.__version__}, transformers {transformers.__version__}")


def trained_row(name, mcfg, examples, train_data, eval_data, args, seed, out: Path):
    """One trained row (`train_and_score`); -> (row, model, the eval corpus's index for mining)."""
    tcfg = TrainConfig(overwrite=True, output_dir=str(out), epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
                       negatives=1, seed=seed, eval_split="", quiet=True)
    scored = train_and_score(mcfg, tcfg, examples, train_data.corpus, eval_data, name)
    model, result = scored.model, scored.training
    row = scored.scores.row()
    row.update(seed=seed, trainable=model.parameter_report()["trainable"],
               share=round(model.parameter_report()["share"], 5), steps=result.steps,
               **{"train s": round(result.seconds, 1), "eval s": round(scored.scores.seconds, 1)})
    print(f"  {name:18s} seed {seed}: " + ", ".join(f"{m} {row[m]:.4f}" for m in METRICS)
          + f"  ({row['train s']} s train)", flush=True)
    return row, model, scored.index


def mine(model, index, train_data, sources, args, seed, out: Path):
    # the committed ablation results were mined with the margin filter and no rank window: kept to reproduce them
    cfg = MineConfig(split=args.train_split, sources=sources, fn_filter="none" if sources == "bm25" else "margin",
                     skip_top=0, depth=100,
                     negatives=8, seed=seed, output=str(out), quiet=True)
    same_corpus = index is not None and len(index) == len(train_data.corpus)
    return mine_negatives(cfg, data=train_data, model=model, index=index if same_corpus else None)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="data_samples/msmarco")
    p.add_argument("--train-split", default="train")
    p.add_argument("--eval-split", default="dev")
    p.add_argument("--seeds", default="42,43,44")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--lr", type=float, default=1e-2, help="prompt rows; FT uses 2e-5")
    p.add_argument("--prefix-len", type=int, default=32)
    p.add_argument("--passage-max-len", type=int, default=128)
    p.add_argument("--query-max-len", type=int, default=64)
    p.add_argument("--rip-steps", type=int, default=100)
    p.add_argument("--name", default="", help="results file stem (default: ablation-<data folder name>)")
    p.add_argument("--output-dir", default="runs/ablation")
    args = p.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    name = args.name or f"ablation-{Path(args.data).name}"
    out = Path(args.output_dir) / name
    wall = time.perf_counter()
    train_data, eval_data = load_data(args.data, args.train_split), load_data(args.data, args.eval_split)
    print(f"{eval_data!r}\ntrain: {train_data!r}", flush=True)
    base = ModelConfig(mode="prompt", prefix_len=args.prefix_len, pooling="mean", normalize=True, temperature=0.05,
                       query_max_len=args.query_max_len, passage_max_len=args.passage_max_len)
    rows = [evaluate_bm25(eval_data).row()]
    rows.append(evaluate_dense(DenseRetriever(dataclasses.replace(base, prefix_len=0)), eval_data,
                               "untuned backbone", quiet=True).row())
    rows[-1].update(trainable=0)
    print(f"  BM25 / untuned: nDCG@10 {rows[0]['nDCG@10']:.4f} / {rows[1]['nDCG@10']:.4f}", flush=True)

    start = time.perf_counter()
    rip_folder = out / "rip" / "backbone"
    rip = pretrain(RIPConfig(overwrite=True, data=args.data, method="span", update="backbone", steps=args.rip_steps,
                             batch_size=args.batch_size, output_dir=str(out / "rip"), seed=42, quiet=True), base) \
        if not (rip_folder / "config.json").is_file() else None
    rip_s = f"{time.perf_counter() - start:.1f} s"
    rip_path = rip.backbone_path if rip else str(rip_folder)
    if rip is None:
        rip_s = "reused from an earlier run of this command"
    print(f"  RIP: {rip.summary() if rip else 'reused ' + rip_path}", flush=True)
    rip_cfg = dataclasses.replace(base, backbone=rip_path)

    for seed in seeds:
        s = out / f"seed{seed}"
        bm25_neg = mine(None, None, train_data, "bm25", args, seed, s / "negatives_bm25.jsonl")
        ft = dataclasses.replace(base, mode="finetune")
        args_ft = argparse.Namespace(**{**vars(args), "lr": 2e-5})
        rows.append(trained_row("FT", ft, bm25_neg, train_data, eval_data, args_ft, seed, s / "ft")[0])
        for tag, mcfg in (("", base), ("+RIP", rip_cfg)):
            row, model, index = trained_row(f"DPT{tag}", mcfg, bm25_neg, train_data, eval_data, args, seed,
                                            s / f"dpt{tag}")
            rows.append(row)
            unm_neg = mine(model, index, train_data, "bm25,dense", args, seed, s / f"negatives_unm{tag}.jsonl")
            label = "DPTDR (RIP+UNM)" if tag else "DPT+UNM"
            rows.append(trained_row(label, mcfg, unm_neg, train_data, eval_data, args, seed, s / label)[0])
        write_results(rows, args, argv, name, train_data, eval_data, wall, rip_s)


def write_results(rows, args, argv, name, train_data, eval_data, wall, rip_s) -> None:
    """Write the per-seed CSV and the aggregate table (rewritten after every seed, so partial runs count)."""
    per_seed = pd.DataFrame(rows)
    agg = per_seed.groupby("system", sort=False).agg(
        **{m: (m, "mean") for m in METRICS}, **{f"{m} sd": (m, "std") for m in METRICS},
        seeds=("system", "size"), trainable=("trainable", "first"), corpus=("corpus", "first"),
        queries=("queries", "first"), **{"train s": ("train s", "mean")}).reindex(ORDER)
    results = Path("benchmarks/results")
    results.mkdir(parents=True, exist_ok=True)
    per_seed.to_csv(results / f"{name}-per-seed.csv", index=False)
    agg.to_csv(results / f"{name}.csv")
    total = round(time.perf_counter() - wall)
    header = (f"# DPTDR ablation on `{args.data}`\n\nCommand: `python -m benchmarks.ablation "
              f"{' '.join(sys.argv[1:] if argv is None else argv)}`  \nDate: {time.strftime('%Y-%m-%d %H:%M')}; "
              f"machine: {machine()}; wall time {total} s (RIP: {rip_s}); load average at the end "
              f"{os.getloadavg()[0]:.1f} (other jobs shared the 2 cores: times are noisy).  \n"
              f"Trained on `{args.train_split}` ({len(train_data.qrels)} queries), scored on `{args.eval_split}` "
              f"({len(eval_data.qrels)} queries) against the full corpus of {len(eval_data.corpus):,} passages. "
              f"MiniLM-L6 backbone, mean pooling, cosine / 0.05, prefix {args.prefix_len}, passages cut at "
              f"{args.passage_max_len} tokens, {args.epochs} epoch(s) of batch {args.batch_size} + 1 hard negative "
              f"per query, lr {args.lr} (prompt) / 2e-5 (FT), seeds {args.seeds} (mean, sd over seeds).\n\n")
    for col in ("seeds", "trainable", "corpus", "queries"):
        agg[col] = agg[col].astype("Int64")
    agg["train s"] = agg["train s"].round(1)
    table = agg.to_markdown(floatfmt=".4f")
    (results / f"{name}.md").write_text(header + table + "\n")
    print(header + table, flush=True)


if __name__ == "__main__":
    main()
