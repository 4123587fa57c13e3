"""export: a prompt as a peft PrefixTuning adapter (and back), a fine-tuned model as a Hugging Face /
sentence-transformers folder; each must give the kit's own vectors. peft and sentence-transformers are test
dependencies (requirements.txt, the `dev` extra); tiny random backbones, nothing downloaded."""

from __future__ import annotations

import copy
import json

import pytest
import torch

from dptdr_mini.cli import main
from dptdr_mini.config import ModelConfig
from dptdr_mini.errors import CheckpointError, ConfigError
from dptdr_mini.model.checkpoint import load_retriever, save_model
from dptdr_mini.model.export import (PEFT_CONFIG, export_hf, export_peft, load_peft_prefix, prefix_table,
                                     sentence_transformers_files)
from dptdr_mini.model.retriever import DenseRetriever, pool
from test_backbones import tiny_backbone, tokenizers  # noqa: F401  (the fixture)

peft = pytest.importorskip("peft")
TEXTS = ["what is a deep prompt", "a", "dense passage retrieval scores a passage by a dot product with the query",
         "prefix keys and values in every layer"]                      # unequal lengths: padding is exercised
DIFFS: dict[str, float] = {}                                           # max |kit - other| per check, printed at the end


def record(name: str, kit: torch.Tensor, other: torch.Tensor) -> float:
    diff = (kit - other).abs().max().item()
    DIFFS[name] = diff
    print(f"max abs diff {name}: {diff:.3g}")
    return diff


def prompt_retriever(kind, tokenizers, **cfg) -> DenseRetriever:  # noqa: F811
    """A prompt whose prefix is not its fresh init (so a copy that dropped it would show)."""
    cfg = {"prefix_len": 4, "position_mode": "shifted", "query_max_len": 32, "passage_max_len": 32, **cfg}
    torch.manual_seed(1)
    model = DenseRetriever(ModelConfig(**cfg), tiny_backbone(kind), tokenizers[kind]).eval()
    with torch.no_grad():
        for p in model.trainable_parameters():
            p.add_(torch.randn_like(p) * 0.5)
    return model


def peft_vectors(base, adapter_dir, tokenizer, pooling: str) -> torch.Tensor:
    """Vectors from peft's own PeftModel (its prefix, its mask and positions) on a copy of the base weights."""
    from peft import PeftModel
    model = PeftModel.from_pretrained(copy.deepcopy(base), str(adapter_dir)).eval()
    batch = tokenizer(TEXTS, padding=True, truncation=True, max_length=32, return_tensors="pt")
    with torch.no_grad(), pytest.warns(UserWarning, match="[Tt]oken type ids"):
        hidden = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                       token_type_ids=batch["token_type_ids"]).last_hidden_state  # (B, T, H): no prefix slots
    return pool(hidden, batch["attention_mask"], pooling), model


# -- kit -> peft -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["bert", "roberta"])
@pytest.mark.parametrize("pooling", ["cls", "mean"])
def test_a_tied_prompt_gives_the_same_vectors_in_peft(kind, pooling, tokenizers, tmp_path):  # noqa: F811
    """The prefix table is copied as is (peft's layout), and peft's CLS and mean vectors equal the kit's: peft adds
    the prefix only as keys/values, so its output has the real tokens alone and the text's own mask pools them."""
    model = prompt_retriever(kind, tokenizers, pooling=pooling)
    out = export_peft(model, tmp_path / "adapter")
    got, peft_model = peft_vectors(model.query_backbone, out, tokenizers[kind], pooling)
    assert torch.equal(peft_model.prompt_encoder["default"].embedding.weight, model.query_prefix.embedding.weight)
    with torch.no_grad():
        want = model.encode(TEXTS, "query")
    diff = record(f"peft {kind} {pooling}", want, got)
    assert diff == 0 if pooling == "cls" else diff <= 1e-6              # CLS: the same numbers (mean measured 0 too)
    info = json.loads((out / "dptdr_export.json").read_text())
    assert (info["pooling"], info["normalize"], info["query_max_len"], info["position_mode"]) == (
        pooling, False, 32, "shifted")


