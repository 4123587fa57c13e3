"""Install: the embedded samples ship inside the package, and the wheel works from any folder.

The slow one (`-m install`: ~40 s on 2 busy cores, half of it importing torch in two fresh processes) builds the wheel, installs it into a fresh venv and runs the console script
from a folder outside the repo; it runs in `make test`, `make test-fast` leaves it out.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from dptdr_mini.cli import main
from dptdr_mini.config import resolve_data_path

ROOT = Path(__file__).resolve().parents[1]


def test_a_data_samples_default_falls_back_to_the_embedded_copy_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    found = Path(resolve_data_path("data_samples/msmarco"))
    assert found.is_absolute() and (found / "collection.tsv").is_file()
    assert resolve_data_path("data_samples/no-such-set") == "data_samples/no-such-set"   # the loader names it
    assert resolve_data_path("elsewhere/msmarco") == "elsewhere/msmarco"


def test_a_path_that_exists_as_given_wins_over_the_embedded_copy(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data_samples" / "msmarco").mkdir(parents=True)
    assert resolve_data_path("data_samples/msmarco") == "data_samples/msmarco"


def test_a_verb_with_no_data_flag_runs_outside_the_repo(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["evaluate", "--retriever", "bm25"]) == 0
    assert "298 passages" in capsys.readouterr().out


def test_pyproject_lists_every_package_and_every_sample_folder():
    """The packages are listed by hand (the samples live outside dptdr_mini/): a new subpackage must be added."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    code = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "dptdr_mini").rglob("__init__.py")}
    samples = {".".join(("dptdr_mini", *p.relative_to(ROOT).parts)) for p in (ROOT / "data_samples").rglob("*")
               if p.is_dir() and not p.name.startswith((".", "__"))}
    assert code | samples | {"dptdr_mini.data_samples"} == listed


def run(cmd: list, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{cmd} -> {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done


@pytest.mark.install
def test_the_wheel_installs_and_its_console_script_runs_demo_and_train_outside_the_repo(tmp_path, tiny_bert_dir):
    """Build the wheel from a copy of the tree, install it (--no-deps) into a fresh venv that sees this venv's
    site-packages through a .pth file, and run `dptdr-mini demo` and `train` with no --data from an empty folder."""
    import setuptools

    assert int(setuptools.__version__.split(".")[0]) >= 77, (  # a 3.11 venv starts with setuptools 65
        f"setuptools {setuptools.__version__}: pyproject.toml needs >= 77 (pinned in requirements.txt: make setup)")
    src = tmp_path / "src"
    for name in ("dptdr_mini", "data_samples"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(HF_HUB_OFFLINE="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", tmp_path / "dist",
         src], tmp_path, env)
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path, env)
    py = venv / "bin" / "python"
    venv_site = Path(run([py, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp_path, env)
                     .stdout.strip())
    (venv_site / "outer-venv.pth").write_text("\n".join(site.getsitepackages()) + "\n")  # deps and pip, not dptdr_mini
    wheel = next((tmp_path / "dist").glob("dptdr_mini-*.whl"))
    run([py, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel], tmp_path, env)

    work = tmp_path / "elsewhere"
    work.mkdir()
    where = run([py, "-c", "import dptdr_mini; print(dptdr_mini.__file__)"], work, env).stdout
    assert where.startswith(str(venv_site)), where
    cli = venv / "bin" / "dptdr-mini"
    tiny = ["--backbone", tiny_bert_dir, "--max-steps", "2", "--batch-size", "4", "--quiet"]
    demo = run([cli, "demo", *tiny, "--output-dir", "demo"], work, env).stdout
    assert "DPT (prompt tuning)" in demo and "298 passages" in (work / "demo" / "results.md").read_text()
    train = run([cli, "train", *tiny, "--eval-split", "", "--output-dir", "dpt"], work, env).stdout
    assert "trained 2 steps" in train and (work / "dpt" / "model.safetensors").is_file()
    bad = subprocess.run([cli, "train", "--max-step", "2"], cwd=work, env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and "(see dptdr-mini train --help)" in bad.stderr


def make_dry_run(*args: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("no make")
    return subprocess.run(["make", "-n", "-B", "-C", str(ROOT), "setup", "VENV=/nonexistent-venv", *args],
                          capture_output=True, text=True, check=True).stdout


def test_make_passes_torch_index_to_pip_and_leaves_the_default_index_alone_without_it():
    cpu = "https://download.pytorch.org/whl/cpu"
    with_index = [l for l in make_dry_run(f"TORCH_INDEX={cpu}").splitlines() if "-r requirements.txt" in l]
    without = [l for l in make_dry_run().splitlines() if "-r requirements.txt" in l]
    assert len(with_index) == len(without) == 1
    assert f"--extra-index-url {cpu}" in with_index[0] and "index-url" not in without[0]


def test_environment_yml_installs_the_kit_after_its_requirements():
    import yaml

    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip[-2:] == ["-r requirements.txt", "-e ."]


def test_the_readme_shows_the_console_script_and_the_cpu_wheel_index():
    readme = (ROOT / "README.md").read_text()
    assert "dptdr-mini <verb>" in readme and "TORCH_INDEX=https://download.pytorch.org/whl/cpu" in readme
    assert "--config" in readme
