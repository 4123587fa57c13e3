"""Exact top-k search: FAISS `IndexFlatIP` (what `DenseIndex` uses) vs plain numpy, on the same vectors.

numpy: scores = Q @ P.T (one BLAS matmul), then `np.argpartition` for the top k of each row and a
sort of those k. FAISS does the same matmul in blocks and keeps a heap per query, so it never holds
the whole (queries x passages) score matrix. Both arms are timed alternately in one run, and their
top-k ids are checked to agree (up to ties).

    python -m benchmarks.search_speed                      # 50k random vectors + SciFact vectors if cached
    python -m benchmarks.search_speed --vectors runs/idx/vectors.npy
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import faiss
import numpy as np
import pandas as pd

from .provenance import RESULTS, median, provenance, write_results

SCIFACT_CACHE = RESULTS.parent / "cache" / "scifact_minilm_mean_fp32.npy"   # written by encode_speed --ndcg


def numpy_topk(queries: np.ndarray, passages: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(Q, H) x (N, H) -> (Q, k) scores and indices, best first."""
    scores = queries @ passages.T                                          # (Q, N)
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]                  # (Q, k) unordered top k
    top = np.take_along_axis(scores, part, axis=1)
    order = np.argsort(-top, axis=1, kind="stable")
    return np.take_along_axis(top, order, axis=1), np.take_along_axis(part, order, axis=1)


def faiss_topk(index: faiss.Index, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    return index.search(queries, k)


def unit_vectors(n: int, dim: int, rng: np.random.Generator) -> np.ndarray:
    x = rng.standard_normal((n, dim), dtype=np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def agreement(a_scores, a_idx, b_scores, b_idx, tol: float = 1e-4) -> float:
    """Share of queries whose top-k sets agree; a mismatch only counts if the k-th scores differ (not a tie)."""
    same = [set(x) == set(y) or abs(sx[-1] - sy[-1]) < tol
            for x, y, sx, sy in zip(a_idx, b_idx, a_scores, b_scores)]
    return float(np.mean(same))


def compare(name: str, passages: np.ndarray, queries: np.ndarray, k: int, repeats: int) -> dict:
    passages = np.ascontiguousarray(passages, dtype=np.float32)
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    t0 = time.perf_counter()
    index = faiss.IndexFlatIP(passages.shape[1])
    index.add(passages)
    build = time.perf_counter() - t0
    faiss_topk(index, queries[:8], k), numpy_topk(queries[:8], passages, k)    # warm-up
    times = {"faiss": [], "numpy": []}
    for r in range(repeats):
        for arm in (("faiss", "numpy") if r % 2 == 0 else ("numpy", "faiss")):
            t0 = time.perf_counter()
            res = faiss_topk(index, queries, k) if arm == "faiss" else numpy_topk(queries, passages, k)
            times[arm].append(time.perf_counter() - t0)
            if arm == "faiss":
                f_res = res
            else:
                n_res = res
    f_ms, n_ms = 1000 * median(times["faiss"]), 1000 * median(times["numpy"])
    return {"vectors": name, "passages": len(passages), "dim": passages.shape[1], "queries": len(queries), "k": k,
            "faiss_ms": f_ms, "numpy_ms": n_ms, "numpy/faiss": n_ms / f_ms,
            "faiss_qps": len(queries) / (f_ms / 1000), "numpy_qps": len(queries) / (n_ms / 1000),
            "faiss_build_ms": 1000 * build, "same_topk": agreement(*f_res, *n_res),
            "score_max_abs_diff": float(np.abs(f_res[0] - n_res[0]).max()),
            "numpy_score_matrix_MiB": len(queries) * len(passages) * 4 / 2**20}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--passages", type=int, default=50_000, help="random unit vectors to search")
    ap.add_argument("--dim", type=int, default=384)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--k", type=int, default=100, help="depth (the evaluation's default)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--vectors", default="", help=".npy passage vectors to search too (default: the SciFact "
                                                   "cache of encode_speed --ndcg, if present)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    start = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    rows = [compare("random unit", unit_vectors(args.passages, args.dim, rng),
                    unit_vectors(args.queries, args.dim, rng), args.k, args.repeats)]
    for k in (10,):
        rows.append(compare("random unit", unit_vectors(args.passages, args.dim, np.random.default_rng(args.seed)),
                            unit_vectors(args.queries, args.dim, np.random.default_rng(args.seed + 1)), k, args.repeats))
    path = Path(args.vectors) if args.vectors else SCIFACT_CACHE
    if path.is_file():
        vecs = np.load(path, allow_pickle=False)
        # Queries: passages with a little noise (real query vectors would need the model; the cost is the same).
        q = vecs[rng.choice(len(vecs), args.queries)] + 0.05 * rng.standard_normal((args.queries, vecs.shape[1]),
                                                                                     dtype=np.float32)
        rows.append(compare(f"{path.name}", vecs, q / np.linalg.norm(q, axis=1, keepdims=True), args.k, args.repeats))
    table = pd.DataFrame(rows)
    header = provenance("benchmarks.search_speed")
    header["protocol"] = (f"exact inner product; arms alternate, median of {args.repeats} repeats; one call "
                          f"searches all queries; faiss omp threads {faiss.omp_get_max_threads()}")
    header["wall"] = f"{time.perf_counter() - start:.1f} s"
    notes = ["numpy/faiss > 1 means FAISS is faster", "same_topk: share of queries whose top-k id sets agree "
             "(a differing set counts as agreeing only when the k-th scores tie)",
             "numpy holds the full (queries x passages) float32 score matrix; FAISS works in blocks"]
    if not path.is_file():
        notes.append(f"no SciFact vectors at {path} (run `python -m benchmarks.encode_speed --ndcg` first)")
    print(write_results("search_speed", table, header, notes))


if __name__ == "__main__":
    main()
