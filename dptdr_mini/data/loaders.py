"""Loaders for the three formats retrieval data comes in, into one small in-memory `RetrievalData`.

- MS MARCO passage: `collection.tsv` (pid, text), `queries.<split>.tsv` (qid, text),
  `qrels.<split>.tsv` (qid, 0, pid, relevance), tab separated, no header.
- BEIR: `corpus.jsonl` ({_id, title, text}), `queries.jsonl` ({_id, text}), `qrels/<split>.tsv`
  (header `query-id corpus-id score`).
- DPR / NQ: `psgs.tsv` (header `id text title`) and `nq-<split>.json`, a list of
  {question, answers, positive_ctxs, hard_negative_ctxs}; or, for a split with answers only (DPR's
  `nq-test.qa.csv`), `nq-<split>.qa.csv`: question TAB python-list-of-answers, no header, scored by
  answer accuracy.

The corpus comes from the streaming readers of `data/corpus` (`dict(iter_corpus(...))` in effect), so
the in-memory corpus and the streams of RIP and sharded encoding cannot disagree; queries and qrels are
read here with the same line readers. Every malformed line raises `DataFormatError` naming the
file, the line number and what was expected.

Real files have known quirks that are not malformed lines: qrels naming a passage missing from the corpus
(ArguAna) or a query missing from the queries file (NFCorpus), DPR questions with no positive_ctxs (or
contexts naming passages missing from psgs.tsv). By default they are dropped, with one `DataQuirkWarning`
per load that counts them per kind and names the first few ids; `strict=True` (`--strict`) refuses them.

Queries that are also passages (ArguAna, Quora) are kept, but a passage with the query's id *and* its text,
not judged relevant to it, is its own copy: it goes into `RetrievalData.self_hits` and scoring leaves it out of
that query's ranking, as BEIR's evaluation does (`ignore_identical_ids`). BEIR drops on the id alone; we also
ask for the same text because in SciFact-like sets and Vaswani query and passage ids are two numberings
that collide by accident (all 93 Vaswani queries share an id with an unrelated passage).
"""

from __future__ import annotations

import ast
import csv
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from dptdr_mini.data.corpus import (Passage, detect_format, iter_beir_corpus, iter_dpr_passages, iter_jsonl,
                                    iter_lines, iter_msmarco_collection, iter_tsv, json_field, nonempty_text)
from dptdr_mini.errors import DataFormatError, DataQuirkWarning

SHOWN_IDS = 3  # ids a quirk warning names


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
    self_hits: set[str] = field(default_factory=set)  # qids whose own copy (same id and text) is a passage

    def __repr__(self) -> str:
        return (f"RetrievalData({self.name!r}, split={self.split!r}, passages={len(self.corpus):,}, "
                f"queries={len(self.queries):,}, judged pairs={sum(len(v) for v in self.qrels.values()):,})")


def _add_unique(store: dict, key: str, value, path: Path, lineno: int, what: str) -> None:
    if key in store:
        raise DataFormatError(path, lineno, f"duplicate {what} id {key!r}", "unique ids")
    store[key] = value


class Quirks:
    """Known quirks found while loading one split: ids per kind, for one warning at the end."""

    def __init__(self, strict: bool):
        self.strict = strict
        self.found: dict[str, list[str]] = {}

    def add(self, kind: str, item: str, path, lineno: int | None, problem: str, expected: str) -> None:
        """Refuse (strict) or record one quirk of `kind` about `item`."""
        if self.strict:
            raise DataFormatError(path, lineno, problem, expected)
        self.found.setdefault(kind, []).append(item)

    def warn(self, where, also: str = "") -> None:
        """One warning for the whole split: each kind with its count and first few ids, then `also`."""
        parts = [f"{len(ids):,} {kind} (e.g. {', '.join(map(repr, ids[:SHOWN_IDS]))})" for kind, ids in self.found.items()]
        text = [f"dropped {'; '.join(parts)} (--strict refuses them)"] if parts else []
        if also:
            text.append(also)
        if text:
            warnings.warn(DataQuirkWarning(f"{where}: {'; '.join(text)}"), stacklevel=4)


def _check_qrels(qrels: dict[str, dict[str, int]], corpus: dict, queries: dict, where: dict, quirks: Quirks) -> None:
    """Drop (or, strict, refuse) judgements of unknown queries or passages, in place; then queries left unjudged."""
    for qid in list(qrels):
        if qid not in queries:
            path, lineno = where[(qid, None)]
            quirks.add("judged queries missing from the queries file", qid, path, lineno,
                       f"qrels name unknown query id {qid!r}", "an id from the queries file")
            del qrels[qid]
            continue
        for pid in list(qrels[qid]):
            if pid not in corpus:
                path, lineno = where[(qid, pid)]
                quirks.add("judged passages missing from the corpus", pid, path, lineno,
                           f"qrels name unknown passage id {pid!r}", "an id from the corpus")
                del qrels[qid][pid]
        if not qrels[qid]:
            quirks.found.setdefault("queries left with no judged passage", []).append(qid)
            del qrels[qid]


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def find_self_hits(data: RetrievalData) -> set[str]:
    """Queries whose id is also a passage id with the query's own text, not judged relevant to it (ArguAna)."""
    return {q for q, text in data.queries.items()
            if q in data.corpus and data.qrels.get(q, {}).get(q, 0) <= 0
            and (_same_text(text, data.corpus[q].text) or _same_text(text, data.corpus[q].full_text))}


