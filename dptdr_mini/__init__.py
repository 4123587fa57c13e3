"""dptdr-mini: deep prompt tuning for dense passage retrieval, small enough to read.

The folders follow the path a passage takes: text -> prompt + backbone -> contrastive training ->
index -> search -> metrics. One idea per module:

    config                  ModelConfig, TrainConfig, EvalConfig: the dataclasses flags map onto
    errors                  the kit's exceptions (file and line, or the flag, in every message)
    outputs                 no output names an input, no run folder is overwritten unasked, one run per folder
    data/corpus             one streaming reader per corpus format -> (pid, `Passage`), checked once for all
    data/loaders            MS MARCO TSV, BEIR and DPR/NQ files -> one in-memory `RetrievalData`
    data/examples           training examples (query, positives, negatives), their JSONL file, batches
    data/splits             a dev split carved from train by hashed query id (choose settings off test)
    data/download           standard datasets by name into a local cache (only with --online)
    model/backbone          load a Hugging Face encoder (offline default: all-MiniLM-L6-v2)
    model/prefix            `PrefixEncoder`: per-layer key/value prefixes (P-Tuning v2)
    model/retriever         `DenseRetriever`: prompt or fine-tune mode, pooling, dot-product score
    model/checkpoint        atomic safetensors checkpoints, checked against the backbone on load
    model/multitask         many prompt tasks on one frozen backbone, mixed-task batches
    model/quantize          int8 dynamic quantisation of a retriever for CPU encoding
    model/export            a prompt as a peft PrefixTuning adapter (and back), a fine-tuned model as a HF folder
    training/loss           `contrastive_loss`: InfoNCE over in-batch and hard negatives
    training/loop           the training loop, checkpoints and resume
    training/distributed    torchrun DDP with cross-device negatives, GradCache
    training/pseudo_pairs   pseudo query-passage pairs cut from a corpus (crop, span, ICT), streamed in batches
    training/rip            RIP: contrastive pretraining on those pairs; reports copy overlap and loss vs chance
    retrieve/bm25           BM25 baseline (bm25s)
    retrieve/index          corpus encoding and exact FAISS search
    retrieve/shards         sharded, resumable corpus encoding
    retrieve/ann            approximate FAISS indexes (IVF, HNSW, IVF-PQ) over shards
    evaluate/metrics        MRR@k, Recall@k, nDCG@k, answer accuracy
    evaluate/bootstrap      paired bootstrap over queries: is B better than A, or noise?
    evaluate/runs           retrieve + score against the full corpus, the results table
    mining/unm              UNM: BM25 + dense negatives, merged and filtered
    mining/inspect          a table / HTML view of one query's mined negatives
    explore/attention       where a prompt acts: attention on the prefix, one layer switched off
    explore/widget          compare retrievers on one query: rankings, rank changes (widget)
    recipes/demo            the main job: BM25 / untuned / DPT / FT on one table
    recipes/pipeline        the DPTDR recipe: (RIP) -> DPT on BM25 negatives -> mine -> DPT on the union
    recipes/run             `train_and_score`: seed, build, train, score on the full corpus (one row of a table)
    cli/                    `python -m dptdr_mini <verb>`, one module per verb

The names notebooks use are re-exported here (`from dptdr_mini import DenseRetriever, train`), loaded on
first use so that `import dptdr_mini.errors` stays cheap.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# name -> module that defines it (imported lazily by __getattr__)
EXPORTS = {
    "ModelConfig": "config", "TrainConfig": "config", "EvalConfig": "config",
    "Passage": "data.loaders", "RetrievalData": "data.loaders", "load_data": "data.loaders",
    "TrainExample": "data.examples", "examples_from_data": "data.examples", "read_train_file": "data.examples",
    "load_backbone": "model.backbone", "PrefixEncoder": "model.prefix", "DenseRetriever": "model.retriever",
    "load_retriever": "model.checkpoint", "save_model": "model.checkpoint",
    "MultiTaskRetriever": "model.multitask",
    "contrastive_loss": "training.loss", "train": "training.loop", "RIPConfig": "training.rip",
    "pretrain": "training.rip",
    "BM25Retriever": "retrieve.bm25", "DenseIndex": "retrieve.index", "encode_texts": "retrieve.index",
    "evaluate_run": "evaluate.metrics", "evaluate_dense": "evaluate.runs", "evaluate_bm25": "evaluate.runs",
    "results_table": "evaluate.runs",
    "MineConfig": "mining.unm", "mine_negatives": "mining.unm",
    "QueryExplorer": "explore.widget",
    "DemoConfig": "recipes.demo", "run_demo": "recipes.demo",
    "PipelineConfig": "recipes.pipeline", "run_pipeline": "recipes.pipeline",
    "train_and_score": "recipes.run",
}
__all__ = sorted(EXPORTS)


def __getattr__(name: str):
    if name not in EXPORTS:
        raise AttributeError(f"module 'dptdr_mini' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"dptdr_mini.{EXPORTS[name]}"), name)
    globals()[name] = value          # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(EXPORTS))
