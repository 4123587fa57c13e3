"""Ranking metrics over a *run* (qid -> {pid: score}) and *qrels* (qid -> {pid: relevance}).

- MRR@k: mean over queries of 1 / rank of the first relevant passage in the top k (0 if none).
  The MS MARCO passage metric (k = 10).
- Recall@k: share of a query's relevant passages found in the top k. R@100/R@1000 judge a first stage.
- nDCG@k: discounted gain of graded relevance, normalised by the ideal ranking (BEIR's metric, k = 10).
- answer accuracy@k (NQ): share of questions with an answer in one of the top k passages (DPR's has_answer).

Every value equals `ir_measures` (0.4.3, pinned) on the same run, ties included. That needs two tie orders,
because ir_measures itself uses two programs (checked by experiment in tests/test_metrics.py):

- RR@k goes to MS MARCO's evaluation script, which sorts by score, then passage id *ascending*
  (`ranked`, also the kit's order for mining and the explorer);
- R@k and nDCG@k go to trec_eval (pytrec_eval), which sorts by score, then docno *descending* in byte
  order (`trec_ranked`; run files are written in this order).

Either way ties are broken by id, never by the order passages happen to be stored in, so a scorer that
gives every passage the same score cannot win. As in ir_measures, every judged query counts: one absent
from the run, or with no passage at `min_rel` or above, scores 0 (trec_eval's recall is 0 when a query
has no relevant passage, and the query stays in the mean). `min_rel` is the grade that counts as relevant
for MRR and recall (TREC DL: 2; trec_eval's `-l`); nDCG always uses the grades themselves.
"""

from __future__ import annotations

import math
import unicodedata

import regex


def ranked(scores: dict[str, float]) -> list[str]:
    """Passage ids best first; equal scores by id ascending (MS MARCO's script: ir_measures' RR@k)."""
    return sorted(scores, key=lambda pid: (-scores[pid], pid))


def trec_ranked(scores: dict[str, float]) -> list[str]:
    """Passage ids best first; equal scores by id descending, as trec_eval sorts (ir_measures' R@k, nDCG@k).

    Python compares str by code point, which is UTF-8 byte order, i.e. trec_eval's strcmp.
    """
    return sorted(scores, key=lambda pid: (scores[pid], pid), reverse=True)


def _relevant(judged: dict[str, int], min_rel: int = 1) -> set[str]:
    return {pid for pid, rel in judged.items() if rel >= min_rel}


def reciprocal_ranks(run: dict[str, dict[str, float]], qrels: dict[str, dict[str, int]], k: int = 10,
                     min_rel: int = 1) -> dict[str, float]:
    """Per judged query: 1 / rank of the first passage of grade >= min_rel in the top k (0 if none)."""
    out = {}
    for qid, judged in qrels.items():
        rel = _relevant(judged, min_rel)
        out[qid] = next((1.0 / rank for rank, pid in enumerate(ranked(run.get(qid, {}))[:k], start=1)
                         if pid in rel), 0.0)
    return out


def mrr_at_k(run: dict[str, dict[str, float]], qrels: dict[str, dict[str, int]], k: int = 10,
             min_rel: int = 1) -> float:
    return _mean(reciprocal_ranks(run, qrels, k, min_rel))


def recall_per_query(run: dict[str, dict[str, float]], qrels: dict[str, dict[str, int]], k: int = 100,
                     min_rel: int = 1) -> dict[str, float]:
    """Per judged query: share of its passages of grade >= min_rel in the top k; 0 when it has none (trec_eval)."""
    out = {}
    for qid, judged in qrels.items():
        rel = _relevant(judged, min_rel)
        out[qid] = len(rel.intersection(trec_ranked(run.get(qid, {}))[:k])) / len(rel) if rel else 0.0
    return out


def recall_at_k(run: dict[str, dict[str, float]], qrels: dict[str, dict[str, int]], k: int = 100,
                min_rel: int = 1) -> float:
    return _mean(recall_per_query(run, qrels, k, min_rel))


def ndcg_per_query(run: dict[str, dict[str, float]], qrels: dict[str, dict[str, int]], k: int = 10
                   ) -> dict[str, float]:
    """Per judged query: nDCG with linear gain `rel` and discount 1/log2(rank + 1), as trec_eval computes it."""
    out = {}
    for qid, judged in qrels.items():
        dcg = sum(max(judged.get(pid, 0), 0) / math.log2(rank + 1)
                  for rank, pid in enumerate(trec_ranked(run.get(qid, {}))[:k], start=1))
        ideal = sorted((r for r in judged.values() if r > 0), reverse=True)[:k]
        idcg = sum(r / math.log2(rank + 1) for rank, r in enumerate(ideal, start=1))
        out[qid] = dcg / idcg if idcg > 0 else 0.0
    return out


def ndcg_at_k(run: dict[str, dict[str, float]], qrels: dict[str, dict[str, int]], k: int = 10) -> float:
    """Mean of `ndcg_per_query` over the judged queries."""
    return _mean(ndcg_per_query(run, qrels, k))


def _mean(per_query: dict[str, float]) -> float:
    return sum(per_query.values()) / max(len(per_query), 1)


# DPR's SimpleTokenizer: runs of letters/digits/marks, or any other single non-space character
_DPR_TOKEN = regex.compile(r"[\p{L}\p{N}\p{M}]+|[^\p{Z}\p{C}]", flags=regex.IGNORECASE | regex.UNICODE | regex.MULTILINE)


def answer_tokens(text: str) -> list[str]:
    """DPR's normalisation: NFD, its SimpleTokenizer, lowercased (punctuation stays, as single tokens)."""
    return [t.lower() for t in _DPR_TOKEN.findall(unicodedata.normalize("NFD", text))]


def has_answer(passage: str, answers: list[str]) -> bool:
    """DPR's `has_answer` (match_type 'string'): some answer's tokens appear contiguously in the passage's."""
    words = answer_tokens(passage)
    for answer in answers:
        want = answer_tokens(answer)
        if want and any(words[i:i + len(want)] == want for i in range(len(words) - len(want) + 1)):
            return True
    return False


def answer_accuracy_at_k(run: dict[str, dict[str, float]], answers: dict[str, list[str]],
                         passage_text: dict[str, str], k: int = 20) -> float:
    """NQ top-k accuracy as DPR scores it: does any of the top k passages' text contain an answer?"""
    hits = sum(any(has_answer(passage_text[pid], ans) for pid in ranked(run.get(qid, {}))[:k])
               for qid, ans in answers.items())
    return hits / max(len(answers), 1)


def evaluate_run(run: dict[str, dict[str, float]], qrels: dict[str, dict[str, int]],
                 recall_ks: tuple[int, ...] = (10, 100), min_rel: int = 1) -> dict[str, float]:
    """The standard set: MRR@10, nDCG@10 and Recall@k (grade >= min_rel relevant for MRR and recall)."""
    out = {"MRR@10": mrr_at_k(run, qrels, 10, min_rel), "nDCG@10": ndcg_at_k(run, qrels, 10)}
    for k in recall_ks:
        out[f"R@{k}"] = recall_at_k(run, qrels, k, min_rel)
    return out
