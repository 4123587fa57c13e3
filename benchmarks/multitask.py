"""Many tasks on one frozen backbone vs one fine-tuned copy per task, measured side by side in one run.

    python benchmarks/multitask.py            # ~2-3 min on 2 CPU cores; writes benchmarks/results/multitask.{csv,md}

What it measures (all on the bundled all-MiniLM-L6-v2, CPU):
- resident memory with N = 1, 2, 4, 8 tasks: N prompt checkpoints on one backbone (`MultiTaskRetriever`)
  vs N fine-tuned copies (`load_retriever` N times). Each configuration runs in a fresh subprocess that
  loads, encodes 8 queries (see `child`) and reports its peak RSS (`resource.getrusage`, includes transient
  load buffers) and its RSS at the end (psutil). A subprocess that only imports the kit gives the floor.
- bytes on disk per task: the prompt `model.safetensors` vs the fine-tuned one.
- throughput: a batch whose rows belong to 8 different tasks vs the same texts all of one task, through
  the same `MultiTaskRetriever.encode` path and through the task's own retriever, interleaved; best and median.
- added latency of the prefix: the bare backbone vs a prompt model (one query; a batch of passages).

The task checkpoints are *untrained, differently-seeded prefixes* (N(0, 0.02), seed = task index) and an
untrained fine-tune-mode save: memory, bytes and speed do not depend on the values, only on the shapes.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PLURAL = {"query": "queries", "passage": "passages"}
FALLBACK_TEXTS = [f"passage {i} about prompt tuning, frozen encoders and dense retrieval of relevant text "
                  f"for a question number {i} with some extra words to make it longer" for i in range(64)]


def sample_texts(data: str, n: int) -> tuple[list[str], list[str], str]:
    """(queries, passages, where from): the sample's real text when present, else synthetic sentences."""
    folder = ROOT / data
    if folder.is_dir():
        from dptdr_mini.data.loaders import load_data
        for split in ("dev", "test", "train"):
            try:
                d = load_data(folder, split)
                break
            except Exception:
                continue
        else:
            d = None
        if d is not None:
            qs = list(d.queries.values())
            ps = [p.full_text for p in d.corpus.values()]
            return (qs * n)[:n], (ps * n)[:n], f"{data} ({split} queries, corpus passages)"
    return FALLBACK_TEXTS[:n], FALLBACK_TEXTS[:n], "synthetic sentences (data sample not found)"


