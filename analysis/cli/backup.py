"""``backup create --out FILE [--with-key]`` and ``backup restore FILE --yes``.

A backup is a consistent copy taken while the app runs (imports wait for it
a moment). The pseudonym key is left out unless ``--with-key``: keep it safe
on its own, since without it nobody can be erased by the id they were given.
The access journal (sign-ins, exports, role changes) and the access file
(roles and rows) go with the store, and come back with it.
Restoring replaces the store atomically and says what it replaced; without
``--yes`` it only says so and exits 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from analysis.access.store import require
from analysis.cli.commands import COMMANDS
from analysis.cli.options import EXIT_USAGE, add_store, open_store
from analysis.store.backup import Backup, create_backup, read_backup, restore_backup
from analysis.store.wave_store import current_actor


def register(sub: Any) -> None:
    """Add the ``backup`` command and its two actions."""
    parser = sub.add_parser("backup", help=COMMANDS["backup"][1], description=__doc__)
    actions = parser.add_subparsers(
        dest="action", metavar="ACTION", parser_class=type(parser)
    )
    actions.required = True
    create = actions.add_parser("create", help="copy the store into a new file")
    create.add_argument("--out", type=Path, required=True, help="the backup file")
    create.add_argument(
        "--with-key", action="store_true", help="include the pseudonym key"
    )
    add_store(create)
    create.set_defaults(handler=run_create)
    restore = actions.add_parser("restore", help="replace the store by a backup")
    restore.add_argument("file", type=Path, help="a file made by `backup create`")
    restore.add_argument("--yes", action="store_true", help="replace the store")
    add_store(restore)
    restore.set_defaults(handler=run_restore)


def run_create(args: argparse.Namespace) -> int:
    """Write the backup and say what it holds."""
    store = open_store(args)
    require(store, "backup")
    made = create_backup(store, args.out, with_key=args.with_key, actor=current_actor())
    key = (
        "with the pseudonym key (keep this file as safe as the key)"
        if made.with_key
        else "without the pseudonym key (back it up separately: without it, "
        "respondents cannot be erased by the id they were given)"
    )
    access = made.access
    kept = [
        f"the access journal ({access.entries} entries)" * access.journal,
        "the access file" * access.policy,
    ]
    also = " and ".join(filter(None, kept)) or "no access journal nor access file"
    print(f"backup {made.path}: {_holds(made)}, {also}, {key}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Replace the store by the backup, or only say what that would replace."""
    store = open_store(args)
    require(store, "backup")
    backup = read_backup(args.file)
    if not args.yes:
        current = (
            [w.name for w in store.waves(include_deleted=True)]
            if (store.path.exists())
            else []
        )
        print(
            f"would replace {store.path} ({_names(current)}) with {args.file} "
            f"({_holds(backup)})"
        )
        print("error: nothing was replaced; add --yes to restore", file=sys.stderr)
        return EXIT_USAGE
    done = restore_backup(store, args.file, actor=current_actor())
    print(
        f"replaced {store.path} ({_names(done.replaced)}) with {args.file} "
        f"({_holds(done.backup)}); {done.access_note}; {done.key_note}"
    )
    return 0


def _holds(backup: Backup) -> str:
    return (
        f"{_names(backup.waves)}, {backup.rows} rows, made {backup.made_at}, "
        f"schema {backup.schema}"
    )


def _names(waves: Any) -> str:
    listed = list(waves)
    if not listed:
        return "no waves"
    return f"{len(listed)} wave{'s' * (len(listed) > 1)}: {', '.join(listed)}"