def _finish(data: RetrievalData, quirks: Quirks, where) -> RetrievalData:
    """Mark self-hits (unless strict: today's behaviour keeps them) and give the split's one warning."""
    if not data.queries:
        raise DataFormatError(where, None, "no judged query left" + (" after dropping " + ", ".join(quirks.found)
                                                                   if quirks.found else ""),
                              "at least one query with a judged passage of the corpus")
    if not quirks.strict:
        data.self_hits = find_self_hits(data)
    also = ""
    if data.self_hits:
        shown = ", ".join(map(repr, sorted(data.self_hits)[:SHOWN_IDS]))
        also = (f"{len(data.self_hits):,} queries are also passages (same id and text, e.g. {shown}): that passage "
                f"is left out of their ranking, as BEIR's evaluation does (--strict keeps it)")
    quirks.warn(where, also)
    return data


def available_splits(folder: str | Path) -> list[str]:
    """The splits a data folder has files for, from the file names alone."""
    folder = Path(folder)
    kind = detect_format(folder)
    if kind == "msmarco":
        names = {p.name[len("queries."):-len(".tsv")] for p in folder.glob("queries.*.tsv")}
        return sorted(n for n in names if (folder / f"qrels.{n}.tsv").is_file())
    if kind == "beir":
        return sorted(p.stem for p in (folder / "qrels").glob("*.tsv"))
    names = [p.name for p in folder.glob("nq-*")]
    return sorted({re.sub(r"^nq-|(\.qa)?\.(json|csv)$", "", n) for n in names if re.search(r"\.(json|csv)$", n)})


def _split_file(path: Path, split: str) -> Path:
    """`path`, or a DataFormatError naming it and the splits the folder does have."""
    if path.is_file():
        return path
    folder = path.parent.parent if path.parent.name == "qrels" else path.parent
    have = available_splits(folder)
    expected = f"one of the splits this folder has: {', '.join(have)}" if have else "a split's files in the folder"
    raise DataFormatError(path, None, f"file not found: no split {split!r} here", expected)


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


def load_msmarco(folder: str | Path, split: str = "dev", strict: bool = False) -> RetrievalData:
    """Load an MS MARCO-style folder: collection.tsv, queries.<split>.tsv, qrels.<split>.tsv.

    Any split named by its files reads, e.g. `dev.small` (queries.dev.small.tsv, qrels.dev.small.tsv: the
    6,980 queries MS MARCO's MRR@10 is reported on) beside the full `dev`.
    """
    folder = Path(folder)
    qpath = _split_file(folder / f"queries.{split}.tsv", split)  # before the corpus: a wrong split fails fast
    rpath = _split_file(folder / f"qrels.{split}.tsv", split)
    corpus = dict(iter_msmarco_collection(folder / "collection.tsv"))
    queries: dict[str, str] = {}
    for lineno, (qid, text) in iter_tsv(qpath, 2):
        _add_unique(queries, qid.strip(), nonempty_text(text, qpath, lineno, "query"), qpath, lineno, "query")
    qrels, where = read_msmarco_qrels(rpath)
    quirks = Quirks(strict)
    _check_qrels(qrels, corpus, queries, where, quirks)
    queries = {q: t for q, t in queries.items() if q in qrels}  # judged queries only
    return _finish(RetrievalData(corpus, queries, qrels, name=folder.name, split=split), quirks, rpath)


# ---------------------------------------------------------------------------------------------
# BEIR


def load_beir(folder: str | Path, split: str = "test", strict: bool = False) -> RetrievalData:
    """Load a BEIR folder: corpus.jsonl, queries.jsonl, qrels/<split>.tsv (queries kept if judged)."""
    folder = Path(folder)
    rpath = _split_file(folder / "qrels" / f"{split}.tsv", split)  # before the corpus: a wrong split fails fast
    corpus = dict(iter_beir_corpus(folder / "corpus.jsonl"))
    qpath = folder / "queries.jsonl"
    all_queries: dict[str, str] = {}
    for lineno, obj in iter_jsonl(qpath):
        _add_unique(all_queries, json_field(obj, "_id", qpath, lineno), json_field(obj, "text", qpath, lineno).strip(),
                    qpath, lineno, "query")
    qrels: dict[str, dict[str, int]] = {}
    where: dict = {}
    for lineno, fields in iter_tsv(rpath, 3, header=["query-id", "corpus-id", "score"]):
        qid, pid, score = (f.strip() for f in fields)
        _add_qrel(qrels, where, qid, pid, score, rpath, lineno, "score")
    quirks = Quirks(strict)
    _check_qrels(qrels, corpus, all_queries, where, quirks)
    queries = {q: all_queries[q] for q in qrels}
    return _finish(RetrievalData(corpus, queries, qrels, name=folder.name, split=split), quirks, rpath)


