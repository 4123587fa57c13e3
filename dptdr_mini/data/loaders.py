"""Loaders for the three formats retrieval data comes in, into one small in-memory `RetrievalData`.

- MS MARCO passage: `collection.tsv` (pid, text), `queries.<split>.tsv` (qid, text),
  `qrels.<split>.tsv` (qid, 0, pid, relevance), tab separated, no header.
- BEIR: `corpus.jsonl` ({_id, title, text}), `queries.jsonl` ({_id, text}), `qrels/<split>.tsv`
  (header `query-id corpus-id score`).
- DPR / NQ: `psgs.tsv` (header `id text title`) and `nq-<split>.json`, a list of
  {question, answers, positive_ctxs, hard_negative_ctxs}.

The corpus comes from the streaming readers of `data/corpus` (`dict(iter_corpus(...))` in effect), so
the in-memory corpus and the streams of RIP and sharded encoding cannot disagree; queries and qrels are
read here with the same line readers. Every malformed line raises `DataFormatError` naming the
file, the line number and what was expected.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from dptdr_mini.data.corpus import (Passage, detect_format, iter_beir_corpus, iter_dpr_passages, iter_jsonl,
                                    iter_lines, iter_msmarco_collection, iter_tsv, json_field, nonempty_text)
from dptdr_mini.errors import DataFormatError


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


def _add_unique(store: dict, key: str, value, path: Path, lineno: int, what: str) -> None:
    if key in store:
        raise DataFormatError(path, lineno, f"duplicate {what} id {key!r}", "unique ids")
    store[key] = value


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


def read_msmarco_qrels(path: str | Path) -> tuple[dict[str, dict[str, int]], dict]:
    """Read TREC qrels `qid 0 pid rel` (tabs, or the space-separated form of the official files)."""
    path = Path(path)
    qrels: dict[str, dict[str, int]] = {}
    where: dict = {}
    for lineno, line in iter_lines(path):
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
    corpus = dict(iter_msmarco_collection(folder / "collection.tsv"))
    queries: dict[str, str] = {}
    qpath = folder / f"queries.{split}.tsv"
    for lineno, (qid, text) in iter_tsv(qpath, 2):
        _add_unique(queries, qid.strip(), nonempty_text(text, qpath, lineno, "query"), qpath, lineno, "query")
    qrels, where = read_msmarco_qrels(folder / f"qrels.{split}.tsv")
    _check_qrels(qrels, corpus, queries, where)
    queries = {q: t for q, t in queries.items() if q in qrels}  # judged queries only
    return RetrievalData(corpus, queries, qrels, name=folder.name, split=split)


# ---------------------------------------------------------------------------------------------
# BEIR


def load_beir(folder: str | Path, split: str = "test") -> RetrievalData:
    """Load a BEIR folder: corpus.jsonl, queries.jsonl, qrels/<split>.tsv (queries kept if judged)."""
    folder = Path(folder)
    corpus = dict(iter_beir_corpus(folder / "corpus.jsonl"))
    qpath = folder / "queries.jsonl"
    all_queries: dict[str, str] = {}
    for lineno, obj in iter_jsonl(qpath):
        _add_unique(all_queries, json_field(obj, "_id", qpath, lineno), json_field(obj, "text", qpath, lineno).strip(),
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
    corpus = dict(iter_dpr_passages(folder / passages))
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
        data.queries[qid] = json_field(item, "question", where, None).strip()
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
                pid = json_field(ctx, "passage_id", where, None) if isinstance(ctx, dict) else None
                if pid is None:
                    raise DataFormatError(where, None, f"a {key} entry is not an object", "an object with passage_id")
                if pid not in corpus:
                    raise DataFormatError(where, None, f"{key} names unknown passage id {pid!r}",
                                          f"an id from {Path(passages).name}")
                pids.append(pid)
            if key == "positive_ctxs":
                if not pids:
                    raise DataFormatError(where, None, "no positive_ctxs", "at least one positive context")
                data.qrels[qid] = {pid: 1 for pid in pids}
            else:
                data.hard_negatives[qid] = pids
    return data


# ---------------------------------------------------------------------------------------------


def load_data(folder: str | Path, split: str) -> RetrievalData:
    """Load any of the three formats, detected from the folder's files."""
    loader = {"msmarco": load_msmarco, "beir": load_beir, "dpr": load_dpr}[detect_format(folder)]
    return loader(folder, split)
