"""Unified negative mining: positives never become negatives, the filters drop what they should, the union
holds both sources, sampling is seeded, and the written file trains."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dptdr_mini.config import ModelConfig, TrainConfig
from dptdr_mini.data.loaders import Passage, RetrievalData, load_data
from dptdr_mini.errors import ConfigError
from dptdr_mini.data.examples import read_train_file, write_train_file
from dptdr_mini.retrieve.index import DenseIndex
from dptdr_mini.mining.unm import (FN_FILTERS, Candidates, MineConfig, mine_negatives, mining_summary,
                                  retrieve_candidates, select_negatives)

REPO = Path(__file__).resolve().parents[1]
TOPICS = ["solar panels convert sunlight into electricity", "the heart pumps blood through arteries",
          "volcanoes erupt molten lava and ash", "bees make honey from flower nectar",
          "glaciers carve valleys as the ice moves", "vaccines train the immune system",
          "rivers carry sediment to the sea", "owls hunt mice at night",
          "copper wires conduct electric current", "tea leaves are dried and brewed",
          "earthquakes shake the ground along faults", "penguins live in the cold south"]


def write_msmarco(folder: Path) -> Path:
    """12 passages sharing the word `science` (so BM25 finds candidates); train/dev queries, one positive each."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "collection.tsv").write_text("".join(f"p{i}\t{t}, a fact of science\n" for i, t in enumerate(TOPICS)))
    for split, ids in (("train", range(0, 12, 2)), ("dev", range(1, 12, 2))):
        (folder / f"queries.{split}.tsv").write_text(
            "".join(f"q{i}\tthe science of {' '.join(TOPICS[i].split()[:3])}\n" for i in ids))
        (folder / f"qrels.{split}.tsv").write_text("".join(f"q{i}\t0\tp{i}\t1\n" for i in ids))
    return folder


@pytest.fixture
def tiny_model(tiny_bert, tokenizer):
    """The conftest's tiny random BERT as a prompt-mode retriever: fast, and enough to produce vectors."""
    from dptdr_mini.model.retriever import DenseRetriever

    return DenseRetriever(ModelConfig(prefix_len=4, pooling="mean", normalize=True, temperature=0.05), tiny_bert, tokenizer)


def hand_built(bm25: dict[str, list[str]], dense: dict[str, list[str]], scores: dict[str, dict[str, float]],
               positives: dict[str, list[str]], answers: dict | None = None) -> tuple[RetrievalData, Candidates]:
    """Data and candidates set by hand: 1-d vectors so a passage's dense score for query q is exactly
    scores[q][pid] (query vector 1, passage vector = its score; one query at a time)."""
    pids = sorted({p for d in (bm25, dense, positives) for ps in d.values() for p in ps})
    corpus = {p: Passage(f"passage {p}") for p in pids}
    qids = sorted(positives)
    data = RetrievalData(corpus, {q: f"query {q}" for q in qids}, {q: {p: 1 for p in ps} for q, ps in positives.items()},
                         answers=answers or {})
    assert len(qids) == 1 or not scores, "hand-built scores support one query"
    q = qids[0]
    vecs = np.array([[scores.get(q, {}).get(p, 0.0)] for p in pids], dtype=np.float32)
    cands = Candidates(bm25_ranks={q: {p: r for r, p in enumerate(ps, 1)} for q, ps in bm25.items()},
                       dense_ranks={q: {p: r for r, p in enumerate(ps, 1)} for q, ps in dense.items()},
                       query_ids=qids, query_vectors=np.ones((len(qids), 1), dtype=np.float32),
                       index=DenseIndex(pids, vecs))
    return data, cands


