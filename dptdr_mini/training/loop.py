"""The training loop: AdamW, linear warm-up then decay, gradient clipping, checkpoints, resume.

`contrastive_step` (one batch: loss, backward, clip, step) and `make_optimizer` are the pieces RIP's
`pretrain` shares with `train`; `batch_loss` is the one place a plain batch meets `contrastive_loss`.

Deterministic under a seed, and resumable to the same result: the data order of epoch e is a
shuffle seeded by (seed, e), the negatives of step s are drawn from an RNG seeded by (seed, s), and
the torch RNG (dropout) state is saved in every checkpoint. So a run killed after step s and resumed
from its checkpoint replays exactly the steps an uninterrupted run would have taken.
"""

from __future__ import annotations

import json
import math
import os
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import torch
from tqdm.auto import tqdm

from dptdr_mini.model.checkpoint import atomic_write_bytes, load_model_tensors, load_tensors, model_metadata, save_model, save_tensors, _model_tensors
from dptdr_mini.training import distributed
from dptdr_mini.config import TrainConfig
from dptdr_mini.data.loaders import Passage
from dptdr_mini.errors import CheckpointError, ConfigError, TrainingDivergedError
from dptdr_mini.outputs import run_folder
from dptdr_mini.data.examples import TrainExample, make_batch
from dptdr_mini.training.loss import contrastive_loss, in_batch_false_negatives


@dataclass
class TrainResult:
    steps: int
    seconds: float
    losses: list[float] = field(default_factory=list)        # one per step
    evals: list[dict] = field(default_factory=list)          # {"step": s, **metrics}
    output_dir: str = ""


def linear_schedule(total_steps: int, warmup_ratio: float) -> Callable[[int], float]:
    """lr multiplier: 0 -> 1 over the warm-up steps, then 1 -> 0 linearly at the last step."""
    warmup = int(total_steps * warmup_ratio)

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / (warmup + 1)
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))
    return factor


def make_optimizer(params: list[torch.nn.Parameter], lr: float, weight_decay: float, total_steps: int,
                   warmup_ratio: float) -> tuple[torch.optim.Optimizer, torch.optim.lr_scheduler.LambdaLR]:
    """AdamW and its linear warm-up/decay schedule: the one set-up `train` and RIP's `pretrain` share."""
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=weight_decay)
    return opt, linear_scheduler(opt, total_steps, warmup_ratio)


def linear_scheduler(opt: torch.optim.Optimizer, total_steps: int, warmup_ratio: float,
                     steps_done: int = 0) -> torch.optim.lr_scheduler.LambdaLR:
    """`linear_schedule` on `opt`, continuing after `steps_done` steps (a resumed run: load `opt` first)."""
    return torch.optim.lr_scheduler.LambdaLR(opt, linear_schedule(total_steps, warmup_ratio),
                                             last_epoch=steps_done - 1)


def batch_loss(model, queries: list[str], passages: list[str], ignore: torch.Tensor | None = None) -> torch.Tensor:
    """`contrastive_loss` of one batch: the single call site for `train` and `pretrain` (not distributed).

    `passages` is grouped per query as `contrastive_loss` expects: [pos_0, negs_0..., pos_1, ...];
    `ignore` (B, B*(1+k)) marks in-batch false negatives (`in_batch_false_negatives`).
    """
    q = model.encode(queries, "query")                                      # (B, H)
    p = model.encode(passages, "passage")                                   # (B*(1+k), H)
    return contrastive_loss(q, p, model.cfg.temperature, ignore)


def contrastive_step(model, queries: list[str], passages: list[str], opt: torch.optim.Optimizer,
                     sched: torch.optim.lr_scheduler.LRScheduler, params: list[torch.nn.Parameter],
                     max_grad_norm: float, dist_step: distributed.DistributedStep | None = None,
                     ignore: torch.Tensor | None = None, step: int | None = None) -> float:
    """One optimiser step on one batch: loss, backward, clip, AdamW step, schedule step. -> the loss.

    A non-finite loss or gradient norm raises `TrainingDivergedError` (naming `step`, 1-based) before the
    optimiser touches a weight: a run never goes on training, or saves, NaN weights.

    `dist_step` (torchrun / GradCache) replaces the local forward and backward; everything after it
    is the same, so a plain and a distributed run differ only in how the gradient is made.
    """
    opt.zero_grad(set_to_none=True)
    if dist_step is None:
        loss = batch_loss(model, queries, passages, ignore)
        loss.backward()
    else:
        loss = dist_step(queries, passages, ignore)                         # its own forward + backward
    norm = torch.nn.utils.clip_grad_norm_(params, max_grad_norm)
    if not (math.isfinite(loss.item()) and math.isfinite(float(norm))):
        raise TrainingDivergedError(f"training diverged at step {step if step is not None else '?'}: loss "
                                    f"{loss.item()}, gradient norm {float(norm)} (expected finite numbers; lower "
                                    "--lr, raise --temperature); the weights of that step were not updated")
    opt.step()
    sched.step()
    return loss.item()


