"""Query explorer logic: escaping, rank changes, prefix attention shares, layer switch-off, printed fallback."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from conftest import make_tiny_bert

from dptdr_mini.config import ModelConfig
from dptdr_mini.data.loaders import Passage, RetrievalData
from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.explore.attention import prefix_attention_shares, prefix_layer_off, query_attention_shares
from dptdr_mini.explore.widget import (BM25Searcher, DenseSearcher, Hit, QueryExplorer, View, hits_table, in_notebook,
                                       rank_changes, render_hits_html, render_view_html)

EVIL = {
    "p-script": "<script>alert('x')</script> prompt tuning trains prefixes",
    "p-img": '<img src=x onerror="alert(1)"> frozen backbone',
    "p-link": '<a href="javascript:alert(1)">click</a> dense retrieval',
}


@pytest.fixture(scope="module")
def data():
    corpus = {pid: Passage(t) for pid, t in EVIL.items()}
    corpus.update({"p1": Passage("deep prompt tuning adds keys and values in every layer"),
                   "p2": Passage("bm25 scores words that appear in the query"),
                   "p3": Passage("the cat sat on the mat")})
    queries = {"q1": "what does deep prompt tuning add", "q2": "how does bm25 score words"}
    return RetrievalData(corpus, queries, {"q1": {"p1": 1}, "q2": {"p2": 1, "p3": 0}}, name="tiny", split="dev")


def eager_tiny_bert(tokenizer, seed: int, layers: int):
    bb = make_tiny_bert(tokenizer, seed=seed, layers=layers)
    bb.set_attn_implementation("eager")  # attention weights are only returned by eager attention
    return bb


@pytest.fixture
def prompt_model(tokenizer):
    torch.manual_seed(0)
    bb = eager_tiny_bert(tokenizer, seed=0, layers=3)
    model = DenseRetriever(ModelConfig(prefix_len=4, query_max_len=16, passage_max_len=32), bb, tokenizer).eval()
    with torch.no_grad():
        for p in model.trainable_parameters():
            p.normal_(0, 1.0)  # large enough that the prefix draws visible attention
    return model


def assert_inert(markup: str) -> None:
    """No element or attribute a browser would act on came from the data."""
    assert not re.search(r"<\s*(script|img|a)\b", markup, re.I)
    assert not re.search(r"<[^>]*\bonerror\s*=", markup, re.I)
    assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", markup, re.I)


def test_passage_markup_renders_as_text():
    """<script>, <img onerror=...> and javascript: links in passages, ids and titles come out escaped."""
    hits = [Hit(i + 1, pid, 1.0 - i / 10, text, i == 0, None) for i, (pid, text) in enumerate(EVIL.items())]
    hits.append(Hit(4, '"><script>x</script>', 0.1, "ok", False, 3))
    markup = render_hits_html("<b onmouseover=alert(1)>model</b>", hits, show_change=True)
    assert_inert(markup)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in markup
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in markup
    assert "&lt;a href=&quot;javascript:alert(1)&quot;&gt;" in markup
    assert "<b onmouseover" not in markup


def test_explorer_view_escapes_query_and_passages(data):
    explorer = QueryExplorer(data, {"BM25": BM25Searcher(data)})
    view = explorer.answer("<script>alert(1)</script> prompt backbone dense", k=6)
    assert {h.pid for h in view.hits["BM25"]} >= set(EVIL)  # the evil passages are displayed
    assert_inert(render_view_html(view))


def test_rank_changes_sign_and_unranked():
    """+n: moved up n places in `after`; -n: moved down; None: absent from `before`."""
    assert rank_changes(["a", "b", "c", "d"], ["c", "a", "e", "d"]) == {"c": 2, "a": -1, "e": None, "d": 0}
    assert rank_changes([], ["x"]) == {"x": None}


def test_prefix_attention_shares_on_known_weights():
    """The share is the CLS row's mass on the first P keys, averaged over heads, one value per layer."""
    layer0 = torch.zeros(1, 2, 3, 5)                        # (B, heads, T, P + T), P = 2
    layer0[0, 0, 0] = torch.tensor([0.5, 0.25, 0.25, 0, 0])  # head 0: 0.75 on the prefix
    layer0[0, 1, 0] = torch.tensor([0.0, 0.25, 0.25, 0.5, 0])  # head 1: 0.25
    layer1 = torch.zeros(1, 2, 3, 5)
    layer1[0, :, 0, 4] = 1.0                                # no prefix attention
    assert np.allclose(prefix_attention_shares((layer0, layer1), 2), [[0.5, 0.0]])


def test_query_attention_shares_are_per_layer_and_at_most_one(prompt_model):
    shares = query_attention_shares(prompt_model, "what does deep prompt tuning add")
    assert shares.shape == (3,)
    assert np.all(shares >= 0) and np.all(shares <= 1 + 1e-6)
    assert shares.min() > 0.01                              # this prefix does draw attention
    off = query_attention_shares(prompt_model, "what does deep prompt tuning add", off_layer=1)
    assert off[1] == pytest.approx(0.0, abs=1e-6) and off[0] == pytest.approx(shares[0], abs=1e-6)


