"""Deep prompts (P-Tuning v2): trainable key/value prefixes in every attention layer of a frozen encoder.

A shallow prompt adds a few trainable token embeddings at the input only. A *deep* prompt adds, in
every layer l, `prefix_len` extra keys K_l and values V_l that every real token can attend to:

    attention_l(Q, [K_l ; K], [V_l ; V])      # the prefix slots are never queries, only keys/values

so the prompt steers every layer directly. All the trainable parameters of a task live here:
prefix_len x 2 x layers x hidden numbers (MiniLM, prefix 32: 147,456).

The prefix reaches a Hugging Face encoder through its key/value cache: a `transformers.DynamicCache`
pre-filled with the prefixes, built fresh for each forward pass (the forward pass appends the real
tokens' keys/values to it in place, so a reused cache would grow). The attention mask gets
`prefix_len` ones in front. Positions: with a cache the model numbers real tokens from prefix_len
("shifted", as in the P-Tuning v2 and DPTDR code); "zero" (the default) passes explicit position ids that
start where they would without a prompt (0 for BERT, 2 for RoBERTa: `first_position`). On a frozen backbone
the shift is not free: a fresh prefix with shifted positions scores far below the untuned model at step 0
(benchmarks/results/step0-scifact.md), with positions from the start it does not.
"""

from __future__ import annotations

import inspect

import torch
from torch import nn
from transformers import DynamicCache

from dptdr_mini.errors import ConfigError


class PrefixEncoder(nn.Module):
    """Produce per-layer prefix keys/values of shape (layers, 2, batch, heads, prefix_len, head_dim).

    `projection=False`: the prefix is one embedding table (prefix_len, 2*layers*hidden), init N(0, 0.02).
    `projection=True`: a smaller table (prefix_len, hidden) passed through a two-layer tanh MLP
    (the reparameterisation of Li & Liang / P-Tuning v2), which can train more stably.
    """

    def __init__(self, num_layers: int, num_heads: int, head_dim: int, prefix_len: int,
                 projection: bool = False, projection_hidden: int = 512, dropout: float = 0.1):
        super().__init__()
        self.num_layers, self.num_heads, self.head_dim, self.prefix_len = num_layers, num_heads, head_dim, prefix_len
        hidden = num_heads * head_dim
        out = 2 * num_layers * hidden
        self.projection = projection
        if projection:
            self.embedding = nn.Embedding(prefix_len, hidden)
            self.mlp = nn.Sequential(nn.Linear(hidden, projection_hidden), nn.Tanh(), nn.Linear(projection_hidden, out))
        else:
            self.embedding = nn.Embedding(prefix_len, out)
        nn.init.normal_(self.embedding.weight, mean=0.0, std=0.02)
        self.dropout = nn.Dropout(dropout)

    def forward(self, batch_size: int) -> torch.Tensor:
        x = self.embedding.weight                                         # (P, 2*L*hidden) or (P, hidden)
        if self.projection:
            x = self.mlp(x)                                               # (P, 2*L*hidden)
        x = self.dropout(x)
        x = x.view(self.prefix_len, self.num_layers, 2, self.num_heads, self.head_dim)
        x = x.permute(1, 2, 3, 0, 4)                                      # (L, 2, heads, P, head_dim)
        return x.unsqueeze(2).expand(-1, -1, batch_size, -1, -1, -1)      # (L, 2, B, heads, P, head_dim)

    @torch.no_grad()
    def init_from_keys_values(self, kv: torch.Tensor) -> None:
        """Start from real keys/values (L, 2, heads, P, head_dim), e.g. of `prefix_len` real tokens."""
        if self.projection:
            raise ConfigError("--prefix-init tokens needs --no-prefix-projection (the MLP has no inverse)")
        self.embedding.weight.copy_(kv.permute(3, 0, 1, 2, 4).reshape(self.prefix_len, -1))


def prefix_shape(config) -> tuple[int, int, int]:
    """(layers, heads, head_dim) of a Hugging Face encoder config."""
    heads = config.num_attention_heads
    return config.num_hidden_layers, heads, config.hidden_size // heads


def prefix_cache(kv: torch.Tensor) -> DynamicCache:
    """A fresh DynamicCache holding prefix keys/values kv: (L, 2, B, heads, P, head_dim)."""
    return DynamicCache(ddp_cache_data=[(kv[layer, 0], kv[layer, 1]) for layer in range(kv.shape[0])])


