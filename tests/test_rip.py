"""Tests for dptdr_mini.training.rip and .pseudo_pairs: pseudo pairs, streaming batches, what each update target
trains, saved outputs, what the result reports."""

from __future__ import annotations

import dataclasses
import json
import math
import random
import types

import pytest
import torch
from transformers import BertConfig, BertModel

from dptdr_mini.training import pseudo_pairs, rip
from dptdr_mini.model.backbone import backbone_fingerprint, load_backbone
from dptdr_mini.model.checkpoint import load_model_tensors, load_tensors
from dptdr_mini.cli import main
from dptdr_mini.config import ModelConfig
from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.errors import ConfigError
from dptdr_mini.training.pseudo_pairs import (crop_pair, inverse_cloze_pair, make_pair, pseudo_pair_batches,
                                             span_pairs, split_sentences, verbatim_share)
from dptdr_mini.training.rip import RIPConfig, pretrain

TOPICS = ["volcano", "glacier", "enzyme", "comet", "harbor", "violin", "orchard", "bridge", "desert", "coral",
          "satellite", "library"]


def passage_text(i: int) -> str:
    t = TOPICS[i % len(TOPICS)]
    return (f"The {t} number {i} is described here in plain words for the test. "
            f"Every {t} has a history that scholars of the {t} record with care. "
            f"Visitors to a {t} often ask how old the {t} is and who first studied it.")


@pytest.fixture(scope="module")
def corpus_dirs(tmp_path_factory):
    """The same 12 passages in the three layouts the loaders read."""
    root = tmp_path_factory.mktemp("corpus")
    ms, beir, dpr = root / "msmarco", root / "beir", root / "dpr"
    for d in (ms, beir, dpr):
        d.mkdir()
    n = len(TOPICS)
    (ms / "collection.tsv").write_text("".join(f"p{i}\t{passage_text(i)}\n" for i in range(n)))
    (beir / "corpus.jsonl").write_text("".join(json.dumps({"_id": f"p{i}", "title": f"About {TOPICS[i]}",
                                                           "text": passage_text(i)}) + "\n" for i in range(n)))
    (dpr / "psgs.tsv").write_text("id\ttext\ttitle\n" + "".join(f"p{i}\t{passage_text(i)}\tAbout {TOPICS[i]}\n"
                                                               for i in range(n)))
    return {"msmarco": ms, "beir": beir, "dpr": dpr}


@pytest.fixture(scope="module")
def tiny_backbone(tmp_path_factory, tokenizer):
    """A 2-layer, 32-wide BERT saved as a Hugging Face folder, *with* its pooler: a folder without one
    gets a random pooler at every load, hence another fingerprint, and its prompts would not reload."""
    folder = tmp_path_factory.mktemp("tiny_bert_with_pooler")
    tok = tokenizer
    torch.manual_seed(0)
    model = BertModel(BertConfig(vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=2,
                                 num_attention_heads=2, intermediate_size=64, max_position_embeddings=256))
    model.save_pretrained(folder)
    tok.save_pretrained(folder)
    return str(folder)


def tiny_cfg(data, tmp_path, **kw) -> RIPConfig:
    base = dict(data=str(data), output_dir=str(tmp_path / "rip"), steps=2, batch_size=4, span_min=4, span_max=10,
                quiet=True)
    return RIPConfig(**{**base, **kw})


def tiny_model_cfg(backbone: str, **kw) -> ModelConfig:
    return ModelConfig(**{**dict(backbone=backbone, prefix_len=4, query_max_len=16, passage_max_len=32), **kw})


def contiguous_in(span: str, text: str) -> bool:
    """Is `span` a run of consecutive words of `text`?"""
    return f" {span} " in f" {' '.join(text.split())} "


# -- pair makers ------------------------------------------------------------------------------


def test_span_pairs_are_deterministic_under_a_seed_and_differ_across_seeds():
    text = " ".join(f"w{i}" for i in range(200))
    a = span_pairs(text, random.Random(7), 5, 20, count=5)
    assert a == span_pairs(text, random.Random(7), 5, 20, count=5)
    assert a != span_pairs(text, random.Random(8), 5, 20, count=5)


