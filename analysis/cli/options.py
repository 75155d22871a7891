"""What every command shares: the exit status, the options and where text goes.

One place so the commands read alike: ``--store``, ``--format`` (for a printing
command, ``json``, ``csv`` or ``table``; for a command that writes files, the
file type), ``--ci``/``--level``, and the rule that with ``--format json`` or
``csv`` stdout holds the data alone and every other line goes to stderr.

Kept light on purpose: it is imported by every command, so the store and the
table modules are imported only by the functions that need them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.store.wave_store import WaveStore

EXIT_USAGE = 2
"""The exit status of every error the user can fix (argparse's own, too)."""

OUTPUT_FORMATS = ("json", "csv", "table")
"""What a command that prints results can print."""

INTERVAL_DEFAULT = "wilson"
LEVEL_DEFAULT = 0.95


def add_store(parser: argparse._ActionsContainer) -> None:
    """``--store PATH`` (default: $CONFIANCE_STORE or data/confiance.duckdb)."""
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        help="DuckDB store file (default: $CONFIANCE_STORE or data/confiance.duckdb)",
    )


def add_output_format(
    parser: argparse.ArgumentParser,
    default: str,
    choices: Sequence[str] = OUTPUT_FORMATS,
) -> None:
    """``--format`` of a command that prints results; the help names the default."""
    parser.add_argument(
        "--format",
        choices=tuple(choices),
        default=default,
        help=f"output: {', '.join(choices)} (default: {default}); "
        "json is one value on stdout, notes go to stderr",
    )


def add_file_format(
    parser: argparse.ArgumentParser, choices: Sequence[str], default: str
) -> None:
    """``--format`` of a command that writes files: the file type."""
    parser.add_argument(
        "--format",
        choices=tuple(choices),
        default=default,
        help=f"file type: {', '.join(choices)} (default: {default})",
    )


def add_interval_options(parser: argparse.ArgumentParser) -> None:
    """``--ci METHOD`` and ``--level L`` of the commands that estimate."""
    from analysis.methods import INTERVAL_METHODS

    parser.add_argument(
        "--ci",
        choices=INTERVAL_METHODS,
        default=INTERVAL_DEFAULT,
        metavar="METHOD",
        help=f"interval: {', '.join(INTERVAL_METHODS)} (default: {INTERVAL_DEFAULT})",
    )
    parser.add_argument(
        "--level",
        type=float,
        default=LEVEL_DEFAULT,
        help=f"confidence level (default: {LEVEL_DEFAULT})",
    )


def open_store(args: argparse.Namespace) -> WaveStore:
    """The store the command was pointed at."""
    from analysis.store.wave_store import WaveStore

    return WaveStore(args.store)


def print_json(payload: list[Any] | dict[str, Any]) -> None:
    """Machine-readable output: one JSON list or object on stdout."""
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def note(args: argparse.Namespace, text: str) -> None:
    """A line for people: on stdout beside a table, on stderr beside data."""
    human = getattr(args, "format", "table") == "table"
    print(text, file=sys.stdout if human else sys.stderr)


def warn(text: str) -> None:
    """A one-line warning on stderr (the command goes on)."""
    print(f"warning: {text}", file=sys.stderr)


def one_line(message: object) -> str:
    """An error message folded onto one line, as every error is printed."""
    return " ".join(part.strip() for part in str(message).splitlines() if part.strip())
