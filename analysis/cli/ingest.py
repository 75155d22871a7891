"""``ingest``: read a survey export, map it, validate it, and store it as a wave.

Nothing is stored unless the validation report holds no error; the report is
printed either way (``--output json`` for machines).
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from analysis.cli.commands import COMMANDS
from analysis.cli.options import add_store, open_store, print_json
from analysis.ingest.mapping import suggest_mapping
from analysis.ingest.model import FORMATS, IngestOptions, IngestResult
from analysis.ingest.prepare import prepare_wave
from analysis.ingest.profiles import load_profile, profile_source, save_profile
from analysis.ingest.sandbox import read_untrusted
from analysis.library.codebook import load_codebook

USAGE_ERROR = 2


def register(sub: Any) -> None:
    """Add the ``ingest`` command."""
    parser = sub.add_parser(
        "ingest",
        help=COMMANDS["ingest"][1],
    )
    parser.add_argument("file", type=Path, help="the exported file")
    parser.add_argument("--wave", required=True, help="the new wave's name")
    parser.add_argument("--format", choices=FORMATS, help="force a format")
    parser.add_argument("--sheet", help="worksheet of an .xlsx file (default: first)")
    parser.add_argument("--mapping", help="a saved mapping profile (name or path)")
    parser.add_argument("--save-mapping", help="save the mapping used as a profile")
    parser.add_argument(
        "--dry-run", action="store_true", help="validate and report; store nothing"
    )
    parser.add_argument("--output", choices=("text", "json"), default="text")
    parser.add_argument("--keep-incomplete", action="store_true")
    parser.add_argument("--exclude-speeders", action="store_true")
    parser.add_argument("--exclude-straightliners", action="store_true")
    parser.add_argument("--source", default="", help="where the wave comes from")
    parser.add_argument(
        "--fieldwork", type=_fieldwork, help="fieldwork dates, START..END (ISO)"
    )
    add_store(parser)
    parser.set_defaults(handler=run)


def _fieldwork(text: str) -> tuple[date, date]:
    found = re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", text.strip())
    if not found:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not START..END (e.g. 2025-03-03..2025-03-17)"
        )
    try:
        start, end = (date.fromisoformat(found.group(i)) for i in (1, 2))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: {exc}") from None
    if end < start:
        raise argparse.ArgumentTypeError(f"{text!r}: the end is before the start")
    return start, end


def run(args: argparse.Namespace) -> int:
    """Read, map, validate; store when the report is clean and not a dry run."""
    codebook = load_codebook()
    raw = read_untrusted(args.file, format=args.format, sheet=args.sheet)
    mapping = (
        load_profile(profile_source(args.mapping))
        if args.mapping
        else suggest_mapping(raw, codebook)
    )
    start, end = args.fieldwork or (None, None)
    options = IngestOptions(
        keep_incomplete=args.keep_incomplete,
        exclude_speeders=args.exclude_speeders,
        exclude_straightliners=args.exclude_straightliners,
        source=args.source,
        fieldwork_start=start,
        fieldwork_end=end,
    )
    result = prepare_wave(raw, mapping, codebook, args.wave, options)
    saved = None
    if args.save_mapping and raw.format != "toplines":
        saved = save_profile(mapping, profile_source(args.save_mapping))
    stored = False
    if result.ok and not args.dry_run and result.wave is not None:
        open_store(args).add_wave(result.wave)
        stored = True
    _print(args, result, stored, saved)
    if not result.report.ok:
        print(
            f"error: {args.file.name}: {len(result.report.errors)} problem(s) block "
            "the import; nothing was stored",
            file=sys.stderr,
        )
        return USAGE_ERROR
    return 0


def _print(
    args: argparse.Namespace, result: IngestResult, stored: bool, saved: Path | None
) -> None:
    report = result.report
    if args.output == "json":
        print_json(
            {
                "wave": args.wave,
                "stored": stored,
                "dry_run": args.dry_run,
                "mapping_saved": str(saved) if saved else None,
                "report": report.to_dict(),
                "mapping": dict(result.mapping),
            }
        )
        return
    print(report.to_text())
    if saved:
        print(f"mapping saved: {saved}")
    if stored:
        print(f"{args.wave}: {report.rows_kept} rows stored")
    elif report.ok:
        print(f"{args.wave}: dry run, {report.rows_kept} rows would be stored")
