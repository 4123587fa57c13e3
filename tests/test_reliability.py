"""Nothing lost, nothing silently wrong (issue 17): hostile input by class, through the real CLI.

Each class is checked where every verb passes through it, so a property test generates hostile values for
every flag of a class and asserts one outcome: exit 2 with one `error:` line naming the flag (or a correct
result), and no input file or earlier output changed (checksums of the whole workspace before and after).
"""

from __future__ import annotations

import contextlib
import os
import dataclasses
import hashlib
import io
import shutil
from pathlib import Path

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dptdr_mini.cli import main
from dptdr_mini.config import EvalConfig, ModelConfig, TrainConfig

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
            for p in sorted(folder.rglob("*"))}


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def assert_refused(argv: list[str], needle: str, folder: Path) -> str:
    """Exit 2, exactly one `error:` line holding `needle`, and `folder` byte for byte as before."""
    before = snapshot(folder)
    code, _, err = run_cli(argv)
    lines = err.strip().splitlines()
    assert code == 2, (argv, code, err)
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], (argv, err)
    assert snapshot(folder) == before, f"{argv} changed files"
    return lines[0]


@pytest.fixture
def ws(tmp_path, samples):
    """A workspace holding its own copy of the sample data (so a verb that wrote over it would be seen)."""
    for name in ("msmarco", "beir"):
        shutil.copytree(samples / name, tmp_path / name)
    return tmp_path


def base_argv(verb: str, ws: Path, backbone: Path) -> list[str]:
    """A valid, cheap command of `verb` writing into `ws` (hostile flags are appended: the last one wins)."""
    data, bb = str(ws / "msmarco"), str(backbone)
    return {
        "train": ["train", "--data", data, "--output-dir", str(ws / "run"), "--backbone", bb, "--max-steps", "1",
                  "--batch-size", "2", "--eval-split", "", "--prefix-len", "2", "--quiet"],
        "evaluate": ["evaluate", "--data", data, "--backbone", bb, "--json", str(ws / "m.json"), "--quiet"],
        "encode": ["encode", "--data", str(ws / "beir"), "--split", "test", "--output", str(ws / "index"),
                   "--backbone", bb, "--quiet"],
        "mine": ["mine", "--data", data, "--split", "train", "--output", str(ws / "mined.jsonl"), "--backbone", bb,
                 "--quiet"],
        "pretrain": ["pretrain", "--data", data, "--output-dir", str(ws / "rip"), "--backbone", bb, "--steps", "1",
                     "--quiet"],
    }[verb]


def verb_configs() -> dict[str, list[type]]:
    from dptdr_mini.mining.unm import MineConfig
    from dptdr_mini.retrieve.index import EncodeConfig
    from dptdr_mini.retrieve.shards import ShardConfig
    from dptdr_mini.training.rip import RIPConfig
    return {"train": [ModelConfig, TrainConfig], "evaluate": [EvalConfig, ModelConfig],
            "encode": [EncodeConfig, ModelConfig, ShardConfig], "mine": [MineConfig, ModelConfig],
            "pretrain": [RIPConfig, ModelConfig]}


SKIPPED = {"encode": {"batch_size", "num_shards", "quiet"}, "pretrain": {"mode", "tied"}}


def flags_of(kind: type) -> list[tuple[str, str]]:
    """(verb, --flag) for every field of type `kind` of every config a verb takes."""
    out = []
    for verb, classes in verb_configs().items():
        for cls in classes:
            for f in dataclasses.fields(cls):
                if type(f.default) is kind and f.name not in SKIPPED.get(verb, ()):
                    out.append((verb, "--" + f.name.replace("_", "-")))
    return sorted(set(out))


FLOAT_FLAGS = flags_of(float)
NON_FINITE = ["nan", "NaN", "-nan", "inf", "-inf", "Infinity", "-Infinity", "1e999", "-1e999", "+inf"]


def test_every_float_flag_is_enumerated():
    assert ("train", "--lr") in FLOAT_FLAGS and ("train", "--temperature") in FLOAT_FLAGS
    assert ("train", "--max-grad-norm") in FLOAT_FLAGS and ("pretrain", "--max-grad-norm") in FLOAT_FLAGS
    assert len(FLOAT_FLAGS) >= 20


# -- class 1: numbers that are not numbers ------------------------------------------------------------

