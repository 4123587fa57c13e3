"""`pretrain` verb: RIP: retrieval-oriented intermediate pretraining."""

from __future__ import annotations

import argparse

from dptdr_mini.cli.common import add_config_flags, config_from_args, parse, verb


@verb("pretrain", "RIP: contrastive pretraining on pseudo pairs cut from a corpus (no labels)")
def main_pretrain(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m dptdr_mini pretrain",
                                description="Retrieval-oriented intermediate pretraining; see dptdr_mini/training/rip.py")
    from dptdr_mini.training.rip import RIPConfig, pretrain
    add_config_flags(p, RIPConfig)
    args = parse(p, argv)
    result = pretrain(config_from_args(RIPConfig, args))
    print(result.summary())
    return 0
