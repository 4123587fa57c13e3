"""The bad-input catalogue: every case runs through the real CLI (`dptdr_mini.cli.main`) and must fail clearly.

A rejected case passes when the CLI exits 2, prints exactly one line on stderr (`error: ...`, no
traceback), the line names the file and line (or the flag) and what was expected, and the run leaves the
folder exactly as it found it: no partial output file, no input or earlier result changed or removed.
An accepted case (a BOM, blank lines, an over-long query) must exit 0 and pass its own check.

Adding a case is one row in `CASES`: a name, a description, a function that writes its input into a
workspace and returns the argv, and the two substrings its error line must contain.
`tools/error_catalogue.py` runs the same table and writes `docs/errors.md`.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parents[1]

MARCO = {"collection.tsv": "0\tcats purr when content\n1\tdogs bark at strangers\n",
         "queries.dev.tsv": "q1\twhy do cats purr\n", "qrels.dev.tsv": "q1\t0\t0\t1\n"}
BEIR = {"corpus.jsonl": '{"_id": "0", "title": "Cat", "text": "cats purr"}\n{"_id": "1", "text": "dogs bark"}\n',
        "queries.jsonl": '{"_id": "q1", "text": "why do cats purr"}\n',
        "qrels/test.tsv": "query-id\tcorpus-id\tscore\nq1\t0\t1\n"}
NQ_ITEM = {"question": "why do cats purr", "answers": ["content"], "positive_ctxs": [{"passage_id": "1"}],
           "hard_negative_ctxs": [{"passage_id": "2"}]}
NQ = {"psgs.tsv": "id\ttext\ttitle\n1\tcats purr when content\tCat\n2\tdogs bark\tDog\n",
      "nq-dev.json": json.dumps([NQ_ITEM])}
TRAIN_LINE = {"query_id": "q1", "query": "why do cats purr", "positives": ["0"], "negatives": ["1"]}


class Workspace:
    """One case's folder (`dir`) plus assets shared by all cases (tiny backbones, a prompt checkpoint)."""

    def __init__(self, dir: Path, assets: "Assets"):
        self.dir, self.assets = Path(dir), assets

    def files(self, folder: str, files: dict[str, str | bytes], **changes: str | bytes | None) -> str:
        """Write a data folder from `files`, with `changes` (file name with '.' as '_', None = left out)."""
        base = self.dir / folder
        merged = dict(files)
        for key, value in changes.items():  # collection_tsv -> collection.tsv, qrels_test_tsv -> qrels/test.tsv
            merged[next(n for n in merged if re.sub(r"[./-]", "_", n) == key)] = value
        for name, content in merged.items():
            if content is None:
                continue
            path = base / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        base.mkdir(parents=True, exist_ok=True)
        return str(base)

    def file(self, name: str, content: str | bytes) -> str:
        path = self.dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return str(path)

    def out(self, name: str) -> str:
        """An output path that must not exist after a failed run."""
        return str(self.dir / name)

    def previous(self, name: str, content: str = '{"MRR@10": 0.5}\n') -> str:
        """An earlier result at the output path: a failed run must leave it as it was."""
        return self.file(name, content)

    def backbone(self, kind: str = "base") -> str:
        return str(self.assets.backbone(kind))

    def prompt_checkpoint(self) -> str:
        return str(self.assets.prompt_checkpoint())


class Assets:
    """Built once, lazily: tiny random BERT folders (with pooler, so loading prints no warning)."""

    SHAPES = {"base": dict(seed=0), "other-weights": dict(seed=1), "3-layers": dict(layers=3),
              "hidden-64": dict(hidden=64)}

    def __init__(self, dir: Path):
        self.dir = Path(dir)
        self._cache: dict[str, Path] = {}

    def backbone(self, kind: str) -> Path:
        if kind not in self._cache:
            import torch
            from transformers import AutoTokenizer, BertConfig, BertModel
            from transformers.utils import logging as hf_logging

            from dptdr_mini.model.backbone import default_backbone_path

            hf_logging.disable_progress_bar()  # "Writing model shards" is noise here
            spec = self.SHAPES[kind]
            tok = AutoTokenizer.from_pretrained(default_backbone_path())
            torch.manual_seed(spec.get("seed", 0))
            hidden = spec.get("hidden", 32)
            cfg = BertConfig(vocab_size=tok.vocab_size, hidden_size=hidden, num_hidden_layers=spec.get("layers", 2),
                             num_attention_heads=2, intermediate_size=2 * hidden, max_position_embeddings=256)
            path = self.dir / f"bert-{kind}"
            BertModel(cfg).save_pretrained(path)
            tok.save_pretrained(path)
            self._cache[kind] = path
        return self._cache[kind]

    def prompt_checkpoint(self) -> Path:
        path = self.dir / "prompt" / "model.safetensors"
        if not path.is_file():
            from dptdr_mini.model.checkpoint import save_model
            from dptdr_mini.config import ModelConfig
            from dptdr_mini.model.retriever import DenseRetriever

            save_model(path, DenseRetriever(ModelConfig(backbone=str(self.backbone("base")), prefix_len=4)))
        return path


