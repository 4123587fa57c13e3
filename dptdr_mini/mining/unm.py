"""Unified negative mining (UNM): hard negatives from BM25 *and* a dense retriever, merged and filtered.

DPTDR's second strategy. A prompt has few parameters, so what it learns depends on the negatives it
sees. The recipe of the paper's code lineage (coCondenser / Tevatron): stage 1 trains on BM25
negatives; the stage-1 retriever then retrieves for every training query; its top ranks minus the
labelled positives are shuffled and sampled; stage 2 trains on the union of BM25 and dense negatives.

For each training query:
1. candidates: BM25's top `depth` and the dense retriever's top `depth`, each cut to the rank window
   `skip_top < rank <= depth` (default (10, 100]); a passage found by both is one candidate with source
   `both`. A passage found only at ranks <= skip_top is dropped ("above the rank window"): the very top
   ranks are where unlabelled positives are likeliest;
2. labelled positives are removed (never a negative, whatever the flags);
3. false-negative filter, `fn_filter`:
   - "rank-window" (default): no score filter; the window of step 1 is the whole protection, as in
     FlagEmbedding's hard-negative mining (`range_for_sampling`) and sentence-transformers'
     `mine_hard_negatives` (`range_min`). Every candidate in the window is kept whatever its score;
   - "margin": NV-Retriever's TopK-PercPos, relative margin: with `s_pos` the dense score of the query's
     best-scoring labelled positive, a candidate is dropped when its dense score `s > s_pos - margin * |s_pos|`,
     i.e. `s > (1 - margin) * s_pos` for the usual positive scores. It trusts the dense model: under a weak
     teacher that ranks the positive 50th, it drops all 49 candidates above it, the true hard negatives
     UNM is for (notebook 03 shows such a query). Use it with a strong teacher, or not at all;
   - "none": no score filter either; the same window. The mode says "no false-negative protection
     asked for": set `skip_top=0` with it for a plain top-`depth` miner;
4. answer filter (NQ-style data with answer strings): a candidate whose `title: text` contains an
   answer string (`metrics.has_answer`) is dropped;
5. sampling: `negatives` per query, drawn round-robin from the sources' shuffled pools so a union holds
   both sources whenever both found candidates; the RNG is seeded by (seed, query id), so the result
   does not depend on query order and is identical under the same seed.

Dense scores are needed for the "dense" source, and by "margin" for every candidate (BM25's too);
"rank-window" and "none" record them in the provenance when a dense model is at hand.

Every kept negative records its source and ranks in `TrainExample.extra` (`negative_sources`,
`negative_provenance`), and every dropped candidate its reason (`filtered`), so the mix can be inspected
(`dptdr_mini.mining.inspect`) and counted (`mining_summary`).
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from dptdr_mini.config import ModelConfig, check_choices, option
from dptdr_mini.data.loaders import RetrievalData, load_data
from dptdr_mini.errors import ConfigError
from dptdr_mini.data.examples import TrainExample, examples_from_data, write_train_file
from dptdr_mini.evaluate.metrics import has_answer, ranked

SOURCES = ("bm25", "dense")
FN_FILTERS = ("rank-window", "margin", "none")


@dataclass
class MineConfig:
    """What to mine: from which retrievers, how deep, how many, with which filters."""

    data: str = option("data_samples/msmarco", "data folder (MS MARCO TSV, BEIR or DPR/NQ layout)")
    split: str = option("train", "split whose queries get negatives (never mine on the evaluation split)")
    checkpoint: str = option("", "dense retriever's model.safetensors ('' = the untuned backbone of the model config)")
    sources: str = option("bm25,dense", "comma-separated candidate sources: bm25, dense or both (the union)")
    depth: int = option(100, "candidates retrieved per query and source")
    skip_top: int = option(10, "candidates come from the rank window skip_top < rank <= depth of each source")
    negatives: int = option(8, "negatives kept per query (0 = keep every candidate that survives the filters)")
    fn_filter: str = option("rank-window", "false-negative filter: rank-window: none beyond the rank window "
                            "(FlagEmbedding, sentence-transformers); margin: drop candidates whose dense score is "
                            "within --margin of the positive's (drops true hard negatives under a weak teacher); "
                            "none: no filter", FN_FILTERS)
    margin: float = option(0.05, "--fn-filter margin: drop when score > (1 - margin) * positive score (NV-Retriever)")
    answer_filter: bool = option(True, "drop candidates containing an answer string (data with answers, e.g. NQ)")
    seed: int = option(42, "seed for the per-query sampling")
    batch_size: int = option(64, "texts per encoding batch")
    output: str = option("runs/negatives.jsonl", "JSONL training file to write ('' = do not write)")
    quiet: bool = option(False, "no progress bars")

    def source_list(self) -> list[str]:
        names = [s.strip() for s in self.sources.split(",") if s.strip()]
        bad = [s for s in names if s not in SOURCES]
        if bad or not names:
            raise ConfigError(f"--sources {self.sources!r}: expected a comma-separated subset of {SOURCES}")
        return [s for s in SOURCES if s in names]  # fixed order: bm25 first

    def needs_dense(self) -> bool:
        return "dense" in self.source_list() or self.needs_scores()

    def needs_scores(self) -> bool:
        """Dense scores for every candidate (BM25's too): only the margin filter reads them."""
        return self.fn_filter == "margin"

    def validate(self) -> None:
        check_choices(self)
        self.source_list()
        for name, low in (("depth", 1), ("skip_top", 0), ("negatives", 0), ("batch_size", 1)):
            if getattr(self, name) < low:
                raise ConfigError(f"--{name.replace('_', '-')} {getattr(self, name)}: expected an integer >= {low}")
        if self.skip_top >= self.depth:
            raise ConfigError(f"--skip-top {self.skip_top}: must be below --depth {self.depth}")
        if not 0 <= self.margin < 1:
            raise ConfigError(f"--margin {self.margin}: expected 0 <= margin < 1")


@dataclass
class Candidates:
    """What the retrievers found for every query, before any filter: ranks (1-based) and dense scores.

    `dense_scores(qid, pids)` scores any passage (a BM25 candidate, a positive) with the dense model,
    from the stored query vectors and the index's passage vectors.
    """

    bm25_ranks: dict[str, dict[str, int]] = field(default_factory=dict)   # qid -> {pid: rank}
    dense_ranks: dict[str, dict[str, int]] = field(default_factory=dict)  # qid -> {pid: rank}
    query_ids: list[str] = field(default_factory=list)
    query_vectors: np.ndarray | None = None                               # (Q, H)
    index: object | None = None                                           # DenseIndex of the corpus
    seconds: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._qrow = {q: i for i, q in enumerate(self.query_ids)}
        self._prow = {p: i for i, p in enumerate(self.index.ids)} if self.index is not None else {}

    @property
    def has_dense(self) -> bool:
        return self.query_vectors is not None and self.index is not None

    def dense_scores(self, qid: str, pids: list[str]) -> list[float]:
        q = self.query_vectors[self._qrow[qid]]                            # (H,)
        p = self.index.vectors[[self._prow[pid] for pid in pids]]          # (n, H)
        return [float(s) for s in p @ q]


def _ranks(run: dict[str, dict[str, float]]) -> dict[str, dict[str, int]]:
    return {qid: {pid: r for r, pid in enumerate(ranked(scores), start=1)} for qid, scores in run.items()}


def retrieve_candidates(data: RetrievalData, sources: list[str], depth: int, model=None, index=None,
                        need_scores: bool = False, batch_size: int = 64, quiet: bool = True) -> Candidates:
    """Run each source over the split's queries. `model`/`index` are needed for dense (ranks or scores).

    Pass a `DenseIndex` already built with the same model (e.g. the one evaluation encoded) to skip
    re-encoding the corpus, the expensive step.
    """
    from dptdr_mini.retrieve.bm25 import BM25Retriever
    from dptdr_mini.retrieve.index import DenseIndex, encode_corpus, encode_texts, search_run

    qids = list(data.queries)
    cands = Candidates(query_ids=qids)
    if "bm25" in sources:
        start = time.perf_counter()
        cands.bm25_ranks = _ranks(BM25Retriever(data.corpus).search(data.queries, depth))
        cands.seconds["bm25"] = time.perf_counter() - start
    if "dense" in sources or need_scores:
        if model is None and index is None:
            raise ConfigError("dense candidates or --fn-filter margin need a dense model (--checkpoint)")
        start = time.perf_counter()
        if index is None:
            index = DenseIndex(*encode_corpus(model, data.corpus, batch_size, quiet))
        cands.seconds["encode corpus"] = time.perf_counter() - start
        start = time.perf_counter()
        qvecs = encode_texts(model, [data.queries[q] for q in qids], "query", batch_size, quiet)
        if "dense" in sources:
            cands.dense_ranks = _ranks(search_run(index, qids, qvecs, depth))
        cands.seconds["dense search"] = time.perf_counter() - start
        cands.query_vectors, cands.index = qvecs, index
        cands.__post_init__()
    return cands


def _provenance(pid: str, found: dict[str, bool], bm25_rank, dense_rank, score) -> dict:
    """`found`: source -> whether it holds pid (in the window for a kept candidate, at any rank for a dropped one)."""
    source = "both" if len(found) == 2 and all(found.values()) else next(s for s, ok in found.items() if ok)
    return {"pid": pid, "source": source, "bm25_rank": bm25_rank, "dense_rank": dense_rank,
            "dense_score": None if score is None else round(score, 5)}


ABOVE_WINDOW = "above the rank window"  # + " (rank <= skip_top in every source that found it)"


def select_negatives(data: RetrievalData, cands: Candidates, cfg: MineConfig) -> list[TrainExample]:
    """Merge, filter and sample the candidates into one training example per judged query.

    Every candidate a source ranked within `depth` ends up either kept (`negative_provenance`, if sampled)
    or dropped with its reason (`filtered`): labelled positive, above the rank window, contains answer,
    dense score (margin mode only).
    """
    cfg.validate()
    sources = cfg.source_list()
    low, high = cfg.skip_top, cfg.depth
    margin = cfg.fn_filter == "margin"
    if margin and not cands.has_dense:
        raise ConfigError("--fn-filter margin needs dense scores: retrieve candidates with a dense model")
    out = []
    for ex in examples_from_data(data):
        qid, positives = ex.query_id, set(ex.positives)
        ranks = {s: (cands.bm25_ranks if s == "bm25" else cands.dense_ranks).get(qid, {}) for s in sources}
        found = sorted({pid for s in sources for pid, r in ranks[s].items() if r <= high})
        scores = dict(zip(found, cands.dense_scores(qid, found))) if cands.has_dense and found else {}
        pos_scores = dict(zip(ex.positives, cands.dense_scores(qid, ex.positives))) if cands.has_dense else {}
        best_pos = max(pos_scores.values()) if pos_scores else None
        threshold = best_pos - cfg.margin * abs(best_pos) if best_pos is not None and margin else None
        answers = data.answers.get(qid, []) if cfg.answer_filter else []
        kept, filtered = [], []
        for pid in found:
            in_window = {s: low < ranks[s].get(pid, 0) <= high for s in sources}
            above = not any(in_window.values())
            info = _provenance(pid, {s: 0 < ranks[s].get(pid, 0) <= high for s in sources} if above else in_window,
                               ranks.get("bm25", {}).get(pid), ranks.get("dense", {}).get(pid), scores.get(pid))
            if pid in positives:
                reason = "labelled positive"
            elif above:
                reason = f"{ABOVE_WINDOW} (rank <= {low})"
            elif answers and has_answer(data.corpus[pid].full_text, answers):
                reason = "contains answer"
            elif margin and scores[pid] > threshold:
                reason = f"dense score > {threshold:.4f} (within {cfg.margin:g} of the positive)"
            else:
                kept.append(info)
                continue
            filtered.append({**info, "reason": reason})
        chosen = _sample(kept, sources, cfg.negatives, random.Random(f"{cfg.seed}:{qid}"))
        ex.negatives = [c["pid"] for c in chosen]
        ex.extra = {"negative_sources": [c["source"] for c in chosen], "negative_provenance": chosen,
                    "positive_scores": {p: round(s, 5) for p, s in pos_scores.items()},
                    "fn_filter": cfg.fn_filter, "rank_window": [low, high],
                    "filter_threshold": None if threshold is None else round(threshold, 5),
                    "filtered": filtered}
        out.append(ex)
    return out


def _sample(kept: list[dict], sources: list[str], n: int, rng: random.Random) -> list[dict]:
    """Round-robin over the sources' shuffled pools (a `both` candidate sits in both), without repeats."""
    if n == 0:
        n = len(kept)
    pools = []
    for s in sources:
        pool = [c for c in kept if c["source"] in (s, "both")]
        rng.shuffle(pool)
        pools.append(pool)
    chosen, seen = [], set()
    while len(chosen) < n and any(pools):
        for pool in pools:
            while pool and pool[0]["pid"] in seen:
                pool.pop(0)
            if pool and len(chosen) < n:
                c = pool.pop(0)
                chosen.append(c)
                seen.add(c["pid"])
    return chosen


DROP_REASONS = {"labelled positive": "dropped positive", ABOVE_WINDOW: "dropped above window",
                "contains answer": "dropped answer", "dense score": "dropped false-neg"}


def _drop_key(reason: str) -> str:
    return next((key for start, key in DROP_REASONS.items() if reason.startswith(start)), "dropped other")


def mining_summary(examples: list[TrainExample]) -> dict:
    """Counts for the closing table: kept negatives per source (and share), dropped candidates per reason
    (`dropped positive`, `dropped above window` (ranks <= skip_top), `dropped answer`, `dropped false-neg`
    (the margin filter))."""
    kept = Counter(s for e in examples for s in e.extra.get("negative_sources", []))
    dropped = Counter(_drop_key(f["reason"]) for e in examples for f in e.extra.get("filtered", []))
    total = sum(kept.values())
    return {"queries": len(examples), "negatives": total,
            "no negatives": sum(1 for e in examples if not e.negatives),
            **{f"share {s}": round(kept[s] / total, 3) if total else 0.0 for s in ("bm25", "dense", "both")},
            **{key: dropped[key] for key in DROP_REASONS.values()},
            **({"dropped other": dropped["dropped other"]} if dropped["dropped other"] else {})}


def mine_negatives(cfg: MineConfig, data: RetrievalData | None = None, model=None, index=None,
                   candidates: Candidates | None = None, model_cfg: ModelConfig | None = None) -> list[TrainExample]:
    """Mine hard negatives for every judged query of `cfg.split` and write them to `cfg.output` (JSONL).

    The dense model is `cfg.checkpoint`'s, or the untuned backbone built from `model_cfg` (ModelConfig's
    defaults when None; `load_or_untuned`). `model` (a DenseRetriever) overrides both; `index` (a
    DenseIndex the same model built) and `candidates` (from `retrieve_candidates`) reuse work already done.
    """
    cfg.validate()
    data = data or load_data(cfg.data, cfg.split)
    if candidates is None:
        if cfg.needs_dense() and model is None:
            from dptdr_mini.model.checkpoint import load_or_untuned
            model = load_or_untuned(cfg.checkpoint, model_cfg or ModelConfig())
        candidates = retrieve_candidates(data, cfg.source_list(), cfg.depth, model, index,
                                         need_scores=cfg.needs_scores(), batch_size=cfg.batch_size, quiet=cfg.quiet)
    examples = select_negatives(data, candidates, cfg)
    if cfg.output:
        write_train_file(cfg.output, examples)
        from dptdr_mini.model.checkpoint import atomic_write_bytes
        meta = {"config": asdict(cfg), "model": asdict(model.cfg) if hasattr(model, "cfg") else None,
                "summary": mining_summary(examples), "seconds": candidates.seconds,
                "corpus": len(data.corpus), "data": repr(data)}
        atomic_write_bytes(Path(cfg.output).with_suffix(".meta.json"), json.dumps(meta, indent=2).encode())
    return examples
