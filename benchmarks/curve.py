"""Learning curves on dev: nDCG@10 against training steps, from step 0, for DPT and FT (with and without RIP).

Nothing is trained here. The points are read from committed results:
- step 0 from `step0-<data>.csv` (the fresh prefix at positions from 0 for prompt rows; the untuned backbone for
  FT rows, or the RIP backbone's own dev score where the recipe scored it);
- every later point from the recipe tables' `dev curve` column (dev nDCG@10 after each epoch).
BM25 on the same dev split is computed live (seconds), and the untuned backbone's dev score is drawn beside it
as a level line, so a reader sees where each row starts, where it ends and what it must beat.

    python -m benchmarks.curve --data ../shared/data/scifact --configs paper,native
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from dptdr_mini.data.splits import load_split  # noqa: E402
from dptdr_mini.evaluate.metrics import evaluate_run  # noqa: E402
from dptdr_mini.retrieve.bm25 import BM25Retriever  # noqa: E402

from .provenance import RESULTS, SCIFACT, provenance, write_results  # noqa: E402

STEP0_LABEL = {"paper": "paper (cls, dot, temperature 1)", "native": "native (mean, cosine, temperature 0.05)"}
ROWS = ("FT", "DPT", "DPT+RIP", "FT+RIP")


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, comment="#")


def curve_rows(name: str, config: str, step0: pd.Series, seed: int, steps_per_epoch: int) -> list[dict]:
    """One row per (system, step): dev nDCG@10, from the step-0 scores of `config` (indexed by the step-0
    table's model names) and the recipe table's dev curve."""
    recipe = read_csv(RESULTS / f"recipe-{name}-{config}-seed{seed}.csv").set_index("system")
    start = {"FT": step0["untuned (no prefix)"], "DPT": step0["random prefix, positions from 0"]}
    out = []
    for system in ROWS:
        if system not in recipe.index:
            continue
        curve = json.loads(recipe.loc[system, "dev curve"])
        points = ([(0, start[system])] if system in start else []) + [
            ((i + 1) * steps_per_epoch, v) for i, v in enumerate(curve)]
        out += [{"configuration": config, "system": system, "step": s, "dev nDCG@10": round(float(v), 4)}
                for s, v in points]
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=str(SCIFACT))
    p.add_argument("--configs", default="paper,native")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--dev-from-train", type=float, default=0.1)
    p.add_argument("--batch-size", type=int, default=16, help="the recipe's batch size, to turn epochs into steps")
    args = p.parse_args()
    name = Path(args.data).name
    train = load_split(args.data, "train", args.dev_from_train)
    dev = load_split(args.data, "dev", args.dev_from_train)
    steps_per_epoch = math.ceil(len(train.qrels) / args.batch_size)
    bm25 = evaluate_run(BM25Retriever(dev.corpus).search(dev.queries, 100), dev.qrels)["nDCG@10"]
    configs = args.configs.split(",")
    step0 = read_csv(RESULTS / f"step0-{name}.csv")
    rows, levels = [], {}
    for config in configs:
        start = step0[step0["configuration"] == STEP0_LABEL[config]].set_index("model at step 0")["nDCG@10"]
        rows += curve_rows(name, config, start, args.seed, steps_per_epoch)
        levels[config] = {"BM25": round(bm25, 4), "untuned": float(start["untuned (no prefix)"])}
    table = pd.DataFrame(rows)

    fig, axes = plt.subplots(1, len(configs), figsize=(5.5 * len(configs), 4), sharey=True, squeeze=False)
    for ax, config in zip(axes[0], configs):
        part = table[table["configuration"] == config]
        for system, group in part.groupby("system", sort=False):
            ax.plot(group["step"], group["dev nDCG@10"], marker="o", label=system)
        ax.axhline(levels[config]["BM25"], color="grey", linestyle="--", label="BM25")
        ax.axhline(levels[config]["untuned"], color="black", linestyle=":", label="untuned backbone")
        ax.set(title=f"{name}, {STEP0_LABEL[config]}", xlabel=f"training steps (batch {args.batch_size})",
               ylabel=f"dev nDCG@10 ({len(dev.qrels)} queries, {len(dev.corpus):,} passages)")
        ax.legend(fontsize=8)
    fig.tight_layout()
    png = RESULTS / f"curve-{name}.png"
    fig.savefig(png.with_suffix(".part.png"), dpi=100)
    png.with_suffix(".part.png").replace(png)

    notes = [f"Dev split: {args.dev_from_train:g} of `train` carved by hashed query id ({len(dev.qrels)} queries), "
             f"scored against the full corpus of {len(dev.corpus):,} passages; test is not read here.",
             f"Step 0 from `step0-{name}.csv`; epochs from `recipe-{name}-<config>-seed{args.seed}.csv` "
             f"({steps_per_epoch} steps an epoch: {len(train.qrels)} train queries / batch {args.batch_size}). "
             "RIP rows have no step-0 point (their start, the RIP backbone on dev, was not scored).",
             "Levels on dev: " + "; ".join(f"{c}: BM25 {v['BM25']:.4f}, untuned {v['untuned']:.4f}"
                                           for c, v in levels.items()) + ".",
             f"Plot: `curve-{name}.png`."]
    print(write_results(f"curve-{name}", table, {**provenance("benchmarks.curve"), "data": args.data}, notes))


if __name__ == "__main__":
    main()
