"""What every verb shares: the verb registry, flags from dataclass fields, the model flags, one-line errors."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Callable

from dptdr_mini.config import ModelConfig, check_numbers

VERBS: dict[str, tuple[Callable, str]] = {}

MODEL_FLAGS_NOTE = ("Without --checkpoint these flags build the untuned backbone (no prefix: the prefix flags do not "
                    "apply). With --checkpoint the checkpoint's own model config wins: --backbone loads it onto other "
                    "weights and --online allows downloads; any other flag here that contradicts the checkpoint is "
                    "ignored with a one-line note.")
APPLY_TO_CHECKPOINTS = ("backbone", "online")  # model flags a checkpoint takes; the rest are its own


def verb(name: str, help: str):
    def register(fn):
        VERBS[name] = (fn, help)
        return fn
    return register


def add_config_flags(parser: argparse.ArgumentParser, cls, skip: tuple[str, ...] = (), description: str | None = None,
                     required: tuple[str, ...] = ()) -> None:
    """One flag per dataclass field: `prefix_len` -> `--prefix-len`, typed by its default.

    A tuple default makes a repeatable flag (`--checkpoint a --checkpoint b`); `required` flags must be given.
    """
    group = parser.add_argument_group(cls.__name__, description)
    for f in dataclasses.fields(cls):
        if f.name in skip:
            continue
        flag = "--" + f.name.replace("_", "-")
        default = f.default
        help_text = f.metadata.get("help", "")
        if f.name not in required:
            help_text += " (repeatable; default: none)" if default == () else f" (default: {default!r})"
        if isinstance(default, bool):
            group.add_argument(flag, dest=f.name, action=argparse.BooleanOptionalAction, default=default, help=help_text)
        elif isinstance(default, tuple):
            group.add_argument(flag, dest=f.name, action="append", default=[], help=help_text, metavar=f.name.upper())
        else:
            group.add_argument(flag, dest=f.name, type=type(default), default=default, required=f.name in required,
                               choices=f.metadata.get("choices"), help=help_text, metavar=f.name.upper())


def config_from_args(cls, args: argparse.Namespace, **overrides):
    values = {f.name: getattr(args, f.name) for f in dataclasses.fields(cls) if hasattr(args, f.name)}
    values.update(overrides)
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}  # repeatable flags
    cfg = cls(**values)
    check_numbers(cfg)  # every verb's every float flag: finite (its validate() then checks the range)
    cfg.validate()
    return cfg


def flags_given(argv: list[str], cls) -> set[str]:
    """Fields of `cls` whose flag is on the command line: a default is not a request, `--pooling cls` is."""
    flag_to_field = {}
    for f in dataclasses.fields(cls):
        flag = f.name.replace("_", "-")
        flag_to_field[f"--{flag}"] = flag_to_field[f"--no-{flag}"] = f.name
    return {flag_to_field[a.split("=", 1)[0]] for a in argv if a.split("=", 1)[0] in flag_to_field}


def add_model_flags(parser: argparse.ArgumentParser) -> None:
    """The model flags of `train`, for a verb that loads a checkpoint or builds the untuned backbone."""
    add_config_flags(parser, ModelConfig, description=MODEL_FLAGS_NOTE)


def model_config_from_args(args: argparse.Namespace, argv: list[str], checkpoints: list[str]) -> tuple[ModelConfig, str]:
    """-> (the model flags' config, the backbone to load checkpoints onto: '' = each its own).

    Prints one note (stderr) per given flag that a checkpoint's own config contradicts: it does not apply to it.
    """
    from dptdr_mini.model.checkpoint import config_from_metadata, read_metadata

    mcfg = config_from_args(ModelConfig, args)
    given = flags_given(argv, ModelConfig)
    asked = sorted(given - set(APPLY_TO_CHECKPOINTS))
    for path in checkpoints if asked else ():
        own = config_from_metadata(read_metadata(path), path)
        for name in asked:
            if getattr(own, name) != getattr(mcfg, name):
                print(f"note: --{name.replace('_', '-')} {getattr(mcfg, name)!r} does not apply to {path}, which "
                      f"keeps its own {getattr(own, name)!r} (a checkpoint's model config wins)", file=sys.stderr)
    return mcfg, (mcfg.backbone if "backbone" in given else "")


def print_table(df) -> None:
    print(df.to_string(float_format=lambda v: f"{v:.4f}"))


def parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse flags; a bad flag prints one line (not the whole usage) and exits 2. No abbreviated flags:
    `--max-step` must not silently mean `--max-steps`."""
    parser.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    parser.allow_abbrev = False

    def one_line_error(message: str):
        parser.exit(2, f"error: {' '.join(message.split())} (see {parser.prog} --help)\n")
    parser.error = one_line_error
    args = parser.parse_args(argv)
    from dptdr_mini.outputs import check_outputs_are_not_inputs
    check_outputs_are_not_inputs(vars(args))  # every verb: no output flag names (or holds) an input
    return args