@pytest.mark.parametrize("span_min,span_max", [(1, 1), (3, 7), (10, 60)])
def test_spans_are_consecutive_words_of_the_passage_within_the_length_limits(span_min, span_max):
    text = " ".join(f"w{i}" for i in range(50))
    for a, b in span_pairs(text, random.Random(0), span_min, span_max, count=50):
        for span in (a, b):
            assert contiguous_in(span, text)
            assert span_min <= len(span.split()) <= min(span_max, 50)


def test_a_passage_shorter_than_span_min_gives_no_pair():
    assert span_pairs("only four words here", random.Random(0), 5, 10) == []


def word_range(span: str) -> range:
    """The positions of a span of "w0 w1 ..." in its passage."""
    first = int(span.split()[0][1:])
    return range(first, first + len(span.split()))


def test_crops_never_overlap_and_sit_at_least_the_gap_apart():
    orders = set()
    for n in range(12, 90, 7):
        text = " ".join(f"w{i}" for i in range(n))
        for span_min, span_max, gap in ((4, 10, 0), (4, 30, 4), (5, 48, 2), (3, 3, 6)):
            for seed in range(40):
                pair = crop_pair(text, random.Random(seed), span_min, span_max, gap)
                if n < 2 * span_min + gap:
                    assert pair is None
                    continue
                q, p = (word_range(s) for s in pair)
                assert all(contiguous_in(s, text) and span_min <= len(s.split()) <= span_max for s in pair)
                first, second = sorted((q, p), key=lambda r: r.start)
                assert second.start - first.stop >= gap          # words strictly between the two spans
                orders.add(q.start < p.start)
    assert orders == {True, False}                              # either span may be the query


def test_a_passage_shorter_than_two_spans_and_the_gap_gives_no_crop():
    words = " ".join(f"w{i}" for i in range(19))
    assert crop_pair(words, random.Random(0), span_min=8, gap=4) is None
    assert crop_pair(words + " w19", random.Random(0), span_min=8, gap=4) is not None


def test_verbatim_share_counts_the_query_trigrams_found_in_the_positive():
    assert verbatim_share("a b c d", "x a b c y") == 0.5                   # "a b c" yes, "b c d" no
    assert verbatim_share("a b c", "c b a") == 0.0 and verbatim_share("a b", "a b") == 0.0   # no 3-gram
    assert verbatim_share("a b c d e", "z a b c d e") == 1.0


def test_crops_copy_far_fewer_words_than_independent_spans_on_the_sample(samples):
    """`span` pairs of ~55-word passages are mostly overlapping copies; `crop` pairs must not be."""
    passages = [p for _, p in pseudo_pairs.iter_corpus(samples / "msmarco")]

    def mean_share(method: str) -> float:
        rng = random.Random(0)
        pairs = [make_pair(p, method, rng, 8, 48) for p in passages for _ in range(3)]
        return sum(verbatim_share(q, pos) for q, pos in pairs) / len(pairs)
    crop, span = mean_share("crop"), mean_share("span")
    assert span > 0.4 and crop < 0.05 and crop < span / 10


def test_sentence_split_handles_a_missing_space_after_the_full_stop():
    assert split_sentences("First one here.Second one here. Third!") == ["First one here.", "Second one here.",
                                                                         "Third!"]


def test_inverse_cloze_query_is_a_sentence_removed_from_its_context():
    text = "Alpha beta gamma delta epsilon. Zeta eta theta iota kappa. Lambda mu nu xi omicron."
    for seed in range(20):
        query, context = inverse_cloze_pair(text, random.Random(seed), span_min=3, title="T", keep_prob=0.0)
        assert query in split_sentences(text)
        assert query not in context and context.startswith("T: ")
        assert len(context.split()) == len(text.split()) - len(query.split()) + 1   # + the title word


def test_inverse_cloze_needs_two_sentences_and_a_long_enough_one():
    assert inverse_cloze_pair("Just one sentence with many words in it.", random.Random(0), 3) is None
    assert inverse_cloze_pair("Too short. Also short.", random.Random(0), 5) is None


