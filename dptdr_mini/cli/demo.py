"""`demo` verb: the main job on the sample."""

from __future__ import annotations

import argparse

from dptdr_mini.config import ModelConfig, TrainConfig
from dptdr_mini.cli.common import add_config_flags, config_from_args, parse, print_table, verb


def set_verb_defaults(parser: argparse.ArgumentParser, why: str, **defaults) -> None:
    """`parser.set_defaults`, and each flag's help shows this verb's default (and why) beside the dataclass's."""
    for action in parser._actions:        # argparse has no public list of a parser's actions
        if action.dest in defaults and action.help:
            action.help = (action.help.rsplit(" (default: ", 1)[0]
                           + f" (default here: {defaults[action.dest]!r}, {why}; the dataclass's: {action.default!r})")
    parser.set_defaults(**defaults)


def as_flags(values: dict) -> str:
    """{"pooling": "mean", "normalize": True} -> "--pooling mean --normalize"."""
    def flag(name: str, value) -> str:
        name = name.replace("_", "-")
        return (f"--{name}" if value else f"--no-{name}") if isinstance(value, bool) else f"--{name} {value}"
    return " ".join(flag(k, v) for k, v in values.items())


@verb("demo", "the main job: untuned, BM25, prompt-tuned and fine-tuned retrievers on one table")
def main_demo(argv: list[str]) -> int:
    from dptdr_mini.recipes.demo import DEMO_MODEL, DemoConfig, run_demo
    from dptdr_mini.recipes.run import RECIPE_SETS
    p = argparse.ArgumentParser(prog="python -m dptdr_mini demo",
                                description="BM25, the untuned backbone, DPT and FT on one table. The demo's own "
                                f"defaults: {as_flags(DEMO_MODEL)}, as all-MiniLM-L6-v2 was trained (ModelConfig's "
                                "are cls, dot product and 1.0, as the paper's RoBERTa was trained).")
    add_config_flags(p, DemoConfig)
    add_config_flags(p, ModelConfig, skip=("mode",))             # the demo trains both modes
    add_config_flags(p, TrainConfig, skip=RECIPE_SETS)
    set_verb_defaults(p, "as all-MiniLM-L6-v2 was trained", **DEMO_MODEL)
    args = parse(p, argv)
    table = run_demo(config_from_args(DemoConfig, args), config_from_args(ModelConfig, args),
                     config_from_args(TrainConfig, args))
    print_table(table)
    return 0
