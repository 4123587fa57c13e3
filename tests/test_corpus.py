"""The corpus readers: every consumer (in-memory loader, RIP's pair stream, sharded encoding) reads a row
the same way, so an edge-case row is refused by all of them with one file:line error, or read by all
of them as the same passage."""

from __future__ import annotations

import json
import random
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from dptdr_mini.data.corpus import Passage, iter_corpus
from dptdr_mini.data.loaders import load_data
from dptdr_mini.errors import DataFormatError
from dptdr_mini.retrieve import shards
from dptdr_mini.training import pseudo_pairs, rip

# Every corpus starts with a good passage `p0` that the queries and qrels judge, so that the loader
# gets past them and only the corpus row under test decides its fate.
MARCO_HEAD = "p0\tcats purr\n"
BEIR_HEAD = '{"_id": "p0", "title": "Cat", "text": "cats purr"}\n'
DPR_HEAD = "id\ttext\ttitle\np0\tcats purr\tCat\n"
CAT = ("p0", Passage("cats purr"))
TITLED_CAT = ("p0", Passage("cats purr", "Cat"))

# (case, layout, corpus file text, what every consumer must give)
# what: a list of (pid, Passage) in file order, or (line, message fragment) of the DataFormatError.
CASES = [
    # MS MARCO collection.tsv
    ("empty-text", "msmarco", MARCO_HEAD + "p1\t   \n", (2, "empty passage text")),
    ("tab-only", "msmarco", MARCO_HEAD + "p1\t\n", (2, "empty passage text")),
    ("missing-id", "msmarco", MARCO_HEAD + "dogs bark\n", (2, "1 tab-separated columns")),
    ("empty-id", "msmarco", MARCO_HEAD + " \tdogs bark\n", (2, "empty passage id")),
    ("duplicate-id", "msmarco", MARCO_HEAD + "p0\tdogs bark\n", (2, "duplicate passage id 'p0'")),
    ("duplicate-after-strip", "msmarco", MARCO_HEAD + " p0 \tdogs bark\n", (2, "duplicate passage id 'p0'")),
    ("numeric-id", "msmarco", MARCO_HEAD + "007\tdogs bark\n", [CAT, ("007", Passage("dogs bark"))]),
    ("bom", "msmarco", "\ufeff" + MARCO_HEAD + "p1\tdogs bark\n", [CAT, ("p1", Passage("dogs bark"))]),
    ("crlf", "msmarco", "p0\tcats purr\r\np1\tdogs bark\r\n", [CAT, ("p1", Passage("dogs bark"))]),
    ("zero-passages", "msmarco", "\n\n", (None, "zero passages")),
    # BEIR corpus.jsonl
    ("empty-text-with-title", "beir", BEIR_HEAD + '{"_id": "p1", "title": "Dog", "text": ""}\n',
     [TITLED_CAT, ("p1", Passage("", "Dog"))]),
    ("empty-title-and-text", "beir", BEIR_HEAD + '{"_id": "p1", "title": " ", "text": ""}\n',
     (2, "empty passage text and title")),
    ("non-string-title", "beir", BEIR_HEAD + '{"_id": "p1", "title": 5, "text": "dogs"}\n', (2, "'title' is int")),
    ("falsy-non-string-title", "beir", BEIR_HEAD + '{"_id": "p1", "title": 0, "text": "dogs"}\n',
     (2, "'title' is int")),
    ("null-title", "beir", BEIR_HEAD + '{"_id": "p1", "title": null, "text": "dogs"}\n',
     [TITLED_CAT, ("p1", Passage("dogs"))]),
    ("non-string-text", "beir", BEIR_HEAD + '{"_id": "p1", "text": ["dogs"]}\n', (2, "'text' is list")),
    ("null-text", "beir", BEIR_HEAD + '{"_id": "p1", "title": "Dog", "text": null}\n', (2, "'text' is NoneType")),
    ("missing-id", "beir", BEIR_HEAD + '{"text": "dogs"}\n', (2, "missing key '_id'")),
    ("empty-id", "beir", BEIR_HEAD + '{"_id": " ", "text": "dogs"}\n', (2, "empty '_id'")),
    ("bool-id", "beir", BEIR_HEAD + '{"_id": true, "text": "dogs"}\n', (2, "'_id' is bool")),
    ("duplicate-id", "beir", BEIR_HEAD + '{"_id": "p0", "text": "dogs"}\n', (2, "duplicate passage id 'p0'")),
    ("numeric-id", "beir", BEIR_HEAD + '{"_id": 7, "text": "dogs"}\n', [TITLED_CAT, ("7", Passage("dogs"))]),
    ("numeric-duplicate-id", "beir", BEIR_HEAD + '{"_id": 7, "text": "dogs"}\n{"_id": "7", "text": "eels"}\n',
     (3, "duplicate passage id '7'")),
    ("bom", "beir", "\ufeff" + BEIR_HEAD, [TITLED_CAT]),
    ("crlf", "beir", BEIR_HEAD.replace("\n", "\r\n") + '{"_id": "p1", "text": "dogs"}\r\n',
     [TITLED_CAT, ("p1", Passage("dogs"))]),
    ("zero-passages", "beir", "\n", (None, "zero passages")),
    # DPR psgs.tsv (line 1 is the header)
    ("empty-text", "dpr", DPR_HEAD + "p1\t \tDog\n", (3, "empty passage text")),
    ("empty-title-and-text", "dpr", DPR_HEAD + "p1\t\t\n", (3, "empty passage text")),
    ("empty-title", "dpr", DPR_HEAD + "p1\tdogs bark\t\n", [TITLED_CAT, ("p1", Passage("dogs bark"))]),
    ("missing-id", "dpr", DPR_HEAD + "dogs bark\tDog\n", (3, "2 tab-separated columns")),
    ("empty-id", "dpr", DPR_HEAD + "\tdogs bark\tDog\n", (3, "empty passage id")),
    ("duplicate-id", "dpr", DPR_HEAD + "p0\tdogs bark\tDog\n", (3, "duplicate passage id 'p0'")),
    ("numeric-id", "dpr", DPR_HEAD + "007\tdogs bark\tDog\n", [TITLED_CAT, ("007", Passage("dogs bark", "Dog"))]),
    ("bom", "dpr", "\ufeff" + DPR_HEAD, [TITLED_CAT]),
    ("crlf", "dpr", DPR_HEAD.replace("\n", "\r\n"), [TITLED_CAT]),
    ("no-header", "dpr", "p0\tcats purr\tCat\n", [TITLED_CAT]),
    ("zero-passages", "dpr", "id\ttext\ttitle\n", (None, "zero passages")),
]
CORPUS_FILE = {"msmarco": "collection.tsv", "beir": "corpus.jsonl", "dpr": "psgs.tsv"}
SPLIT = {"msmarco": "dev", "beir": "test", "dpr": "dev"}