def test_untied_prompts_give_two_adapters_one_per_role(tokenizers, tmp_path):  # noqa: F811
    model = prompt_retriever("bert", tokenizers, tied=False)
    out = export_peft(model, tmp_path / "adapters")
    assert (out / "query" / PEFT_CONFIG).is_file() and (out / "passage" / PEFT_CONFIG).is_file()
    with torch.no_grad():
        for role in ("query", "passage"):
            got, _ = peft_vectors(model.query_backbone, out / role, tokenizers["bert"], "cls")
            assert record(f"peft untied {role}", model.encode(TEXTS, role), got) <= 1e-6
        assert not torch.equal(model.encode(TEXTS, "query"), model.encode(TEXTS, "passage"))


def test_a_reparameterised_prefix_exports_as_the_table_its_mlp_computes(tokenizers, tmp_path):  # noqa: F811
    model = prompt_retriever("bert", tokenizers, prefix_projection=True, prefix_hidden=16)
    table = prefix_table(model.query_prefix)
    assert table.shape == (4, 2 * 2 * 32)                                 # not the (4, 32) input embedding
    out = export_peft(model, tmp_path / "adapter")
    assert json.loads((out / PEFT_CONFIG).read_text())["prefix_projection"] is False
    got, _ = peft_vectors(model.query_backbone, out, tokenizers["bert"], "cls")
    with torch.no_grad():
        assert record("peft projection cls", model.encode(TEXTS, "query"), got) <= 1e-6


def test_zero_positions_are_refused_for_peft_with_the_reason(tokenizers, tmp_path):  # noqa: F811
    model = prompt_retriever("bert", tokenizers, position_mode="zero")
    with pytest.raises(ConfigError, match="peft numbers them from num_virtual_tokens.*--position-mode shifted"):
        export_peft(model, tmp_path / "adapter")
    assert not (tmp_path / "adapter").exists()
    # why: the same table in peft gives other vectors than the kit's zero-position ones
    model.cfg.position_mode = "shifted"
    got, _ = peft_vectors(model.query_backbone, export_peft(model, tmp_path / "adapter"), tokenizers["bert"], "cls")
    model.cfg.position_mode = "zero"
    with torch.no_grad():
        assert (model.encode(TEXTS, "query") - got).abs().max() > 1e-3


# -- peft -> kit -------------------------------------------------------------------------------------------------------
def test_an_adapter_saved_by_peft_loads_into_the_kit_with_peft_vectors(tokenizers, tmp_path):  # noqa: F811
    from peft import PrefixTuningConfig, get_peft_model
    base = tiny_backbone("bert")
    torch.manual_seed(3)
    peft_model = get_peft_model(copy.deepcopy(base), PrefixTuningConfig(task_type="FEATURE_EXTRACTION",
                                                                        num_virtual_tokens=4))
    with torch.no_grad():
        peft_model.prompt_encoder["default"].embedding.weight.normal_(0, 0.5)
    peft_model.save_pretrained(tmp_path / "from-peft")
    want, _ = peft_vectors(base, tmp_path / "from-peft", tokenizers["bert"], "mean")
    model = DenseRetriever(ModelConfig(prefix_len=4, position_mode="shifted", pooling="mean", query_max_len=32,
                                       passage_max_len=32),
                           base, tokenizers["bert"]).eval()
    assert load_peft_prefix(model, tmp_path / "from-peft") == []
    with torch.no_grad():
        assert record("peft-made adapter into kit, mean", model.encode(TEXTS, "query"), want) <= 1e-6


def test_export_then_load_round_trips_untied_and_checks_the_prefix_length(tokenizers, tmp_path):  # noqa: F811
    model = prompt_retriever("bert", tokenizers, tied=False)
    export_peft(model, tmp_path / "adapters")
    fresh = DenseRetriever(ModelConfig(**{**model.cfg.__dict__}), model.query_backbone, tokenizers["bert"]).eval()
    load_peft_prefix(fresh, tmp_path / "adapters")
    for role in ("query", "passage"):
        assert torch.equal(fresh.prefix_for(role).embedding.weight, model.prefix_for(role).embedding.weight)
    other = DenseRetriever(ModelConfig(prefix_len=6, position_mode="shifted", tied=False, passage_max_len=32),
                           model.query_backbone,
                           tokenizers["bert"])
    with pytest.raises(ConfigError, match="num_virtual_tokens 4 but the model has 6.*--prefix-len 4"):
        load_peft_prefix(other, tmp_path / "adapters")


