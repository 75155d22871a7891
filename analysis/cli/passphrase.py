"""``passphrase``: make the scrypt hash that protects analyst actions."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from analysis import config
from analysis.auth import hash_passphrase
from analysis.cli.commands import COMMANDS
from analysis.errors import SurveyDataError


def register(sub: Any) -> None:
    """Add the ``passphrase`` command."""
    parser = sub.add_parser(
        "passphrase",
        help=COMMANDS["passphrase"][1],
        description=(
            "Reads the passphrase from the terminal (or one line of standard input) "
            f"and prints the value to export as ${config.PASSPHRASE_HASH_ENV}."
        ),
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the hash of a passphrase read without echo."""
    if sys.stdin.isatty():
        first = getpass.getpass("Analyst passphrase: ")
        if getpass.getpass("Again: ") != first:
            raise SurveyDataError("the two passphrases differ")
    else:
        first = sys.stdin.readline().rstrip("\n")
    print(f"export {config.PASSPHRASE_HASH_ENV}='{hash_passphrase(first)}'")
    return 0