@dataclass(frozen=True)
class Case:
    name: str                                    # test id and the row's key in docs/errors.md
    what: str                                    # the bad input, in words
    argv: Callable[[Workspace], list[str]]       # writes the input, returns the CLI arguments
    where: str = ""                              # the error line names this (file:line or flag)
    expected: str = ""                           # ... and this (what was expected)
    accepted: bool = False                       # valid input: exit 0 and `check` holds
    check: Callable[[Workspace, str], None] | None = None  # (workspace, stdout) -> asserts, accepted cases


@dataclass
class Outcome:
    code: int | None
    stdout: str
    stderr: str
    crashed: bool                                # an exception other than a clean exit escaped main()
    new_files: list[str] = field(default_factory=list)
    lost_files: list[str] = field(default_factory=list)  # changed or removed


# -- argv builders ----------------------------------------------------------------------------------

def bm25(data: str, split: str, ws: Workspace) -> list[str]:
    """Loaders through the cheapest verb: BM25 evaluation, metrics to --json."""
    return ["evaluate", "--retriever", "bm25", "--data", data, "--split", split, "--json", ws.out("metrics.json")]


def marco(ws: Workspace, **changes) -> list[str]:
    return bm25(ws.files("marco", MARCO, **changes), "dev", ws)


def beir(ws: Workspace, **changes) -> list[str]:
    return bm25(ws.files("beir", BEIR, **changes), "test", ws)


def nq(ws: Workspace, **changes) -> list[str]:
    if "nq_dev_json" in changes and not isinstance(changes["nq_dev_json"], (str, bytes)):
        changes["nq_dev_json"] = json.dumps(changes["nq_dev_json"])
    return bm25(ws.files("nq", NQ, **changes), "dev", ws)


def train_file(ws: Workspace, content: str, *extra: str) -> list[str]:
    """`train --train-file` on the tiny MS MARCO folder; nothing may appear in --output-dir."""
    return ["train", "--data", ws.files("marco", MARCO), "--split", "dev", "--train-file", ws.file("train.jsonl", content),
            "--backbone", ws.backbone(), "--output-dir", ws.out("run"), "--eval-split", "", "--quiet", *extra]


def dense_eval(ws: Workspace, checkpoint: str, backbone: str = "base", *extra: str) -> list[str]:
    return ["evaluate", "--data", ws.files("marco", MARCO), "--checkpoint", checkpoint, "--backbone",
            ws.backbone(backbone) if backbone in Assets.SHAPES else backbone, "--quiet",
            "--json", ws.previous("metrics.json"), *extra]


def train_flags(ws: Workspace, *flags: str) -> list[str]:
    return ["train", "--data", ws.files("marco", MARCO), "--split", "dev", "--backbone", ws.backbone(),
            "--output-dir", ws.out("run"), "--eval-split", "", "--max-steps", "1", "--quiet", *flags]


def cut(ws: Workspace, fraction: float) -> str:
    raw = Path(ws.prompt_checkpoint()).read_bytes()
    return ws.file("cut.safetensors", raw[: int(len(raw) * fraction)])


def flipped_header(ws: Workspace) -> str:
    raw = bytearray(Path(ws.prompt_checkpoint()).read_bytes())
    raw[9:20] = b"\xff" * 11  # inside the JSON header
    return ws.file("flipped.safetensors", bytes(raw))


def foreign_safetensors(ws: Workspace) -> str:
    import torch
    from safetensors.torch import save

    return ws.file("foreign.safetensors", save({"weight": torch.zeros(2, 2)}))


def index_folder(ws: Workspace, vectors: bytes | None, ids: str | None) -> str:
    folder = ws.dir / "index"
    folder.mkdir(parents=True, exist_ok=True)
    if vectors is not None:
        (folder / "vectors.npy").write_bytes(vectors)
    if ids is not None:
        (folder / "ids.txt").write_text(ids)
    return str(folder)


def npy(array) -> bytes:
    import numpy as np

    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=True)
    return buf.getvalue()


def search(ws: Workspace, index: str, *extra: str) -> list[str]:
    return ["search", "--index", index, "--backbone", ws.backbone(), "--data", ws.files("marco", MARCO),
            "--query", "cats", "--output", ws.out("run.trec"), *extra]


def metrics_written(queries: int) -> Callable[[Workspace, str], None]:
    def check(ws: Workspace, stdout: str) -> None:
        row = json.loads((ws.dir / "metrics.json").read_text())
        assert row["queries"] == queries and row["corpus"] >= 1, row
    return check


LONG_QUERY = " ".join(["why do cats purr when they are content"] * 400)  # ~3,200 tokens, max length 32

# -- the catalogue ----------------------------------------------------------------------------------

