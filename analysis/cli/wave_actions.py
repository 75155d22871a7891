"""``waves delete|restore|purge W``: hide a wave, bring it back, or erase it for good.

Purging asks for ``--yes``: without it the command says what would be purged,
changes nothing and exits with status 2. A purge rewrites the store file so
no byte of the wave survives in it, and frees the name and the file's
fingerprint for a new import.
"""

from __future__ import annotations

import argparse
import sys

from analysis.cli.options import EXIT_USAGE, add_store, open_store
from analysis.store.wave import WaveInfo

_CLI = "python -m analysis waves"


def register_actions(parser: argparse.ArgumentParser) -> None:
    """Add the actions to the ``waves`` parser, which alone lists the waves."""
    actions = parser.add_subparsers(
        dest="action", metavar="ACTION", parser_class=type(parser)
    )
    for name, summary, handler in (
        ("delete", "hide a wave from every view (reversible)", delete),
        ("restore", "bring back a deleted wave", restore),
        ("purge", "erase a deleted wave for good (needs --yes)", purge),
    ):
        sub = actions.add_parser(name, help=summary, description=summary)
        sub.add_argument("wave", help="the wave's name")
        add_store(sub, action=True)
        if name == "purge":
            sub.add_argument("--yes", action="store_true", help="purge it for good")
        sub.set_defaults(handler=handler)


def delete(args: argparse.Namespace) -> int:
    """Soft-delete a wave."""
    info = open_store(args).delete_wave(args.wave)
    print(
        f"{info.name} deleted ({info.row_count} rows); `{_CLI} restore {info.name}` "
        f"brings it back, `{_CLI} purge {info.name} --yes` erases it for good"
    )
    return 0


def restore(args: argparse.Namespace) -> int:
    """Bring back a soft-deleted wave."""
    info = open_store(args).restore_wave(args.wave)
    print(f"{info.name} restored ({info.row_count} rows)")
    return 0


def purge(args: argparse.Namespace) -> int:
    """Purge a deleted wave, or say what would be purged without ``--yes``."""
    store = open_store(args)
    if not args.yes:
        info = store.wave(args.wave)
        print(f"would purge {_describe(info)}")
        print("error: nothing was purged; add --yes to purge it", file=sys.stderr)
        return EXIT_USAGE
    info = store.purge_wave(args.wave)
    print(
        f"{info.name} purged: {info.row_count} rows erased and {store.location} "
        "compacted; the name and the file's fingerprint are free again"
    )
    return 0


def _describe(info: WaveInfo) -> str:
    when = info.imported_at.isoformat(timespec="seconds")
    state = (
        "deleted"
        if info.deleted_at is not None
        else f"not deleted yet (`{_CLI} delete {info.name}` first)"
    )
    return (
        f"wave {info.name}: {info.row_count} rows ({info.meta.kind}) from "
        f"{info.meta.file_name} (SHA-256 {info.meta.file_sha256[:12]}…), "
        f"imported {when}; {state}"
    )
