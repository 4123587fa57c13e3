"""`demo` verb: the main job on the sample."""

from __future__ import annotations

import argparse

from dptdr_mini.cli.common import add_config_flags, config_from_args, parse, print_table, verb


@verb("demo", "the main job: untuned, BM25, prompt-tuned and fine-tuned retrievers on one table")
def main_demo(argv: list[str]) -> int:
    from dptdr_mini.recipes.demo import DemoConfig, run_demo
    p = argparse.ArgumentParser(prog="python -m dptdr_mini demo")
    add_config_flags(p, DemoConfig)
    args = parse(p, argv)
    cfg = config_from_args(DemoConfig, args)
    table = run_demo(cfg)
    print_table(table)
    return 0
