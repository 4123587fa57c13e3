"""PrefixEncoder and the DynamicCache path into a frozen encoder."""

import pytest
import torch

from dptdr_mini.config import ModelConfig
from dptdr_mini.model.retriever import PREFIX_INIT_TEXT, DenseRetriever
from dptdr_mini.errors import ConfigError
from dptdr_mini.model.prefix import (PrefixEncoder, check_position_budget, first_position, forward_with_prefix,
                                     keys_values_of_text, prefix_cache)

TEXTS = ["what makes bread rise", "the planet closest to the sun is mercury, a small rocky world"]


def test_prefix_shape_is_layers_kv_batch_heads_len_dim():
    prefix = PrefixEncoder(num_layers=3, num_heads=2, head_dim=4, prefix_len=5)
    kv = prefix(batch_size=7)
    assert kv.shape == (3, 2, 7, 2, 5, 4)
    assert torch.equal(kv[:, :, 0], kv[:, :, 6]), "every row of a single-task batch shares the prefix"


def test_projection_prefix_has_mlp_and_same_output_shape():
    prefix = PrefixEncoder(2, 2, 4, 3, projection=True, projection_hidden=16)
    assert prefix(2).shape == (2, 2, 2, 2, 3, 4)
    assert prefix.embedding.weight.shape == (3, 8)


def test_zero_length_prefix_reproduces_frozen_backbone_embeddings(tiny_bert, tokenizer):
    model = DenseRetriever(ModelConfig(prefix_len=0, pooling="mean"), tiny_bert, tokenizer).eval()
    batch = tokenizer(TEXTS, padding=True, return_tensors="pt")
    with torch.no_grad():
        ours = model.encode(TEXTS, "passage")
        out = tiny_bert(**batch).last_hidden_state
        m = batch["attention_mask"].unsqueeze(-1).float()
        plain = (out * m).sum(1) / m.sum(1)
    torch.testing.assert_close(ours, plain, atol=1e-6, rtol=0)


def test_masked_prefix_with_zero_positions_equals_no_prefix(tiny_bert, tokenizer):
    """The prefix acts only through attention: mask its slots out and start positions at 0 -> plain output."""
    batch = tokenizer(TEXTS, padding=True, return_tensors="pt")
    kv = PrefixEncoder(2, 2, 16, 4)(2).detach()
    mask = torch.cat([torch.zeros(2, 4, dtype=batch["attention_mask"].dtype), batch["attention_mask"]], 1)
    pos = torch.arange(batch["input_ids"].shape[1]).unsqueeze(0)
    with torch.no_grad():
        masked = tiny_bert(input_ids=batch["input_ids"], attention_mask=mask, position_ids=pos,
                           cache=prefix_cache(kv)).last_hidden_state
        plain = tiny_bert(**batch).last_hidden_state
    torch.testing.assert_close(masked, plain, atol=1e-5, rtol=0)


def test_prefix_changes_the_embedding(tiny_bert, tokenizer):
    model = DenseRetriever(ModelConfig(prefix_len=4, prefix_dropout=0.0), tiny_bert, tokenizer).eval()
    torch.nn.init.normal_(model.query_prefix.embedding.weight, std=1.0)
    bare = DenseRetriever(ModelConfig(prefix_len=0), tiny_bert, tokenizer).eval()
    with torch.no_grad():
        assert not torch.allclose(model.encode(TEXTS, "query"), bare.encode(TEXTS, "query"), atol=1e-3)


def test_cache_does_not_grow_across_calls(tiny_bert, tokenizer):
    """A fresh DynamicCache per forward: repeated calls give identical vectors, and the cache built for
    one call holds prefix + sequence, never more."""
    model = DenseRetriever(ModelConfig(prefix_len=4, prefix_dropout=0.0), tiny_bert, tokenizer).eval()
    batch = model.tokenize(TEXTS, "query")
    with torch.no_grad():
        first = model.encode_batch(batch, "query")
        for _ in range(3):
            again = model.encode_batch(batch, "query")
        kv = model.query_prefix(2)
        cache = prefix_cache(kv)
        assert cache.get_seq_length() == 4
        tiny_bert(input_ids=batch["input_ids"], attention_mask=torch.cat(
            [torch.ones(2, 4, dtype=torch.long), batch["attention_mask"]], 1), cache=cache)
        assert cache.get_seq_length() == 4 + batch["input_ids"].shape[1]
        assert prefix_cache(kv).get_seq_length() == 4
    torch.testing.assert_close(first, again, atol=0, rtol=0)