def test_false_negative_filter_drops_exactly_the_candidates_within_the_margin():
    # positive scores 1.0; margin 0.05 -> threshold 0.95: 0.96 dropped, 0.94 kept, 0.95 itself kept (strict >)
    scores = {"q": {"pos": 1.0, "a": 0.96, "b": 0.94, "c": 0.95, "d": 0.5}}
    data, cands = hand_built({"q": ["a", "b", "c", "d"]}, {}, scores, {"q": ["pos"]})
    cfg = MineConfig(sources="bm25", negatives=0, fn_filter="margin", margin=0.05, skip_top=0, output="")
    ex = select_negatives(data, cands, cfg)[0]
    assert sorted(ex.negatives) == ["b", "c", "d"]
    assert [f["pid"] for f in ex.extra["filtered"]] == ["a"]
    assert ex.extra["filter_threshold"] == pytest.approx(0.95)
    off = select_negatives(data, cands, dataclasses.replace(cfg, fn_filter="none"))[0]
    assert sorted(off.negatives) == ["a", "b", "c", "d"]


def weak_teacher(n: int = 120, pos_rank: int = 50):
    """One query, dense ranking only: n candidates in rank order, the labelled positive at rank `pos_rank`
    (a weak teacher: the passages it prefers are true negatives here). Scores fall by 0.001 a rank, with a gap
    of 0.4 below the positive, so no candidate ranked below it is within a 5% margin of it."""
    order = [f"n{r}" for r in range(1, n + 1)]
    order[pos_rank - 1] = "pos"
    scores = {"q": {p: 1.0 - r / 1000 - (0.4 if r > pos_rank else 0.0) for r, p in enumerate(order, 1)}}
    return hand_built({}, {"q": order}, scores, {"q": ["pos"]})


def test_positive_ranked_50th_margin_drops_the_49_above_it_rank_window_keeps_ranks_11_to_100():
    data, cands = weak_teacher()
    above = {f"n{r}" for r in range(1, 50)}
    margin = select_negatives(data, cands, MineConfig(sources="dense", negatives=0, fn_filter="margin", skip_top=0,
                                                      output=""))[0]
    dropped = {f["pid"] for f in margin.extra["filtered"] if f["reason"].startswith("dense score")}
    assert dropped == above                                  # every true hard negative above the positive
    assert not above & set(margin.negatives)
    window = select_negatives(data, cands, MineConfig(sources="dense", negatives=0, output=""))[0]
    assert (window.extra["fn_filter"], window.extra["rank_window"]) == ("rank-window", [10, 100])
    assert sorted(window.negatives) == sorted({f"n{r}" for r in range(11, 101)} - {"n50"})
    assert mining_summary([window])["dropped above window"] == 10 and mining_summary([window])["dropped false-neg"] == 0
    assert mining_summary([margin])["dropped false-neg"] == 49


@settings(max_examples=60, deadline=None)
@given(skip=st.integers(0, 8), depth=st.integers(9, 14), seed=st.integers(0, 10**6),
       sources=st.sampled_from(["bm25", "dense", "bm25,dense"]),
       scores=st.lists(st.floats(-1, 2), min_size=15, max_size=15),
       order=st.permutations([f"n{i}" for i in range(14)] + ["pos"]))
def test_rank_window_never_keeps_a_top_ranked_candidate_and_never_drops_one_in_the_window(skip, depth, seed, sources,
                                                                                         scores, order):
    # any dense scores, even far above the positive's: rank-window decides by rank alone
    score = {"q": dict(zip(order, scores))}
    bm25, dense = list(order), list(reversed(order))
    data, cands = hand_built({"q": bm25}, {"q": dense}, score, {"q": ["pos"]})
    cfg = MineConfig(sources=sources, skip_top=skip, depth=depth, negatives=0, seed=seed, output="")
    ex = select_negatives(data, cands, cfg)[0]
    ranks = [r for s, r in (("bm25", bm25), ("dense", dense)) if s in sources]
    window = {p for r in ranks for p in r[skip:depth]} - {"pos"}
    assert set(ex.negatives) == window
    top_only = {p for r in ranks for p in r[:skip]} - window - {"pos"}
    assert {f["pid"] for f in ex.extra["filtered"] if f["reason"].startswith("above the rank window")} == top_only
    assert ex.extra["filter_threshold"] is None


