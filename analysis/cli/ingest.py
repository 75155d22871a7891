"""``ingest``: read a survey export, detect its questionnaire, validate, store a wave.

The wave keeps the file's own questions (:mod:`analysis.ingest.from_file`);
``--weight``, ``--strata``, ``--cluster``, ``--fpc`` and ``--segment`` override
what detection found (PSUs nested within strata; an fpc ≤ 1 is a sampling
fraction, > 1 a population size), and ``--mapping`` reads a saved profile's
choices. Nothing is stored unless the validation report holds no error; the
report is printed either way (``--format json``: one object with ``report``
and ``mapping``, whose ``columns`` give each header's role). The file's
type is ``--file-format``; ``--format`` given a file type (the option's meaning
before) is an error that says so, and ``--output text|json`` still works, with
a warning, as ``--format table|json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from analysis.cli.commands import COMMANDS
from analysis.cli.options import EXIT_USAGE, add_store, open_store, print_json, warn
from analysis.errors import SurveyDataError
from analysis.ingest.column_roles import Overrides
from analysis.ingest.model import FORMATS, IngestOptions, IngestResult
from analysis.ingest.prepared import prepare_untrusted
from analysis.ingest.profiles import load_profile, profile_source, save_profile
from analysis.library.codebook import load_codebook
from analysis.store.wave import SAMPLE_TYPES

OUTPUTS = ("json", "table")
"""The report is one object: JSON, or the text table people read (no CSV)."""

_FILE_TYPES = {"sav": "spss", "xlsx": "excel", "xlsm": "excel"}
"""Extensions accepted by ``--file-format`` for the type they name."""

_OLD_OUTPUT = {"text": "table", "json": "json"}


def register(sub: Any) -> None:
    """Add the ``ingest`` command."""
    parser = sub.add_parser(
        "ingest",
        help=COMMANDS["ingest"][1],
    )
    parser.add_argument("file", type=Path, help="the exported file")
    parser.add_argument("--wave", required=True, help="the new wave's name")
    parser.add_argument(
        "--file-format",
        type=lambda text: _FILE_TYPES.get(text.lower(), text.lower()),
        choices=FORMATS,
        metavar="TYPE",
        help=f"input file type: {', '.join(FORMATS)} (sav, xlsx name spss, excel; "
        "default: detected from the file)",
    )
    parser.add_argument(
        "--format",
        type=_report_format,
        default=None,
        metavar="{json,table}",
        help="report: json or table (default: table); json is one object on stdout",
    )
    parser.add_argument(
        "--output",
        choices=tuple(_OLD_OUTPUT),
        help="deprecated: use --format (text is table)",
    )
    parser.add_argument("--sheet", help="worksheet of an .xlsx file (default: first)")
    parser.add_argument("--mapping", help="a saved mapping profile (name or path)")
    parser.add_argument("--save-mapping", help="save the mapping used as a profile")
    parser.add_argument(
        "--dry-run", action="store_true", help="validate and report; store nothing"
    )
    parser.add_argument("--keep-incomplete", action="store_true")
    parser.add_argument("--exclude-speeders", action="store_true")
    parser.add_argument("--exclude-straightliners", action="store_true")
    parser.add_argument("--source", default="", help="where the wave comes from")
    parser.add_argument(
        "--fieldwork", type=_fieldwork, help="fieldwork dates, START..END (ISO)"
    )
    parser.add_argument(
        "--sample-type",
        choices=SAMPLE_TYPES,
        default="unknown",
        help="probability, opt_in (an opt-in panel) or unknown (default); only a "
        "probability sample's footnotes speak of a margin of error",
    )
    _add_design(parser)
    add_store(parser)
    parser.set_defaults(handler=run)


def _add_design(parser: argparse.ArgumentParser) -> None:
    """The design and segment options, which win over what detection found."""
    design = parser.add_argument_group("design and segments (override detection)")
    for role, what in (
        ("weight", "the weight column"),
        ("strata", "the strata column"),
        ("cluster", "the PSU column (ids nested within strata)"),
        ("fpc", "the fpc column (≤ 1: sampling fraction; > 1: population size)"),
    ):
        design.add_argument(f"--{role}", metavar="COL", help=what)
    design.add_argument(
        "--segment",
        metavar="COL",
        nargs="+",
        action="extend",
        default=[],
        help="column(s) to keep as segments",
    )


def _report_format(text: str) -> str:
    """``json`` or ``table``; a file type (the old ``--format``) says where it goes."""
    if text in OUTPUTS:
        return text
    file_type = _FILE_TYPES.get(text.lower(), text.lower())
    if file_type in FORMATS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is an input file type: use --file-format {file_type} "
            "(--format is the report's: json or table)"
        )
    raise argparse.ArgumentTypeError(
        f"invalid choice: {text!r} (choose from {', '.join(OUTPUTS)})"
    )


def _output_format(args: argparse.Namespace) -> str:
    """``--format``, or the deprecated ``--output`` it replaces (with a warning)."""
    if args.output is None:
        return str(args.format or "table")
    wanted = _OLD_OUTPUT[args.output]
    if args.format not in (None, wanted):
        raise SurveyDataError(
            f"--output {args.output} and --format {args.format} disagree; "
            "give --format alone"
        )
    warn(f"--output is deprecated; use --format {wanted}")
    return wanted


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
    """Read, map, validate (in the worker); store when the report is clean."""
    args.format = _output_format(args)
    start, end = args.fieldwork or (None, None)
    options = IngestOptions(
        keep_incomplete=args.keep_incomplete,
        exclude_speeders=args.exclude_speeders,
        exclude_straightliners=args.exclude_straightliners,
        source=args.source,
        fieldwork_start=start,
        fieldwork_end=end,
    )
    prepared = prepare_untrusted(
        args.file,
        load_codebook(),
        wave_name=args.wave,
        options=options,
        overrides=_overrides(args),
        profile=load_profile(profile_source(args.mapping)) if args.mapping else None,
        format=args.file_format,
        sheet=args.sheet,
    )
    result = prepared.result
    assert result is not None  # a wave name was given
    saved = None
    if args.save_mapping and prepared.profile is not None:
        name = Path(args.save_mapping).stem
        profile = dataclasses.replace(prepared.profile, name=name)
        saved = save_profile(profile, profile_source(args.save_mapping))
    stored = False
    if result.ok and not args.dry_run and result.wave is not None:
        wave = result.wave
        meta = dataclasses.replace(wave.meta, sample_type=args.sample_type)
        open_store(args).add_wave(dataclasses.replace(wave, meta=meta))
        stored = True
    _print(args, result, stored, saved)
    if not result.report.ok:
        print(
            f"error: {args.file.name}: {len(result.report.errors)} problem(s) block "
            "the import; nothing was stored",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return 0


def _overrides(args: argparse.Namespace) -> Overrides:
    """The command line's design and segment choices (they win over a profile's)."""
    return Overrides(
        weight=args.weight,
        strata=args.strata,
        cluster=args.cluster,
        fpc=args.fpc,
        segments=tuple(args.segment),
    )


def _print(
    args: argparse.Namespace, result: IngestResult, stored: bool, saved: Path | None
) -> None:
    report = result.report
    if args.format == "json":
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
