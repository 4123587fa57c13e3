"""Interrupted work, for real: `python -m dptdr_mini train` killed with SIGKILL, then `--resume`d.

The resumed run must end with the weights of an uninterrupted run (to 1e-6, CPU, fixed seed): the
checkpoint carries the optimizer moments, the step (so the schedule and the data order continue) and
the RNG state. And a kill in the middle of writing a file must never leave a file that loads as valid
but is not one of the complete versions.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from dptdr_mini.model.checkpoint import load_tensors, save_tensors
from dptdr_mini.errors import CheckpointError

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false",
       "PYTHONPATH": str(ROOT)}
TOTAL, KILL_AFTER = 16, 3


@pytest.fixture(scope="module")
def tiny_backbone(tmp_path_factory) -> Path:
    """A 2-layer, 32-wide random BERT with the bundled tokenizer, saved as a Hugging Face folder."""
    from transformers import AutoTokenizer, BertConfig, BertModel

    from dptdr_mini.model.backbone import default_backbone_path

    tok = AutoTokenizer.from_pretrained(default_backbone_path())
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("tiny-bert")
    BertModel(BertConfig(vocab_size=tok.vocab_size, num_hidden_layers=2, hidden_size=32, num_attention_heads=2,
                         intermediate_size=64, max_position_embeddings=256)).save_pretrained(path)
    tok.save_pretrained(path)
    return path


def train_cmd(backbone: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "dptdr_mini", "train", "--data", str(ROOT / "data_samples" / "msmarco"),
            "--backbone", str(backbone), "--output-dir", str(out), "--max-steps", str(TOTAL), "--batch-size", "4",
            "--prefix-len", "4", "--passage-max-len", "48", "--seed", "7", "--lr", "0.05", "--save-every", "1",
            "--eval-split", "", "--quiet", *extra]


def saved_step(path: Path) -> int:
    """The step in a checkpoint's metadata, read from the header only (no torch); -1 if none yet."""
    try:
        raw = path.read_bytes()
        header = json.loads(raw[8:8 + int.from_bytes(raw[:8], "little")])
        return int(header["__metadata__"]["step"])
    except (OSError, ValueError, KeyError):
        return -1


