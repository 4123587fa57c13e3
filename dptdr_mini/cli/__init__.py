"""`python -m dptdr_mini <verb>` (console script `dptdr-mini`): thin commands over the library.

Each verb is one module here whose `main_<verb>` parses flags into the dataclass configs and calls one
library function, as the notebooks do. Errors in input or flags print one line (`error: ...`) and exit 2;
`--debug` shows the traceback.
"""

from __future__ import annotations

import sys

from dptdr_mini.cli import train, evaluate, encode, search, demo, pretrain, mine, pipeline, fetch, explore, export  # noqa: F401  (registers the verbs, in this order)
from dptdr_mini.cli.common import VERBS, command_name
from dptdr_mini.errors import DptdrError


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or argv[0] not in VERBS:
        print(f"usage: {command_name()} <verb> [flags]   (each verb has --help; --config FILE replays a run)\n\nverbs:")
        for name, (_, help) in VERBS.items():
            print(f"  {name:10s} {help}")
        if argv and argv[0] not in ("-h", "--help"):
            print(f"\nerror: unknown verb {argv[0]!r}", file=sys.stderr)
            return 2
        return 0
    fn = VERBS[argv[0]][0]
    try:
        return fn(argv[1:])
    except (DptdrError, OSError) as e:  # bad input, or the file system said no (permissions, full disk, a folder)
        if "--debug" in argv:
            raise
        print(f"error: {' '.join(str(e).split())}", file=sys.stderr)
        return 2