# ---------------------------------------------------------------------------------------------
# DPR / Natural Questions


def dpr_questions_file(folder: Path, split: str, questions: str | None = None) -> Path:
    """`nq-<split>.json` (questions with contexts), else DPR's answers-only `nq-<split>.qa.csv` (or `.csv`)."""
    if questions:
        return folder / questions
    for name in (f"nq-{split}.json", f"nq-{split}.qa.csv", f"nq-{split}.csv"):
        if (folder / name).is_file():
            return folder / name
    return _split_file(folder / f"nq-{split}.json", split)


def read_dpr_qa(path: str | Path, split: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """DPR's `nq-test.qa.csv`: `question<TAB>['answer', ...]` a line, no header -> (queries, answers).

    The answer column is a Python list literal (DPR writes it with `str(list)`), read with `ast.literal_eval`;
    fields follow DPR's own `csv.reader(delimiter="\\t")`. Query ids are `<split>-<index>`, as for the JSON files.
    """
    path = Path(path)
    queries: dict[str, str] = {}
    answers: dict[str, list[str]] = {}
    for lineno, line in iter_lines(path):
        fields = next(csv.reader([line], delimiter="\t"))
        if len(fields) != 2:
            raise DataFormatError(path, lineno, f"found {len(fields)} tab-separated columns",
                                  "2 columns: question, list of answers")
        question, literal = fields
        try:
            value = ast.literal_eval(literal.strip())
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            value = None
        if not isinstance(value, list) or not value or not all(isinstance(a, str) for a in value):
            raise DataFormatError(path, lineno, f"answers {literal[:40]!r} are not a list of strings",
                                  "a Python list of answer strings, e.g. ['Paris']")
        qid = f"{split}-{len(queries)}"
        queries[qid] = nonempty_text(question, path, lineno, "question")
        answers[qid] = value
    return queries, answers


def load_dpr(folder: str | Path, split: str = "dev", passages: str = "psgs.tsv",
             questions: str | None = None, strict: bool = False) -> RetrievalData:
    """Load DPR-format NQ: `psgs.tsv` (id, text, title) and `nq-<split>.json` (questions + contexts).

    Query ids are `<split>-<index>` since DPR questions carry none. Relevance comes from
    `positive_ctxs[].passage_id`; `hard_negative_ctxs` are kept as training negatives. A split with only
    `nq-<split>.qa.csv` has answers and no qrels: it is scored by answer accuracy. Questions with no
    positive_ctxs, and contexts naming passages psgs.tsv lacks, are dropped (strict: refused).
    """
    folder = Path(folder)
    qpath = dpr_questions_file(folder, split, questions)
    corpus = dict(iter_dpr_passages(folder / passages))
    if qpath.suffix == ".csv":
        queries, answers = read_dpr_qa(qpath, split)
        return RetrievalData(corpus, queries, {}, answers, name=folder.name, split=split)
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
    quirks = Quirks(strict)
    for i, item in enumerate(items):
        where = f"{qpath} item {i}"
        if not isinstance(item, dict):
            raise DataFormatError(where, None, f"found a JSON {type(item).__name__}", "a question object")
        qid = f"{split}-{i}"
        question = json_field(item, "question", where, None).strip()
        answers = item.get("answers", [])
        if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
            raise DataFormatError(where, None, "'answers' is not a list of strings", "a list of strings")
        ctx_pids = {}
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
                    quirks.add(f"contexts naming passages missing from {Path(passages).name}", pid, where, None,
                               f"{key} names unknown passage id {pid!r}", f"an id from {Path(passages).name}")
                    continue
                pids.append(pid)
            ctx_pids[key] = pids
        if not ctx_pids["positive_ctxs"]:
            quirks.add("questions with no positive_ctxs", qid, where, None, "no positive_ctxs",
                       "at least one positive context")
            continue
        data.queries[qid] = question
        data.answers[qid] = answers
        data.qrels[qid] = {pid: 1 for pid in ctx_pids["positive_ctxs"]}
        data.hard_negatives[qid] = ctx_pids["hard_negative_ctxs"]
    return _finish(data, quirks, qpath)


# ---------------------------------------------------------------------------------------------


def load_data(folder: str | Path, split: str, strict: bool = False) -> RetrievalData:
    """Load any of the three formats, detected from the folder's files (strict: known quirks are errors)."""
    loader = {"msmarco": load_msmarco, "beir": load_beir, "dpr": load_dpr}[detect_format(folder)]
    return loader(folder, split, strict=strict)
