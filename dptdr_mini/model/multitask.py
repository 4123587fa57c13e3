"""Many tasks on one frozen backbone: the deployment story of deep prompt tuning.

A fine-tuned retriever per task means one full copy of the encoder per task (MiniLM: 90 MB, RoBERTa-large:
1.4 GB). A prompt-tuned task is only its prefix (MiniLM, prefix 32: 147,456 numbers, 0.6 MB), and the
backbone is shared. `MultiTaskRetriever` loads the backbone once plus any number of prompt checkpoints
(`model.safetensors` from `train` in prompt mode) and encodes a batch whose rows belong to *different*
tasks in one forward pass: the prefix keys/values are per row already, (L, 2, B, heads, P, head_dim),
so row i simply gets its own task's prefix stacked along the batch dimension.

Tasks may differ in prefix length, position mode, pooling, normalisation and max length. Different prefix
lengths are padded to the longest and the padded slots are masked out of attention (mask 0, so softmax
gives them exactly zero weight); each row gets explicit position ids (shifted by its own prefix length,
or from 0), so every row sees exactly what it would see encoded alone. A test checks mixed == separate.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from torch import nn

from dptdr_mini.model.backbone import backbone_fingerprint, load_backbone
from dptdr_mini.model.checkpoint import backbone_shape, config_from_metadata, load_model_tensors, load_tensors
from dptdr_mini.config import ModelConfig
from dptdr_mini.model.retriever import ROLES, DenseRetriever, pool
from dptdr_mini.errors import CheckpointError, ConfigError
from dptdr_mini.model.prefix import cache_keyword, first_position, prefix_cache


def check_prompt_checkpoint(path: str | Path, metadata: dict[str, str], shape: list, fingerprint: str) -> ModelConfig:
    """The checkpoint's ModelConfig, after checking it is a prompt trained on exactly this backbone."""
    cfg = config_from_metadata(metadata, path)
    if cfg.mode != "prompt" or cfg.prefix_len == 0:
        raise CheckpointError(f"{path}: a {cfg.mode}-mode checkpoint (prefix {cfg.prefix_len}); a task on a shared "
                              f"backbone must be a prompt-mode checkpoint with a prefix")
    saved_shape = json.loads(metadata.get("backbone_shape", "null"))
    if saved_shape != shape:
        raise CheckpointError(f"{path}: prompt trained for a backbone of shape {saved_shape} (type, layers, hidden, "
                              f"heads), but the shared backbone is {shape}")
    if metadata.get("backbone_fingerprint") != fingerprint:
        raise CheckpointError(f"{path}: prompt trained on backbone weights {metadata.get('backbone_fingerprint')}, "
                              f"but the shared backbone's weights are {fingerprint}; all tasks must share the "
                              f"backbone they were trained on")
    return cfg


def mixed_forward(backbone: nn.Module, batch: dict[str, torch.Tensor], kvs: list[torch.Tensor],
                  position_modes: list[str]) -> torch.Tensor:
    """One forward pass where row i has its own prefix kvs[i]: (L, 2, heads, P_i, head_dim).

    Prefixes are right-padded to the longest P with zeros and those slots masked; position ids are
    explicit per row (P_i + t for 'shifted', t for 'zero'). Returns last hidden states (B, T, hidden).
    """
    input_ids, mask = batch["input_ids"], batch["attention_mask"]            # (B, T)
    batch_size, seq_len = input_ids.shape
    longest = max(kv.shape[3] for kv in kvs)
    padded, prefix_masks = [], []
    for kv in kvs:
        p = kv.shape[3]
        padded.append(nn.functional.pad(kv, (0, 0, 0, longest - p)))           # (L, 2, heads, Pmax, head_dim)
        prefix_masks.append(torch.arange(longest) < p)                         # real slots first
    kv = torch.stack(padded, dim=2).to(input_ids.device)                       # (L, 2, B, heads, Pmax, head_dim)
    prefix_mask = torch.stack(prefix_masks).to(mask.device, mask.dtype)        # (B, Pmax)
    offsets = torch.tensor([kv_i.shape[3] if mode == "shifted" else 0 for kv_i, mode in zip(kvs, position_modes)])
    position_ids = first_position(backbone) + offsets.unsqueeze(1) + torch.arange(seq_len).unsqueeze(0)  # (B, T)
    kwargs = {cache_keyword(backbone): prefix_cache(kv)} if longest > 0 else {}
    out = backbone(input_ids=input_ids, attention_mask=torch.cat([prefix_mask, mask], dim=1) if longest else mask,
                   token_type_ids=batch.get("token_type_ids"), position_ids=position_ids.to(input_ids.device),
                   **kwargs)
    return out.last_hidden_state