CASES: list[Case] = [
    # MS MARCO TSV
    Case("tsv-extra-column", "collection.tsv line with 3 tab-separated columns",
         lambda ws: marco(ws, collection_tsv="0\tcats\n1\tdogs\tbark\n"), "collection.tsv:2", "expected 2 columns"),
    Case("tsv-one-column", "collection.tsv line without a tab",
         lambda ws: marco(ws, collection_tsv="0\tcats\n1 dogs bark\n"), "collection.tsv:2", "expected 2 columns"),
    Case("tsv-quoted-tab", "a quoted field holding a tab (TSV has no quoting)",
         lambda ws: marco(ws, collection_tsv='0\t"cats\tpurr"\n'), "collection.tsv:1", "expected 2 columns"),
    Case("tsv-stray-quote", "stray double quote in a passage: kept as text, later lines unaffected",
         lambda ws: marco(ws, collection_tsv='0\t"cats purr\n1\tdogs" bark\n'), accepted=True,
         check=metrics_written(1)),
    Case("tsv-blank-lines", "blank and whitespace-only lines between records are skipped",
         lambda ws: marco(ws, collection_tsv="\n0\tcats purr\n\n   \n1\tdogs bark\n\n"), accepted=True,
         check=metrics_written(1)),
    Case("tsv-bom-crlf", "UTF-8 byte-order mark and Windows line ends",
         lambda ws: marco(ws, collection_tsv="\ufeff0\tcats purr\r\n1\tdogs bark\r\n",
                          queries_dev_tsv="\ufeffq1\twhy do cats purr\r\n"), accepted=True, check=metrics_written(1)),
    Case("tsv-unicode-space-id", "passage id holding a no-break space (only ASCII blanks separate qrels columns)",
         lambda ws: marco(ws, collection_tsv="0\u00a0a\tcats purr\n", qrels_dev_tsv="q1 0 0\u00a0a 1\n"),
         accepted=True, check=metrics_written(1)),
    Case("tsv-latin1-byte", "a Latin-1 byte (not UTF-8) in the collection",
         lambda ws: marco(ws, collection_tsv=b"0\tcats purr\n1\tcaf\xe9 dogs\n"), "collection.tsv:2", "expected UTF-8"),
    Case("tsv-duplicate-passage", "the same passage id twice",
         lambda ws: marco(ws, collection_tsv="0\tcats\n0\tdogs\n"), "collection.tsv:2", "expected unique ids"),
    Case("tsv-empty-passage", "a passage whose text is only spaces",
         lambda ws: marco(ws, collection_tsv="0\tcats\n1\t   \n"), "collection.tsv:2", "expected non-empty text"),
    Case("tsv-zero-passages", "an empty collection.tsv",
         lambda ws: marco(ws, collection_tsv=""), "collection.tsv", "expected at least one passage"),
    Case("tsv-query-columns", "queries file line without the text column",
         lambda ws: marco(ws, queries_dev_tsv="q1\n"), "queries.dev.tsv:1", "expected 2 columns"),
    Case("tsv-empty-query", "a query whose text is empty",
         lambda ws: marco(ws, queries_dev_tsv="q1\t \n"), "queries.dev.tsv:1", "expected non-empty text"),
    Case("tsv-duplicate-query", "the same query id twice",
         lambda ws: marco(ws, queries_dev_tsv="q1\tcats\nq1\tdogs\n"), "queries.dev.tsv:2", "expected unique ids"),
    Case("qrels-unknown-query", "qrels name a query the queries file lacks (with --strict)",
         lambda ws: marco(ws, qrels_dev_tsv="q1\t0\t0\t1\nq9\t0\t1\t1\n") + ["--strict"], "qrels.dev.tsv:2",
         "expected an id from the queries file"),
    Case("qrels-unknown-passage", "qrels name a passage the corpus lacks (with --strict)",
         lambda ws: marco(ws, qrels_dev_tsv="q1\t0\t77\t1\n") + ["--strict"], "qrels.dev.tsv:1",
         "expected an id from the corpus"),
    Case("qrels-columns", "qrels line with 3 columns",
         lambda ws: marco(ws, qrels_dev_tsv="q1\t0\t0\n"), "qrels.dev.tsv:1", "expected 4 columns"),
    Case("qrels-relevance", "relevance that is not an integer",
         lambda ws: marco(ws, qrels_dev_tsv="q1\t0\t0\tyes\n"), "qrels.dev.tsv:1", "expected an integer"),
    Case("split-missing", "a --split with no files",
         lambda ws: bm25(ws.files("marco", MARCO), "test", ws), "queries.test.tsv",
         "expected one of the splits this folder has: dev"),
    Case("qrels-unknown-passage-dropped",
         "qrels name a passage the corpus lacks, without --strict: dropped with one warning",
         lambda ws: marco(ws, qrels_dev_tsv="q1\t0\t0\t1\nq1\t0\t77\t1\n"), accepted=True, check=metrics_written(1)),
    Case("flag-depth-below-recall-at", "evaluate --recall-at 10,1000 with the default --depth 100",
         lambda ws: bm25(ws.files("marco", MARCO), "dev", ws) + ["--recall-at", "10,1000"], "--depth 100",
         "expected --depth >= 1000"),
    Case("flag-run-output-over-input", "evaluate --run-output naming the qrels file it reads",
         lambda ws: bm25(ws.files("marco", MARCO), "dev", ws) + ["--run-output", str(ws.dir / "marco" / "qrels.dev.tsv")],
         "--run-output", "expected a new file name"),
    Case("folder-unknown-layout", "a folder in none of the three layouts",
         lambda ws: bm25(ws.files("empty", {"notes.txt": "hello"}), "dev", ws), "empty",
         "expected collection.tsv (MS MARCO), corpus.jsonl (BEIR) or psgs.tsv (DPR/NQ)"),
    # BEIR JSONL
    Case("jsonl-syntax", "corpus.jsonl line with a missing brace",
         lambda ws: beir(ws, corpus_jsonl='{"_id": "0", "text": "cats"}\n{"_id": "1", "text": "dogs"\n'),
         "corpus.jsonl:2", "expected one JSON object per line"),
    Case("jsonl-missing-id", "corpus.jsonl object without _id",
         lambda ws: beir(ws, corpus_jsonl='{"_id": "0", "text": "cats"}\n{"text": "dogs"}\n'),
         "corpus.jsonl:2", "missing key '_id'"),
    Case("jsonl-text-type", "corpus.jsonl text is a number",
         lambda ws: beir(ws, corpus_jsonl='{"_id": "0", "text": "cats"}\n{"_id": "1", "text": 5}\n'),
         "corpus.jsonl:2", "'text' is int (expected str)"),
    Case("jsonl-title-type", "corpus.jsonl title is a list",
         lambda ws: beir(ws, corpus_jsonl='{"_id": "0", "text": "cats", "title": ["Cat"]}\n'),
         "corpus.jsonl:1", "'title' is list (expected str)"),
    Case("jsonl-not-object", "corpus.jsonl line is a JSON list",
         lambda ws: beir(ws, corpus_jsonl='{"_id": "0", "text": "cats"}\n["1", "dogs"]\n'),
         "corpus.jsonl:2", "expected a JSON object"),
    Case("jsonl-deep-nesting", "corpus.jsonl line nested 100,000 levels deep",
         lambda ws: beir(ws, corpus_jsonl='{"_id": "0", "text": "cats"}\n' + "[" * 100_000 + "\n"),
         "corpus.jsonl:2", "expected one JSON object per line"),
    Case("jsonl-query-missing-text", "queries.jsonl object without text",
         lambda ws: beir(ws, queries_jsonl='{"_id": "q1"}\n'), "queries.jsonl:1", "missing key 'text'"),
    Case("jsonl-duplicate-passage", "corpus.jsonl repeats an _id",
         lambda ws: beir(ws, corpus_jsonl='{"_id": "0", "text": "cats"}\n{"_id": "0", "text": "dogs"}\n'),
         "corpus.jsonl:2", "expected unique ids"),
    Case("jsonl-zero-passages", "corpus.jsonl holds only blank lines",
         lambda ws: beir(ws, corpus_jsonl="\n\n"), "corpus.jsonl", "expected at least one passage"),
    Case("beir-qrels-columns", "BEIR qrels line with 2 columns",
         lambda ws: beir(ws, qrels_test_tsv="query-id\tcorpus-id\tscore\nq1\t0\n"), "test.tsv:2",
         "expected 3 columns"),
    Case("beir-qrels-unknown-passage", "BEIR qrels name an unknown passage",
         lambda ws: beir(ws, qrels_test_tsv="query-id\tcorpus-id\tscore\nq1\t9\t1\n") + ["--strict"], "test.tsv:2",
         "expected an id from the corpus"),
    # DPR / NQ JSON
    Case("nq-syntax", "nq-dev.json cut off mid-list",
         lambda ws: nq(ws, nq_dev_json='[{"question": "x",\n'), "nq-dev.json", "expected a JSON list"),
    Case("nq-not-list", "nq-dev.json top level is an object",
         lambda ws: nq(ws, nq_dev_json=NQ_ITEM), "nq-dev.json:1", "expected a list of questions"),
    Case("nq-missing-question", "a DPR item without question",
         lambda ws: nq(ws, nq_dev_json=[{"answers": [], "positive_ctxs": [{"passage_id": "1"}]}]),
         "nq-dev.json item 0", "missing key 'question'"),
    Case("nq-answers-type", "answers is a string, not a list",
         lambda ws: nq(ws, nq_dev_json=[{**NQ_ITEM, "answers": "content"}]), "nq-dev.json item 0",
         "expected a list of strings"),
    Case("nq-unknown-passage", "positive_ctxs name a passage psgs.tsv lacks",
         lambda ws: nq(ws, nq_dev_json=[{**NQ_ITEM, "positive_ctxs": [{"passage_id": "9"}]}]) + ["--strict"],
         "nq-dev.json item 0", "expected an id from psgs.tsv"),
    Case("nq-ctx-not-object", "a positive_ctxs entry is a bare string",
         lambda ws: nq(ws, nq_dev_json=[{**NQ_ITEM, "positive_ctxs": ["1"]}]), "nq-dev.json item 0",
         "expected an object with passage_id"),
    Case("nq-psgs-columns", "psgs.tsv line without the title column",
         lambda ws: nq(ws, psgs_tsv="id\ttext\ttitle\n1\tcats purr\n"), "psgs.tsv:2", "expected 3 columns"),
    # training files (read_train_file)
    Case("train-syntax", "training file line that is not JSON",
         lambda ws: train_file(ws, json.dumps(TRAIN_LINE) + "\nquery_id=q2\n"), "train.jsonl:2",
         "expected one JSON object per line"),
    Case("train-missing-key", "training line without positives",
         lambda ws: train_file(ws, json.dumps({k: v for k, v in TRAIN_LINE.items() if k != "positives"})),
         "train.jsonl:1", "missing key 'positives'"),
    Case("train-wrong-type", "positives is a string, not a list",
         lambda ws: train_file(ws, json.dumps({**TRAIN_LINE, "positives": "0"})), "train.jsonl:1",
         "'positives' is str (expected list)"),
    Case("train-empty-positives", "a training line with no positive",
         lambda ws: train_file(ws, json.dumps({**TRAIN_LINE, "positives": []})), "train.jsonl:1",
         "expected at least one positive passage id"),
    Case("train-unknown-passage", "a negative the corpus lacks",
         lambda ws: train_file(ws, json.dumps({**TRAIN_LINE, "negatives": ["1", "404"]})), "train.jsonl:1",
         "expected an id from the corpus"),
    Case("train-empty-query", "a training line whose query is blank",
         lambda ws: train_file(ws, json.dumps({**TRAIN_LINE, "query": "  "})), "train.jsonl:1",
         "expected non-empty text"),
    Case("train-no-examples", "an empty training file",
         lambda ws: train_file(ws, "\n"), "train.jsonl", "expected at least one JSON line"),
    # lengths and position budget
    Case("long-query", "a 3,200-token query (max length 32): truncated to the first 32 tokens, not an error",
         lambda ws: ["evaluate", "--data", ws.files("marco", MARCO, queries_dev_tsv=f"q1\t{LONG_QUERY}\n"),
                     "--backbone", ws.backbone(), "--quiet", "--json", ws.out("metrics.json")],
         accepted=True, check=metrics_written(1)),
    Case("position-budget", "--prefix-len 200 + --passage-max-len 128 on a 256-position backbone (shifted)",
         lambda ws: train_flags(ws, "--prefix-len", "200", "--position-mode", "shifted"), "--prefix-len 200 + --passage-max-len 128",
         "exceeds the backbone's 256 position embeddings"),
    Case("max-len-over-positions", "--query-max-len 300 on a 256-position backbone (zero positions)",
         lambda ws: train_flags(ws, "--query-max-len", "300", "--position-mode", "zero"), "--query-max-len 300",
         "exceeds the backbone's 256 position embeddings"),
    # checkpoints
    Case("ckpt-other-layers", "a prompt trained on a 2-layer backbone, loaded onto a 3-layer one",
         lambda ws: dense_eval(ws, ws.prompt_checkpoint(), "3-layers"), "model.safetensors",
         "but the loaded backbone is ['bert', 3, 32, 2]"),
    Case("ckpt-other-hidden", "a prompt for hidden size 32, loaded onto hidden size 64",
         lambda ws: dense_eval(ws, ws.prompt_checkpoint(), "hidden-64"), "model.safetensors",
         "but the loaded backbone is ['bert', 2, 64, 2]"),
    Case("ckpt-other-weights", "a prompt loaded onto same-shape backbone with other weights (fingerprint)",
         lambda ws: dense_eval(ws, ws.prompt_checkpoint(), "other-weights"), "model.safetensors",
         "pass the --backbone it was trained with"),
    Case("ckpt-truncated", "a checkpoint cut to half its size",
         lambda ws: dense_eval(ws, cut(ws, 0.5)), "cut.safetensors", "truncated or corrupted"),
    Case("ckpt-header-only", "a checkpoint cut inside its 8-byte header length",
         lambda ws: dense_eval(ws, cut(ws, 0.0000001)), "cut.safetensors", "truncated or corrupted"),
    Case("ckpt-corrupt-header", "a checkpoint whose JSON header holds 0xff bytes",
         lambda ws: dense_eval(ws, flipped_header(ws)), "flipped.safetensors", "truncated or corrupted"),
    Case("ckpt-zeros", "64 zero bytes named model.safetensors",
         lambda ws: dense_eval(ws, ws.file("zeros.safetensors", b"\0" * 64)), "zeros.safetensors",
         "truncated or corrupted"),
    Case("ckpt-foreign", "a valid safetensors file that is not a dptdr-mini checkpoint",
         lambda ws: dense_eval(ws, foreign_safetensors(ws)), "foreign.safetensors",
         "expected 'dptdr-mini/1'"),
    Case("ckpt-resume-state", "the resume file last.safetensors passed as --checkpoint",
         lambda ws: dense_eval(ws, resume_state(ws)), "last.safetensors", "pass model.safetensors"),
    Case("ckpt-missing", "--checkpoint naming no file",
         lambda ws: dense_eval(ws, ws.out("nowhere/model.safetensors")), "nowhere/model.safetensors",
         "checkpoint not found"),
    Case("init-ckpt-truncated", "train --init-checkpoint with a truncated file",
         lambda ws: train_flags(ws, "--prefix-len", "4", "--init-checkpoint", cut(ws, 0.5)), "cut.safetensors",
         "truncated or corrupted"),
    # backbones
    Case("backbone-unknown-offline", "--backbone naming a hub model while downloads are off",
         lambda ws: dense_eval(ws, "", "no-such-org/no-such-model"), "--backbone 'no-such-org/no-such-model'",
         "pass --online"),
    Case("backbone-empty-folder", "--backbone naming a folder without a model",
         lambda ws: dense_eval(ws, "", str(Path(ws.file("empty-model/README", "nothing")).parent)),
         "--backbone", "expected a Hugging Face model folder"),
    # saved indexes (search)
    Case("index-missing", "search --index naming no folder",
         lambda ws: search(ws, ws.out("no-index")), "no-index: no such index folder", "the --output folder of `encode`"),
    Case("index-pickled", "vectors.npy holding pickled Python objects (refused: allow_pickle=False)",
         lambda ws: search(ws, index_folder(ws, npy(__import__("numpy").array([{"a": 1}], dtype=object)), "0\n")),
         "vectors.npy", "expected a .npy float array"),
    Case("index-no-ids", "an index folder without ids.txt",
         lambda ws: search(ws, index_folder(ws, npy(__import__("numpy").zeros((2, 32), "float32")), None)),
         "ids.txt", "expected one id per vector"),
    Case("index-id-count", "ids.txt with fewer ids than vectors",
         lambda ws: search(ws, index_folder(ws, npy(__import__("numpy").zeros((2, 32), "float32")), "0\n")),
         "ids.txt", "expected one id per vector"),
    Case("index-1d-vectors", "vectors.npy holding a 1-d array",
         lambda ws: search(ws, index_folder(ws, npy(__import__("numpy").zeros(32, "float32")), "0\n")),
         "vectors.npy", "expected a .npy float array of shape (passages, hidden)"),
    Case("index-other-model", "an index of 16-d vectors searched with a 32-d model",
         lambda ws: search(ws, index_folder(ws, npy(__import__("numpy").zeros((2, 16), "float32")), "0\n1\n")),
         "--index", "expected the --checkpoint/--backbone that encoded the index"),
    # flag values
    Case("flag-negative-k", "search --k -3",
         lambda ws: search(ws, ws.out("index"), "--k", "-3"), "--k -3", "expected an integer >= 1"),
    Case("flag-zero-batch", "encode --batch-size 0",
         lambda ws: ["encode", "--batch-size", "0", "--output", ws.out("index")], "--batch-size 0",
         "expected an integer >= 1"),
    Case("flag-zero-depth", "evaluate --depth 0",
         lambda ws: bm25(ws.files("marco", MARCO), "dev", ws) + ["--depth", "0"], "--depth 0",
         "expected an integer >= 1"),
    Case("flag-unknown-mode", "train --mode sideways",
         lambda ws: train_flags(ws, "--mode", "sideways"), "--mode", "choose from 'prompt', 'finetune'"),
    Case("flag-unknown-retriever", "evaluate --retriever tfidf",
         lambda ws: bm25(ws.files("marco", MARCO), "dev", ws) + ["--retriever", "tfidf"], "--retriever",
         "choose from 'dense', 'bm25'"),
    Case("flag-not-a-number", "train --epochs three",
         lambda ws: train_flags(ws, "--epochs", "three"), "--epochs", "invalid int value: 'three'"),
    Case("flag-unknown", "a misspelt flag (--maxsteps)",
         lambda ws: train_flags(ws, "--maxsteps", "3"), "--maxsteps", "unrecognized arguments"),
    Case("flag-abbreviated", "an abbreviated flag (--max-step for --max-steps) is refused, not guessed",
         lambda ws: train_flags(ws, "--max-step", "3"), "--max-step", "unrecognized arguments"),
    Case("flag-zero-epochs", "train --epochs 0",
         lambda ws: train_flags(ws, "--epochs", "0"), "--epochs 0", "expected an integer >= 1"),
    Case("flag-negative-lr", "train --lr -0.1",
         lambda ws: train_flags(ws, "--lr", "-0.1"), "--lr -0.1", "expected a positive number"),
    Case("flag-warmup-ratio", "train --warmup-ratio 1.5",
         lambda ws: train_flags(ws, "--warmup-ratio", "1.5"), "--warmup-ratio 1.5", "expected 0 <= r < 1"),
    Case("flag-dropout", "train --prefix-dropout 1",
         lambda ws: train_flags(ws, "--prefix-dropout", "1"), "--prefix-dropout 1.0", "expected 0 <= p < 1"),
    Case("flag-temperature", "train --temperature 0",
         lambda ws: train_flags(ws, "--temperature", "0"), "--temperature 0.0", "expected a positive number"),
    Case("flag-no-prefix-prompt", "prompt mode with --prefix-len 0 (nothing to train)",
         lambda ws: train_flags(ws, "--prefix-len", "0"), "--prefix-len 0", "nothing to train"),
    Case("flag-mine-sources", "mine --sources tfidf",
         lambda ws: ["mine", "--sources", "tfidf", "--output", ws.out("neg.jsonl")], "--sources 'tfidf'",
         "expected a comma-separated subset of ('bm25', 'dense')"),
    Case("flag-mine-skip-top", "mine --skip-top 100 --depth 50",
         lambda ws: ["mine", "--skip-top", "100", "--depth", "50", "--output", ws.out("neg.jsonl")],
         "--skip-top 100", "must be below --depth 50"),
    Case("flag-output-is-folder", "search --output naming an existing folder",
         lambda ws: search_ok(ws, "--output", str(Path(ws.file("a-folder/x", "keep")).parent)), "a-folder: is a folder",
         "expected a file path to write to"),
    # issue 17: numbers that are not numbers, runs that cannot learn, outputs that are inputs
    Case("flag-lr-inf", "train --lr inf (trained to NaN weights and exited 0)",
         lambda ws: train_flags(ws, "--lr", "inf"), "--lr inf", "expected a finite number"),
    Case("flag-temperature-nan", "train --temperature nan",
         lambda ws: train_flags(ws, "--temperature", "nan"), "--temperature nan", "expected a finite number"),
    Case("flag-max-grad-norm-negative", "train --max-grad-norm -1 (gradient ascent)",
         lambda ws: train_flags(ws, "--max-grad-norm", "-1"), "--max-grad-norm -1.0", "expected a positive number"),
    Case("flag-seed-huge", "train --seed 2**40 (torch and numpy take 32-bit seeds)",
         lambda ws: train_flags(ws, "--seed", str(2**40)), "--seed", "expected a seed between 0 and 2**32 - 1"),
    Case("flag-one-candidate", "train --batch-size 1 --negatives 0 (loss 0: nothing learns)",
         lambda ws: train_flags(ws, "--batch-size", "1", "--negatives", "0"), "--batch-size 1 with --negatives 0",
         "expected --batch-size >= 2 or --negatives >= 1"),
    Case("flag-max-len-specials", "train --query-max-len 2 (only [CLS] and [SEP] fit)",
         lambda ws: train_flags(ws, "--query-max-len", "2"), "--query-max-len 2", "expected an integer >= 3"),
    Case("flag-prefix-too-large", "train --prefix-len 10**9 (more numbers than the backbone), before allocating",
         lambda ws: train_flags(ws, "--prefix-len", str(10**9)), f"--prefix-len {10**9}",
         "expected a prompt smaller than the model"),
    Case("output-is-the-corpus", "mine --output <data>/collection.tsv (replaced the corpus it read)",
         lambda ws: ["mine", "--data", ws.files("marco", MARCO), "--split", "dev", "--sources", "bm25",
                     "--output", str(ws.dir / "marco" / "collection.tsv")], "--output",
         "expected an output path apart from the inputs"),
    Case("output-is-the-qrels", "evaluate --json naming the qrels file through ../",
         lambda ws: bm25(ws.files("marco", MARCO), "dev", ws) + ["--json", str(ws.dir / "marco" / ".." / "marco" /
                                                                               "qrels.dev.tsv")], "--json",
         "expected an output path apart from the inputs"),
]


