"""Synthetic stand-ins for scale checks on a laptop: a tiny random BERT, a big fake corpus, clustered vectors.

None of these measure retrieval quality; they measure what scale changes: memory, resumption,
distributed arithmetic, index recall. The tiny BERT (2 layers, hidden 32) uses the bundled
tokenizer, so it reads real text at a few thousand passages per second on one CPU core.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import numpy as np

WORDS = ("prompt retrieval passage query dense vector index shard encoder frozen prefix layer attention "
         "negative positive batch gradient device corpus token model train search recall memory").split()


def tiny_backbone(folder: str | Path, seed: int = 0, dropout: float = 0.0) -> str:
    """Write a random 2-layer, hidden-32 BERT and the bundled tokenizer to `folder` (a --backbone PATH)."""
    import torch
    from transformers import BertConfig, BertModel

    from dptdr_mini.model.backbone import load_backbone

    folder = Path(folder)
    if (folder / "config.json").is_file():
        return str(folder)
    _, tokenizer = load_backbone("default")
    torch.manual_seed(seed)
    cfg = BertConfig(num_hidden_layers=2, hidden_size=32, num_attention_heads=2, intermediate_size=64,
                     vocab_size=tokenizer.vocab_size, hidden_dropout_prob=dropout,
                     attention_probs_dropout_prob=dropout)
    BertModel(cfg).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return str(folder)


def write_msmarco_folder(folder: str | Path, passages: int, queries: int = 0, seed: int = 0,
                         words: int = 40) -> Path:
    """Stream `passages` random-word passages to collection.tsv (never held in memory); with `queries`,
    also queries/qrels for split `train` whose positive is passage i (the query reuses its first words)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    firsts = []
    part = folder / "collection.tsv.part"
    with open(part, "w", encoding="utf-8") as f:  # atomic: .part + os.replace
        for pid in range(passages):
            text = " ".join(rng.choice(WORDS) for _ in range(words))
            if pid < queries:
                firsts.append(" ".join(text.split()[:6]))
            f.write(f"{pid}\t{text}\n")
    os.replace(part, folder / "collection.tsv")
    if queries:
        from dptdr_mini.model.checkpoint import atomic_write_bytes
        atomic_write_bytes(folder / "queries.train.tsv", "".join(f"q{i}\t{t}\n" for i, t in enumerate(firsts)).encode())
        atomic_write_bytes(folder / "qrels.train.tsv", "".join(f"q{i}\t0\t{i}\t1\n" for i in range(len(firsts))).encode())
    return folder


def clustered_vectors(n: int, dim: int, clusters: int, queries: int, seed: int = 0, noise: float = 0.3
                      ) -> tuple[np.ndarray, np.ndarray]:
    """-> (n, dim) corpus and (queries, dim) query vectors drawn around shared random centres (float32).

    Real embeddings are clustered by topic; uniform random vectors are the worst case for IVF/HNSW and
    would understate their recall.
    """
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((clusters, dim)).astype(np.float32)
    corpus = centres[rng.integers(0, clusters, n)] + noise * rng.standard_normal((n, dim)).astype(np.float32)
    q = centres[rng.integers(0, clusters, queries)] + noise * rng.standard_normal((queries, dim)).astype(np.float32)
    return corpus.astype(np.float32), q.astype(np.float32)