def test_shifted_and_zero_positions_differ(tiny_bert, tokenizer):
    kv = PrefixEncoder(2, 2, 16, 4)(2).detach()
    batch = tokenizer(TEXTS, padding=True, return_tensors="pt")
    with torch.no_grad():
        shifted = forward_with_prefix(tiny_bert, batch["input_ids"], batch["attention_mask"], kv, "shifted")
        zero = forward_with_prefix(tiny_bert, batch["input_ids"], batch["attention_mask"], kv, "zero")
    assert not torch.allclose(shifted.last_hidden_state, zero.last_hidden_state)


def test_position_budget_overflow_names_the_flags(tiny_bert):
    with pytest.raises(ConfigError, match="--prefix-len 200 .*--max-len 64"):
        check_position_budget(tiny_bert.config, 200, 64, "shifted")
    check_position_budget(tiny_bert.config, 200, 64, "zero")  # zero positions: only max_len counts


def test_retriever_refuses_prefix_plus_length_over_position_limit(tiny_bert, tokenizer):
    with pytest.raises(ConfigError, match="position embeddings"):
        DenseRetriever(ModelConfig(prefix_len=200, passage_max_len=64, position_mode="shifted"), tiny_bert, tokenizer)


def test_init_from_real_tokens_copies_the_backbones_keys_values(tiny_bert, tokenizer):
    kv = keys_values_of_text(tiny_bert, tokenizer, "bread rises", prefix_len=5)
    assert kv.shape == (2, 2, 2, 5, 16)
    model = DenseRetriever(ModelConfig(prefix_len=5, prefix_init="tokens", prefix_dropout=0.0), tiny_bert, tokenizer)
    model.eval()
    got = model.query_prefix(1)[:, :, 0]
    want = keys_values_of_text(tiny_bert, tokenizer, PREFIX_INIT_TEXT, 5)
    torch.testing.assert_close(got, want)


def tiny_roberta():
    from transformers import RobertaConfig, RobertaModel
    torch.manual_seed(0)
    cfg = RobertaConfig(vocab_size=100, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=40, pad_token_id=1,
                        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
    return RobertaModel(cfg).eval()


def test_positions_from_the_start_mean_from_padding_idx_plus_one_on_roberta(tiny_bert):
    roberta = tiny_roberta()
    assert first_position(roberta) == 2 and first_position(tiny_bert) == 0
    ids = torch.randint(3, 100, (2, 7))
    mask = torch.ones_like(ids)
    kv = PrefixEncoder(2, 2, 16, 4)(2).detach()                           # (L, 2, B, heads, P, head_dim)
    seen = {}
    hook = roberta.embeddings.register_forward_pre_hook(
        lambda m, a, kw: seen.update(pos=kw.get("position_ids")), with_kwargs=True)
    with torch.no_grad():
        forward_with_prefix(roberta, ids, mask, kv, "zero")
    hook.remove()
    assert seen["pos"][0].tolist() == list(range(2, 9))                  # what RoBERTa itself gives a plain text
    # and a prefix whose slots are masked out then leaves RoBERTa's output exactly as without a prompt
    with torch.no_grad():
        plain = roberta(input_ids=ids, attention_mask=mask).last_hidden_state
        masked = roberta(input_ids=ids, attention_mask=torch.cat([torch.zeros(2, 4, dtype=mask.dtype), mask], 1),
                         position_ids=seen["pos"], cache=prefix_cache(kv)).last_hidden_state
    torch.testing.assert_close(masked, plain, atol=1e-5, rtol=0)


def test_roberta_position_budget_counts_its_two_reserved_rows():
    config = tiny_roberta().config                                        # 40 position rows, 2 reserved
    check_position_budget(config, 10, 38, "zero", first=2)
    with pytest.raises(ConfigError, match="reserved"):
        check_position_budget(config, 10, 39, "zero", first=2)
    with pytest.raises(ConfigError, match="reserved"):
        check_position_budget(config, 1, 38, "shifted", first=2)
