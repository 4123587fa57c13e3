"""Pseudo query-passage pairs cut from an unlabelled corpus, streamed in batches: RIP's training data.

Three ways to make a (pseudo query, pseudo positive) pair from one passage (`make_pair`):

- `crop`  two spans of the passage that do not overlap and sit at least `gap` words apart
          (Contriever's independent cropping with the overlap ruled out): the query shares
          meaning with its positive, not a run of copied words;
- `span`  two spans drawn independently (coCondenser / Contriever cropping as-is). On ~55-word
          passages they overlap in most pairs, so the pair is learnt by spotting copied words:
          the loss starts far below chance and RIP mostly teaches copy detection;
- `ict`   inverse cloze task: one sentence is the query, the rest of its passage (with its title)
          the positive (Lee et al. 2019; the sentence stays in the context with prob. `keep_prob`).

`verbatim_share(query, positive)` measures how much of a pair is copied (the share of the
query's word 3-grams found verbatim in the positive): ~0.6 for `span` pairs on the MS MARCO
sample, ~0 for `crop` pairs.

The corpus is streamed line by line through a shuffle buffer (`shuffled_passages`), so the same
code serves the 300-passage sample and an 8.8M-passage collection; `pseudo_pair_batches` makes
batches of pairs from distinct passages, and `BM25Negatives` optionally adds mined negatives
(the only part that needs the corpus text in memory, for the BM25 index).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dptdr_mini.data.corpus import Passage, iter_corpus
from dptdr_mini.errors import ConfigError

if TYPE_CHECKING:  # rip.py imports this module; the config is only read here
    from dptdr_mini.training.rip import RIPConfig

METHODS = ("crop", "span", "ict")


# ---------------------------------------------------------------------------------------------
# Pair makers: plain functions of one passage and an RNG.


def random_span(words: list[str], rng: random.Random, span_min: int, span_max: int) -> str:
    """A random run of span_min..span_max consecutive words (all of them if the passage is shorter)."""
    length = rng.randint(min(span_min, len(words)), min(span_max, len(words)))
    start = rng.randint(0, len(words) - length)
    return " ".join(words[start:start + length])


def span_pairs(text: str, rng: random.Random, span_min: int = 8, span_max: int = 48,
               count: int = 1) -> list[tuple[str, str]]:
    """`count` (span, span) positive pairs cut independently from `text`; [] if it has < span_min words.

    The two spans may overlap (as Contriever's random crops do), and on short passages they
    mostly do: see `crop_pair` for pairs that cannot be solved by copying.
    """
    words = text.split()
    if len(words) < span_min:
        return []
    return [(random_span(words, rng, span_min, span_max), random_span(words, rng, span_min, span_max))
            for _ in range(count)]


def crop_pair(text: str, rng: random.Random, span_min: int = 8, span_max: int = 48,
              gap: int = 4) -> tuple[str, str] | None:
    """(query, positive): two spans of span_min..span_max words that do not overlap, >= `gap` words apart.

    A coin flip picks which of the two is the query (so the query is not always the earlier
    span). None if the passage has fewer than 2 * span_min + gap words.
    """
    words = text.split()
    n = len(words)
    if n < 2 * span_min + gap:
        return None
    len_a = rng.randint(span_min, min(span_max, n - span_min - gap))
    len_b = rng.randint(span_min, min(span_max, n - len_a - gap))
    slack = n - len_a - len_b - gap                   # words not in a span nor in the gap
    before = rng.randint(0, slack)                    # words before the first span
    between = rng.randint(0, slack - before)          # words between the spans beyond the gap
    start_b = before + len_a + gap + between
    first, second = " ".join(words[before:before + len_a]), " ".join(words[start_b:start_b + len_b])
    return (first, second) if rng.random() < 0.5 else (second, first)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[a-z0-9)][.!?])(?=[A-Z])")  # also "end.Next" (SciFact)


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def inverse_cloze_pair(text: str, rng: random.Random, span_min: int = 8, span_max: int = 48,
                       title: str = "", keep_prob: float = 0.1) -> tuple[str, str] | None:
    """(sentence, rest of the passage): one sentence of >= span_min words (cut to span_max) is the query.

    The context is `title: other sentences`; with probability `keep_prob` the sentence stays in it
    (ICT keeps it 10% of the time so the model also learns plain word overlap). None if the passage
    has fewer than two sentences or no sentence long enough.
    """
    sentences = split_sentences(text)
    eligible = [i for i, s in enumerate(sentences) if len(s.split()) >= span_min]
    if len(sentences) < 2 or not eligible:
        return None
    i = rng.choice(eligible)
    query = " ".join(sentences[i].split()[:span_max])
    keep = rng.random() < keep_prob
    context = " ".join(s for j, s in enumerate(sentences) if keep or j != i)
    return query, (f"{title}: {context}" if title else context)


def make_pair(passage: Passage, method: str, rng: random.Random, span_min: int, span_max: int,
              ict_keep: float = 0.1, gap: int = 4) -> tuple[str, str] | None:
    """One (pseudo query, pseudo positive) from a passage by `method`, or None if it is too short."""
    if method == "crop":
        return crop_pair(passage.full_text, rng, span_min, span_max, gap)
    if method == "span":
        pairs = span_pairs(passage.full_text, rng, span_min, span_max)
        return pairs[0] if pairs else None
    if method == "ict":
        return inverse_cloze_pair(passage.text, rng, span_min, span_max, passage.title, ict_keep)
    raise ConfigError(f"--method {method!r}: expected one of {METHODS}")


def verbatim_share(query: str, positive: str, n: int = 3) -> float:
    """Share of the query's word n-grams that appear verbatim in the positive (0 = nothing copied).

    A pair with a high share is solved by spotting the copied words, not by what they mean.
    A query shorter than n words has no n-grams: 0.
    """
    def grams(words: list[str]) -> list[tuple[str, ...]]:
        return [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]

    query_grams = grams(query.split())
    if not query_grams:
        return 0.0
    in_positive = set(grams(positive.split()))
    return sum(g in in_positive for g in query_grams) / len(query_grams)


# ---------------------------------------------------------------------------------------------
# Streaming the corpus: line by line, shuffled through a bounded buffer, cycled over epochs.


EPOCH_END = None  # marker yielded by `shuffled_passages` after each pass over the corpus


def shuffled_passages(stream: Callable[[], Iterator], buffer: int, rng: random.Random) -> Iterator:
    """Cycle over `stream()` forever in a buffered random order, yielding EPOCH_END after each pass.

    A reservoir of `buffer` items: each new line replaces a random held item, which is yielded.
    With buffer >= corpus size this is a full shuffle; below it, a local one (as tf.data does).
    """
    while True:
        held: list = []
        for item in stream():
            if len(held) < buffer:
                held.append(item)
                continue
            j = rng.randrange(buffer)
            yield held[j]
            held[j] = item
        rng.shuffle(held)
        yield from held
        yield EPOCH_END


@dataclass
class PseudoPair:
    pid: str                  # the passage both texts come from
    query: str                # one crop / span / the ICT sentence
    positive: str             # the other crop / span / the ICT context
    negatives: list[str] = field(default_factory=list)  # texts of BM25-mined other passages


def pair_of(passage: Passage, cfg: RIPConfig, rng: random.Random) -> tuple[str, str] | None:
    """`make_pair` with the settings of `cfg`."""
    return make_pair(passage, cfg.method, rng, cfg.span_min, cfg.span_max, cfg.ict_keep, cfg.crop_gap)


def needed(cfg: RIPConfig) -> str:
    """What a passage needs to give a pair under `cfg`, in the flags' words (for error messages)."""
    return {"crop": f">= 2 x --span-min + --crop-gap = {2 * cfg.span_min + cfg.crop_gap} words",
            "span": f">= --span-min {cfg.span_min} words",
            "ict": f"two sentences, one of >= --span-min {cfg.span_min} words"}[cfg.method]


def count_usable(cfg: RIPConfig) -> int:
    """Passages of the corpus that give a pair under `cfg`: one streaming pass (whether a passage
    gives a pair depends only on its length and sentences, not on the draw)."""
    rng = random.Random(0)  # its own: counting must not change the pairs training draws
    return sum(pair_of(passage, cfg, rng) is not None for _, passage in iter_corpus(cfg.data))


def pseudo_pair_batches(cfg: RIPConfig, rng: random.Random, stats: dict | None = None) -> Iterator[list[PseudoPair]]:
    """Endless batches of `cfg.batch_size` pseudo pairs, each from a different passage of the corpus.

    A passage met again while its first pair is still in the unfinished batch (a small corpus wrapping
    around) is passed over: two pairs of one passage in a batch would make a false in-batch negative. `stats` counts
    `skipped` passages (no pair) and `pairs`.
    """
    stats = stats if stats is not None else {}
    stats.setdefault("skipped", 0)
    stats.setdefault("pairs", 0)
    stream = shuffled_passages(lambda: iter_corpus(cfg.data), cfg.shuffle_buffer, rng)
    usable = 0  # passages giving a pair in the current pass
    batch: list[PseudoPair] = []
    for item in stream:
        if item is EPOCH_END:
            if usable < cfg.batch_size:
                raise ConfigError(f"--data {cfg.data}: only {usable} passages give a {cfg.method} pair "
                                  f"({needed(cfg)}); expected at least --batch-size {cfg.batch_size}")
            usable = 0
            continue
        pid, passage = item
        if any(p.pid == pid for p in batch):
            continue
        pair = pair_of(passage, cfg, rng)
        if pair is None:
            stats["skipped"] += 1
            continue
        usable += 1
        batch.append(PseudoPair(pid, *pair))
        if len(batch) == cfg.batch_size:
            stats["pairs"] += len(batch)
            yield batch
            batch = []


class BM25Negatives:
    """Mine, for each pseudo query, passages BM25 ranks high that are not the pair's own (nor the batch's)."""

    def __init__(self, cfg: RIPConfig):
        from dptdr_mini.retrieve.bm25 import BM25Retriever

        self.cfg = cfg
        self.corpus = dict(iter_corpus(cfg.data))      # text only; the BM25 index needs it all
        self.ids = list(self.corpus)
        self.bm25 = BM25Retriever(self.corpus, quiet=cfg.quiet)

    def add(self, batch: list[PseudoPair], rng: random.Random) -> None:
        k = self.cfg.bm25_negatives
        banned = {p.pid for p in batch}
        run = self.bm25.search({str(i): p.query for i, p in enumerate(batch)}, k + len(batch) + 1)
        for i, pair in enumerate(batch):
            pids = [pid for pid in sorted(run.get(str(i), {}), key=lambda d: -run[str(i)][d]) if pid not in banned][:k]
            while len(pids) < k:                            # too few BM25 hits: random passages fill in
                pid = rng.choice(self.ids)
                if pid not in banned and pid not in pids:
                    pids.append(pid)
            pair.negatives = [self.view(self.corpus[pid], rng) for pid in pids]

    def view(self, passage: Passage, rng: random.Random) -> str:
        """A negative looks like a positive: a random span (crop, span) or the whole passage (ict)."""
        if self.cfg.method in ("crop", "span"):
            words = passage.full_text.split()
            return random_span(words, rng, self.cfg.span_min, self.cfg.span_max)
        return passage.full_text


def batch_texts(batch: list[PseudoPair]) -> tuple[list[str], list[str]]:
    """-> (B queries, B*(1+k) passages) in `contrastive_loss`'s layout: positive, then its negatives."""
    queries, passages = [], []
    for pair in batch:
        queries.append(pair.query)
        passages.append(pair.positive)
        passages.extend(pair.negatives)
    return queries, passages
