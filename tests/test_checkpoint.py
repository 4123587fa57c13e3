"""Checkpoints: safetensors round trips, atomic writes, refusal of foreign or broken files."""

import json

import pytest
import torch

from dptdr_mini.model.checkpoint import atomic_write_bytes, load_retriever, load_tensors, save_model
from dptdr_mini.config import ModelConfig
from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.errors import CheckpointError

from conftest import make_tiny_bert

TEXTS = ["what makes bread rise", "yeast ferments sugar"]


def _trained(cfg, tiny_bert_dir, tokenizer):
    from transformers import AutoModel
    model = DenseRetriever(cfg, AutoModel.from_pretrained(tiny_bert_dir), tokenizer)
    with torch.no_grad():
        for p in model.trainable_parameters():
            p.add_(torch.randn_like(p) * 0.1)  # stand-in for training: weights differ from the init
    return model.eval()


@pytest.mark.parametrize("mode,tied", [("prompt", True), ("prompt", False), ("finetune", True), ("finetune", False)])
def test_round_trip_gives_identical_embeddings(tmp_path, tiny_bert_dir, tokenizer, mode, tied):
    cfg = ModelConfig(backbone=str(tiny_bert_dir), mode=mode, tied=tied, prefix_len=4)
    model = _trained(cfg, tiny_bert_dir, tokenizer)
    save_model(tmp_path / "model.safetensors", model)
    loaded = load_retriever(tmp_path / "model.safetensors")
    with torch.no_grad():
        for role in ("query", "passage"):
            torch.testing.assert_close(loaded.encode(TEXTS, role), model.encode(TEXTS, role), atol=0, rtol=0)
    assert loaded.cfg == model.cfg


def test_prompt_checkpoint_holds_only_the_prefix(tmp_path, tiny_bert_dir, tokenizer):
    model = _trained(ModelConfig(backbone=str(tiny_bert_dir), prefix_len=4), tiny_bert_dir, tokenizer)
    save_model(tmp_path / "m.safetensors", model)
    tensors, meta = load_tensors(tmp_path / "m.safetensors")
    assert list(tensors) == ["query_prefix.embedding.weight"]
    assert json.loads(meta["model_config"])["mode"] == "prompt"
    assert meta["backbone_fingerprint"] == model.fingerprint


@pytest.mark.parametrize("other_kw,match", [
    ({"seed": 1}, "pass the --backbone it was trained with"),  # same shape, other weights
    ({"layers": 3}, "shape"),                                   # other architecture
])
def test_prompt_for_another_backbone_is_refused(tmp_path, tiny_bert_dir, tokenizer, other_kw, match):
    model = _trained(ModelConfig(backbone=str(tiny_bert_dir), prefix_len=4), tiny_bert_dir, tokenizer)
    save_model(tmp_path / "m.safetensors", model)
    other = tmp_path / "other-bert"
    make_tiny_bert(tokenizer, **other_kw).save_pretrained(other)
    tokenizer.save_pretrained(other)
    with pytest.raises(CheckpointError, match=match):
        load_retriever(tmp_path / "m.safetensors", backbone=str(other))


def test_truncated_checkpoint_is_refused(tmp_path, tiny_bert_dir, tokenizer):
    model = _trained(ModelConfig(backbone=str(tiny_bert_dir), prefix_len=4), tiny_bert_dir, tokenizer)
    save_model(tmp_path / "m.safetensors", model)
    raw = (tmp_path / "m.safetensors").read_bytes()
    (tmp_path / "cut.safetensors").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(CheckpointError, match="truncated or corrupted"):
        load_retriever(tmp_path / "cut.safetensors")
    (tmp_path / "junk.safetensors").write_bytes(b"\x00" * 64)
    with pytest.raises(CheckpointError):
        load_retriever(tmp_path / "junk.safetensors")


def test_atomic_write_replaces_whole_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out.bin"
    atomic_write_bytes(target, b"old")
    atomic_write_bytes(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]
