"""The paper's backbone family: BERT, RoBERTa (positions from padding_idx + 1) and DistilBERT (no cache, no
token types), as tiny random configs built here. Every position mode, and the position budget at its edge."""

from __future__ import annotations

import pytest
import torch
from transformers import (AutoTokenizer, BertConfig, BertModel, DistilBertConfig, DistilBertModel, RobertaConfig,
                          RobertaModel)

from dptdr_mini.config import ModelConfig
from dptdr_mini.errors import ConfigError
from dptdr_mini.model.backbone import default_backbone_path
from dptdr_mini.model.prefix import first_position, forward_with_prefix
from dptdr_mini.model.retriever import DenseRetriever

PREFIX = 4
LONG_TEXT = " ".join(["word"] * 300)                                  # always truncated to max_len


def tiny_backbone(kind: str, positions: int = 64):
    """A 2-layer, 32-wide random encoder. RoBERTa gets 2 more position rows (its pad and the one below), as
    roberta-base has 514 for 512 tokens; its pad id is 1, as in RoBERTa's own vocabulary."""
    torch.manual_seed(0)
    common = dict(vocab_size=30522, max_position_embeddings=positions)
    if kind == "bert":
        return BertModel(BertConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                                    **common), add_pooling_layer=False).eval()
    if kind == "roberta":
        common["max_position_embeddings"] = positions + 2
        return RobertaModel(RobertaConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                                          intermediate_size=64, pad_token_id=1, **common),
                            add_pooling_layer=False).eval()
    return DistilBertModel(DistilBertConfig(dim=32, n_layers=2, n_heads=2, hidden_dim=64, pad_token_id=0,
                                            **common)).eval()


@pytest.fixture(scope="module")
def tokenizers():
    """BERT's vocabulary for all three; RoBERTa's copy pads with id 1 ([unused0]) so that its padding_idx is right."""
    path = default_backbone_path()
    return {"bert": AutoTokenizer.from_pretrained(path), "distilbert": AutoTokenizer.from_pretrained(path),
            "roberta": AutoTokenizer.from_pretrained(path, pad_token="[unused0]")}


def positions_seen(model, fn) -> torch.Tensor:
    """The position ids the backbone's position table is indexed with during fn()."""
    seen = {}
    table = model.embeddings.position_embeddings
    hook = table.register_forward_pre_hook(lambda m, args: seen.update(ids=args[0]))
    try:
        with torch.no_grad():
            fn()
    finally:
        hook.remove()
    return seen["ids"]


FIRST = {"bert": 0, "roberta": 2, "distilbert": 0}


@pytest.mark.parametrize("kind", ["bert", "roberta", "distilbert"])
def test_first_position_is_where_the_backbone_itself_starts_a_text(kind, tokenizers):
    model = tiny_backbone(kind)
    batch = tokenizers[kind](["a short text", "a somewhat longer text here"], padding=True, return_tensors="pt")
    plain = positions_seen(model, lambda: model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]))
    assert first_position(model) == FIRST[kind] == int(plain[-1, 0])


@pytest.mark.parametrize("kind", ["bert", "roberta"])
@pytest.mark.parametrize("mode", ["zero", "shifted"])
def test_each_position_mode_numbers_real_tokens_as_documented(kind, mode, tokenizers):
    """zero: as without a prompt (0 on BERT, 2 on RoBERTa); shifted: prefix_len further on (P-Tuning v2, peft)."""
    model = tiny_backbone(kind)
    retriever = DenseRetriever(ModelConfig(prefix_len=PREFIX, position_mode=mode, prefix_dropout=0.0,
                                           query_max_len=16, passage_max_len=16), model, tokenizers[kind]).eval()
    batch = retriever.tokenize(["one two three four five"], "query")
    n = batch["input_ids"].shape[1]
    seen = positions_seen(model, lambda: retriever.encode_batch(batch, "query"))
    start = FIRST[kind] + (PREFIX if mode == "shifted" else 0)
    assert seen[-1].tolist() == list(range(start, start + n))


@pytest.mark.parametrize("kind", ["bert", "roberta", "distilbert"])
@pytest.mark.parametrize("mode", ["zero", "shifted"])
def test_the_position_budget_is_exact_last_length_runs_next_one_is_refused(kind, mode, tokenizers):
    """Budget: first + max_len (+ prefix_len when shifted) <= max_position_embeddings, first = 2 on RoBERTa.
    The last length that passes encodes a text that long; the next is refused, and would index past the table."""
    model = tiny_backbone(kind)
    prefix_len = 0 if kind == "distilbert" else PREFIX                # DistilBERT carries no prompt (next test)
    limit = model.config.max_position_embeddings
    last = limit - FIRST[kind] - (prefix_len if mode == "shifted" else 0)
    cfg = dict(mode="prompt" if prefix_len else "finetune", prefix_len=prefix_len, position_mode=mode,
               prefix_dropout=0.0, query_max_len=8)
    retriever = DenseRetriever(ModelConfig(passage_max_len=last, **cfg), model, tokenizers[kind]).eval()
    batch = retriever.tokenize([LONG_TEXT], "passage")
    assert batch["input_ids"].shape[1] == last
    with torch.no_grad():
        assert torch.isfinite(retriever.encode_batch(batch, "passage")).all()
    with pytest.raises(ConfigError, match="--passage-max-len") as refused:
        DenseRetriever(ModelConfig(passage_max_len=last + 1, **cfg), model, tokenizers[kind])
    assert "position embeddings" in str(refused.value)
    # the refusal is not over-cautious: one more token really runs off the position table
    too_long = tokenizers[kind]([LONG_TEXT], truncation=True, max_length=last + 1, return_tensors="pt")
    kv = retriever.prefix_for("passage")(1) if prefix_len else None
    with pytest.raises((IndexError, RuntimeError)):                  # torch: "index 64 is out of bounds"
        forward_with_prefix(model, too_long["input_ids"], too_long["attention_mask"], kv, mode)


def test_distilbert_refuses_a_prompt_with_the_reason(tokenizers):
    """DistilBERT's forward takes no key/value cache: its **kwargs would swallow the prompt and return the
    untuned vectors, so a prefix is refused, naming the way out."""
    with pytest.raises(ConfigError, match="distilbert backbone takes no key/value cache.*--mode finetune"):
        DenseRetriever(ModelConfig(prefix_len=PREFIX), tiny_backbone("distilbert"), tokenizers["distilbert"])


def test_distilbert_finetunes_and_pools_without_token_type_ids(tokenizers):
    """Fine-tuning works on DistilBERT, whose tokenizer (BERT's) still returns token_type_ids it has no use for."""
    model = tiny_backbone("distilbert")
    retriever = DenseRetriever(ModelConfig(mode="finetune", pooling="mean", passage_max_len=32), model, tokenizers["distilbert"]).eval()
    batch = retriever.tokenize(["a query", "another, longer query"], "query")
    assert "token_type_ids" in batch
    with torch.no_grad():
        got = retriever.encode_batch(batch, "query")
        hidden = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).last_hidden_state
    m = batch["attention_mask"].unsqueeze(-1).float()
    torch.testing.assert_close(got, (hidden * m).sum(1) / m.sum(1), atol=1e-6, rtol=0)
