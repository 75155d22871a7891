"""``demo``: fill a store with the synthetic demo waves and the published toplines."""

from __future__ import annotations

import argparse
from typing import Any

from analysis import config
from analysis.cli.commands import COMMANDS
from analysis.cli.options import add_store, open_store
from analysis.ingest.demo import demo_waves
from analysis.ingest.toplines import read_toplines
from analysis.library.codebook import load_codebook


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
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Add every demo and reference wave the store does not hold yet."""
    store = open_store(args)
    held = {info.name for info in store.waves(include_deleted=True)}
    if args.if_missing and held:
        print(f"{store.path} already holds {len(held)} wave(s); demo not rebuilt.")
        return 0
    codebook = load_codebook()
    waves = read_toplines(config.PUBLISHED_TOPLINES, codebook=codebook) + demo_waves(
        codebook
    )
    for wave in waves:
        if wave.meta.name in held:
            print(f"{wave.meta.name}: already stored, kept as it is")
            continue
        store.add_wave(wave, actor="demo")
        kind = "synthetic respondents" if wave.meta.synthetic else wave.meta.kind
        print(f"{wave.meta.name}: {len(wave.data)} rows stored ({kind})")
    print(f"store: {store.path}")
    return 0
