"""A dev split carved from train: deterministic, disjoint, order-free, and never the test split."""

import pytest

from dptdr_mini.data.loaders import Passage, RetrievalData
from dptdr_mini.data.splits import carve_dev, in_dev, load_split
from dptdr_mini.errors import ConfigError


def toy(n: int = 200) -> RetrievalData:
    corpus = {f"p{i}": Passage(f"passage {i}") for i in range(n)}
    return RetrievalData(corpus, {f"q{i}": f"query {i}" for i in range(n)}, {f"q{i}": {f"p{i}": 1} for i in range(n)},
                         name="toy", split="train")


def test_train_and_dev_are_disjoint_cover_the_split_and_keep_the_full_corpus():
    data = toy()
    train, dev = carve_dev(data, 0.1)
    assert set(train.qrels).isdisjoint(dev.qrels)
    assert set(train.qrels) | set(dev.qrels) == set(data.qrels)
    assert set(train.queries) == set(train.qrels) and set(dev.queries) == set(dev.qrels)
    assert train.corpus is data.corpus and dev.corpus is data.corpus
    assert 5 <= len(dev.qrels) <= 40                       # about 10% of 200


def test_the_split_depends_on_the_id_alone_not_on_order_or_neighbours():
    data = toy()
    _, dev = carve_dev(data, 0.1)
    reversed_data = RetrievalData(data.corpus, dict(reversed(data.queries.items())),
                                  dict(reversed(data.qrels.items())), split="train")
    assert set(carve_dev(reversed_data, 0.1)[1].qrels) == set(dev.qrels)
    assert all(in_dev(q, 0.1) for q in dev.qrels)
    bigger = toy(400)
    assert set(dev.qrels) <= set(carve_dev(bigger, 0.1)[1].qrels)   # adding queries moves none of the old ones


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.1, 0.0001])
def test_a_share_that_leaves_a_side_empty_is_refused(fraction):
    with pytest.raises(ConfigError, match="--dev-from-train"):
        carve_dev(toy(), fraction)


def test_load_split_carves_train_and_dev_and_leaves_other_splits_alone(samples):
    folder = str(samples / "msmarco")
    train, dev = load_split(folder, "train", 0.2), load_split(folder, "dev", 0.2)
    full = load_split(folder, "train")
    assert set(train.qrels) | set(dev.qrels) == set(full.qrels) and set(train.qrels).isdisjoint(dev.qrels)
    assert "dev" in dev.split and "minus dev" in train.split
    own_dev = load_split(folder, "dev")                   # without carving, the folder's own dev split
    assert set(own_dev.qrels).isdisjoint(full.qrels)
