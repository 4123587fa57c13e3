"""Sharded encoding: shards partition the corpus, and a run killed with
SIGKILL resumes from its last complete chunk to exactly the vectors of an uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.config import ModelConfig
from dptdr_mini.errors import ConfigError, DataFormatError
from dptdr_mini.data.corpus import iter_corpus
from dptdr_mini.retrieve.shards import ShardConfig, encode_shard, load_shard, shard_dir, shard_folders
from benchmarks.synthetic import tiny_backbone, write_msmarco_folder

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def backbone(tmp_path_factory) -> str:
    return tiny_backbone(tmp_path_factory.mktemp("tiny") / "bert")


@pytest.fixture(scope="module")
def model(backbone):
    return DenseRetriever(ModelConfig(backbone=backbone, prefix_len=0))


def test_shards_partition_the_corpus_and_match_unsharded_vectors(tmp_path, model, samples):
    out = tmp_path / "idx"
    encode_shard(model, samples / "msmarco", out, ShardConfig(shard=-1, num_shards=3, chunk_size=40, quiet=True))
    folders = shard_folders(out)
    parts = [load_shard(f) for f in folders]
    ids = [pid for p, _ in parts for pid in p]
    corpus = [pid for pid, _ in iter_corpus(samples / "msmarco")]
    assert sorted(ids) == sorted(corpus) and len(ids) == len(corpus)   # every passage exactly once
    one = tmp_path / "one"
    encode_shard(model, samples / "msmarco", one, ShardConfig(num_shards=1, chunk_size=1000, quiet=True))
    ref_ids, ref = load_shard(shard_dir(one, 0, 1))
    pos = {pid: i for i, pid in enumerate(ref_ids)}
    got = np.concatenate([v for _, v in parts])
    assert np.allclose(got, ref[[pos[p] for p in ids]], atol=1e-5)   # chunking does not change vectors


def test_float16_shards_and_changed_settings_are_refused(tmp_path, model, samples):
    out = tmp_path / "idx"
    encode_shard(model, samples / "beir", out, ShardConfig(chunk_size=100, dtype="float16", quiet=True))
    assert np.load(shard_dir(out, 0, 1) / "chunk-000000.npy").dtype == np.float16
    with pytest.raises(ConfigError, match="other settings"):
        encode_shard(model, samples / "beir", out, ShardConfig(chunk_size=50, dtype="float16", quiet=True))
    with pytest.raises(ConfigError, match="--shard 3"):
        ShardConfig(shard=3, num_shards=2).validate()


def test_an_incomplete_encoding_is_not_searchable(tmp_path, model, samples):
    out = tmp_path / "idx"
    encode_shard(model, samples / "msmarco", out, ShardConfig(shard=0, num_shards=2, chunk_size=100, quiet=True))
    with pytest.raises(DataFormatError, match="2 shard|1 shard"):
        shard_folders(out)


def test_killed_encoding_resumes_to_the_uninterrupted_vectors(tmp_path, backbone, model):
    data = write_msmarco_folder(tmp_path / "corpus", 3000, seed=1, words=30)
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "dptdr_mini", "encode", "--data", str(data), "--backbone", backbone,
           "--num-shards", "1", "--chunk-size", "100", "--batch-size", "50", "--output", str(out), "--quiet"]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    manifest = shard_dir(out, 0, 1) / "manifest.json"
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if manifest.is_file() and json.loads(manifest.read_text())["chunks"] >= 3:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed: " + proc.stderr.read().decode()[-500:]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_at = json.loads(manifest.read_text())
    assert not killed_at["complete"] and 3 <= killed_at["chunks"] < 30

    resumed = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    ids, vectors = load_shard(shard_dir(out, 0, 1))

    ref_out = tmp_path / "uninterrupted"
    encode_shard(model, data, ref_out, ShardConfig(chunk_size=100, batch_size=50, quiet=True),
                 model_id=killed_at["model"])
    ref_ids, ref = load_shard(shard_dir(ref_out, 0, 1))
    assert ids == ref_ids == [str(i) for i in range(3000)]
    assert np.array_equal(vectors, ref)


def test_encode_and_search_help_render(capsys):
    """Every flag's help text formats (a bare % in a help string breaks argparse)."""
    from dptdr_mini.cli import main
    for verb in ("encode", "search", "fetch"):
        with pytest.raises(SystemExit) as e:
            main([verb, "--help"])
        assert e.value.code == 0
    assert "--num-shards" in capsys.readouterr().out