def cache_keyword(model: nn.Module) -> str:
    """transformers >= 5.24 calls the cache argument `cache`; older 5.x `past_key_values`."""
    params = inspect.signature(model.forward).parameters
    return "cache" if "cache" in params else "past_key_values"


def check_prefix_support(model: nn.Module, prefix_len: int) -> None:
    """A deep prompt needs a forward pass that takes a key/value cache; DistilBERT's does not (its **kwargs would
    swallow the cache and silently drop the prompt), so a prefix on it is refused instead."""
    params = inspect.signature(model.forward).parameters
    if prefix_len > 0 and "cache" not in params and "past_key_values" not in params:
        model_type = getattr(getattr(model, "config", None), "model_type", type(model).__name__)
        raise ConfigError(f"--prefix-len {prefix_len}: a {model_type} backbone takes no key/value cache, so it cannot "
                          f"carry a deep prompt; use --mode finetune, or --prefix-len 0 for the untuned backbone")


def first_position(model: nn.Module) -> int:
    """The position id of a text's first token: 0 for BERT, padding_idx + 1 (= 2) for RoBERTa.

    RoBERTa keeps position rows 0..padding_idx for padding, so "positions from 0" must start after them, or
    the first real tokens read the padding rows.
    """
    table = getattr(getattr(model, "embeddings", None), "position_embeddings", None)
    padding_idx = getattr(table, "padding_idx", None)
    return padding_idx + 1 if padding_idx is not None else 0


def check_position_budget(config, prefix_len: int, max_len: int, position_mode: str, flag: str = "--max-len",
                          first: int = 0) -> None:
    """Position ids must stay inside the table: first + max_len, plus prefix_len when positions are shifted."""
    limit = config.max_position_embeddings
    if position_mode == "shifted" and first + prefix_len + max_len > limit:
        raise ConfigError(f"--prefix-len {prefix_len} + {flag} {max_len}"
                          f"{f' + {first} reserved positions' if first else ''} = {first + prefix_len + max_len} "
                          f"exceeds the backbone's {limit} position embeddings (shifted positions); lower one of "
                          f"them, or use --position-mode zero")
    if first + max_len > limit:
        raise ConfigError(f"{flag} {max_len}{f' + {first} reserved positions' if first else ''} exceeds the "
                          f"backbone's {limit} position embeddings")


def forward_with_prefix(model: nn.Module, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                        kv: torch.Tensor | None, position_mode: str = "zero",
                        token_type_ids: torch.Tensor | None = None, **kwargs):
    """Run an encoder with prefix keys/values kv (None or prefix_len 0: the plain backbone)."""
    if token_type_ids is not None and "token_type_ids" not in inspect.signature(model.forward).parameters:
        token_type_ids = None                                             # DistilBERT has no segment embeddings
    if kv is None or kv.shape[4] == 0:
        return model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids, **kwargs)
    batch, prefix_len = input_ids.shape[0], kv.shape[4]
    prefix_mask = torch.ones(batch, prefix_len, dtype=attention_mask.dtype, device=attention_mask.device)
    if position_mode == "zero":
        first = first_position(model)
        kwargs["position_ids"] = first + torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0)
    elif position_mode != "shifted":
        raise ConfigError(f"--position-mode {position_mode!r}: expected 'shifted' or 'zero'")
    kwargs[cache_keyword(model)] = prefix_cache(kv)
    return model(input_ids=input_ids, attention_mask=torch.cat([prefix_mask, attention_mask], dim=1),
                 token_type_ids=token_type_ids, **kwargs)


@torch.no_grad()
def keys_values_of_text(model: nn.Module, tokenizer, text: str, prefix_len: int) -> torch.Tensor:
    """The backbone's own keys/values for the first `prefix_len` tokens of `text` (cycled if short).

    Returns (L, 2, heads, prefix_len, head_dim): a better start for a prefix than random noise.
    """
    ids = tokenizer(text, add_special_tokens=False)["input_ids"] or [tokenizer.unk_token_id]
    ids = (ids * (prefix_len // len(ids) + 1))[:prefix_len]
    input_ids = torch.tensor([ids])
    cache = DynamicCache()
    model(input_ids=input_ids, attention_mask=torch.ones_like(input_ids), **{cache_keyword(model): cache})
    return torch.stack([torch.stack([layer.keys[0], layer.values[0]]) for layer in cache.layers])