# -- streaming batches ----------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["msmarco", "beir", "dpr"])
@pytest.mark.parametrize("method", ["crop", "span", "ict"])
def test_batches_never_pair_a_passage_with_another_passages_text(corpus_dirs, layout, method, tmp_path):
    cfg = tiny_cfg(corpus_dirs[layout], tmp_path, method=method, shuffle_buffer=3)
    corpus = dict(pseudo_pairs.iter_corpus(cfg.data))
    batches = pseudo_pair_batches(cfg, random.Random(1))
    for _ in range(10):                                     # 40 pairs from 12 passages: wraps around
        batch = next(batches)
        assert len({p.pid for p in batch}) == len(batch) == cfg.batch_size
        for pair in batch:
            source = corpus[pair.pid]
            if method in ("crop", "span"):
                assert contiguous_in(pair.query, source.full_text) and contiguous_in(pair.positive, source.full_text)
            else:
                body = pair.positive[len(source.title) + 2:] if source.title else pair.positive
                assert any(s.startswith(pair.query) for s in split_sentences(source.text))   # cut to span_max
                assert len(pair.query.split()) <= cfg.span_max
                assert all(s in split_sentences(source.text) for s in split_sentences(body))
                assert pair.positive.startswith(f"{source.title}: " if source.title else "")


def test_batches_are_deterministic_under_a_seed(corpus_dirs, tmp_path):
    cfg = tiny_cfg(corpus_dirs["beir"], tmp_path)
    first = [next(pseudo_pair_batches(cfg, random.Random(3))) for _ in range(2)]
    assert first[0] == first[1]
    assert first[0] != next(pseudo_pair_batches(cfg, random.Random(4)))


def test_the_corpus_is_streamed_not_read_whole(corpus_dirs, tmp_path, monkeypatch):
    read = []
    real = pseudo_pairs.iter_corpus

    def counting(folder):
        for item in real(folder):
            read.append(item[0])
            yield item
    monkeypatch.setattr(pseudo_pairs, "iter_corpus", counting)
    cfg = tiny_cfg(corpus_dirs["msmarco"], tmp_path, shuffle_buffer=2, batch_size=3)
    next(pseudo_pair_batches(cfg, random.Random(0)))
    assert len(read) <= cfg.shuffle_buffer + cfg.batch_size < len(TOPICS)


def test_too_few_usable_passages_for_a_batch_is_a_config_error(corpus_dirs, tmp_path):
    cfg = tiny_cfg(corpus_dirs["msmarco"], tmp_path, span_min=500, span_max=600)
    with pytest.raises(ConfigError, match="--batch-size"):
        next(pseudo_pair_batches(cfg, random.Random(0)))


def test_bm25_negatives_are_other_passages_outside_the_batch(corpus_dirs, tmp_path):
    cfg = tiny_cfg(corpus_dirs["msmarco"], tmp_path, bm25_negatives=2, method="ict")
    miner = pseudo_pairs.BM25Negatives(cfg)
    batch = next(pseudo_pair_batches(cfg, random.Random(0)))
    miner.add(batch, random.Random(0))
    in_batch = {miner.corpus[p.pid].full_text for p in batch}
    for pair in batch:
        assert len(pair.negatives) == 2
        assert not set(pair.negatives) & in_batch
    queries, passages = pseudo_pairs.batch_texts(batch)
    assert len(passages) == len(queries) * 3 and passages[0] == batch[0].positive


def test_steps_0_is_one_pass_over_the_passages_that_give_a_pair(corpus_dirs, tiny_backbone, tmp_path):
    data = tmp_path / "with_short"
    data.mkdir()
    rows = (corpus_dirs["msmarco"] / "collection.tsv").read_text()
    (data / "collection.tsv").write_text(rows + "".join(f"s{i}\ttoo short for two crops\n" for i in range(3)))
    cfg = tiny_cfg(data, tmp_path, steps=0, batch_size=4)
    assert pseudo_pairs.count_usable(cfg) == len(TOPICS)                 # 12 usable of 15 passages
    result = pretrain(cfg, tiny_model_cfg(tiny_backbone))
    assert result.steps == len(result.losses) == math.ceil(len(TOPICS) / 4) == 3    # ceil(15 / 4) would be 4
    assert result.usable == len(TOPICS) and result.pairs == 12
    assert result.loss_step0 == result.losses[0]
    assert result.chance == pytest.approx(math.log(4))                   # 4 candidates per query, no BM25
    assert 0 <= result.overlap < 0.2                                     # crops copy little
    summary = result.summary()
    assert "3 steps" in summary and f"vs chance {math.log(4):.2f}" in summary and "pair overlap" in summary


