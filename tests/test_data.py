"""Loaders: each format reads its sample, and bad input names the file and line."""

import json

import pytest

from dptdr_mini.data.corpus import detect_format, iter_msmarco_collection
from dptdr_mini.data.loaders import load_beir, load_data, load_dpr, load_msmarco
from dptdr_mini.errors import DataFormatError


# -- the embedded samples ------------------------------------------------------------------------

@pytest.mark.parametrize("split", ["train", "dev"])
def test_msmarco_sample_loads_with_consistent_ids(samples, split):
    data = load_msmarco(samples / "msmarco", split)
    assert len(data.corpus) >= 250 and len(data.queries) >= 40
    assert set(data.queries) == set(data.qrels)
    assert all(pid in data.corpus for docs in data.qrels.values() for pid in docs)


def test_beir_sample_matches_the_msmarco_sample(samples):
    beir, marco = load_beir(samples / "beir", "test"), load_msmarco(samples / "msmarco", "dev")
    assert len(beir.corpus) == len(marco.corpus)
    assert beir.qrels == marco.qrels


def test_dpr_sample_has_answers_and_hard_negatives(samples):
    data = load_dpr(samples / "nq", "train")
    assert data.answers and set(data.answers) == set(data.queries)
    assert any(data.hard_negatives.values())
    assert all(any(p.title for p in data.corpus.values()) for _ in [0])


def test_format_detection(samples):
    assert [detect_format(samples / f) for f in ("msmarco", "beir", "nq")] == ["msmarco", "beir", "dpr"]


def test_streaming_collection_reader_yields_every_line(samples):
    assert sum(1 for _ in iter_msmarco_collection(samples / "msmarco" / "collection.tsv")) == \
        len(load_msmarco(samples / "msmarco", "dev").corpus)


def test_scifact_loads_in_beir_layout(scifact):
    train, test = load_data(scifact, "train"), load_data(scifact, "test")
    assert len(test.corpus) == 5183
    assert len(test.qrels) == 300 and len(train.qrels) == 809


# -- bad input: one clear error naming file and line ------------------------------------------------

def _marco(tmp_path, collection="0\tcats purr\n1\tdogs bark\n", queries="q1\twhy purr\n",
           qrels="q1\t0\t0\t1\n"):
    (tmp_path / "collection.tsv").write_bytes(collection.encode() if isinstance(collection, str) else collection)
    (tmp_path / "queries.dev.tsv").write_text(queries)
    (tmp_path / "qrels.dev.tsv").write_text(qrels)
    return tmp_path


def test_valid_minimal_msmarco_loads(tmp_path):
    data = load_msmarco(_marco(tmp_path), "dev")
    assert data.qrels == {"q1": {"0": 1}} and data.corpus["1"].text == "dogs bark"


@pytest.mark.parametrize("collection,line,match", [
    ("0\tcats\n1\tdogs\textra\n", 2, "3 tab-separated columns"),
    ("0\tcats\n1\t   \n", 2, "empty passage text"),
    ("0\tcats\n0\tdogs\n", 2, "duplicate passage id"),
    (b"0\tcats\n1\tdo\xffgs\n", 2, "invalid UTF-8"),
    ("onlyonecolumn\n", 1, "1 tab-separated columns"),
])
def test_bad_collection_names_file_and_line(tmp_path, collection, line, match):
    with pytest.raises(DataFormatError, match=match) as err:
        load_msmarco(_marco(tmp_path, collection=collection), "dev")
    assert err.value.line == line and err.value.path.endswith("collection.tsv")


def test_bom_and_blank_lines_are_accepted(tmp_path):
    data = load_msmarco(_marco(tmp_path, collection="\ufeff0\tcats purr\n\n1\tdogs bark\r\n"), "dev")
    assert set(data.corpus) == {"0", "1"}


@pytest.mark.parametrize("qrels,match", [("q9\t0\t0\t1\n", "unknown query id 'q9'"),
                                         ("q1\t0\t77\t1\n", "unknown passage id '77'"),
                                         ("q1\t0\t0\n", "4 columns"),
                                         ("q1\t0\t0\tyes\n", "not an integer")])
