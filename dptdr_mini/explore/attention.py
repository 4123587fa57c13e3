"""Where a prompt acts: the share of attention each layer gives its prefix, and a layer switched off.

`query_attention_shares` runs one query with eager attention and reads, per layer, the CLS token's
attention mass on the prefix slots; `prefix_layer_off` masks one layer's prefix keys, so the ranking
with and without that layer's prompt can be compared (the widget in `explore.widget` shows both).
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import torch

from dptdr_mini.errors import ConfigError
from dptdr_mini.model.prefix import forward_with_prefix
from dptdr_mini.model.retriever import DenseRetriever


def prefix_attention_shares(attentions, prefix_len: int) -> np.ndarray:
    """Per layer, the CLS token's attention mass on the prefix slots, averaged over heads.

    attentions: one (B, heads, T, P + T) tensor per layer (keys: P prefix slots, then T tokens).
    Returns (B, layers); every value in [0, 1] since each row of attention sums to 1.
    """
    return torch.stack([a[:, :, 0, :prefix_len].sum(-1).mean(1) for a in attentions], dim=1).float().cpu().numpy()


def _self_attention(backbone, layer: int):
    try:
        return backbone.encoder.layer[layer].attention.self
    except (AttributeError, IndexError):
        raise ConfigError(f"layer {layer}: the backbone has no encoder.layer[{layer}].attention.self "
                          f"(BERT/RoBERTa-style encoders only)") from None


@contextmanager
def prefix_layer_off(backbone, layer: int | None, prefix_len: int):
    """Inside the block, layer `layer`'s attention ignores the first `prefix_len` keys (its prefix)."""
    if layer is None or prefix_len == 0:
        yield
        return

    def mask_prefix(module, args, kwargs):
        hidden = args[0] if args else kwargs["hidden_states"]                   # (B, T, H)
        mask = kwargs.get("attention_mask")
        batch, seq = hidden.shape[:2]
        if mask is None:  # no padding: the model skipped the mask; build the additive one
            mask = torch.zeros(batch, 1, seq, prefix_len + seq, dtype=hidden.dtype, device=hidden.device)
        mask = mask.clone()                                                     # (B, 1, T, P + T)
        if mask.dtype == torch.bool:
            mask[..., :prefix_len] = False
        else:
            mask[..., :prefix_len] = torch.finfo(mask.dtype).min
        kwargs["attention_mask"] = mask
        return args, kwargs

    handle = _self_attention(backbone, layer).register_forward_pre_hook(mask_prefix, with_kwargs=True)
    try:
        yield
    finally:
        handle.remove()


def ensure_eager(backbone) -> None:
    """Attention weights are only returned by the eager implementation (sdpa fuses them away)."""
    if getattr(backbone.config, "_attn_implementation", "eager") != "eager":
        backbone.set_attn_implementation("eager")


@torch.no_grad()
def query_attention_shares(model: DenseRetriever, query: str, off_layer: int | None = None) -> np.ndarray:
    """(layers,) prefix share of the CLS token's attention for one query (zeros when there is no prefix)."""
    backbone, prefix = model.backbone_for("query"), model.prefix_for("query")
    if prefix is None:
        return np.zeros(backbone.config.num_hidden_layers)
    ensure_eager(backbone)
    device = next(model.parameters()).device
    batch = {k: v.to(device) for k, v in model.tokenize([query], "query").items()}
    kv = prefix(1)                                                              # (L, 2, 1, heads, P, head_dim)
    with prefix_layer_off(backbone, off_layer, prefix.prefix_len):
        out = forward_with_prefix(backbone, batch["input_ids"], batch["attention_mask"], kv,
                                  model.cfg.position_mode, batch.get("token_type_ids"), output_attentions=True)
    return prefix_attention_shares(out.attentions, prefix.prefix_len)[0]