def test_config_errors_name_the_flag():
    with pytest.raises(ConfigError, match="--span-max"):
        RIPConfig(span_min=10, span_max=5).validate()
    with pytest.raises(ConfigError, match="--method"):
        RIPConfig(method="mlm").validate()
    with pytest.raises(ConfigError, match="--prefix-len"):
        RIPConfig(update="prompt").model_config(ModelConfig(prefix_len=0))


@pytest.mark.parametrize("update,mode,prefix_len", [("backbone", "finetune", 0), ("prompt", "prompt", 4)])
def test_rip_trains_the_given_model_config_in_the_mode_its_update_needs(update, mode, prefix_len):
    given = ModelConfig(backbone="some/folder", mode="prompt" if update == "backbone" else "finetune", prefix_len=4,
                        pooling="mean", normalize=True, temperature=0.05, query_max_len=16, passage_max_len=64,
                        prefix_init="tokens", tied=False)
    trained = RIPConfig(update=update).model_config(given)
    assert (trained.mode, trained.prefix_len, trained.tied) == (mode, prefix_len, True)
    assert dataclasses.replace(trained, mode=given.mode, prefix_len=given.prefix_len, tied=given.tied) == given


# -- what trains, what is written -----------------------------------------------------------------


def state(model) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def test_backbone_rip_changes_backbone_weights_and_saves_a_loadable_folder(corpus_dirs, tiny_backbone, tmp_path):
    cfg, mcfg = tiny_cfg(corpus_dirs["msmarco"], tmp_path, update="backbone", lr=1e-3), tiny_model_cfg(tiny_backbone)
    before = state(load_backbone(tiny_backbone)[0])
    model = DenseRetriever(cfg.model_config(mcfg))
    result = pretrain(cfg, mcfg, model)
    after = state(model.query_backbone)
    assert any(not torch.equal(before[k], after[k]) for k in before)
    assert result.backbone_path and not result.prompt_path and result.pairs == 2 * cfg.batch_size
    # `--backbone PATH` gives the same embeddings as the model RIP left in memory
    reloaded = DenseRetriever(ModelConfig(backbone=result.backbone_path, mode="finetune", prefix_len=0))
    texts = ["a volcano and a glacier", "the enzyme of the comet"]
    with torch.no_grad():
        assert torch.allclose(model.encode(texts, "passage"), reloaded.encode(texts, "passage"), atol=1e-6)
    assert reloaded.fingerprint == backbone_fingerprint(model.query_backbone)   # prompts trained on it load


def test_prompt_rip_leaves_the_backbone_unchanged_and_trains_the_prefix(corpus_dirs, tiny_backbone, tmp_path):
    cfg, mcfg = tiny_cfg(corpus_dirs["beir"], tmp_path, update="prompt", method="ict"), tiny_model_cfg(tiny_backbone)
    model = DenseRetriever(cfg.model_config(mcfg))
    backbone_before, prefix_before = state(model.query_backbone), state(model.query_prefix)
    result = pretrain(cfg, mcfg, model)
    assert all(torch.equal(backbone_before[k], v) for k, v in state(model.query_backbone).items())
    assert any(not torch.equal(prefix_before[k], v) for k, v in state(model.query_prefix).items())
    assert result.prompt_path and not result.backbone_path
    # `train --init-checkpoint PATH` loads it into a fresh prompt model on the same backbone
    fresh = DenseRetriever(ModelConfig(backbone=tiny_backbone, prefix_len=mcfg.prefix_len))
    tensors, meta = load_tensors(result.prompt_path)
    load_model_tensors(fresh, tensors, meta, result.prompt_path)
    assert torch.equal(fresh.query_prefix.embedding.weight, model.query_prefix.embedding.weight)


