"""`mine` verb: UNM: mine hard negatives."""

from __future__ import annotations

import argparse
import time

from dptdr_mini.cli.common import add_config_flags, add_model_flags, config_from_args, model_config_from_args, parse, verb


@verb("mine", "mine hard negatives from BM25 and a dense retriever into a training file (UNM)")
def main_mine(argv: list[str]) -> int:
    from dptdr_mini.mining.unm import MineConfig, mine_negatives, mining_summary
    p = argparse.ArgumentParser(prog="python -m dptdr_mini mine")
    add_config_flags(p, MineConfig)
    p.add_argument("--no-fn-filter", dest="fn_filter", action="store_const", const="none",
                   help="the same as --fn-filter none (the filter was a yes/no flag before it had modes)")
    add_model_flags(p)
    args = parse(p, argv)
    cfg = config_from_args(MineConfig, args)
    mcfg, backbone = model_config_from_args(args, argv, [cfg.checkpoint] if cfg.checkpoint and cfg.needs_dense() else [])
    start = time.perf_counter()
    model = None
    if cfg.needs_dense():
        from dptdr_mini.model.checkpoint import load_or_untuned
        model = load_or_untuned(cfg.checkpoint, mcfg, backbone)
    examples = mine_negatives(cfg, model=model)
    summary = mining_summary(examples)
    print(f"mined {summary['negatives']:,} negatives for {summary['queries']:,} queries of {cfg.data} "
          f"{cfg.split} in {time.perf_counter() - start:.1f} s -> {cfg.output or '(not written)'}")
    print("  " + ", ".join(f"{k} {v}" for k, v in summary.items() if k not in ("queries", "negatives")))
    return 0
