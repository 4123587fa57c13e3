"""Retrieval-oriented intermediate pretraining (RIP): contrastive training on pseudo pairs cut from a corpus.

DPTDR's first strategy. A frozen backbone that was never trained to put a whole passage's meaning
into one vector is a poor start for deep prompt tuning. RIP fixes the start *without labels*: before
prompt tuning, train with `contrastive_loss` on pseudo query-passage pairs made from the target
corpus itself. Two ways to make a pair from one passage:

- `span`  two random word spans of the same passage are positives (coCondenser / Contriever cropping);
- `ict`   inverse cloze task: one sentence is the pseudo query, the rest of its passage (with its
          title) the positive (Lee et al. 2019; the sentence stays in the context with prob. `ict_keep`).

Negatives: the other passages of the batch (in-batch), optionally plus `bm25_negatives` per pair mined
with BM25 for the pseudo query (never the pair's own passage nor another passage of the batch).

What RIP updates:
- `backbone`  every backbone weight (the paper's reading: one retrieval-oriented backbone per corpus,
              shared by every task's prompts afterwards). Written as a Hugging Face folder
              (`save_pretrained`, safetensors + tokenizer): `train --backbone PATH` picks it up.
- `prompt`    only a deep prompt on the frozen backbone; written as a prompt `model.safetensors`
              that `train --init-checkpoint PATH` continues from.

The model RIP trains is a `ModelConfig` beside the `RIPConfig` (`pretrain(rip, model_cfg)`): use the
same one for `train` afterwards. `--update` decides its mode (finetune for backbone, prompt for prompt);
RIP always trains one tied encoder, since pseudo queries and pseudo positives are both corpus text.

The corpus is streamed line by line through a shuffle buffer and tokenised one batch at a time, so
the same command runs on the 300-passage sample and on an 8.8M-passage collection. (Only the
optional BM25 negatives need the corpus text in memory, for the BM25 index.)
"""

from __future__ import annotations

import json
import random
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import torch
from tqdm.auto import tqdm

from dptdr_mini.model.checkpoint import atomic_write_bytes, save_model
from dptdr_mini.config import ModelConfig, at_least, option
from dptdr_mini.data.corpus import Passage, iter_corpus
from dptdr_mini.training.distributed import default_device
from dptdr_mini.errors import ConfigError
from dptdr_mini.training.loop import contrastive_step, make_optimizer

METHODS = ("span", "ict")
UPDATES = ("backbone", "prompt")
WEIGHT_DECAY = 0.01  # AdamW's (torch's default, which RIP has always used); `train` takes --weight-decay