@SETTINGS
@given(st.sampled_from(FLOAT_FLAGS), st.sampled_from(NON_FINITE))
def test_a_non_finite_float_flag_is_refused_naming_it(ws, tiny_bert_dir, verb_flag, value):
    """Every float flag of train/evaluate/encode/mine/pretrain refuses NaN and +-inf before anything is written."""
    verb, flag = verb_flag
    line = assert_refused(base_argv(verb, ws, tiny_bert_dir) + [f"{flag}={value}"], flag, ws)
    assert "finite" in line


OUT_OF_RANGE = [("train", "--max-grad-norm", v) for v in ("0", "-1", "-1e-9", "-1e300")] + [
    ("pretrain", "--max-grad-norm", v) for v in ("0", "-1")] + [
    ("train", "--temperature", v) for v in ("0", "-0.0", "-1", "-1e-30")] + [
    ("train", "--weight-decay", "-0.01"), ("train", "--lr", "-1e-3"), ("pretrain", "--lr", "-1"),
    ("train", "--warmup-ratio", "1"), ("train", "--warmup-ratio", "-0.5"), ("train", "--prefix-dropout", "1"),
    ("train", "--dev-from-train", "1"), ("evaluate", "--dev-from-train", "-0.1"), ("mine", "--margin", "-1")]


@SETTINGS
@given(st.sampled_from(OUT_OF_RANGE))
def test_an_out_of_range_float_is_refused_naming_it(ws, tiny_bert_dir, case):
    """A negative or zero clipping norm (gradient ascent / a no-op), a temperature <= 0, a negative decay..."""
    verb, flag, value = case
    assert_refused(base_argv(verb, ws, tiny_bert_dir) + [f"{flag}={value}"], flag, ws)


def test_a_diverging_run_stops_naming_the_step_and_saves_no_nan_model(ws, tiny_bert_dir):
    """--lr 1e30 blows the prefix up after one step: the run stops at the step whose loss is not finite."""
    code, _, err = run_cli(base_argv("train", ws, tiny_bert_dir) + ["--lr", "1e30", "--max-steps", "6",
                                                                    "--warmup-ratio", "0", "--save-every", "1000"])
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "training diverged at step 2: loss nan" in err, err
    assert not (ws / "run" / "model.safetensors").exists()


def test_no_checkpoint_with_nan_is_written_or_loaded(ws, tiny_bert_dir):
    """save_tensors refuses a NaN tensor; a NaN file written by other means is refused on load, and by evaluate."""
    from safetensors.torch import save as st_save

    from dptdr_mini.errors import CheckpointError
    from dptdr_mini.model.checkpoint import FORMAT, load_tensors, save_tensors

    bad = {"query_prefix.embedding.weight": torch.tensor([[0.1, float("nan")], [float("inf"), 0.0]])}
    with pytest.raises(CheckpointError, match="non-finite"):
        save_tensors(ws / "nan.safetensors", bad, {})
    assert not (ws / "nan.safetensors").exists()
    (ws / "nan.safetensors").write_bytes(st_save(bad, metadata={"format": FORMAT}))
    with pytest.raises(CheckpointError, match="2 non-finite"):
        load_tensors(ws / "nan.safetensors")
    assert_refused(["evaluate", "--data", str(ws / "msmarco"), "--checkpoint", str(ws / "nan.safetensors"),
                    "--quiet", "--json", str(ws / "m.json")], "non-finite", ws)


# -- class 2: runs that cannot learn or encode ---------------------------------------------------------

CANNOT_RUN = [(v, "--prefix-len", n) for v in ("train", "pretrain") for n in ("100000", "10000000000", str(10**30))] + [
    ("train", "--prefix-hidden", n) for n in ("1000000000", str(10**30))] + [
    (v, flag, n) for v in ("train", "evaluate", "encode") for flag in ("--query-max-len", "--passage-max-len")
    for n in ("-1", "0", "1", "2")] + [
    ("train", "--batch-size", "1"), ("pretrain", "--batch-size", "1"), ("train", "--temperature", "0")]


@SETTINGS
@given(st.sampled_from(CANNOT_RUN))
def test_a_run_that_cannot_learn_or_encode_is_refused_with_the_reason(ws, tiny_bert_dir, case):
    """A prefix larger than the backbone (refused before it is allocated), a max length that leaves no room
    beside [CLS] and [SEP], one candidate per query (loss 0): exit 2 naming the flag, nothing written."""
    verb, flag, value = case
    extra = ["--prefix-projection"] if flag == "--prefix-hidden" else []
    extra += ["--negatives", "0"] if (verb, flag) == ("train", "--batch-size") else []
    extra += ["--update", "prompt"] if (verb, flag) == ("pretrain", "--prefix-len") else []
    assert_refused(base_argv(verb, ws, tiny_bert_dir) + extra + [f"{flag}={value}"], flag, ws)