def epoch_order(n: int, seed: int, epoch: int) -> list[int]:
    order = list(range(n))
    random.Random(seed * 1_000_003 + epoch).shuffle(order)
    return order


def _optimizer_tensors(opt: torch.optim.Optimizer) -> tuple[dict[str, torch.Tensor], str]:
    state = opt.state_dict()
    tensors = {f"optim.{idx}.{name}": (t if torch.is_tensor(t) else torch.tensor(t))
               for idx, s in state["state"].items() for name, t in s.items()}
    return tensors, json.dumps(state["param_groups"])


def _restore_optimizer(opt: torch.optim.Optimizer, tensors: dict[str, torch.Tensor], groups: str) -> None:
    state: dict = {}
    for key, t in tensors.items():
        if key.startswith("optim."):
            _, idx, name = key.split(".", 2)
            state.setdefault(int(idx), {})[name] = t
    opt.load_state_dict({"state": state, "param_groups": json.loads(groups)})


def save_resume_state(path: Path, model, opt, step: int, cfg: TrainConfig, losses: list[float]) -> None:
    """One atomic file with everything `--resume` needs."""
    tensors = {f"model.{k}": v for k, v in _model_tensors(model).items()}
    opt_tensors, groups = _optimizer_tensors(opt)
    tensors.update(opt_tensors)
    tensors["rng.torch"] = torch.get_rng_state()
    device = next(model.parameters()).device
    if device.type == "cuda":                                 # dropout on a GPU draws from the GPU's generator
        tensors["rng.cuda"] = torch.cuda.get_rng_state(device)
    save_tensors(path, tensors, {**model_metadata(model, cfg.seed), "step": str(step), "param_groups": groups,
                                 "train_config": json.dumps(asdict(cfg)), "losses": json.dumps(losses)})


# TrainConfig fields that decide which batches a run sees: a resumed run must keep them (the rest, e.g. --max-steps
# or --eval-every, may change). Paths are compared resolved.
RESUME_KEEPS = ("data", "split", "train_file", "dev_from_train", "batch_size", "negatives", "seed")
RESUME_MAY_CHANGE_MODEL = ("online", "backbone")   # a backbone's weights are checked by fingerprint on load


def check_resume_matches(meta: dict[str, str], cfg: TrainConfig | None, model, path) -> None:
    """Refuse to resume a run with other model or data settings than it was started with: the steps before and
    after would train on different batches or a different model, and the result would match neither."""
    def same(name, a, b):
        if name in ("data", "train_file") and a and b:
            return Path(a).resolve() == Path(b).resolve()
        return a == b
    differ = []
    saved_model = json.loads(meta.get("model_config", "{}"))
    for name, value in asdict(model.cfg).items():
        if name in saved_model and name not in RESUME_MAY_CHANGE_MODEL and saved_model[name] != value:
            differ.append(f"--{name.replace('_', '-')} {saved_model[name]!r} -> {value!r}")
    saved_train = json.loads(meta.get("train_config", "{}")) if cfg is not None else {}
    for name in RESUME_KEEPS if cfg is not None else ():
        if name in saved_train and not same(name, saved_train[name], getattr(cfg, name)):
            differ.append(f"--{name.replace('_', '-')} {saved_train[name]!r} -> {getattr(cfg, name)!r}")
    if differ:
        raise ConfigError(f"--resume {path}: the run was started with other settings ({'; '.join(differ)}); "
                          "expected the flags it was started with, or --overwrite to start it again")


def load_resume_state(path: Path, model, opt, cfg: TrainConfig | None = None) -> tuple[int, list[float]]:
    tensors, meta = load_tensors(path)
    if "step" not in meta or "param_groups" not in meta:
        raise CheckpointError(f"{path}: not a resumable checkpoint (no step / optimizer state)")
    check_resume_matches(meta, cfg, model, path)
    model_t = {k[len("model."):]: v for k, v in tensors.items() if k.startswith("model.")}
    load_model_tensors(model, model_t, meta, path)
    _restore_optimizer(opt, tensors, meta["param_groups"])
    torch.set_rng_state(tensors["rng.torch"])
    device = next(model.parameters()).device
    if "rng.cuda" in tensors and device.type == "cuda":
        torch.cuda.set_rng_state(tensors["rng.cuda"], device)
    return int(meta["step"]), json.loads(meta.get("losses", "[]"))


def train(model, examples: list[TrainExample], corpus: dict[str, Passage], cfg: TrainConfig,
          evaluate_fn: Callable[[object], dict] | None = None) -> TrainResult:
    """Train `model` (a DenseRetriever) on `examples`; write checkpoints to cfg.output_dir.

    `evaluate_fn(model) -> metrics` is called every `eval_every` steps and at the end, if given.
    """
    cfg.validate()
    if not examples:
        raise ConfigError("no training examples: the split has no judged queries")
    if min(cfg.batch_size, len(examples)) == 1 and cfg.negatives == 0 and not cfg.negatives_x_device:
        raise ConfigError(f"{len(examples)} training example with --negatives 0: its query scores only its own "
                          "positive, so the loss is 0 and nothing learns (expected --negatives >= 1)")
    params = model.trainable_parameters()
    if not params:
        raise ConfigError("--prefix-len 0: nothing to train (prompt mode trains only the prefix); "
                          "expected --prefix-len >= 1 or --mode finetune")
    out = Path(cfg.output_dir)
    # only once the inputs are known to be good: an earlier run is refused (unless resume/overwrite), and the
    # folder is locked against a second run (rank 0 holds it under torchrun) and removed if this one fails unsaved
    with run_folder(out, cfg.resume, cfg.overwrite, lock=os.environ.get("RANK", "0") == "0"):
        return _train(model, examples, corpus, cfg, evaluate_fn, params, out)


