"""Checkpoints: safetensors only (no pickle), written atomically, checked on load.

- `model.safetensors`: the deliverable. In prompt mode it holds only the prefix (kilobytes to
  megabytes) plus, in its metadata, the model config and the fingerprint of the backbone it was
  trained on; loading it onto other weights is refused. In finetune mode it holds the backbone.
- `last.safetensors`: everything `--resume` needs: model, optimizer moments, step, RNG state.

Every file is written to a temp file in the same folder, fsynced, then renamed over the target, so a
kill mid-write leaves the previous file intact and never a half file that loads. The temp file gets the
mode a plain `open` would give (the user's umask; a rewritten file keeps its own mode), not mkstemp's 0600.

Reading is in one place too: `config_from_metadata` turns a checkpoint's metadata into a validated
`ModelConfig`, `backbone_shape` is what is recorded and checked, and `load_or_untuned` is how every verb,
the miner and the explorer get "this checkpoint's retriever, or the untuned backbone".
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
from dptdr_mini.errors import CheckpointError, ConfigError

FORMAT = "dptdr-mini/1"


def current_umask() -> int:
    """The process umask. Python can only read it by setting it, so set it back at once."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def plain_mode(folder: bool = False, existing: str | Path | None = None) -> int:
    """The mode `open` / `mkdir` would give a new file (0o666) or folder (0o777) under the umask, or the mode
    of the file being replaced: tempfile's 0600 / 0700 would hide the outputs from the user's group."""
    if existing is not None and Path(existing).exists():
        return Path(existing).stat().st_mode & 0o7777
    return (0o777 if folder else 0o666) & ~current_umask()


def atomic_write_bytes(path: str | Path, payload: bytes) -> None:
    """Write `payload` to `path` so that readers see the old file or the new one, never a partial one."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path}: is a folder (expected a file path to write to)")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, plain_mode(existing=path))
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


def check_finite_tensors(tensors: dict[str, torch.Tensor], path, doing: str) -> None:
    """Every floating tensor holds only finite numbers: a NaN/inf weight is never written nor loaded."""
    for k, v in tensors.items():
        if v.is_floating_point() and not bool(torch.isfinite(v).all()):
            bad = int((~torch.isfinite(v)).sum())
            raise CheckpointError(f"{path}: refusing to {doing}: tensor {k} holds {bad} non-finite (NaN/inf) "
                                  f"value(s) of {v.numel()} (expected finite weights; the run diverged)")


def save_tensors(path: str | Path, tensors: dict[str, torch.Tensor], metadata: dict[str, str]) -> None:
    tensors = {k: v.detach().contiguous().cpu() for k, v in tensors.items()}
    check_finite_tensors(tensors, path, "write it")
    atomic_write_bytes(path, st_save(tensors, metadata={"format": FORMAT, **metadata}))


def _read_metadata(raw: bytes, path) -> dict[str, str]:
    """The `__metadata__` of a safetensors header; a foreign or broken file raises CheckpointError."""
    try:
        header_len = int.from_bytes(raw[:8], "little")
        if len(raw) < 8 or len(raw) < 8 + header_len:
            raise ValueError(f"header of {header_len} bytes, file of {len(raw)}")
        metadata = json.loads(raw[8:8 + header_len]).get("__metadata__", {}) or {}
    except (ValueError, AttributeError, UnicodeDecodeError) as e:  # JSONDecodeError is a ValueError
        raise CheckpointError(f"{path}: not a readable safetensors checkpoint (truncated or corrupted?): {e}") from None
    if metadata.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not a dptdr-mini checkpoint (metadata format "
                              f"{metadata.get('format')!r}, expected {FORMAT!r})")
    return metadata


def load_tensors(path: str | Path) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    """Read a safetensors file; a truncated, corrupted or foreign file raises CheckpointError."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: checkpoint not found")
    raw = path.read_bytes()
    try:
        tensors = st_load(raw)
    except (SafetensorError, ValueError) as e:
        raise CheckpointError(f"{path}: not a readable safetensors checkpoint (truncated or corrupted?): {e}") from None
    metadata = _read_metadata(raw, path)
    check_finite_tensors(tensors, path, "load it")
    return tensors, metadata


