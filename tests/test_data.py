"""Loaders: each format reads its sample, and bad input names the file and line."""

import json

import pytest

from dptdr_mini.data.corpus import detect_format, iter_msmarco_collection
from dptdr_mini.data.loaders import available_splits, load_beir, load_data, load_dpr, load_msmarco
from dptdr_mini.errors import DataFormatError, DataQuirkWarning


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
        load_msmarco(_marco(tmp_path, qrels=qrels), "dev", strict=True)
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
        load_dpr(_dpr(tmp_path, items), "dev", strict=True)
    assert "nq-dev.json" in str(err.value)


def test_unknown_layout_says_what_is_expected(tmp_path):
    with pytest.raises(DataFormatError, match="collection.tsv .*corpus.jsonl .*psgs.tsv"):
        detect_format(tmp_path)


# -- real data as it comes: known quirks are dropped with one warning, --strict refuses them -----------------

ARGUANA_LIKE = {  # a BEIR set with every quirk of ArguAna/NFCorpus/Quora in miniature
    "corpus.jsonl": "".join(json.dumps(d) + "\n" for d in [
        {"_id": "a1", "title": "Cats", "text": "cats purr when content"},
        {"_id": "a2", "text": "dogs bark at strangers"},
        {"_id": "q1", "text": "why do cats purr"},        # q1's own copy: same id, same text
        {"_id": "q2", "text": "an unrelated passage"}]),  # same id as q2 by accident (Vaswani): kept
    "queries.jsonl": "".join(json.dumps(d) + "\n" for d in [
        {"_id": "q1", "text": "why do cats purr"}, {"_id": "q2", "text": "do dogs bark"}]),
    "qrels/test.tsv": "query-id\tcorpus-id\tscore\nq1\ta1\t1\nq1\tgone1\t1\nq2\ta2\t1\nq2\tgone2\t1\nq2\tgone3\t1\n"
                      "q2\tgone4\t1\nq7\ta1\t1\nq8\tgone5\t1\n",
}


def _write(folder, files):
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def test_beir_quirks_are_dropped_with_one_warning_counting_each_kind(tmp_path):
    folder = _write(tmp_path, ARGUANA_LIKE)
    with pytest.warns(DataQuirkWarning) as caught:
        data = load_beir(folder, "test")
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "test.tsv" in message and "--strict" in message
    assert "4 judged passages missing from the corpus (e.g. 'gone1', 'gone2', 'gone3')" in message  # not q8's
    assert "2 judged queries missing from the queries file (e.g. 'q7', 'q8')" in message
    assert "1 queries are also passages" in message and "'q1'" in message
    assert data.qrels == {"q1": {"a1": 1}, "q2": {"a2": 1}} and set(data.queries) == {"q1", "q2"}
    assert data.self_hits == {"q1"}  # q2 shares an id with an unrelated passage: not its copy


@pytest.mark.parametrize("qrels,match", [("q1\ta1\t1\nq1\tgone\t1\n", "unknown passage id 'gone'"),
                                         ("q1\ta1\t1\nq9\ta1\t1\n", "unknown query id 'q9'")])
def test_strict_refuses_the_quirks_naming_file_and_line(tmp_path, qrels, match):
    folder = _write(tmp_path, {**ARGUANA_LIKE, "qrels/test.tsv": "query-id\tcorpus-id\tscore\n" + qrels})
    with pytest.raises(DataFormatError, match=match) as err:
        load_data(folder, "test", strict=True)
    assert "test.tsv:3" in str(err.value)


def test_strict_keeps_a_query_s_own_passage(tmp_path):
    folder = _write(tmp_path, {**ARGUANA_LIKE, "qrels/test.tsv": "query-id\tcorpus-id\tscore\nq1\ta1\t1\n"})
    assert load_data(folder, "test", strict=True).self_hits == set()
    with pytest.warns(DataQuirkWarning, match="also passages"):
        assert load_data(folder, "test").self_hits == {"q1"}


def test_a_judged_own_passage_is_not_a_self_hit(tmp_path):
    folder = _write(tmp_path, {**ARGUANA_LIKE, "qrels/test.tsv": "query-id\tcorpus-id\tscore\nq1\tq1\t1\n"})
    assert load_data(folder, "test", strict=True).qrels == {"q1": {"q1": 1}}
    assert load_data(folder, "test").self_hits == set()


def test_dpr_questions_with_no_positive_are_dropped(tmp_path):
    items = [{"question": "why purr", "answers": ["cats"], "positive_ctxs": [{"passage_id": "1"}],
              "hard_negative_ctxs": [{"passage_id": "2"}, {"passage_id": "77"}]},
             {"question": "no positive", "answers": ["x"], "positive_ctxs": []},
             {"question": "positive gone", "answers": ["x"], "positive_ctxs": [{"passage_id": "99"}]}]
    with pytest.warns(DataQuirkWarning) as caught:
        data = load_dpr(_dpr(tmp_path, items), "dev")
    message = str(caught[0].message)
    assert len(caught) == 1 and "2 questions with no positive_ctxs (e.g. 'dev-1', 'dev-2')" in message
    assert "2 contexts naming passages missing from psgs.tsv (e.g. '77', '99')" in message
    assert data.qrels == {"dev-0": {"1": 1}} and data.hard_negatives == {"dev-0": ["2"]}
    assert set(data.queries) == set(data.answers) == {"dev-0"}


def test_nothing_left_after_dropping_is_an_error(tmp_path):
    folder = _write(tmp_path, {**ARGUANA_LIKE, "qrels/test.tsv": "query-id\tcorpus-id\tscore\nq1\tgone\t1\n"})
    with pytest.raises(DataFormatError, match="no judged query left after dropping"):
        load_beir(folder, "test")


@pytest.mark.parametrize("layout,split,names", [("beir", "dev", "test, train"), ("msmarco", "test", "dev, train"),
                                                ("nq", "test", "dev, train")])
def test_a_missing_split_names_the_splits_there_are(samples, layout, split, names):
    with pytest.raises(DataFormatError, match=f"no split '{split}'.*one of the splits this folder has: {names}"):
        load_data(samples / layout, split)


def test_msmarco_dev_small_split_reads(tmp_path):
    folder = _marco(tmp_path)
    (folder / "queries.dev.small.tsv").write_text("q1\twhy purr\n")
    (folder / "qrels.dev.small.tsv").write_text("q1 0 1 1\n")  # TREC qrels may be space-separated
    assert available_splits(folder) == ["dev", "dev.small"]
    assert load_data(folder, "dev.small").qrels == {"q1": {"1": 1}}


def test_dpr_qa_csv_reads_questions_and_answer_lists(tmp_path):
    folder = _dpr(tmp_path, [])
    (folder / "nq-test.qa.csv").write_text("who wrote it\t['Thomas Jefferson', \"O'Neil\"]\n"
                                           "what purrs\t['cats']\n")
    data = load_data(folder, "test")
    assert data.queries == {"test-0": "who wrote it", "test-1": "what purrs"} and data.qrels == {}
    assert data.answers == {"test-0": ["Thomas Jefferson", "O'Neil"], "test-1": ["cats"]}
    assert "test" in available_splits(folder)


@pytest.mark.parametrize("line", ["who\tThomas\n", "who\t['a', 3]\n", "who\t[]\n", "only a question\n"])
def test_bad_qa_csv_line_is_named(tmp_path, line):
    folder = _dpr(tmp_path, [])
    (folder / "nq-test.qa.csv").write_text("fine\t['x']\n" + line)
    with pytest.raises(DataFormatError, match="nq-test.qa.csv:2"):
        load_data(folder, "test")
