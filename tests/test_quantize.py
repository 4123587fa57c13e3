"""int8 dynamic quantisation: close to fp32, faster path, original untouched."""

from __future__ import annotations

import torch

from dptdr_mini.config import ModelConfig
from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.model.quantize import quantize_int8

SENTENCES = ["what causes the northern lights", "Aurora borealis: charged solar particles hit the upper atmosphere.",
             "A recipe for sourdough bread with a long cold fermentation.", "how tall is mount everest"]


def test_int8_vectors_stay_close_to_fp32(minilm):
    """Each int8 vector has cosine > 0.95 with its fp32 vector (real MiniLM, mean pooling)."""
    model = DenseRetriever(ModelConfig(prefix_len=0, pooling="mean", normalize=True), *minilm)
    q = quantize_int8(model)
    with torch.inference_mode():
        a, b = model.encode(SENTENCES, "passage"), q.encode(SENTENCES, "passage")
    cos = torch.nn.functional.cosine_similarity(a, b, dim=-1)
    assert cos.min() > 0.95, cos
    assert not torch.equal(a, b)  # the int8 path really ran


def test_int8_keeps_the_ranking_and_leaves_the_original_alone(minilm):
    """The quantised copy ranks the aurora passage first for the aurora query; the fp32 model keeps nn.Linear."""
    model = DenseRetriever(ModelConfig(prefix_len=4, pooling="mean", normalize=True), *minilm)
    q = quantize_int8(model)
    assert any(type(m) is torch.nn.Linear for m in model.modules())
    assert not any(type(m) is torch.nn.Linear for m in q.query_backbone.modules())
    assert q.query_backbone is q.passage_backbone  # tied stays tied
    with torch.inference_mode():
        scores = q.score(q.encode(SENTENCES[:1], "query"), q.encode(SENTENCES[1:3], "passage"))
    assert scores.argmax().item() == 0


def test_keep_fp32_leaves_named_layers_as_linear(minilm):
    """Layers named in keep_fp32 stay nn.Linear; every other Linear is quantised."""
    model = DenseRetriever(ModelConfig(prefix_len=0), *minilm)
    q = quantize_int8(model, keep_fp32=("encoder.layer.0.output.dense",))
    kept = [n for n, m in q.named_modules() if type(m) is torch.nn.Linear]
    assert kept == ["query_backbone.encoder.layer.0.output.dense"]
