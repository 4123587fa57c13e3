"""The one-command recipe: stage 1 on BM25 negatives, mine with it, train on the union; RIP first if asked."""

from __future__ import annotations

import json
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import pytest

from dptdr_mini.cli import main
from dptdr_mini.config import ModelConfig, TrainConfig
from dptdr_mini.errors import ConfigError
from dptdr_mini.data.examples import read_train_file
from dptdr_mini.data.loaders import load_data
from dptdr_mini.recipes.pipeline import PipelineConfig, run_pipeline

from test_mining import write_msmarco


@pytest.fixture
def tiny_backbone(tiny_bert_dir) -> str:
    """A tiny random BERT saved as a Hugging Face folder (what RIP hands back)."""
    return str(tiny_bert_dir)


def configs(tmp_path: Path, backbone: str, **kw) -> tuple[PipelineConfig, ModelConfig, TrainConfig]:
    data = write_msmarco(tmp_path / "msmarco")
    cfg = PipelineConfig(data=str(data), output_dir=str(tmp_path / "run"), quiet=True, **kw)
    return (cfg, ModelConfig(backbone=backbone, prefix_len=4, pooling="mean", normalize=True, temperature=0.05),
            TrainConfig(epochs=1, batch_size=3))


def test_pipeline_trains_both_stages_and_the_final_one_on_the_union(tmp_path, tiny_backbone):
    # skip_top 2: the sample corpus has only 12 passages, so the default window (10, 100] holds ranks 11-12
    cfg, mcfg, tcfg = configs(tmp_path, tiny_backbone, skip_top=2)
    table = run_pipeline(cfg, mcfg, tcfg)
    assert list(table.index) == ["start: backbone, untuned", "stage 1: DPT + BM25 negatives",
                                 "final: DPT + UNM negatives"]
    assert (table["corpus"] == 12).all() and (table["queries"] == 6).all()
    out = Path(cfg.output_dir)
    for f in ("stage1/model.safetensors", "final/model.safetensors", "results.md", "negatives_unm.jsonl"):
        assert (out / f).is_file(), f
    union = read_train_file(out / "negatives_unm.jsonl", load_data(cfg.data, "train").corpus)
    sources = {s for e in union for s in e.extra["negative_sources"]}
    assert sources & {"dense", "both"}, "the final stage should see negatives the stage-1 model found"
    assert table.loc["stage 1: DPT + BM25 negatives", "neg bm25"] == 1.0
    mined = json.loads((out / "negatives_unm.meta.json").read_text())["config"]
    assert (mined["fn_filter"], mined["skip_top"]) == ("rank-window", 2)      # the pipeline's mining settings
    assert table.loc["final: DPT + UNM negatives", "FN dropped"] == 0         # rank-window: no score filter
    assert all(any(r is not None and r > 2 for r in (p["bm25_rank"], p["dense_rank"]))   # in some source's window
               for e in union for p in e.extra["negative_provenance"])


def test_pipeline_forwards_the_margin_filter(tmp_path, tiny_backbone, monkeypatch):
    import dptdr_mini.recipes.pipeline as pipeline

    seen = []

    def record(cfg, **kw):
        seen.append(cfg)
        raise StopAfterMining
    monkeypatch.setattr(pipeline, "mine_negatives", record)
    data = write_msmarco(tmp_path / "msmarco")
    with pytest.raises(StopAfterMining):
        main(["pipeline", "--data", str(data), "--output-dir", str(tmp_path / "p"), "--fn-filter", "margin",
              "--margin", "0.1", "--skip-top", "3", "--quiet", "--debug"])
    assert (seen[0].fn_filter, seen[0].skip_top) == ("none", 3)                # stage 1: BM25, no dense model
    assert PipelineConfig().fn_filter == "rank-window" and PipelineConfig().skip_top == 10
    with pytest.raises(ConfigError, match="--fn-filter"):
        PipelineConfig(fn_filter="strict").validate()


class StopAfterMining(Exception):
    pass


def fake_rip(backbone: str, calls: list) -> types.ModuleType:
    module = types.ModuleType("dptdr_mini.training.rip")

    @dataclass
    class RIPConfig:
        data: str = ""
        method: str = ""
        update: str = ""
        output_dir: str = ""
        seed: int = 0
        quiet: bool = False
        overwrite: bool = False

    def pretrain(cfg, model_cfg):
        calls.append(cfg)
        return types.SimpleNamespace(backbone_path=backbone)

    module.RIPConfig, module.pretrain = RIPConfig, pretrain
    return module


def test_rip_runs_first_and_its_backbone_carries_both_stages(tmp_path, tiny_backbone, monkeypatch):
    calls = []
    monkeypatch.setitem(sys.modules, "dptdr_mini.training.rip", fake_rip(tiny_backbone, calls))
    cfg, mcfg, tcfg = configs(tmp_path, "never-loaded", rip=True)
    table = run_pipeline(cfg, mcfg, tcfg)
    assert [(c.update, c.data) for c in calls] == [("backbone", cfg.data)]
    assert json.loads((Path(cfg.output_dir) / "results.json").read_text())["model"]["backbone"] == tiny_backbone
    assert table.index[-1] == "final: RIP + DPT + UNM negatives"


def test_rip_missing_is_a_clear_config_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dptdr_mini.training.rip", None)  # import fails as if the module were absent
    cfg, mcfg, tcfg = configs(tmp_path, "default", rip=True)
    with pytest.raises(ConfigError, match="RIP is not available"):
        run_pipeline(cfg, mcfg, tcfg)


