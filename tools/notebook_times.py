"""Run every lesson under nbval at both sizes, one at a time, and record the wall time of each.

    python tools/notebook_times.py                    # both sizes, all notebooks -> docs/notebook_times.md
    python tools/notebook_times.py --sizes learner notebooks/01_prefix_vs_finetune.ipynb

At learner size this is also the test that each notebook reproduces what its prose states: the claims
are assert cells, so a notebook whose story does not hold at that size fails here. Times include the
kernel start; run it on a quiet machine (2 cores: nothing else training).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(notebook: Path, size: str) -> tuple[float, str]:
    env = {**os.environ, "DPTDR_NB_SIZE": size}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(notebook),
                           "--nbval-lax"], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    summary = (proc.stdout.strip().splitlines() or ["(no output)"])[-1]
    return seconds, summary if proc.returncode == 0 else f"FAILED: {summary}"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("notebooks", nargs="*", type=Path)
    p.add_argument("--sizes", nargs="+", default=["ci", "learner"], choices=["ci", "learner"])
    p.add_argument("--output", type=Path, default=ROOT / "docs" / "notebook_times.md")
    args = p.parse_args()
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("0*.ipynb"))
    rows, failed = [], False
    for nb in notebooks:
        cells = []
        for size in args.sizes:
            seconds, summary = run(nb, size)
            failed |= summary.startswith("FAILED")
            print(f"{nb.name:40s} {size:8s} {seconds:7.1f} s  {summary}", flush=True)
            cells.append(f"{seconds:.0f} s ({summary})")
        rows.append(f"| `{nb.stem}` | " + " | ".join(cells) + " |")
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    text = (f"# Notebook run times\n\nCommand: `python tools/notebook_times.py`  \nDate: "
            f"{time.strftime('%Y-%m-%d %H:%M')}; machine: {os.cpu_count()} CPUs, {cpu}; python "
            f"{platform.python_version()}; load average at the end {os.getloadavg()[0]:.1f}.  \n"
            f"Each notebook executed top to bottom under `pytest --nbval-lax` (kernel start included), one at a time; "
            f"every assert cell (the prose's claims) ran at each size.\n\n"
            f"| notebook | " + " | ".join(f"`DPTDR_NB_SIZE={s}`" for s in args.sizes) + " |\n|---|"
            + "---|" * len(args.sizes) + "\n" + "\n".join(rows) + "\n")
    args.output.write_text(text)
    print(text)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
