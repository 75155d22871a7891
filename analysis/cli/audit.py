"""``audit``: who did what and when, from the store's changes and the access journal."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from analysis.cli.commands import COMMANDS
from analysis.cli.options import add_output_format, add_store, open_store
from analysis.cli.output import emit
from analysis.errors import SurveyDataError

KEYS = ("happened_at", "action", "wave", "actor", "rows", "detail", "file_sha256")
SHOWN = ("happened_at", "action", "wave", "actor", "detail")


def register(sub: Any) -> None:
    """Add the ``audit`` command."""
    parser = sub.add_parser(
        "audit",
        help=COMMANDS["audit"][1],
        description="Sign-ins, failed sign-ins, refused actions, exports, role "
        "changes and every change to the waves, oldest first. With "
        "$CONFIANCE_USER set, that person must be an admin.",
    )
    add_store(parser)
    add_output_format(parser, default="table")
    parser.add_argument(
        "--since", type=date.fromisoformat, help="from this day on (YYYY-MM-DD)"
    )
    parser.add_argument("--actor", help="only entries by this actor (e.g. an e-mail)")
    parser.add_argument(
        "--action", help="only this action (sign-in, export, delete, …)"
    )
    parser.add_argument(
        "--last", type=int, metavar="N", help="only the N latest entries"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the audit trail, filtered as asked."""
    from analysis.access.journal import audit_trail

    trail = audit_trail(open_store(args))  # acting for a person: admins only
    if args.since is not None:
        trail = trail[trail["happened_at"].dt.date >= args.since]
    if args.actor:
        trail = trail[trail["actor"] == args.actor]
    if args.action:
        trail = trail[trail["action"] == args.action]
    if args.last is not None:
        if args.last < 1:
            raise SurveyDataError(f"--last ({args.last}) must be 1 or more")
        trail = trail.tail(args.last)
    trail = trail.assign(
        happened_at=trail["happened_at"].dt.strftime("%Y-%m-%d %H:%M:%S"),
        rows=trail["rows"].astype("Int64"),
    )
    if args.format == "table" and not len(trail):
        print("No audit entries.")
        return 0
    emit(trail, KEYS if args.format != "table" else SHOWN, args.format)
    return 0
