"""Ranking metrics over a *run* (qid -> {pid: score}) and *qrels* (qid -> {pid: relevance}).

- MRR@k: mean over queries of 1 / rank of the first relevant passage in the top k (0 if none).
  The MS MARCO passage metric (k = 10).
- Recall@k: share of a query's relevant passages found in the top k. R@100/R@1000 judge a first stage.
- nDCG@k: discounted gain of graded relevance, normalised by the ideal ranking (BEIR's metric, k = 10).
- answer accuracy@k (NQ): share of questions with an answer string in one of the top k passages.

Ties are broken by passage id (ascending), so a scorer that gives every passage the same score
cannot win by the order passages happen to be stored in. Queries judged but absent from the run
count as 0. Values agree with `ir-measures` (RR@10, R@k, nDCG@10) on runs without ties.
"""

from __future__ import annotations

import math
import re
import unicodedata


def ranked(scores: dict[str, float]) -> list[str]:
    """Passage ids best first; equal scores ordered by id."""
    return sorted(scores, key=lambda pid: (-scores[pid], pid))


def _relevant(judged: dict[str, int]) -> set[str]:
    return {pid for pid, rel in judged.items() if rel > 0}


def reciprocal_ranks(run: dict[str, dict[str, float]], qrels: dict[str, dict[str, int]], k: int = 10
                     ) -> dict[str, float]:
    """Per judged query: 1 / rank of the first relevant passage in the top k (0 if none)."""
    out = {}
    for qid, judged in qrels.items():
        rel = _relevant(judged)
        out[qid] = next((1.0 / rank for rank, pid in enumerate(ranked(run.get(qid, {}))[:k], start=1)
                         if pid in rel), 0.0)
    return out


def mrr_at_k(run: dict[str, dict[str, float]], qrels: dict[str, dict[str, int]], k: int = 10) -> float:
    return _mean(reciprocal_ranks(run, qrels, k))


def recall_at_k(run: dict[str, dict[str, float]], qrels: dict[str, dict[str, int]], k: int = 100) -> float:
    total, n = 0.0, 0
    for qid, judged in qrels.items():
        rel = _relevant(judged)
        if not rel:
            continue
        n += 1
        total += len(rel.intersection(ranked(run.get(qid, {}))[:k])) / len(rel)
    return total / max(n, 1)


def ndcg_per_query(run: dict[str, dict[str, float]], qrels: dict[str, dict[str, int]], k: int = 10
                   ) -> dict[str, float]:
    """Per judged query: nDCG with linear gain `rel` and discount 1/log2(rank + 1), as trec_eval computes it."""
    out = {}
    for qid, judged in qrels.items():
        dcg = sum(max(judged.get(pid, 0), 0) / math.log2(rank + 1)
                  for rank, pid in enumerate(ranked(run.get(qid, {}))[:k], start=1))
        ideal = sorted((r for r in judged.values() if r > 0), reverse=True)[:k]
        idcg = sum(r / math.log2(rank + 1) for rank, r in enumerate(ideal, start=1))
        out[qid] = dcg / idcg if idcg > 0 else 0.0
    return out


def ndcg_at_k(run: dict[str, dict[str, float]], qrels: dict[str, dict[str, int]], k: int = 10) -> float:
    """Mean of `ndcg_per_query` over the judged queries."""
    return _mean(ndcg_per_query(run, qrels, k))


def _mean(per_query: dict[str, float]) -> float:
    return sum(per_query.values()) / max(len(per_query), 1)


def normalize_answer(text: str) -> str:
    """Lowercase, strip accents and punctuation, collapse spaces (DPR's has_answer, simplified)."""
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def has_answer(passage: str, answers: list[str]) -> bool:
    p = f" {normalize_answer(passage)} "
    return any(f" {normalize_answer(a)} " in p for a in answers if normalize_answer(a))


def answer_accuracy_at_k(run: dict[str, dict[str, float]], answers: dict[str, list[str]],
                         passage_text: dict[str, str], k: int = 20) -> float:
    """NQ top-k accuracy: does any of the top k passages contain an answer string?"""
    hits = sum(any(has_answer(passage_text[pid], ans) for pid in ranked(run.get(qid, {}))[:k])
               for qid, ans in answers.items())
    return hits / max(len(answers), 1)


def evaluate_run(run: dict[str, dict[str, float]], qrels: dict[str, dict[str, int]],
                 recall_ks: tuple[int, ...] = (10, 100)) -> dict[str, float]:
    """The standard set: MRR@10, nDCG@10 and Recall@k."""
    out = {"MRR@10": mrr_at_k(run, qrels, 10), "nDCG@10": ndcg_at_k(run, qrels, 10)}
    for k in recall_ks:
        out[f"R@{k}"] = recall_at_k(run, qrels, k)
    return out