def write_folder(folder: Path, layout: str, corpus: str) -> Path:
    """A complete folder of `layout` whose queries and qrels judge passage p0."""
    files = {CORPUS_FILE[layout]: corpus}
    if layout == "msmarco":
        files |= {"queries.dev.tsv": "q1\twhy purr\n", "qrels.dev.tsv": "q1\t0\tp0\t1\n"}
    elif layout == "beir":
        files |= {"queries.jsonl": '{"_id": "q1", "text": "why purr"}\n',
                  "qrels/test.tsv": "query-id\tcorpus-id\tscore\nq1\tp0\t1\n"}
    else:
        files |= {"nq-dev.json": json.dumps([{"question": "why purr", "answers": ["cats"],
                                              "positive_ctxs": [{"passage_id": "p0"}]}])}
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(text.encode("utf-8"))
    return folder


def outcome(read) -> tuple:
    """('error', file, line, message) if `read()` raises DataFormatError, else ('ok', its value)."""
    try:
        return "ok", read()
    except DataFormatError as e:
        return "error", Path(e.path).name, e.line, str(e).split(": ", 1)[1]


def loader_passages(folder: Path, layout: str) -> list:
    return list(load_data(folder, SPLIT[layout]).corpus.items())


def rip_passages(folder: Path) -> list:
    """One pass of RIP's shuffled stream over the reader it uses, back in file order."""
    order = {pid: i for i, (pid, _) in enumerate(iter_corpus(folder))}
    stream = pseudo_pairs.shuffled_passages(lambda: pseudo_pairs.iter_corpus(folder), 1000, random.Random(0))
    return sorted(iter(stream.__next__, pseudo_pairs.EPOCH_END), key=lambda item: order[item[0]])


