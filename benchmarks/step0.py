"""Step 0: what a freshly initialised prefix does to the frozen backbone, before any training.

A prompt-tuned run can only end well if it starts near the untuned model. This scores, on a dev split carved
from train (never test), the untuned backbone and a fresh prefix for every position mode and initialisation,
in both configurations the kit teaches: the backbone's native one (mean pooling, cosine) and the paper's
(CLS pooling, dot product). The default `--position-mode` and `--prefix-init` are chosen from this table.

    python -m benchmarks.step0 --data ../shared/data/scifact --dev-from-train 0.1
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import pandas as pd
import torch

from dptdr_mini.config import ModelConfig
from dptdr_mini.data.splits import load_split
from dptdr_mini.evaluate.runs import evaluate_dense
from dptdr_mini.model.backbone import load_backbone
from dptdr_mini.model.retriever import DenseRetriever

from .provenance import SCIFACT, provenance, write_results

CONFIGS = {"native": dict(pooling="mean", normalize=True, temperature=0.05),   # how MiniLM was trained
           "paper": dict(pooling="cls", normalize=False, temperature=1.0)}     # DPTDR's code
PREFIXES = [("untuned (no prefix)", dict(prefix_len=0)),
            ("random prefix, shifted positions", dict(prefix_init="random", position_mode="shifted")),
            ("random prefix, positions from 0", dict(prefix_init="random", position_mode="zero")),
            ("token prefix, shifted positions", dict(prefix_init="tokens", position_mode="shifted")),
            ("token prefix, positions from 0", dict(prefix_init="tokens", position_mode="zero"))]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=str(SCIFACT))
    p.add_argument("--dev-from-train", type=float, default=0.1)
    p.add_argument("--prefix-len", type=int, default=32)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--configs", default=",".join(CONFIGS), help="comma-separated subset of the configurations")
    p.add_argument("--name", default="step0-scifact")
    args = p.parse_args()
    header = provenance("benchmarks.step0")
    dev = load_split(args.data, "dev", args.dev_from_train)
    backbone, tokenizer = load_backbone()
    rows = []
    for cname in args.configs.split(","):
        for pname, prefix in PREFIXES:
            torch.manual_seed(args.seed)
            cfg = ModelConfig(**{**CONFIGS[cname], "prefix_len": args.prefix_len, **prefix})
            model = DenseRetriever(cfg, backbone, tokenizer).eval()
            start = time.perf_counter()
            result = evaluate_dense(model, dev, pname, quiet=True)
            label = "{pooling}, {}, temperature {temperature:g}".format(
                "cosine" if cfg.normalize else "dot", **CONFIGS[cname])
            rows.append({"configuration": f"{cname} ({label})", "model at step 0": pname, **{k: round(v, 4) for k, v in result.metrics.items()},
                         "corpus": result.corpus_size, "dev queries": result.num_queries,
                         "seconds": round(time.perf_counter() - start, 1)})
            print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    notes = [f"Dev split: {args.dev_from_train:g} of `train` carved by hashed query id ({dev.split}); scored against "
             f"the full corpus of {len(dev.corpus):,} passages. Prefix length {args.prefix_len}, seed {args.seed}, "
             "passages cut at 128 tokens, eval mode (no prefix dropout).",
             "Token prefix: the backbone's own keys/values of a fixed sentence (ModelConfig.prefix_init='tokens')."]
    print(write_results(args.name, table, {**header, "data": args.data}, notes))


if __name__ == "__main__":
    main()
