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


# -- one model factory, the model flags on every verb ------------------------------------------------

def _prompt_checkpoint(path, backbone_dir, **cfg):
    from dptdr_mini.config import ModelConfig
    from dptdr_mini.model.checkpoint import save_model
    from dptdr_mini.model.retriever import DenseRetriever

    save_model(path, DenseRetriever(ModelConfig(backbone=str(backbone_dir), prefix_len=4, **cfg)))
    return str(path)


def test_evaluate_untuned_mean_cosine_equals_the_demo_row(tmp_path, samples, tiny_bert_dir, capsys):
    """`evaluate --pooling mean --normalize` scores exactly what the demo's untuned row scores in-process,
    and its row says pooling and score."""
    from dptdr_mini.config import ModelConfig
    from dptdr_mini.data.loaders import load_data
    from dptdr_mini.evaluate.runs import evaluate_dense
    from dptdr_mini.model.retriever import DenseRetriever

    assert main(["evaluate", "--data", str(samples / "msmarco"), "--backbone", str(tiny_bert_dir), "--pooling", "mean",
                 "--normalize", "--quiet", "--json", str(tmp_path / "m.json")]) == 0
    assert "untuned backbone (mean, cosine)" in capsys.readouterr().out
    cli = json.loads((tmp_path / "m.json").read_text())
    demo = DenseRetriever(ModelConfig(backbone=str(tiny_bert_dir), pooling="mean", normalize=True, prefix_len=0))
    row = evaluate_dense(demo, load_data(samples / "msmarco", "dev"), "demo", quiet=True).row()
    assert {k: cli[k] for k in ("MRR@10", "nDCG@10", "R@100", "corpus")} == \
           {k: row[k] for k in ("MRR@10", "nDCG@10", "R@100", "corpus")}