class StopAfterRIP(Exception):
    pass


def test_rip_trains_the_model_the_pipeline_flags_describe_with_the_pipeline_seed(tmp_path, monkeypatch):
    """`pipeline --rip` used to pretrain with RIPConfig's defaults (cls, dot product, temperature 1, seed 42)."""
    from dptdr_mini.training import rip
    seen = {}

    def record(rip_cfg, model_cfg=None, model=None):
        seen.update(rip=rip_cfg, model=rip_cfg.model_config(model_cfg) if model_cfg else None)
        raise StopAfterRIP
    monkeypatch.setattr(rip, "pretrain", record)
    data = write_msmarco(tmp_path / "msmarco")
    with pytest.raises(StopAfterRIP):
        main(["pipeline", "--rip", "--data", str(data), "--output-dir", str(tmp_path / "p"), "--backbone", "my/bert",
              "--pooling", "mean", "--normalize", "--temperature", "0.05", "--query-max-len", "24", "--seed", "7",
              "--quiet", "--debug"])
    model = seen["model"]
    assert model is not None, "RIP was not given the pipeline's ModelConfig"
    assert (model.backbone, model.pooling, model.normalize, model.temperature, model.query_max_len) == (
        "my/bert", "mean", True, 0.05, 24)
    assert (model.mode, model.prefix_len) == ("finetune", 0)      # --update backbone trains every weight
    # RIP's own default pairs (non-overlapping crops), not the near-copy spans the pipeline used to ask for
    assert (seen["rip"].seed, seen["rip"].method, seen["rip"].update, seen["rip"].data) == (7, "crop", "backbone",
                                                                                          str(data))


def test_cli_mine_and_pipeline_verbs(tmp_path, tiny_backbone, capsys):
    data = write_msmarco(tmp_path / "msmarco")
    out = tmp_path / "neg.jsonl"
    assert main(["mine", "--data", str(data), "--sources", "bm25", "--fn-filter", "none", "--skip-top", "0",
                 "--output", str(out), "--quiet"]) == 0
    assert out.is_file() and "share bm25 1.0" in capsys.readouterr().out
    assert json.loads(out.with_suffix(".meta.json").read_text())["config"]["fn_filter"] == "none"
    assert main(["mine", "--data", str(data), "--sources", "bm25", "--no-fn-filter", "--output", str(out),
                 "--quiet"]) == 0                                     # the old flag still means "none"
    assert json.loads(out.with_suffix(".meta.json").read_text())["config"]["fn_filter"] == "none"
    with pytest.raises(SystemExit, match="2"):                       # argparse: not one of the modes
        main(["mine", "--data", str(data), "--fn-filter", "strict"])
    assert main(["pipeline", "--data", str(data), "--output-dir", str(tmp_path / "p"), "--epochs", "1",
                 "--batch-size", "3", "--backbone", tiny_backbone, "--prefix-len", "4", "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "final: DPT + UNM negatives" in printed and "corpus" in printed
    assert main(["mine", "--data", str(data), "--sources", "splade"]) == 2


def write_train_test_beir(tmp_path: Path) -> Path:
    """The 12-passage sample as BEIR with only `train` and `test` qrels, as most BEIR sets (no dev split)."""
    src = write_msmarco(tmp_path / "msmarco")
    train, dev = load_data(str(src), "train"), load_data(str(src), "dev")
    out = tmp_path / "beir"
    (out / "qrels").mkdir(parents=True)
    (out / "corpus.jsonl").write_text("".join(json.dumps({"_id": pid, "title": p.title, "text": p.text}) + "\n"
                                              for pid, p in train.corpus.items()))
    queries = {**train.queries, **dev.queries}
    (out / "queries.jsonl").write_text("".join(json.dumps({"_id": q, "text": t}) + "\n" for q, t in queries.items()))
    for split, data in (("train", train), ("test", dev)):
        rows = [f"{q}\t{pid}\t{g}" for q, docs in data.qrels.items() for pid, g in docs.items()]
        (out / "qrels" / f"{split}.tsv").write_text("query-id\tcorpus-id\tscore\n" + "\n".join(rows) + "\n")
    return out


def test_pipeline_on_train_and_test_only_carves_dev_and_says_when_it_ends_below_its_start(
        tmp_path, tiny_backbone, monkeypatch, capsys):
    import dptdr_mini.recipes.pipeline as pipeline

    data = write_train_test_beir(tmp_path)
    real_train_stage = pipeline.train_stage

    def worthless_final(name, *args):                  # the final stage scores 0: below any untuned start
        scored = real_train_stage(name, *args)
        if name.startswith("final"):
            scored.scores.metrics["nDCG@10"] = 0.0
        return scored
    monkeypatch.setattr(pipeline, "train_stage", worthless_final)
    cfg = PipelineConfig(data=str(data), eval_split="dev", output_dir=str(tmp_path / "run"), skip_top=2, quiet=True)
    mcfg = ModelConfig(backbone=tiny_backbone, prefix_len=4, pooling="mean", normalize=True, temperature=0.05)
    table = run_pipeline(cfg, mcfg, TrainConfig(epochs=1, batch_size=3, dev_from_train=0.5))
    dev_queries = table["queries"].iloc[0]
    assert 0 < dev_queries < 6 and (table["queries"] == dev_queries).all()   # the carved dev split, not test
    assert table.loc["start: backbone, untuned", "nDCG@10"] > 0
    assert "warning: the final model scores below the untuned model it started from on dev" in capsys.readouterr().err
