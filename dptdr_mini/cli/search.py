"""`search` verb: search a saved index."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from dptdr_mini.errors import ConfigError, DataFormatError
from dptdr_mini.cli.common import add_config_flags, config_from_args, load_model_or_untuned, parse, positive, verb


@verb("search", "search a saved index with a query (or every query of a split, written as a TREC run)")
def main_search(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m dptdr_mini search")
    p.add_argument("--index", default="runs/index", help="folder written by `encode`")
    p.add_argument("--checkpoint", default="", help="the model that encoded the index ('' = untuned)")
    p.add_argument("--backbone", default="", help="backbone to load the checkpoint onto")
    p.add_argument("--query", default="", help="one query to search; else every query of --data/--split")
    p.add_argument("--data", default="data_samples/msmarco", help="data folder, to show passage text or read queries")
    p.add_argument("--split", default="dev", help="split whose queries to search")
    p.add_argument("--k", type=int, default=10, help="results per query")
    p.add_argument("--output", default="", help="write the run in TREC format (qid Q0 pid rank score tag)")
    from dptdr_mini.retrieve.ann import IndexConfig
    add_config_flags(p, IndexConfig)
    p.add_argument("--recall-sample", type=int, default=0,
                   help="sharded index: also report recall@10 of --index-type vs flat on this many queries")
    args = parse(p, argv)
    positive(args.k, "--k")
    from dptdr_mini.data.loaders import load_data
    from dptdr_mini.retrieve.index import DenseIndex, encode_texts, search_run
    from dptdr_mini.evaluate.metrics import ranked

    model = load_model_or_untuned(args.checkpoint, args.backbone)
    data = load_data(args.data, args.split)
    queries = {"query": args.query} if args.query else data.queries
    qids = list(queries)
    query_vectors = encode_texts(model, [queries[q] for q in qids], "query", quiet=True)
    if not Path(args.index).is_dir():
        raise DataFormatError(args.index, None, "no such index folder", "the --output folder of `encode`")
    if Path(args.index, "vectors.npy").is_file():
        index = DenseIndex.load(args.index)
        hidden = model.query_backbone.config.hidden_size
        if index.vectors.shape[1] != hidden:
            raise ConfigError(f"--index {args.index}: vectors have {index.vectors.shape[1]} dimensions but the model "
                              f"gives {hidden} (expected the --checkpoint/--backbone that encoded the index)")
    else:  # the shard folders of `encode --num-shards`
        index = sharded_index(args, query_vectors)
    run = search_run(index, qids, query_vectors, args.k)
    if args.output:
        from dptdr_mini.model.checkpoint import atomic_write_bytes
        lines = [f"{qid} Q0 {pid} {r} {run[qid][pid]:.6f} dptdr-mini"
                 for qid in qids for r, pid in enumerate(ranked(run[qid]), 1)]
        atomic_write_bytes(args.output, ("\n".join(lines) + "\n").encode())
        print(f"wrote {len(qids)} queries x {args.k} to {args.output} (index of {len(index):,} passages)")
    else:
        for qid in qids[:20]:
            print(f"# {queries[qid]}   (index of {len(index):,} passages)")
            for r, pid in enumerate(ranked(run[qid]), 1):
                text = data.corpus[pid].full_text if pid in data.corpus else ""
                print(f"{r:3d}  {run[qid][pid]:8.3f}  {pid:>8}  {text[:100]}")
    return 0



def sharded_index(args: argparse.Namespace, query_vectors):
    from dptdr_mini.retrieve.ann import IndexConfig, ShardedIndex, queries_per_second, recall_vs_exact

    cfg = config_from_args(IndexConfig, args)
    start = time.perf_counter()
    index = ShardedIndex.load(args.index, cfg)
    print(f"built {cfg.index_type} over {len(index.parts)} shard(s), {len(index):,} passages, "
          f"in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    if args.recall_sample and cfg.index_type != "flat":
        sample = query_vectors[:args.recall_sample]
        flat = ShardedIndex.load(args.index, IndexConfig("flat"))
        print(f"recall@10 of {cfg.index_type} vs flat: {recall_vs_exact(index, flat, sample):.4f} on "
              f"{len(sample)} queries; {queries_per_second(index, sample):,.0f} vs "
              f"{queries_per_second(flat, sample):,.0f} queries/s (corpus {len(index):,} passages)", file=sys.stderr)
    return index