def read_metadata(path: str | Path) -> dict[str, str]:
    """A checkpoint's metadata from its header alone: no tensor is read (cheap even for a fine-tuned model)."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: checkpoint not found")
    with open(path, "rb") as f:
        head = f.read(8)
        raw = head + f.read(int.from_bytes(head, "little")) if len(head) == 8 else head
    return _read_metadata(raw, path)


def config_from_metadata(metadata: dict[str, str], path: str | Path) -> ModelConfig:
    """The validated ModelConfig a checkpoint was saved with: the one place metadata becomes a config."""
    try:
        cfg = ModelConfig(**json.loads(metadata["model_config"]))
        cfg.validate()
    except (KeyError, TypeError, json.JSONDecodeError, ConfigError) as e:
        raise CheckpointError(f"{path}: metadata has no valid model_config ({e})") from None
    return cfg


def backbone_shape(config) -> list:
    """(type, layers, hidden, heads) of a Hugging Face config: what a checkpoint records and checks on load."""
    return [config.model_type, config.num_hidden_layers, config.hidden_size, config.num_attention_heads]


def _model_tensors(model) -> dict[str, torch.Tensor]:
    """Prompt mode: the prefix only. Finetune: the backbone(s). Shared (tied) modules saved once."""
    state = model.prompt_state_dict() if model.cfg.mode == "prompt" else {
        k: v for k, v in model.state_dict().items() if k.startswith(("query_backbone.", "passage_backbone."))}
    if model.cfg.tied:
        state = {k: v for k, v in state.items() if not k.startswith(("passage_prefix.", "passage_backbone."))}
    return state


def library_versions() -> dict[str, str]:
    """The versions that produced a checkpoint: a number that moves between two of them is explained by these."""
    from importlib.metadata import PackageNotFoundError, version

    import dptdr_mini

    found = {}
    for name in ("torch", "transformers"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:  # pragma: no cover - both are dependencies
            found[name] = "unknown"
    return {**found, "dptdr_mini": dptdr_mini.__version__}


def backbone_source(model) -> str:
    """Where the backbone's weights were loaded from: the hub name or an absolute folder, never 'default'."""
    from dptdr_mini.model.backbone import resolve_backbone

    source = getattr(model.query_backbone.config, "name_or_path", "") or resolve_backbone(model.cfg.backbone)
    return str(Path(source).resolve()) if Path(source).is_dir() else source


def model_metadata(model, seed: int | None = None) -> dict[str, str]:
    """What a checkpoint records: the config and backbone it needs, and how to reproduce it (seed, versions,
    backbone source). `seed` defaults to torch's current one (what `train` and RIP set with --seed)."""
    return {"model_config": json.dumps(asdict(model.cfg)), "backbone_fingerprint": model.fingerprint,
            "backbone_shape": json.dumps(backbone_shape(model.query_backbone.config)),
            "seed": str(torch.initial_seed() if seed is None else seed),
            "library_versions": json.dumps(library_versions()), "backbone_source": backbone_source(model)}


def save_model(path: str | Path, model, extra: dict[str, str] | None = None, seed: int | None = None) -> None:
    """Write the deliverable checkpoint (see module docstring)."""
    save_tensors(path, _model_tensors(model), {**model_metadata(model, seed), **(extra or {})})


def load_model_tensors(model, tensors: dict[str, torch.Tensor], metadata: dict[str, str], path) -> None:
    """Load checkpoint tensors into `model`, refusing another backbone's prompts."""
    shape = backbone_shape(model.query_backbone.config)
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


def load_retriever(path: str | Path, backbone: str | None = None, online: bool = False, loaded=None):
    """Rebuild a `DenseRetriever` from a model checkpoint (optionally on another --backbone path).

    `loaded` = (model, tokenizer) already in memory: a prompt trained on exactly those weights
    (same fingerprint) is built on that object, so many prompts share one backbone; anything else
    loads its own copy.
    """
    from dptdr_mini.model.backbone import backbone_fingerprint, load_backbone  # here: writing never imports transformers
    from dptdr_mini.model.retriever import DenseRetriever

    tensors, metadata = load_tensors(path)
    if "step" in metadata and "param_groups" in metadata:
        raise CheckpointError(f"{path}: a resume state (model + optimizer, for --resume), not a model; "
                              f"pass model.safetensors from the same folder")
    cfg = config_from_metadata(metadata, path)
    if backbone:
        cfg.backbone = backbone
    cfg.online = online
    if (loaded is not None and cfg.mode == "prompt"
            and metadata.get("backbone_fingerprint") == backbone_fingerprint(loaded[0])):
        bb, tok = loaded                                                    # a prompt adds only its prefix
    else:
        bb, tok = load_backbone(cfg.backbone, online=online)
    model = DenseRetriever(cfg, bb, tok)
    load_model_tensors(model, tensors, metadata, path)
    model.eval()
    return model


def untuned_name(cfg: ModelConfig) -> str:
    """How a results table names the untuned backbone: its pooling and score, which change its numbers."""
    return f"untuned backbone ({cfg.pooling}, {'cosine' if cfg.normalize else 'dot product'})"


def load_or_untuned(checkpoint: str | Path, model_cfg: ModelConfig, backbone: str = "", loaded=None):
    """A checkpoint's retriever, or the untuned backbone: the one way every verb gets a model to encode with.

    With `checkpoint`: its own saved config wins (pooling, lengths, ...); it is loaded onto `backbone`
    when given, else onto the backbone it was trained on; `model_cfg.online` allows downloads.
    Without: the untuned backbone built from `model_cfg` (its defaults are the one default), with no
    prefix, on `backbone` when given. `loaded` is a (model, tokenizer) already in memory: the untuned
    model is built on it (it must be that backbone), and a prompt trained on it shares it (`load_retriever`).
    The model is placed on `default_device()` (DPTDR_DEVICE overrides).
    """
    from dataclasses import replace

    from dptdr_mini.model.retriever import DenseRetriever
    from dptdr_mini.training.distributed import default_device

    if checkpoint:
        model = load_retriever(checkpoint, backbone or None, model_cfg.online, loaded)
    else:
        cfg = replace(model_cfg, prefix_len=0, backbone=backbone or model_cfg.backbone)
        bb, tok = loaded if loaded is not None else (None, None)
        model = DenseRetriever(cfg, bb, tok).eval()
    return model.to(default_device())
