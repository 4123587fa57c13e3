"""`python -m dptdr_mini <verb>`: thin commands over the library; every flag is a config field.

Verbs: train, evaluate, encode, search, demo, pretrain, mine, pipeline, fetch, explore. Each `main_<verb>`
parses flags into the dataclass configs of `dptdr_mini.config` and calls one library function, as the
notebooks do.
Errors in input or flags print one line (`error: ...`) and exit 2; `--debug` shows the traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Callable

from .config import EvalConfig, ModelConfig, TrainConfig
from .errors import ConfigError, DataFormatError, DptdrError

VERBS: dict[str, tuple[Callable, str]] = {}


def verb(name: str, help: str):
    def register(fn):
        VERBS[name] = (fn, help)
        return fn
    return register


def add_config_flags(parser: argparse.ArgumentParser, cls, skip: tuple[str, ...] = ()) -> None:
    """One flag per dataclass field: `prefix_len` -> `--prefix-len`, typed by its default."""
    group = parser.add_argument_group(cls.__name__)
    for f in dataclasses.fields(cls):
        if f.name in skip:
            continue
        flag = "--" + f.name.replace("_", "-")
        default = f.default
        help_text = f"{f.metadata.get('help', '')} (default: {default!r})"
        if isinstance(default, bool):
            group.add_argument(flag, dest=f.name, action=argparse.BooleanOptionalAction, default=default, help=help_text)
        else:
            group.add_argument(flag, dest=f.name, type=type(default), default=default,
                               choices=f.metadata.get("choices"), help=help_text, metavar=f.name.upper())


def config_from_args(cls, args: argparse.Namespace, **overrides):
    values = {f.name: getattr(args, f.name) for f in dataclasses.fields(cls) if hasattr(args, f.name)}
    values.update(overrides)
    cfg = cls(**values)
    cfg.validate()
    return cfg


def print_table(df) -> None:
    print(df.to_string(float_format=lambda v: f"{v:.4f}"))


# ---------------------------------------------------------------------------------------------


@verb("train", "train a prompt (DPT) or fine-tuned (FT) dense retriever")
def main_train(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m dptdr_mini train", description=main_train.__doc__)
    add_config_flags(p, ModelConfig)
    add_config_flags(p, TrainConfig)
    p.add_argument("--init-checkpoint", default="", help="start from this model.safetensors (e.g. a pretrained prompt)")
    args = parse(p, argv)
    mcfg, tcfg = config_from_args(ModelConfig, args), config_from_args(TrainConfig, args)
    from .data import load_data
    from .encoder import DenseRetriever
    from .evaluation import evaluate_dense
    from .examples import examples_from_data, read_train_file
    from .train import train

    data = load_data(tcfg.data, tcfg.split)
    examples = read_train_file(tcfg.train_file, data.corpus) if tcfg.train_file else examples_from_data(data)
    eval_data = load_data(tcfg.data, tcfg.eval_split) if tcfg.eval_split else None
    import torch
    torch.manual_seed(tcfg.seed)  # the prefix's initialisation too: torch seeds each process at random
    model = DenseRetriever(mcfg)
    if args.init_checkpoint:
        from .checkpoint import load_model_tensors, load_tensors
        tensors, meta = load_tensors(args.init_checkpoint)
        load_model_tensors(model, tensors, meta, args.init_checkpoint)
    report = model.parameter_report()
    print(f"{data!r}; {len(examples)} training examples")
    print(f"mode={mcfg.mode}: {report['trainable']:,} trainable of {report['total']:,} parameters "
          f"({100 * report['share']:.3f}%)")
    evaluate_fn = (lambda m: evaluate_dense(m, eval_data, quiet=True).metrics) if eval_data else None
    result = train(model, examples, data.corpus, tcfg, evaluate_fn)
    print(f"trained {result.steps} steps in {result.seconds:.1f} s; loss {result.losses[0]:.3f} -> "
          f"{result.losses[-1]:.3f}; wrote {Path(tcfg.output_dir) / 'model.safetensors'}")
    if result.evals and eval_data:
        print(f"{tcfg.eval_split}: " + ", ".join(f"{k} {v:.4f}" for k, v in result.evals[-1].items() if k != "step")
              + f"  (corpus {len(eval_data.corpus):,} passages, {len(eval_data.qrels)} queries)")
    return 0


def load_model_or_untuned(checkpoint: str, backbone: str, mcfg: ModelConfig | None = None):
    """A checkpoint's retriever, or the untuned backbone (no prefix) when no checkpoint is given."""
    from .checkpoint import load_retriever
    from .distributed import default_device
    from .encoder import DenseRetriever

    if checkpoint:
        return load_retriever(checkpoint, backbone=backbone or None).to(default_device())
    cfg = mcfg or ModelConfig()
    cfg = dataclasses.replace(cfg, prefix_len=0, backbone=backbone or cfg.backbone)
    return DenseRetriever(cfg).to(default_device())