def test_switching_a_layer_off_changes_only_when_asked(prompt_model):
    """Masking one layer's prefix changes the query vector; leaving the block restores the model."""
    q = lambda: prompt_model.encode(["deep prompt tuning"], "query")
    with torch.no_grad():
        before = q()
        with prefix_layer_off(prompt_model.query_backbone, 2, 4):
            off = q()
        after = q()
    assert not torch.allclose(before, off, atol=1e-4)
    torch.testing.assert_close(before, after)


def test_layer_off_equals_a_model_without_that_layers_prefix(tokenizer):
    """Masking all layers' prefixes reproduces the backbone with no prefix (positions kept by 'zero' mode)."""
    tok = tokenizer
    bb = eager_tiny_bert(tok, seed=1, layers=2)
    prompt = DenseRetriever(ModelConfig(prefix_len=3, position_mode="zero", prefix_dropout=0), bb, tok).eval()
    bare = DenseRetriever(ModelConfig(prefix_len=0), bb, tok).eval()
    texts = ["a short query", "a much longer query with padding in the batch"]
    with torch.no_grad(), prefix_layer_off(bb, 0, 3), prefix_layer_off(bb, 1, 3):
        masked = prompt.encode(texts, "query")
    torch.testing.assert_close(masked, bare.encode(texts, "query"), atol=1e-5, rtol=0)


def test_explorer_marks_relevant_and_compares(data, prompt_model):
    searchers = {"BM25": BM25Searcher(data), "prompt": DenseSearcher(prompt_model, data, "prompt")}
    explorer = QueryExplorer(data, searchers)
    view = explorer.answer(data.queries["q2"], k=3, compare=("BM25", "prompt"), why="prompt", off_layer=0)
    bm25 = view.hits["BM25"]
    assert bm25[0].pid == "p2" and bm25[0].relevant                 # judged relevant, marked
    assert not any(h.relevant for h in bm25 if h.pid != "p2")       # p3 is judged 0: not marked
    assert all(h.change is None for h in bm25)                      # the "from" column carries no deltas
    assert "prompt (layer 0 prefix off)" in view.hits and view.shares.shape == (3,)
    assert view.delta_columns == {"prompt", "prompt (layer 0 prefix off)"}
    assert explorer.relevant("a free text query") == set()


def test_passage_vectors_are_encoded_once(data, prompt_model):
    searcher = DenseSearcher(prompt_model, data, "prompt")
    explorer = QueryExplorer(data, {"prompt": searcher})
    first = searcher.passage_vectors()
    for q in ("one query", "another query"):
        explorer.answer(q, why="prompt", off_layer=1)
    assert searcher.passage_vectors() is first and list(searcher._vectors) == [None]


def test_printed_table_outside_a_notebook(data, capsys):
    assert not in_notebook()
    QueryExplorer(data, {"BM25": BM25Searcher(data)}).show(data.queries["q1"], k=2)
    out = capsys.readouterr().out
    assert "== BM25" in out and "query: what does deep prompt tuning add" in out
    assert re.search(r"^\s+1\s+\S+ \*\s+p1\s", out, re.M)           # rank 1, relevant star, pid


def test_hits_table_lists_deltas():
    view = View("q", {"A": [Hit(1, "x", 1.0, "t", False)], "B": [Hit(1, "y", 2.0, "u", True, None),
                                                               Hit(2, "x", 1.0, "t", False, -1)]},
                ("A", "B"), delta_columns={"B"})
    out = hits_table(view)
    assert " new " in out and "  -1 " in out


def test_load_searchers_builds_every_model_through_the_factory(data, tmp_path, tiny_bert_dir):
    """The untuned row follows the ModelConfig (and says so in its name); a prompt trained on the same weights
    shares its backbone object and keeps its own config."""
    from dptdr_mini.explore.widget import load_searchers
    from dptdr_mini.model.checkpoint import save_model

    save_model(tmp_path / "p.safetensors", DenseRetriever(ModelConfig(backbone=str(tiny_bert_dir), prefix_len=4)))
    searchers = load_searchers(data, {"prompt": tmp_path / "p.safetensors"},
                               ModelConfig(backbone=str(tiny_bert_dir), pooling="mean", normalize=True))
    assert list(searchers) == ["BM25", "untuned backbone (mean, cosine)", "prompt"]
    untuned, prompt = searchers["untuned backbone (mean, cosine)"].model, searchers["prompt"].model
    assert prompt.query_backbone is untuned.query_backbone
    assert (untuned.cfg.pooling, untuned.cfg.prefix_len, prompt.cfg.pooling, prompt.cfg.prefix_len) == ("mean", 0, "cls", 4)
