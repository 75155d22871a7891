"""``erase-respondent ID --yes``: erase one person from every wave, by the id given.

The right to erasure. The id is hashed with the store's pseudonym key to find
the person in every wave, deleted ones included; the rows are removed, the
store file rewritten so no byte of them survives, and the erasure audited
(without the id). Without ``--yes`` it says where the person is and exits 2.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from analysis.cli.commands import COMMANDS
from analysis.cli.options import (
    EXIT_USAGE,
    add_output_format,
    add_store,
    open_store,
    print_json,
)
from analysis.cli.output import print_csv
from analysis.store.erasure import Erasure

KEYS = ("erased", "rows", "waves", "waves_searched", "store")


def register(sub: Any) -> None:
    """Add the ``erase-respondent`` command."""
    parser = sub.add_parser(
        "erase-respondent",
        help=COMMANDS["erase-respondent"][1],
        description=__doc__,
    )
    parser.add_argument("id", help="the respondent id as the survey tool gave it")
    parser.add_argument("--yes", action="store_true", help="erase for good")
    add_store(parser)
    add_output_format(parser, default="table")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Erase, or with no ``--yes`` only say what would be erased."""
    store = open_store(args)
    if not args.yes:
        found = store.find_respondent(args.id)
        _print(args.format, found, erased=False, store=store.location)
        print("error: nothing was erased; add --yes to erase", file=sys.stderr)
        return EXIT_USAGE
    _print(
        args.format, store.erase_respondent(args.id), erased=True, store=store.location
    )
    return 0


def _print(fmt: str, result: Erasure, *, erased: bool, store: str) -> None:
    row = {
        "erased": erased,
        "rows": result.total,
        "waves": dict(result.rows),
        "waves_searched": result.waves_searched,
        "store": store,
    }
    if fmt == "json":
        print_json(row)
    elif fmt == "csv":
        print_csv([row], KEYS)
    else:
        print(_sentence(result, erased))


def _sentence(result: Erasure, erased: bool) -> str:
    if not result.rows:
        return (
            f"no respondent with that id in any of the {result.waves_searched} "
            "respondent waves; nothing to erase"
        )
    where = ", ".join(f"{wave} ({n})" for wave, n in result.rows.items())
    if erased:
        return f"erased {result.total} row(s) from {where}; the store was rewritten"
    return f"would erase {result.total} row(s) from {where}"
