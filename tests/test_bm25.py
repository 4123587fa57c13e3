"""BM25 baseline through bm25s."""

from dptdr_mini.retrieve.bm25 import BM25Retriever
from dptdr_mini.data.loaders import Passage

CORPUS = {"a": Passage("yeast ferments sugar into carbon dioxide"), "b": Passage("the planet mercury orbits the sun"),
          "c": Passage("mercury is a liquid metal"), "d": Passage("tea leaves")}


def test_exact_word_match_ranks_first_and_unmatched_passages_are_left_out():
    run = BM25Retriever(CORPUS).search({"q1": "liquid metal mercury", "q2": "yeast", "q3": "zebra"}, k=4)
    assert max(run["q1"], key=run["q1"].get) == "c"
    assert set(run["q1"]) == {"b", "c"}  # 'a' and 'd' share no word with the query
    assert list(run["q2"]) == ["a"]
    assert run["q3"] == {}


def test_stopwords_do_not_match():
    run = BM25Retriever(CORPUS).search({"q": "the is a"}, k=4)
    assert run["q"] == {}
