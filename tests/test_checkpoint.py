"""Checkpoints: safetensors round trips, atomic writes, refusal of foreign or broken files."""

import json
import os
import stat

import pytest
import torch

from dptdr_mini.model.checkpoint import atomic_write_bytes, load_retriever, load_tensors, save_model
from dptdr_mini.config import ModelConfig
from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.errors import CheckpointError

from conftest import make_tiny_bert

TEXTS = ["what makes bread rise", "yeast ferments sugar"]


def _trained(cfg, tiny_bert_dir, tokenizer):
    from transformers import AutoModel
    model = DenseRetriever(cfg, AutoModel.from_pretrained(tiny_bert_dir), tokenizer)
    with torch.no_grad():
        for p in model.trainable_parameters():
            p.add_(torch.randn_like(p) * 0.1)  # stand-in for training: weights differ from the init
    return model.eval()


@pytest.mark.parametrize("mode,tied", [("prompt", True), ("prompt", False), ("finetune", True), ("finetune", False)])
def test_round_trip_gives_identical_embeddings(tmp_path, tiny_bert_dir, tokenizer, mode, tied):
    cfg = ModelConfig(backbone=str(tiny_bert_dir), mode=mode, tied=tied, prefix_len=4)
    model = _trained(cfg, tiny_bert_dir, tokenizer)
    save_model(tmp_path / "model.safetensors", model)
    loaded = load_retriever(tmp_path / "model.safetensors")
    with torch.no_grad():
        for role in ("query", "passage"):
            torch.testing.assert_close(loaded.encode(TEXTS, role), model.encode(TEXTS, role), atol=0, rtol=0)
    assert loaded.cfg == model.cfg


def test_prompt_checkpoint_holds_only_the_prefix(tmp_path, tiny_bert_dir, tokenizer):
    model = _trained(ModelConfig(backbone=str(tiny_bert_dir), prefix_len=4), tiny_bert_dir, tokenizer)
    save_model(tmp_path / "m.safetensors", model)
    tensors, meta = load_tensors(tmp_path / "m.safetensors")
    assert list(tensors) == ["query_prefix.embedding.weight"]
    assert json.loads(meta["model_config"])["mode"] == "prompt"
    assert meta["backbone_fingerprint"] == model.fingerprint


@pytest.mark.parametrize("other_kw,match", [
    ({"seed": 1}, "pass the --backbone it was trained with"),  # same shape, other weights
    ({"layers": 3}, "shape"),                                   # other architecture
])
def test_prompt_for_another_backbone_is_refused(tmp_path, tiny_bert_dir, tokenizer, other_kw, match):
    model = _trained(ModelConfig(backbone=str(tiny_bert_dir), prefix_len=4), tiny_bert_dir, tokenizer)
    save_model(tmp_path / "m.safetensors", model)
    other = tmp_path / "other-bert"
    make_tiny_bert(tokenizer, **other_kw).save_pretrained(other)
    tokenizer.save_pretrained(other)
    with pytest.raises(CheckpointError, match=match):
        load_retriever(tmp_path / "m.safetensors", backbone=str(other))


def test_truncated_checkpoint_is_refused(tmp_path, tiny_bert_dir, tokenizer):
    model = _trained(ModelConfig(backbone=str(tiny_bert_dir), prefix_len=4), tiny_bert_dir, tokenizer)
    save_model(tmp_path / "m.safetensors", model)
    raw = (tmp_path / "m.safetensors").read_bytes()
    (tmp_path / "cut.safetensors").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(CheckpointError, match="truncated or corrupted"):
        load_retriever(tmp_path / "cut.safetensors")
    (tmp_path / "junk.safetensors").write_bytes(b"\x00" * 64)
    with pytest.raises(CheckpointError):
        load_retriever(tmp_path / "junk.safetensors")


