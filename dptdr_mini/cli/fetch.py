"""`fetch` verb: download a standard dataset."""

from __future__ import annotations

import argparse

from dptdr_mini.cli.common import add_config_flags, config_from_args, parse, verb


@verb("fetch", "download a standard dataset (msmarco-passage, nq, beir/<name>) into the cache, with checksums")
def main_fetch(argv: list[str]) -> int:
    from dptdr_mini.data.download import FetchConfig, fetch_dataset
    p = argparse.ArgumentParser(prog="python -m dptdr_mini fetch")
    add_config_flags(p, FetchConfig, required=("dataset",))
    cfg = config_from_args(FetchConfig, parse(p, argv))
    print(f"--data {fetch_dataset(cfg.dataset, cfg.cache or None, cfg.online, cfg.quiet)}")
    return 0