def test_a_single_training_example_without_negatives_is_refused(ws, tiny_bert_dir):
    """A train file of one line and --negatives 0: even at --batch-size 8 the batch has one candidate."""
    import json
    line = {"query_id": "q1", "query": "why do cats purr", "positives": ["0"], "negatives": []}
    (ws / "one.jsonl").write_text(json.dumps(line) + "\n")
    collection = (ws / "msmarco" / "collection.tsv").read_text().splitlines()[0].split("\t")[0]
    line["positives"] = [collection]
    (ws / "one.jsonl").write_text(json.dumps(line) + "\n")
    assert_refused(base_argv("train", ws, tiny_bert_dir) + ["--train-file", str(ws / "one.jsonl"), "--negatives", "0",
                                                           "--batch-size", "8"], "nothing learns", ws)


def test_the_smallest_max_len_that_encodes_text_is_accepted(tiny_bert_dir, tokenizer):
    """3 = [CLS] + one token + [SEP]: accepted, and two different words give two different vectors."""
    from dptdr_mini.model.retriever import DenseRetriever

    model = DenseRetriever(ModelConfig(backbone=str(tiny_bert_dir), prefix_len=0, query_max_len=3))
    vecs = model.encode(["cats", "dogs"], "query")
    assert not torch.allclose(vecs[0], vecs[1])


# -- class 3: an output path that is an input, or an earlier run ---------------------------------------

def aliases(ws: Path, target: Path) -> list[str]:
    """Ways to name `target`: as is, through `..`, through a symlinked folder, through a symlinked file."""
    link_dir = ws / f"link-to-parent-of-{target.name}"
    if not link_dir.exists():
        link_dir.symlink_to(target.parent, target_is_directory=True)
    link = ws / f"link-to-{target.name}"
    if not link.exists() and not link.is_symlink():
        link.symlink_to(target, target_is_directory=target.is_dir())
    return [str(target), str(target.parent / ".." / target.parent.name / target.name), str(link_dir / target.name),
            str(link)]


def output_over_input_cases(ws: Path, tiny_bert_dir: Path) -> list[tuple[list[str], str]]:
    """(argv, output flag) for every verb whose output flag names one of its inputs."""
    data = ws / "msmarco"
    train_file = ws / "train.jsonl"
    train_file.write_text('{"query_id": "q1", "query": "cats", "positives": ["0"], "negatives": ["1"]}\n')
    index = ws / "index"
    index.mkdir(exist_ok=True)
    (index / "ids.txt").write_text("0\n")
    cases = []
    for alias in aliases(ws, data / "collection.tsv"):
        cases.append((base_argv("mine", ws, tiny_bert_dir) + ["--output", alias], "--output"))
    for alias in aliases(ws, data / "qrels.dev.tsv"):
        cases.append((base_argv("evaluate", ws, tiny_bert_dir) + ["--json", alias], "--json"))
    for alias in aliases(ws, data):
        cases.append((base_argv("encode", ws, tiny_bert_dir) + ["--data", alias, "--output", str(data)],
                      "--output"))
        cases.append((base_argv("train", ws, tiny_bert_dir) + ["--output-dir", alias], "--output-dir"))
    for alias in aliases(ws, train_file):
        cases.append((base_argv("train", ws, tiny_bert_dir) + ["--train-file", str(train_file), "--output-dir",
                                                               str(ws)], "--output-dir"))
        cases.append((base_argv("evaluate", ws, tiny_bert_dir) + ["--checkpoint", alias, "--json",
                                                                  str(train_file)], "--json"))
    for alias in aliases(ws, index / "ids.txt"):
        cases.append((["search", "--index", str(index), "--data", str(data), "--backbone", str(tiny_bert_dir),
                       "--output", alias], "--output"))
    return cases


def test_an_output_that_names_an_input_is_refused_under_every_alias(ws, tiny_bert_dir):
    """mine --output <data>/collection.tsv, evaluate --json <qrels>, encode/train into the data folder, ...:
    refused before anything is read or written, whether named directly, through `..` or through a symlink."""
    cases = output_over_input_cases(ws, tiny_bert_dir)
    assert len(cases) >= 28
    for argv, flag in cases:
        line = assert_refused(argv, flag, ws)
        assert "which this verb reads" in line


