"""Where verbs write: never over a file they read, never over an earlier run, one writer per run folder.

- `check_outputs_are_not_inputs`: every verb's output flags (`--output`, `--output-dir`, `--json`) against its
  input flags (`--data`, `--checkpoint`, `--train-file`, `--index`, ...), compared as resolved paths and with
  `os.path.samefile`, so an alias through a symlink, `../` or a hard link is caught. `cli.common.parse` calls it
  for every verb, before anything is read or written.
- `run_folder`: a training run's folder: refused when it holds an earlier run (unless resume or overwrite), locked
  with `fcntl.flock` while the run writes (a second run on the same folder is refused, and a killed run leaves
  no stale lock: the kernel drops it), and removed again if the run created it and failed before its first save.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from dptdr_mini.errors import ConfigError

INPUT_FLAGS = ("data", "train_file", "checkpoint", "index", "init_checkpoint", "init_from_peft", "backbone")
OUTPUT_FLAGS = ("output", "output_dir", "json")
EARLIER_RUN = ("model.safetensors", "last.safetensors", "train_log.json")   # what a started or finished run leaves
LOCK = ".run.lock"


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _paths(value) -> list[str]:
    values = value if isinstance(value, (list, tuple)) else [value]
    return [v for v in values if isinstance(v, str) and v]


def _inside(child: Path, parent: Path) -> bool:
    return child != parent and parent in child.parents


def check_outputs_are_not_inputs(values: dict) -> None:
    """`values`: flag name -> path(s) (a parsed Namespace's vars). Refuse an output that would replace an input:

    an existing output that is the same file as an input, an existing output file inside an input folder (a data
    file), or an output folder that is, or holds, an input (writing or swapping it would replace what is read).
    """
    inputs = [(name, Path(p)) for name in INPUT_FLAGS for p in _paths(values.get(name)) if Path(p).exists()]
    for out_name in OUTPUT_FLAGS:
        for out_value in _paths(values.get(out_name)):
            out = Path(out_value)
            real_out = out.resolve()
            for in_name, inp in inputs:
                real_in = inp.resolve()
                same = out.exists() and os.path.samefile(out, inp)
                data_file = out.is_file() and inp.is_dir() and _inside(real_out, real_in)
                holds_input = out.is_dir() and (real_out == real_in or _inside(real_in, real_out))
                if same or data_file or holds_input:
                    what = ("is" if same else "is a file inside" if data_file else "holds")
                    verb = "delete" if holds_input and not same else "replace"
                    raise ConfigError(f"{_flag(out_name)} {out_value}: {what} {_flag(in_name)} {inp}, which this verb "
                                      f"reads; writing it would {verb} the {in_name.replace('_', ' ')} (expected an "
                                      f"output path apart from the inputs)")


def check_run_folder(folder: str | Path, resume: bool, overwrite: bool, earlier: tuple[str, ...] = EARLIER_RUN) -> None:
    """Refuse a folder holding an earlier run (any of `earlier`) unless `resume` (continue it) or `overwrite`."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"--output-dir {folder}: is a file (expected a folder for the run)")
    found = [name for name in earlier if (folder / name).exists()]
    if found and not (resume or overwrite):
        raise ConfigError(f"--output-dir {folder}: holds an earlier run ({', '.join(found)}); pass "
                          f"{'--resume to continue it, ' if earlier == EARLIER_RUN else ''}--overwrite to replace it, "
                          "or pick another folder")


@contextlib.contextmanager
def run_folder(folder: str | Path, resume: bool = False, overwrite: bool = False, lock: bool = True,
               earlier: tuple[str, ...] = EARLIER_RUN):
    """Check, create and lock a run folder for the duration of the block (see the module docstring)."""
    folder = Path(folder)
    check_run_folder(folder, resume, overwrite, earlier)
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    fd = None
    try:
        if lock:
            fd = _lock(folder)
            check_run_folder(folder, resume, overwrite, earlier)   # again, under the lock: another run may just have finished
        yield folder
    except BaseException:
        if created and fd is not None:
            with contextlib.suppress(OSError):
                (folder / LOCK).unlink()
                folder.rmdir()                             # only if the failed run left nothing else
        raise
    finally:
        if fd is not None:
            os.close(fd)                                   # releases the flock


def _lock(folder: Path) -> int | None:
    try:
        import fcntl
    except ImportError:                                    # Windows: no flock; the run goes unlocked
        return None
    fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise ConfigError(f"--output-dir {folder}: another run is writing to this folder now (it holds {LOCK}); "
                          "wait for it to finish, or pick another folder") from None
    return fd
