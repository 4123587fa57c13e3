"""What every verb shares: the verb registry, flags from dataclass fields, the model flags, one-line errors."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Callable

from dptdr_mini.config import SAMPLES, ModelConfig, check_numbers, resolve_data_path
from dptdr_mini.errors import ConfigError

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
    for f in dataclasses.fields(cls):      # a data_samples/ default works from any folder (config.resolve_data_path)
        if isinstance(f.default, str) and f.default.startswith(SAMPLES + "/") and isinstance(values.get(f.name), str):
            values[f.name] = resolve_data_path(values[f.name])
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
    given = flags_given(argv, ModelConfig) | (getattr(args, "config_keys", set()) & set(vars(mcfg)))
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


def command_name(argv0: str | None = None) -> str:
    """How the user ran the kit, for usage and error lines: `dptdr-mini` (the console script) or
    `python -m dptdr_mini` (also the answer inside a notebook or a test, where argv[0] is someone else's)."""
    name = Path(sys.argv[0] if argv0 is None else argv0).name
    return "dptdr-mini" if name.startswith("dptdr-mini") else "python -m dptdr_mini"


def read_config_file(path: str) -> dict:
    """A JSON or YAML mapping of flag names (`prefix_len` or `prefix-len`) to values; sections whose value is
    a mapping (train_config.json's "train" and "model") are merged, so a run's own record replays it."""
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"--config {path}: no such file (expected a JSON or YAML file of flag values)")
    text = file.read_text(encoding="utf-8")
    if file.suffix.lower() in (".yaml", ".yml"):
        import yaml
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError as e:   # its message has the line and column
            raise ConfigError(f"--config {path}: not valid YAML ({' '.join(str(e).split())})") from None
    else:
        try:
            raw = json.loads(text)
        except ValueError as e:
            raise ConfigError(f"--config {path}: not valid JSON ({e}; a .yaml or .yml name is read as YAML)") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"--config {path}: expected a mapping of flag names to values, got {type(raw).__name__}")
    values: dict = {}
    for key, value in raw.items():
        for name, v in (value.items() if isinstance(value, dict) else [(key, value)]):
            name = str(name).replace("-", "_")
            if name in values and values[name] != v:
                raise ConfigError(f"--config {path}: key {name!r} has two values ({values[name]!r} and {v!r})")
            values[name] = v
    return values


def typed_value(value, kind: type, where: str):
    """`value` as the flag's type: a string is converted as on the command line, a number must be one."""
    try:
        if isinstance(value, str):
            return kind(value)
        if isinstance(value, bool) or not isinstance(value, (int, float) if kind is float else kind):
            raise TypeError
        return kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where} is {value!r}, expected {'a number' if kind is float else kind.__name__}") from None


def config_defaults(parser: argparse.ArgumentParser, path: str) -> dict:
    """The file's values as this parser's defaults, each checked against its flag; an unknown key is an error."""
    actions = {}
    for a in parser._actions:                              # argparse has no public list; the first flag of a dest
        if a.dest not in ("help", "debug", "config"):    # is its own (mine's --no-fn-filter is a second one)
            actions.setdefault(a.dest, a)
    defaults = {}
    for name, value in read_config_file(path).items():
        action = actions.get(name)
        flag = "--" + name.replace("_", "-")
        if action is None:
            raise ConfigError(f"--config {path}: unknown key {name!r} ({parser.prog} has no {flag} flag)")
        if isinstance(action, argparse._AppendAction):
            value = value if isinstance(value, list) else [value]
        elif isinstance(action, argparse.BooleanOptionalAction) or isinstance(action.default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"--config {path}: key {name!r} is {value!r}, expected true or false")
        elif action.type is not None:
            value = typed_value(value, action.type, f"--config {path}: key {name!r}")
        if action.choices and value not in action.choices:
            raise ConfigError(f"--config {path}: key {name!r} is {value!r}, expected one of {tuple(action.choices)}")
        action.required = False                           # the file gives it
        defaults[name] = value
    return defaults


def parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse flags; a bad flag prints one line (not the whole usage) and exits 2. No abbreviated flags:
    `--max-step` must not silently mean `--max-steps`. `--config FILE` makes the file's values the defaults,
    so flags on the command line still win; `args.config_keys` says which ones the file set."""
    parser.add_argument("--debug", action="store_true", help="show the full traceback on errors")
    parser.add_argument("--config", default="", metavar="FILE",
                        help="JSON or YAML file of flag values (e.g. a run's train_config.json) to use as defaults")
    parser.allow_abbrev = False
    parser.prog = f"{command_name()} {parser.prog.split()[-1]}"  # the verb, after however the user ran the kit

    def one_line_error(message: str):
        parser.exit(2, f"error: {' '.join(message.split())} (see {parser.prog} --help)\n")
    parser.error = one_line_error
    pre = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    pre.add_argument("--config", default="")
    pre.error = one_line_error
    config = pre.parse_known_args(argv)[0].config
    defaults = config_defaults(parser, config) if config else {}
    parser.set_defaults(**defaults)
    args = parser.parse_args(argv)
    args.config_keys = set(defaults)
    from dptdr_mini.outputs import check_outputs_are_not_inputs
    check_outputs_are_not_inputs(vars(args))  # every verb: no output flag names (or holds) an input
    return args
