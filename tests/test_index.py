"""Corpus encoding and FAISS search."""

import numpy as np
import pytest
import torch

from dptdr_mini.config import ModelConfig
from dptdr_mini.data.loaders import Passage
from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.errors import DataFormatError
from dptdr_mini.retrieve.index import DenseIndex, encode_corpus, encode_texts, search_run

TEXTS = ["a", "a much longer passage about yeast and bread and carbon dioxide", "mid length text here",
         "short one", "the longest passage of them all, about planets, orbits, mercury, venus and the sun"]


def test_length_sorted_batches_return_vectors_in_input_order(tiny_bert, tokenizer):
    model = DenseRetriever(ModelConfig(prefix_len=0, pooling="mean"), tiny_bert, tokenizer)
    batched = encode_texts(model, TEXTS, "passage", batch_size=2, quiet=True)
    with torch.no_grad():
        one_by_one = np.stack([model.encode([t], "passage")[0].numpy() for t in TEXTS])
    np.testing.assert_allclose(batched, one_by_one, atol=1e-5)


def test_chunked_prompt_encoding_matches_one_by_one(tiny_bert, tokenizer):
    """Chunks smaller than the list, a prefix and cls pooling still give each text its own vector, in order."""
    model = DenseRetriever(ModelConfig(prefix_len=3, pooling="cls"), tiny_bert, tokenizer)
    batched = encode_texts(model, TEXTS, "passage", batch_size=2, quiet=True, chunk_size=3)
    with torch.no_grad():
        one_by_one = np.stack([model.encode([t], "passage")[0].numpy() for t in TEXTS])
    np.testing.assert_allclose(batched, one_by_one, atol=1e-5)


def test_batches_carry_no_all_padding_columns(tiny_bert, tokenizer, monkeypatch):
    """Each batch is cut to its longest member: its last column has at least one real token."""
    model = DenseRetriever(ModelConfig(prefix_len=0, pooling="mean"), tiny_bert, tokenizer)
    seen, encode_batch = [], model.encode_batch
    monkeypatch.setattr(model, "encode_batch", lambda batch, role: seen.append(batch) or encode_batch(batch, role))
    encode_texts(model, TEXTS, "passage", batch_size=2, quiet=True)
    assert len(seen) == 3
    assert all(b["attention_mask"][:, -1].any() for b in seen)
    widths = [b["input_ids"].shape[1] for b in seen]
    assert widths == sorted(widths, reverse=True)  # longest first


def test_search_returns_best_first_and_exact_inner_product():
    rng = np.random.default_rng(0)
    vecs = rng.normal(size=(50, 8)).astype(np.float32)
    index = DenseIndex([f"p{i}" for i in range(50)], vecs)
    q = rng.normal(size=(3, 8)).astype(np.float32)
    scores, ids = index.search(q, 5)
    brute = q @ vecs.T
    for row in range(3):
        expect = np.argsort(-brute[row])[:5]
        assert ids[row] == [f"p{i}" for i in expect]
        np.testing.assert_allclose(scores[row], brute[row][expect], rtol=1e-5)
    run = search_run(index, ["a", "b", "c"], q, 5)
    assert list(run["a"]) == ids[0]


def test_k_larger_than_corpus_returns_whole_corpus():
    index = DenseIndex(["x", "y"], np.eye(2, dtype=np.float32))
    _, ids = index.search(np.ones((1, 2), dtype=np.float32), 10)
    assert sorted(ids[0]) == ["x", "y"]


def test_save_and_load_round_trip(tmp_path, tiny_bert, tokenizer):
    model = DenseRetriever(ModelConfig(prefix_len=0), tiny_bert, tokenizer)
    ids, vecs = encode_corpus(model, {str(i): Passage(t) for i, t in enumerate(TEXTS)}, quiet=True)
    DenseIndex(ids, vecs).save(tmp_path)
    loaded = DenseIndex.load(tmp_path)
    assert loaded.ids == ids and np.array_equal(loaded.vectors, vecs)
    (tmp_path / "ids.txt").write_text("only-one\n")
    with pytest.raises(DataFormatError, match="1 ids for 5 vectors"):
        DenseIndex.load(tmp_path)
