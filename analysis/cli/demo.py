"""``demo``: fill a store with the synthetic demo waves and the published toplines.

Each demo wave also gets a raking to its countries' populations by age band and
gender (:data:`analysis.ingest.demo.DEMO_TARGETS`), stored as the weighting
``census``; the file's weights stay the default, so the published figures the
demo is calibrated to are what its charts show.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from analysis import config
from analysis.cli.commands import COMMANDS
from analysis.cli.options import add_output_format, add_store, note, open_store
from analysis.cli.output import emit_rows
from analysis.ingest.demo import DEMO_TARGETS, DEMO_WEIGHTING, demo_waves
from analysis.ingest.toplines import read_toplines
from analysis.library.codebook import load_codebook
from analysis.store.wave_store import WaveStore

KEYS = ("wave", "status", "rows", "kind", "synthetic")
"""One row per demo or reference wave; ``status`` is ``stored`` or ``kept``."""


def register(sub: Any) -> None:
    """Add the ``demo`` command."""
    parser = sub.add_parser(
        "demo",
        help=COMMANDS["demo"][1],
    )
    add_store(parser)
    parser.add_argument(
        "--if-missing",
        action="store_true",
        help="do nothing when the store already holds waves",
    )
    add_output_format(parser, default="table")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Add every demo and reference wave the store does not hold yet."""
    store = open_store(args)
    held = {info.name: info for info in store.waves(include_deleted=True)}
    if args.if_missing and held:
        rows = [
            _row(info.name, "kept", info.row_count, info.meta.kind, info.meta.synthetic)
            for info in held.values()
        ]
        emit_rows(rows, KEYS, args.format)
        note(args, f"{store.path} already holds {len(held)} wave(s); demo not rebuilt.")
        return 0
    codebook = load_codebook()
    waves = read_toplines(config.PUBLISHED_TOPLINES, codebook=codebook) + demo_waves(
        codebook
    )
    rows = []
    for wave in waves:
        meta = wave.meta
        if meta.name in held:
            info = held[meta.name]
            rows.append(
                _row(meta.name, "kept", info.row_count, meta.kind, meta.synthetic)
            )
            continue
        store.add_wave(wave, actor="demo")
        if meta.kind == "respondents":
            _weigh(store, meta.name)
        rows.append(
            _row(meta.name, "stored", len(wave.data), meta.kind, meta.synthetic)
        )
    emit_rows(rows, KEYS, args.format)
    note(args, f"store: {store.path}")
    return 0


def _weigh(store: WaveStore, name: str) -> None:
    """Rake a demo wave to its countries' populations, beside its file weights."""
    from analysis.ingest.targets import read_targets
    from analysis.table.weighted import weigh_wave

    raw = json.loads(DEMO_TARGETS.read_text(encoding="utf-8"))
    weigh_wave(
        store,
        name,
        read_targets(DEMO_TARGETS),
        raw,
        name=DEMO_WEIGHTING,
        actor="demo",
    )


def _row(
    name: str, status: str, rows: int, kind: str, synthetic: bool
) -> dict[str, Any]:
    return {
        "wave": name,
        "status": status,
        "rows": rows,
        "kind": kind,
        "synthetic": synthetic,
    }
