"""Retrieve for every query of a split against its *full* corpus, then score the run.

Every result carries the corpus size and query count: a metric on a corpus made only of the
positives is meaningless (MRR inflates toward 1), so the two are always printed together.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pandas as pd

from dptdr_mini.retrieve.bm25 import BM25Retriever
from dptdr_mini.data.loaders import RetrievalData
from dptdr_mini.retrieve.index import DenseIndex, encode_corpus, encode_texts, search_run
from dptdr_mini.evaluate.metrics import answer_accuracy_at_k, evaluate_run


@dataclass
class EvalResult:
    name: str
    metrics: dict[str, float]
    corpus_size: int
    num_queries: int
    seconds: float
    extra: dict = field(default_factory=dict)  # e.g. trainable parameters, train time

    def row(self) -> dict:
        return {"system": self.name, **{k: round(v, 4) for k, v in self.metrics.items()},
                "corpus": self.corpus_size, "queries": self.num_queries, **self.extra}


def dense_run(model, data: RetrievalData, depth: int = 100, batch_size: int = 64, quiet: bool = False,
              index: DenseIndex | None = None) -> tuple[dict[str, dict[str, float]], DenseIndex]:
    """Encode the corpus (unless `index` is given) and the queries; return the run and the index."""
    if index is None:
        ids, vecs = encode_corpus(model, data.corpus, batch_size, quiet)
        index = DenseIndex(ids, vecs)
    qids = list(data.queries)
    qvecs = encode_texts(model, [data.queries[q] for q in qids], "query", batch_size, quiet)
    return search_run(index, qids, qvecs, depth), index


def score_run(name: str, run: dict, data: RetrievalData, seconds: float, extra: dict | None = None) -> EvalResult:
    metrics = evaluate_run(run, data.qrels)
    if data.answers:
        text = {pid: p.full_text for pid, p in data.corpus.items()}
        for k in (5, 20):
            metrics[f"Acc@{k}"] = answer_accuracy_at_k(run, data.answers, text, k)
    return EvalResult(name, metrics, len(data.corpus), len(data.qrels), seconds, extra or {})


def evaluate_dense(model, data: RetrievalData, name: str = "dense", depth: int = 100, batch_size: int = 64,
                   quiet: bool = False, extra: dict | None = None) -> EvalResult:
    start = time.perf_counter()
    run, _ = dense_run(model, data, depth, batch_size, quiet)
    return score_run(name, run, data, time.perf_counter() - start, extra)


def evaluate_bm25(data: RetrievalData, depth: int = 100, name: str = "BM25") -> EvalResult:
    start = time.perf_counter()
    run = BM25Retriever(data.corpus).search(data.queries, depth)
    return score_run(name, run, data, time.perf_counter() - start)


def results_table(results: list[EvalResult]) -> pd.DataFrame:
    """One row per system: metrics, corpus size, query count and any extra columns."""
    return pd.DataFrame([r.row() for r in results]).set_index("system")


def positives_only(data: RetrievalData) -> RetrievalData:
    """The classic mistake, for teaching: a corpus made only of the split's judged passages.

    Every candidate is somebody's positive, so a retriever only has to tell positives apart and MRR
    inflates toward 1. Never report a metric on this; compare it with the full corpus to see the trap.
    """
    judged = {pid for docs in data.qrels.values() for pid in docs}
    return RetrievalData({pid: data.corpus[pid] for pid in judged}, data.queries, data.qrels, data.answers,
                         data.hard_negatives, name=f"{data.name} (positives only)", split=data.split)
