"""Published toplines: percent + base per metric and segment, as reports print them.

The same reader takes the published reference figures shipped with Confiance
and an analyst's toplines upload, so both are checked by one set of rules.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pandas as pd

from analysis.errors import IngestError
from analysis.formulas import is_formula
from analysis.ingest.labels import value_key
from analysis.ingest.model import (
    IngestOptions,
    IngestResult,
    RawSurvey,
    ValidationReport,
)
from analysis.library.codebook import Codebook
from analysis.library.published import ALL, NOT_STATED
from analysis.store.wave import TOTAL, Wave, WaveMeta, sha256_bytes

REQUIRED = ("metric", "segment_var", "segment_value", "percent")
_WAVE_OF_YEAR = {2019: "RSA-2019", 2017: "Segment-2017"}
_SOURCE_OF_WAVE = {
    "RSA-2019": "RSA Data Privacy & Security Survey 2019 (as quoted)",
    "Segment-2017": "Segment, The 2017 State of Personalization Report (as quoted)",
}


def published_toplines_frame(codebook: Codebook) -> pd.DataFrame:
    """The codebook's published figures as toplines rows (one wave per report).

    A whole-sample figure is the report's total; a figure whose geography is
    not stated is filed as country "not stated" (never as the total), and its
    note keeps the caveats it was published with.
    """
    rows = []
    for metric in codebook.metrics.values():
        for figure in metric.published:
            whole = figure.geography == ALL
            rows.append(
                {
                    "wave": _WAVE_OF_YEAR[figure.year],
                    "metric": metric.id,
                    "segment_var": TOTAL if whole else "country",
                    "segment_value": TOTAL if whole else figure.geography,
                    "percent": round(figure.value * 100, 4),
                    "base_n": figure.base_n,
                    "n_eff": None,
                    "source": figure.source,
                    "checked": figure.checked,
                    "note": figure.note.en,
                }
            )
    frame = pd.DataFrame(rows)
    frame["base_n"] = frame["base_n"].astype("Int64")
    frame["n_eff"] = frame["n_eff"].astype("Float64")
    return frame


def read_toplines(
    path: Path | str,
    *,
    wave: str | None = None,
    codebook: Codebook | None = None,
    content: bytes | None = None,
) -> list[Wave]:
    """Read a toplines CSV or XLSX into one wave per ``wave`` value.

    A file without a ``wave`` column needs ``wave=``. Percent is 0–100; a row
    without a base keeps its figure and will be shown without an interval.
    """
    source = Path(path)
    raw = content if content is not None else _read_bytes(source)
    return toplines_waves(
        _parse(raw, source), source.name, raw, wave=wave, codebook=codebook
    )


def toplines_waves(
    table: pd.DataFrame,
    file_name: str,
    identity: bytes,
    *,
    wave: str | None = None,
    codebook: Codebook | None = None,
) -> list[Wave]:
    """Toplines waves from a table already read, one per ``wave`` value.

    The table comes from :func:`read_toplines` or from an upload's reader;
    ``identity`` is the file's bytes or digest, from which the SHA-256 is made.
    """
    frame = table.copy()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise IngestError(
            f"{file_name}: toplines need columns {list(REQUIRED)}; missing {missing}"
        )
    for column in ("wave", *REQUIRED[:3], "source"):
        if column in frame.columns:
            frame[column] = _text(frame[column])
    if "wave" not in frame.columns:
        if wave is None:
            raise IngestError(f"{file_name}: no 'wave' column, so give the wave a name")
        frame["wave"] = wave
    elif wave is not None:
        frame = frame[frame["wave"] == wave]
        if frame.empty:
            raise IngestError(f"{file_name}: no rows for wave {wave}")
    _validate(frame, file_name, codebook)
    names = list(dict.fromkeys(frame["wave"]))
    return [
        _wave(frame[frame["wave"] == name], name, file_name, identity, len(names))
        for name in names
    ]


def _text(column: pd.Series) -> pd.Series:
    """Text cells as read; numbers (a year, a code) as their text; blanks NA."""
    return column.map(lambda v: None if pd.isna(v) else value_key(v)).astype("str")


def _read_bytes(source: Path) -> bytes:
    try:
        return source.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read {source}: {exc.strerror}") from None


def _parse(raw: bytes, source: Path) -> pd.DataFrame:
    try:
        if source.suffix.lower() in {".xlsx", ".xlsm"}:
            return pd.read_excel(io.BytesIO(raw), dtype={"segment_value": str})
        return pd.read_csv(
            io.BytesIO(raw),
            sep=None,
            engine="python",
            encoding="utf-8-sig",
            dtype={"segment_value": str, "segment_var": str, "metric": str},
            keep_default_na=False,
            na_values=[""],
        )
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise IngestError(
            f"{source.name}: not a readable toplines table ({exc})"
        ) from None


def _check_text(frame: pd.DataFrame, name: str) -> None:
    """Keys present; no kept text that a spreadsheet would run as a formula."""
    for column in REQUIRED[:3]:
        blank = frame.index[frame[column].isna() | (frame[column].str.strip() == "")]
        if len(blank):
            rows = ", ".join(str(i + 2) for i in blank[:5])
            raise IngestError(
                f"{name}, column {column}: {len(blank)} blank cell(s) (rows {rows}); "
                "every figure needs a metric, a segment variable and a value"
            )
    for column in ("segment_var", "segment_value", "source"):
        if column not in frame.columns:
            continue
        formulas = frame.index[frame[column].map(is_formula).to_numpy(dtype=bool)]
        if len(formulas):
            raise IngestError(
                f"{name}, column {column}, row {formulas[0] + 2}: the cell starts "
                "like a spreadsheet formula; Confiance keeps no such value"
            )


def _validate(frame: pd.DataFrame, name: str, codebook: Codebook | None) -> None:
    _check_text(frame, name)
    percent = pd.to_numeric(frame["percent"], errors="coerce")
    bad = frame.index[percent.isna() | (percent < 0) | (percent > 100)]
    if len(bad):
        rows = ", ".join(str(i + 2) for i in bad[:5])
        raise IngestError(
            f"{name}, column percent: {len(bad)} value(s) not between 0 and 100 "
            f"(rows {rows})"
        )
    if "base_n" in frame.columns:
        base = pd.to_numeric(frame["base_n"], errors="coerce")
        bad = frame.index[frame["base_n"].notna() & ~(base > 0)]
        if len(bad):
            rows = ", ".join(str(i + 2) for i in bad[:5])
            raise IngestError(
                f"{name}, column base_n: bases must be above 0 (rows {rows})"
            )
    if codebook is not None:
        unknown = sorted(set(frame["metric"].fillna("")) - set(codebook.metrics))
        if unknown:
            shown = [u[:40] for u in unknown[:5]]
            raise IngestError(f"{name}, column metric: unknown metric(s) {shown}")
    keys = frame[["wave", "metric", "segment_var", "segment_value"]]
    duplicated = frame.index[keys.duplicated(keep=False)]
    if len(duplicated):
        rows = ", ".join(str(i + 2) for i in duplicated[:5])
        raise IngestError(
            f"{name}: the same metric and segment appear twice (rows {rows})"
        )


def _wave(
    frame: pd.DataFrame, name: str, file_name: str, raw: bytes, waves_in_file: int
) -> Wave:
    # one file may hold several waves; each needs its own identity in the store
    digest = sha256_bytes(raw if waves_in_file == 1 else raw + b"\0" + name.encode())
    data = frame.drop(columns=["wave"]).reset_index(drop=True)
    data["percent"] = pd.to_numeric(data["percent"])
    for column in ("base_n", "n_eff"):
        if column not in data.columns:
            data[column] = float("nan")
        data[column] = pd.to_numeric(data[column], errors="coerce")
    countries = sorted(
        set(data.loc[data["segment_var"] == "country", "segment_value"]) - {NOT_STATED}
    )
    sources: list[str] = (
        [str(s) for s in data["source"].dropna().unique()] if "source" in data else []
    )
    meta = WaveMeta(
        name=name,
        kind="toplines",
        source=_SOURCE_OF_WAVE.get(name, "; ".join(sources) or file_name),
        file_name=file_name,
        file_sha256=digest,
        countries=tuple(countries),
        report={"rows_read": len(data), "rows_kept": len(data)},
    )
    return Wave(meta=meta, data=data)


def prepare_toplines(
    raw: RawSurvey, name: str, codebook: Codebook, opts: IngestOptions
) -> IngestResult:
    """An uploaded toplines file as a wave, by the rules of :func:`read_toplines`.

    Works on the table the (sandboxed) reader read: the file is not parsed
    again in this process.
    """
    waves = toplines_waves(
        raw.data, raw.file_name, raw.sha256.encode(), wave=name, codebook=codebook
    )
    if len(waves) != 1:
        raise IngestError(f"{raw.file_name}: expected one toplines wave named {name}")
    wave = waves[0]
    report = ValidationReport(
        file_name=raw.file_name,
        format="toplines",
        rows_read=len(raw.data),
        rows_kept=len(wave.data),
    )
    meta = dataclasses.replace(
        wave.meta,
        file_sha256=raw.sha256,
        report=report.to_dict(),
        source=opts.source or wave.meta.source,
        fieldwork_start=opts.fieldwork_start,
        fieldwork_end=opts.fieldwork_end,
    )
    return IngestResult(wave=Wave(meta=meta, data=wave.data), report=report)
