"""Sharded, resumable corpus encoding: 8.8M or 21M passages without holding them in memory.

`encode_shard` streams the corpus file line by line through `data/corpus.iter_corpus` (the reader the
loaders and RIP use, so the encoded passages are the loaded ones); passage number n belongs to shard
n % num_shards (so N machines or GPUs can each run one shard, `encode --shard i --num-shards N`).
A shard is written in chunks of `chunk_size` passages:

    <output>/shard-00-of-04/chunk-000000.npy   (n, hidden) float32 or float16 vectors
                            chunk-000000.ids   one passage id a line, same order
                            manifest.json      chunks done, passages done, model, data, complete

Each chunk's two files are written atomically, then the manifest (the commit point). A killed run
restarts after the last chunk the manifest names and produces the same vectors as an uninterrupted
run (a chunk always holds the same passages, encoded in the same batches). Peak memory is one
chunk of text and vectors plus the model, and the reader's set of ids seen (under 1 GB at 8.8M).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from dptdr_mini.model.checkpoint import atomic_write_bytes
from dptdr_mini.config import option
from dptdr_mini.data.corpus import iter_corpus
from dptdr_mini.errors import ConfigError, DataFormatError
from dptdr_mini.retrieve.index import encode_texts


@dataclass
class ShardConfig:
    """Which slice of the corpus this process encodes, and how it is written."""

    shard: int = option(0, "this process encodes shard i of --num-shards (-1 = every shard, one after another)")
    num_shards: int = option(1, "passage number n goes to shard n mod num_shards")
    chunk_size: int = option(10_000, "passages per chunk file; a killed run resumes after the last complete chunk")
    dtype: str = option("float32", "vector precision on disk (float16 halves the size)", ("float32", "float16"))
    batch_size: int = option(64, "texts per encoding batch")
    quiet: bool = option(False, "no progress bars")

    def validate(self) -> None:
        if self.num_shards < 1:
            raise ConfigError(f"--num-shards {self.num_shards}: expected an integer >= 1")
        if not -1 <= self.shard < self.num_shards:
            raise ConfigError(f"--shard {self.shard}: expected 0..{self.num_shards - 1} (or -1 for all)")
        for name in ("chunk_size", "batch_size"):
            if getattr(self, name) < 1:
                raise ConfigError(f"--{name.replace('_', '-')} {getattr(self, name)}: expected an integer >= 1")
        if self.dtype not in ("float32", "float16"):
            raise ConfigError(f"--dtype {self.dtype!r}: expected float32 or float16")


def shard_dir(output: str | Path, shard: int, num_shards: int) -> Path:
    return Path(output) / f"shard-{shard:02d}-of-{num_shards:02d}"


def _read_manifest(folder: Path) -> dict | None:
    path = folder / "manifest.json"
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as e:
        raise DataFormatError(path, e.lineno, f"invalid JSON: {e.msg}", "a shard manifest") from None


def _save_chunk(folder: Path, chunk: int, ids: list[str], vectors: np.ndarray) -> None:
    buf = io.BytesIO()
    np.save(buf, vectors, allow_pickle=False)
    atomic_write_bytes(folder / f"chunk-{chunk:06d}.npy", buf.getvalue())
    atomic_write_bytes(folder / f"chunk-{chunk:06d}.ids", ("\n".join(ids) + "\n").encode("utf-8"))


def encode_shard(model, data: str | Path, output: str | Path, cfg: ShardConfig, model_id: str = "") -> dict:
    """Encode shard `cfg.shard` of the corpus at `data` into `output`; resume if a manifest exists.

    `model_id` names the model (checkpoint path and backbone fingerprint): resuming with another
    model or other shard settings is refused rather than mixing vectors. Returns the manifest.
    """
    cfg.validate()
    if cfg.shard == -1:
        return {"shards": [encode_shard(model, data, output, ShardConfig(**{**asdict(cfg), "shard": s}), model_id)
                           for s in range(cfg.num_shards)]}
    folder = shard_dir(output, cfg.shard, cfg.num_shards)
    folder.mkdir(parents=True, exist_ok=True)
    identity = {"data": str(Path(data).resolve()), "model": model_id or model.fingerprint, "shard": cfg.shard,
                "num_shards": cfg.num_shards, "chunk_size": cfg.chunk_size, "dtype": cfg.dtype,
                "hidden": model.query_backbone.config.hidden_size}
    manifest = _read_manifest(folder) or {**identity, "chunks": 0, "passages": 0, "complete": False}
    changed = {k: (manifest.get(k), v) for k, v in identity.items() if manifest.get(k) != v}
    if changed:
        raise ConfigError(f"{folder}: holds a shard written with other settings {changed} "
                          "(use another --output or delete the folder)")
    if manifest["complete"]:
        return manifest
    skip = manifest["chunks"] * cfg.chunk_size            # shard-local passages already on disk
    dtype = np.float16 if cfg.dtype == "float16" else np.float32
    bar = tqdm(disable=cfg.quiet, desc=f"encode shard {cfg.shard}/{cfg.num_shards}", unit=" passages",
               initial=manifest["passages"])
    ids: list[str] = []
    texts: list[str] = []

    def flush() -> None:
        vectors = encode_texts(model, texts, "passage", cfg.batch_size, quiet=True).astype(dtype)  # (n, hidden)
        _save_chunk(folder, manifest["chunks"], ids, vectors)
        manifest["chunks"] += 1
        manifest["passages"] += len(ids)
        atomic_write_bytes(folder / "manifest.json", json.dumps(manifest, indent=1).encode())
        bar.update(len(ids))
        ids.clear()
        texts.clear()

    local = 0
    for n, (pid, passage) in enumerate(iter_corpus(data)):
        if n % cfg.num_shards != cfg.shard:
            continue
        local += 1
        if local <= skip:
            continue
        ids.append(pid)
        texts.append(passage.full_text)
        if len(ids) == cfg.chunk_size:
            flush()
    if ids:
        flush()
    bar.close()
    manifest["complete"] = True
    atomic_write_bytes(folder / "manifest.json", json.dumps(manifest, indent=1).encode())
    return manifest


def shard_folders(output: str | Path) -> list[Path]:
    """The shard folders of an encoding, checked complete and consistent."""
    output = Path(output)
    folders = sorted(p for p in output.glob("shard-*-of-*") if p.is_dir())
    if not folders:
        raise DataFormatError(output, None, "no shard-*-of-* folders", "the --output of `encode --num-shards`")
    manifests = [_read_manifest(f) or {} for f in folders]
    num = {m.get("num_shards") for m in manifests}
    if len(num) != 1 or len(folders) != num.pop():
        raise DataFormatError(output, None, f"found {len(folders)} shard folders for num_shards {sorted(map(str, num))}",
                              "every shard of one encoding")
    for folder, m in zip(folders, manifests):
        if not m.get("complete"):
            raise DataFormatError(folder / "manifest.json", None, "shard is not complete",
                                  "a finished `encode --shard` run (rerun it to resume)")
    return folders


def iter_chunks(folder: str | Path) -> Iterator[tuple[list[str], np.ndarray]]:
    """Yield (ids, (n, hidden) vectors as stored) chunk by chunk of one complete shard."""
    folder = Path(folder)
    manifest = _read_manifest(folder) or {}
    for c in range(manifest.get("chunks", 0)):
        path = folder / f"chunk-{c:06d}.npy"
        try:
            vectors = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as e:
            raise DataFormatError(path, None, f"cannot read vectors ({e})", "a .npy float array") from None
        ids = (folder / f"chunk-{c:06d}.ids").read_text(encoding="utf-8").splitlines()
        if len(ids) != len(vectors):
            raise DataFormatError(folder / f"chunk-{c:06d}.ids", None, f"{len(ids)} ids for {len(vectors)} vectors",
                                  "one id per vector")
        yield ids, vectors


def load_shard(folder: str | Path) -> tuple[list[str], np.ndarray]:
    """All ids and float32 vectors of one shard (one shard at a time is what search holds)."""
    ids: list[str] = []
    parts = []
    for chunk_ids, vectors in iter_chunks(folder):
        ids.extend(chunk_ids)
        parts.append(vectors.astype(np.float32))
    return ids, (np.concatenate(parts) if parts else np.zeros((0, 0), np.float32))