@dataclass
class RIPConfig:
    """What to pretrain on, how pairs are made and what trains; the model is a `ModelConfig` beside it."""

    data: str = option("data_samples/msmarco", "corpus folder (MS MARCO TSV, BEIR or DPR/NQ layout); labels are not read")
    method: str = option("span", "span: two random spans of a passage are positives; "
                     "ict: one sentence is the query, the rest of its passage the positive", METHODS)
    update: str = option("backbone", "backbone: train all backbone weights, save a Hugging Face folder; "
                     "prompt: train only a deep prompt, save a model.safetensors", UPDATES)
    output_dir: str = option("runs/rip", "where the backbone/ folder or model.safetensors and the log go")
    steps: int = option(50, "optimizer steps (one batch of pseudo pairs each); 50 x 16 = ~3 passes over the sample")
    batch_size: int = option(16, "pseudo pairs per step (the other pairs are in-batch negatives)")
    lr: float = option(0.0, "peak learning rate; 0 = 2e-5 for --update backbone, 1e-2 for --update prompt")
    warmup_ratio: float = option(0.1, "share of steps with linear warm-up, then linear decay to 0")
    max_grad_norm: float = option(1.0, "gradient clipping norm")
    span_min: int = option(8, "shortest span / ICT query sentence, in words (shorter passages give no pair)")
    span_max: int = option(48, "longest span / ICT query, in words")
    ict_keep: float = option(0.1, "ict: probability that the query sentence stays in its context")
    bm25_negatives: int = option(0, "BM25-mined negatives per pair besides in-batch ones (0 = none; builds "
                             "an in-memory BM25 index of the corpus)")
    shuffle_buffer: int = option(10_000, "passages held for the streaming shuffle (the corpus is never loaded whole)")
    seed: int = option(42, "seed for pair sampling, data order, initialisation and dropout")
    quiet: bool = option(False, "no progress bars")

    def validate(self) -> None:
        for name, choices in (("method", METHODS), ("update", UPDATES)):
            if getattr(self, name) not in choices:
                raise ConfigError(f"--{name} {getattr(self, name)!r}: expected one of {choices}")
        for name, low in (("steps", 1), ("batch_size", 1), ("span_min", 1), ("bm25_negatives", 0),
                          ("shuffle_buffer", 1)):
            at_least(self, name, low)
        if self.span_max < self.span_min:
            raise ConfigError(f"--span-max {self.span_max}: expected >= --span-min {self.span_min}")
        if self.lr < 0:
            raise ConfigError(f"--lr {self.lr}: expected a positive number (or 0 for the default)")
        if not 0 <= self.warmup_ratio < 1:
            raise ConfigError(f"--warmup-ratio {self.warmup_ratio}: expected 0 <= r < 1")
        if not 0 <= self.ict_keep <= 1:
            raise ConfigError(f"--ict-keep {self.ict_keep}: expected a probability in [0, 1]")

    def learning_rate(self) -> float:
        return self.lr or (1e-2 if self.update == "prompt" else 2e-5)

    def model_config(self, model_cfg: ModelConfig) -> ModelConfig:
        """The retriever RIP trains: `model_cfg` in prompt mode for --update prompt, or with all weights
        and no prefix for --update backbone; one tied encoder either way (RIP saves one backbone)."""
        prompt = self.update == "prompt"
        if prompt and model_cfg.prefix_len < 1:
            raise ConfigError("--update prompt needs --prefix-len >= 1 (a prompt to train)")
        cfg = replace(model_cfg, mode="prompt" if prompt else "finetune",
                      prefix_len=model_cfg.prefix_len if prompt else 0, tied=True)
        cfg.validate()
        return cfg


