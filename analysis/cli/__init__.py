"""The command line: ``python -m analysis COMMAND``.

Each command lives in its own module with a ``register(subparsers)`` function
that adds its parser and sets ``handler``. Errors the user can fix print one
line on stderr and exit with status 2; no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from analysis.cli import (
    compare,
    demo,
    estimate,
    export,
    ingest,
    passphrase,
    trend,
    waves,
)
from analysis.errors import SurveyDataError

USAGE_ERROR = 2
_COMMANDS = (demo, ingest, waves, passphrase, estimate, compare, trend, export)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"error: {self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The full parser, one sub-command per module."""
    parser = _Parser(
        prog="python -m analysis",
        description="Confiance: consumer-trust survey estimates, waves and slides.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for command in _COMMANDS:
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the process exit status."""
    args = build_parser().parse_args(argv)
    try:
        status: int = args.handler(args)
    except SurveyDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except BrokenPipeError:
        return 0
    return status
