"""What the store knows besides rows: questionnaires, analysts' metrics, table specs.

:class:`Catalogue` is mixed into :class:`analysis.store.wave_store.WaveStore`;
its methods use only the store's short connections.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from typing import Protocol

import duckdb

from analysis.errors import StoreError
from analysis.library.codebook import load_codebook
from analysis.store.metrics import (
    AnalystMetric,
    check_metric,
    delete_metric,
    insert_metric,
    read_metrics,
)
from analysis.store.questionnaire import Questionnaire
from analysis.store.questionnaires import toplines_questionnaire
from analysis.store.rows import live_row, wave_row
from analysis.store.table_specs import SavedSpec, delete_spec, insert_spec, read_specs
from analysis.table.banner_spec import TableSpec


class _Connections(Protocol):
    def reading(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]: ...

    def writing(
        self, *, rewrite: bool = False
    ) -> AbstractContextManager[duckdb.DuckDBPyConnection]: ...


def _actor(actor: str | None) -> str:
    from analysis.store.wave_store import current_actor

    return actor or current_actor()


def stored_questionnaire(con: duckdb.DuckDBPyConnection, name: str) -> Questionnaire:
    """A wave's questionnaire on an open connection (deleted waves included)."""
    row = wave_row(con, name)
    if row["kind"] == "toplines":
        metrics = con.execute(
            "SELECT DISTINCT metric FROM toplines WHERE wave = ? ORDER BY metric",
            [name],
        ).fetchall()
        return toplines_questionnaire(str(m) for (m,) in metrics)
    return Questionnaire.from_dict(json.loads(row["questionnaire"] or "{}"))


class Catalogue:
    """Questionnaires and analysts' metrics (mixed into the WaveStore)."""

    def questionnaire(self: _Connections, name: str) -> Questionnaire:
        """A wave's questionnaire; a toplines wave lists its published items."""
        with self.reading() as con:
            return stored_questionnaire(con, name)

    def add_metric(
        self: _Connections, metric: AnalystMetric, *, actor: str | None = None
    ) -> AnalystMetric:
        """Store an analyst's metric of a live wave's question (audited)."""
        if metric.id in load_codebook().metrics:
            raise StoreError(
                f"{metric.id!r} is a library metric's id; name the metric otherwise"
            )
        with self.writing() as con:
            live_row(con, metric.wave, "respondents")
            checked = check_metric(metric, stored_questionnaire(con, metric.wave))
            return insert_metric(con, checked, _actor(actor))

    def metrics(self: _Connections) -> list[AnalystMetric]:
        """Every analyst's metric, oldest first."""
        with self.reading() as con:
            return read_metrics(con)

    def metric(self: _Connections, metric_id: str) -> AnalystMetric:
        """One analyst's metric (the error lists the stored ones)."""
        with self.reading() as con:
            return read_metrics(con, metric_id)[0]

    def delete_metric(
        self: _Connections, metric_id: str, *, actor: str | None = None
    ) -> None:
        """Remove an analyst's metric (audited)."""
        with self.writing() as con:
            delete_metric(con, metric_id, _actor(actor))

    def save_table_spec(
        self: _Connections, name: str, spec: TableSpec, *, actor: str | None = None
    ) -> SavedSpec:
        """Store (or replace) a named banner-table spec (audited)."""
        with self.writing() as con:
            stored = insert_spec(con, name, spec, _actor(actor))
            return read_specs(con, stored)[0]

    def table_specs(self: _Connections) -> list[SavedSpec]:
        """Every saved banner-table spec, by name."""
        with self.reading() as con:
            return read_specs(con)

    def table_spec(self: _Connections, name: str) -> SavedSpec:
        """One saved spec (the error lists the saved ones)."""
        with self.reading() as con:
            return read_specs(con, name)[0]

    def delete_table_spec(
        self: _Connections, name: str, *, actor: str | None = None
    ) -> None:
        """Remove a saved spec (audited)."""
        with self.writing() as con:
            delete_spec(con, name, _actor(actor))