def test_atomic_write_replaces_whole_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "out.bin"
    atomic_write_bytes(target, b"old")
    atomic_write_bytes(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


@pytest.fixture(params=[0o022, 0o077], ids=["umask022", "umask077"])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def test_atomic_write_gives_a_new_file_the_umask_mode_not_mkstemps_0600(tmp_path, umask):
    atomic_write_bytes(tmp_path / "new.json", b"{}")
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o666 & ~umask


def test_atomic_rewrite_keeps_the_files_own_mode(tmp_path, umask):
    target = tmp_path / "shared.json"
    target.write_bytes(b"old")
    target.chmod(0o644)
    atomic_write_bytes(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644 and target.read_bytes() == b"new"


# -- one factory, one reader of metadata --------------------------------------------------------

def test_untuned_backbone_follows_model_config_defaults(tiny_bert_dir):
    """With no checkpoint the factory builds the backbone from ModelConfig (one default: its own), no prefix."""
    from dptdr_mini.model.checkpoint import load_or_untuned, untuned_name

    model = load_or_untuned("", ModelConfig(backbone=str(tiny_bert_dir)))
    assert model.prefix_for("query") is None and model.cfg.prefix_len == 0
    assert (model.cfg.pooling, model.cfg.normalize) == (ModelConfig().pooling, ModelConfig().normalize)
    assert untuned_name(model.cfg) == "untuned backbone (cls, dot product)"
    mean = load_or_untuned("", ModelConfig(backbone=str(tiny_bert_dir), pooling="mean", normalize=True))
    assert untuned_name(mean.cfg) == "untuned backbone (mean, cosine)"
    assert torch.allclose(mean.encode(TEXTS, "query").norm(dim=-1), torch.ones(2))


def test_a_checkpoint_keeps_its_own_config_whatever_the_model_config(tmp_path, tiny_bert_dir, tokenizer):
    """The factory's ModelConfig builds the untuned model only: a checkpoint loads as it was saved."""
    from dptdr_mini.model.checkpoint import load_or_untuned

    model = _trained(ModelConfig(backbone=str(tiny_bert_dir), prefix_len=4), tiny_bert_dir, tokenizer)
    save_model(tmp_path / "m.safetensors", model)
    loaded = load_or_untuned(tmp_path / "m.safetensors", ModelConfig(pooling="mean", normalize=True, prefix_len=9))
    assert loaded.cfg == model.cfg
    with torch.no_grad():
        torch.testing.assert_close(loaded.encode(TEXTS, "query").cpu(), model.encode(TEXTS, "query"), atol=0, rtol=0)


def test_a_prompt_on_the_loaded_weights_shares_them_and_a_finetune_does_not(tmp_path, tiny_bert_dir, tokenizer):
    from transformers import AutoModel

    from dptdr_mini.model.checkpoint import load_or_untuned

    for mode in ("prompt", "finetune"):
        save_model(tmp_path / f"{mode}.safetensors",
                   _trained(ModelConfig(backbone=str(tiny_bert_dir), mode=mode, prefix_len=4), tiny_bert_dir, tokenizer))
    shared = (AutoModel.from_pretrained(tiny_bert_dir), tokenizer)
    cfg = ModelConfig(backbone=str(tiny_bert_dir))
    assert load_or_untuned("", cfg, loaded=shared).query_backbone is shared[0]
    assert load_or_untuned(tmp_path / "prompt.safetensors", cfg, loaded=shared).query_backbone is shared[0]
    assert load_or_untuned(tmp_path / "finetune.safetensors", cfg, loaded=shared).query_backbone is not shared[0]


def test_metadata_becomes_a_validated_config_in_one_place(tmp_path, tiny_bert_dir, tokenizer):
    """The header alone gives the metadata; a model_config that fails validation is refused, naming the file."""
    from dptdr_mini.model.checkpoint import backbone_shape, config_from_metadata, read_metadata, save_tensors

    model = _trained(ModelConfig(backbone=str(tiny_bert_dir), prefix_len=4), tiny_bert_dir, tokenizer)
    save_model(tmp_path / "m.safetensors", model)
    meta = read_metadata(tmp_path / "m.safetensors")
    assert meta == load_tensors(tmp_path / "m.safetensors")[1]
    assert config_from_metadata(meta, "m") == model.cfg
    assert json.loads(meta["backbone_shape"]) == backbone_shape(model.query_backbone.config) == ["bert", 2, 32, 2]
    bad = {**meta, "model_config": json.dumps({**json.loads(meta["model_config"]), "pooling": "max"})}
    save_tensors(tmp_path / "bad.safetensors", load_tensors(tmp_path / "m.safetensors")[0], bad)
    with pytest.raises(CheckpointError, match=r"bad.safetensors: metadata has no valid model_config.*--pooling 'max'"):
        load_retriever(tmp_path / "bad.safetensors")
    with pytest.raises(CheckpointError, match="truncated or corrupted"):
        read_metadata(atomic_write_bytes(tmp_path / "cut.safetensors", b"\x10\x00") or tmp_path / "cut.safetensors")


# -- reproducibility: what made a checkpoint ----------------------------------------------------

def test_a_trained_checkpoint_records_seed_versions_and_the_resolved_backbone(tmp_path, samples, tiny_bert_dir):
    import transformers

    import dptdr_mini
    from dptdr_mini.cli import main
    from dptdr_mini.model.checkpoint import read_metadata

    assert main(["train", "--data", str(samples / "msmarco"), "--backbone", str(tiny_bert_dir), "--seed", "7",
                 "--output-dir", str(tmp_path / "run"), "--max-steps", "1", "--batch-size", "2", "--prefix-len", "2",
                 "--eval-split", "", "--quiet"]) == 0
    for name in ("model.safetensors", "last.safetensors"):
        meta = read_metadata(tmp_path / "run" / name)
        assert meta["seed"] == "7"
        versions = json.loads(meta["library_versions"])
        assert versions == {"torch": versions["torch"], "transformers": transformers.__version__,
                            "dptdr_mini": dptdr_mini.__version__}
        assert versions["torch"].split("+")[0] == torch.__version__.split("+")[0]
        assert meta["backbone_source"] == str(tiny_bert_dir.resolve())


def test_the_default_backbone_is_recorded_as_the_folder_it_resolves_to(tmp_path, minilm):
    from dptdr_mini.model.backbone import default_backbone_path
    from dptdr_mini.model.checkpoint import read_metadata

    save_model(tmp_path / "p.safetensors", DenseRetriever(ModelConfig(prefix_len=2), *minilm), seed=3)
    meta = read_metadata(tmp_path / "p.safetensors")
    assert meta["backbone_source"] == str(default_backbone_path().resolve()) != "default"
    assert meta["seed"] == "3"