def test_sigkill_then_resume_ends_with_the_uninterrupted_weights(tmp_path, tiny_backbone):
    full, cut = tmp_path / "full", tmp_path / "cut"
    subprocess.run(train_cmd(tiny_backbone, full), env=ENV, check=True, capture_output=True, timeout=300)

    proc = subprocess.Popen(train_cmd(tiny_backbone, cut), env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while saved_step(cut / "last.safetensors") < KILL_AFTER:
        assert proc.poll() is None, "training ended before it could be killed"
        assert time.monotonic() < deadline, "no checkpoint appeared"
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = saved_step(cut / "last.safetensors")
    assert proc.returncode == -signal.SIGKILL and KILL_AFTER <= killed_at < TOTAL
    assert not (cut / "model.safetensors").exists(), "the run finished before the kill"

    # Mark the checkpoint's loss history: a run that restarted from scratch instead of resuming would lose it.
    tensors, meta = load_tensors(cut / "last.safetensors")
    meta["losses"] = json.dumps([123.0] + json.loads(meta["losses"])[1:])
    save_tensors(cut / "last.safetensors", tensors, {k: v for k, v in meta.items() if k != "format"})

    subprocess.run(train_cmd(tiny_backbone, cut, "--resume"), env=ENV, check=True, capture_output=True, timeout=300)
    done, _ = load_tensors(cut / "model.safetensors")
    want, _ = load_tensors(full / "model.safetensors")
    assert done.keys() == want.keys()
    for name in want:
        torch.testing.assert_close(done[name], want[name], atol=1e-6, rtol=0, msg=f"{name} differs after resume")
    log_cut = json.loads((cut / "train_log.json").read_text())["losses"]
    log_full = json.loads((full / "train_log.json").read_text())["losses"]
    assert log_cut[0] == 123.0, "the second run did not resume from the checkpoint"
    assert len(log_cut) == TOTAL and log_cut[1:] == pytest.approx(log_full[1:], abs=1e-6)


WRITER = """
import sys
from pathlib import Path
from dptdr_mini.model.checkpoint import atomic_write_bytes
target, payloads = sys.argv[1], [Path(p).read_bytes() for p in sys.argv[2:]]
i = 0
while True:
    atomic_write_bytes(target, payloads[i % len(payloads)])
    i += 1
    print(i, flush=True)
"""


def checkpoint_bytes(value: float, size: int = 4_000_000) -> bytes:
    """A real dptdr-mini checkpoint of `size` float32 values, all `value`."""
    from safetensors.torch import save

    from dptdr_mini.model.checkpoint import FORMAT

    return save({"w": torch.full((size,), value)}, metadata={"format": FORMAT, "step": str(int(value))})


@pytest.mark.parametrize("writes_before_kill", [0, 3])
def test_a_kill_during_a_write_leaves_the_old_file_or_the_new_one(tmp_path, writes_before_kill):
    """Killed while a temp file is being written: the target is absent, or one complete version, and the
    leftover temp file is hidden (dot name, .tmp suffix), so nothing that looks for checkpoints loads it."""
    payloads = [checkpoint_bytes(1.0), checkpoint_bytes(2.0)]
    sources = []
    for i, payload in enumerate(payloads):
        sources.append(tmp_path / f"payload{i}.bin")
        sources[-1].write_bytes(payload)
    folder = tmp_path / "run"
    folder.mkdir()
    target = folder / "last.safetensors"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target), *map(str, sources)], env=ENV,
                            stdout=subprocess.PIPE, text=True)
    try:
        for _ in range(writes_before_kill):
            proc.stdout.readline()  # one complete write
        deadline = time.monotonic() + 60
        while not any(p.name.endswith(".tmp") and p.stat().st_size > 0 for p in folder.iterdir()):
            assert time.monotonic() < deadline and proc.poll() is None, "the writer never started a write"
            if target.exists():  # a reader between writes sees a complete version, never a partial one
                assert target.read_bytes() in payloads
        os.kill(proc.pid, signal.SIGKILL)  # mid-write: a temp file holds part of the payload
    finally:
        proc.kill()
        proc.wait()
    if writes_before_kill == 0 and not target.exists():
        pass  # the first write never finished: no file at all is the right answer
    else:
        assert target.read_bytes() in payloads
        tensors, meta = load_tensors(target)
        assert meta["step"] in ("1", "2") and torch.equal(tensors["w"], torch.full_like(tensors["w"], float(meta["step"])))
    assert sorted(p.name for p in folder.glob("*.safetensors")) == ([target.name] if target.exists() else [])
    for leftover in folder.iterdir():
        if leftover != target:
            assert leftover.name.startswith(".last.safetensors.") and leftover.name.endswith(".tmp")
            if leftover.read_bytes() not in payloads:
                with pytest.raises(CheckpointError):
                    load_tensors(leftover)  # a partial temp file never loads


WRITES = {"write_text", "write_bytes", "to_csv", "to_parquet", "to_json", "savefig"}  # methods that write a file


def non_atomic_writes(source: str, filename: str) -> list[str]:
    """'file:line: call' for each write that bypasses atomic_write_bytes (a kill could leave half a file)."""
    import ast

    hits = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func)
        mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
        writes_file = name in ("open", "io.open") and isinstance(mode, ast.Constant) and set(str(mode.value)) & set("wax")
        if writes_file or name in ("json.dump", "torch.save") or (
                isinstance(node.func, ast.Attribute) and node.func.attr in WRITES):
            line = source.splitlines()[node.lineno - 1]
            if "# atomic:" not in line:  # a streamed write to a temp file that is renamed into place
                hits.append(f"{filename}:{node.lineno}: {name}(")
    return hits


def test_the_package_writes_files_only_through_atomic_write_bytes():
    hits = [hit for path in sorted((ROOT / "dptdr_mini").rglob("*.py")) if path.name != "checkpoint.py"
            for hit in non_atomic_writes(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))]
    assert not hits, "write these through checkpoint.atomic_write_bytes:\n" + "\n".join(hits)
    assert non_atomic_writes("x = 1\nwith open(p, 'w') as f:\n    json.dump(d, f)", "bad.py") == [
        "bad.py:2: open(", "bad.py:3: json.dump("]
