"""Checkpoints: safetensors only (no pickle), written atomically, checked on load.

- `model.safetensors`: the deliverable. In prompt mode it holds only the prefix (kilobytes to
  megabytes) plus, in its metadata, the model config and the fingerprint of the backbone it was
  trained on; loading it onto other weights is refused. In finetune mode it holds the backbone.
- `last.safetensors`: everything `--resume` needs: model, optimizer moments, step, RNG state.

Every file is written to a temp file in the same folder, fsynced, then renamed over the target, so a
kill mid-write leaves the previous file intact and never a half file that loads.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save

from dptdr_mini.config import ModelConfig
from dptdr_mini.errors import CheckpointError

FORMAT = "dptdr-mini/1"


def atomic_write_bytes(path: str | Path, payload: bytes) -> None:
    """Write `payload` to `path` so that readers see the old file or the new one, never a partial one."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path}: is a folder (expected a file path to write to)")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def save_tensors(path: str | Path, tensors: dict[str, torch.Tensor], metadata: dict[str, str]) -> None:
    tensors = {k: v.detach().contiguous().cpu() for k, v in tensors.items()}
    atomic_write_bytes(path, st_save(tensors, metadata={"format": FORMAT, **metadata}))


def load_tensors(path: str | Path) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """Read a safetensors file; a truncated, corrupted or foreign file raises CheckpointError."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: checkpoint not found")
    raw = path.read_bytes()
    try:
        tensors = st_load(raw)
        header_len = int.from_bytes(raw[:8], "little")
        metadata = json.loads(raw[8:8 + header_len]).get("__metadata__", {}) or {}
    except (SafetensorError, ValueError, json.JSONDecodeError, UnicodeDecodeError) as e:
        raise CheckpointError(f"{path}: not a readable safetensors checkpoint (truncated or corrupted?): {e}") from None
    if metadata.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not a dptdr-mini checkpoint (metadata format "
                              f"{metadata.get('format')!r}, expected {FORMAT!r})")
    return tensors, metadata


def _model_tensors(model) -> dict[str, torch.Tensor]:
    """Prompt mode: the prefix only. Finetune: the backbone(s). Shared (tied) modules saved once."""
    state = model.prompt_state_dict() if model.cfg.mode == "prompt" else {
        k: v for k, v in model.state_dict().items() if k.startswith(("query_backbone.", "passage_backbone."))}
    if model.cfg.tied:
        state = {k: v for k, v in state.items() if not k.startswith(("passage_prefix.", "passage_backbone."))}
    return state


def model_metadata(model) -> dict[str, str]:
    cfg = model.query_backbone.config
    return {"model_config": json.dumps(asdict(model.cfg)), "backbone_fingerprint": model.fingerprint,
            "backbone_shape": json.dumps([cfg.model_type, cfg.num_hidden_layers, cfg.hidden_size,
                                          cfg.num_attention_heads])}


def save_model(path: str | Path, model, extra: dict[str, str] | None = None) -> None:
    """Write the deliverable checkpoint (see module docstring)."""
    save_tensors(path, _model_tensors(model), {**model_metadata(model), **(extra or {})})


def load_model_tensors(model, tensors: dict[str, torch.Tensor], metadata: dict[str, str], path) -> None:
    """Load checkpoint tensors into `model`, refusing another backbone's prompts."""
    cfg = model.query_backbone.config
    shape = [cfg.model_type, cfg.num_hidden_layers, cfg.hidden_size, cfg.num_attention_heads]
    saved_shape = json.loads(metadata.get("backbone_shape", "null"))
    if saved_shape != shape:
        raise CheckpointError(f"{path}: trained for a backbone of shape {saved_shape} (type, layers, hidden, heads), "
                              f"but the loaded backbone is {shape}")
    if model.cfg.mode == "prompt" and metadata.get("backbone_fingerprint") != model.fingerprint:
        raise CheckpointError(f"{path}: prompt trained on backbone weights {metadata.get('backbone_fingerprint')}, "
                              f"but the loaded backbone's weights are {model.fingerprint}; "
                              f"pass the --backbone it was trained with")
    expected = _model_tensors(model)
    missing = sorted(set(expected) - set(tensors))
    unexpected = sorted(set(tensors) - set(expected))
    if missing or unexpected:
        raise CheckpointError(f"{path}: tensors do not match the model (missing {missing[:3]}, "
                              f"unexpected {unexpected[:3]})")
    for k, v in tensors.items():
        if v.shape != expected[k].shape:
            raise CheckpointError(f"{path}: tensor {k} has shape {tuple(v.shape)}, expected {tuple(expected[k].shape)}")
    with torch.no_grad():
        own = dict(model.named_parameters())
        own.update(dict(model.named_buffers()))
        for k, v in tensors.items():
            own[k].copy_(v)


def load_retriever(path: str | Path, backbone: str | None = None, online: bool = False):
    """Rebuild a `DenseRetriever` from a model checkpoint (optionally on another --backbone path)."""
    from dptdr_mini.model.retriever import DenseRetriever

    tensors, metadata = load_tensors(path)
    if "step" in metadata and "param_groups" in metadata:
        raise CheckpointError(f"{path}: a resume state (model + optimizer, for --resume), not a model; "
                              f"pass model.safetensors from the same folder")
    try:
        cfg = ModelConfig(**json.loads(metadata["model_config"]))
    except (KeyError, TypeError, json.JSONDecodeError) as e:
        raise CheckpointError(f"{path}: metadata has no valid model_config ({e})") from None
    if backbone:
        cfg.backbone = backbone
    cfg.online = online
    from dptdr_mini.model.backbone import load_backbone  # here, so writing a checkpoint never imports transformers

    bb, tok = load_backbone(cfg.backbone, online=online)
    model = DenseRetriever(cfg, bb, tok)
    load_model_tensors(model, tensors, metadata, path)
    model.eval()
    return model
