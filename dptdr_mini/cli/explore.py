"""`explore` verb: compare retrievers on one query."""

from __future__ import annotations

import argparse

from dptdr_mini.cli.common import add_config_flags, add_model_flags, config_from_args, model_config_from_args, parse, verb


@verb("explore", "compare retrievers on one query: ranked passages, rank changes, prefix attention per layer")
def main_explore(argv: list[str]) -> int:
    from dptdr_mini.explore.widget import ExploreConfig

    p = argparse.ArgumentParser(prog="python -m dptdr_mini explore")
    add_config_flags(p, ExploreConfig)
    add_model_flags(p)
    args = parse(p, argv)
    cfg = config_from_args(ExploreConfig, args)
    mcfg, backbone = model_config_from_args(args, argv, list(cfg.checkpoint))
    from dptdr_mini.data.loaders import load_data
    from dptdr_mini.explore.widget import explore_query, hits_table

    data = load_data(cfg.data, cfg.split)
    print(f"{data!r}")
    print(hits_table(explore_query(data, cfg, mcfg, backbone)))
    return 0