def test_a_finished_run_is_refused_without_resume_or_overwrite(ws, tiny_bert_dir):
    """A second `train` into a finished run's folder would replace its checkpoints: refused; a failing
    --overwrite run leaves the old run (train_config.json included) byte for byte; --overwrite succeeds."""
    argv = base_argv("train", ws, tiny_bert_dir)
    assert run_cli(argv)[0] == 0
    assert_refused(argv, "holds an earlier run", ws)
    assert_refused(argv + ["--overwrite", "--lr", "1e30", "--max-steps", "6", "--warmup-ratio", "0",
                           "--save-every", "1000"], "diverged at step 2", ws)
    assert run_cli(argv + ["--overwrite", "--seed", "7"])[0] == 0
    assert '"seed": 7' in (ws / "run" / "train_config.json").read_text()


def test_a_failed_first_run_leaves_no_folder(ws, tiny_bert_dir):
    assert_refused(base_argv("train", ws, tiny_bert_dir) + ["--lr", "1e30", "--max-steps", "6", "--warmup-ratio",
                                                           "0", "--save-every", "1000"], "diverged", ws)
    assert not (ws / "run").exists()


def test_two_runs_on_one_folder_do_not_interleave(ws, tiny_bert_dir):
    """While one run holds the folder's lock, a second is refused at once (and the lock dies with its holder)."""
    from dptdr_mini.outputs import run_folder

    with run_folder(ws / "run"):
        assert_refused(base_argv("train", ws, tiny_bert_dir), "another run is writing", ws)
    assert run_cli(base_argv("train", ws, tiny_bert_dir))[0] == 0


# -- class 4: a write that can half-happen; class 5: artifacts that say what made them -------------------

@pytest.fixture
def other_bert_dir(tmp_path_factory, tokenizer) -> Path:
    from tests.conftest import make_tiny_bert
    path = tmp_path_factory.mktemp("other-bert")
    make_tiny_bert(tokenizer, seed=1).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def search_argv(ws: Path, backbone: Path, *extra: str) -> list[str]:
    return ["search", "--index", str(ws / "index"), "--data", str(ws / "beir"), "--split", "test", "--backbone",
            str(backbone), "--query", "what makes bread rise", "--k", "3", *extra]


def test_a_failed_re_encode_leaves_the_old_index_whole_and_searchable(ws, tiny_bert_dir, monkeypatch):
    """vectors.npy, ids.txt and index.json are replaced as one unit: a disk that fills up at any of the three
    writes, or a failing swap, leaves the earlier index byte for byte, and search still works."""
    import errno

    import dptdr_mini.retrieve.index as index_module

    assert run_cli(base_argv("encode", ws, tiny_bert_dir))[0] == 0
    before = snapshot(ws)
    real_write, real_replace = index_module.atomic_write_bytes, os.replace
    for failing in ("vectors.npy", "ids.txt", "index.json", "swap"):
        def write(path, payload, failing=failing):
            if Path(path).name == failing:
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
            real_write(path, payload)

        def replace(src, dst, failing=failing):
            if failing == "swap" and str(src).endswith(".new"):
                raise OSError(errno.ENOSPC, "No space left on device", str(dst))
            real_replace(src, dst)
        monkeypatch.setattr(index_module, "atomic_write_bytes", write)
        monkeypatch.setattr(index_module.os, "replace", replace)
        code, _, err = run_cli(base_argv("encode", ws, tiny_bert_dir) + ["--passage-max-len", "16"])
        monkeypatch.undo()
        assert code == 2 and "No space left" in err, (failing, err)
        assert snapshot(ws) == before, f"failing {failing} changed the index"
        assert run_cli(search_argv(ws, tiny_bert_dir))[0] == 0


def test_search_refuses_an_index_made_by_another_model(ws, tiny_bert_dir, other_bert_dir):
    """index.json records the encoder; another backbone, pooling, normalisation or max length is refused."""
    import json

    assert run_cli(base_argv("encode", ws, tiny_bert_dir))[0] == 0
    info = json.loads((ws / "index" / "index.json").read_text())
    assert info["encoder"]["pooling"] == "cls" and info["passages"] > 0
    assert run_cli(search_argv(ws, tiny_bert_dir))[0] == 0
    for extra, needle in ((["--backbone", str(other_bert_dir)], "backbone"), (["--pooling", "mean"], "pooling"),
                          (["--normalize"], "normalize"), (["--passage-max-len", "16"], "passage_max_len")):
        assert_refused(search_argv(ws, tiny_bert_dir, *extra), "encoded by another model", ws)
        assert needle in run_cli(search_argv(ws, tiny_bert_dir, *extra))[2]