def resume_state(ws: Workspace) -> str:
    """A real last.safetensors from one training step on the tiny data."""
    from dptdr_mini.cli import main

    out = ws.dir / "resume"
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["train", "--data", ws.files("marco", MARCO), "--split", "dev", "--backbone", ws.backbone(),
                     "--output-dir", str(out), "--eval-split", "", "--max-steps", "1", "--prefix-len", "4",
                     "--batch-size", "1", "--quiet"]) == 0
    return str(out / "last.safetensors")


def search_ok(ws: Workspace, *extra: str) -> list[str]:
    """search on a valid index (encoded here), with `extra` flags."""
    import numpy as np

    folder = index_folder(ws, npy(np.zeros((2, 32), "float32")), "0\n1\n")
    argv = search(ws, folder)
    return argv[: argv.index("--output")] + list(extra)


# -- running and judging ------------------------------------------------------------------------------

def snapshot(folder: Path) -> dict[str, str]:
    """Every file (by content hash) and folder under `folder`."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
            for p in sorted(folder.rglob("*"))}


def run_case(case: Case, ws: Workspace, debug: bool = False) -> Outcome:
    """Build the case's input, run the CLI in-process, and record what it printed and changed on disk."""
    from dptdr_mini.cli import main

    argv = case.argv(ws) + (["--debug"] if debug else [])
    before = snapshot(ws.dir)
    out, err = io.StringIO(), io.StringIO()
    crashed = False
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 2
        except Exception:  # a crash: what the user would see is the traceback
            crashed, code = True, None
            err.write(traceback.format_exc())
    after = snapshot(ws.dir)
    lost = [p for p, h in before.items() if after.get(p) != h]
    new = [p for p in after if p not in before]
    return Outcome(code, out.getvalue(), err.getvalue(), crashed, new, lost)


