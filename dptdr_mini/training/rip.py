"""Retrieval-oriented intermediate pretraining (RIP): contrastive training on pseudo pairs cut from a corpus.

DPTDR's first strategy. A frozen backbone that was never trained to put a whole passage's meaning
into one vector is a poor start for deep prompt tuning. RIP fixes the start *without labels*: before
prompt tuning, train with `contrastive_loss` on pseudo query-passage pairs made from the target
corpus itself (`dptdr_mini.training.pseudo_pairs`):

- `crop`  two spans of one passage that do not overlap and sit >= `crop_gap` words apart (default);
- `span`  two spans drawn independently: on short passages they mostly overlap, and RIP learns to
          spot copied words (the loss starts far below chance);
- `ict`   inverse cloze task: one sentence is the pseudo query, the rest of its passage (with its
          title) the positive (Lee et al. 2019; the sentence stays in the context with prob. `ict_keep`).

`RIPResult` says whether the pairs taught anything: how much of each pseudo query its positive
copies (`overlap`, 3-grams) and the loss at step 0 beside chance, ln(candidates per query).

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
optional BM25 negatives need the corpus text in memory, for the BM25 index.) `--steps 0` (the
default) is one pass over the passages that give a pair, counted in one streaming pass first.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import torch
from tqdm.auto import tqdm

from dptdr_mini.model.checkpoint import atomic_write_bytes, plain_mode, save_model
from dptdr_mini.config import ModelConfig, at_least, option
from dptdr_mini.training.distributed import default_device
from dptdr_mini.errors import ConfigError
from dptdr_mini.outputs import check_run_folder, run_folder
from dptdr_mini.training.loop import contrastive_step, make_optimizer
from dptdr_mini.training.pseudo_pairs import (METHODS, BM25Negatives, batch_texts, count_usable, needed,
                                              pseudo_pair_batches, verbatim_share)

UPDATES = ("backbone", "prompt")
EARLIER_RIP = ("backbone", "model.safetensors", "rip_log.json")  # what a finished RIP run leaves
WEIGHT_DECAY = 0.01  # AdamW's (torch's default, which RIP has always used); `train` takes --weight-decay


@dataclass
class RIPConfig:
    """What to pretrain on, how pairs are made and what trains; the model is a `ModelConfig` beside it."""

    data: str = option("data_samples/msmarco", "corpus folder (MS MARCO TSV, BEIR or DPR/NQ layout); labels are not read")
    method: str = option("crop", "crop: two spans of a passage, apart by >= --crop-gap words, are positives; "
                     "span: two independent (mostly overlapping) spans; "
                     "ict: one sentence is the query, the rest of its passage the positive", METHODS)
    update: str = option("backbone", "backbone: train all backbone weights, save a Hugging Face folder; "
                     "prompt: train only a deep prompt, save a model.safetensors", UPDATES)
    output_dir: str = option("runs/rip", "where the backbone/ folder or model.safetensors and the log go")
    steps: int = option(0, "optimizer steps (one batch of pseudo pairs each); 0 = one pass over the passages "
                        "that give a pair (19 steps of 16 on the sample)")
    batch_size: int = option(16, "pseudo pairs per step (the other pairs are in-batch negatives)")
    lr: float = option(0.0, "peak learning rate; 0 = 2e-5 for --update backbone, 1e-2 for --update prompt")
    warmup_ratio: float = option(0.1, "share of steps with linear warm-up, then linear decay to 0")
    max_grad_norm: float = option(1.0, "gradient clipping norm")
    span_min: int = option(8, "shortest span / ICT query sentence, in words (shorter passages give no pair)")
    span_max: int = option(48, "longest span / ICT query, in words")
    crop_gap: int = option(4, "crop: fewest words between the two spans (passages under 2 x --span-min + "
                           "this give no pair)")
    ict_keep: float = option(0.1, "ict: probability that the query sentence stays in its context")
    bm25_negatives: int = option(0, "BM25-mined negatives per pair besides in-batch ones (0 = none; builds "
                             "an in-memory BM25 index of the corpus)")
    shuffle_buffer: int = option(10_000, "passages held for the streaming shuffle (the corpus is never loaded whole)")
    seed: int = option(42, "seed for pair sampling, data order, initialisation and dropout")
    overwrite: bool = option(False, "pretrain into an --output-dir that holds an earlier result, replacing it "
                             "(without it such a folder is refused)")
    quiet: bool = option(False, "no progress bars")

    def validate(self) -> None:
        for name, choices in (("method", METHODS), ("update", UPDATES)):
            if getattr(self, name) not in choices:
                raise ConfigError(f"--{name} {getattr(self, name)!r}: expected one of {choices}")
        for name, low in (("steps", 0), ("batch_size", 1), ("span_min", 1), ("crop_gap", 0),
                          ("bm25_negatives", 0), ("shuffle_buffer", 1)):
            at_least(self, name, low)
        if self.span_max < self.span_min:
            raise ConfigError(f"--span-max {self.span_max}: expected >= --span-min {self.span_min}")
        if self.lr < 0:
            raise ConfigError(f"--lr {self.lr}: expected a positive number (or 0 for the default)")
        if not 0 <= self.warmup_ratio < 1:
            raise ConfigError(f"--warmup-ratio {self.warmup_ratio}: expected 0 <= r < 1")
        if not 0 <= self.ict_keep <= 1:
            raise ConfigError(f"--ict-keep {self.ict_keep}: expected a probability in [0, 1]")
        if self.batch_size == 1 and self.bm25_negatives == 0:
            raise ConfigError("--batch-size 1 with --bm25-negatives 0: each pseudo query scores only its own "
                              "passage, so the loss is 0 and nothing learns (expected --batch-size >= 2)")
        if self.max_grad_norm <= 0:  # negative flips the gradient (ascent), 0 zeroes every step
            raise ConfigError(f"--max-grad-norm {self.max_grad_norm}: expected a positive number")

    def candidates(self) -> int:
        """Passages each pseudo query is scored against: the batch's positives and BM25 negatives."""
        return self.batch_size * (1 + self.bm25_negatives)

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
    steps: int = 0               # optimizer steps taken (--steps, or one pass over the usable passages for 0)
    usable: int = 0              # passages of the corpus that give a pair
    pairs: int = 0               # pseudo pairs trained on (steps x batch size)
    skipped: int = 0             # passages that gave no pair (too short / one sentence)
    overlap: float = 0.0         # mean verbatim_share of the pairs: share of the query's 3-grams copied in the positive
    loss_step0: float = 0.0      # the first step's loss, before any update
    chance: float = 0.0          # ln(candidates per query): the loss of a model that cannot tell passages apart
    loss_start: float = 0.0      # mean loss of the first tenth of the steps
    loss_end: float = 0.0        # mean loss of the last tenth
    seconds: float = 0.0
    losses: list[float] = field(default_factory=list)

    def summary(self) -> str:
        out = self.backbone_path or self.prompt_path
        return (f"RIP: {self.steps:,} step{'s' * (self.steps != 1)}, {self.pairs:,} pseudo pairs from {self.usable:,} usable passages "
                f"({self.skipped:,} skipped); pair overlap {self.overlap:.2f} (3-grams copied), loss at step 0 "
                f"{self.loss_step0:.2f} vs chance {self.chance:.2f} -> {self.loss_end:.3f} (mean of the last tenth), "
                f"{self.seconds:.1f} s; wrote {out}")


