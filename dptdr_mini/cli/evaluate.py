"""`evaluate` verb: score a retriever on a split against its full corpus."""

from __future__ import annotations

import argparse
import json
import sys
import warnings

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
    from dptdr_mini.errors import DataQuirkWarning
    from dptdr_mini.evaluate.runs import (check_not_an_input, evaluate_bm25, evaluate_dense, results_table,
                                          write_trec_run)
    from dptdr_mini.model.checkpoint import load_or_untuned, untuned_name

    if cfg.run_output:  # before the slow part
        check_not_an_input("--run-output", cfg.run_output, [cfg.data] + ([cfg.checkpoint] if cfg.checkpoint else []))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataQuirkWarning)
        data = load_split(cfg.data, cfg.split, cfg.dev_from_train, cfg.strict)
    for w in caught:
        if issubclass(w.category, DataQuirkWarning):
            print(f"warning: {w.message}", file=sys.stderr)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if cfg.retriever == "bm25":
        result = evaluate_bm25(data, cfg.depth, recall_ks=cfg.recall_ks(), min_rel=cfg.min_rel)
    else:
        model = load_or_untuned(cfg.checkpoint, mcfg, backbone)
        result = evaluate_dense(model, data, cfg.checkpoint or untuned_name(model.cfg), cfg.depth, cfg.batch_size,
                                cfg.quiet, recall_ks=cfg.recall_ks(), min_rel=cfg.min_rel)
    print(f"{data.name} {data.split}: {len(data.corpus):,} passages, {len(data.qrels):,} queries")
    print_table(results_table([result]))
    if args.json:
        from dptdr_mini.model.checkpoint import atomic_write_bytes
        atomic_write_bytes(args.json, json.dumps(result.row(), indent=2).encode())
    if cfg.run_output:
        write_trec_run(cfg.run_output, result.run, cfg.run_tag)
        print(f"run written to {cfg.run_output} (tag {cfg.run_tag})")
    return 0
