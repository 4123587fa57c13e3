"""Plain dataclass configs shared by the notebooks and the CLI.

The CLI maps every field to one flag (`prefix_len` -> `--prefix-len`); the `help` metadata is the
flag's help text. Every default works on `data_samples/`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from importlib.resources import files
from pathlib import Path

from dptdr_mini.errors import ConfigError

SAMPLES = "data_samples"  # the embedded samples: every `data` default is data_samples/<name>


def option(default, help: str, choices: tuple | None = None):
    """A config field with its flag's help text (and allowed values): the CLI builds `--flag` from it."""
    return field(default=default, metadata={"help": help, "choices": choices})


@dataclass
class ModelConfig:
    """What a dense retriever is: backbone, what trains, how a text becomes one vector."""

    backbone: str = option("default", "Hugging Face name or folder; 'default' = bundled all-MiniLM-L6-v2")
    online: bool = option(False, "allow downloading a --backbone from the Hugging Face hub")
    mode: str = option("prompt", "prompt: freeze the backbone, train only the prefix; finetune: train all weights",
                   ("prompt", "finetune"))
    prefix_len: int = option(32, "prefix slots per layer (paper: 128 for MS MARCO, 32 for NQ); 0 = no prefix")
    prefix_projection: bool = option(False, "reparameterise the prefix through a 2-layer MLP (P-Tuning v2 option)")
    prefix_hidden: int = option(512, "hidden size of the prefix MLP when --prefix-projection")
    prefix_dropout: float = option(0.1, "dropout on the prefix keys/values while training")
    prefix_init: str = option("random", "random: N(0, 0.02); tokens: the backbone's own keys/values of real text",
                          ("random", "tokens"))
    position_mode: str = option("zero", "zero: real tokens keep positions 0..n-1, as without a prompt (chosen on dev: a "
                                "fresh prefix then starts where the untuned model is); shifted: they start at "
                                "prefix_len, as in the P-Tuning v2 code (costs 0.05-0.13 nDCG@10 at step 0)",
                                ("zero", "shifted"))
    pooling: str = option("cls", "cls: first token (paper); mean: average of real tokens (sentence-transformers)",
                      ("cls", "mean"))
    normalize: bool = option(False, "L2-normalise vectors (cosine score) instead of raw dot product")
    tied: bool = option(True, "one encoder for queries and passages; --no-tied gives each its own prefix/backbone")
    temperature: float = option(1.0, "scores are divided by this in the loss (1.0 = plain dot product)")
    query_max_len: int = option(32, "query tokens kept")
    passage_max_len: int = option(128, "passage tokens kept")

    def validate(self) -> None:
        check_numbers(self)
        check_choices(self)
        at_least(self, "prefix_len", 0)
        at_least(self, "query_max_len", 1)
        at_least(self, "passage_max_len", 1)
        at_least(self, "prefix_hidden", 1)
        if not 0 <= self.prefix_dropout < 1:
            raise ConfigError(f"--prefix-dropout {self.prefix_dropout}: expected 0 <= p < 1")
        if self.temperature <= 0:
            raise ConfigError(f"--temperature {self.temperature}: expected a positive number")