def test_none_keeps_every_candidate_but_the_labelled_positives():
    data, cands = weak_teacher(n=30, pos_rank=3)
    ex = select_negatives(data, cands, MineConfig(sources="dense", fn_filter="none", skip_top=0, negatives=0,
                                                  output=""))[0]
    assert sorted(ex.negatives) == sorted(f"n{r}" for r in range(1, 31) if r != 3)
    assert [(f["pid"], f["reason"]) for f in ex.extra["filtered"]] == [("pos", "labelled positive")]


def test_rank_window_and_none_mine_bm25_without_a_dense_model(tmp_path):
    data = load_data(write_msmarco(tmp_path / "m"), "train")
    for mode in ("rank-window", "none"):
        cfg = MineConfig(sources="bm25", fn_filter=mode, skip_top=2, output="")
        assert not cfg.needs_dense()
        ex = mine_negatives(cfg, data=data)
        assert all(e.negatives for e in ex) and all(p["dense_score"] is None for e in ex
                                                    for p in e.extra["negative_provenance"])
    bm25_only = retrieve_candidates(data, ["bm25"], 100)
    with pytest.raises(ConfigError, match="--fn-filter margin"):
        select_negatives(data, bm25_only, MineConfig(sources="bm25", fn_filter="margin", output=""))


def test_union_contains_both_sources_when_both_find_candidates():
    bm25 = {"q": [f"b{i}" for i in range(10)]}
    dense = {"q": [f"d{i}" for i in range(10)]}
    data, cands = hand_built(bm25, dense, {}, {"q": ["pos"]})
    for seed in range(20):
        cfg = MineConfig(negatives=2, fn_filter="none", skip_top=0, seed=seed, output="")
        ex = select_negatives(data, cands, cfg)[0]
        assert sorted(ex.extra["negative_sources"]) == ["bm25", "dense"], seed
        assert {p["source"] for p in ex.extra["negative_provenance"]} == {"bm25", "dense"}


def test_passage_found_by_both_sources_is_one_candidate_labelled_both_with_both_ranks():
    data, cands = hand_built({"q": ["x", "b1"]}, {"q": ["d1", "x"]}, {}, {"q": ["pos"]})
    ex = select_negatives(data, cands, MineConfig(negatives=0, fn_filter="none", skip_top=0, output=""))[0]
    assert sorted(ex.negatives) == ["b1", "d1", "x"]
    x = next(p for p in ex.extra["negative_provenance"] if p["pid"] == "x")
    assert (x["source"], x["bm25_rank"], x["dense_rank"]) == ("both", 1, 2)


def test_rank_window_skips_the_top_ranks_of_each_source():
    data, cands = hand_built({"q": ["b1", "b2", "b3"]}, {"q": ["d1", "d2", "d3"]}, {}, {"q": ["pos"]})
    ex = select_negatives(data, cands, MineConfig(negatives=0, skip_top=1, depth=2, fn_filter="none", output=""))[0]
    assert sorted(ex.negatives) == ["b2", "d2"]


@settings(max_examples=60, deadline=None)
@given(skip=st.integers(0, 5), n=st.integers(0, 6), seed=st.integers(0, 10**6),
       sources=st.sampled_from(["bm25", "dense", "bm25,dense"]), fn=st.sampled_from(FN_FILTERS),
       order=st.permutations(["pos1", "pos2", "n1", "n2", "n3", "n4", "n5", "n6", "n7"]))
def test_a_labelled_positive_is_never_emitted_as_a_negative(skip, n, seed, sources, fn, order):
    # the positives sit anywhere in both rankings, with any score (even above every negative)
    scores = {"q": {p: 1.0 - i / 20 for i, p in enumerate(order)}}
    data, cands = hand_built({"q": list(order)}, {"q": list(reversed(order))}, scores, {"q": ["pos1", "pos2"]})
    cfg = MineConfig(sources=sources, skip_top=skip, depth=9, negatives=n, fn_filter=fn, seed=seed, output="")
    ex = select_negatives(data, cands, cfg)[0]
    assert not set(ex.negatives) & {"pos1", "pos2"}
    assert len(ex.negatives) == len(set(ex.negatives))
    assert n == 0 or len(ex.negatives) <= n