def _train(model, examples: list[TrainExample], corpus: dict[str, Passage], cfg: TrainConfig,
           evaluate_fn: Callable[[object], dict] | None, params: list[torch.nn.Parameter], out: Path) -> TrainResult:
    """The body of `train`, in its checked and locked run folder."""
    torch.manual_seed(cfg.seed)
    # -- scale (distributed.py): torchrun ranks / GradCache; a plain run keeps dist_step None ---------
    env = distributed.init_from_env()
    if env.device != "cpu":
        model.to(env.device)                                  # in place: `params` above stay the same objects
    dist_step = distributed.DistributedStep(model, cfg, env) if distributed.needs_distributed_step(cfg, env) else None
    global_batch = cfg.batch_size * env.world_size           # every rank trains on its slice of it
    if dist_step is not None and env.is_main:
        print(dist_step.describe())
    if not env.is_main:
        evaluate_fn = None                                    # rank 0 evaluates and writes files
    # ---------------------------------------------------------------------------------------------
    steps_per_epoch = math.ceil(len(examples) / global_batch)
    total = cfg.max_steps or cfg.epochs * steps_per_epoch
    opt, sched = make_optimizer(params, cfg.learning_rate(model.cfg.mode), cfg.weight_decay, total, cfg.warmup_ratio)
    corpus_ids = list(corpus)
    result = TrainResult(steps=0, seconds=0.0, output_dir=str(out))
    step = 0
    last = out / "last.safetensors"
    if cfg.resume and last.is_file():
        step, result.losses = load_resume_state(last, model, opt, cfg)
        sched = linear_scheduler(opt, total, cfg.warmup_ratio, steps_done=step)
    config_json = json.dumps({"train": asdict(cfg), "model": asdict(model.cfg)}, indent=2).encode()
    config_written = False                                    # with the first checkpoint: a run that fails before
                                                              # its first step leaves an earlier config as it was

    if evaluate_fn and cfg.eval_at_start and step == 0:       # step 0: where the untrained model starts
        model.eval()
        result.evals.append({"step": 0, **evaluate_fn(model)})
    start = time.perf_counter()
    model.train()
    bar = tqdm(total=total, initial=step, disable=cfg.quiet or not env.is_main, desc=f"train ({model.cfg.mode})")
    while step < total:
        epoch, offset = divmod(step, steps_per_epoch)
        order = epoch_order(len(examples), cfg.seed, epoch)
        idx = order[offset * global_batch:(offset + 1) * global_batch]
        rng = random.Random(cfg.seed * 1_000_003 + 7919 * step)
        if dist_step is not None and env.world_size > 1:  # the global batch on every rank, each trains on its slice
            idx = distributed.pad_global_batch(idx, order, global_batch)
        batch = make_batch([examples[i] for i in idx], corpus, cfg.negatives, rng, corpus_ids)
        ignore = in_batch_false_negatives(batch.positive_ids, batch.passage_ids)   # (B, B*(1+k))
        loss = contrastive_step(model, batch.queries, batch.passages, opt, sched, params, cfg.max_grad_norm,
                                dist_step, ignore, step=step + 1)
        step += 1
        result.losses.append(loss)
        bar.update(1)
        bar.set_postfix(loss=f"{loss:.3f}", lr=f"{sched.get_last_lr()[0]:.2e}")
        end_of_epoch = step % steps_per_epoch == 0
        if env.is_main and (step == total or (cfg.save_every and step % cfg.save_every == 0)
                            or (not cfg.save_every and end_of_epoch)):
            if not config_written:
                atomic_write_bytes(out / "train_config.json", config_json)
                config_written = True
            save_resume_state(last, model, opt, step, cfg, result.losses)
        if evaluate_fn and cfg.eval_every and step % cfg.eval_every == 0 and step < total:
            model.eval()
            result.evals.append({"step": step, **evaluate_fn(model)})
            model.train()
    bar.close()
    model.eval()
    result.steps = step
    result.seconds = time.perf_counter() - start
    if not env.is_main:
        return result
    if not config_written:                                    # a resumed run that had no step left
        atomic_write_bytes(out / "train_config.json", config_json)
    save_model(out / "model.safetensors", model, {"steps": str(step)}, seed=cfg.seed)
    if evaluate_fn:
        result.evals.append({"step": step, **evaluate_fn(model)})
    atomic_write_bytes(out / "train_log.json",
                       json.dumps({"losses": result.losses, "evals": result.evals, "seconds": result.seconds}).encode())
    return result
