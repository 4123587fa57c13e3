"""`fetch` verb: download a standard dataset."""

from __future__ import annotations

import argparse

from dptdr_mini.cli.common import parse, verb


@verb("fetch", "download a standard dataset (msmarco-passage, nq, beir/<name>) into the cache, with checksums")
def main_fetch(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m dptdr_mini fetch")
    p.add_argument("--dataset", required=True, help="msmarco-passage, nq or beir/<name>")
    p.add_argument("--cache", default="", help="cache folder ('' = $DPTDR_CACHE or ~/.cache/dptdr-mini)")
    p.add_argument("--online", action="store_true", help="allow the download (off by default)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parse(p, argv)
    from dptdr_mini.data.download import fetch_dataset
    print(f"--data {fetch_dataset(args.dataset, args.cache or None, args.online, args.quiet)}")
    return 0