# ---------------------------------------------------------------------------------------------


def pretrain(cfg: RIPConfig, model_cfg: ModelConfig, model=None) -> RIPResult:
    """Run RIP on the retriever `model_cfg` describes; write its result to cfg.output_dir (see the module docstring).

    `model` (a DenseRetriever built from `cfg.model_config(model_cfg)`) may be passed to skip loading the backbone.
    """
    from dptdr_mini.model.retriever import DenseRetriever

    cfg.validate()
    model_cfg = cfg.model_config(model_cfg)
    out = Path(cfg.output_dir)
    check_run_folder(out, False, cfg.overwrite, EARLIER_RIP)   # cheap, before the corpus and the model are read
    result = RIPResult(usable=count_usable(cfg), chance=math.log(cfg.candidates()))   # before loading the model
    if result.usable < cfg.batch_size:
        raise ConfigError(f"--data {cfg.data}: only {result.usable} passages give a {cfg.method} pair "
                          f"({needed(cfg)}); expected at least --batch-size {cfg.batch_size}")
    result.steps = resolve_steps(cfg, result.usable)
    if not cfg.quiet:
        print(f"RIP: {result.steps} step{'s' * (result.steps != 1)} of {cfg.batch_size} pairs"
              + (f" (--steps 0: one pass over {result.usable:,} usable passages)" if not cfg.steps else ""))
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    if model is None:
        model = DenseRetriever(model_cfg)
    model.to(default_device())
    params = model.trainable_parameters()
    opt, sched = make_optimizer(params, cfg.learning_rate(), WEIGHT_DECAY, result.steps, cfg.warmup_ratio)
    # only once the data, the flags and the model are known to be good: an earlier result is refused (unless
    # --overwrite), the folder is locked against a second run, and removed if this one fails before saving
    with run_folder(out, overwrite=cfg.overwrite, earlier=EARLIER_RIP):
        miner = BM25Negatives(cfg) if cfg.bm25_negatives else None
        stats: dict = {}
        batches = pseudo_pair_batches(cfg, rng, stats)
        copied = 0.0  # sum of verbatim_share over the pairs trained on
        start = time.perf_counter()
        model.train()
        bar = tqdm(range(result.steps), disable=cfg.quiet, desc=f"RIP ({cfg.method} -> {cfg.update})")
        for step in bar:
            batch = next(batches)
            copied += sum(verbatim_share(p.query, p.positive) for p in batch)
            if miner:
                miner.add(batch, rng)
            queries, passages = batch_texts(batch)
            loss = contrastive_step(model, queries, passages, opt, sched, params, cfg.max_grad_norm, step=step + 1)
            result.losses.append(loss)
            bar.set_postfix(loss=f"{loss:.3f}")
        model.eval()
        result.seconds = time.perf_counter() - start
        result.loss_step0 = result.losses[0]
        tenth = max(1, result.steps // 10)
        result.loss_start = sum(result.losses[:tenth]) / tenth
        result.loss_end = sum(result.losses[-tenth:]) / tenth
        result.pairs, result.skipped = stats["pairs"], stats["skipped"]
        result.overlap = copied / result.pairs
        meta = {"rip_config": json.dumps(asdict(cfg))}       # the model_config is in every checkpoint already
        if cfg.update == "backbone":
            result.backbone_path = str(out / "backbone")
            save_backbone_folder(model.query_backbone, model.tokenizer, out / "backbone")
        else:
            result.prompt_path = str(out / "model.safetensors")
            save_model(out / "model.safetensors", model, meta, seed=cfg.seed)
        log = {"config": asdict(cfg), "model": asdict(model_cfg), **asdict(result)}
        atomic_write_bytes(out / "rip_log.json", json.dumps(log, indent=1).encode())
        return result


def resolve_steps(cfg: RIPConfig, usable: int) -> int:
    """--steps, or for 0 one pass over the `usable` passages: ceil(usable / batch size) steps."""
    return cfg.steps or math.ceil(usable / cfg.batch_size)


def save_backbone_folder(backbone, tokenizer, folder: str | Path) -> None:
    """`save_pretrained` (safetensors) + tokenizer into a temp folder, then swapped in by rename.

    A kill mid-write leaves the previous folder (or none), never a half-written one that loads.
    """
    from dptdr_mini.model.backbone import progress_bars_off

    folder = Path(folder)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        tmp.chmod(plain_mode(folder=True, existing=folder))   # mkdtemp's 0700 would outlive the rename
        with progress_bars_off():                          # a per-shard bar: noise for a model this size
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
