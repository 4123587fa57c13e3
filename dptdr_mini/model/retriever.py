"""`DenseRetriever`: texts -> vectors; relevance = dot product of a query vector and a passage vector.

Two modes, one class:
- `prompt`   the backbone is frozen (requires_grad False); only the `PrefixEncoder` trains (DPT).
- `finetune` every backbone weight trains (FT), no prefix.
Tied (default): queries and passages share one encoder. Untied: each side has its own prefix
(prompt mode) or its own backbone copy (finetune, as in DPR).
Pooling: `cls` (the first token's last hidden state, as in the paper) or `mean` (of real tokens).
"""

from __future__ import annotations

import copy

import torch
from torch import nn

from dptdr_mini.model.backbone import backbone_fingerprint, count_parameters, load_backbone
from dptdr_mini.config import ModelConfig
from dptdr_mini.errors import ConfigError
from dptdr_mini.model.prefix import (PrefixEncoder, check_position_budget, check_prefix_support, first_position,
                                     forward_with_prefix, keys_values_of_text, prefix_shape)

ROLES = ("query", "passage")
PREFIX_INIT_TEXT = ("the passage that answers the question explains what it is, how it works, "
                    "where and when it happened, and why it matters")


def pool(hidden: torch.Tensor, mask: torch.Tensor, pooling: str) -> torch.Tensor:
    """(B, T, H) hidden states + (B, T) mask -> (B, H) vectors."""
    if pooling == "cls":
        return hidden[:, 0]
    m = mask.unsqueeze(-1).to(hidden.dtype)                             # (B, T, 1)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)


def check_room_for_text(tokenizer, max_len: int, flag: str) -> None:
    """A max length must leave room for at least one real token besides the tokenizer's special ones."""
    special = tokenizer.num_special_tokens_to_add() if tokenizer is not None else 0
    if max_len <= special:
        raise ConfigError(f"{flag} {max_len}: the tokenizer adds {special} special tokens, so no text token would be "
                          f"encoded and every text would get the same vector (expected an integer >= {special + 1})")


def check_prefix_size(backbone: nn.Module, prefix_len: int, projection: bool, hidden: int) -> None:
    """Refuse, before allocating it, a prefix with more numbers than the backbone itself (zero-mode positions
    put no bound on --prefix-len, nor anything on --prefix-hidden): a prompt larger than the model is a typo."""
    if prefix_len <= 0:
        return
    layers, heads, head_dim = prefix_shape(backbone.config)
    width = heads * head_dim
    out = 2 * layers * width                                             # numbers per prefix slot
    size = prefix_len * out if not projection else prefix_len * width + (width + 1) * hidden + (hidden + 1) * out
    limit = count_parameters(backbone)
    if size > limit:
        flags = f"--prefix-len {prefix_len}" + (f" with --prefix-hidden {hidden}" if projection else "")
        raise ConfigError(f"{flags}: a prefix of {size:,} numbers, more than the backbone's {limit:,} parameters "
                          "(expected a prompt smaller than the model it tunes)")


