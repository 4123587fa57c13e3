"""Search at scale: exact or approximate FAISS indexes over encoded shards, merged exactly.

Index kinds (all inner product, built with `faiss.index_factory`):
    flat   exact search, 4 x hidden bytes per passage (MS MARCO, 1024-d: 36 GB)
    ivf    k-means into `nlist` cells; a query scans `nprobe` cells (fast, same memory as flat)
    hnsw   a graph of 32 neighbours per vector; query effort `ef_search` (fast, more memory)
    ivfpq  IVF with product-quantised codes: hidden / 4 bytes per passage (16x smaller, lossy)

`ShardedIndex` holds one index per shard and merges the shards' top k by score: the merge is exact,
so a flat sharded index returns what one flat index over the whole corpus would. Approximate indexes
trade recall for speed; `recall_vs_exact` measures that trade on a sample of queries.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from dptdr_mini.config import option
from dptdr_mini.errors import ConfigError
from dptdr_mini.retrieve.shards import iter_chunks, load_shard, shard_folders

KINDS = ("flat", "ivf", "hnsw", "ivfpq")


@dataclass
class IndexConfig:
    """Which FAISS index to build over the shards, and how hard a query searches it."""

    index_type: str = option("flat", "flat: exact; ivf / hnsw / ivfpq: approximate (see dptdr_mini.retrieve.ann)", KINDS)
    nlist: int = option(0, "IVF cells (0 = about 4 x sqrt(passages per shard))")
    nprobe: int = option(16, "IVF cells a query scans")
    hnsw_m: int = option(32, "HNSW neighbours per vector")
    ef_search: int = option(128, "HNSW candidate list length at query time")
    pq_bytes: int = option(0, "IVFPQ bytes per vector (0 = hidden / 4); must divide the hidden size")
    train_size: int = option(100_000, "vectors sampled per shard to train IVF / PQ")
    seed: int = option(0, "seed for the training sample")

    def validate(self) -> None:
        if self.index_type not in KINDS:
            raise ConfigError(f"--index-type {self.index_type!r}: expected one of {KINDS}")
        for name in ("nprobe", "hnsw_m", "ef_search", "train_size"):
            if getattr(self, name) < 1:
                raise ConfigError(f"--{name.replace('_', '-')} {getattr(self, name)}: expected an integer >= 1")


def factory_string(cfg: IndexConfig, n: int, dim: int) -> str:
    """The `faiss.index_factory` description for `n` vectors of size `dim`."""
    nlist = cfg.nlist or max(1, min(n // 39, int(4 * math.sqrt(n))))   # FAISS wants >= 39 points per cell
    if cfg.index_type == "flat":
        return "Flat"
    if cfg.index_type == "ivf":
        return f"IVF{nlist},Flat"
    if cfg.index_type == "hnsw":
        return f"HNSW{cfg.hnsw_m}"
    m = cfg.pq_bytes or max(1, dim // 4)
    if dim % m:
        raise ConfigError(f"--pq-bytes {m}: must divide the hidden size {dim}")
    return f"IVF{nlist},PQ{m}np"      # np: skip polysemous training (slow, unused by this search)


def build_index(vectors: np.ndarray, cfg: IndexConfig) -> faiss.Index:
    """(n, dim) float32 -> a trained, filled inner-product index with the query-time knobs set."""
    n, dim = vectors.shape
    index = faiss.index_factory(dim, factory_string(cfg, n, dim), faiss.METRIC_INNER_PRODUCT)
    if not index.is_trained:
        rng = np.random.default_rng(cfg.seed)
        sample = vectors[np.sort(rng.choice(n, min(n, cfg.train_size), replace=False))]
        index.train(np.ascontiguousarray(sample))
    index.add(np.ascontiguousarray(vectors))
    set_search_effort(index, cfg)
    return index


def set_search_effort(index: faiss.Index, cfg: IndexConfig) -> None:
    if cfg.index_type in ("ivf", "ivfpq"):
        faiss.extract_index_ivf(index).nprobe = cfg.nprobe
    elif cfg.index_type == "hnsw":
        index.hnsw.efSearch = cfg.ef_search


class ShardedIndex:
    """One FAISS index per shard; `search` merges the shards' results exactly (same API as DenseIndex)."""

    def __init__(self, parts: list[tuple[list[str], faiss.Index]], kind: str = "flat"):
        self.parts, self.kind = parts, kind

    @classmethod
    def from_vectors(cls, shards: list[tuple[list[str], np.ndarray]], cfg: IndexConfig) -> "ShardedIndex":
        cfg.validate()
        return cls([(ids, build_index(np.ascontiguousarray(v, dtype=np.float32), cfg)) for ids, v in shards],
                   cfg.index_type)

    @classmethod
    def load(cls, output: str | Path, cfg: IndexConfig) -> "ShardedIndex":
        """Build from the shard folders of `encode --num-shards`, one shard in memory at a time
        (a flat index is filled chunk by chunk; IVF/HNSW/PQ train on a shard's vectors)."""
        cfg.validate()
        parts = []
        for folder in shard_folders(output):
            if cfg.index_type == "flat":
                ids, index = [], None
                for chunk_ids, vectors in iter_chunks(folder):
                    if index is None:
                        index = faiss.IndexFlatIP(vectors.shape[1])
                    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
                    ids.extend(chunk_ids)
                if index is not None:
                    parts.append((ids, index))
            else:
                ids, vectors = load_shard(folder)
                if ids:
                    parts.append((ids, build_index(vectors, cfg)))
        return cls(parts, cfg.index_type)

    def __len__(self) -> int:
        return sum(len(ids) for ids, _ in self.parts)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, list[list[str]]]:
        """(Q, H) -> (Q, k) scores and ids, best first: each shard's top k, merged by score."""
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        scores, positions, offset = [], [], 0
        for ids, index in self.parts:
            s, idx = index.search(queries, min(k, len(ids)))              # (Q, k_s) each
            scores.append(s)
            positions.append(np.where(idx >= 0, idx + offset, -1))
            offset += len(ids)
        scores, positions = np.concatenate(scores, axis=1), np.concatenate(positions, axis=1)  # (Q, sum k_s)
        scores = np.where(positions >= 0, scores, -np.inf)
        best = np.argsort(-scores, axis=1, kind="stable")[:, :k]          # (Q, k)
        top_scores = np.take_along_axis(scores, best, axis=1)
        top_pos = np.take_along_axis(positions, best, axis=1)
        all_ids = self._all_ids()
        return top_scores, [[all_ids[j] for j in row if j >= 0] for row in top_pos]

    def _all_ids(self) -> list[str]:
        if not hasattr(self, "_ids"):
            self._ids = [pid for ids, _ in self.parts for pid in ids]
        return self._ids


def recall_vs_exact(approx, exact, queries: np.ndarray, k: int = 10) -> float:
    """Mean share of the exact top k that the approximate index also returns in its top k."""
    _, a = approx.search(queries, k)
    _, e = exact.search(queries, k)
    return float(np.mean([len(set(x) & set(y)) / max(1, len(y)) for x, y in zip(a, e)]))


def queries_per_second(index, queries: np.ndarray, k: int = 10) -> float:
    start = time.perf_counter()
    index.search(queries, k)
    return len(queries) / max(time.perf_counter() - start, 1e-9)
