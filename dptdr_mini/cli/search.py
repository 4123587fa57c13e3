"""`search` verb: search a saved index."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from dptdr_mini.errors import ConfigError, DataFormatError
from dptdr_mini.cli.common import add_config_flags, add_model_flags, config_from_args, model_config_from_args, parse, verb


@verb("search", "search a saved index with a query (or every query of a split, written as a TREC run)")
def main_search(argv: list[str]) -> int:
    from dptdr_mini.retrieve.ann import IndexConfig
    from dptdr_mini.retrieve.index import SearchConfig

    p = argparse.ArgumentParser(prog="python -m dptdr_mini search")
    add_config_flags(p, SearchConfig)
    add_model_flags(p)
    add_config_flags(p, IndexConfig)
    args = parse(p, argv)
    cfg = config_from_args(SearchConfig, args)
    mcfg, backbone = model_config_from_args(args, argv, [cfg.checkpoint] if cfg.checkpoint else [])
    index_cfg = config_from_args(IndexConfig, args)
    from dptdr_mini.data.loaders import load_data
    from dptdr_mini.evaluate.metrics import ranked
    from dptdr_mini.model.checkpoint import load_or_untuned
    from dptdr_mini.retrieve.index import DenseIndex, check_encoder, encode_texts, search_run

    model = load_or_untuned(cfg.checkpoint, mcfg, backbone)
    data = load_data(cfg.data, cfg.split)
    queries = {"query": cfg.query} if cfg.query else data.queries
    qids = list(queries)
    query_vectors = encode_texts(model, [queries[q] for q in qids], "query", quiet=True)
    if not Path(cfg.index).is_dir():
        raise DataFormatError(cfg.index, None, "no such index folder", "the --output folder of `encode`")
    if Path(cfg.index, "vectors.npy").is_file():
        check_encoder(cfg.index, model)
        index = DenseIndex.load(cfg.index)
        hidden = model.query_backbone.config.hidden_size
        if index.vectors.shape[1] != hidden:
            raise ConfigError(f"--index {cfg.index}: vectors have {index.vectors.shape[1]} dimensions but the model "
                              f"gives {hidden} (expected the --checkpoint/--backbone that encoded the index)")
    else:  # the shard folders of `encode --num-shards`
        index = sharded_index(cfg, index_cfg, query_vectors)
    run = search_run(index, qids, query_vectors, cfg.k)
    if cfg.output:
        from dptdr_mini.model.checkpoint import atomic_write_bytes
        lines = [f"{qid} Q0 {pid} {r} {run[qid][pid]:.6f} dptdr-mini"
                 for qid in qids for r, pid in enumerate(ranked(run[qid]), 1)]
        atomic_write_bytes(cfg.output, ("\n".join(lines) + "\n").encode())
        print(f"wrote {len(qids)} queries x {cfg.k} to {cfg.output} (index of {len(index):,} passages)")
    else:
        for qid in qids[:20]:
            print(f"# {queries[qid]}   (index of {len(index):,} passages)")
            for r, pid in enumerate(ranked(run[qid]), 1):
                text = data.corpus[pid].full_text if pid in data.corpus else ""
                print(f"{r:3d}  {run[qid][pid]:8.3f}  {pid:>8}  {text[:100]}")
    return 0


def sharded_index(cfg, index_cfg, query_vectors):
    """The shard folders of `encode --num-shards` as one index (exact or approximate), timed on stderr."""
    from dptdr_mini.retrieve.ann import IndexConfig, ShardedIndex, queries_per_second, recall_vs_exact

    start = time.perf_counter()
    index = ShardedIndex.load(cfg.index, index_cfg)
    print(f"built {index_cfg.index_type} over {len(index.parts)} shard(s), {len(index):,} passages, "
          f"in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    if cfg.recall_sample and index_cfg.index_type != "flat":
        sample = query_vectors[:cfg.recall_sample]
        flat = ShardedIndex.load(cfg.index, IndexConfig("flat"))
        print(f"recall@10 of {index_cfg.index_type} vs flat: {recall_vs_exact(index, flat, sample):.4f} on "
              f"{len(sample)} queries; {queries_per_second(index, sample):,.0f} vs "
              f"{queries_per_second(flat, sample):,.0f} queries/s (corpus {len(index):,} passages)", file=sys.stderr)
    return index
