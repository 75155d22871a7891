"""``erase-respondent ID --yes``: erase one person from every wave, by the id given.

The right to erasure. The id is hashed with the store's pseudonym key to find
the person in every wave, deleted ones included; the rows are removed, the
store file rewritten so no byte of them survives, and the erasure audited
(without the id). Without ``--yes`` it says where the person is and exits 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from analysis.cli.commands import COMMANDS
from analysis.cli.options import add_format, add_store, open_store, print_json
from analysis.store.erasure import Erasure

USAGE_ERROR = 2


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
    add_format(parser, "text", "json")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Erase, or with no ``--yes`` only say what would be erased."""
    store = open_store(args)
    if not args.yes:
        found = store.find_respondent(args.id)
        _print(args, found, erased=False, store=store.path)
        print("error: nothing was erased; add --yes to erase", file=sys.stderr)
        return USAGE_ERROR
    _print(args, store.erase_respondent(args.id), erased=True, store=store.path)
    return 0


def _print(
    args: argparse.Namespace, result: Erasure, *, erased: bool, store: Path
) -> None:
    if args.format == "json":
        print_json(
            {
                "erased": erased,
                "rows": result.total,
                "waves": dict(result.rows),
                "waves_searched": result.waves_searched,
                "store": str(store),
            }
        )
        return
    where = ", ".join(f"{wave} ({n})" for wave, n in result.rows.items())
    if not result.rows:
        print(
            f"no respondent with that id in any of the {result.waves_searched} "
            "respondent waves; nothing to erase"
        )
    elif erased:
        print(f"erased {result.total} row(s) from {where}; the store was rewritten")
    else:
        print(f"would erase {result.total} row(s) from {where}")
