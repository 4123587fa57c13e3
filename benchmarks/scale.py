"""Scale measurements on one CPU machine (issue 7): what the flags cost and what they preserve.

1. peak RSS of `encode --num-shards 1` (streaming, chunked) vs the in-memory `encode` for synthetic
   corpora of 50k / 100k / 200k passages, tiny random BERT (2 layers, hidden 32): flat is the goal.
2. 2 torchrun processes (gloo) with --negatives-x-device vs 1 process on the concatenated batch:
   per-step losses on data_samples/msmarco (dropout-free tiny BERT, so the two are comparable).
3. IVF / HNSW / IVFPQ recall@10 and query speed vs flat, 4 shards merged, on clustered synthetic vectors.

Run:  flock /tmp/dptdr-cpu.lock python benchmarks/scale.py   (about 10 minutes on 2 shared cores)
Writes benchmarks/results/scale.csv and scale.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import faiss  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402

from dptdr_mini.retrieve.ann import IndexConfig, ShardedIndex, queries_per_second, recall_vs_exact  # noqa: E402
from dptdr_mini.model.checkpoint import save_model  # noqa: E402
from dptdr_mini.config import ModelConfig  # noqa: E402
from dptdr_mini.model.retriever import DenseRetriever  # noqa: E402
from benchmarks.synthetic import clustered_vectors, tiny_backbone, write_msmarco_folder  # noqa: E402

NOTES = """
Reading: peak RSS is of the `encode` child process alone (os.wait4), tiny random BERT (2 layers, hidden 32),
synthetic 30-word passages. The loss rows use a dropout-free tiny BERT on data_samples/msmarco (298 passages,
3 negatives per query, same saved initial prefix); 5 steps check arithmetic, not learning. The ANN rows use
clustered synthetic vectors (1,000 Gaussian clusters, noise 1.0), which are easier for IVF/HNSW than real
embeddings; FAISS OpenMP threads set to 1 (BLAS in the flat search may use both cores). At 50k vectors per
shard, flat search of a 1,000-query batch is BLAS-efficient, so HNSW (efSearch 128) is not faster here.
"""
ENV = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}


def peak_rss(cmd: list[str]) -> tuple[float, float, str]:
    """Peak RSS of one child: start it with Popen and reap it ourselves with os.wait4."""
    start = time.perf_counter()
    with open(os.devnull, "w") as devnull, tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=out, stderr=devnull)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed with {proc.returncode}")
    return usage.ru_maxrss / 1024, time.perf_counter() - start, text


def memory_rows(tmp: Path, backbone: str, sizes: list[int], inmemory: list[int]) -> list[dict]:
    rows = []
    for n in sizes:
        data = write_msmarco_folder(tmp / f"corpus{n}", n, seed=n, words=30)
        for path in ("sharded", "in-memory"):
            if path == "in-memory" and n not in inmemory:
                continue
            out = tmp / f"idx-{path}-{n}"
            cmd = [sys.executable, "-m", "dptdr_mini", "encode", "--data", str(data), "--split", "none",
                   "--backbone", backbone, "--batch-size", "128", "--output", str(out), "--quiet"]
            if path == "sharded":
                cmd += ["--num-shards", "1", "--chunk-size", "10000"]
            else:
                (data / "queries.none.tsv").write_text("q\tx\n")
                (data / "qrels.none.tsv").write_text("q 0 0 1\n")
            rss, secs, _ = peak_rss(cmd)
            rows.append({"part": "memory", "setting": f"encode {path}", "corpus": n, "metric": "peak RSS MiB",
                         "value": round(rss, 1), "wall_s": round(secs, 1), "note": f"{n / secs:,.0f} passages/s"})
            print(rows[-1], flush=True)
    return rows


def loss_rows(tmp: Path, steps: int) -> list[dict]:
    backbone = tiny_backbone(tmp / "tiny-nodrop", dropout=0.0)
    torch.manual_seed(0)
    model_flags = ["--prefix-len", "8", "--prefix-dropout", "0", "--pooling", "mean"]
    save_model(tmp / "init.safetensors", DenseRetriever(ModelConfig(backbone=backbone, prefix_len=8,
                                                                    prefix_dropout=0.0, pooling="mean")))
    common = ["-m", "dptdr_mini", "train", "--data", str(ROOT / "data_samples" / "msmarco"), "--split", "train",
              "--eval-split=", "--backbone", backbone, "--init-checkpoint", str(tmp / "init.safetensors"),
              *model_flags, "--negatives", "3", "--max-steps", str(steps), "--quiet"]
    runs = {"2 processes x 4 queries, --negatives-x-device":
            [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "--master_port", "29531",
             *common, "--batch-size", "4", "--negatives-x-device", "--output-dir", str(tmp / "ddp")],
            "1 process x 8 queries": [sys.executable, *common, "--batch-size", "8", "--output-dir", str(tmp / "one")],
            "1 process x 8 queries, --grad-cache-chunk 2":
            [sys.executable, *common, "--batch-size", "8", "--grad-cache-chunk", "2", "--output-dir", str(tmp / "gc")]}
    losses, rows = {}, []
    for name, cmd in runs.items():
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=ENV, check=True, capture_output=True)
        secs = time.perf_counter() - start
        out = Path(cmd[cmd.index("--output-dir") + 1])
        losses[name] = json.loads((out / "train_log.json").read_text())["losses"]
        rows.append({"part": "loss", "setting": name, "corpus": 298, "metric": f"losses of {steps} steps",
                     "value": " ".join(f"{x:.6f}" for x in losses[name]), "wall_s": round(secs, 1),
                     "note": "wall includes process start"})
    ref = losses["1 process x 8 queries"]
    for name, values in losses.items():
        rows.append({"part": "loss", "setting": name, "corpus": 298, "metric": "max abs(loss - 1-process loss)",
                     "value": f"{max(abs(a - b) for a, b in zip(values, ref)):.2e}", "wall_s": "", "note": ""})
    for r in rows:
        print(r, flush=True)
    return rows


def ann_rows(n: int, dim: int, queries: int, shards: int) -> list[dict]:
    faiss.omp_set_num_threads(1)
    corpus, q = clustered_vectors(n, dim, clusters=max(10, n // 200), queries=queries, seed=0, noise=1.0)
    ids = [str(i) for i in range(n)]
    parts = [(ids[s::shards], corpus[s::shards]) for s in range(shards)]
    rows = []
    flat = ShardedIndex.from_vectors(parts, IndexConfig("flat"))
    flat_qps = queries_per_second(flat, q)
    for kind, cfg in (("flat", IndexConfig("flat")), ("ivf", IndexConfig("ivf", nprobe=16)),
                      ("ivf", IndexConfig("ivf", nprobe=64)), ("hnsw", IndexConfig("hnsw", ef_search=128)),
                      ("ivfpq", IndexConfig("ivfpq", nprobe=16))):
        start = time.perf_counter()
        index = flat if kind == "flat" else ShardedIndex.from_vectors(parts, cfg)
        build = time.perf_counter() - start
        qps = flat_qps if kind == "flat" else queries_per_second(index, q)
        knob = {"ivf": f"nprobe {cfg.nprobe}", "ivfpq": f"nprobe {cfg.nprobe}, {dim // 4} B/vector",
                "hnsw": f"M {cfg.hnsw_m}, efSearch {cfg.ef_search}", "flat": "exact"}[kind]
        rows.append({"part": "ann", "setting": f"{kind} ({knob})", "corpus": n, "metric": "recall@10 vs flat",
                     "value": round(recall_vs_exact(index, flat, q), 4), "wall_s": round(build, 1),
                     "note": f"{qps:,.0f} queries/s ({qps / flat_qps:.1f}x flat), {shards} shards, dim {dim}, "
                             f"{queries} queries, 1 thread; wall = build"})
        print(rows[-1], flush=True)
    return rows


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="50000,100000,200000")
    p.add_argument("--in-memory-sizes", default="50000,100000", help="also run the in-memory encode at these")
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--ann-size", type=int, default=200_000)
    p.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = p.parse_args()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        backbone = tiny_backbone(tmp / "tiny")
        rows = memory_rows(tmp, backbone, [int(s) for s in args.sizes.split(",")],
                           [int(s) for s in args.in_memory_sizes.split(",") if s])
        rows += loss_rows(tmp, args.steps)
        rows += ann_rows(args.ann_size, 128, 1000, 4)
    total = time.perf_counter() - start
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "scale.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    head = (f"# Scale measurements\n\ncommand: `flock /tmp/dptdr-cpu.lock python benchmarks/scale.py "
            f"{' '.join(sys.argv[1:])}`  \ndate: {datetime.datetime.now().isoformat(timespec='seconds')}  \n"
            f"machine: {platform.machine()}, {os.cpu_count()} CPUs shared with other jobs, {platform.platform()}  \n"
            f"versions: python {platform.python_version()}, torch {torch.__version__}, transformers "
            f"{transformers.__version__}, faiss {faiss.__version__}, numpy {np.__version__}  \n"
            f"total wall time: {total:.0f} s\n{NOTES}\n")
    lines = ["| part | setting | corpus | metric | value | wall s | note |", "|---|---|---|---|---|---|---|"]
    lines += [f"| {r['part']} | {r['setting']} | {r['corpus']:,} | {r['metric']} | {r['value']} | {r['wall_s']} | "
              f"{r['note']} |" for r in rows]
    (out / "scale.md").write_text(head + "\n".join(lines) + "\n")
    print(head + "\n".join(lines))


if __name__ == "__main__":
    main()
