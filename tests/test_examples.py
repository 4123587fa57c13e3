"""Training batches: the layout contrastive_loss expects, ids kept beside texts, and false negatives masked."""

import random

import dptdr_mini.training.loop as loop
from dptdr_mini.config import ModelConfig, TrainConfig
from dptdr_mini.data.examples import TrainExample, make_batch
from dptdr_mini.data.loaders import Passage
from dptdr_mini.model.retriever import DenseRetriever

from conftest import make_tiny_bert

CORPUS = {p: Passage(f"text of {p}") for p in ("a", "b", "c", "d", "e", "f")}


def test_batch_layout_is_positive_then_negatives_with_ids_beside_texts():
    examples = [TrainExample("q0", "query zero", ["a"], ["c", "d"]), TrainExample("q1", "query one", ["b"], ["e"])]
    batch = make_batch(examples, CORPUS, 2, random.Random(0), list(CORPUS))
    assert batch.queries == ["query zero", "query one"]
    assert batch.passage_ids[0] == "a" and set(batch.passage_ids[1:3]) == {"c", "d"}
    assert batch.passage_ids[3] == "b" and batch.passage_ids[4] == "e" and batch.passage_ids[5] not in {"b"}
    assert batch.passages == [CORPUS[p].full_text for p in batch.passage_ids]
    assert batch.positive_ids == [{"a"}, {"b"}]


def test_a_hard_negative_that_is_the_querys_own_positive_is_never_used():
    example = TrainExample("q0", "query zero", ["a", "b"], ["b", "c"])   # contradictory: b is both
    for seed in range(20):
        batch = make_batch([example], CORPUS, 1, random.Random(seed), list(CORPUS))
        assert batch.passage_ids[1] not in {"a", "b"}


def test_the_loop_masks_another_querys_negative_that_is_this_querys_positive(tmp_path, tokenizer, monkeypatch):
    # q1's hard negative "a" is q0's labelled positive: in q0's row that column is a false negative
    examples = [TrainExample("q0", "query zero", ["a"], ["c"]), TrainExample("q1", "query one", ["b"], ["a"])]
    batches, masks = [], []
    real_batch, real_loss = loop.make_batch, loop.contrastive_loss
    monkeypatch.setattr(loop, "make_batch", lambda *a: batches.append(real_batch(*a)) or batches[-1])
    monkeypatch.setattr(loop, "contrastive_loss",
                        lambda q, p, t=1.0, ignore=None: masks.append(ignore) or real_loss(q, p, t, ignore))
    model = DenseRetriever(ModelConfig(prefix_len=2), make_tiny_bert(tokenizer), tokenizer)
    loop.train(model, examples, CORPUS, TrainConfig(output_dir=str(tmp_path), epochs=1, batch_size=2, negatives=1,
                                                    quiet=True, eval_split=""))
    (batch,), (ignore,) = batches, masks                         # one step; ignore: (2 queries, 4 passages)
    row = batch.queries.index("query zero")
    col = [j for j, pid in enumerate(batch.passage_ids) if pid == "a" and j != row * 2]
    assert ignore.tolist() == [[r == row and j in col for j in range(4)] for r in range(2)]
