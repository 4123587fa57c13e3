"""MultiTaskRetriever: one frozen backbone, many prompt checkpoints, mixed-task batches."""

from __future__ import annotations

import dataclasses

import pytest
import torch
from conftest import make_tiny_bert

from dptdr_mini.model.checkpoint import save_model
from dptdr_mini.config import ModelConfig
from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.errors import CheckpointError
from dptdr_mini.model.multitask import MultiTaskRetriever

TEXTS = ["what is a deep prompt", "dense passage retrieval with frozen encoders",
         "bm25 is a lexical baseline", "how many layers does minilm have", "a", "prefix keys and values per layer"]




def save_prompt(path, backbone, tok, seed: int, **cfg_overrides):
    torch.manual_seed(seed)
    cfg = dataclasses.replace(ModelConfig(prefix_len=4, query_max_len=16, passage_max_len=24), **cfg_overrides)
    model = DenseRetriever(cfg, backbone, tok)
    with torch.no_grad():  # a non-trivial prefix, as training would leave it
        for p in model.trainable_parameters():
            p.normal_(0, 0.5)
    save_model(path, model)
    return path


@pytest.fixture
def tiny(tokenizer):
    return make_tiny_bert(tokenizer, seed=0), tokenizer


def test_mixed_task_batch_equals_each_task_encoded_alone(tiny, tmp_path):
    """Rows of different tasks (other prefix lengths, pooling, positions, untied) in one forward == separate."""
    bb, tok = tiny
    tasks = {
        "a": save_prompt(tmp_path / "a.safetensors", bb, tok, 1),
        "b": save_prompt(tmp_path / "b.safetensors", bb, tok, 2, prefix_len=7, pooling="mean", normalize=True),
        "c": save_prompt(tmp_path / "c.safetensors", bb, tok, 3, prefix_len=2, position_mode="zero", tied=False,
                         query_max_len=5),
    }
    mt = MultiTaskRetriever(bb, tok)
    for name, path in tasks.items():
        mt.add_task(name, path)
    names = ["a", "b", "c", "b", "a", "c"]
    for role in ("query", "passage"):
        mixed = mt.encode(TEXTS, names, role)
        for task in tasks:
            rows = [i for i, n in enumerate(names) if n == task]
            alone = mt.encode_task([TEXTS[i] for i in rows], task, role)
            torch.testing.assert_close(mixed[rows], alone, atol=1e-5, rtol=0)
    # the tasks really differ, so the equality above is not trivial
    assert not torch.allclose(mt.encode(TEXTS[:1], ["a"], "query"), mt.encode(TEXTS[:1], ["c"], "query"), atol=1e-3)


def test_tasks_share_one_backbone(tiny, tmp_path):
    """Adding tasks adds prefix parameters only: the backbone is held once."""
    bb, tok = tiny
    mt = MultiTaskRetriever(bb, tok)
    n_backbone = sum(p.numel() for p in mt.parameters())
    for i in range(3):
        mt.add_task(f"t{i}", save_prompt(tmp_path / f"{i}.safetensors", bb, tok, i))
    prefix = 4 * 2 * 2 * 32  # P x (key, value) x layers x hidden
    assert sum(p.numel() for p in mt.parameters()) == n_backbone + 3 * prefix
    assert mt.bytes_per_task() == {f"t{i}": prefix * 4 for i in range(3)}


def test_prompt_of_other_backbone_weights_is_refused(tiny, tmp_path):
    """Same architecture, other weights: the fingerprint differs and the error says so."""
    bb, tok = tiny
    other = make_tiny_bert(tok, seed=99)
    path = save_prompt(tmp_path / "other.safetensors", other, tok, 1)
    with pytest.raises(CheckpointError, match="weights"):
        MultiTaskRetriever(bb, tok).add_task("x", path)


def test_prompt_of_other_architecture_is_refused(tiny, tmp_path):
    bb, tok = tiny
    deeper = make_tiny_bert(tok, seed=0, layers=3)
    path = save_prompt(tmp_path / "deep.safetensors", deeper, tok, 1)
    with pytest.raises(CheckpointError, match="shape"):
        MultiTaskRetriever(bb, tok).add_task("x", path)


def test_finetune_checkpoint_is_refused_as_a_task(tiny, tmp_path):
    """A fine-tuned checkpoint carries its own backbone: it cannot be a task on a shared one."""
    bb, tok = tiny
    ft = DenseRetriever(ModelConfig(mode="finetune", query_max_len=16, passage_max_len=24), bb, tok)
    save_model(tmp_path / "ft.safetensors", ft)
    with pytest.raises(CheckpointError, match="prompt-mode"):
        MultiTaskRetriever(bb, tok).add_task("ft", tmp_path / "ft.safetensors")


def test_unknown_task_is_named(tiny, tmp_path):
    bb, tok = tiny
    mt = MultiTaskRetriever(bb, tok)
    mt.add_task("a", save_prompt(tmp_path / "a.safetensors", bb, tok, 1))
    with pytest.raises(ValueError, match="unknown task 'zz'"):
        mt.encode(["q"], ["zz"], "query")


def test_shared_backbone_shape_is_what_checkpoints_record(tiny, tmp_path):
    """One `backbone_shape`: the multitask check compares the same list a checkpoint's metadata holds."""
    import json

    from dptdr_mini.model.checkpoint import load_tensors

    bb, tok = tiny
    path = save_prompt(tmp_path / "a.safetensors", bb, tok, 1)
    assert MultiTaskRetriever(bb, tok).shape == json.loads(load_tensors(path)[1]["backbone_shape"])
