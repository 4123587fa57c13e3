"""The CLI end to end on the embedded sample (tiny step counts), and its one-line errors."""

import json

import pytest

from dptdr_mini.cli import main


def test_train_prompt_then_evaluate_prints_metrics_with_corpus_size(tmp_path, samples, tiny_bert_dir, capsys):
    out = tmp_path / "dpt"
    assert main(["train", "--data", str(samples / "msmarco"), "--mode", "prompt", "--output-dir", str(out),
                 "--backbone", str(tiny_bert_dir),
                 "--max-steps", "2", "--batch-size", "4", "--eval-split", "", "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "trainable" in printed and "trained 2 steps" in printed
    assert main(["evaluate", "--data", str(samples / "msmarco"), "--checkpoint", str(out / "model.safetensors"),
                 "--quiet", "--json", str(tmp_path / "m.json")]) == 0
    printed = capsys.readouterr().out
    assert "MRR@10" in printed and "passages" in printed
    row = json.loads((tmp_path / "m.json").read_text())
    assert 0 <= row["MRR@10"] <= 1 and row["corpus"] >= 250


def test_encode_then_search_a_single_query(tmp_path, samples, tiny_bert_dir, capsys):
    index = tmp_path / "index"
    assert main(["encode", "--data", str(samples / "beir"), "--split", "test", "--output", str(index),
                 "--backbone", str(tiny_bert_dir), "--quiet"]) == 0
    assert (index / "vectors.npy").is_file()
    assert main(["search", "--index", str(index), "--data", str(samples / "beir"), "--split", "test",
                 "--backbone", str(tiny_bert_dir),
                 "--query", "what makes bread rise", "--k", "3"]) == 0
    lines = [l for l in capsys.readouterr().out.splitlines() if l.strip()[:1].isdigit()]
    assert len(lines) >= 3


def test_bm25_evaluation_runs(samples, capsys):
    assert main(["evaluate", "--data", str(samples / "nq"), "--retriever", "bm25"]) == 0
    assert "Acc@20" in capsys.readouterr().out


@pytest.mark.parametrize("argv,needle", [
    (["train", "--batch-size", "0"], "--batch-size 0: expected an integer >= 1"),
    (["train", "--negatives", "-1"], "--negatives -1"),
    (["evaluate", "--depth", "-5"], "--depth -5"),
    (["train", "--data", "/nonexistent/folder"], "/nonexistent/folder: no such folder"),
    (["evaluate", "--checkpoint", "/nonexistent/model.safetensors"], "checkpoint not found"),
    (["train", "--backbone", "no-such-org/no-such-model", "--max-steps", "1"], "cannot load"),
])
def test_bad_flags_give_one_line_and_exit_2(argv, needle, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert needle in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_unknown_mode_is_rejected_by_argparse(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--mode", "sideways"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_unknown_verb_lists_the_verbs(capsys):
    assert main(["frobnicate"]) == 2
    assert "train" in capsys.readouterr().out


def test_demo_writes_the_results_table_with_all_rows(tmp_path, samples, tiny_bert_dir, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "--data", str(samples / "msmarco"), "--output-dir", str(out), "--max-steps", "2",
                 "--backbone", str(tiny_bert_dir),
                 "--quiet"]) == 0
    printed = capsys.readouterr().out
    for row in ("BM25", "untuned backbone", "DPT (prompt tuning)", "FT (fine-tuning)"):
        assert row in printed
    md = (out / "results.md").read_text()
    assert "298 passages" in md and "| DPT (prompt tuning)" in md
    rows = json.loads((out / "results.json").read_text())
    assert [r["corpus"] for r in rows] == [298] * 4


def test_trainer_runs_on_scifact_train_split(scifact, tiny_bert_dir, tmp_path, capsys):
    """The BEIR loader reads the real SciFact layout and the trainer consumes its train split."""
    assert main(["train", "--data", str(scifact), "--split", "train", "--backbone", str(tiny_bert_dir),
                 "--max-steps", "1", "--batch-size", "2", "--eval-split", "", "--output-dir", str(tmp_path),
                 "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "passages=5,183" in out and "809 training examples" in out


def test_train_with_the_same_seed_gives_the_same_prefix(tmp_path, samples, tiny_bert_dir):
    """--seed covers the prefix's initialisation too (torch seeds every process at random otherwise)."""
    import torch

    from dptdr_mini.model.checkpoint import load_tensors

    weights = []
    for run in ("a", "b"):
        torch.manual_seed(len(weights))  # a different process-wide RNG state before each run
        assert main(["train", "--data", str(samples / "msmarco"), "--backbone", str(tiny_bert_dir),
                     "--output-dir", str(tmp_path / run), "--max-steps", "1", "--batch-size", "2", "--prefix-len", "4",
                     "--eval-split", "", "--quiet", "--seed", "5"]) == 0
        weights.append(load_tensors(tmp_path / run / "model.safetensors")[0])
    assert torch.equal(weights[0]["query_prefix.embedding.weight"], weights[1]["query_prefix.embedding.weight"])