def rss_mb() -> tuple[float, float]:
    """(peak RSS, current RSS) of this process in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    try:
        import psutil
        current = psutil.Process().memory_info().rss / 2**20
    except ImportError:
        current = float("nan")
    return peak, current


def child(kind: str, n: int, workdir: Path) -> None:
    """Runs in a fresh interpreter: load N tasks of `kind`, encode 8 queries, print RSS as JSON.

    Prompts: one mixed batch of 8 rows spread over the N tasks; fine-tuned: each copy encodes the 8 rows
    (one after the other, so the activation memory is that of one 8-row batch in both cases).
    """
    import torch
    torch.set_num_threads(1)
    texts = FALLBACK_TEXTS[:8]
    if kind == "prompt":
        from dptdr_mini.model.multitask import MultiTaskRetriever
        mt = MultiTaskRetriever.from_checkpoints({f"t{i}": workdir / f"prompt{i}.safetensors" for i in range(n)})
        with torch.no_grad():  # the same 8 rows as one fine-tuned copy encodes, spread over the N tasks
            mt.encode(texts, [f"t{i % n}" for i in range(len(texts))], "query")
    elif kind == "finetune":
        from dptdr_mini.model.checkpoint import load_retriever
        models = [load_retriever(workdir / "finetune.safetensors") for _ in range(n)]
        with torch.no_grad():
            for m in models:
                m.encode(texts, "query")
    elif kind == "floor":
        import dptdr_mini.model.multitask  # noqa: F401  (the imports, no model)
    peak, current = rss_mb()
    print(json.dumps({"peak_mb": peak, "rss_mb": current}))


def measure_memory(kind: str, n: int, workdir: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(n), str(workdir)], capture_output=True,
                         text=True, check=True, cwd=ROOT, env={**os.environ, "TOKENIZERS_PARALLELISM": "false"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def make_checkpoints(workdir: Path, tasks: int, prefix_len: int) -> None:
    import torch
    from dptdr_mini.model.backbone import load_backbone
    from dptdr_mini.model.checkpoint import save_model
    from dptdr_mini.config import ModelConfig
    from dptdr_mini.model.retriever import DenseRetriever

    bb, tok = load_backbone()
    for i in range(tasks):
        torch.manual_seed(i)
        save_model(workdir / f"prompt{i}.safetensors", DenseRetriever(ModelConfig(prefix_len=prefix_len), bb, tok))
    bb, tok = load_backbone()
    save_model(workdir / "finetune.safetensors", DenseRetriever(ModelConfig(mode="finetune"), bb, tok))


def timed(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def measure_speed(workdir: Path, tasks: int, batch: int, repeats: int, data: str) -> tuple[list[dict], str]:
    import torch
    from dptdr_mini.config import ModelConfig
    from dptdr_mini.model.retriever import DenseRetriever
    from dptdr_mini.model.multitask import MultiTaskRetriever

    mt = MultiTaskRetriever.from_checkpoints({f"t{i}": workdir / f"prompt{i}.safetensors" for i in range(tasks)})
    bare = DenseRetriever(ModelConfig(prefix_len=0), mt.backbone, mt.tokenizer).eval()
    queries, passages, source = sample_texts(data, batch)
    rows = []
    with torch.no_grad():
        for role, texts in (("query", queries), ("passage", passages)):
            mixed = [f"t{i % tasks}" for i in range(len(texts))]
            single = ["t0"] * len(texts)
            mt.encode(texts, mixed, role)  # warm-up
            m_times, s_times, r_times = [], [], []
            for _ in range(repeats):  # interleaved so that load from other processes hits all alike
                m_times += timed(lambda: mt.encode(texts, mixed, role), 1)
                s_times += timed(lambda: mt.encode(texts, single, role), 1)
                r_times += timed(lambda: mt.encode_task(texts, "t0", role), 1)
            for name, t, n in ((f"mixed-task batch ({PLURAL[role]}, {tasks} tasks)", m_times, tasks),
                               (f"single-task batch ({PLURAL[role]}), same mixed path", s_times, 1),
                               (f"single-task batch ({PLURAL[role]}), task's own DenseRetriever", r_times, 1)):
                rows.append({"measure": "throughput", "config": name, "n_tasks": n, "value": len(texts) / min(t),
                             "median": len(texts) / statistics.median(t), "unit": f"{PLURAL[role]}/s"})
        for role, texts in (("query", queries[:1]), ("passage", passages)):
            prompt = mt.tasks["t0"]
            prompt.encode(texts, role), bare.encode(texts, role)
            p_times, b_times = [], []
            for _ in range(repeats):
                p_times += timed(lambda: prompt.encode(texts, role), 1)
                b_times += timed(lambda: bare.encode(texts, role), 1)
            for name, t in (("bare backbone", b_times), (f"prompt (prefix {prompt.cfg.prefix_len})", p_times)):
                rows.append({"measure": "latency", "config": f"{name}, {len(texts)} {PLURAL[role] if len(texts) > 1 else role}",
                             "n_tasks": 1, "value": 1000 * min(t), "median": 1000 * statistics.median(t), "unit": "ms"})
    return rows, source


def versions() -> str:
    import torch
    import transformers
    return f"python {platform.python_version()}, torch {torch.__version__}, transformers {transformers.__version__}"


def machine() -> str:
    from benchmarks.provenance import cpu_model  # here, not at the top: the memory subprocesses import this file

    return f"{platform.system()} {platform.machine()}, {cpu_model()}, {os.cpu_count()} logical CPUs"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tasks", default="1,2,4,8", help="task counts for the memory comparison")
    p.add_argument("--prefix-len", type=int, default=32, help="prefix length of every task")
    p.add_argument("--batch", type=int, default=32, help="rows per throughput batch")
    p.add_argument("--repeats", type=int, default=15, help="timed repeats (best and median reported)")
    p.add_argument("--data", default="data_samples/msmarco", help="where the throughput texts come from")
    p.add_argument("--output", default="benchmarks/results/multitask", help="writes OUTPUT.csv and OUTPUT.md")
    p.add_argument("--child", nargs=3, metavar=("KIND", "N", "DIR"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        child(args.child[0], int(args.child[1]), Path(args.child[2]))
        return 0
    counts = [int(x) for x in args.tasks.split(",")]
    started = time.perf_counter()
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="dptdr-multitask-") as tmp:
        work = Path(tmp)
        make_checkpoints(work, max(counts), args.prefix_len)
        prompt_bytes = (work / "prompt0.safetensors").stat().st_size
        ft_bytes = (work / "finetune.safetensors").stat().st_size
        rows += [{"measure": "disk", "config": "prompt checkpoint", "n_tasks": 1, "value": prompt_bytes, "unit": "bytes"},
                 {"measure": "disk", "config": "fine-tuned checkpoint", "n_tasks": 1, "value": ft_bytes, "unit": "bytes"}]
        floor = measure_memory("floor", 0, work)
        rows.append({"measure": "memory", "config": "imports only (floor)", "n_tasks": 0,
                     "value": floor["rss_mb"], "unit": "MiB", "peak": floor["peak_mb"]})
        for kind, label in (("prompt", "prompts on one backbone"), ("finetune", "fine-tuned copies")):
            for n in counts:
                m = measure_memory(kind, n, work)
                print(f"memory {label:24s} N={n}: rss {m['rss_mb']:.0f} MiB, peak {m['peak_mb']:.0f} MiB", flush=True)
                rows.append({"measure": "memory", "config": label, "n_tasks": n, "value": m["rss_mb"],
                             "unit": "MiB", "peak": m["peak_mb"]})
        speed, source = measure_speed(work, max(counts), args.batch, args.repeats, args.data)
        rows += speed
    seconds = time.perf_counter() - started
    write_results(rows, args, source, seconds, counts)
    return 0


def write_results(rows: list[dict], args, source: str, seconds: float, counts: list[int]) -> None:
    from dptdr_mini.model.checkpoint import atomic_write_bytes

    out = ROOT / args.output
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["measure", "config", "n_tasks", "value", "unit", "peak", "median"])
    writer.writeheader()
    for r in rows:
        writer.writerow({"peak": "", "median": "", **r, "value": round(r["value"], 3),
                         **({"median": round(r["median"], 3)} if "median" in r else {})})
    atomic_write_bytes(out.with_suffix(".csv"), buf.getvalue().encode())

    mem = {(r["config"], r["n_tasks"]): r for r in rows if r["measure"] == "memory"}
    floor = mem[("imports only (floor)", 0)]["value"]
    lines = [f"# Many tasks on one frozen backbone (measured)\n",
             f"Command: `python benchmarks/multitask.py --tasks {args.tasks} --prefix-len {args.prefix_len} "
             f"--batch {args.batch} --repeats {args.repeats} --data {args.data}`  ",
             f"Date: {time.strftime('%Y-%m-%d %H:%M %Z')}; total wall time {seconds:.0f} s  ",
             f"Machine: {machine()}; torch threads {__import__('torch').get_num_threads()} "
             f"(memory subprocesses: 1)  ", f"Versions: {versions()}  ",
             "Backbone: all-MiniLM-L6-v2 (bundled); task checkpoints: untrained, differently-seeded prefixes "
             f"(prefix {args.prefix_len}) and one untrained fine-tune-mode save loaded N times "
             "(memory and speed depend on shapes, not values).  ", f"Throughput texts: {source}.\n",
             "## Resident memory (fresh subprocess per row; RSS after loading and encoding 8 queries)\n",
             "| N tasks | prompts on one backbone: RSS MiB (peak) | fine-tuned copies: RSS MiB (peak) | "
             "prompts: model MiB above floor | fine-tuned: model MiB above floor |", "|---|---|---|---|---|"]
    for n in counts:
        p, f = mem[("prompts on one backbone", n)], mem[("fine-tuned copies", n)]
        lines.append(f"| {n} | {p['value']:.0f} ({p['peak']:.0f}) | {f['value']:.0f} ({f['peak']:.0f}) | "
                     f"{p['value'] - floor:.0f} | {f['value'] - floor:.0f} |")
    last = max(counts)
    p1, pn = mem[("prompts on one backbone", 1)]["value"], mem[("prompts on one backbone", last)]["value"]
    ratio = pn / p1
    lines += [f"\nFloor (Python + torch + transformers + the kit imported, no model): {floor:.0f} MiB.  ",
              f"Goal: {last} prompt tasks <= 1.15x the memory of one: **{ratio:.3f}x, "
              f"{'met' if ratio <= 1.15 else 'NOT met'}** (whole-process RSS; above the floor: "
              f"{(pn - floor) / max(p1 - floor, 1e-9):.3f}x).\n"]
    disk = {r["config"]: r["value"] for r in rows if r["measure"] == "disk"}
    lines += ["## Bytes on disk per task\n", "| checkpoint | bytes | MiB |", "|---|---|---|"]
    lines += [f"| {k} | {v:,.0f} | {v / 2**20:.2f} |" for k, v in disk.items()]
    lines.append(f"\nA fine-tuned task costs {disk['fine-tuned checkpoint'] / disk['prompt checkpoint']:.0f}x "
                 "the bytes of a prompt task.\n")
    speed = [r for r in rows if r["measure"] in ("throughput", "latency")]
    lines += [f"## Speed (best of {args.repeats} interleaved repeats, median beside it)\n",
              "The machine is shared, so the best repeat (least disturbed by other processes) is the headline "
              "figure and the goals are judged on it; the median shows the spread.\n",
              "| measure | configuration | best | median | unit |", "|---|---|---|---|---|"]
    lines += [f"| {r['measure']} | {r['config']} | {r['value']:.1f} | {r['median']:.1f} | {r['unit']} |" for r in speed]
    for role in ("query", "passage"):
        tp = [r["value"] for r in speed if r["measure"] == "throughput" and f"({PLURAL[role]}" in r["config"]]
        if len(tp) == 3:
            worst = tp[0] / max(tp[1], tp[2])
            lines.append(f"\nMixed/single throughput ({PLURAL[role]}): {tp[0] / tp[1]:.3f}x vs the same path, "
                         f"{tp[0] / tp[2]:.3f}x vs the task's own retriever; against the faster single-task path "
                         f"**{worst:.3f}x**, goal >= 0.9x: **{'met' if worst >= 0.9 else 'NOT met'}**.")
    atomic_write_bytes(out.with_suffix(".md"), ("\n".join(lines) + "\n").encode())
    print("\n".join(lines))


if __name__ == "__main__":
    raise SystemExit(main())
