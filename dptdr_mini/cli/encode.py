"""`encode` verb: encode a corpus into a saved index."""

from __future__ import annotations

import argparse
import time

from dptdr_mini.cli.common import add_config_flags, config_from_args, load_model_or_untuned, parse, positive, verb


@verb("encode", "encode a corpus into a saved vector index (or, with --num-shards, resumable shards)")
def main_encode(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m dptdr_mini encode")
    p.add_argument("--data", default="data_samples/msmarco", help="data folder (any of the three layouts)")
    p.add_argument("--split", default="dev", help="any split of the folder (the corpus is shared)")
    p.add_argument("--checkpoint", default="", help="model.safetensors ('' = untuned backbone)")
    p.add_argument("--backbone", default="", help="backbone to load the checkpoint onto")
    p.add_argument("--output", default="runs/index", help="folder for vectors.npy and ids.txt")
    p.add_argument("--batch-size", type=int, default=64, help="texts per encoding batch")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    add_scale_flags(p)
    args = parse(p, argv)
    positive(args.batch_size, "--batch-size")
    if args.num_shards or args.dataset:
        return encode_sharded(args)
    from dptdr_mini.data.loaders import load_data
    from dptdr_mini.retrieve.index import DenseIndex, encode_corpus

    data = load_data(args.data, args.split)
    model = load_model_or_untuned(args.checkpoint, args.backbone)
    start = time.perf_counter()
    ids, vecs = encode_corpus(model, data.corpus, args.batch_size, args.quiet)
    DenseIndex(ids, vecs).save(args.output)
    secs = time.perf_counter() - start
    print(f"encoded {len(ids):,} passages in {secs:.1f} s ({len(ids) / secs:.1f}/s) -> {args.output}")
    return 0



def add_scale_flags(p: argparse.ArgumentParser) -> None:
    from dptdr_mini.retrieve.shards import ShardConfig
    p.add_argument("--dataset", default="", help="a standard dataset by name (msmarco-passage, nq, beir/<name>), "
                   "read from --cache; replaces --data; downloads only with --online")
    p.add_argument("--cache", default="", help="dataset cache folder ('' = $DPTDR_CACHE or ~/.cache/dptdr-mini)")
    p.add_argument("--online", action="store_true", help="allow downloading --dataset")
    add_config_flags(p, ShardConfig, skip=("batch_size", "quiet", "num_shards"))
    p.add_argument("--num-shards", type=int, default=0, help="write resumable chunked shards; passage number n "
                   "goes to shard n mod N (default 0: one vectors.npy, the corpus held in memory)")


def encode_sharded(args: argparse.Namespace) -> int:
    """`encode --num-shards N --shard i`: stream the corpus into resumable chunk files."""
    from dptdr_mini.retrieve.shards import ShardConfig, encode_shard

    if args.dataset:
        from dptdr_mini.data.download import fetch_dataset
        args.data = str(fetch_dataset(args.dataset, args.cache or None, args.online, args.quiet))
    cfg = config_from_args(ShardConfig, args, num_shards=args.num_shards or 1)
    model = load_model_or_untuned(args.checkpoint, args.backbone)
    start = time.perf_counter()
    result = encode_shard(model, args.data, args.output, cfg, f"{args.checkpoint or 'untuned'}@{model.fingerprint}")
    secs = time.perf_counter() - start
    done = result.get("shards", [result])
    print(f"encoded {sum(m['passages'] for m in done):,} passages into {len(done)} shard(s) of "
          f"{cfg.num_shards} in {secs:.1f} s -> {args.output}")
    return 0