@dataclass
class RIPResult:
    backbone_path: str = ""      # a Hugging Face folder (update=backbone), for `--backbone PATH`
    prompt_path: str = ""        # a prompt model.safetensors (update=prompt), for `--init-checkpoint PATH`
    pairs: int = 0               # pseudo pairs trained on (steps x batch size)
    skipped: int = 0             # passages that gave no pair (too short / one sentence)
    loss_start: float = 0.0      # mean loss of the first tenth of the steps
    loss_end: float = 0.0        # mean loss of the last tenth
    seconds: float = 0.0
    losses: list[float] = field(default_factory=list)

    def summary(self) -> str:
        out = self.backbone_path or self.prompt_path
        return (f"RIP: {self.pairs:,} pseudo pairs ({self.skipped:,} passages skipped), loss "
                f"{self.loss_start:.3f} -> {self.loss_end:.3f}, {self.seconds:.1f} s; wrote {out}")


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

    The two spans may overlap (as Contriever's random crops do): overlap is the easy case, a distant
    span the hard one.
    """
    words = text.split()
    if len(words) < span_min:
        return []
    return [(random_span(words, rng, span_min, span_max), random_span(words, rng, span_min, span_max))
            for _ in range(count)]


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
              ict_keep: float = 0.1) -> tuple[str, str] | None:
    """One (pseudo query, pseudo positive) from a passage by `method`, or None if it is too short."""
    if method == "span":
        pairs = span_pairs(passage.full_text, rng, span_min, span_max)
        return pairs[0] if pairs else None
    if method == "ict":
        return inverse_cloze_pair(passage.text, rng, span_min, span_max, passage.title, ict_keep)
    raise ConfigError(f"--method {method!r}: expected one of {METHODS}")


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
    query: str                # span A / the ICT sentence
    positive: str             # span B / the ICT context
    negatives: list[str] = field(default_factory=list)  # texts of BM25-mined other passages


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
                                  f"(>= --span-min {cfg.span_min} words{', two sentences' if cfg.method == 'ict' else ''}); "
                                  f"expected at least --batch-size {cfg.batch_size}")
            usable = 0
            continue
        pid, passage = item
        if any(p.pid == pid for p in batch):
            continue
        pair = make_pair(passage, cfg.method, rng, cfg.span_min, cfg.span_max, cfg.ict_keep)
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
        """A negative looks like a positive: a random span (span method) or the whole passage (ict)."""
        if self.cfg.method == "span":
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


# ---------------------------------------------------------------------------------------------


def pretrain(cfg: RIPConfig, model_cfg: ModelConfig, model=None) -> RIPResult:
    """Run RIP on the retriever `model_cfg` describes; write its result to cfg.output_dir (see the module docstring).

    `model` (a DenseRetriever built from `cfg.model_config(model_cfg)`) may be passed to skip loading the backbone.
    """
    from dptdr_mini.model.retriever import DenseRetriever

    cfg.validate()
    model_cfg = cfg.model_config(model_cfg)
    out = Path(cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    if model is None:
        model = DenseRetriever(model_cfg)
    model.to(default_device())
    params = model.trainable_parameters()
    opt, sched = make_optimizer(params, cfg.learning_rate(), WEIGHT_DECAY, cfg.steps, cfg.warmup_ratio)
    miner = BM25Negatives(cfg) if cfg.bm25_negatives else None
    stats: dict = {}
    batches = pseudo_pair_batches(cfg, rng, stats)
    result = RIPResult()
    start = time.perf_counter()
    model.train()
    bar = tqdm(range(cfg.steps), disable=cfg.quiet, desc=f"RIP ({cfg.method} -> {cfg.update})")
    for _ in bar:
        batch = next(batches)
        if miner:
            miner.add(batch, rng)
        queries, passages = batch_texts(batch)
        loss = contrastive_step(model, queries, passages, opt, sched, params, cfg.max_grad_norm)
        result.losses.append(loss)
        bar.set_postfix(loss=f"{loss:.3f}")
    model.eval()
    result.seconds = time.perf_counter() - start
    tenth = max(1, cfg.steps // 10)
    result.loss_start = sum(result.losses[:tenth]) / tenth
    result.loss_end = sum(result.losses[-tenth:]) / tenth
    result.pairs, result.skipped = stats["pairs"], stats["skipped"]
    meta = {"rip_config": json.dumps(asdict(cfg))}       # the model_config is in every checkpoint already
    if cfg.update == "backbone":
        result.backbone_path = str(out / "backbone")
        save_backbone_folder(model.query_backbone, model.tokenizer, out / "backbone")
    else:
        result.prompt_path = str(out / "model.safetensors")
        save_model(out / "model.safetensors", model, meta)
    log = {"config": asdict(cfg), "model": asdict(model_cfg), **asdict(result)}
    atomic_write_bytes(out / "rip_log.json", json.dumps(log, indent=1).encode())
    return result


def save_backbone_folder(backbone, tokenizer, folder: str | Path) -> None:
    """`save_pretrained` (safetensors) + tokenizer into a temp folder, then swapped in by rename.

    A kill mid-write leaves the previous folder (or none), never a half-written one that loads.
    """
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # a per-shard bar: noise for a model this size
    folder = Path(folder)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        backbone.save_pretrained(tmp, safe_serialization=True)
        tokenizer.save_pretrained(tmp)
        old = folder.with_name(f".{folder.name}.old")
        if folder.exists():
            shutil.rmtree(old, ignore_errors=True)
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
