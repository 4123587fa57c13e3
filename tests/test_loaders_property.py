"""Loaders under random input (hypothesis): valid files round-trip; garbage loads or raises DataFormatError.

"Never another exception type" is the property that keeps the CLI's promise of one clear error line:
a KeyError, UnicodeError or RecursionError escaping a loader would reach the user as a traceback.
Example counts are kept small so the whole file runs in a few seconds.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dptdr_mini.data.loaders import load_beir, load_dpr, load_msmarco
from dptdr_mini.errors import DataFormatError
from dptdr_mini.data.examples import read_train_file

FAST = settings(max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
MANY = settings(FAST, max_examples=100)

# A field of a TSV line: no tab or line break; the BOM is only special as a file's first character.
field_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\n\r\ufeff")
ident = st.text(field_chars, min_size=1, max_size=12).map(str.strip).filter(bool)
text = st.text(field_chars, min_size=1, max_size=60).filter(lambda t: t.strip())
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)  # JSON escapes anything
corpora = st.dictionaries(ident, text, min_size=1, max_size=8)


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return folder


def loads_or_data_error(load) -> None:
    try:
        load()
    except DataFormatError:
        pass


@FAST
@given(corpus=corpora, data=st.data())
def test_msmarco_tsv_round_trips(corpus, data):
    qids = data.draw(st.lists(ident, min_size=1, max_size=4, unique=True))
    queries = {q: data.draw(text) for q in qids}
    qrels = {q: {data.draw(st.sampled_from(sorted(corpus))): data.draw(st.integers(0, 3))} for q in qids}
    with tempfile.TemporaryDirectory() as tmp:
        folder = write(Path(tmp), {
            "collection.tsv": "".join(f"{p}\t{t}\n" for p, t in corpus.items()),
            "queries.dev.tsv": "".join(f"{q}\t{t}\n" for q, t in queries.items()),
            "qrels.dev.tsv": "".join(f"{q}\t0\t{p}\t{r}\n" for q, d in qrels.items() for p, r in d.items())})
        loaded = load_msmarco(folder, "dev")
    assert {p: x.text for p, x in loaded.corpus.items()} == {p: t.strip() for p, t in corpus.items()}
    assert loaded.queries == {q: t.strip() for q, t in queries.items()} and loaded.qrels == qrels


@FAST
@given(ids=st.lists(ident, min_size=1, max_size=6, unique=True), data=st.data(), ascii_only=st.booleans())
def test_beir_jsonl_round_trips(ids, data, ascii_only):
    docs = [{"_id": i, "title": data.draw(any_text), "text": data.draw(any_text.filter(str.strip))} for i in ids]
    with tempfile.TemporaryDirectory() as tmp:
        folder = write(Path(tmp), {
            "corpus.jsonl": "".join(json.dumps(d, ensure_ascii=ascii_only) + "\n" for d in docs),
            "queries.jsonl": json.dumps({"_id": "q", "text": "a query"}) + "\n",
            "qrels/test.tsv": f"query-id\tcorpus-id\tscore\nq\t{ids[0]}\t1\n"})
        loaded = load_beir(folder, "test")
    assert {p: (x.title, x.text) for p, x in loaded.corpus.items()} == \
        {d["_id"]: (d["title"].strip(), d["text"].strip()) for d in docs}


MARCO = {"collection.tsv": "0\tcats purr\n1\tdogs bark\n", "queries.dev.tsv": "q1\twhy purr\n",
         "qrels.dev.tsv": "q1\t0\t0\t1\n"}
BEIR = {"corpus.jsonl": '{"_id": "0", "text": "cats"}\n', "queries.jsonl": '{"_id": "q1", "text": "why"}\n',
        "qrels/test.tsv": "query-id\tcorpus-id\tscore\nq1\t0\t1\n"}
NQ = {"psgs.tsv": "id\ttext\ttitle\n1\tcats purr\tCat\n",
      "nq-dev.json": '[{"question": "why", "answers": ["x"], "positive_ctxs": [{"passage_id": "1"}]}]'}
LOADERS = {"msmarco": (MARCO, lambda f: load_msmarco(f, "dev")), "beir": (BEIR, lambda f: load_beir(f, "test")),
           "nq": (NQ, lambda f: load_dpr(f, "dev"))}
garbage_bytes = st.one_of(st.binary(max_size=200),
                          st.lists(st.sampled_from([b"\t", b"\n", b"\r", b'"', b"{", b"}", b"[", b"0", b"q1", b"\xef\xbb\xbf",
                                                    b"\xff", b" ", b":", b",", b"null", b"1e999", b"-"]),
                                   max_size=40).map(b"".join))


@MANY
@given(target=st.sampled_from([(layout, name) for layout, (files, _) in LOADERS.items() for name in files]),
       garbage=garbage_bytes)
def test_garbage_in_any_file_loads_or_raises_data_format_error(target, garbage):
    layout, name = target
    files, load = LOADERS[layout]
    with tempfile.TemporaryDirectory() as tmp:
        folder = write(Path(tmp), {**files, name: garbage})
        loads_or_data_error(lambda: load(folder))


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | any_text,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3),
                           max_leaves=8)
KEYS = ["_id", "text", "title", "question", "answers", "positive_ctxs", "hard_negative_ctxs", "passage_id",
        "query_id", "query", "positives", "negatives"]
objects = st.dictionaries(st.sampled_from(KEYS), json_values | st.lists(st.dictionaries(
    st.just("passage_id"), json_values, max_size=1), max_size=2), max_size=6)


@MANY
@given(items=st.lists(objects | json_values, min_size=1, max_size=3))
def test_wrongly_typed_json_loads_or_raises_data_format_error(items):
    """Right syntax, wrong shapes: each JSON reader (BEIR corpus, DPR questions, training file)."""
    lines = "".join(json.dumps(i) + "\n" for i in items)
    with tempfile.TemporaryDirectory() as tmp:
        folder = write(Path(tmp), {**BEIR, "corpus.jsonl": lines})
        loads_or_data_error(lambda: load_beir(folder, "test"))
        folder = write(Path(tmp) / "nq", {**NQ, "nq-dev.json": json.dumps(items)})
        loads_or_data_error(lambda: load_dpr(folder, "dev"))
        train = write(Path(tmp), {"train.jsonl": lines}) / "train.jsonl"
        loads_or_data_error(lambda: read_train_file(train, {"0": None, "1": None}))


@FAST
@given(data=st.data())
def test_lenient_load_keeps_exactly_the_known_judgements_and_strict_refuses_any_unknown(data):
    """Qrels over random known and unknown ids: the default keeps the pairs whose query and passage exist
    (and the queries left with one), warning once; strict raises iff some pair names an unknown id."""
    import warnings

    from dptdr_mini.errors import DataQuirkWarning

    corpus = {f"p{i}": f"passage {i}" for i in range(4)}
    queries = {f"q{i}": f"query {i}" for i in range(3)}
    pairs = data.draw(st.lists(st.tuples(st.sampled_from(["q0", "q1", "q2", "q8", "q9"]),
                                         st.sampled_from(["p0", "p1", "p2", "p3", "p8", "p9"])),
                               min_size=1, max_size=10, unique=True))
    expected: dict = {}
    for q, p in pairs:
        if q in queries and p in corpus:
            expected.setdefault(q, {})[p] = 1
    unknown = any(q not in queries or p not in corpus for q, p in pairs)
    with tempfile.TemporaryDirectory() as tmp:
        folder = write(Path(tmp), {
            "collection.tsv": "".join(f"{p}\t{t}\n" for p, t in corpus.items()),
            "queries.dev.tsv": "".join(f"{q}\t{t}\n" for q, t in queries.items()),
            "qrels.dev.tsv": "".join(f"{q}\t0\t{p}\t1\n" for q, p in pairs)})
        try:
            load_msmarco(folder, "dev", strict=True)
            assert not unknown
        except DataFormatError as e:
            assert unknown and "unknown" in str(e) or not expected
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                loaded = load_msmarco(folder, "dev")
            except DataFormatError as e:
                assert not expected and "no judged query left" in str(e)
                return
        assert loaded.qrels == expected and set(loaded.queries) == set(expected)
        assert sum(issubclass(w.category, DataQuirkWarning) for w in caught) == (1 if unknown else 0)
