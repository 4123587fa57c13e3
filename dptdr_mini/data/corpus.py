"""One streaming reader per corpus format, so that every consumer sees the same passages.

- MS MARCO `collection.tsv`: `pid<TAB>text`, no header.
- BEIR `corpus.jsonl`: one `{"_id", "title", "text"}` object a line.
- DPR `psgs.tsv`: `id<TAB>text<TAB>title`, header `id text title`.

`iter_corpus(folder)` picks the reader from the folder's files and yields `(pid, Passage)` one line at a
time. The in-memory loaders (`dict(iter_corpus(...))`), RIP's pseudo-pair stream and sharded encoding
all read through it, so a row is valid for all of them or refused by all of them with the same
`DataFormatError` naming file and line:

    empty text (BEIR: empty title and text)   a non-string title or text   a missing or empty id
    a duplicate id                            a corpus with zero passages

The line readers (`iter_tsv`, `iter_jsonl`) are the only place data files are opened; the query and
qrels readers in `data/loaders` use them too. They accept a UTF-8 byte-order mark, CRLF line ends and
blank lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
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


# ---------------------------------------------------------------------------------------------
# Line readers: the only place files are opened, so every error carries file and line.


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
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
    for lineno, line in iter_lines(path):
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
    for lineno, line in iter_lines(path):
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


def json_field(obj: dict, key: str, path: str | Path, lineno: int | None, kind: type = str, allow_empty=False):
    """`obj[key]`, checked to be a `kind` (a numeric `...id` becomes a string) and, for text, non-empty."""
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


def nonempty_text(value: str, path: Path, lineno: int, what: str) -> str:
    """The stripped text of a TSV column, refused if blank."""
    if not value.strip():
        raise DataFormatError(path, lineno, f"empty {what} text", "non-empty text")
    return value.strip()


# ---------------------------------------------------------------------------------------------
# One reader per format: (line, pid, Passage) rows, then the checks that span the whole stream.


def _tsv_id(value: str, path: Path, lineno: int) -> str:
    if not value.strip():
        raise DataFormatError(path, lineno, "empty passage id", "an id in the first column")
    return value.strip()


def _each_id_once(rows: Iterable[tuple[int, str, Passage]], path: Path) -> Iterator[tuple[str, Passage]]:
    """Yield (pid, passage), refusing a repeated id and a corpus with no passage at all.

    The ids seen are kept in a set while streaming. At MS MARCO's 8.8M passages that set costs
    about 0.27 GB of hash table (plus the id strings, about 0.5 GB, when the consumer does not keep
    them itself) and about 3 s of CPU: small next to encoding, and the price of one rule for all.
    """
    seen: set[str] = set()
    for lineno, pid, passage in rows:
        if pid in seen:
            raise DataFormatError(path, lineno, f"duplicate passage id {pid!r}", "unique ids")
        seen.add(pid)
        yield pid, passage
    if not seen:
        raise DataFormatError(path, None, "the corpus has zero passages", "at least one passage")


def iter_msmarco_collection(path: str | Path) -> Iterator[tuple[str, Passage]]:
    """Stream (pid, Passage) from an MS MARCO `collection.tsv` (pid, text; no title)."""
    path = Path(path)
    rows = ((lineno, _tsv_id(pid, path, lineno), Passage(nonempty_text(text, path, lineno, "passage")))
            for lineno, (pid, text) in iter_tsv(path, 2))
    return _each_id_once(rows, path)


def _beir_row(obj: dict, path: Path, lineno: int) -> tuple[int, str, Passage]:
    """One BEIR object: `_id` (string or number), `text` (string), `title` (string, absent or null)."""
    pid = json_field(obj, "_id", path, lineno)
    text = json_field(obj, "text", path, lineno, allow_empty=True)
    title = obj.get("title")
    title = "" if title is None else title
    if not isinstance(title, str):
        raise DataFormatError(path, lineno, f"'title' is {type(title).__name__}", "str")
    if not text.strip() and not title.strip():
        raise DataFormatError(path, lineno, "empty passage text and title", "non-empty text")
    return lineno, pid, Passage(text.strip(), title.strip())


def iter_beir_corpus(path: str | Path) -> Iterator[tuple[str, Passage]]:
    """Stream (pid, Passage) from a BEIR `corpus.jsonl`; a passage may have a title and no text."""
    path = Path(path)
    return _each_id_once((_beir_row(obj, path, lineno) for lineno, obj in iter_jsonl(path)), path)


def iter_dpr_passages(path: str | Path) -> Iterator[tuple[str, Passage]]:
    """Stream (pid, Passage) from a DPR `psgs.tsv` (id, text, title; header optional)."""
    path = Path(path)
    rows = ((lineno, _tsv_id(pid, path, lineno), Passage(nonempty_text(text, path, lineno, "passage"), title.strip()))
            for lineno, (pid, text, title) in iter_tsv(path, 3, header=["id", "text", "title"]))
    return _each_id_once(rows, path)


# ---------------------------------------------------------------------------------------------


CORPUS_FILES = {"msmarco": "collection.tsv", "beir": "corpus.jsonl", "dpr": "psgs.tsv"}
READERS = {"msmarco": iter_msmarco_collection, "beir": iter_beir_corpus, "dpr": iter_dpr_passages}


def detect_format(folder: str | Path) -> str:
    """'msmarco', 'beir' or 'dpr', from the files a folder holds."""
    folder = Path(folder)
    if not folder.exists():
        raise DataFormatError(folder, None, "no such folder", "a data folder (see --help for the formats)")
    for kind, name in CORPUS_FILES.items():
        if (folder / name).is_file():
            return kind
    raise DataFormatError(folder, None, "unknown data layout",
                          "collection.tsv (MS MARCO), corpus.jsonl (BEIR) or psgs.tsv (DPR/NQ)")


def iter_corpus(folder: str | Path) -> Iterator[tuple[str, Passage]]:
    """Stream (pid, Passage) from the corpus file of a folder in any of the three layouts."""
    kind = detect_format(folder)
    return READERS[kind](Path(folder) / CORPUS_FILES[kind])
