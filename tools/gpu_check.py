"""The GPU check: the same CLI on a CUDA device, compared with the processor of the same machine.

    python tools/gpu_check.py --backbone default --out runs/gpu_check

CI has no GPU, so this is run by hand on a machine with one. Every step is a plain CLI call (the code
path a user runs); the script times them and writes `report.md` into --out:
1. train 40 prompt steps on the GPU (the default whenever one is visible) and on the CPU (DPTDR_DEVICE=cpu),
   same seed and batch: both must learn, and the wall-time ratio is measured on one machine;
2. GradCache on the GPU (`--grad-cache-chunk 4`): the dropout replay must work with the GPU's generator;
3. resume on the GPU: 20 steps, then `--resume` to 40, must repeat the uninterrupted run's losses;
4. evaluate the GPU-trained checkpoint on the GPU and on the CPU: one file, same metrics on both devices.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cli(args: list[str], device: str | None, log: list[str], keep_first: tuple[Path, Path] | None = None) -> float:
    """Run one CLI call; with keep_first=(file, copy), copy `file` the first time it appears (a mid-run checkpoint)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("DPTDR_DEVICE", None)
    if device:
        env["DPTDR_DEVICE"] = device
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "dptdr_mini", *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    while keep_first and proc.poll() is None:
        if keep_first[0].is_file():                      # written atomically (rename): complete once visible
            shutil.copy(*keep_first)
            keep_first = None
        time.sleep(0.005)
    output = proc.communicate()[0]
    seconds = time.perf_counter() - start
    log.append(f"$ {'DPTDR_DEVICE=' + device + ' ' if device else ''}python -m dptdr_mini {' '.join(args)}\n"
               f"{output[-3000:]}({seconds:.1f} s, exit {proc.returncode})")
    print(log[-1], flush=True)
    if proc.returncode:
        raise SystemExit(f"step failed: {' '.join(args)}")
    return seconds


def losses(folder: Path) -> list[float]:
    return json.loads((folder / "train_log.json").read_text())["losses"]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--backbone", default="default")
    p.add_argument("--out", type=Path, default=Path("runs/gpu_check"))
    p.add_argument("--steps", type=int, default=40)
    p.add_argument("--dry-run-on-cpu", action="store_true", help="try the plumbing here, without a GPU")
    args = p.parse_args()
    import torch
    import transformers

    if not (torch.cuda.is_available() or args.dry_run_on_cpu):
        raise SystemExit("no GPU visible: this check is for a machine with one (or pass --dry-run-on-cpu)")
    out, log = args.out.resolve(), []
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none (dry run)"
    head = (f"GPU {gpu}; torch {torch.__version__}, transformers "
            f"{transformers.__version__}; {os.cpu_count()} CPU cores (torch uses {torch.get_num_threads()} threads)")
    print(head, flush=True)
    common = ["--data", "data_samples/msmarco", "--backbone", args.backbone, "--pooling", "mean", "--normalize",
              "--temperature", "0.05", "--prefix-len", "32", "--batch-size", "16", "--seed", "42", "--quiet"]
    n = args.steps
    half = n // 2
    (out / "resume").mkdir(parents=True, exist_ok=True)
    (out / "gpu" / "last.safetensors").unlink(missing_ok=True)   # a rerun must copy this run's checkpoint
    t_gpu = cli(["train", *common, "--max-steps", str(n), "--save-every", str(half), "--eval-split", "",
                 "--output-dir", str(out / "gpu")], None, log,
                keep_first=(out / "gpu" / "last.safetensors", out / "resume" / "last.safetensors"))
    t_cpu = cli(["train", *common, "--max-steps", str(n), "--eval-split", "", "--output-dir", str(out / "cpu")],
                "cpu", log)
    cli(["train", *common, "--max-steps", str(n), "--eval-split", "", "--grad-cache-chunk", "4",
         "--output-dir", str(out / "gradcache")], None, log)
    # the GPU run's step-`half` checkpoint, resumed: must repeat that run's steps half+1 .. n
    cli(["train", *common, "--max-steps", str(n), "--save-every", str(half), "--eval-split", "", "--resume",
         "--output-dir", str(out / "resume")], None, log)
    evals = {}
    for device in ("cuda" if torch.cuda.is_available() else "cpu", "cpu"):
        js = out / f"eval_{device}.json"
        cli(["evaluate", "--data", "data_samples/msmarco", "--split", "dev", "--backbone", args.backbone,
             "--checkpoint", str(out / "gpu" / "model.safetensors"), "--json", str(js), "--quiet"], device, log)
        evals[device] = json.loads(js.read_text())
    gpu_key = next(iter(evals))
    g, c, gc, r = losses(out / "gpu"), losses(out / "cpu"), losses(out / "gradcache"), losses(out / "resume")
    tail = lambda xs: sum(xs[-5:]) / 5
    rows = [
        f"| train {n} steps, GPU | {t_gpu:.1f} s | loss {g[0]:.3f} -> {tail(g):.3f} (mean of last 5) |",
        f"| train {n} steps, CPU, same machine | {t_cpu:.1f} s | loss {c[0]:.3f} -> {tail(c):.3f}; "
        f"CPU / GPU wall time {t_cpu / t_gpu:.2f}x (process start and model load included) |",
        f"| GradCache chunk 4, GPU | | loss {gc[0]:.3f} -> {tail(gc):.3f} |",
        f"| resume at step {half}, GPU | | {len(r)} losses; max abs difference from the uninterrupted run, "
        f"steps {half + 1}-{n}: {max(abs(a - b) for a, b in zip(r[half:], g[half:])):.2e} |",
        "| evaluate the GPU checkpoint | | " + ", ".join(
            f"{k}: GPU {evals[gpu_key][k]:.4f} / CPU {evals['cpu'][k]:.4f}" for k in ("MRR@10", "nDCG@10")
            if k in evals[gpu_key]) + " |",
    ]
    report = (f"# GPU check\n\n{head}\n\n| step | wall | result |\n|---|---|---|\n" + "\n".join(rows)
              + "\n\n## Log\n\n```\n" + "\n\n".join(log) + "\n```\n")
    (out / "report.md").write_text(report)
    print(report[:3000])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
