"""``waves``: list the stored waves."""

from __future__ import annotations

import argparse
from typing import Any

from analysis.cli.commands import COMMANDS
from analysis.cli.options import add_output_format, add_store, open_store
from analysis.cli.output import emit_rows
from analysis.cli.wave_actions import register_actions

KEYS = (
    "name",
    "kind",
    "rows",
    "countries",
    "imported_at",
    "synthetic",
    "deleted",
    "source",
)


def register(sub: Any) -> None:
    """Add the ``waves`` command."""
    parser = sub.add_parser(
        "waves",
        help=COMMANDS["waves"][1],
    )
    add_store(parser)
    add_output_format(parser, default="table")
    parser.add_argument(
        "--deleted", action="store_true", help="include soft-deleted waves"
    )
    parser.set_defaults(handler=run)
    register_actions(parser)


def run(args: argparse.Namespace) -> int:
    """List waves as a table, JSON or CSV."""
    rows: list[dict[str, Any]] = [
        {
            "name": info.name,
            "kind": info.meta.kind,
            "rows": info.row_count,
            "countries": list(info.meta.countries),
            "imported_at": info.imported_at.isoformat(timespec="seconds"),
            "synthetic": info.meta.synthetic,
            "deleted": info.deleted_at is not None,
            "source": info.meta.source,
        }
        for info in open_store(args).waves(include_deleted=args.deleted)
    ]
    if args.format != "table":
        emit_rows(rows, KEYS, args.format)
    elif not rows:
        print("No waves yet: run `python -m analysis demo` or ingest a file.")
    else:
        _print_table(rows)
    return 0


def _print_table(rows: list[dict[str, Any]]) -> None:
    print(f"{'wave':<16} {'kind':<12} {'rows':>7}  {'countries':<14} imported at")
    for row in rows:
        mark = " (synthetic)" if row["synthetic"] else ""
        mark += " (deleted)" if row["deleted"] else ""
        print(
            f"{row['name']:<16} {row['kind']:<12} {row['rows']:>7}  "
            f"{','.join(row['countries']):<14} {row['imported_at']}{mark}"
        )