class DenseRetriever(nn.Module):
    def __init__(self, cfg: ModelConfig, backbone: nn.Module | None = None, tokenizer=None):
        super().__init__()
        cfg.validate()
        self.cfg = cfg
        if backbone is None:
            backbone, tokenizer = load_backbone(cfg.backbone, online=cfg.online)
        self.tokenizer = tokenizer
        self.query_backbone = backbone
        self.passage_backbone = backbone if cfg.tied or cfg.mode == "prompt" else copy.deepcopy(backbone)
        self.fingerprint = backbone_fingerprint(backbone)  # of the weights the prompts are trained for
        prefix_len = cfg.prefix_len if cfg.mode == "prompt" else 0
        check_prefix_support(backbone, prefix_len)
        for role, max_len in (("query", cfg.query_max_len), ("passage", cfg.passage_max_len)):
            check_position_budget(backbone.config, prefix_len, max_len, cfg.position_mode, f"--{role}-max-len",
                                  first_position(backbone))
            check_room_for_text(tokenizer, max_len, f"--{role}-max-len")
        check_prefix_size(backbone, prefix_len, cfg.prefix_projection, cfg.prefix_hidden)  # before allocating it
        self.query_prefix = self.passage_prefix = None
        if prefix_len > 0:
            self.query_prefix = self._new_prefix(backbone)
            self.passage_prefix = self.query_prefix if cfg.tied else self._new_prefix(backbone)
        for module in (self.query_backbone, self.passage_backbone):
            module.requires_grad_(cfg.mode == "finetune")  # prompt mode: the backbone is frozen

    def _new_prefix(self, backbone: nn.Module) -> PrefixEncoder:
        layers, heads, head_dim = prefix_shape(backbone.config)
        prefix = PrefixEncoder(layers, heads, head_dim, self.cfg.prefix_len, self.cfg.prefix_projection,
                               self.cfg.prefix_hidden, self.cfg.prefix_dropout)
        if self.cfg.prefix_init == "tokens":
            kv = keys_values_of_text(backbone, self.tokenizer, PREFIX_INIT_TEXT, self.cfg.prefix_len)
            prefix.init_from_keys_values(kv)
        return prefix

    # -- the parts a role uses --------------------------------------------------------------
    def backbone_for(self, role: str) -> nn.Module:
        return self.query_backbone if role == "query" else self.passage_backbone

    def prefix_for(self, role: str) -> PrefixEncoder | None:
        return self.query_prefix if role == "query" else self.passage_prefix

    def max_len(self, role: str) -> int:
        return self.cfg.query_max_len if role == "query" else self.cfg.passage_max_len

    # -- text -> vector ------------------------------------------------------------------------
    def tokenize(self, texts: list[str], role: str) -> dict[str, torch.Tensor]:
        return self.tokenizer(texts, padding=True, truncation=True, max_length=self.max_len(role),
                              return_tensors="pt")

    def encode_batch(self, batch: dict[str, torch.Tensor], role: str, kv: torch.Tensor | None = None) -> torch.Tensor:
        """Tokenized batch -> (B, hidden) vectors. `kv` overrides the role's prefix (multi-task serving)."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, got {role!r}")
        prefix = self.prefix_for(role)
        if kv is None and prefix is not None:
            kv = prefix(batch["input_ids"].shape[0])                      # (L, 2, B, heads, P, head_dim)
        device = next(self.parameters()).device
        batch = {k: v.to(device) for k, v in batch.items()}
        out = forward_with_prefix(self.backbone_for(role), batch["input_ids"], batch["attention_mask"], kv,
                                  self.cfg.position_mode, batch.get("token_type_ids"))
        vecs = pool(out.last_hidden_state, batch["attention_mask"], self.cfg.pooling)  # (B, hidden)
        return nn.functional.normalize(vecs, dim=-1) if self.cfg.normalize else vecs

    def encode(self, texts: list[str], role: str) -> torch.Tensor:
        return self.encode_batch(self.tokenize(texts, role), role)

    def score(self, q: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
        """(Bq, H) x (Bp, H) -> (Bq, Bp) dot products."""
        return q @ p.T

    # -- what trains ---------------------------------------------------------------------------
    def trainable_parameters(self) -> list[nn.Parameter]:
        return [p for p in self.parameters() if p.requires_grad]

    def parameter_report(self) -> dict[str, float]:
        """Trainable and total parameter counts (shared modules counted once) and the trainable share."""
        total = count_parameters(self)
        trainable = count_parameters(self, trainable_only=True)
        return {"trainable": trainable, "total": total, "share": trainable / max(total, 1)}

    def prompt_state_dict(self) -> dict[str, torch.Tensor]:
        """Only the prefix weights: what a prompt-mode task costs on disk."""
        return {k: v for k, v in self.state_dict().items() if k.startswith(("query_prefix.", "passage_prefix."))}
