"""Data-parallel training: torchrun + DDP, negatives shared across devices, gradient caching.

`torchrun --nproc_per_node N -m dptdr_mini train ...` starts N copies of the trainer with RANK,
WORLD_SIZE and LOCAL_RANK in the environment. `init_from_env` joins them into one process group
(nccl on GPUs, gloo on CPUs) and the model is wrapped in `DistributedDataParallel`, which averages
the gradients of the trainable parameters (in prompt mode: only the prefix) after every backward.

Each step draws one *global* batch of `batch_size x N` queries (the same on every rank: same seed),
and rank r trains on its slice r. With `negatives_x_device`, every rank all-gathers the query and
passage vectors of all ranks (`gather_with_grad`) so each query is scored against all N x B x (1+k)
passages, exactly the loss one process would compute on the concatenated batch. Only the local
rows keep their gradient; since DDP *averages* gradients over ranks, the loss is multiplied by N
(as in the DPTDR / Tevatron code) so the result is the full-batch gradient.

`grad_cache_chunk` (GradCache, Gao et al. 2021): encode the batch in chunks without graph, compute
the loss and its gradient w.r.t. the vectors, then re-encode each chunk with graph (same dropout
RNG) and back-propagate the cached vector gradients. Same loss and gradient as the whole batch,
at the activation memory of one chunk: large contrastive batches on small memory.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass

import torch
import torch.distributed as dist
from torch import nn

from dptdr_mini.errors import ConfigError
from dptdr_mini.training.loss import contrastive_loss


@dataclass
class DistEnv:
    """Where this process stands: rank r of world_size, and the device it trains on."""

    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    device: str = "cpu"

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def default_device() -> str:
    """Where a single process computes: `cuda` when a GPU is visible, else `cpu`; DPTDR_DEVICE overrides.

    One function so that training, RIP, mining and evaluation all follow the same rule: a user with one
    GPU gets it without a flag, and `DPTDR_DEVICE=cpu` keeps everything on the processor.
    """
    forced = os.environ.get("DPTDR_DEVICE", "").strip()
    if forced:
        try:
            device = torch.device(forced)
        except RuntimeError:
            raise ConfigError(f"DPTDR_DEVICE={forced!r}: expected cpu, cuda or cuda:N") from None
        if device.type == "cuda" and not torch.cuda.is_available():
            raise ConfigError(f"DPTDR_DEVICE={forced!r}: no GPU is visible to PyTorch; unset it or use cpu")
        return str(device)
    return "cuda" if torch.cuda.is_available() else "cpu"


def init_from_env() -> DistEnv:
    """Join the process group torchrun described in the environment; a plain run is rank 0 of 1."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return DistEnv(device=default_device())
    rank, local = int(os.environ["RANK"]), int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.cuda.is_available()
    if cuda:
        torch.cuda.set_device(local)
    if not dist.is_initialized():
        dist.init_process_group("nccl" if cuda else "gloo")
    return DistEnv(rank, world, local, f"cuda:{local}" if cuda else "cpu")


def gather_with_grad(t: torch.Tensor) -> torch.Tensor:
    """(n, H) on every rank -> (world * n, H), rank-major; only this rank's rows carry gradient.

    `dist.all_gather` returns copies without autograd history; putting the local tensor back in its
    slot makes the loss differentiable w.r.t. this rank's vectors (DPTDR/Tevatron `_dist_gather_tensor`).
    """
    if not dist.is_initialized() or dist.get_world_size() == 1:
        return t
    parts = [torch.empty_like(t) for _ in range(dist.get_world_size())]
    dist.all_gather(parts, t.detach().contiguous())
    parts[dist.get_rank()] = t
    return torch.cat(parts)


