"""Search at scale: a sharded flat index returns what one flat index returns; approximate indexes are
measured against it (recall@10) and must find most of the exact neighbours on clustered data."""

from __future__ import annotations

import numpy as np
import pytest

from dptdr_mini.retrieve.ann import IndexConfig, ShardedIndex, factory_string, recall_vs_exact
from dptdr_mini.errors import ConfigError
from dptdr_mini.retrieve.index import DenseIndex
from benchmarks.synthetic import clustered_vectors


@pytest.fixture(scope="module")
def vectors():
    corpus, queries = clustered_vectors(6000, 32, clusters=200, queries=100, seed=1, noise=0.5)
    ids = [f"p{i}" for i in range(len(corpus))]
    shards = [(ids[s::3], corpus[s::3]) for s in range(3)]
    return ids, corpus, queries, shards


def test_sharded_flat_merge_is_exact(vectors):
    ids, corpus, queries, shards = vectors
    exact = DenseIndex(ids, corpus)
    sharded = ShardedIndex.from_vectors(shards, IndexConfig("flat"))
    s1, i1 = exact.search(queries, 10)
    s2, i2 = sharded.search(queries, 10)
    assert len(sharded) == len(ids)
    assert np.allclose(s1, s2, atol=1e-4)
    assert recall_vs_exact(sharded, exact, queries) == 1.0


@pytest.mark.parametrize("kind", ["ivf", "hnsw"])
def test_approximate_index_recall_at_10_vs_flat(vectors, kind):
    ids, corpus, queries, shards = vectors
    flat = ShardedIndex.from_vectors(shards, IndexConfig("flat"))
    approx = ShardedIndex.from_vectors(shards, IndexConfig(kind, nprobe=8, ef_search=64))
    recall = recall_vs_exact(approx, flat, queries)
    print(f"{kind} recall@10 vs flat: {recall:.3f} (corpus {len(ids):,} vectors)")
    assert recall >= 0.5


def test_ivf_recall_falls_when_it_scans_one_cell(vectors):
    """nprobe is a real knob: scanning 1 of ~100 cells loses neighbours that 32 cells find."""
    ids, corpus, queries, shards = vectors
    flat = ShardedIndex.from_vectors(shards, IndexConfig("flat"))
    low = recall_vs_exact(ShardedIndex.from_vectors(shards, IndexConfig("ivf", nprobe=1)), flat, queries)
    high = recall_vs_exact(ShardedIndex.from_vectors(shards, IndexConfig("ivf", nprobe=32)), flat, queries)
    assert low < high


def test_factory_strings_and_bad_settings():
    assert factory_string(IndexConfig("flat"), 1000, 32) == "Flat"
    assert factory_string(IndexConfig("hnsw"), 1000, 32) == "HNSW32"
    assert factory_string(IndexConfig("ivfpq"), 100_000, 768).endswith(",PQ192np")
    with pytest.raises(ConfigError, match="--pq-bytes 5"):
        factory_string(IndexConfig("ivfpq", pq_bytes=5), 1000, 32)
    with pytest.raises(ConfigError, match="--index-type"):
        IndexConfig("annoy").validate()


def test_index_built_from_shard_files_searches_like_one_flat_index(tmp_path):
    """ShardedIndex.load reads the chunk files of `encode --num-shards` (float16 here) chunk by chunk."""
    import io
    import json

    from dptdr_mini.model.checkpoint import atomic_write_bytes
    from dptdr_mini.retrieve.shards import shard_dir

    corpus, queries = clustered_vectors(900, 16, clusters=20, queries=20, seed=3)
    ids = [f"d{i}" for i in range(900)]
    for s in range(2):
        folder = shard_dir(tmp_path, s, 2)
        rows = list(range(s, 900, 2))
        for c, start in enumerate(range(0, len(rows), 100)):
            part = rows[start:start + 100]
            buf = io.BytesIO()
            np.save(buf, corpus[part].astype(np.float16), allow_pickle=False)
            atomic_write_bytes(folder / f"chunk-{c:06d}.npy", buf.getvalue())
            (folder / f"chunk-{c:06d}.ids").write_text("\n".join(ids[i] for i in part) + "\n")
        (folder / "manifest.json").write_text(json.dumps({"num_shards": 2, "chunks": c + 1, "complete": True}))
    loaded = ShardedIndex.load(tmp_path, IndexConfig("flat"))
    exact = DenseIndex(ids, corpus.astype(np.float16).astype(np.float32))
    assert len(loaded) == 900 and len(loaded.parts) == 2
    assert recall_vs_exact(loaded, exact, queries) == 1.0
    assert recall_vs_exact(ShardedIndex.load(tmp_path, IndexConfig("hnsw")), exact, queries) >= 0.5