def test_train_init_from_peft_starts_from_the_adapter(tmp_path, samples, tiny_bert_dir, tokenizer):
    """`train --init-from-peft DIR`: with a learning rate of ~0 the saved prompt is the adapter's table."""
    from peft import PrefixTuningConfig, get_peft_model
    from transformers import AutoModel
    base = AutoModel.from_pretrained(tiny_bert_dir)
    peft_model = get_peft_model(base, PrefixTuningConfig(task_type="FEATURE_EXTRACTION", num_virtual_tokens=3))
    peft_model.save_pretrained(tmp_path / "adapter")
    table = peft_model.prompt_encoder["default"].embedding.weight.detach().clone()
    common = ["train", "--data", str(samples / "msmarco"), "--backbone", str(tiny_bert_dir), "--max-steps", "1",
              "--batch-size", "2", "--eval-split", "", "--quiet", "--position-mode", "shifted",
              "--init-from-peft", str(tmp_path / "adapter"), "--output-dir", str(tmp_path / "run")]
    assert main(common + ["--prefix-len", "5"]) == 2                     # the adapter has 3 virtual tokens
    assert main(common + ["--prefix-len", "3", "--lr", "1e-12", "--prefix-dropout", "0"]) == 0
    trained = load_retriever(tmp_path / "run" / "model.safetensors")
    torch.testing.assert_close(trained.query_prefix.embedding.weight, table, atol=1e-6, rtol=0)


# -- kit -> Hugging Face / sentence-transformers -----------------------------------------------------------------------
def finetuned_retriever(tokenizers, **cfg) -> DenseRetriever:  # noqa: F811
    """A finetune-mode retriever whose weights differ from the backbone it started from."""
    cfg = {"mode": "finetune", "query_max_len": 32, "passage_max_len": 32, **cfg}
    model = DenseRetriever(ModelConfig(**cfg), tiny_backbone("bert"), tokenizers["bert"]).eval()
    torch.manual_seed(2)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.02)
    return model


def st_vectors(folder) -> torch.Tensor:
    from sentence_transformers import SentenceTransformer
    return SentenceTransformer(str(folder), device="cpu").encode(TEXTS, convert_to_tensor=True, batch_size=2)


@pytest.mark.parametrize("pooling,normalize", [("cls", False), ("mean", False), ("mean", True), ("cls", True)])
def test_a_finetuned_model_gives_the_kits_vectors_in_transformers_and_sentence_transformers(
        pooling, normalize, tokenizers, tmp_path):  # noqa: F811
    from transformers import AutoModel
    model = finetuned_retriever(tokenizers, pooling=pooling, normalize=normalize)
    out = export_hf(model, tmp_path / "hf")
    with torch.no_grad():
        want = model.encode(TEXTS, "query")
        hf = AutoModel.from_pretrained(out).eval()
        batch = model.tokenize(TEXTS, "query")
        vecs = pool(hf(**batch).last_hidden_state, batch["attention_mask"], pooling)
        vecs = torch.nn.functional.normalize(vecs, dim=-1) if normalize else vecs
    assert record(f"transformers {pooling} normalize={normalize}", want, vecs) <= 1e-6
    assert record(f"sentence-transformers {pooling} normalize={normalize}", want, st_vectors(out)) <= 1e-5
    modules = [m["type"] for m in json.loads((out / "modules.json").read_text())]
    assert ("sentence_transformers.models.Normalize" in modules) == normalize


def test_an_untied_finetuned_model_exports_one_folder_per_role(tokenizers, tmp_path):  # noqa: F811
    model = finetuned_retriever(tokenizers, tied=False)
    with torch.no_grad():
        for p in model.passage_backbone.parameters():
            p.add_(0.01)
    out = export_hf(model, tmp_path / "hf")
    with torch.no_grad():
        for role in ("query", "passage"):
            assert record(f"sentence-transformers untied {role}", model.encode(TEXTS, role),
                          st_vectors(out / role)) <= 1e-5


def test_a_prompt_is_refused_for_hf_and_a_finetuned_model_for_peft(tokenizers, tmp_path):  # noqa: F811
    with pytest.raises(ConfigError, match="--to peft"):
        export_hf(prompt_retriever("bert", tokenizers), tmp_path / "a")
    with pytest.raises(ConfigError, match="--to hf"):
        export_peft(finetuned_retriever(tokenizers), tmp_path / "b")