def test_sampling_is_deterministic_under_a_seed_and_independent_of_query_order():
    ranks = {q: [f"{q}n{i}" for i in range(20)] for q in ("q1", "q2", "q3")}
    data, cands = hand_built(ranks, {}, {}, {q: [f"{q}pos"] for q in ranks})
    cfg = MineConfig(sources="bm25", fn_filter="none", skip_top=0, negatives=3, seed=7, output="")
    first = {e.query_id: e.negatives for e in select_negatives(data, cands, cfg)}
    assert first == {e.query_id: e.negatives for e in select_negatives(data, cands, cfg)}
    reordered = dataclasses.replace(data, qrels=dict(reversed(list(data.qrels.items()))))
    assert {e.query_id: e.negatives for e in select_negatives(reordered, cands, cfg)} == first
    other = {e.query_id: e.negatives for e in select_negatives(data, cands, dataclasses.replace(cfg, seed=8))}
    assert other != first, "another seed should draw other negatives (20 candidates, 3 drawn)"


def write_dpr(folder: Path) -> Path:
    """NQ-style data: a passage that is not labelled positive but contains the answer string."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [("1", "Paris is the capital of France", "France"), ("2", "The capital city hosts the Louvre, in Paris", "Louvre"),
            ("3", "Berlin is the capital of Germany", "Germany"), ("4", "Madrid is the capital of Spain", "Spain"),
            ("5", "Rome is the capital of Italy", "Italy")]
    (folder / "psgs.tsv").write_text("id\ttext\ttitle\n" + "".join("\t".join(r) + "\n" for r in rows))
    items = [{"question": "what is the capital of france", "answers": ["Paris"],
              "positive_ctxs": [{"passage_id": "1"}], "hard_negative_ctxs": []}]
    (folder / "nq-train.json").write_text(json.dumps(items))
    return folder


@pytest.mark.parametrize("folder", ["inline", "data_samples"])
def test_answer_bearing_passages_are_filtered_for_nq_style_data(tmp_path, folder):
    if folder == "data_samples":
        path = REPO / "data_samples" / "nq"
        if not (path / "psgs.tsv").is_file():
            pytest.skip("data_samples/nq not present")
    else:
        path = write_dpr(tmp_path / "nq")
    data = load_data(path, "train")
    cfg = MineConfig(data=str(path), sources="bm25", fn_filter="none", skip_top=0, negatives=0, output="")
    examples = mine_negatives(cfg, data=data)
    text = {pid: p.full_text for pid, p in data.corpus.items()}
    from dptdr_mini.evaluate.metrics import has_answer
    checked = 0
    for ex in examples:
        answers = data.answers.get(ex.query_id, [])
        assert not any(has_answer(text[pid], answers) for pid in ex.negatives)
        checked += sum(f["reason"] == "contains answer" for f in ex.extra["filtered"])
    assert checked > 0, "some candidate should have contained an answer"
    unfiltered = mine_negatives(dataclasses.replace(cfg, answer_filter=False), data=data)
    assert sum(len(e.negatives) for e in unfiltered) > sum(len(e.negatives) for e in examples)


def test_mined_file_round_trips_through_the_trainer(tmp_path, tiny_model):
    from dptdr_mini.training.loop import train

    folder = write_msmarco(tmp_path / "msmarco")
    out = tmp_path / "neg.jsonl"
    cfg = MineConfig(data=str(folder), negatives=2, fn_filter="margin", margin=0.0, skip_top=0, output=str(out),
                     quiet=True)
    mined = mine_negatives(cfg, model=tiny_model)  # margin 0: a random model scores everything alike
    assert all(len(e.negatives) == 2 for e in mined)
    assert json.loads(out.with_suffix(".meta.json").read_text())["summary"]["queries"] == len(mined)
    data = load_data(folder, "train")
    back = read_train_file(out, data.corpus)
    assert [(e.query_id, e.positives, e.negatives) for e in back] == [(e.query_id, e.positives, e.negatives) for e in mined]
    assert back[0].extra["negative_provenance"] == mined[0].extra["negative_provenance"]
    before = {k: v.clone() for k, v in tiny_model.prompt_state_dict().items()}
    result = train(tiny_model, back, data.corpus, TrainConfig(output_dir=str(tmp_path / "run"), max_steps=1,
                                                              batch_size=3, negatives=1, eval_split="", quiet=True))
    assert result.steps == 1 and np.isfinite(result.losses[0])
    assert any(not torch.equal(before[k], v) for k, v in tiny_model.prompt_state_dict().items())


def test_summary_counts_sources_and_drops():
    data, cands = hand_built({"q": ["a", "x"]}, {"q": ["x", "b", "pos"]}, {"q": {"pos": 1.0, "a": 0.99, "x": 0.1, "b": 0.2}},
                             {"q": ["pos"]})
    ex = select_negatives(data, cands, MineConfig(negatives=0, fn_filter="margin", skip_top=0, output=""))
    s = mining_summary(ex)
    assert (s["negatives"], s["share both"], s["share dense"], s["dropped false-neg"], s["dropped positive"]) == \
        (2, 0.5, 0.5, 1, 1)


@pytest.mark.parametrize("bad", [dict(sources="bm25,colbert"), dict(sources=""), dict(skip_top=100, depth=100),
                                 dict(margin=1.0), dict(negatives=-1),
                                 dict(fn_filter="score"), dict(fn_filter=True)])
def test_bad_flags_raise_config_error_naming_the_flag(bad):
    with pytest.raises(ConfigError, match="--"):
        MineConfig(**bad).validate()


def test_write_train_file_is_readable_without_provenance(tmp_path):
    data = load_data(write_msmarco(tmp_path / "m"), "train")
    ex = mine_negatives(MineConfig(sources="bm25", fn_filter="none", output=""), data=data)
    write_train_file(tmp_path / "f.jsonl", ex)
    assert len(read_train_file(tmp_path / "f.jsonl", data.corpus)) == len(ex)


def test_untuned_miner_is_the_model_config_backbone(tmp_path, tiny_bert_dir, tokenizer):
    """Without a checkpoint, mining's dense model is `load_or_untuned` of the ModelConfig given (no private
    default): the same negatives as passing that untuned retriever by hand, from the library and the CLI."""
    from transformers import AutoModel

    from dptdr_mini.cli import main
    from dptdr_mini.model.retriever import DenseRetriever

    folder = write_msmarco(tmp_path / "data")
    cfg = MineConfig(data=str(folder), sources="bm25,dense", negatives=3, margin=0.0, output="", quiet=True)
    mcfg = ModelConfig(backbone=str(tiny_bert_dir), pooling="mean", normalize=True)
    by_hand = DenseRetriever(dataclasses.replace(mcfg, prefix_len=0), AutoModel.from_pretrained(tiny_bert_dir), tokenizer)
    expected = [(e.query_id, e.negatives) for e in mine_negatives(cfg, model=by_hand)]
    assert [(e.query_id, e.negatives) for e in mine_negatives(cfg, model_cfg=mcfg)] == expected
    out = tmp_path / "neg.jsonl"
    assert main(["mine", "--data", str(folder), "--negatives", "3", "--margin", "0", "--backbone", str(tiny_bert_dir),
                 "--pooling", "mean", "--normalize", "--output", str(out), "--quiet"]) == 0
    assert [(e.query_id, e.negatives) for e in read_train_file(out, load_data(folder, "train").corpus)] == expected
    model = json.loads(out.with_suffix(".meta.json").read_text())["model"]   # the meta names the miner's model
    assert (model["pooling"], model["normalize"], model["prefix_len"]) == ("mean", True, 0)