class PairEncoder(nn.Module):
    """One forward for queries and their passages, so DDP sees a single `forward` per backward."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, q_batch: dict, p_batch: dict) -> tuple[torch.Tensor, torch.Tensor]:
        return self.model.encode_batch(q_batch, "query"), self.model.encode_batch(p_batch, "passage")


def _rng_state(device: str):
    return torch.get_rng_state(), (torch.cuda.get_rng_state(device) if device.startswith("cuda") else None)


def _set_rng_state(state, device: str) -> None:
    torch.set_rng_state(state[0])
    if state[1] is not None:
        torch.cuda.set_rng_state(state[1], device)


class DistributedStep:
    """Forward + backward of one training step on this rank's slice of the global batch.

    Called as `loss = step(queries, passages, ignore)` with the global batch texts (B*N queries, B*N*(1+k)
    passages) and optionally the global batch's false-negative mask (B*N, B*N*(1+k)); returns the detached loss that one process would report on the whole global batch
    (with `negatives_x_device`) or the mean of the ranks' local losses (without).
    """

    def __init__(self, model, cfg, env: DistEnv):
        self.model, self.cfg, self.env = model, cfg, env
        self.net: nn.Module = PairEncoder(model)
        if env.world_size > 1:                                # train() has already put the model on env.device
            self.net = nn.parallel.DistributedDataParallel(
                self.net, device_ids=[env.local_rank] if env.device != "cpu" else None)
        self.x_device = cfg.negatives_x_device and env.world_size > 1
        self.scale = env.world_size if self.x_device else 1     # undo DDP's gradient averaging

    def describe(self) -> str:
        B, N, k = self.cfg.batch_size, self.env.world_size, self.cfg.negatives
        scored = (B * N if self.x_device else B) * (1 + k)
        chunk = f", GradCache chunks of {self.cfg.grad_cache_chunk}" if self.cfg.grad_cache_chunk else ""
        return (f"effective batch: {B} queries x {N} process(es) = {B * N} queries per step; each query scored "
                f"against {scored} passages ({'cross-device' if self.x_device else 'per-device'} negatives{chunk})")

    def _loss(self, q: torch.Tensor, p: torch.Tensor, ignore: torch.Tensor | None) -> torch.Tensor:
        if self.x_device:
            q, p = gather_with_grad(q), gather_with_grad(p)                 # (N*B, H), (N*B*(1+k), H)
        return contrastive_loss(q, p, self.model.cfg.temperature, ignore)

    def _report(self, loss: torch.Tensor) -> torch.Tensor:
        loss = loss.detach()
        if self.env.world_size > 1 and not self.x_device:       # mean of the ranks' local losses
            loss = loss.clone()
            dist.all_reduce(loss)
            loss /= self.env.world_size
        return loss.cpu()

    def __call__(self, queries: list[str], passages: list[str], ignore: torch.Tensor | None = None) -> torch.Tensor:
        N, r = self.env.world_size, self.env.rank
        B, group = len(queries) // N, len(passages) // len(queries)
        qs, ps = queries[r * B:(r + 1) * B], passages[r * B * group:(r + 1) * B * group]
        if ignore is not None and not self.x_device:                        # this rank's rows and columns
            ignore = ignore[r * B:(r + 1) * B, r * B * group:(r + 1) * B * group]
        chunk = self.cfg.grad_cache_chunk or B
        batches = [(self.model.tokenize(qs[i:i + chunk], "query"),
                    self.model.tokenize(ps[i * group:(i + chunk) * group], "passage")) for i in range(0, B, chunk)]
        if not self.cfg.grad_cache_chunk:
            q, p = self.net(*batches[0])                                    # (B, H), (B*(1+k), H)
            loss = self._loss(q, p, ignore)
            (loss * self.scale).backward()
            return self._report(loss)
        # GradCache 1: vectors of every chunk without graph, remembering each chunk's dropout RNG
        states, q_parts, p_parts = [], [], []
        with torch.no_grad():
            for qb, pb in batches:
                states.append(_rng_state(self.env.device))
                q, p = self.net.module(qb, pb) if N > 1 else self.net(qb, pb)
                q_parts.append(q)
                p_parts.append(p)
        # 2: the loss on the whole batch and its gradient w.r.t. the vectors
        q_all = torch.cat(q_parts).requires_grad_()                        # (B, H)
        p_all = torch.cat(p_parts).requires_grad_()                        # (B*(1+k), H)
        loss = self._loss(q_all, p_all, ignore)
        (loss * self.scale).backward()
        q_grads = q_all.grad.split([len(q) for q in q_parts])
        p_grads = p_all.grad.split([len(p) for p in p_parts])
        # 3: re-encode each chunk with graph and push the cached gradients through it;
        #    DDP syncs gradients only after the last chunk
        end_state = _rng_state(self.env.device)
        for i, ((qb, pb), state) in enumerate(zip(batches, states)):
            last = i == len(batches) - 1
            sync = self.net.no_sync() if N > 1 and not last else contextlib.nullcontext()
            with sync:
                _set_rng_state(state, self.env.device)
                q, p = self.net(qb, pb)
                ((q * q_grads[i]).sum() + (p * p_grads[i]).sum()).backward()
        _set_rng_state(end_state, self.env.device)
        return self._report(loss)


def needs_distributed_step(cfg, env: DistEnv) -> bool:
    """The plain single-process loop is used unless there are several ranks or GradCache is on."""
    return env.world_size > 1 or cfg.grad_cache_chunk > 0


def pad_global_batch(idx: list[int], order: list[int], size: int) -> list[int]:
    """Fill a short last batch from the start of the epoch's order, so every rank gets B examples."""
    return (idx + order * (1 + size // max(1, len(order))))[:size] if len(idx) < size else idx