def test_re_encoding_into_a_folder_with_other_files_is_refused(ws, tiny_bert_dir):
    (ws / "index").mkdir()
    (ws / "index" / "notes.txt").write_text("mine\n")
    assert_refused(base_argv("encode", ws, tiny_bert_dir), "not an index's", ws)


def test_resume_refuses_changed_model_or_data_settings(ws, tiny_bert_dir):
    """A run started with one set of model/data flags is not continued with another (the batches or the model
    would change mid-run); flags that may change (--max-steps) are accepted and the run goes on."""
    argv = base_argv("train", ws, tiny_bert_dir) + ["--max-steps", "2", "--save-every", "1"]
    assert run_cli(argv[:-4] + ["--max-steps", "1"])[0] == 0
    for flag, value in (("--pooling", "mean"), ("--prefix-len", "3"), ("--batch-size", "3"), ("--seed", "1"),
                        ("--negatives", "2"), ("--split", "dev"), ("--normalize", None)):
        extra = [flag] if value is None else [flag, value]
        line = assert_refused(argv + ["--resume"] + extra, "started with other settings", ws)
        assert flag in line
    code, out, err = run_cli(argv + ["--resume"])
    assert code == 0 and "trained 2 steps" in out, err


# -- class 6: training data that contradicts itself ----------------------------------------------------

@SETTINGS
@given(st.lists(st.tuples(st.lists(st.sampled_from("abcdef"), min_size=1, max_size=3, unique=True),
                          st.lists(st.sampled_from("abcdefgh"), max_size=6)), min_size=1, max_size=5))
def test_negatives_that_are_positives_are_dropped_and_counted(capsys, records):
    """Whatever overlaps: no kept negative is a positive of its query, every other negative is kept in order,
    and one warning line gives the exact count (none when nothing overlaps)."""
    from dptdr_mini.data.examples import TrainExample, drop_negatives_that_are_positives

    examples = [TrainExample(f"q{i}", "text", list(pos), list(neg)) for i, (pos, neg) in enumerate(records)]
    expected = sum(n in pos for pos, neg in records for n in neg)
    drop_negatives_that_are_positives(examples, "file.jsonl")
    err = capsys.readouterr().err.strip().splitlines()
    for ex, (pos, neg) in zip(examples, records):
        assert ex.negatives == [n for n in neg if n not in pos]
    assert err == ([] if not expected else [err[0]]) and (not expected or f"dropped {expected} hard" in err[0])


def test_a_train_file_and_a_dpr_record_with_their_own_positive_as_negative_train_with_one_warning(ws, samples,
                                                                                                 tiny_bert_dir):
    import json

    collection = [l.split("\t")[0] for l in (ws / "msmarco" / "collection.tsv").read_text().splitlines()[:3]]
    lines = [{"query_id": "q1", "query": "why do cats purr", "positives": [collection[0]],
              "negatives": [collection[0], collection[1]]},
             {"query_id": "q2", "query": "why do dogs bark", "positives": [collection[1]],
              "negatives": [collection[2], collection[1]]}]
    (ws / "t.jsonl").write_text("".join(json.dumps(l) + "\n" for l in lines))
    code, _, err = run_cli(base_argv("train", ws, tiny_bert_dir) + ["--train-file", str(ws / "t.jsonl")])
    warnings = [l for l in err.splitlines() if l.startswith("warning:")]
    assert code == 0 and len(warnings) == 1 and "dropped 2 hard negative(s)" in warnings[0] and "in 2 queries" in \
        warnings[0], err
    nq = ws / "nq"
    shutil.copytree(samples / "nq", nq)
    items = json.loads((nq / "nq-train.json").read_text())
    items[0]["hard_negative_ctxs"] = items[0]["hard_negative_ctxs"] + items[0]["positive_ctxs"][:1]
    (nq / "nq-train.json").write_text(json.dumps(items))
    argv = base_argv("train", ws, tiny_bert_dir) + ["--data", str(nq), "--output-dir", str(ws / "run-nq")]
    code, _, err = run_cli(argv)
    warnings = [l for l in err.splitlines() if l.startswith("warning:")]
    assert code == 0 and len(warnings) == 1 and "dropped 1 hard negative(s)" in warnings[0], err


