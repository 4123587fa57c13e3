"""The false-negative inspector shows positives, kept and dropped candidates, and never lets text become HTML."""

from __future__ import annotations

import html

import pytest

from dptdr_mini.data.loaders import Passage
from dptdr_mini.data.examples import TrainExample
from dptdr_mini.mining.inspect import find_example, negatives_frame, negatives_html

EVIL = "<script>alert('x')</script> & <b>bold</b>"


@pytest.fixture
def example():
    corpus = {"pos": Passage("the answer", title=EVIL), "n1": Passage("a hard negative " + EVIL),
              "n2": Passage("an easy negative"), "fn": Passage("almost the answer")}
    ex = TrainExample("q<1>", "query " + EVIL, ["pos"], ["n2", "n1"], {
        "negative_sources": ["bm25", "both"],
        "negative_provenance": [
            {"pid": "n2", "source": "bm25", "bm25_rank": 9, "dense_rank": None, "dense_score": 0.2},
            {"pid": "n1", "source": "both", "bm25_rank": 2, "dense_rank": 3, "dense_score": 0.6}],
        "positive_scores": {"pos": 0.8}, "filter_threshold": 0.76,
        "filtered": [{"pid": "fn", "source": "dense", "bm25_rank": None, "dense_rank": 1, "dense_score": 0.79,
                      "reason": "dense score > 0.7600 (within 0.05 of the positive)"}]})
    return ex, corpus


def test_frame_lists_positive_then_negatives_by_score_then_dropped_with_reason(example):
    ex, corpus = example
    frame = negatives_frame(ex, corpus)
    assert list(frame["pid"]) == ["pos", "n1", "n2", "fn"]
    assert list(frame["role"]) == ["positive", "negative", "negative", "dropped"]
    assert list(frame["source"]) == ["qrels", "both", "bm25", "dense"]
    assert frame.loc[3, "decision"].startswith("dropped: dense score > 0.7600")
    assert frame.loc[0, "dense_score"] == 0.8


def test_html_escapes_every_query_and_passage_text(example):
    ex, corpus = example
    page = negatives_html(ex, corpus)
    assert "<script>" not in page and "<b>" not in page
    assert html.escape("<script>alert('x')</script>") in page
    assert html.escape("q<1>") in page
    assert page.count("<tr") == 1 + 4  # header + one row per passage


def test_caption_names_the_filter_mode_the_rank_window_and_the_threshold(example):
    ex, corpus = example
    assert "false-negative threshold 0.7600" in negatives_html(ex, corpus)
    ex.extra.update(fn_filter="rank-window", rank_window=[10, 100], filter_threshold=None)
    page = negatives_html(ex, corpus)
    assert "filter rank-window; ranks (10, 100]" in page and "threshold" not in page
    ex.extra.update(fn_filter="<i>x</i>", rank_window=["<b>", 1])           # read from a file: escaped too
    assert "<i>" not in negatives_html(ex, corpus) and "<b>" not in negatives_html(ex, corpus)


def test_find_example_names_a_missing_query(example):
    ex, _ = example
    assert find_example([ex], "q<1>") is ex
    with pytest.raises(KeyError, match="nope"):
        find_example([ex], "nope")
