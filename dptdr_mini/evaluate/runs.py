"""Retrieve for every query of a split against its *full* corpus, then score the run.

Every result carries the corpus size and query count: a metric on a corpus made only of the
positives is meaningless (MRR inflates toward 1), so the two are always printed together.

A query's own copy in the corpus (`RetrievalData.self_hits`, ArguAna) is left out of its ranking before
scoring, as BEIR does; the search goes one passage deeper so the run still holds `depth` passages. The
run scored is the run `write_trec_run` writes, so ir_measures on that file gives the printed numbers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dptdr_mini.retrieve.bm25 import BM25Retriever
from dptdr_mini.data.loaders import RetrievalData
from dptdr_mini.retrieve.index import DenseIndex, encode_corpus, encode_texts, search_run
from dptdr_mini.evaluate.metrics import answer_accuracy_at_k, evaluate_run, trec_ranked
from dptdr_mini.errors import ConfigError


@dataclass
class EvalResult:
    name: str
    metrics: dict[str, float]
    corpus_size: int
    num_queries: int
    seconds: float
    extra: dict = field(default_factory=dict)  # e.g. trainable parameters, train time
    run: dict = field(default_factory=dict, repr=False)  # the run scored: qid -> {pid: score}

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


def without_self_hits(run: dict[str, dict[str, float]], self_hits: set[str], depth: int | None = None
                      ) -> dict[str, dict[str, float]]:
    """The run without each self-hit query's own passage (pid == qid), cut to `depth` in trec_eval's order."""
    out = {}
    for qid, scores in run.items():
        if qid in self_hits:
            scores = {pid: s for pid, s in scores.items() if pid != qid}
        if depth is not None and len(scores) > depth:
            scores = {pid: scores[pid] for pid in trec_ranked(scores)[:depth]}
        out[qid] = scores
    return out


def score_run(name: str, run: dict, data: RetrievalData, seconds: float, extra: dict | None = None,
              recall_ks: tuple[int, ...] = (10, 100), min_rel: int = 1) -> EvalResult:
    """Metrics of `run` on `data`: MRR/nDCG/recall where there are qrels, answer accuracy where there are answers."""
    run = without_self_hits(run, data.self_hits) if data.self_hits else run
    metrics = evaluate_run(run, data.qrels, recall_ks, min_rel) if data.qrels else {}
    if data.answers:
        text = {pid: p.text for pid, p in data.corpus.items()}  # DPR matches answers in the text, not the title
        for k in (5, 20):
            metrics[f"Acc@{k}"] = answer_accuracy_at_k(run, data.answers, text, k)
    return EvalResult(name, metrics, len(data.corpus), len(data.qrels) if data.qrels else len(data.queries),
                      seconds, extra or {}, run)


def evaluate_dense(model, data: RetrievalData, name: str = "dense", depth: int = 100, batch_size: int = 64,
                   quiet: bool = False, extra: dict | None = None, recall_ks: tuple[int, ...] = (10, 100),
                   min_rel: int = 1) -> EvalResult:
    start = time.perf_counter()
    run, _ = dense_run(model, data, depth + bool(data.self_hits), batch_size, quiet)
    run = without_self_hits(run, data.self_hits, depth)
    return score_run(name, run, data, time.perf_counter() - start, extra, recall_ks, min_rel)


def evaluate_bm25(data: RetrievalData, depth: int = 100, name: str = "BM25", recall_ks: tuple[int, ...] = (10, 100),
                  min_rel: int = 1) -> EvalResult:
    start = time.perf_counter()
    run = BM25Retriever(data.corpus).search(data.queries, depth + bool(data.self_hits))
    run = without_self_hits(run, data.self_hits, depth)
    return score_run(name, run, data, time.perf_counter() - start, recall_ks=recall_ks, min_rel=min_rel)


def write_trec_run(path: str | Path, run: dict[str, dict[str, float]], tag: str) -> None:
    """`qid Q0 pid rank score tag` lines, ranked as trec_eval ranks them; scores in full (repr) so that
    no two distinct scores become a tie in the file."""
    from dptdr_mini.model.checkpoint import atomic_write_bytes

    lines = [f"{qid} Q0 {pid} {rank} {float(scores[pid])!r} {tag}\n"
             for qid, scores in run.items() for rank, pid in enumerate(trec_ranked(scores), start=1)]
    atomic_write_bytes(path, "".join(lines).encode("utf-8"))


def check_not_an_input(flag: str, output: str | Path, inputs: list[str | Path]) -> None:
    """Refuse an output path that is one of the input files, or any file inside an input folder."""
    out = Path(output).resolve()
    if out.is_dir():
        raise ConfigError(f"{flag} {output}: is a folder; expected a file name")
    for item in inputs:
        item = Path(item)
        if not item.exists():
            continue
        files = [p for p in item.rglob("*") if p.is_file()] if item.is_dir() else [item]
        for f in files:
            if f.resolve() == out or (out.exists() and out.samefile(f)):
                raise ConfigError(f"{flag} {output}: would overwrite the input file {f}; expected a new file name")


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