@dataclass
class TrainConfig:
    """How to train: data, steps, optimiser, checkpoints."""

    data: str = option("data_samples/msmarco", "data folder (MS MARCO TSV, BEIR or DPR/NQ layout)")
    split: str = option("train", "split to train on")
    train_file: str = option("", "JSONL training file (query, positives, negatives), e.g. from `mine`; "
                         "overrides the split's qrels")
    output_dir: str = option("runs/prompt", "where checkpoints and logs go")
    epochs: int = option(3, "passes over the training queries")
    max_steps: int = option(0, "stop after this many steps (0 = run all epochs)")
    batch_size: int = option(8, "queries per step")
    negatives: int = option(1, "hard negatives per query besides in-batch ones (random passages if the data has none)")
    lr: float = option(0.0, "peak learning rate; 0 = 1e-2 for prompt mode, 2e-5 for finetune")
    warmup_ratio: float = option(0.1, "share of steps with linear warm-up, then linear decay to 0")
    weight_decay: float = option(0.0, "AdamW weight decay")
    max_grad_norm: float = option(1.0, "gradient clipping norm")
    seed: int = option(42, "seed for initialisation, data order, negative sampling and dropout")
    eval_every: int = option(0, "evaluate on --eval-split every N steps (0 = only at the end)")
    eval_split: str = option("dev", "split for periodic evaluation ('' = none)")
    dev_from_train: float = option(0.0, "carve this share of the train split's queries (by hashed id) into the "
                                   "'dev' split, for data with no dev split of its own (SciFact: 0.1); 0 = off")
    eval_at_start: bool = option(True, "also score --eval-split before the first step (step 0): a fresh prefix "
                                 "is not a no-op, and a run should end above where it started")
    save_every: int = option(0, "write a resumable checkpoint every N steps (0 = at each epoch end)")
    resume: bool = option(False, "continue from output_dir/last.safetensors if it exists")
    overwrite: bool = option(False, "train into an --output-dir that holds an earlier run, replacing its checkpoints "
                             "(without it, or --resume, such a folder is refused)")
    quiet: bool = option(False, "no progress bars")
    # scale (dptdr_mini/training/distributed.py): used under torchrun, or for large batches on small memory
    negatives_x_device: bool = option(False, "under torchrun: every process's passages are negatives for every "
                                  "query (all-gather, as in the paper's code)")
    grad_cache_chunk: int = option(0, "GradCache: encode the batch in chunks of this many queries, same loss and "
                               "gradient at one chunk's memory (0 = off)")

    def validate(self) -> None:
        check_numbers(self)
        at_least(self, "batch_size", 1)
        at_least(self, "epochs", 1)
        for name in ("max_steps", "negatives", "eval_every", "save_every", "grad_cache_chunk"):
            at_least(self, name, 0)
        if self.lr < 0:
            raise ConfigError(f"--lr {self.lr}: expected a positive number (or 0 for the mode's default)")
        if not 0 <= self.warmup_ratio < 1:
            raise ConfigError(f"--warmup-ratio {self.warmup_ratio}: expected 0 <= r < 1")
        check_share(self, "dev_from_train")
        if self.batch_size == 1 and self.negatives == 0:
            raise ConfigError("--batch-size 1 with --negatives 0: each query scores only its own positive, so the loss "
                              "is 0 and nothing learns (expected --batch-size >= 2 or --negatives >= 1)")
        if self.weight_decay < 0:
            raise ConfigError(f"--weight-decay {self.weight_decay}: expected a number >= 0")
        if self.max_grad_norm <= 0:  # negative flips the gradient (ascent), 0 zeroes every step
            raise ConfigError(f"--max-grad-norm {self.max_grad_norm}: expected a positive number "
                              "(a negative norm turns training into gradient ascent, 0 into a no-op)")

    def learning_rate(self, mode: str) -> float:
        return self.lr or (1e-2 if mode == "prompt" else 2e-5)


