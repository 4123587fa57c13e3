"""`evaluate` verb: score a retriever on a split against its full corpus."""

from __future__ import annotations

import argparse
import json

from dptdr_mini.config import EvalConfig
from dptdr_mini.cli.common import (add_config_flags, add_model_flags, config_from_args, model_config_from_args, parse,
                                   print_table, verb)


@verb("evaluate", "score a checkpoint, the untuned backbone or BM25 on a split (full corpus)")
def main_evaluate(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m dptdr_mini evaluate")
    add_config_flags(p, EvalConfig)
    add_model_flags(p)
    p.add_argument("--json", default="", help="also write the metrics to this JSON file")
    args = parse(p, argv)
    cfg = config_from_args(EvalConfig, args)
    mcfg, backbone = model_config_from_args(args, argv, [cfg.checkpoint] if cfg.checkpoint else [])
    from dptdr_mini.data.splits import load_split
    from dptdr_mini.evaluate.runs import evaluate_bm25, evaluate_dense, results_table
    from dptdr_mini.model.checkpoint import load_or_untuned, untuned_name

    data = load_split(cfg.data, cfg.split, cfg.dev_from_train)
    if cfg.retriever == "bm25":
        result = evaluate_bm25(data, cfg.depth)
    else:
        model = load_or_untuned(cfg.checkpoint, mcfg, backbone)
        result = evaluate_dense(model, data, cfg.checkpoint or untuned_name(model.cfg), cfg.depth, cfg.batch_size,
                                cfg.quiet)
    print(f"{data.name} {data.split}: {len(data.corpus):,} passages, {len(data.qrels):,} queries")
    print_table(results_table([result]))
    if args.json:
        from dptdr_mini.model.checkpoint import atomic_write_bytes
        atomic_write_bytes(args.json, json.dumps(result.row(), indent=2).encode())
    return 0