def test_bad_qrels_name_file_and_line(tmp_path, qrels, match):
    with pytest.raises(DataFormatError, match=match) as err:
        load_msmarco(_marco(tmp_path, qrels=qrels), "dev")
    assert "qrels.dev.tsv:1" in str(err.value)


def test_empty_corpus_is_refused(tmp_path):
    with pytest.raises(DataFormatError, match="zero passages"):
        load_msmarco(_marco(tmp_path, collection="\n"), "dev")


def test_missing_file_is_named(tmp_path):
    with pytest.raises(DataFormatError, match="queries.train.tsv: file not found"):
        load_msmarco(_marco(tmp_path), "train")


def _beir(tmp_path, corpus, queries='{"_id": "q1", "text": "why purr"}\n', qrels="query-id\tcorpus-id\tscore\nq1\t0\t1\n"):
    (tmp_path / "qrels").mkdir(exist_ok=True)
    (tmp_path / "corpus.jsonl").write_text(corpus)
    (tmp_path / "queries.jsonl").write_text(queries)
    (tmp_path / "qrels" / "test.tsv").write_text(qrels)
    return tmp_path


@pytest.mark.parametrize("corpus,match", [
    ('{"_id": "0", "text": "cats"}\n{"_id": "1", "text": "dogs"\n', "invalid JSON"),
    ('{"_id": "0", "text": "cats"}\n{"text": "dogs"}\n', "missing key '_id'"),
    ('{"_id": "0", "text": "cats"}\n{"_id": "1", "text": 5}\n', "'text' is int"),
    ('{"_id": "0", "text": "cats"}\n["a list"]\n', "a JSON list"),
    ('{"_id": "0", "text": "cats"}\n{"_id": "1", "text": " ", "title": ""}\n', "empty passage"),
])
def test_bad_beir_corpus_names_file_and_line(tmp_path, corpus, match):
    with pytest.raises(DataFormatError, match=match) as err:
        load_beir(_beir(tmp_path, corpus), "test")
    assert "corpus.jsonl:2" in str(err.value)


def test_beir_numeric_ids_are_read_as_strings(tmp_path):
    data = load_beir(_beir(tmp_path, '{"_id": 0, "text": "cats"}\n'), "test")
    assert list(data.corpus) == ["0"]


def _dpr(tmp_path, items, psgs="id\ttext\ttitle\n1\tcats purr\tCat\n2\tdogs bark\tDog\n"):
    (tmp_path / "psgs.tsv").write_text(psgs)
    (tmp_path / "nq-dev.json").write_text(items if isinstance(items, str) else json.dumps(items))
    return tmp_path


def test_dpr_minimal_item_loads(tmp_path):
    items = [{"question": "why purr", "answers": ["cats"], "positive_ctxs": [{"passage_id": "1"}],
              "hard_negative_ctxs": [{"passage_id": 2}]}]
    data = load_dpr(_dpr(tmp_path, items), "dev")
    assert data.qrels == {"dev-0": {"1": 1}} and data.hard_negatives == {"dev-0": ["2"]}


@pytest.mark.parametrize("items,match", [
    ('[{"question": "x",', "invalid JSON"),
    ('{"question": "x"}', "a list of questions"),
    ([{"answers": []}], "missing key 'question'"),
    ([{"question": "x", "positive_ctxs": []}], "no positive_ctxs"),
    ([{"question": "x", "positive_ctxs": [{"passage_id": "9"}]}], "unknown passage id '9'"),
    ([{"question": "x", "answers": "cats", "positive_ctxs": [{"passage_id": "1"}]}], "list of strings"),
])
def test_bad_dpr_json_is_named(tmp_path, items, match):
    with pytest.raises(DataFormatError, match=match) as err:
        load_dpr(_dpr(tmp_path, items), "dev")
    assert "nq-dev.json" in str(err.value)


def test_unknown_layout_says_what_is_expected(tmp_path):
    with pytest.raises(DataFormatError, match="collection.tsv .*corpus.jsonl .*psgs.tsv"):
        detect_format(tmp_path)