def problems(case: Case, outcome: Outcome, ws: Workspace) -> list[str]:
    """Everything wrong with an outcome; [] means the case behaves as the catalogue promises."""
    found = []
    if outcome.crashed or "Traceback" in outcome.stderr:
        return [f"crashed:\n{outcome.stderr}"]
    if outcome.lost_files:
        found.append(f"changed or removed files: {outcome.lost_files}")
    if case.accepted:
        if outcome.code != 0:
            found.append(f"valid input refused (exit {outcome.code}): {outcome.stderr.strip()}")
        elif case.check:
            try:
                case.check(ws, outcome.stdout)
            except AssertionError as e:
                found.append(f"accepted but wrong result: {e}")
        return found
    lines = outcome.stderr.strip().splitlines()
    if outcome.code != 2:
        found.append(f"exit code {outcome.code}, expected 2")
    if len(lines) != 1:
        found.append(f"{len(lines)} lines on stderr, expected 1: {outcome.stderr!r}")
    line = lines[-1] if lines else ""
    if not line.startswith("error: "):
        found.append(f"stderr does not start with 'error: ': {line!r}")
    for label, needle in (("where", case.where), ("expected", case.expected)):
        if needle not in line:
            found.append(f"message lacks {label} {needle!r}: {line!r}")
    if outcome.new_files:
        found.append(f"left files behind: {outcome.new_files}")
    return found


