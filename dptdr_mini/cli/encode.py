"""`encode` verb: encode a corpus into a saved index (or resumable shards)."""

from __future__ import annotations

import argparse
import time

from dptdr_mini.cli.common import add_config_flags, add_model_flags, config_from_args, model_config_from_args, parse, verb


@verb("encode", "encode a corpus into a saved vector index (or, with --num-shards, resumable shards)")
def main_encode(argv: list[str]) -> int:
    from dptdr_mini.data.download import FetchConfig
    from dptdr_mini.retrieve.index import EncodeConfig
    from dptdr_mini.retrieve.shards import ShardConfig

    p = argparse.ArgumentParser(prog="python -m dptdr_mini encode")
    add_config_flags(p, EncodeConfig)
    add_model_flags(p)                                    # its --online also allows downloading --dataset
    add_config_flags(p, FetchConfig, skip=("online", "quiet"))
    add_config_flags(p, ShardConfig, skip=("batch_size", "quiet", "num_shards"))
    args = parse(p, argv)
    cfg = config_from_args(EncodeConfig, args)
    mcfg, backbone = model_config_from_args(args, argv, [cfg.checkpoint] if cfg.checkpoint else [])
    fetch = config_from_args(FetchConfig, args)
    shards = config_from_args(ShardConfig, args, num_shards=cfg.num_shards or 1)
    from dptdr_mini.model.checkpoint import load_or_untuned

    if cfg.num_shards or fetch.dataset:
        if fetch.dataset:
            from dptdr_mini.data.download import fetch_dataset
            cfg.data = str(fetch_dataset(fetch.dataset, fetch.cache or None, fetch.online, cfg.quiet))
        return encode_sharded(cfg, shards, load_or_untuned(cfg.checkpoint, mcfg, backbone))
    from dptdr_mini.data.loaders import load_data
    from dptdr_mini.retrieve.index import DenseIndex, encode_corpus, encoder_identity

    data = load_data(cfg.data, cfg.split)
    model = load_or_untuned(cfg.checkpoint, mcfg, backbone)
    start = time.perf_counter()
    ids, vecs = encode_corpus(model, data.corpus, cfg.batch_size, cfg.quiet)
    DenseIndex(ids, vecs).save(cfg.output, encoder_identity(model))
    secs = time.perf_counter() - start
    print(f"encoded {len(ids):,} passages in {secs:.1f} s ({len(ids) / secs:.1f}/s) -> {cfg.output}")
    return 0


def encode_sharded(cfg, shards, model) -> int:
    """`encode --num-shards N --shard i`: stream the corpus into resumable chunk files."""
    from dptdr_mini.retrieve.shards import encode_shard

    start = time.perf_counter()
    result = encode_shard(model, cfg.data, cfg.output, shards, shard_model_id(cfg.checkpoint, model))
    secs = time.perf_counter() - start
    done = result.get("shards", [result])
    print(f"encoded {sum(m['passages'] for m in done):,} passages into {len(done)} shard(s) of "
          f"{shards.num_shards} in {secs:.1f} s -> {cfg.output}")
    return 0


def shard_model_id(checkpoint: str, model) -> str:
    """What made the vectors, so that resuming a shard with another model is refused: the checkpoint, or the
    untuned backbone plus any encoding flag that changes its vectors (none for the defaults, as before)."""
    from dptdr_mini.config import ModelConfig

    if checkpoint:
        return f"{checkpoint}@{model.fingerprint}"
    default = ModelConfig()
    changed = {k: getattr(model.cfg, k) for k in ("pooling", "normalize", "passage_max_len")
               if getattr(model.cfg, k) != getattr(default, k)}
    return f"untuned@{model.fingerprint}" + (f" {changed}" if changed else "")
