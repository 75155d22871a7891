"""The store acting for one person: reads cut to their grants, changes re-checked.

:class:`UserStore` is a :class:`WaveStore` whose reads go through
:class:`~analysis.access.source.GrantedSource` and whose changes first ask the
person's :class:`~analysis.access.people.Access` (the server-side check behind
every button: a hidden button is no protection) and then record the person's
name as the actor. A refused change is written to the access journal.

:func:`acting_store` gives the command line the same: with
``$CONFIANCE_USER`` set, a command reads and acts as that person would.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis.access.journal import Journal
from analysis.access.people import Access, Action, Person
from analysis.access.policy import Policy, load_policy
from analysis.access.source import GrantedSource
from analysis.errors import AccessError
from analysis.store import erasure, trackers
from analysis.store.metrics import AnalystMetric
from analysis.store.questionnaire import Questionnaire
from analysis.store.table_specs import SavedSpec
from analysis.store.wave import Disclosure, Wave, WaveInfo
from analysis.store.wave_store import WaveStore
from analysis.store.weightings import StoredWeighting
from analysis.table.banner_spec import TableSpec


class UserStore(WaveStore):
    """The store as ``access.person`` may read and change it."""

    def __init__(self, path: Path | str | None, access: Access) -> None:
        super().__init__(path)
        self.access = access
        self.reads = GrantedSource(WaveStore(self.path), access.grants)

    def allow(self, action: Action, wave: str = "") -> None:
        """Refuse ``action`` (on ``wave``) unless this person may; journal a refusal."""
        self._allow(action, wave)

    def _allow(self, action: Action, wave: str = "") -> None:
        try:
            self.access.require(action)
            if wave:
                self.reads.wave(wave)
        except AccessError as exc:
            Journal.beside(self.path).record(
                "denied", self.access.actor, str(exc), wave
            )
            raise

    # -- reading, through the grants ------------------------------------------------

    def waves(self, *, include_deleted: bool = False) -> list[WaveInfo]:
        """The waves this person may see."""
        return self.reads.waves(include_deleted=include_deleted)

    def wave(self, name: str) -> WaveInfo:
        """One wave this person may see."""
        return self.reads.wave(name)

    def load_respondents(self, names: Sequence[str]) -> pd.DataFrame:
        """The granted respondent rows."""
        return self.reads.load_respondents(names)

    def load_toplines(self, names: Sequence[str]) -> pd.DataFrame:
        """The granted published rows."""
        return self.reads.load_toplines(names)

    def segment_levels(self, name: str) -> dict[str, list[str]]:
        """Segment values left in the granted rows."""
        return self.reads.segment_levels(name)

    def questionnaire(self, name: str) -> Questionnaire:
        """The questionnaire of a wave this person may see."""
        return self.reads.questionnaire(name)

    def metrics(self) -> list[AnalystMetric]:
        """Analysts' metrics of the waves this person may see."""
        seen = {w.name for w in self.reads.waves(include_deleted=True)}
        return [m for m in super().metrics() if m.wave in seen]

    def metric(self, metric_id: str) -> AnalystMetric:
        """One analyst's metric, of a wave this person may see."""
        found = super().metric(metric_id)
        self.reads.wave(found.wave)
        return found

    def add_metric(
        self, metric: AnalystMetric, *, actor: str | None = None
    ) -> AnalystMetric:
        """Store an analyst's metric (analysts), under this person's name."""
        self._allow("define_metric", metric.wave)
        return super().add_metric(metric, actor=self.access.actor)

    def delete_metric(self, metric_id: str, *, actor: str | None = None) -> None:
        """Remove an analyst's metric (analysts)."""
        self._allow("define_metric", super().metric(metric_id).wave)
        super().delete_metric(metric_id, actor=self.access.actor)

    def weightings(self, wave: str) -> list[StoredWeighting]:
        """The weightings of a wave this person may see."""
        self.reads.wave(wave)
        return super().weightings(wave)

    def weighting(self, wave: str, name: str | None = None) -> StoredWeighting:
        """One weighting of a wave this person may see (its default for None)."""
        self.reads.wave(wave)
        return super().weighting(wave, name)

    def weights(self, wave: str, name: str) -> pd.DataFrame:
        """A weighting's values, of a wave this person may see."""
        self.reads.wave(wave)
        return super().weights(wave, name)

    def add_weighting(
        self,
        stored: StoredWeighting,
        respondent_ids: Sequence[str],
        weights: np.ndarray,
        *,
        actor: str | None = None,
    ) -> StoredWeighting:
        """Store a weighting of a wave (analysts), under this person's name.

        Made from every row of the wave: a person granted only some rows
        cannot weight it.
        """
        self._allow("upload", stored.wave)
        if self.reads.restricted and self.access.grants.segments:
            raise AccessError("weighting a wave needs all of its rows")
        return super().add_weighting(
            stored, respondent_ids, weights, actor=self.access.actor
        )

    def delete_weighting(
        self, wave: str, name: str, *, actor: str | None = None
    ) -> None:
        """Remove a weighting (analysts); the respondents are not touched."""
        self._allow("upload", wave)
        super().delete_weighting(wave, name, actor=self.access.actor)

    def set_default_weighting(
        self, wave: str, name: str, *, actor: str | None = None
    ) -> None:
        """Make a weighting the wave's default (analysts)."""
        self._allow("upload", wave)
        super().set_default_weighting(wave, name, actor=self.access.actor)

    def save_table_spec(
        self, name: str, spec: TableSpec, *, actor: str | None = None
    ) -> SavedSpec:
        """Save a banner-table spec (analysts), under this person's name."""
        self._allow("define_metric")
        return super().save_table_spec(name, spec, actor=self.access.actor)

    def delete_table_spec(self, name: str, *, actor: str | None = None) -> None:
        """Remove a saved banner-table spec (analysts)."""
        self._allow("define_metric")
        super().delete_table_spec(name, actor=self.access.actor)

    def audit(self) -> pd.DataFrame:
        """The store's audit table, for admins."""
        self._allow("read_audit")
        return super().audit()

    # -- changing, after the role's check ----------------------------------------------

    def add_wave(self, wave: Wave, *, actor: str | None = None) -> WaveInfo:
        """Store a wave (analysts), recorded under this person's name."""
        self._allow("upload")
        return super().add_wave(wave, actor=self.access.actor)

    def describe_wave(
        self,
        name: str,
        sample_type: str,
        disclosure: Disclosure,
        *,
        actor: str | None = None,
    ) -> WaveInfo:
        """Set the sample type and disclosure of a visible wave (analysts)."""
        self._allow("upload", name)
        return super().describe_wave(
            name, sample_type, disclosure, actor=self.access.actor
        )

    def choose_tracked(
        self, wave: str, question: str, earlier: tuple[str, str] | None
    ) -> Questionnaire:
        """Link a visible wave's question to a visible earlier one (analysts)."""
        self._allow("upload", wave)
        if earlier is not None:
            self._allow("upload", earlier[0])
        return trackers.choose_tracked(
            self, wave, question, earlier, actor=self.access.actor
        )

    def delete_wave(self, name: str, *, actor: str | None = None) -> WaveInfo:
        """Soft-delete a wave this person may see (analysts)."""
        self._allow("delete", name)
        return super().delete_wave(name, actor=self.access.actor)

    def restore_wave(self, name: str, *, actor: str | None = None) -> WaveInfo:
        """Restore a deleted wave this person may see (analysts)."""
        self._allow("restore", name)
        return super().restore_wave(name, actor=self.access.actor)

    def purge_wave(self, name: str, *, actor: str | None = None) -> WaveInfo:
        """Purge a deleted wave for good (admins)."""
        self._allow("purge", name)
        return super().purge_wave(name, actor=self.access.actor)

    def find_respondent(self, given_id: str) -> erasure.Erasure:
        """Where a respondent is (admins)."""
        self._allow("erase")
        return super().find_respondent(given_id)

    def erase_respondent(
        self, given_id: str, *, actor: str | None = None
    ) -> erasure.Erasure:
        """Erase a respondent from every wave (admins)."""
        self._allow("erase")
        return super().erase_respondent(given_id, actor=self.access.actor)


def require(store: WaveStore, action: Action) -> None:
    """Refuse ``action`` unless the store's person may (the owner always may)."""
    if isinstance(store, UserStore):
        store.allow(action)


def cli_access(email: str, policy: Policy | None = None) -> Access:
    """The access of the person a command acts for; refused when no rule names them."""
    person = Person(name=email, email=email.strip().lower(), via="cli")
    found = (policy or load_policy()).access_for(person)
    if found is None:
        raise AccessError(
            f"${config.USER_ENV} ({email}) matches no rule of {config.access_path()}"
        )
    return found


def acting_store(path: Path | str | None = None) -> WaveStore:
    """The store a command uses: the owner's, or ``$CONFIANCE_USER``'s view of it."""
    email = config.acting_user()
    if email is None:
        return WaveStore(path)
    return UserStore(path, cli_access(email))
