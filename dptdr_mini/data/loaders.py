"""Loaders for the three formats retrieval data comes in, into one small in-memory `RetrievalData`.

- MS MARCO passage: `collection.tsv` (pid, text), `queries.<split>.tsv` (qid, text),
  `qrels.<split>.tsv` (qid, 0, pid, relevance), tab separated, no header.
- BEIR: `corpus.jsonl` ({_id, title, text}), `queries.jsonl` ({_id, text}), `qrels/<split>.tsv`
  (header `query-id corpus-id score`).
- DPR / NQ: `psgs.tsv` (header `id text title`) and `nq-<split>.json`, a list of
  {question, answers, positive_ctxs, hard_negative_ctxs}.

Files are read line by line (`iter_tsv`, `iter_jsonl`) so a collection of 8.8M lines is built into
the corpus dict once, never held twice. Every malformed line raises `DataFormatError` naming the
file, the line number and what was expected.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dptdr_mini.errors import DataFormatError


@dataclass(slots=True, frozen=True)
class Passage:
    text: str
    title: str = ""

    @property
    def full_text(self) -> str:
        """What the encoder reads: `title: text` when there is a title (DPR, BEIR), else the text."""
        return f"{self.title}: {self.text}" if self.title else self.text


@dataclass
class RetrievalData:
    """A corpus, the queries of one split, their relevance judgements and (NQ) answer strings."""

    corpus: dict[str, Passage]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]  # qid -> {pid: relevance}
    answers: dict[str, list[str]] = field(default_factory=dict)  # qid -> answer strings (NQ)
    hard_negatives: dict[str, list[str]] = field(default_factory=dict)  # qid -> pids (DPR files)
    name: str = ""
    split: str = ""

    def __repr__(self) -> str:
        return (f"RetrievalData({self.name!r}, split={self.split!r}, passages={len(self.corpus):,}, "
                f"queries={len(self.queries):,}, judged pairs={sum(len(v) for v in self.qrels.values()):,})")


# ---------------------------------------------------------------------------------------------
# Line readers: the only place files are opened, so every error carries file and line.


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield (line number, decoded line without newline); blank lines are skipped."""
    if not path.is_file():
        raise DataFormatError(path, None, "file not found")
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, start=1):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]  # UTF-8 byte-order mark written by some editors
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise DataFormatError(path, lineno, f"invalid UTF-8 byte at column {e.start + 1}",
                                      "UTF-8 text") from None
            line = line.rstrip("\r\n")
            if line.strip():
                yield lineno, line


