"""Notebook housekeeping: strip outputs before committing, keeping only the checked ones.

    python tools/nbtool.py strip notebooks/*.ipynb     # drop outputs except `# NBVAL_CHECK_OUTPUT` cells
    python tools/nbtool.py run notebooks/01_*.ipynb    # execute in place (then strip)

nbval compares a `# NBVAL_CHECK_OUTPUT` cell's fresh output with the output stored in the file, so those
outputs (deterministic, and worth checking: parameter counts, shapes, equalities) are kept; all other
outputs (timings, progress bars, plots) are removed so the files stay small and diff cleanly.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

MARK = "# NBVAL_CHECK_OUTPUT"


def strip(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.execution_count = None
        if MARK in cell.source and cell.outputs:
            cell.execution_count = 1  # nbval fails a cell whose stored outputs have no execution count ("unrun")
            cell.outputs = [o for o in cell.outputs if o.get("output_type") == "stream" and o.get("name") == "stdout"
                            or o.get("output_type") == "execute_result"]
            for o in cell.outputs:
                if o.get("output_type") == "execute_result":
                    o["execution_count"] = None
                    o["data"] = {k: v for k, v in o["data"].items() if k == "text/plain"}
        else:
            cell.outputs = []
        cell.metadata = {k: v for k, v in cell.metadata.items() if k in ("tags",)}
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)


def run(path: Path) -> None:
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=1800, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(nb, path)


if __name__ == "__main__":
    action, *paths = sys.argv[1:]
    for p in paths:
        {"strip": strip, "run": run}[action](Path(p))
        print(f"{action}: {p}")
