"""`pipeline` verb: the whole DPTDR recipe."""

from __future__ import annotations

import argparse

from dptdr_mini.config import ModelConfig
from dptdr_mini.cli.common import add_config_flags, config_from_args, parse, print_table, verb


@verb("pipeline", "the DPTDR recipe in one command: (RIP) -> DPT on BM25 negatives -> mine -> DPT on the union")
def main_pipeline(argv: list[str]) -> int:
    from dptdr_mini.recipes.pipeline import PipelineConfig, run_pipeline
    p = argparse.ArgumentParser(prog="python -m dptdr_mini pipeline")
    add_config_flags(p, PipelineConfig)
    add_config_flags(p, ModelConfig)
    args = parse(p, argv)
    cfg, mcfg = config_from_args(PipelineConfig, args), config_from_args(ModelConfig, args)
    table = run_pipeline(cfg, mcfg)
    print_table(table)
    print(", ".join(f"{k} {v}" for k, v in table.attrs.items()) + f"; results in {cfg.output_dir}/results.md")
    return 0