def iter_tsv(path: str | Path, columns: int | tuple[int, ...], header: list[str] | None = None
             ) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields) of a tab-separated file, checking the column count."""
    path = Path(path)
    allowed = (columns,) if isinstance(columns, int) else columns
    for lineno, line in _lines(path):
        fields = line.split("\t")
        if header is not None and lineno == 1 and [f.strip() for f in fields][: len(header)] == header:
            continue
        if len(fields) not in allowed:
            raise DataFormatError(path, lineno, f"found {len(fields)} tab-separated columns",
                                  f"{' or '.join(map(str, allowed))} columns")
        yield lineno, fields


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, dict]]:
    """Yield (line number, object) of a JSON-lines file."""
    path = Path(path)
    for lineno, line in _lines(path):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise DataFormatError(path, lineno, f"invalid JSON: {e.msg} at column {e.colno}",
                                  "one JSON object per line") from None
        except RecursionError:
            raise DataFormatError(path, lineno, "JSON nested too deeply to read", "one JSON object per line") from None
        if not isinstance(obj, dict):
            raise DataFormatError(path, lineno, f"found a JSON {type(obj).__name__}", "a JSON object")
        yield lineno, obj


def _field(obj: dict, key: str, path: Path, lineno: int | None, kind: type = str, allow_empty=False):
    if key not in obj:
        raise DataFormatError(path, lineno, f"missing key {key!r}", f"keys {sorted(obj)} to include {key!r}")
    value = obj[key]
    if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool) and key.endswith("id"):
        value = str(value)  # numeric ids are common in BEIR/DPR files
    if not isinstance(value, kind):
        raise DataFormatError(path, lineno, f"{key!r} is {type(value).__name__}", kind.__name__)
    if kind is str and not allow_empty and not value.strip():
        raise DataFormatError(path, lineno, f"empty {key!r}", "non-empty text")
    return value


def _add_unique(store: dict, key: str, value, path: Path, lineno: int, what: str) -> None:
    if key in store:
        raise DataFormatError(path, lineno, f"duplicate {what} id {key!r}", "unique ids")
    store[key] = value


def _text(value: str, path: Path, lineno: int, what: str) -> str:
    if not value.strip():
        raise DataFormatError(path, lineno, f"empty {what} text", "non-empty text")
    return value.strip()


def _check_qrels(qrels: dict[str, dict[str, int]], corpus: dict, queries: dict, where: dict) -> None:
    for qid, docs in qrels.items():
        if qid not in queries:
            path, lineno = where[(qid, None)]
            raise DataFormatError(path, lineno, f"qrels name unknown query id {qid!r}", "an id from the queries file")
        for pid in docs:
            if pid not in corpus:
                path, lineno = where[(qid, pid)]
                raise DataFormatError(path, lineno, f"qrels name unknown passage id {pid!r}",
                                      "an id from the corpus")


# ---------------------------------------------------------------------------------------------
# MS MARCO passage ranking


def iter_msmarco_collection(path: str | Path) -> Iterator[tuple[str, str]]:
    """Stream (pid, text) from `collection.tsv` without building anything."""
    path = Path(path)
    for lineno, (pid, text) in iter_tsv(path, 2):
        yield pid.strip(), _text(text, path, lineno, "passage")


def read_msmarco_qrels(path: str | Path) -> tuple[dict[str, dict[str, int]], dict]:
    """Read TREC qrels `qid 0 pid rel` (tabs, or the space-separated form of the official files)."""
    path = Path(path)
    qrels: dict[str, dict[str, int]] = {}
    where: dict = {}
    for lineno, line in _lines(path):
        # tab-separated, else space-separated; never other whitespace, which an id may hold
        fields = [f.strip(" ") for f in line.split("\t")] if "\t" in line else re.split(" +", line.strip(" "))
        if len(fields) != 4:
            raise DataFormatError(path, lineno, f"found {len(fields)} columns", "4 columns: qid 0 pid relevance")
        qid, _, pid, rel = fields
        _add_qrel(qrels, where, qid, pid, rel, path, lineno, "relevance")
    return qrels, where


def _add_qrel(qrels: dict, where: dict, qid: str, pid: str, rel: str, path: Path, lineno: int, column: str) -> None:
    """Record one judged pair and the file:line it came from (for the unknown-id errors)."""
    try:
        relevance = int(rel)
    except ValueError:
        raise DataFormatError(path, lineno, f"{column} {rel!r} is not an integer", "an integer") from None
    qrels.setdefault(qid, {})[pid] = relevance
    where.setdefault((qid, None), (path, lineno))
    where[(qid, pid)] = (path, lineno)


def load_msmarco(folder: str | Path, split: str = "dev") -> RetrievalData:
    """Load an MS MARCO-style folder: collection.tsv, queries.<split>.tsv, qrels.<split>.tsv."""
    folder = Path(folder)
    corpus: dict[str, Passage] = {}
    path = folder / "collection.tsv"
    for lineno, (pid, text) in iter_tsv(path, 2):
        _add_unique(corpus, pid.strip(), Passage(_text(text, path, lineno, "passage")), path, lineno, "passage")
    if not corpus:
        raise DataFormatError(path, None, "the corpus has zero passages", "at least one passage")
    queries: dict[str, str] = {}
    qpath = folder / f"queries.{split}.tsv"
    for lineno, (qid, text) in iter_tsv(qpath, 2):
        _add_unique(queries, qid.strip(), _text(text, qpath, lineno, "query"), qpath, lineno, "query")
    qrels, where = read_msmarco_qrels(folder / f"qrels.{split}.tsv")
    _check_qrels(qrels, corpus, queries, where)
    queries = {q: t for q, t in queries.items() if q in qrels}  # judged queries only
    return RetrievalData(corpus, queries, qrels, name=folder.name, split=split)


# ---------------------------------------------------------------------------------------------
# BEIR


def load_beir(folder: str | Path, split: str = "test") -> RetrievalData:
    """Load a BEIR folder: corpus.jsonl, queries.jsonl, qrels/<split>.tsv (queries kept if judged)."""
    folder = Path(folder)
    corpus: dict[str, Passage] = {}
    path = folder / "corpus.jsonl"
    for lineno, obj in iter_jsonl(path):
        pid = _field(obj, "_id", path, lineno)
        text = _field(obj, "text", path, lineno, allow_empty=True)
        title = obj.get("title") or ""
        if not isinstance(title, str):
            raise DataFormatError(path, lineno, f"'title' is {type(title).__name__}", "str")
        if not text.strip() and not title.strip():
            raise DataFormatError(path, lineno, "empty passage text and title", "non-empty text")
        _add_unique(corpus, pid, Passage(text.strip(), title.strip()), path, lineno, "passage")
    if not corpus:
        raise DataFormatError(path, None, "the corpus has zero passages", "at least one passage")
    qpath = folder / "queries.jsonl"
    all_queries: dict[str, str] = {}
    for lineno, obj in iter_jsonl(qpath):
        _add_unique(all_queries, _field(obj, "_id", qpath, lineno), _field(obj, "text", qpath, lineno).strip(),
                    qpath, lineno, "query")
    rpath = folder / "qrels" / f"{split}.tsv"
    qrels: dict[str, dict[str, int]] = {}
    where: dict = {}
    for lineno, fields in iter_tsv(rpath, 3, header=["query-id", "corpus-id", "score"]):
        qid, pid, score = (f.strip() for f in fields)
        _add_qrel(qrels, where, qid, pid, score, rpath, lineno, "score")
    _check_qrels(qrels, corpus, all_queries, where)
    queries = {q: all_queries[q] for q in qrels}
    return RetrievalData(corpus, queries, qrels, name=folder.name, split=split)


# ---------------------------------------------------------------------------------------------
# DPR / Natural Questions


def load_dpr(folder: str | Path, split: str = "dev", passages: str = "psgs.tsv",
             questions: str | None = None) -> RetrievalData:
    """Load DPR-format NQ: `psgs.tsv` (id, text, title) and `nq-<split>.json` (questions + contexts).

    Query ids are `<split>-<index>` since DPR questions carry none. Relevance comes from
    `positive_ctxs[].passage_id`; `hard_negative_ctxs` are kept as training negatives.
    """
    folder = Path(folder)
    corpus: dict[str, Passage] = {}
    path = folder / passages
    for lineno, fields in iter_tsv(path, 3, header=["id", "text", "title"]):
        pid, text, title = fields
        _add_unique(corpus, pid.strip(), Passage(_text(text, path, lineno, "passage"), title.strip()),
                    path, lineno, "passage")
    if not corpus:
        raise DataFormatError(path, None, "the corpus has zero passages", "at least one passage")
    qpath = folder / (questions or f"nq-{split}.json")
    if not qpath.is_file():
        raise DataFormatError(qpath, None, "file not found")
    try:
        items = json.loads(qpath.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise DataFormatError(qpath, None, f"invalid UTF-8 byte at offset {e.start}", "UTF-8 JSON") from None
    except json.JSONDecodeError as e:
        raise DataFormatError(qpath, e.lineno, f"invalid JSON: {e.msg} at column {e.colno}", "a JSON list") from None
    except RecursionError:
        raise DataFormatError(qpath, None, "JSON nested too deeply to read", "a JSON list") from None
    if not isinstance(items, list):
        raise DataFormatError(qpath, 1, f"top level is a JSON {type(items).__name__}", "a list of questions")
    data = RetrievalData(corpus, {}, {}, name=folder.name, split=split)
    for i, item in enumerate(items):
        where = f"{qpath} item {i}"
        if not isinstance(item, dict):
            raise DataFormatError(where, None, f"found a JSON {type(item).__name__}", "a question object")
        qid = f"{split}-{i}"
        data.queries[qid] = _field(item, "question", where, None).strip()
        answers = item.get("answers", [])
        if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
            raise DataFormatError(where, None, "'answers' is not a list of strings", "a list of strings")
        data.answers[qid] = answers
        for key in ("positive_ctxs", "hard_negative_ctxs"):
            ctxs = item.get(key, [])
            if not isinstance(ctxs, list):
                raise DataFormatError(where, None, f"{key!r} is {type(ctxs).__name__}", "a list of contexts")
            pids = []
            for ctx in ctxs:
                pid = _field(ctx, "passage_id", where, None) if isinstance(ctx, dict) else None
                if pid is None:
                    raise DataFormatError(where, None, f"a {key} entry is not an object", "an object with passage_id")
                if pid not in corpus:
                    raise DataFormatError(where, None, f"{key} names unknown passage id {pid!r}",
                                          f"an id from {path.name}")
                pids.append(pid)
            if key == "positive_ctxs":
                if not pids:
                    raise DataFormatError(where, None, "no positive_ctxs", "at least one positive context")
                data.qrels[qid] = {pid: 1 for pid in pids}
            else:
                data.hard_negatives[qid] = pids
    return data


# ---------------------------------------------------------------------------------------------


def detect_format(folder: str | Path) -> str:
    """'msmarco', 'beir' or 'dpr', from the files a folder holds."""
    folder = Path(folder)
    if not folder.exists():
        raise DataFormatError(folder, None, "no such folder", "a data folder (see --help for the formats)")
    if (folder / "collection.tsv").is_file():
        return "msmarco"
    if (folder / "corpus.jsonl").is_file():
        return "beir"
    if (folder / "psgs.tsv").is_file():
        return "dpr"
    raise DataFormatError(folder, None, "unknown data layout",
                          "collection.tsv (MS MARCO), corpus.jsonl (BEIR) or psgs.tsv (DPR/NQ)")


def load_data(folder: str | Path, split: str) -> RetrievalData:
    """Load any of the three formats, detected from the folder's files."""
    loader = {"msmarco": load_msmarco, "beir": load_beir, "dpr": load_dpr}[detect_format(folder)]
    return loader(folder, split)
