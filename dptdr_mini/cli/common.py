"""What every verb shares: the verb registry, flags from dataclass fields, one-line errors."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Callable

from dptdr_mini.config import ModelConfig
from dptdr_mini.errors import ConfigError

VERBS: dict[str, tuple[Callable, str]] = {}


def verb(name: str, help: str):
    def register(fn):
        VERBS[name] = (fn, help)
        return fn
    return register


def add_config_flags(parser: argparse.ArgumentParser, cls, skip: tuple[str, ...] = ()) -> None:
    """One flag per dataclass field: `prefix_len` -> `--prefix-len`, typed by its default."""
    group = parser.add_argument_group(cls.__name__)
    for f in dataclasses.fields(cls):
        if f.name in skip:
            continue
        flag = "--" + f.name.replace("_", "-")
        default = f.default
        help_text = f"{f.metadata.get('help', '')} (default: {default!r})"
        if isinstance(default, bool):
            group.add_argument(flag, dest=f.name, action=argparse.BooleanOptionalAction, default=default, help=help_text)
        else:
            group.add_argument(flag, dest=f.name, type=type(default), default=default,
                               choices=f.metadata.get("choices"), help=help_text, metavar=f.name.upper())


def config_from_args(cls, args: argparse.Namespace, **overrides):
    values = {f.name: getattr(args, f.name) for f in dataclasses.fields(cls) if hasattr(args, f.name)}
    values.update(overrides)
    cfg = cls(**values)
    cfg.validate()
    return cfg


def print_table(df) -> None:
    print(df.to_string(float_format=lambda v: f"{v:.4f}"))


def load_model_or_untuned(checkpoint: str, backbone: str, mcfg: ModelConfig | None = None):
    """A checkpoint's retriever, or the untuned backbone (no prefix) when no checkpoint is given."""
    from dptdr_mini.model.checkpoint import load_retriever
    from dptdr_mini.training.distributed import default_device
    from dptdr_mini.model.retriever import DenseRetriever

    if checkpoint:
        return load_retriever(checkpoint, backbone=backbone or None).to(default_device())
    cfg = mcfg or ModelConfig()
    cfg = dataclasses.replace(cfg, prefix_len=0, backbone=backbone or cfg.backbone)
    return DenseRetriever(cfg).to(default_device())


def positive(value: int, flag: str) -> None:
    if value < 1:
        raise ConfigError(f"{flag} {value}: expected an integer >= 1")


def parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse flags; a bad flag prints one line (not the whole usage) and exits 2. No abbreviated flags:
    `--max-step` must not silently mean `--max-steps`."""
    parser.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    parser.allow_abbrev = False

    def one_line_error(message: str):
        parser.exit(2, f"error: {' '.join(message.split())} (see {parser.prog} --help)\n")
    parser.error = one_line_error
    return parser.parse_args(argv)

