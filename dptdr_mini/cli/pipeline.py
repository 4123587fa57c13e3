"""`pipeline` verb: the whole DPTDR recipe."""

from __future__ import annotations

import argparse

from dptdr_mini.config import ModelConfig, TrainConfig
from dptdr_mini.cli.common import add_config_flags, config_from_args, parse, print_table, verb


@verb("pipeline", "the DPTDR recipe in one command: (RIP) -> DPT on BM25 negatives -> mine -> DPT on the union")
def main_pipeline(argv: list[str]) -> int:
    from dptdr_mini.recipes.pipeline import PipelineConfig, run_pipeline
    from dptdr_mini.recipes.run import RECIPE_SETS
    p = argparse.ArgumentParser(prog="python -m dptdr_mini pipeline",
                                description="The ModelConfig flags describe every model of the run (RIP's too, "
                                "with all weights trained); the TrainConfig flags train each stage, and --seed "
                                "also seeds RIP and mining.")
    add_config_flags(p, PipelineConfig)
    add_config_flags(p, ModelConfig)
    add_config_flags(p, TrainConfig, skip=RECIPE_SETS)
    args = parse(p, argv)
    cfg = config_from_args(PipelineConfig, args)
    table = run_pipeline(cfg, config_from_args(ModelConfig, args), config_from_args(TrainConfig, args))
    print_table(table)
    print(", ".join(f"{k} {v}" for k, v in table.attrs.items()) + f"; results in {cfg.output_dir}/results.md")
    return 0
