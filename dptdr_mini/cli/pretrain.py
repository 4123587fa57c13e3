"""`pretrain` verb: RIP: retrieval-oriented intermediate pretraining."""

from __future__ import annotations

import argparse

from dptdr_mini.config import ModelConfig
from dptdr_mini.cli.common import add_config_flags, config_from_args, parse, verb

# --update picks the mode; RIP saves one backbone, so its encoder is always tied
RIP_SETS = ("mode", "tied")


@verb("pretrain", "RIP: contrastive pretraining on pseudo pairs cut from a corpus (no labels)")
def main_pretrain(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m dptdr_mini pretrain",
                                description="Retrieval-oriented intermediate pretraining; see dptdr_mini/training/rip.py. "
                                "The ModelConfig flags describe the model RIP trains: give `train` the same ones "
                                "afterwards (--query-max-len / --passage-max-len cut the pseudo query / "
                                "positive).")
    from dptdr_mini.training.rip import RIPConfig, pretrain
    add_config_flags(p, RIPConfig)
    add_config_flags(p, ModelConfig, skip=RIP_SETS)
    args = parse(p, argv)
    result = pretrain(config_from_args(RIPConfig, args), config_from_args(ModelConfig, args))
    print(result.summary())
    return 0
