"""Distributed training: 2 torchrun processes (gloo) with cross-device negatives train exactly like one
process on the concatenated batch; GradCache gives the whole batch's loss and gradient."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from dptdr_mini.model.checkpoint import load_model_tensors, load_tensors, save_model
from dptdr_mini.config import ModelConfig, TrainConfig
from dptdr_mini.data.loaders import load_data
from dptdr_mini.training.distributed import gather_with_grad, pad_global_batch
from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.data.examples import examples_from_data
from benchmarks.synthetic import tiny_backbone
from dptdr_mini.training.loop import train

ROOT = Path(__file__).resolve().parents[1]
# dropout 0 everywhere: ranks encode slices, one process the whole batch, so masks would differ
MODEL = dict(prefix_len=4, prefix_dropout=0.0, pooling="mean")


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """A dropout-free tiny BERT folder and one saved initial prefix both runs start from."""
    tmp = tmp_path_factory.mktemp("dist")
    backbone = tiny_backbone(tmp / "tiny", dropout=0.0)
    torch.manual_seed(0)
    save_model(tmp / "init.safetensors", DenseRetriever(ModelConfig(backbone=backbone, **MODEL)))
    return tmp, backbone


def _model(backbone: str, init: Path) -> DenseRetriever:
    model = DenseRetriever(ModelConfig(backbone=backbone, **MODEL))
    tensors, meta = load_tensors(init)
    load_model_tensors(model, tensors, meta, init)
    return model


def test_gather_with_grad_is_identity_in_one_process():
    t = torch.randn(3, 4, requires_grad=True)
    assert gather_with_grad(t) is t


def test_short_last_batch_wraps_to_the_start_of_the_epoch_order():
    assert pad_global_batch([7, 8], [5, 6, 7, 8], 4) == [7, 8, 5, 6]
    assert pad_global_batch([1, 2, 3, 4], [1, 2, 3, 4], 4) == [1, 2, 3, 4]


def test_two_process_cross_device_loss_equals_one_process_on_the_concatenated_batch(setup, samples):
    tmp, backbone = setup
    steps = 3
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_port", "29517",
           "-m", "dptdr_mini", "train", "--data", str(samples / "msmarco"), "--split", "train", "--eval-split=",
           "--backbone", backbone, "--init-checkpoint", str(tmp / "init.safetensors"),
           "--prefix-len", "4", "--prefix-dropout", "0", "--pooling", "mean",
           "--batch-size", "2", "--negatives", "1", "--max-steps", str(steps), "--negatives-x-device",
           "--output-dir", str(tmp / "ddp"), "--quiet"]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    assert "effective batch: 2 queries x 2 process(es) = 4 queries" in proc.stdout
    assert (tmp / "ddp" / "model.safetensors").is_file()          # rank 0 wrote it
    ddp_losses = json.loads((tmp / "ddp" / "train_log.json").read_text())["losses"]

    data = load_data(samples / "msmarco", "train")
    cfg = TrainConfig(data=str(samples / "msmarco"), output_dir=str(tmp / "single"), batch_size=4, negatives=1,
                      max_steps=steps, eval_split="", quiet=True)
    single = train(_model(backbone, tmp / "init.safetensors"), examples_from_data(data), data.corpus, cfg)

    assert len(ddp_losses) == steps
    assert max(abs(a - b) for a, b in zip(ddp_losses, single.losses)) < 1e-5, (ddp_losses, single.losses)
    assert len(set(round(x, 4) for x in single.losses)) > 1          # the prefix trained: losses moved
    ddp_prefix, _ = load_tensors(tmp / "ddp" / "model.safetensors")
    single_prefix, _ = load_tensors(tmp / "single" / "model.safetensors")
    for k in single_prefix:                                           # same gradients -> same weights
        assert torch.allclose(ddp_prefix[k], single_prefix[k], atol=1e-5)


def test_grad_cache_chunks_give_the_whole_batch_loss_and_weights(setup, samples):
    tmp, backbone = setup
    data = load_data(samples / "msmarco", "train")
    examples = examples_from_data(data)
    results = {}
    for chunk in (0, 1):
        cfg = TrainConfig(output_dir=str(tmp / f"gc{chunk}"), batch_size=4, negatives=1, max_steps=2,
                          eval_split="", quiet=True, grad_cache_chunk=chunk)
        model = _model(backbone, tmp / "init.safetensors")
        results[chunk] = (train(model, examples, data.corpus, cfg).losses, model.prompt_state_dict())
    assert max(abs(a - b) for a, b in zip(results[0][0], results[1][0])) < 1e-5
    for k, v in results[0][1].items():
        assert torch.allclose(v, results[1][1][k], atol=1e-5)


def test_default_device_follows_dptdr_device(monkeypatch):
    from dptdr_mini.training.distributed import default_device, init_from_env

    monkeypatch.delenv("WORLD_SIZE", raising=False)
    monkeypatch.setenv("DPTDR_DEVICE", "cpu")
    assert default_device() == "cpu" and init_from_env().device == "cpu"
    monkeypatch.delenv("DPTDR_DEVICE")
    assert default_device() == ("cuda" if torch.cuda.is_available() else "cpu")


@pytest.mark.parametrize("value", ["gpu0", "cuda:x"] + ([] if torch.cuda.is_available() else ["cuda"]))
def test_bad_dptdr_device_is_one_clear_error(monkeypatch, value):
    from dptdr_mini.training.distributed import default_device
    from dptdr_mini.errors import ConfigError

    monkeypatch.setenv("DPTDR_DEVICE", value)
    with pytest.raises(ConfigError, match="DPTDR_DEVICE"):
        default_device()