def test_a_flag_that_contradicts_the_checkpoint_is_ignored_with_one_note(tmp_path, samples, tiny_bert_dir, capsys):
    """The checkpoint's own config wins: --pooling mean on a cls checkpoint prints one note and changes nothing;
    a flag that agrees with it prints none."""
    ckpt = _prompt_checkpoint(tmp_path / "model.safetensors", tiny_bert_dir)
    base = ["evaluate", "--data", str(samples / "msmarco"), "--checkpoint", ckpt, "--quiet", "--json"]
    assert main([*base, str(tmp_path / "plain.json")]) == 0
    assert capsys.readouterr().err == ""
    assert main([*base, str(tmp_path / "mean.json"), "--pooling", "mean", "--query-max-len", "32"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("note: --pooling 'mean' does not apply to") and "'cls'" in err[0]
    assert (tmp_path / "plain.json").read_text() == (tmp_path / "mean.json").read_text()


@pytest.mark.parametrize("argv,needle", [
    (["encode", "--num-shards", "-1"], "--num-shards -1: expected an integer >= 0"),
    (["search", "--recall-sample", "-2"], "--recall-sample -2: expected an integer >= 0"),
    (["explore", "--k", "0"], "--k 0: expected an integer >= 1"),
    (["explore", "--off-layer", "-2"], "--off-layer -2: expected an integer >= -1"),
    (["evaluate", "--query-max-len", "0"], "--query-max-len 0: expected an integer >= 1"),
    (["mine", "--prefix-dropout", "1"], "--prefix-dropout 1.0"),
])
def test_verb_configs_validate_their_flags(argv, needle, capsys):
    """Each flag is one config field, range-checked before anything loads; the error names the flag."""
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert needle in err and len(err.splitlines()) == 1


def test_explore_takes_the_model_flags_and_names_the_untuned_row(tmp_path, samples, tiny_bert_dir, capsys):
    ckpt = _prompt_checkpoint(tmp_path / "dpt" / "model.safetensors", tiny_bert_dir)
    assert main(["explore", "--data", str(samples / "msmarco"), "--backbone", str(tiny_bert_dir), "--checkpoint", ckpt,
                 "--pooling", "mean", "--normalize", "--k", "2"]) == 0
    out = capsys.readouterr()
    assert "== untuned backbone (mean, cosine)" in out.out and "== dpt" in out.out and "why (dpt)" in out.out
    assert "--pooling 'mean' does not apply to" in out.err          # the untuned row takes it, the prompt does not


def test_resuming_shards_with_another_untuned_pooling_is_refused(tmp_path, samples, tiny_bert_dir, capsys):
    """The shard manifest names the untuned model's encoding flags, so vectors of two poolings never mix."""
    argv = ["encode", "--data", str(samples / "msmarco"), "--backbone", str(tiny_bert_dir), "--num-shards", "2",
            "--output", str(tmp_path / "shards"), "--quiet"]
    assert main(argv) == 0
    assert main(argv) == 0                                           # same model: a no-op resume
    assert main([*argv, "--pooling", "mean"]) == 2
    assert "holds a shard written with other settings" in capsys.readouterr().err


def test_fetch_still_requires_a_dataset(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["fetch"])
    assert exit_info.value.code == 2
    assert "required: --dataset (see python -m dptdr_mini fetch --help)" in capsys.readouterr().err


def test_train_scores_step_0_and_carves_dev_from_train(tmp_path, samples, tiny_bert_dir, capsys):
    """--dev-from-train: the eval split is carved from train (disjoint), and the run reports where it started."""
    out = tmp_path / "run"
    code = main(["train", "--data", str(samples / "msmarco"), "--dev-from-train", "0.2", "--eval-split", "dev",
                 "--max-steps", "1", "--batch-size", "2", "--quiet", "--output-dir", str(out),
                 "--backbone", str(tiny_bert_dir)])
    assert code == 0
    text = capsys.readouterr().out
    assert "dev (0.2 of train) at step 0:" in text and "at step 1:" in text
    log = json.loads((out / "train_log.json").read_text())
    assert [e["step"] for e in log["evals"]] == [0, 1]
    assert json.loads((out / "train_config.json").read_text())["train"]["dev_from_train"] == 0.2


# -- the command the user ran, and --config -------------------------------------------------------

@pytest.mark.parametrize("argv0,command", [("/venv/bin/dptdr-mini", "dptdr-mini"),
                                           ("/src/dptdr_mini/__main__.py", "python -m dptdr_mini")])
def test_usage_and_errors_name_the_command_the_user_ran(monkeypatch, capsys, argv0, command):
    monkeypatch.setattr("sys.argv", [argv0])
    assert main([]) == 0
    assert capsys.readouterr().out.startswith(f"usage: {command} <verb>")
    with pytest.raises(SystemExit):
        main(["train", "--max-step", "3"])
    assert f"(see {command} train --help)" in capsys.readouterr().err


def _tiny_train(samples, backbone, out, *extra):
    return ["train", "--data", str(samples / "msmarco"), "--backbone", str(backbone), "--output-dir", str(out),
            "--max-steps", "1", "--batch-size", "2", "--prefix-len", "2", "--eval-split", "", "--quiet", *extra]


def test_a_runs_train_config_json_replays_it_with_config(tmp_path, samples, tiny_bert_dir):
    """`train --config run/train_config.json` trains the same model; only the flag given on top changes."""
    import torch

    from dptdr_mini.model.checkpoint import load_tensors

    assert main(_tiny_train(samples, tiny_bert_dir, tmp_path / "a", "--seed", "5", "--lr", "0.05")) == 0
    assert main(["train", "--config", str(tmp_path / "a" / "train_config.json"),
                 "--output-dir", str(tmp_path / "b")]) == 0
    first, again = (json.loads((tmp_path / run / "train_config.json").read_text()) for run in ("a", "b"))
    assert again["train"].pop("output_dir") == str(tmp_path / "b")
    first["train"].pop("output_dir")
    assert again == first and again["train"]["seed"] == 5 and again["train"]["lr"] == 0.05
    tensors = [load_tensors(tmp_path / run / "model.safetensors")[0] for run in ("a", "b")]
    assert all(torch.equal(tensors[0][k], tensors[1][k]) for k in tensors[0])


def test_a_yaml_config_gives_defaults_and_command_line_flags_win(tmp_path, samples, tiny_bert_dir):
    config = tmp_path / "run.yaml"
    config.write_text(f"data: {samples / 'msmarco'}\nbackbone: {tiny_bert_dir}\nprefix-len: 2\nmax_steps: 1\n"
                      f"batch_size: 2\neval_split: ''\nquiet: true\nseed: 3\nlr: 1e-3\n")
    assert main(["train", "--config", str(config), "--seed", "9", "--output-dir", str(tmp_path / "run")]) == 0
    saved = json.loads((tmp_path / "run" / "train_config.json").read_text())
    assert saved["train"]["seed"] == 9 and saved["train"]["lr"] == 1e-3 and saved["model"]["prefix_len"] == 2


@pytest.mark.parametrize("content,needle", [
    ('{"max_steps": 1, "prefix_lenght": 4}', "unknown key 'prefix_lenght'"),
    ('{"model": {"mode": "sideways"}}', "key 'mode' is 'sideways', expected one of"),
    ('{"batch_size": 2.5}', "key 'batch_size' is 2.5, expected int"),
    ('{"quiet": "yes"}', "key 'quiet' is 'yes', expected true or false"),
    ('[1, 2]', "expected a mapping"),
    ('{"max_steps": ', "not valid JSON"),
])
def test_a_bad_config_file_is_one_line_naming_the_file_and_key(tmp_path, capsys, content, needle):
    config = tmp_path / "bad.json"
    config.write_text(content)
    assert main(["train", "--config", str(config)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error: --config {config}") and needle in err and len(err.splitlines()) == 1


def test_a_config_file_value_counts_as_asked_for_like_its_flag(tmp_path, samples, tiny_bert_dir, capsys):
    """`pooling: mean` in --config on a cls checkpoint gets the same note as `--pooling mean`."""
    ckpt = _prompt_checkpoint(tmp_path / "model.safetensors", tiny_bert_dir)
    (tmp_path / "eval.json").write_text(json.dumps({"pooling": "mean", "quiet": True}))
    assert main(["evaluate", "--data", str(samples / "msmarco"), "--checkpoint", ckpt,
                 "--config", str(tmp_path / "eval.json")]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("note: --pooling 'mean' does not apply to")


def test_config_without_a_file_is_one_line(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--config"])
    err = capsys.readouterr().err.strip()
    assert exit_info.value.code == 2 and len(err.splitlines()) == 1 and "--config: expected one argument" in err


# -- evaluate on real data as it comes: run files, cut-offs, quirks ------------------------------------------

def _ir_measures_on_file(run_file, data_folder, split, measures):
    import ir_measures
    from dptdr_mini.data.loaders import load_data

    run = {}
    for r in ir_measures.read_trec_run(str(run_file)):
        run.setdefault(r.query_id, {})[r.doc_id] = r.score
    return ir_measures.calc_aggregate(measures, load_data(data_folder, split).qrels, run), run


@pytest.mark.parametrize("retriever", ["bm25", "dense"])
def test_evaluate_writes_a_trec_run_that_ir_measures_scores_the_same(tmp_path, samples, tiny_bert_dir, retriever,
                                                                     capsys):
    """The printed metrics equal ir_measures on the written run file, ties included (BM25 on the sample ties)."""
    from ir_measures import RR, R, nDCG

    run_file = tmp_path / "run.trec"
    argv = ["evaluate", "--data", str(samples / "msmarco"), "--retriever", retriever, "--json", str(tmp_path / "m.json"),
            "--run-output", str(run_file), "--run-tag", "my-run", "--quiet", "--backbone", str(tiny_bert_dir)]
    assert main(argv) == 0
    row = json.loads((tmp_path / "m.json").read_text())
    ref, run = _ir_measures_on_file(run_file, samples / "msmarco", "dev", [RR @ 10, R @ 10, R @ 100, nDCG @ 10])
    for name, measure in (("MRR@10", RR @ 10), ("R@10", R @ 10), ("R@100", R @ 100), ("nDCG@10", nDCG @ 10)):
        assert row[name] == pytest.approx(round(ref[measure], 4), abs=1e-9), name
    lines = run_file.read_text().splitlines()
    assert all(len(l.split()) == 6 and l.split()[1] == "Q0" and l.endswith(" my-run") for l in lines)
    first = [l.split() for l in lines if l.split()[0] == lines[0].split()[0]]
    assert [int(f[3]) for f in first] == list(range(1, len(first) + 1))


def test_evaluate_refuses_a_depth_below_a_cut_off_and_reports_r_at_1000_when_asked(tmp_path, samples, capsys):
    base = ["evaluate", "--data", str(samples / "beir"), "--split", "test", "--retriever", "bm25"]
    assert main(base + ["--recall-at", "100,1000"]) == 2
    assert "--depth 100: R@1000 (--recall-at) needs 1000 passages per query; expected --depth >= 1000" in \
        capsys.readouterr().err
    assert main(base + ["--recall-at", "100,1000", "--depth", "1000", "--json", str(tmp_path / "m.json")]) == 0
    row = json.loads((tmp_path / "m.json").read_text())
    assert "R@1000" in row and "R@10" not in row and row["R@1000"] >= row["R@100"]


def test_evaluate_refuses_to_write_its_run_over_an_input(tmp_path, samples, capsys):
    assert main(["evaluate", "--data", str(samples / "msmarco"), "--retriever", "bm25",
                 "--run-output", str(samples / "msmarco" / "qrels.dev.tsv")]) == 2
    assert "would overwrite the input file" in capsys.readouterr().err


def test_evaluate_drops_quirks_with_one_warning_and_strict_refuses_them(tmp_path, capsys):
    from test_data import ARGUANA_LIKE, _write

    folder = _write(tmp_path / "arguana", ARGUANA_LIKE)
    run_file = tmp_path / "run.trec"
    assert main(["evaluate", "--data", str(folder), "--split", "test", "--retriever", "bm25",
                 "--run-output", str(run_file)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("warning: ") and "judged passages missing from the corpus" in err[0]
    ranked_for_q1 = [l.split()[2] for l in run_file.read_text().splitlines() if l.startswith("q1 ")]
    assert ranked_for_q1 and "q1" not in ranked_for_q1  # its own copy is left out, as BEIR does
    assert main(["evaluate", "--data", str(folder), "--split", "test", "--retriever", "bm25", "--strict"]) == 2
    assert "unknown" in capsys.readouterr().err


def test_evaluate_scores_dpr_qa_csv_by_answer_accuracy(tmp_path, capsys):
    folder = tmp_path / "nq"
    folder.mkdir()
    (folder / "psgs.tsv").write_text("id\ttext\ttitle\n1\tThomas Jefferson wrote the Declaration\tDeclaration\n"
                                     "2\tCats purr when content\tCat\n")
    (folder / "nq-test.qa.csv").write_text("who wrote the declaration\t['Thomas Jefferson']\n"
                                           "why do cats purr\t['dogs']\n")
    assert main(["evaluate", "--data", str(folder), "--split", "test", "--retriever", "bm25",
                 "--json", str(tmp_path / "m.json")]) == 0
    row = json.loads((tmp_path / "m.json").read_text())
    assert row["Acc@20"] == 0.5 and row["queries"] == 2 and "MRR@10" not in row


def test_evaluate_min_rel_counts_only_high_grades_as_ir_measures_does(tmp_path, samples, capsys):
    """TREC DL style: --min-rel 2 for MRR and recall (trec_eval -l 2); nDCG keeps the grades."""
    from ir_measures import RR, R, nDCG

    folder = tmp_path / "graded"
    folder.mkdir()
    for name in ("corpus.jsonl", "queries.jsonl"):
        (folder / name).write_bytes((samples / "beir" / name).read_bytes())
    lines = (samples / "beir" / "qrels" / "test.tsv").read_text().splitlines()
    graded = [lines[0]] + [f"{l.rsplit(chr(9), 1)[0]}\t{1 + i % 2}" for i, l in enumerate(lines[1:])]
    (folder / "qrels").mkdir()
    (folder / "qrels" / "test.tsv").write_text("\n".join(graded) + "\n")
    run_file, out = tmp_path / "run.trec", tmp_path / "m.json"
    assert main(["evaluate", "--data", str(folder), "--split", "test", "--retriever", "bm25", "--min-rel", "2",
                 "--json", str(out), "--run-output", str(run_file)]) == 0
    row = json.loads(out.read_text())
    ref, _ = _ir_measures_on_file(run_file, folder, "test", [RR(rel=2) @ 10, R(rel=2) @ 100, nDCG @ 10])
    assert row["MRR@10"] == pytest.approx(round(ref[RR(rel=2) @ 10], 4), abs=1e-9)
    assert row["R@100"] == pytest.approx(round(ref[R(rel=2) @ 100], 4), abs=1e-9)
    assert row["nDCG@10"] == pytest.approx(round(ref[nDCG @ 10], 4), abs=1e-9)
    assert main(["evaluate", "--data", str(folder), "--split", "test", "--retriever", "bm25", "--min-rel", "0"]) == 2
    assert "--min-rel 0" in capsys.readouterr().err