def message(outcome: Outcome, ws: Workspace) -> str:
    """The error line with the workspace and repository paths shortened, for docs/errors.md."""
    text = outcome.stderr.strip().splitlines()[-1] if outcome.stderr.strip() else "(exit 0)"
    for folder, short in ((ws.assets.dir, "<assets>"), (ws.dir, "<tmp>"), (ROOT, ".")):
        text = text.replace(str(folder), short)
    return text


# -- tests -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def assets(tmp_path_factory) -> Assets:
    return Assets(tmp_path_factory.mktemp("assets"))


def test_the_catalogue_has_at_least_30_distinct_cases():
    names = [c.name for c in CASES]
    assert len(set(names)) == len(names) >= 30
    assert sum(not c.accepted for c in CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_fails_clearly_and_keeps_files(case, tmp_path, assets):
    """One error line naming file:line (or flag) and what was expected, exit 2, folder untouched."""
    ws = Workspace(tmp_path, assets)
    outcome = run_case(case, ws)
    assert not problems(case, outcome, ws), "\n".join(problems(case, outcome, ws))


def test_long_query_is_truncated_to_max_length(assets):
    """The accepted long-query case is accepted because the tokenizer cuts it to query_max_len."""
    from dptdr_mini.config import ModelConfig
    from dptdr_mini.model.retriever import DenseRetriever

    model = DenseRetriever(ModelConfig(backbone=str(assets.backbone("base")), prefix_len=4, query_max_len=32))
    batch = model.tokenize([LONG_QUERY, "short"], "query")
    assert batch["input_ids"].shape == (2, 32)
    assert model.encode([LONG_QUERY], "query").shape == (1, 32)


def test_debug_shows_the_traceback(tmp_path, assets):
    """--debug lets the exception through, so the user sees where it was raised."""
    from dptdr_mini.errors import DataFormatError

    case = next(c for c in CASES if c.name == "tsv-extra-column")
    from dptdr_mini.cli import main

    argv = case.argv(Workspace(tmp_path, assets)) + ["--debug"]
    with pytest.raises(DataFormatError, match="collection.tsv:2"):
        main(argv)


def test_docs_list_every_case():
    """docs/errors.md is generated from this table (tools/error_catalogue.py); rerun it after adding a row."""
    doc = (ROOT / "docs" / "errors.md").read_text()
    missing = [c.name for c in CASES if f"`{c.name}`" not in doc]
    assert not missing, f"docs/errors.md lacks {missing}: run python tools/error_catalogue.py"