@verb("evaluate", "score a checkpoint, the untuned backbone or BM25 on a split (full corpus)")
def main_evaluate(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m dptdr_mini evaluate")
    add_config_flags(p, EvalConfig)
    p.add_argument("--backbone", default="", help="backbone for the untuned model or to load a checkpoint onto")
    p.add_argument("--pooling", default="cls", choices=("cls", "mean"), help="pooling of the untuned backbone")
    p.add_argument("--json", default="", help="also write the metrics to this JSON file")
    args = parse(p, argv)
    cfg = config_from_args(EvalConfig, args)
    from .data import load_data
    from .evaluation import evaluate_bm25, evaluate_dense, results_table

    data = load_data(cfg.data, cfg.split)
    if cfg.retriever == "bm25":
        result = evaluate_bm25(data, cfg.depth)
    else:
        model = load_model_or_untuned(cfg.checkpoint, args.backbone, ModelConfig(pooling=args.pooling))
        name = cfg.checkpoint or f"untuned backbone ({args.pooling})"
        result = evaluate_dense(model, data, name, cfg.depth, cfg.batch_size, cfg.quiet)
    print(f"{data.name} {cfg.split}: {len(data.corpus):,} passages, {len(data.qrels):,} queries")
    print_table(results_table([result]))
    if args.json:
        from .checkpoint import atomic_write_bytes
        atomic_write_bytes(args.json, json.dumps(result.row(), indent=2).encode())
    return 0


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
    from .data import load_data
    from .index import DenseIndex, encode_corpus

    data = load_data(args.data, args.split)
    model = load_model_or_untuned(args.checkpoint, args.backbone)
    start = time.perf_counter()
    ids, vecs = encode_corpus(model, data.corpus, args.batch_size, args.quiet)
    DenseIndex(ids, vecs).save(args.output)
    secs = time.perf_counter() - start
    print(f"encoded {len(ids):,} passages in {secs:.1f} s ({len(ids) / secs:.1f}/s) -> {args.output}")
    return 0


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
    from .ann import IndexConfig
    add_config_flags(p, IndexConfig)
    p.add_argument("--recall-sample", type=int, default=0,
                   help="sharded index: also report recall@10 of --index-type vs flat on this many queries")
    args = parse(p, argv)
    positive(args.k, "--k")
    from .data import load_data
    from .index import DenseIndex, encode_texts, search_run
    from .metrics import ranked

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
        from .checkpoint import atomic_write_bytes
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


@verb("demo", "the main job: untuned, BM25, prompt-tuned and fine-tuned retrievers on one table")
def main_demo(argv: list[str]) -> int:
    from .demo import DemoConfig, run_demo
    p = argparse.ArgumentParser(prog="python -m dptdr_mini demo")
    add_config_flags(p, DemoConfig)
    args = parse(p, argv)
    cfg = config_from_args(DemoConfig, args)
    table = run_demo(cfg)
    print_table(table)
    return 0


@verb("pretrain", "RIP: contrastive pretraining on pseudo pairs cut from a corpus (no labels)")
def main_pretrain(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m dptdr_mini pretrain",
                                description="Retrieval-oriented intermediate pretraining; see dptdr_mini/rip.py")
    from .rip import RIPConfig, pretrain
    add_config_flags(p, RIPConfig)
    args = parse(p, argv)
    result = pretrain(config_from_args(RIPConfig, args))
    print(result.summary())
    return 0


@verb("mine", "mine hard negatives from BM25 and a dense retriever into a training file (UNM)")
def main_mine(argv: list[str]) -> int:
    from .mining import MineConfig, mine_negatives, mining_summary
    p = argparse.ArgumentParser(prog="python -m dptdr_mini mine")
    add_config_flags(p, MineConfig)
    args = parse(p, argv)
    cfg = config_from_args(MineConfig, args)
    start = time.perf_counter()
    examples = mine_negatives(cfg)
    summary = mining_summary(examples)
    print(f"mined {summary['negatives']:,} negatives for {summary['queries']:,} queries of {cfg.data} "
          f"{cfg.split} in {time.perf_counter() - start:.1f} s -> {cfg.output or '(not written)'}")
    print("  " + ", ".join(f"{k} {v}" for k, v in summary.items() if k not in ("queries", "negatives")))
    return 0


@verb("pipeline", "the DPTDR recipe in one command: (RIP) -> DPT on BM25 negatives -> mine -> DPT on the union")
def main_pipeline(argv: list[str]) -> int:
    from .pipeline import PipelineConfig, run_pipeline
    p = argparse.ArgumentParser(prog="python -m dptdr_mini pipeline")
    add_config_flags(p, PipelineConfig)
    add_config_flags(p, ModelConfig)
    args = parse(p, argv)
    cfg, mcfg = config_from_args(PipelineConfig, args), config_from_args(ModelConfig, args)
    table = run_pipeline(cfg, mcfg)
    print_table(table)
    print(", ".join(f"{k} {v}" for k, v in table.attrs.items()) + f"; results in {cfg.output_dir}/results.md")
    return 0


# -- scale (issue 7): --dataset names, sharded encoding, approximate indexes ------------------


def add_scale_flags(p: argparse.ArgumentParser) -> None:
    from .shards import ShardConfig
    p.add_argument("--dataset", default="", help="a standard dataset by name (msmarco-passage, nq, beir/<name>), "
                   "read from --cache; replaces --data; downloads only with --online")
    p.add_argument("--cache", default="", help="dataset cache folder ('' = $DPTDR_CACHE or ~/.cache/dptdr-mini)")
    p.add_argument("--online", action="store_true", help="allow downloading --dataset")
    add_config_flags(p, ShardConfig, skip=("batch_size", "quiet", "num_shards"))
    p.add_argument("--num-shards", type=int, default=0, help="write resumable chunked shards; passage number n "
                   "goes to shard n mod N (default 0: one vectors.npy, the corpus held in memory)")


def encode_sharded(args: argparse.Namespace) -> int:
    """`encode --num-shards N --shard i`: stream the corpus into resumable chunk files."""
    from .shards import ShardConfig, encode_shard

    if args.dataset:
        from .datasets import fetch_dataset
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


def sharded_index(args: argparse.Namespace, query_vectors):
    from .ann import IndexConfig, ShardedIndex, queries_per_second, recall_vs_exact

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


@verb("fetch", "download a standard dataset (msmarco-passage, nq, beir/<name>) into the cache, with checksums")
def main_fetch(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m dptdr_mini fetch")
    p.add_argument("--dataset", required=True, help="msmarco-passage, nq or beir/<name>")
    p.add_argument("--cache", default="", help="cache folder ('' = $DPTDR_CACHE or ~/.cache/dptdr-mini)")
    p.add_argument("--online", action="store_true", help="allow the download (off by default)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parse(p, argv)
    from .datasets import fetch_dataset
    print(f"--data {fetch_dataset(args.dataset, args.cache or None, args.online, args.quiet)}")
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
    from .data import load_data
    from .explorer import QueryExplorer, hits_table, load_searchers

    data = load_data(args.data, args.split)
    explorer = QueryExplorer(data, load_searchers(data, args.checkpoint, pooling=args.pooling))
    names, prompts = list(explorer.searchers), explorer.prompt_models()
    view = explorer.answer(args.query or explorer.sample_queries[0], k=args.k, compare=(names[0], names[-1]),
                           why=prompts[0] if prompts else None,
                           off_layer=args.off_layer if args.off_layer >= 0 and prompts else None)
    print(f"{data!r}")
    print(hits_table(view))
    return 0


# ---------------------------------------------------------------------------------------------


def positive(value: int, flag: str) -> None:
    if value < 1:
        raise ConfigError(f"{flag} {value}: expected an integer >= 1")


def parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse flags; a bad flag prints one line (not the whole usage) and exits 2. No abbreviated flags:
    `--max-step` must not silently mean `--max-steps`."""
    parser.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    parser.allow_abbrev = False

    def one_line_error(message: str):
        parser.exit(2, f"error: {' '.join(message.split())} (see {parser.prog} --help)\n")
    parser.error = one_line_error
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in VERBS:
        print("usage: python -m dptdr_mini <verb> [flags]   (each verb has --help)\n\nverbs:")
        for name, (_, help) in VERBS.items():
            print(f"  {name:10s} {help}")
        if argv and argv[0] not in ("-h", "--help"):
            print(f"\nerror: unknown verb {argv[0]!r}", file=sys.stderr)
            return 2
        return 0
    fn = VERBS[argv[0]][0]
    try:
        return fn(argv[1:])
    except (DptdrError, OSError) as e:  # bad input, or the file system said no (permissions, full disk, a folder)
        if "--debug" in argv:
            raise
        print(f"error: {' '.join(str(e).split())}", file=sys.stderr)
        return 2