def test_a_non_empty_folder_needs_overwrite_and_a_failed_export_leaves_it_intact(tokenizers, tmp_path,
                                                                                 monkeypatch):  # noqa: F811
    model = finetuned_retriever(tokenizers)
    out = tmp_path / "hf"
    out.mkdir()
    (out / "keep.txt").write_text("old")
    with pytest.raises(ConfigError, match="not empty.*--overwrite"):
        export_hf(model, out)

    def crash(*args):
        raise OSError("disk full")
    monkeypatch.setattr("dptdr_mini.model.export.sentence_transformers_files", crash)
    with pytest.raises(OSError, match="disk full"):
        export_hf(model, out, overwrite=True)
    assert [p.name for p in tmp_path.iterdir()] == ["hf"] and (out / "keep.txt").read_text() == "old"
    monkeypatch.setattr("dptdr_mini.model.export.sentence_transformers_files", sentence_transformers_files)
    export_hf(model, out, overwrite=True)
    assert not (out / "keep.txt").exists() and (out / "modules.json").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["hf"]                 # no temp or old folder left behind


def test_cli_export_hf_from_a_checkpoint_and_refusals(tmp_path, tiny_bert_dir, capsys):
    model = DenseRetriever(ModelConfig(backbone=str(tiny_bert_dir), mode="finetune", pooling="mean",
                                       normalize=True, query_max_len=32, passage_max_len=32)).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.02)
    ckpt = tmp_path / "run" / "model.safetensors"
    save_model(ckpt, model)
    argv = ["export", "--checkpoint", str(ckpt), "--to", "hf", "--output"]
    assert main(argv + [str(tmp_path / "run")]) == 2                     # its own folder, --overwrite or not
    assert main(argv + [str(tmp_path / "run"), "--overwrite"]) == 2
    assert "would delete the checkpoint" in capsys.readouterr().err
    assert main(argv + [str(tmp_path / "hf")]) == 0
    with torch.no_grad():
        want = load_retriever(ckpt).encode(TEXTS, "query")
    assert record("cli sentence-transformers mean normalize", want, st_vectors(tmp_path / "hf")) <= 1e-5
    untuned = DenseRetriever(ModelConfig(backbone=str(tiny_bert_dir), mode="finetune", pooling="mean", normalize=True))
    with torch.no_grad():
        assert (untuned.eval().encode(TEXTS, "query") - want).abs().max() > 1e-4  # the export has the tuned weights
    assert main(argv + [str(tmp_path / "hf")]) == 2                      # now non-empty
    assert "--overwrite" in capsys.readouterr().err
    assert main(["export", "--checkpoint", str(ckpt), "--output", str(tmp_path / "p")]) == 2  # --to peft default
    assert "--to hf" in capsys.readouterr().err


def test_cli_export_peft_from_a_checkpoint_and_the_zero_position_refusal(tmp_path, tiny_bert_dir, capsys):
    from transformers import AutoModel, AutoTokenizer
    for mode in ("shifted", "zero"):
        model = DenseRetriever(ModelConfig(backbone=str(tiny_bert_dir), prefix_len=4, position_mode=mode,
                                           query_max_len=32, passage_max_len=32)).eval()
        with torch.no_grad():
            model.query_prefix.embedding.weight.normal_(0, 0.5)
        save_model(tmp_path / mode / "model.safetensors", model)
    argv = ["export", "--checkpoint", str(tmp_path / "zero" / "model.safetensors"), "--output", str(tmp_path / "z")]
    assert main(argv) == 2 and not (tmp_path / "z").exists()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "peft numbers them from num_virtual_tokens" in err
    ckpt = tmp_path / "shifted" / "model.safetensors"
    assert main(["export", "--checkpoint", str(ckpt), "--output", str(tmp_path / "peft")]) == 0
    got, _ = peft_vectors(AutoModel.from_pretrained(tiny_bert_dir), tmp_path / "peft",
                          AutoTokenizer.from_pretrained(tiny_bert_dir), "cls")
    with torch.no_grad():
        assert record("cli peft cls", load_retriever(ckpt).encode(TEXTS, "query"), got) == 0
    (tmp_path / "peft" / "adapter_model.safetensors").rename(tmp_path / "peft" / "adapter_model.bin")
    fresh = DenseRetriever(ModelConfig(backbone=str(tiny_bert_dir), prefix_len=4, position_mode="shifted",
                                       passage_max_len=32))
    with pytest.raises(CheckpointError, match="only safetensors is read"):
        load_peft_prefix(fresh, tmp_path / "peft")


def test_print_measured_differences():
    """Not a check: prints every max abs difference measured above (run with -s to see them)."""
    for name, diff in DIFFS.items():
        print(f"{name:55s} {diff:.3g}")

