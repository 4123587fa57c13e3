"""The kit's exceptions: every bad input names the file and line (or the flag) and what was expected."""

from __future__ import annotations

from pathlib import Path


class DptdrError(Exception):
    """Base class: the CLI prints these as one line, without a traceback."""


class DataFormatError(DptdrError, ValueError):
    """A data file is malformed. Message: `file:line: problem (expected ...)`."""

    def __init__(self, path: str | Path, line: int | None, problem: str, expected: str = ""):
        self.path, self.line, self.problem, self.expected = str(path), line, problem, expected
        where = f"{path}:{line}" if line is not None else f"{path}"
        msg = f"{where}: {problem}"
        if expected:
            msg += f" (expected {expected})"
        super().__init__(msg)


class ConfigError(DptdrError, ValueError):
    """A flag or config value is out of range. Message names the flag."""


class CheckpointError(DptdrError, ValueError):
    """A checkpoint is corrupt, truncated, or belongs to another backbone."""


class DataQuirkWarning(UserWarning):
    """Known quirks of real data files (a judged id that is missing, a question with no positive) that were
    dropped instead of refused; `--strict` (`strict=True`) refuses them as DataFormatError."""


class TrainingDivergedError(DptdrError, ArithmeticError):
    """A training step gave a non-finite loss or gradient; it stops before the step updates any weight."""
