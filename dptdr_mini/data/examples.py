"""Training examples: a query, its positive passages, its hard negatives, and where each negative came from.

Built from a split's qrels (`examples_from_data`) or read from a JSONL training file written by
`mine` (one object a line: `query_id`, `query`, `positives`, `negatives`, optional `negative_sources`
and any provenance fields). `make_batch` turns B examples into the passage layout `contrastive_loss`
expects: per query one positive then k negatives.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

from dptdr_mini.data.loaders import Passage, RetrievalData, iter_jsonl
from dptdr_mini.errors import DataFormatError


@dataclass
class TrainExample:
    query_id: str
    query: str
    positives: list[str]
    negatives: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # provenance: negative sources, ranks, ...


def examples_from_data(data: RetrievalData) -> list[TrainExample]:
    """One example per judged query: positives = relevance > 0, negatives = the file's hard negatives."""
    out = []
    for qid, docs in data.qrels.items():
        positives = sorted(pid for pid, rel in docs.items() if rel > 0)
        if positives:
            out.append(TrainExample(qid, data.queries[qid], positives, list(data.hard_negatives.get(qid, []))))
    return drop_negatives_that_are_positives(out, f"{data.name} {data.split}")


def drop_negatives_that_are_positives(examples: list[TrainExample], source: str) -> list[TrainExample]:
    """A hard negative that is also its own query's positive contradicts the label: drop it, and say how many
    were dropped in one warning line on stderr (the one place qrels examples and training files pass through)."""
    dropped = queries = 0
    for ex in examples:
        positives = set(ex.positives)
        kept = [pid for pid in ex.negatives if pid not in positives]
        if len(kept) != len(ex.negatives):
            dropped += len(ex.negatives) - len(kept)
            queries += 1
            ex.negatives = kept
    if dropped:
        print(f"warning: {source}: dropped {dropped} hard negative(s) that are also their own query's positive, "
              f"in {queries} quer{'y' if queries == 1 else 'ies'} (a passage cannot be both)", file=sys.stderr)
    return examples


def write_train_file(path: str | Path, examples: list[TrainExample]) -> None:
    """Write examples as JSONL atomically (temp file + fsync + rename)."""
    from dptdr_mini.model.checkpoint import atomic_write_bytes

    lines = [json.dumps({"query_id": e.query_id, "query": e.query, "positives": e.positives,
                         "negatives": e.negatives, **e.extra}, ensure_ascii=False) for e in examples]
    atomic_write_bytes(path, ("\n".join(lines) + "\n").encode("utf-8"))


def read_train_file(path: str | Path, corpus: dict[str, Passage]) -> list[TrainExample]:
    """Read a JSONL training file; every passage id must exist in the corpus."""
    path = Path(path)
    out = []
    for lineno, obj in iter_jsonl(path):
        for key, kind in (("query_id", str), ("query", str), ("positives", list), ("negatives", list)):
            if key not in obj:
                raise DataFormatError(path, lineno, f"missing key {key!r}", "query_id, query, positives, negatives")
            if not isinstance(obj[key], kind):
                raise DataFormatError(path, lineno, f"{key!r} is {type(obj[key]).__name__}", kind.__name__)
        if not obj["query"].strip():
            raise DataFormatError(path, lineno, "empty 'query'", "non-empty text")
        if not obj["positives"]:
            raise DataFormatError(path, lineno, "empty 'positives'", "at least one positive passage id")
        for key in ("positives", "negatives"):
            for pid in obj[key]:
                if str(pid) not in corpus:
                    raise DataFormatError(path, lineno, f"{key} names unknown passage id {pid!r}", "an id from the corpus")
        extra = {k: v for k, v in obj.items() if k not in ("query_id", "query", "positives", "negatives")}
        out.append(TrainExample(obj["query_id"], obj["query"], [str(p) for p in obj["positives"]],
                                [str(p) for p in obj["negatives"]], extra))
    if not out:
        raise DataFormatError(path, None, "no training examples", "at least one JSON line")
    return drop_negatives_that_are_positives(out, str(path))


@dataclass
class TrainBatch:
    """One step's texts in `contrastive_loss`'s layout, with the ids needed to mask in-batch false negatives."""

    queries: list[str]               # B query texts
    passages: list[str]              # B*(1+k) passage texts: per query its positive, then its k negatives
    passage_ids: list[str]           # B*(1+k) ids, same order
    positive_ids: list[set[str]]     # B sets: every labelled positive of each query (its target included)


def make_batch(examples: list[TrainExample], corpus: dict[str, Passage], negatives: int,
               rng: random.Random, corpus_ids: list[str]) -> TrainBatch:
    """B examples -> a `TrainBatch`: per query one positive, then `negatives` negatives.

    Negatives come from the example's hard negatives (sampled without replacement, never one of its own
    positives); if it has too few, random corpus passages that are not its positives fill the rest.
    """
    batch = TrainBatch([], [], [], [])
    for ex in examples:
        target = rng.choice(ex.positives)                  # drawn first, as always: same RNG stream, same batches
        positives = set(ex.positives)
        hard = [pid for pid in ex.negatives if pid not in positives]
        chosen = list(hard) if len(hard) <= negatives else rng.sample(hard, negatives)
        banned = positives | set(chosen)
        while len(chosen) < negatives and len(banned) < len(corpus_ids):
            pid = rng.choice(corpus_ids)
            if pid not in banned:
                chosen.append(pid)
                banned.add(pid)
        if len(chosen) < negatives:
            raise DataFormatError("corpus", None, f"only {len(chosen)} passages available as negatives",
                                  f"{negatives} (lower --negatives)")
        batch.queries.append(ex.query)
        batch.positive_ids.append(positives)
        for pid in [target, *chosen]:
            batch.passage_ids.append(pid)
            batch.passages.append(corpus[pid].full_text)
    return batch
