"""What was tried to close the DPT-to-FT gap: one-knob variations of the ablation's DPT row, one seed.

    python -m benchmarks.dpt_sweep --data ../shared/data/scifact --dev-from-train 0.1 --eval-split dev --seeds 42,43,44
    python -m benchmarks.dpt_sweep --data data_samples/msmarco --variants "DPT (ablation row)|DPT, prefix 128"

Each row is the ablation's DPT row (`benchmarks/ablation.py`: BM25 negatives, mean pooling, cosine / 0.05,
prefix 32, lr 1e-2, 1 epoch of batch 16) or its FT row, with one knob changed (one row combines two), trained on the train
split and scored on the eval split against the full corpus. "FT, 3 epochs" is the fine-tuning reference
at the longer budget, so that "more steps" is compared at equal steps. Results are rewritten after every
row (benchmarks/results/dpt_sweep-<data>-<eval split>.{csv,md}), and rows already there are not trained again.
Settings are read on a dev split (`--dev-from-train` carves one from train by hashed query id); the committed
`dpt_sweep-scifact.md` is the older sweep, read on test with shifted positions, kept as it was measured.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from pathlib import Path

import pandas as pd

from benchmarks.ablation import METRICS, machine, mine, trained_row
from dptdr_mini.config import ModelConfig
from dptdr_mini.data.splits import load_split

# name -> (ModelConfig changes, training-argument changes)
VARIANTS: dict[str, tuple[dict, dict]] = {
    "DPT (ablation row)": ({}, {}),
    "DPT, shifted positions": ({"position_mode": "shifted"}, {}),
    "DPT, prefix 128": ({"prefix_len": 128}, {}),
    "DPT, lr 3e-2": ({}, {"lr": 3e-2}),
    "DPT, prefix from real tokens": ({"prefix_init": "tokens"}, {}),
    "DPT, lr 3e-3": ({}, {"lr": 3e-3}),
    "DPT, prefix through an MLP": ({"prefix_projection": True}, {}),
    "DPT, 3 epochs": ({}, {"epochs": 3}),
    "DPT, 10 epochs": ({}, {"epochs": 10}),
    "DPT, prefix 128, 10 epochs": ({"prefix_len": 128}, {"epochs": 10}),
    "FT (ablation row)": ({"mode": "finetune"}, {"lr": 2e-5}),
    "FT, 3 epochs": ({"mode": "finetune"}, {"epochs": 3, "lr": 2e-5}),
    "FT, 10 epochs": ({"mode": "finetune"}, {"epochs": 10, "lr": 2e-5}),
}


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="data_samples/msmarco")
    p.add_argument("--train-split", default="train")
    p.add_argument("--eval-split", default="dev")
    p.add_argument("--dev-from-train", type=float, default=0.0,
                   help="carve the train and dev splits from train by hashed query id (e.g. 0.1)")
    p.add_argument("--seeds", default="42", help="comma-separated; rows report mean and sd over them")
    p.add_argument("--backbone", default="default", help="backbone folder (default: the bundled MiniLM)")
    p.add_argument("--variants", default="|".join(VARIANTS), help="names separated by '|', from: " + " | ".join(VARIANTS))
    p.add_argument("--output-dir", default="runs/dpt_sweep")
    args = p.parse_args(argv)
    chosen = [v.strip() for v in args.variants.split("|") if v.strip()]
    unknown = [v for v in chosen if v not in VARIANTS]
    if unknown:
        p.error(f"--variants: unknown {unknown}; expected names from {list(VARIANTS)}")
    name = f"dpt_sweep-{Path(args.data).name}-{args.eval_split}"
    csv = Path("benchmarks/results") / f"{name}.csv"
    done = pd.read_csv(csv) if csv.is_file() else pd.DataFrame(columns=["system", "seed"])
    rows = done.to_dict("records")
    finished = set(zip(done["system"], done["seed"]))
    train_data = load_split(args.data, args.train_split, args.dev_from_train)
    eval_data = load_split(args.data, args.eval_split, args.dev_from_train)
    print(f"{eval_data!r}\ntrain: {train_data!r}", flush=True)
    out = Path(args.output_dir) / name
    base = ModelConfig(backbone=args.backbone, mode="prompt", prefix_len=32, pooling="mean", normalize=True,
                       temperature=0.05, query_max_len=64, passage_max_len=128)
    for seed in [int(x) for x in args.seeds.split(",")]:
        negatives = mine(None, None, train_data, "bm25", argparse.Namespace(train_split=args.train_split), seed,
                         out / f"seed{seed}" / "negatives_bm25.jsonl")
        for variant in chosen:
            if (variant, seed) in finished:
                print(f"  {variant} seed {seed}: already in {csv}, skipped", flush=True)
                continue
            model_changes, train_changes = VARIANTS[variant]
            targs = argparse.Namespace(**{"epochs": 1, "batch_size": 16, "lr": 1e-2, **train_changes})
            folder = out / f"seed{seed}" / variant.replace(" ", "_").replace(",", "")
            row = trained_row(variant, dataclasses.replace(base, **model_changes), negatives, train_data, eval_data,
                              targs, seed, folder)[0]
            row.update(epochs=targs.epochs, lr=targs.lr)
            rows.append(row)
            write(rows, args, argv, name, train_data, eval_data)


def markdown(agg: pd.DataFrame) -> str:
    """Metrics to 4 decimals, lr as written (2e-05, not 0.0000), seconds to 0.1."""
    shown = agg.copy()
    for col in shown.columns:
        if col == "lr":
            shown[col] = shown[col].map(lambda x: f"{x:g}")
        elif col == "train s":
            shown[col] = shown[col].map(lambda x: f"{x:.1f}")
        elif shown[col].dtype.kind == "f":
            shown[col] = shown[col].map(lambda x: "" if pd.isna(x) else f"{x:.4f}")
    return shown.to_markdown(disable_numparse=True)


def write(rows, args, argv, name, train_data, eval_data) -> None:
    table = pd.DataFrame(rows)
    results = Path("benchmarks/results")
    results.mkdir(parents=True, exist_ok=True)
    table.to_csv(results / f"{name}.csv", index=False)
    agg = table.groupby("system", sort=False).agg(
        **{m: (m, "mean") for m in METRICS}, **{f"{m} sd": (m, "std") for m in METRICS[:1]},
        seeds=("seed", "size"), trainable=("trainable", "first"), steps=("steps", "first"), epochs=("epochs", "first"),
        lr=("lr", "first"), **{"train s": ("train s", "mean")}, corpus=("corpus", "first"), queries=("queries", "first"))
    header = (f"# DPT variations on `{args.data}`\n\nCommand: `python -m benchmarks.dpt_sweep "
              f"{' '.join(sys.argv[1:] if argv is None else argv)}`  \nDate: {time.strftime('%Y-%m-%d %H:%M')}; "
              f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}.  \nTrained on `{args.train_split}` "
              f"({len(train_data.qrels)} queries), scored on `{args.eval_split}` ({len(eval_data.qrels)} queries) "
              f"against the full corpus of {len(eval_data.corpus):,} passages. Every row is the ablation's DPT row "
              f"(or FT row) with one knob changed, its name says which; mean over the seeds listed, sd where "
              f"there are several.\n\n")
    for col in ("seeds", "trainable", "steps", "epochs", "corpus", "queries"):
        agg[col] = agg[col].astype("Int64")
    (results / f"{name}.md").write_text(header + markdown(agg) + "\n")
    print(f"  wrote {results / name}.md", flush=True)


if __name__ == "__main__":
    main()