def rip_first_batch(folder: Path, tmp_path: Path) -> list:
    """RIP's pair stream as `pretrain` builds it; only its error (or lack of one) is compared."""
    cfg = rip.RIPConfig(data=str(folder), output_dir=str(tmp_path / "rip"), batch_size=1, span_min=1, span_max=1,
                        method="span")  # any one-word passage gives a pair: only the reader is tested
    return next(pseudo_pairs.pseudo_pair_batches(cfg, random.Random(0)))


def encoded_texts(folder: Path, out: Path, monkeypatch) -> list[tuple[str, str]]:
    """(pid, text the encoder was given) of a real `encode_shard` run with a stand-in encoder."""
    given: list[str] = []

    def fake_encode(model, texts, kind, batch_size, quiet):
        given.extend(texts)
        return np.zeros((len(texts), 2), np.float32)   # (n, hidden)
    monkeypatch.setattr(shards, "encode_texts", fake_encode)
    model = SimpleNamespace(fingerprint="stand-in", query_backbone=SimpleNamespace(config=SimpleNamespace(hidden_size=2)))
    shards.encode_shard(model, folder, out, shards.ShardConfig(quiet=True))
    ids, _ = shards.load_shard(shards.shard_dir(out, 0, 1))
    return list(zip(ids, given))


@pytest.mark.parametrize("case,layout,corpus,expected", CASES, ids=[f"{c[1]}-{c[0]}" for c in CASES])
def test_loader_rip_and_sharded_encoding_agree_on_every_edge_case_row(case, layout, corpus, expected, tmp_path,
                                                                      monkeypatch):
    folder = write_folder(tmp_path / "data", layout, corpus)
    loaded = outcome(lambda: loader_passages(folder, layout))
    streamed = outcome(lambda: rip_passages(folder))
    paired = outcome(lambda: rip_first_batch(folder, tmp_path))
    encoded = outcome(lambda: encoded_texts(folder, tmp_path / "shards", monkeypatch))
    if isinstance(expected, list):                               # read by all, as the same passages
        assert loaded == streamed == ("ok", expected)
        assert encoded == ("ok", [(pid, p.full_text) for pid, p in expected])
        assert paired[0] == "ok"
    else:                                                        # refused by all, with one message
        line, fragment = expected
        assert loaded[:3] == ("error", CORPUS_FILE[layout], line) and fragment in loaded[3]
        assert streamed == paired == encoded == loaded


def test_iter_corpus_streams_all_three_sample_layouts_with_title_prefix(samples):
    """Moved from test_shards: the sample corpora stream with unique ids, the DPR one with titles."""
    for layout, first_has_title in (("msmarco", False), ("beir", None), ("nq", True)):
        rows = list(iter_corpus(samples / layout))
        assert len(rows) == len({pid for pid, _ in rows}) > 100
        if first_has_title:
            assert ": " in rows[0][1].full_text


@pytest.mark.parametrize("layout", ["msmarco", "beir", "nq"])
def test_the_stream_is_the_loaded_corpus(samples, layout):
    """The in-memory corpus is the stream, in file order, for each sample."""
    split = {"msmarco": "dev", "beir": "test", "nq": "dev"}[layout]
    assert list(load_data(samples / layout, split).corpus.items()) == list(iter_corpus(samples / layout))


def test_a_stream_reads_lazily_up_to_the_bad_row(tmp_path):
    """Streaming consumers see the good rows before the bad one: the reader builds nothing first."""
    folder = write_folder(tmp_path, "msmarco", MARCO_HEAD + "p1\tdogs bark\np0\tagain\n")
    stream = iter_corpus(folder)
    assert [next(stream)[0], next(stream)[0]] == ["p0", "p1"]
    with pytest.raises(DataFormatError, match="collection.tsv:3: duplicate passage id 'p0'"):
        next(stream)
