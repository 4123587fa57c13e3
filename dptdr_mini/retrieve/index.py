"""Encode a corpus into vectors and search them with FAISS.

Encoding tokenizes texts in one batch call, sorts them by token count so that each batch pads only
to its own longest member (little wasted compute), runs under `torch.inference_mode`, and returns
vectors in the original order. `DenseIndex` wraps an
exact inner-product index (`faiss.IndexFlatIP`); vectors save to `.npy` (loaded with
allow_pickle=False) beside a plain-text id list and `index.json`, which records the encoder that made the
vectors (`encoder_identity`): `check_encoder` refuses to search them with another model. A save writes the
three files into a new folder beside the old one and swaps the two by renames, so a failure mid-write leaves
the old index whole and searchable.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np
import torch
from tqdm.auto import tqdm

from dptdr_mini.config import at_least, option
from dptdr_mini.model.checkpoint import atomic_write_bytes
from dptdr_mini.data.loaders import Passage
from dptdr_mini.errors import CheckpointError, ConfigError, DataFormatError

INDEX_FILES = ("vectors.npy", "ids.txt", "index.json")
ENCODER_SETTINGS = ("mode", "pooling", "normalize", "passage_max_len", "prefix_len", "position_mode", "tied")


@dataclass
class EncodeConfig:
    """What `encode` writes: which corpus, with which model, where, in how many shards."""

    data: str = option("data_samples/msmarco", "data folder (any of the three layouts); --dataset replaces it")
    split: str = option("dev", "any split of the folder (the corpus is shared)")
    checkpoint: str = option("", "model.safetensors ('' = the untuned backbone of the model flags)")
    output: str = option("runs/index", "folder for vectors.npy and ids.txt (or the shard folders)")
    batch_size: int = option(64, "texts per encoding batch")
    quiet: bool = option(False, "no progress bars")
    num_shards: int = option(0, "write resumable chunked shards; passage number n goes to shard n mod N "
                             "(0: one vectors.npy, the corpus held in memory)")

    def validate(self) -> None:
        at_least(self, "batch_size", 1)
        at_least(self, "num_shards", 0)


@dataclass
class SearchConfig:
    """What `search` asks: which index, which queries, how many results, where the run goes."""

    index: str = option("runs/index", "folder written by `encode`")
    checkpoint: str = option("", "the model that encoded the index ('' = the untuned backbone of the model flags)")
    query: str = option("", "one query to search; else every query of --data/--split")
    data: str = option("data_samples/msmarco", "data folder, to show passage text or read queries")
    split: str = option("dev", "split whose queries to search")
    k: int = option(10, "results per query")
    output: str = option("", "write the run in TREC format (qid Q0 pid rank score tag)")
    recall_sample: int = option(0, "sharded index: also report recall@10 of --index-type vs flat on this many queries")

    def validate(self) -> None:
        at_least(self, "k", 1)
        at_least(self, "recall_sample", 0)


def encode_texts(model, texts: list[str], role: str, batch_size: int = 64, quiet: bool = False,
                 desc: str = "encode", chunk_size: int = 8192) -> np.ndarray:
    """-> (len(texts), hidden) float32 vectors, in the order of `texts`.

    Tokenizes a chunk of texts in one fast batch call, sorts it by token count (longest first), and
    cuts each batch to its longest member, so a batch carries almost no padding. Chunking bounds
    the memory of the token tensors on a large corpus.
    """
    out = np.zeros((len(texts), model.query_backbone.config.hidden_size), dtype=np.float32)
    left = getattr(model.tokenizer, "padding_side", "right") == "left"
    model.eval()
    with torch.inference_mode(), tqdm(total=len(texts), disable=quiet, desc=f"{desc} ({role})") as bar:
        for first in range(0, len(texts), chunk_size):
            tokens = model.tokenize(texts[first:first + chunk_size], role)    # (C, T) each, padded
            lengths = tokens["attention_mask"].sum(1)                         # (C,)
            order = torch.argsort(lengths, descending=True, stable=True)
            for start in range(0, len(order), batch_size):
                idx = order[start:start + batch_size]                         # (B,)
                width = int(lengths[idx[0]])
                batch = {k: (v[idx, -width:] if left else v[idx, :width]) for k, v in tokens.items()}
                out[first + idx.numpy()] = model.encode_batch(batch, role).float().cpu().numpy()
                bar.update(len(idx))
    bad = ~np.isfinite(out).all(axis=1)                                   # (N,) rows holding NaN/inf
    if bad.any():  # else every score is NaN, and a NaN model silently scores 0 on every metric
        raise CheckpointError(f"the model gives NaN/inf vectors for {int(bad.sum())} of {len(texts)} {role} texts "
                              "(expected finite vectors: its weights, or --backbone's, hold NaN/inf)")
    return out


def encode_corpus(model, corpus: dict[str, Passage], batch_size: int = 64, quiet: bool = False
                  ) -> tuple[list[str], np.ndarray]:
    ids = list(corpus)
    return ids, encode_texts(model, [corpus[i].full_text for i in ids], "passage", batch_size, quiet)


class DenseIndex:
    """Exact maximum-inner-product search over passage vectors."""

    def __init__(self, ids: list[str], vectors: np.ndarray):
        if len(ids) != vectors.shape[0]:
            raise ValueError(f"{len(ids)} ids for {vectors.shape[0]} vectors")
        self.ids = list(ids)
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.index = faiss.IndexFlatIP(self.vectors.shape[1])
        self.index.add(self.vectors)

    def __len__(self) -> int:
        return len(self.ids)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, list[list[str]]]:
        """(Q, H) query vectors -> (Q, k) scores and the k passage ids per query, best first."""
        k = min(k, len(self.ids))
        scores, idx = self.index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
        return scores, [[self.ids[j] for j in row if j >= 0] for row in idx]

    def save(self, folder: str | Path, encoder: dict | None = None) -> None:
        """Write vectors.npy, ids.txt and index.json (`encoder`: `encoder_identity(model)`) as one unit."""
        import io

        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise ConfigError(f"--output {folder}: is a file (expected a folder for the index)")
        foreign = sorted(p.name for p in folder.iterdir() if p.name not in INDEX_FILES) if folder.is_dir() else []
        if foreign:
            raise ConfigError(f"--output {folder}: holds files that are not an index's ({', '.join(foreign[:3])}); "
                              f"replacing the index would delete them (expected an empty folder or an index)")
        if not np.isfinite(self.vectors).all():
            bad = int((~np.isfinite(self.vectors)).any(axis=1).sum())
            raise ConfigError(f"--output {folder}: refusing to write an index in which {bad} of {len(self.ids)} "
                              "vectors hold NaN/inf (expected finite vectors: check the model that encoded them)")
        buf = io.BytesIO()
        np.save(buf, self.vectors, allow_pickle=False)
        info = {"passages": len(self.ids), "hidden": int(self.vectors.shape[1]), "encoder": encoder or {}}
        folder.parent.mkdir(parents=True, exist_ok=True)
        new = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".new"))
        try:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(new, 0o777 & ~umask)                                  # mkdtemp's 0o700 -> a plain folder's mode
            atomic_write_bytes(new / "vectors.npy", buf.getvalue())
            atomic_write_bytes(new / "ids.txt", ("\n".join(self.ids) + "\n").encode("utf-8"))
            atomic_write_bytes(new / "index.json", json.dumps(info, indent=1).encode())
            swap_folder(new, folder)
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise

    @classmethod
    def load(cls, folder: str | Path) -> "DenseIndex":
        folder = Path(folder)
        try:
            vectors = np.load(folder / "vectors.npy", allow_pickle=False)
        except (OSError, ValueError) as e:
            raise DataFormatError(folder / "vectors.npy", None, f"cannot read vectors ({e})", "a .npy float array")
        if vectors.ndim != 2 or vectors.dtype.kind != "f":
            raise DataFormatError(folder / "vectors.npy", None, f"found a {vectors.ndim}-d {vectors.dtype} array",
                                  "a .npy float array of shape (passages, hidden)")
        try:
            ids = (folder / "ids.txt").read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise DataFormatError(folder / "ids.txt", None, f"cannot read ids ({e})", "one id per vector") from None
        if len(ids) != len(vectors):
            raise DataFormatError(folder / "ids.txt", None, f"{len(ids)} ids for {len(vectors)} vectors",
                                  "one id per vector")
        return cls(ids, vectors)


def swap_folder(new: Path, folder: Path) -> None:
    """Put the complete folder `new` in place of `folder` by renames: move the old one aside, rename the new one
    in, then delete the old one. Either rename failing leaves the old folder in place."""
    old = None
    if folder.exists():
        old = folder.parent / f"{new.name[:-4]}.old"
        os.replace(folder, old)
    try:
        os.replace(new, folder)
    except BaseException:
        if old is not None:
            os.replace(old, folder)                                        # put the old index back
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def encoder_identity(model) -> dict:
    """What decides a passage vector: the backbone's weights (fingerprint), the prompt's weights (hash), and the
    encoding settings. Recorded in index.json; `check_encoder` compares a searching model against it."""
    h = hashlib.sha256()
    for name, t in sorted(model.prompt_state_dict().items()):
        h.update(name.encode())
        h.update(t.detach().float().cpu().contiguous().numpy().tobytes())
    return {"backbone": model.fingerprint, "prompt": h.hexdigest()[:16] if model.prompt_state_dict() else "",
            **{k: getattr(model.cfg, k) for k in ENCODER_SETTINGS}}


def read_index_info(folder: str | Path) -> dict | None:
    """index.json of a flat index (None for an index written before it existed)."""
    path = Path(folder) / "index.json"
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise DataFormatError(path, None, f"invalid JSON ({e})", "the index.json `encode` writes") from None


def check_encoder(folder: str | Path, model) -> None:
    """Refuse to search an index with a model other than the one that encoded it (its vectors would not match)."""
    info = read_index_info(folder)
    saved = (info or {}).get("encoder") or {}
    if not saved:
        return                                                             # an older index: nothing to compare
    own = encoder_identity(model)
    differ = [f"{k} {saved.get(k)!r} vs {own[k]!r}" for k in own if saved.get(k) != own[k]]
    if differ:
        raise ConfigError(f"--index {folder}: encoded by another model (index vs this model: {'; '.join(differ)}); "
                          "expected the --checkpoint/--backbone and model flags that encoded it")


def search_run(index: DenseIndex, query_ids: list[str], query_vectors: np.ndarray, k: int
               ) -> dict[str, dict[str, float]]:
    """A run: qid -> {pid: score} for the top k passages of each query."""
    scores, ids = index.search(query_vectors, k)
    return {qid: {pid: float(s) for pid, s in zip(row_ids, row_scores)}
            for qid, row_ids, row_scores in zip(query_ids, ids, scores)}
