"""Untrusted files: nothing in the package (or the benchmarks) can run code hidden in a file it loads.

Weights and prompts load through safetensors, vectors through `np.load(..., allow_pickle=False)`.
This scans the source with `ast` for the ways a loaded file can execute code: pickle and its
relatives, `torch.load` without `weights_only=True`, `np.load` without `allow_pickle=False`,
`pandas.read_pickle`, and Hugging Face's `trust_remote_code=True`. A hit fails with file:line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("dptdr_mini", "benchmarks", "tools")
UNSAFE_MODULES = {"pickle", "cPickle", "_pickle", "dill", "joblib", "shelve", "marshal", "cloudpickle"}


def _name(node: ast.AST) -> str:
    """`torch.load` -> 'torch.load', `np.load` -> 'np.load', `load` -> 'load'."""
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def _keyword(call: ast.Call, name: str):
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value.value if isinstance(kw.value, ast.Constant) else "<expr>"
    return None


def unsafe_loads(source: str, filename: str = "<string>") -> list[str]:
    """'file:line: what' for every unsafe import or call in `source`."""
    hits = []
    for node in ast.walk(ast.parse(source, filename)):
        where = f"{filename}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import):
            hits += [f"{where}: import {a.name}" for a in node.names if a.name.split(".")[0] in UNSAFE_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in UNSAFE_MODULES:
            hits.append(f"{where}: from {node.module} import ...")
        elif isinstance(node, ast.Attribute) and _name(node.value) in UNSAFE_MODULES:
            hits.append(f"{where}: {_name(node)}")
        elif isinstance(node, ast.Call):
            name = _name(node.func)
            if name.endswith("torch.load") and _keyword(node, "weights_only") is not True:
                hits.append(f"{where}: {name}( without weights_only=True")
            if name in ("np.load", "numpy.load") and _keyword(node, "allow_pickle") is not False:
                hits.append(f"{where}: {name}( without allow_pickle=False")
            if name.endswith("read_pickle"):
                hits.append(f"{where}: {name}(")
            if _keyword(node, "trust_remote_code") not in (None, False):
                hits.append(f"{where}: trust_remote_code=True runs the model repository's code")
    return hits


def python_files() -> list[Path]:
    return sorted(p for folder in SCANNED if (ROOT / folder).is_dir() for p in (ROOT / folder).rglob("*.py"))


def test_the_scan_covers_the_package():
    files = {p.relative_to(ROOT).as_posix() for p in python_files()}
    assert {"dptdr_mini/model/checkpoint.py", "dptdr_mini/retrieve/index.py", "dptdr_mini/training/loop.py"} <= files


def test_no_file_in_the_package_can_unpickle():
    hits = [hit for path in python_files()
            for hit in unsafe_loads(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))]
    assert not hits, "unsafe loading of untrusted files:\n" + "\n".join(hits)


@pytest.mark.parametrize("snippet,found", [
    ("import pickle", "import pickle"),
    ("from joblib import load", "from joblib"),
    ("import dill as d", "import dill"),
    ("x = pickle.loads(b)", "pickle.loads"),
    ("t = torch.load(p)", "torch.load( without weights_only=True"),
    ("t = torch.load(\n    p,\n    weights_only=False)", "torch.load( without weights_only=True"),
    ("v = np.load(p)", "np.load( without allow_pickle=False"),
    ("v = np.load(p, allow_pickle=True)", "np.load( without allow_pickle=False"),
    ("df = pd.read_pickle(p)", "read_pickle"),
    ("m = AutoModel.from_pretrained(n, trust_remote_code=True)", "trust_remote_code"),
])
def test_the_scan_finds_each_unsafe_form_with_its_line(snippet, found):
    hits = unsafe_loads("x = 1\n" + snippet, "bad.py")
    assert hits and found in hits[0] and hits[0].startswith("bad.py:2:"), hits


@pytest.mark.parametrize("snippet", [
    "t = torch.load(p, weights_only=True)",
    "v = np.load(p, allow_pickle=False)",
    "from safetensors.torch import load",
    "# import pickle is mentioned in a comment",
    "text = 'pickle.load'",
])
def test_the_scan_passes_safe_forms(snippet):
    assert unsafe_loads(snippet) == []
