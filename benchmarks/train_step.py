"""Training step time and peak memory: prompt mode (DPT) vs fine-tune mode (FT), same batch.

Each mode runs in a fresh subprocess (so one mode's allocations cannot raise the other's peak), and
the modes alternate over `--rounds` rounds (so load from other jobs on a shared machine hits both
arms alike). A worker builds the retriever, draws one fixed batch (8 queries + 16 passages: one
positive and one negative each, passage max len 128), and times full steps (encode, InfoNCE,
backward, clip, AdamW) after warm-up steps; then reads its peak RSS (`ru_maxrss`).

Why prompt mode is not free: its backward pass still runs through every frozen layer to reach the
prefix keys/values of layer 0 (input gradients), it only skips the weight gradients, and AdamW keeps
state for 0.15M instead of 22.7M parameters.

    python -m benchmarks.train_step                  # SciFact train batch; data_samples/ when absent
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time

import pandas as pd
import torch

from dptdr_mini.config import ModelConfig
from dptdr_mini.data.loaders import load_data
from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.data.examples import examples_from_data, make_batch
from dptdr_mini.training.loss import contrastive_loss

from .provenance import SAMPLES, SCIFACT, median, provenance, write_results

MODES = ("prompt", "finetune")


def rss_mib() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def fixed_batch(data_dir: str, queries: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """The same (queries, 2*queries passages) batch for both modes: one positive + one negative each."""
    data = load_data(data_dir, "train")
    examples = examples_from_data(data)[:queries]
    batch = make_batch(examples, data.corpus, 1, random.Random(seed), list(data.corpus))
    return batch.queries, batch.passages


def worker(mode: str, data_dir: str, queries: int, steps: int, warmup: int, threads: int) -> dict:
    """One mode, one process: returns step times, peak RSS and what the optimizer holds."""
    if threads:
        torch.set_num_threads(threads)
    torch.manual_seed(0)
    qs, ps = fixed_batch(data_dir, queries)
    model = DenseRetriever(ModelConfig(mode=mode, passage_max_len=128))
    params = model.trainable_parameters()
    opt = torch.optim.AdamW(params, lr=1e-2 if mode == "prompt" else 2e-5)
    rss_loaded = current_rss_mib()
    model.train()
    times, phases = [], {"forward": [], "backward": [], "optimizer": []}
    for step in range(warmup + steps):
        t0 = time.perf_counter()
        q = model.encode(qs, "query")                                       # (8, 384)
        p = model.encode(ps, "passage")                                     # (16, 384)
        loss = contrastive_loss(q, p, model.cfg.temperature)
        t1 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        t2 = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        t3 = time.perf_counter()
        if step >= warmup:
            times.append(t3 - t0)
            for name, secs in zip(phases, (t1 - t0, t2 - t1, t3 - t2)):
                phases[name].append(secs)
    state_bytes = sum(t.numel() * t.element_size() for s in opt.state.values() for t in s.values()
                      if torch.is_tensor(t))
    return {"mode": mode, "step_s": median(times), **{f"{k}_s": median(v) for k, v in phases.items()}, "steps": steps, "peak_rss_mib": rss_mib(),
            "rss_after_load_mib": rss_loaded, "trainable": sum(p.numel() for p in params),
            "adamw_state_mib": state_bytes / 2**20, "queries": len(qs), "passages": len(ps),
            "threads": torch.get_num_threads()}


def run_worker(mode: str, args) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.train_step", "--worker", mode, "--data", args.data,
           "--queries", str(args.queries), "--steps", str(args.steps), "--warmup", str(args.warmup),
           "--threads", str(args.threads)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="", help="BEIR/MS MARCO folder with a train split (default: SciFact, "
                                               "else data_samples/beir)")
    ap.add_argument("--queries", type=int, default=8, help="queries per batch (passages = 2x)")
    ap.add_argument("--steps", type=int, default=10, help="timed steps per worker")
    ap.add_argument("--warmup", type=int, default=2, help="untimed steps first")
    ap.add_argument("--rounds", type=int, default=3, help="fresh-process runs per mode, alternating")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0 = torch's default)")
    ap.add_argument("--worker", choices=MODES, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if not args.data:
        args.data = str(SCIFACT if (SCIFACT / "corpus.jsonl").is_file() else SAMPLES / "beir")
    if args.worker:
        print(json.dumps(worker(args.worker, args.data, args.queries, args.steps, args.warmup, args.threads)))
        return

    start = time.perf_counter()
    runs = [run_worker(mode, args) for _ in range(args.rounds) for mode in MODES]   # alternating
    raw = pd.DataFrame(runs)
    rows = []
    for mode in MODES:
        r = raw[raw["mode"] == mode]
        rows.append({"mode": mode, "step_ms (median)": 1000 * r["step_s"].median(),
                     "step_ms (min..max)": f"{1000 * r['step_s'].min():.0f}..{1000 * r['step_s'].max():.0f}",
                     **{f"{k} ms": 1000 * r[f"{k}_s"].median() for k in ("forward", "backward", "optimizer")},
                     "peak_rss_MiB": r["peak_rss_mib"].median(), "rss_after_load_MiB": r["rss_after_load_mib"].median(),
                     "trainable": int(r["trainable"].iloc[0]), "adamw_state_MiB": r["adamw_state_mib"].iloc[0]})
    table = pd.DataFrame(rows)
    p, f = table.iloc[0], table.iloc[1]
    ratio_t = p["step_ms (median)"] / f["step_ms (median)"]
    ratio_m = p["peak_rss_MiB"] / f["peak_rss_MiB"]
    ratio_inc = ((p["peak_rss_MiB"] - p["rss_after_load_MiB"]) / (f["peak_rss_MiB"] - f["rss_after_load_MiB"]))
    ratio_row = {"mode": "ratio prompt/FT", "step_ms (median)": ratio_t, "peak_rss_MiB": ratio_m,
                 **{f"{k} ms": p[f"{k} ms"] / f[f"{k} ms"] for k in ("forward", "backward", "optimizer")}}
    table = pd.concat([table, pd.DataFrame([ratio_row])], ignore_index=True)
    header = provenance("benchmarks.train_step")
    header["data"] = f"{args.data} (train split), batch {runs[0]['queries']} queries + {runs[0]['passages']} passages"
    header["protocol"] = (f"{args.rounds} fresh processes per mode, alternating; per process {args.warmup} warm-up "
                          f"+ median of {args.steps} steps; MiniLM, prefix 32, cls pooling, query/passage max "
                          f"len 32/128; threads {runs[0]['threads']}")
    header["wall"] = f"{time.perf_counter() - start:.0f} s"
    notes = [f"time ratio prompt/FT = {ratio_t:.3f} (goal <= 0.75): "
             + ("met" if ratio_t <= 0.75 else "NOT met"),
             f"peak RSS ratio prompt/FT = {ratio_m:.3f} (goal <= 0.75): " + ("met" if ratio_m <= 0.75 else "NOT met")
             + f"; on the memory training adds above the loaded model the ratio is {ratio_inc:.3f}",
             "peak RSS is the absolute process peak (Python + torch + model + activations + optimizer), nothing "
             "subtracted; rss_after_load is the resident size after building model and optimizer, before step 1"]
    md = write_results("train_step", table, header, notes, {"Per process": raw})
    print(md)


if __name__ == "__main__":
    main()