@dataclass
class EvalConfig:
    """How to evaluate: which split, how deep, how fast."""

    data: str = option("data_samples/msmarco", "data folder (MS MARCO TSV, BEIR or DPR/NQ layout)")
    split: str = option("dev", "split to evaluate on (its queries against the full corpus)")
    dev_from_train: float = option(0.0, "score the 'dev' split carved from train by hashed query id "
                                   "(use the value `train` used); 0 = the folder's own splits")
    checkpoint: str = option("", "model.safetensors from `train` ('' = the untuned backbone)")
    retriever: str = option("dense", "dense: the encoder + FAISS; bm25: the bm25s baseline", ("dense", "bm25"))
    depth: int = option(100, "passages retrieved per query (at least the largest cut-off: 10, --recall-at)")
    batch_size: int = option(64, "texts per encoding batch")
    quiet: bool = option(False, "no progress bars")
    strict: bool = option(False, "refuse the known quirks of real data (qrels naming a missing query or passage, "
                          "DPR questions with no positive) instead of dropping them with one warning")
    min_rel: int = option(1, "lowest grade that counts as relevant for MRR and recall (TREC DL: 2); nDCG keeps the "
                          "grades")
    recall_at: str = option("10,100", "recall cut-offs, comma-separated, e.g. 10,100,1000 (each needs --depth >= it)")
    run_output: str = option("", "also write the scored run here in TREC format (qid Q0 pid rank score tag), ranked "
                             "as trec_eval ranks it ('' = none)")
    run_tag: str = option("dptdr-mini", "the run's tag, the last TREC column (one word)")

    def validate(self) -> None:
        check_numbers(self)
        at_least(self, "depth", 1)
        at_least(self, "batch_size", 1)
        check_share(self, "dev_from_train")
        at_least(self, "min_rel", 1)
        deepest = max(self.recall_ks())
        if self.depth < max(deepest, 10):
            k, what = (deepest, f"R@{deepest} (--recall-at)") if deepest > 10 else (10, "MRR@10 and nDCG@10")
            raise ConfigError(f"--depth {self.depth}: {what} needs {k} passages per query; expected --depth >= {k}")
        if not self.run_tag or len(self.run_tag.split()) != 1:
            raise ConfigError(f"--run-tag {self.run_tag!r}: expected one word (no spaces), the TREC run's last column")

    def recall_ks(self) -> tuple[int, ...]:
        """`recall_at` as cut-offs; the error names the flag."""
        try:
            ks = tuple(int(k) for k in self.recall_at.split(","))
        except ValueError:
            ks = ()
        if not ks or min(ks) < 1:
            raise ConfigError(f"--recall-at {self.recall_at!r}: expected comma-separated integers >= 1, e.g. 10,100,1000")
        return ks


def samples_folder() -> Path:
    """The embedded samples: the copy an installed wheel ships inside the package, else a checkout's top-level
    folder (where the notebooks and the README find them)."""
    packaged = Path(str(files("dptdr_mini") / SAMPLES))
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[1] / SAMPLES


def resolve_data_path(path: str) -> str:
    """A data path that exists as given is used as given; `data_samples/<name>` that does not (the defaults, run
    from outside the repo after `pip install`) falls back to the embedded copy. Anything else is returned as
    given, so the loader's error names what the user typed."""
    given = Path(path)
    if not path or given.exists() or given.parts[:1] != (SAMPLES,):
        return path
    embedded = samples_folder().joinpath(*given.parts[1:])
    return str(embedded) if embedded.exists() else path


def check_numbers(cfg) -> None:
    """Every float field of a config is a finite number (`--lr inf`, `--temperature nan` are refused: argparse's
    float() accepts them, and they train to NaN weights), every int field fits 32 bits, every seed is one torch and
    numpy accept. Called by every verb (`config_from_args`) before the config's own `validate()` checks ranges;
    the error names the flag."""
    for f in fields(cfg):
        value, flag = getattr(cfg, f.name), "--" + f.name.replace("_", "-")
        if isinstance(value, float) and not math.isfinite(value):
            raise ConfigError(f"{flag} {value}: expected a finite number")
        if isinstance(value, int) and not isinstance(value, bool):
            if f.name == "seed" and not 0 <= value < 2**32:      # torch, numpy and faiss all take these seeds
                raise ConfigError(f"{flag} {value}: expected a seed between 0 and 2**32 - 1")
            elif f.name != "seed" and not -2**31 < value < 2**31:                        # past any count of steps, texts or slots
                raise ConfigError(f"{flag} {value}: expected an integer between -2**31 and 2**31 (what torch and "
                                  "faiss index with)")


def check_choices(cfg) -> None:
    """Every field declared with `choices` holds one of them; the error names the flag."""
    for f in fields(cfg):
        choices = f.metadata.get("choices")
        if choices and getattr(cfg, f.name) not in choices:
            raise ConfigError(f"--{f.name.replace('_', '-')} {getattr(cfg, f.name)!r}: expected one of {choices}")


def check_share(cfg, name: str) -> None:
    """A share field is 0 (off) or strictly between 0 and 1; the error names the flag."""
    value = getattr(cfg, name)
    if not (value == 0 or 0 < value < 1):
        raise ConfigError(f"--{name.replace('_', '-')} {value}: expected 0 (off) or a share between 0 and 1")


def at_least(cfg, name: str, low: int) -> None:
    """An integer field is >= low; the error names the flag."""
    value = getattr(cfg, name)
    if value < low:
        raise ConfigError(f"--{name.replace('_', '-')} {value}: expected an integer >= {low}")