def test_pretrain_verb_runs_and_prints_the_summary(corpus_dirs, tiny_backbone, tmp_path, capsys):
    out = tmp_path / "cli"
    code = main(["pretrain", "--data", str(corpus_dirs["dpr"]), "--backbone", tiny_backbone, "--steps", "2",
                 "--batch-size", "3", "--span-min", "4", "--output-dir", str(out), "--quiet",
                 "--bm25-negatives", "1", "--pooling", "mean", "--normalize", "--temperature", "0.05"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "6 pseudo pairs" in printed and f"vs chance {math.log(3 * 2):.2f}" in printed  # 3 positives + 3 BM25
    log = json.loads((out / "rip_log.json").read_text())
    assert len(log["losses"]) == 2 and (out / "backbone" / "model.safetensors").is_file()
    model = log["model"]    # the model flags reach the model RIP trains
    assert (model["backbone"], model["pooling"], model["normalize"], model["temperature"], model["mode"]) == (
        tiny_backbone, "mean", True, 0.05, "finetune")


def test_pretrain_verb_keeps_its_defaults_cls_dot_product_temperature_1(monkeypatch, capsys):
    seen = {}

    def record(rip_cfg, model_cfg):
        seen.update(rip=rip_cfg, model=model_cfg)
        return types.SimpleNamespace(summary=lambda: "recorded")
    monkeypatch.setattr(rip, "pretrain", record)
    assert main(["pretrain"]) == 0 and "recorded" in capsys.readouterr().out
    model = seen["model"]
    assert (model.backbone, model.pooling, model.normalize, model.temperature, model.prefix_len) == (
        "default", "cls", False, 1.0, 32)
    assert (model.query_max_len, model.passage_max_len) == (32, 128)
    assert (seen["rip"].method, seen["rip"].update, seen["rip"].steps, seen["rip"].seed) == ("crop", "backbone", 0, 42)


def test_rip_loss_goes_through_the_one_call_site_train_uses(corpus_dirs, tiny_backbone, tmp_path, monkeypatch):
    """`training.loop.batch_loss` is where a plain batch meets `contrastive_loss`, for `train` and for RIP."""
    from dptdr_mini.training import loop
    calls, real = [], loop.batch_loss

    def counting(model, queries, passages, ignore=None):
        calls.append(len(queries))
        return real(model, queries, passages, ignore)
    monkeypatch.setattr(loop, "batch_loss", counting)
    cfg = tiny_cfg(corpus_dirs["msmarco"], tmp_path, steps=3)
    pretrain(cfg, tiny_model_cfg(tiny_backbone))
    assert calls == [cfg.batch_size] * cfg.steps


def test_pretrain_verb_rejects_a_bad_flag_with_one_line(capsys):
    assert main(["pretrain", "--span-min", "0"]) == 2
    assert "--span-min" in capsys.readouterr().err


@pytest.mark.parametrize("layout", ["msmarco", "beir", "nq"])
@pytest.mark.parametrize("method", ["crop", "span", "ict"])
def test_every_layout_of_the_embedded_sample_gives_full_batches_with_the_defaults(samples, layout, method, tmp_path):
    cfg = RIPConfig(data=str(samples / layout), method=method, output_dir=str(tmp_path))
    stats: dict = {}
    batches = pseudo_pair_batches(cfg, random.Random(0), stats)
    for _ in range(25):                                     # 400 pairs: more than one pass over 298 passages
        assert len(next(batches)) == cfg.batch_size
    assert stats["pairs"] == 25 * cfg.batch_size


@pytest.mark.parametrize("mask", [0o022, 0o077], ids=["umask022", "umask077"])
def test_a_saved_backbone_folder_gets_the_umask_mode_not_mkdtemps_0700(tiny_backbone, tmp_path, mask):
    import os
    import stat

    from transformers import AutoModel, AutoTokenizer

    from dptdr_mini.training.rip import save_backbone_folder

    old = os.umask(mask)
    try:
        save_backbone_folder(AutoModel.from_pretrained(tiny_backbone), AutoTokenizer.from_pretrained(tiny_backbone),
                             tmp_path / "backbone")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "backbone").stat().st_mode) == 0o777 & ~mask
    assert stat.S_IMODE((tmp_path / "backbone" / "config.json").stat().st_mode) == 0o666 & ~mask
