"""DenseRetriever: what trains in each mode, and what stays frozen."""

import torch

from dptdr_mini.config import ModelConfig
from dptdr_mini.model.retriever import DenseRetriever, pool
from dptdr_mini.training.loss import contrastive_loss

Q = ["what makes bread rise", "closest planet to the sun"]
P = ["yeast ferments sugar into carbon dioxide gas", "mercury orbits nearest to the sun",
     "bread was traded in ancient rome", "mercury is a liquid metal"]


def _loss(model):
    return contrastive_loss(model.encode(Q, "query"), model.encode(P, "passage"))


def test_prompt_mode_gradients_reach_only_the_prefix(tiny_bert, tokenizer):
    model = DenseRetriever(ModelConfig(mode="prompt", prefix_len=4), tiny_bert, tokenizer)
    _loss(model).backward()
    with_grad = {n for n, p in model.named_parameters() if p.grad is not None and p.grad.abs().sum() > 0}
    assert with_grad and all(n.startswith("query_prefix.") for n in with_grad)
    assert all(p.grad is None for p in tiny_bert.parameters())


def test_backbone_bit_identical_after_prompt_training(tiny_bert, tokenizer):
    before = {k: v.clone() for k, v in tiny_bert.state_dict().items()}
    model = DenseRetriever(ModelConfig(mode="prompt", prefix_len=4), tiny_bert, tokenizer)
    opt = torch.optim.AdamW(model.trainable_parameters(), lr=1e-1)
    prefix_before = model.query_prefix.embedding.weight.clone()
    model.train()
    for _ in range(3):
        opt.zero_grad()
        _loss(model).backward()
        opt.step()
    assert not torch.equal(prefix_before, model.query_prefix.embedding.weight), "the prefix trained"
    for k, v in tiny_bert.state_dict().items():
        assert torch.equal(v, before[k]), f"backbone weight {k} changed"


def test_finetune_mode_trains_the_backbone_and_has_no_prefix(tiny_bert, tokenizer):
    model = DenseRetriever(ModelConfig(mode="finetune"), tiny_bert, tokenizer)
    assert model.query_prefix is None
    _loss(model).backward()
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in tiny_bert.parameters())
    report = model.parameter_report()
    assert report["trainable"] == report["total"]


def test_prompt_share_is_small_and_counted_once_when_tied(tiny_bert, tokenizer):
    tied = DenseRetriever(ModelConfig(prefix_len=4), tiny_bert, tokenizer).parameter_report()
    untied = DenseRetriever(ModelConfig(prefix_len=4, tied=False), tiny_bert, tokenizer).parameter_report()
    per_prefix = 4 * 2 * 2 * 32  # prefix_len x (key, value) x layers x hidden
    assert tied["trainable"] == per_prefix
    assert untied["trainable"] == 2 * per_prefix
    assert 0 < tied["share"] < 1


def test_untied_finetune_has_separate_backbones(tiny_bert, tokenizer):
    model = DenseRetriever(ModelConfig(mode="finetune", tied=False), tiny_bert, tokenizer)
    assert model.query_backbone is not model.passage_backbone
    torch.testing.assert_close(model.encode(Q, "passage"), model.encode(Q, "query"))  # same init


def test_mean_pooling_ignores_padding():
    hidden = torch.tensor([[[1.0, 1.0], [3.0, 3.0], [100.0, 100.0]]])
    mask = torch.tensor([[1, 1, 0]])
    assert torch.equal(pool(hidden, mask, "mean"), torch.tensor([[2.0, 2.0]]))
    assert torch.equal(pool(hidden, mask, "cls"), torch.tensor([[1.0, 1.0]]))


def test_normalize_gives_unit_vectors(tiny_bert, tokenizer):
    model = DenseRetriever(ModelConfig(prefix_len=0, normalize=True), tiny_bert, tokenizer)
    norms = model.encode(P, "passage").norm(dim=-1)
    torch.testing.assert_close(norms, torch.ones(len(P)))
