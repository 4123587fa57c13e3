"""Where a benchmark number came from: command, date, machine, library versions; and the result files.

A ratio measured on a shared 2-core machine means little without the machine and the versions, so
every results file starts with them, and with the load average at start and end: a load well above
the core count means other jobs competed for the CPU and timings (even interleaved ratios) are noisy.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import shlex
import statistics
import sys
from importlib import metadata
from pathlib import Path

import pandas as pd

from dptdr_mini.model.checkpoint import atomic_write_bytes

RESULTS = Path(__file__).resolve().parent / "results"
REPO = Path(__file__).resolve().parents[1]
SCIFACT = REPO.parent / "shared" / "data" / "scifact"     # real data; absent in a fresh clone
SAMPLES = REPO / "data_samples"
PACKAGES = ("torch", "transformers", "faiss-cpu", "sentence-transformers", "numpy")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def versions() -> dict[str, str]:
    out = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
    return out


def provenance(module: str) -> dict[str, str]:
    """The header every results file carries."""
    import torch

    return {
        "command": f"python -m {module} " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} CPUs (nproc), {cpu_model()}, torch threads {torch.get_num_threads()}",
        "load average at start (1/5/15 min)": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        **versions(),
    }


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def write_results(name: str, table: pd.DataFrame, header: dict[str, str], notes: list[str] = (),
                  extra_tables: dict[str, pd.DataFrame] | None = None) -> str:
    """Write results/<name>.csv (the main table, provenance as leading `#` lines) and results/<name>.md.

    Returns the markdown, which the caller prints.
    """
    RESULTS.mkdir(parents=True, exist_ok=True)
    header = {**header, "load average at end (1/5/15 min)": " / ".join(f"{x:.1f}" for x in os.getloadavg())}
    head = "".join(f"# {k}: {v}\n" for k, v in header.items())
    atomic_write_bytes(RESULTS / f"{name}.csv", (head + table.to_csv(index=False)).encode("utf-8"))
    lines = [f"# {name}", ""] + [f"- **{k}**: `{v}`" if k == "command" else f"- **{k}**: {v}"
                                 for k, v in header.items()]
    lines += ["", table.to_markdown(index=False, floatfmt=".4g"), ""]
    for title, extra in (extra_tables or {}).items():
        lines += [f"## {title}", "", extra.to_markdown(index=False, floatfmt=".4g"), ""]
    if notes:
        lines += ["## Notes", ""] + [f"- {n}" for n in notes] + [""]
    md = "\n".join(lines)
    atomic_write_bytes(RESULTS / f"{name}.md", md.encode("utf-8"))
    return md
