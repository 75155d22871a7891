"""The command line: ``python -m analysis COMMAND``.

Each command lives in its own module (listed in :mod:`analysis.cli.commands`)
with a ``register(subparsers)`` function that adds its parser and sets
``handler``; only the module of the command being run is imported. Errors the
user can fix print one line on stderr and exit with
:data:`~analysis.cli.options.EXIT_USAGE` (2); no traceback. The shared options
and the output rules are in :mod:`analysis.cli.options`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from analysis.cli.commands import COMMANDS
from analysis.cli.options import EXIT_USAGE, one_line
from analysis.errors import SurveyDataError


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"error: {self.prog}: {one_line(message)}\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; ``command``'s options in full, the others named (None: all)."""
    parser = _Parser(
        prog="python -m analysis",
        description="Confiance: consumer-trust survey estimates, waves and slides.",
        epilog="A command that prints results takes --format json|csv|table "
        "(ingest's report: json|table; each help names the default; JSON is one "
        "list or object on stdout); one that "
        "writes files takes --format for the file type. Bad input: a one-line "
        f"error on stderr and exit status {EXIT_USAGE}.",
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
    except BrokenPipeError:  # the reader went away (`| head`): not an error
        return 0
    except SurveyDataError as exc:
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # a file or folder the user named cannot be used
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{one_line(exc.strerror or exc)}", file=sys.stderr)
        return EXIT_USAGE
    return status