# -- class 1 again: integers ------------------------------------------------------------------------------

INT_FLAGS = flags_of(int)
STEP_COUNTS = {"--max-steps", "--steps", "--epochs"}  # huge = a run that is correct but never ends here
HOSTILE_INTS = ["-1", "-2", str(-2**63), str(-10**30), str(2**63), str(10**30)]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(INT_FLAGS), st.sampled_from(HOSTILE_INTS))
def test_a_hostile_integer_flag_is_refused_naming_it_or_runs_correctly(ws, tiny_bert_dir, verb_flag, value):
    """Negative and huge values of every int flag: exit 2 with one line naming the flag, or exit 0; never a
    traceback, and no input changed either way."""
    verb, flag = verb_flag
    if flag in STEP_COUNTS and int(value) > 0:
        value = "1"
    data_before = {k: v for k, v in snapshot(ws).items() if k.startswith(("msmarco", "beir"))}
    code, _, err = run_cli(base_argv(verb, ws, tiny_bert_dir) + [f"{flag}={value}"])
    assert code in (0, 2), (flag, value, err[-2000:])
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and flag in lines[0], (flag, value, err[-2000:])
    assert {k: v for k, v in snapshot(ws).items() if k.startswith(("msmarco", "beir"))} == data_before
    for out in ("run", "rip", "index", "m.json", "mined.jsonl"):
        path = ws / out
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


def test_the_largest_seed_is_accepted_and_an_index_of_nan_vectors_is_not_written(tmp_path):
    import numpy as np

    from dptdr_mini.config import check_numbers
    from dptdr_mini.errors import ConfigError
    from dptdr_mini.retrieve.index import DenseIndex

    check_numbers(TrainConfig(seed=2**32 - 1))
    with pytest.raises(ConfigError, match="--seed"):
        check_numbers(TrainConfig(seed=2**32))
    vectors = np.ones((2, 4), np.float32)
    vectors[1, 2] = np.nan
    with pytest.raises(ConfigError, match="1 of 2 vectors hold NaN"):
        DenseIndex(["a", "b"], vectors).save(tmp_path / "index")
    assert not (tmp_path / "index").exists() and not list(tmp_path.iterdir())


def test_evaluate_refuses_a_backbone_with_nan_weights_instead_of_scoring_it_zero(ws, tokenizer):
    """A NaN weight that does not come through a checkpoint (a Hugging Face folder) is caught where every verb
    encodes: evaluate exits 2 instead of printing MRR@10 0.0000."""
    from tests.conftest import make_tiny_bert

    bert = make_tiny_bert(tokenizer)
    with torch.no_grad():
        bert.embeddings.word_embeddings.weight[:, 0] = float("nan")
    bert.save_pretrained(ws / "nan-bert")
    tokenizer.save_pretrained(ws / "nan-bert")
    line = assert_refused(["evaluate", "--data", str(ws / "msmarco"), "--backbone", str(ws / "nan-bert"), "--quiet",
                           "--json", str(ws / "m.json")], "NaN/inf vectors", ws)
    assert "query texts" in line or "passage texts" in line


def test_pretrain_refuses_a_folder_holding_an_earlier_result_unless_overwrite(ws, tiny_bert_dir):
    argv = base_argv("pretrain", ws, tiny_bert_dir) + ["--batch-size", "4"]
    code, _, err = run_cli(argv)
    assert code == 0, err
    assert_refused(argv, "holds an earlier run", ws)
    assert run_cli(argv + ["--overwrite"])[0] == 0


def test_a_run_held_by_another_process_is_refused_and_its_kill_frees_the_folder(ws, tiny_bert_dir):
    """The lock is between processes (flock), and the kernel drops it when its holder dies: no stale lock."""
    import subprocess
    import sys

    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom dptdr_mini.outputs import run_folder\n"
                               f"with run_folder({str(ws / 'run')!r}):\n    print('locked', flush=True)\n"
                               "    time.sleep(60)\n"], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parents[1])
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert_refused(base_argv("train", ws, tiny_bert_dir), "another run is writing", ws)
    finally:
        holder.kill()
        holder.wait()
    code, _, err = run_cli(base_argv("train", ws, tiny_bert_dir))
    assert code == 0, err