class MultiTaskRetriever(nn.Module):
    """One frozen backbone, one prompt per task; encode rows of many tasks in one batch."""

    def __init__(self, backbone: nn.Module | None = None, tokenizer=None, backbone_name: str = "default",
                 online: bool = False):
        super().__init__()
        if backbone is None:
            backbone, tokenizer = load_backbone(backbone_name, online=online)
        for p in backbone.parameters():
            p.requires_grad_(False)
        self.backbone, self.tokenizer = backbone.eval(), tokenizer
        self.fingerprint = backbone_fingerprint(backbone)
        self.shape = backbone_shape(backbone.config)
        self.tasks = nn.ModuleDict()                                           # name -> DenseRetriever

    @classmethod
    def from_checkpoints(cls, checkpoints: dict[str, str | Path], backbone_name: str = "default",
                         online: bool = False) -> "MultiTaskRetriever":
        model = cls(backbone_name=backbone_name, online=online)
        for name, path in checkpoints.items():
            model.add_task(name, path)
        return model

    def add_task(self, name: str, path: str | Path) -> DenseRetriever:
        """Load a prompt checkpoint as task `name`, refusing one trained on other backbone weights."""
        if name in self.tasks:
            raise ConfigError(f"task {name!r} is already loaded")
        tensors, metadata = load_tensors(path)
        cfg = check_prompt_checkpoint(path, metadata, self.shape, self.fingerprint)
        task = DenseRetriever(cfg, self.backbone, self.tokenizer)             # shares the backbone, owns its prefix
        load_model_tensors(task, tensors, metadata, path)
        self.tasks[name] = task.eval()
        return task

    def task_names(self) -> list[str]:
        return list(self.tasks)

    def _task(self, name: str) -> DenseRetriever:
        if name not in self.tasks:
            raise ConfigError(f"unknown task {name!r}; loaded tasks: {self.task_names()}")
        return self.tasks[name]

    def tokenize(self, texts: list[str], tasks: list[str], role: str) -> dict[str, torch.Tensor]:
        """Each row truncated at its own task's max length, then padded together."""
        groups: dict[int, list[int]] = {}                                       # max length -> row indices
        for i, n in enumerate(tasks):
            groups.setdefault(self._task(n).max_len(role), []).append(i)
        rows: list = [None] * len(texts)
        for max_len, idx in groups.items():                                     # one tokenizer call per group
            enc = self.tokenizer([texts[i] for i in idx], truncation=True, max_length=max_len)
            for j, i in enumerate(idx):
                rows[i] = {k: v[j] for k, v in enc.items()}
        return self.tokenizer.pad(rows, padding=True, return_tensors="pt")

    @torch.no_grad()
    def encode(self, texts: list[str], tasks: list[str], role: str) -> torch.Tensor:
        """Rows of any tasks -> (B, hidden) vectors, each as its task's retriever would encode it alone."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, got {role!r}")
        if len(texts) != len(tasks):
            raise ValueError(f"{len(texts)} texts but {len(tasks)} task names")
        models = [self._task(n) for n in tasks]
        kv_of = {n: self._task(n).prefix_for(role)(1)[:, :, 0] for n in dict.fromkeys(tasks)}  # (L, 2, heads, P, hd)
        kvs = [kv_of[n] for n in tasks]
        batch = self.tokenize(texts, tasks, role)
        hidden = mixed_forward(self.backbone, batch, kvs, [m.cfg.position_mode for m in models])  # (B, T, H)
        mask = batch["attention_mask"].to(hidden.device)
        use_mean = torch.tensor([m.cfg.pooling == "mean" for m in models], device=hidden.device).unsqueeze(1)
        vecs = torch.where(use_mean, pool(hidden, mask, "mean"), pool(hidden, mask, "cls"))    # (B, H)
        normalize = torch.tensor([m.cfg.normalize for m in models], device=hidden.device).unsqueeze(1)
        return torch.where(normalize, nn.functional.normalize(vecs, dim=-1), vecs)

    @torch.no_grad()
    def encode_task(self, texts: list[str], task: str, role: str) -> torch.Tensor:
        """All rows of one task, through that task's own `DenseRetriever` (the reference path)."""
        return self._task(task).encode(texts, role)

    def bytes_per_task(self) -> dict[str, int]:
        """Bytes of prefix parameters each task adds on top of the shared backbone."""
        return {n: sum(p.numel() * p.element_size() for k, p in m.named_parameters() if "prefix" in k)
                for n, m in self.tasks.items()}
