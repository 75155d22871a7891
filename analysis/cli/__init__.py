"""The command line: ``python -m analysis COMMAND``.

Each command lives in its own module (listed in :mod:`analysis.cli.commands`)
with a ``register(subparsers)`` function that adds its parser and sets
``handler``; only the module of the command being run is imported. Errors the
user can fix print one line on stderr and exit with status 2; no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from analysis.cli.commands import COMMANDS
from analysis.errors import SurveyDataError

USAGE_ERROR = 2


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"error: {self.prog}: {message}\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; ``command``'s options in full, the others named (None: all)."""
    parser = _Parser(
        prog="python -m analysis",
        description="Confiance: consumer-trust survey estimates, waves and slides.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name, (module, summary) in COMMANDS.items():
        if command is None or command == name:
            importlib.import_module(module).register(sub)
        else:
            sub.add_parser(name, help=summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the process exit status."""
    words = list(sys.argv[1:] if argv is None else argv)
    chosen = next((w for w in words if w in COMMANDS), "")
    args = build_parser(chosen).parse_args(words)
    try:
        status: int = args.handler(args)
    except SurveyDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except BrokenPipeError:
        return 0
    return status
