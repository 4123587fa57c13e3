"""`explore` verb: compare retrievers on one query."""

from __future__ import annotations

import argparse

from dptdr_mini.cli.common import parse, positive, verb


@verb("explore", "compare retrievers on one query: ranked passages, rank changes, prefix attention per layer")
def main_explore(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m dptdr_mini explore")
    p.add_argument("--data", default="data_samples/msmarco", help="data folder (any of the three layouts)")
    p.add_argument("--split", default="dev", help="split whose judged passages are marked")
    p.add_argument("--checkpoint", action="append", default=[], help="model.safetensors to compare (repeatable)")
    p.add_argument("--query", default="", help="query text ('' = the split's first query)")
    p.add_argument("--k", type=int, default=5, help="passages shown per retriever")
    p.add_argument("--pooling", default="cls", choices=("cls", "mean"), help="pooling of the untuned backbone")
    p.add_argument("--off-layer", type=int, default=-1, help="switch off this layer's prefix in the first "
                   "prompt checkpoint (-1 = none)")
    args = parse(p, argv)
    positive(args.k, "--k")
    from dptdr_mini.data.loaders import load_data
    from dptdr_mini.explore.widget import QueryExplorer, hits_table, load_searchers

    data = load_data(args.data, args.split)
    explorer = QueryExplorer(data, load_searchers(data, args.checkpoint, pooling=args.pooling))
    names, prompts = list(explorer.searchers), explorer.prompt_models()
    view = explorer.answer(args.query or explorer.sample_queries[0], k=args.k, compare=(names[0], names[-1]),
                           why=prompts[0] if prompts else None,
                           off_layer=args.off_layer if args.off_layer >= 0 and prompts else None)
    print(f"{data!r}")
    print(hits_table(view))
    return 0
