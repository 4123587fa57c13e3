"""False-negative inspector: one query's positives and mined negatives side by side.

A mined "negative" that actually answers the query teaches the model the wrong thing; the
false-negative filter tries to catch those, and can instead drop true hard negatives (the margin filter
under a weak teacher drops everything ranked above the positive). Reading a few queries by eye is the
way to check it:
`negatives_frame` lays out, for one training example written by `mine_negatives` (or read back with
`read_train_file`), every positive, every kept negative and every candidate a filter dropped, with
dense score, BM25 / dense ranks, source and the filter's decision; the caption names the filter mode,
the rank window and the margin threshold, where the example records them. `negatives_html` renders the same
for a notebook; every piece of query and passage text goes through `html.escape`, so a corpus holding
`<script>` shows it as text and never runs it.
"""

from __future__ import annotations

import html

import pandas as pd

from dptdr_mini.data.loaders import Passage
from dptdr_mini.data.examples import TrainExample

COLUMNS = ("role", "pid", "source", "bm25_rank", "dense_rank", "dense_score", "decision", "text")


def _short(text: str, max_chars: int) -> str:
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


def negatives_frame(example: TrainExample, corpus: dict[str, Passage], max_chars: int = 200) -> pd.DataFrame:
    """One row per positive, kept negative and dropped candidate (in that order), best dense score first."""
    extra = example.extra
    pos_scores = extra.get("positive_scores", {})
    rows = [{"role": "positive", "pid": pid, "source": "qrels", "bm25_rank": None, "dense_rank": None,
             "dense_score": pos_scores.get(pid), "decision": "positive"} for pid in example.positives]
    provenance = {p["pid"]: p for p in extra.get("negative_provenance", [])}
    for pid in example.negatives:
        p = provenance.get(pid, {})
        rows.append({"role": "negative", "pid": pid, "source": p.get("source", "?"), "bm25_rank": p.get("bm25_rank"),
                     "dense_rank": p.get("dense_rank"), "dense_score": p.get("dense_score"), "decision": "kept"})
    for f in extra.get("filtered", []):
        rows.append({"role": "dropped", "pid": f["pid"], "source": f.get("source", "?"),
                     "bm25_rank": f.get("bm25_rank"), "dense_rank": f.get("dense_rank"),
                     "dense_score": f.get("dense_score"), "decision": f"dropped: {f.get('reason', '?')}"})
    for row in rows:
        row["text"] = _short(corpus[row["pid"]].full_text, max_chars) if row["pid"] in corpus else ""
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    order = {"positive": 0, "negative": 1, "dropped": 2}
    frame["_role"] = frame["role"].map(order)
    frame["_score"] = pd.to_numeric(frame["dense_score"], errors="coerce").fillna(float("-inf"))
    frame = frame.sort_values(["_role", "_score"], ascending=[True, False], kind="stable")
    return frame.drop(columns=["_role", "_score"]).reset_index(drop=True)


def find_example(examples: list[TrainExample], query_id: str) -> TrainExample:
    for ex in examples:
        if ex.query_id == query_id:
            return ex
    raise KeyError(f"query id {query_id!r} is not in the mined file ({len(examples)} queries)")


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(f"{value:.4f}" if isinstance(value, float) else str(value))


def negatives_html(example: TrainExample, corpus: dict[str, Passage], max_chars: int = 300) -> str:
    """The frame as an HTML table with the query as caption; all text escaped, rows coloured by decision."""
    frame = negatives_frame(example, corpus, max_chars)
    colour = {"positive": "#e6f4ea", "negative": "#ffffff", "dropped": "#fce8e6"}
    threshold, mode = example.extra.get("filter_threshold"), example.extra.get("fn_filter")
    window = example.extra.get("rank_window")
    caption = f"{html.escape(example.query_id)}: {html.escape(example.query)}"
    notes = [f"filter {_cell(mode)}"] if mode is not None else []          # any type: it comes from a file
    if isinstance(window, list) and len(window) == 2:
        notes.append(f"ranks ({_cell(window[0])}, {_cell(window[1])}]")
    if threshold is not None:
        notes.append(f"false-negative threshold {_cell(threshold)}")
    if notes:
        caption += f" <small>({'; '.join(notes)})</small>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in frame.columns)
    body = "".join(
        f'<tr style="background:{colour[row.role]}">' + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False))
    return (f'<table class="dptdr-negatives"><caption style="text-align:left">{caption}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
