"""dptdr_mini.recipes.run: one seeded, trained retriever scored against the full corpus of the eval split."""

from __future__ import annotations

import dataclasses

import torch

from dptdr_mini.config import ModelConfig, TrainConfig
from dptdr_mini.data.examples import examples_from_data
from dptdr_mini.data.loaders import load_data
from dptdr_mini.model.checkpoint import save_model
from dptdr_mini.recipes.run import RECIPE_SETS, run_config, seeded_retriever, train_and_score


def tiny(tiny_bert_dir) -> ModelConfig:
    return ModelConfig(backbone=str(tiny_bert_dir), prefix_len=4, query_max_len=16, passage_max_len=32)


def test_one_seed_gives_one_model_and_one_row_scored_on_the_full_corpus(samples, tiny_bert_dir, tmp_path):
    train_data, eval_data = load_data(samples / "msmarco", "train"), load_data(samples / "msmarco", "dev")
    examples = examples_from_data(train_data)[:8]
    runs = []
    for name in ("a", "b"):
        tcfg = run_config(TrainConfig(max_steps=2, batch_size=4, seed=5), str(samples / "msmarco"), "train",
                          str(tmp_path / name), quiet=True)
        runs.append(train_and_score(tiny(tiny_bert_dir), tcfg, examples, train_data.corpus, eval_data, "DPT"))
    a, b = runs
    assert torch.equal(a.model.query_prefix.embedding.weight, b.model.query_prefix.embedding.weight)
    assert a.scores.metrics == b.scores.metrics and a.training.losses == b.training.losses
    assert a.scores.corpus_size == len(eval_data.corpus) == len(a.index) == 298   # never the positives only
    assert a.scores.name == "DPT" and a.training.steps == 2


def test_another_seed_draws_another_prefix(tiny_bert_dir):
    a, b = (seeded_retriever(tiny(tiny_bert_dir), seed) for seed in (1, 2))
    assert not torch.equal(a.query_prefix.embedding.weight, b.query_prefix.embedding.weight)


def test_an_init_checkpoint_replaces_the_seeded_prefix(tiny_bert_dir, tmp_path):
    trained = seeded_retriever(tiny(tiny_bert_dir), 1)
    save_model(tmp_path / "model.safetensors", trained)
    loaded = seeded_retriever(tiny(tiny_bert_dir), 2, init_checkpoint=str(tmp_path / "model.safetensors"))
    assert torch.equal(loaded.query_prefix.embedding.weight, trained.query_prefix.embedding.weight)


def test_a_recipe_sets_its_own_fields_and_passes_every_other_one_through():
    user = TrainConfig(data="elsewhere", split="dev", train_file="x.jsonl", output_dir="mine", eval_split="test",
                       eval_every=3, save_every=2, resume=True, quiet=False, negatives_x_device=True,
                       epochs=7, batch_size=5, lr=3e-3, weight_decay=0.1, seed=9, grad_cache_chunk=2)
    run = run_config(user, "data_samples/msmarco", "train", "runs/x/stage1", quiet=True)
    set_here = {f.name for f in dataclasses.fields(TrainConfig) if getattr(run, f.name) != getattr(user, f.name)}
    assert set_here == set(RECIPE_SETS)
    assert (run.data, run.split, run.output_dir, run.quiet, run.eval_split) == (
        "data_samples/msmarco", "train", "runs/x/stage1", True, "")
