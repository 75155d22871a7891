"""Access: roles from e-mail, domain and group; grants filtering rows; small bases."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.access.grants import Grants
from analysis.access.journal import Journal, audit_trail, clean
from analysis.access.people import ACTIONS, LEAST_ROLE, ROLES, Access, Person
from analysis.access.policy import (
    Policy,
    Rule,
    changes,
    load_policy,
    parse_policy,
    person_from_claims,
    rule_cells,
    rule_from_text,
    save_policy,
)
from analysis.access.source import GrantedCache, GrantedSource, granted
from analysis.access.store import UserStore, cli_access
from analysis.errors import AccessError
from analysis.store.wave import Disclosure
from analysis.table.estimate import estimate, respondent_table
from analysis.table.rows import EstimateOptions

ROOT = Path(__file__).resolve().parents[1]
FR = Grants.of(segments={"country": ["FR"]})
POLICY = parse_policy(
    {
        "rules": [
            {"who": "Boss@Example.com", "role": "admin"},
            {"who": "group:fr-managers", "role": "viewer", "rows": {"country": ["FR"]}},
            {"who": "@example.com", "role": "analyst", "waves": ["Demo-2025"]},
            {"who": "*", "role": "viewer"},
        ]
    }
)


def _person(email="", groups=(), verified=True):
    return Person(
        name=email or "someone", email=email, groups=groups, email_verified=verified
    )


# -- roles ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "groups", "verified", "role", "grants"),
    [
        # an e-mail rule, whatever the case
        ("boss@example.com", ("fr-managers",), True, "admin", Grants()),
        # a group before the domain: first match wins
        ("marie@example.com", ("fr-managers",), True, "viewer", FR),
        # the domain, with its wave grant
        ("ana@example.com", (), True, "analyst", Grants.of(["Demo-2025"])),
        # a look-alike domain is not the domain
        ("x@example.com.evil.org", (), True, "viewer", Grants()),
        ("x@sub.example.com", (), True, "viewer", Grants()),
        # an unverified e-mail matches no e-mail or domain rule: only groups
        ("boss@example.com", (), False, "viewer", Grants()),
        ("boss@example.com", ("fr-managers",), False, "viewer", FR),
    ],
)
def test_first_matching_rule_decides_role_and_grants(
    email, groups, verified, role, grants
):
    found = POLICY.access_for(_person(email, groups, verified))
    assert (found.role, found.grants) == (role, grants)


def test_nobody_gets_in_without_a_rule():
    policy = Policy(rules=(Rule("@example.com", "viewer"),))
    assert policy.access_for(_person("eve@elsewhere.org")) is None
    assert Policy().access_for(_person("boss@example.com")) is None


def test_each_role_can_what_its_weakest_allowed_role_can():
    for role in ROLES:
        access = Access(_person("a@b.c"), role)
        for action in ACTIONS:
            expected = ROLES.index(role) >= ROLES.index(LEAST_ROLE[action])
            assert access.can(action) is expected, (role, action)
    viewer = Access(_person("v@b.c"), "viewer")
    assert viewer.can("browse") and viewer.can("export")
    assert not viewer.can("upload") and not viewer.can("delete")
    analyst = Access(_person("a@b.c"), "analyst")
    assert analyst.can("upload") and analyst.can("restore")
    assert not analyst.can("purge") and not analyst.can("manage_roles")
    with pytest.raises(AccessError, match=r"v@b.c is a viewer and may not upload"):
        viewer.require("upload")
    with pytest.raises(ValueError, match=r"action \(.fly.\) must be one of"):
        viewer.can("fly")


def test_claims_become_a_person():
    person = person_from_claims(
        {
            "sub": "1",
            "email": "Marie@Example.com",
            "name": "Marie",
            "groups": ["fr-managers", "staff"],
            "email_verified": True,
        }
    )
    assert person == Person("Marie", "marie@example.com", ("fr-managers", "staff"))
    assert person.actor == "marie@example.com"
    lone = person_from_claims({"sub": "2", "roles": "x"}, groups_claim="roles")
    assert lone.groups == ("x",) and lone.actor == "oidc:2"
    assert not person_from_claims(
        {"email": "a@b.c", "email_verified": False}
    ).email_verified


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rules": [{"who": "a@b.c", "role": "boss"}]}, r"rule 1: role \('boss'\)"),
        ({"rules": [{"role": "viewer"}]}, "rule 1: 'who' is missing"),
        (
            {"rules": [{"who": "x", "role": "viewer", "rows": {"country": "FR"}}]},
            "'rows'",
        ),
        ({"rules": [{"who": "x", "role": "viewer", "waves": "W"}]}, "'waves' must be"),
        ({"rules": [{"who": "x", "role": "viewer", "team": 1}]}, "unknown field"),
        ({"rules": {}}, "'rules' must be a list"),
        ({"passphrase_role": "god"}, "role"),
        ([], "expected a mapping"),
    ],
)
def test_a_malformed_access_file_is_refused_naming_the_rule(data, message):
    with pytest.raises(AccessError, match=message):
        parse_policy(data, "access.yaml")


def test_access_file_round_trips_and_the_example_reads(tmp_path):
    path = save_policy(POLICY, tmp_path / "access.yaml")
    assert load_policy(path) == POLICY
    assert oct(path.stat().st_mode)[-3:] in {"600", "644", "664"}
    assert load_policy(tmp_path / "missing.yaml") == Policy()
    example = load_policy(ROOT / "data" / "access.yaml")
    marie = Person("Marie", "marie@example.com", ("country-managers-fr",))
    assert example.access_for(marie).grants == FR
    assert example.access_for(_person("admin@example.com")).role == "admin"


# -- grants on the demo store --------------------------------------------------------


def test_grants_cut_waves_rows_levels_and_toplines(demo_store):
    everything = demo_store.load_respondents(["Demo-2025"])
    source = GrantedSource(demo_store, FR)
    rows = source.load_respondents(["Demo-2025"])
    assert len(rows) == (everything["country"] == "FR").sum() > 0
    assert set(rows["country"]) == {"FR"}
    assert source.segment_levels("Demo-2025")["country"] == ["FR"]
    # the published toplines: FR's own rows only (the total mixes countries),
    # and a US-only wave is not there at all
    names = [w.name for w in source.waves()]
    assert "Segment-2017" not in names and "RSA-2019" in names
    published = source.load_toplines(["RSA-2019"])
    assert set(
        zip(published["segment_var"], published["segment_value"], strict=True)
    ) == {("country", "FR")}
    with pytest.raises(AccessError, match="among the waves you may see") as caught:
        source.wave("Segment-2017")
    assert "Segment-2017" not in caught.value.args[0].split("waves:")[1]


def test_a_wave_inside_the_grant_by_geography_is_whole(demo_store):
    us = GrantedSource(demo_store, Grants.of(segments={"country": ["US"]}))
    published = us.load_toplines(["Segment-2017"])
    assert len(published) == len(demo_store.load_toplines(["Segment-2017"])) > 0


def test_wave_grants_hide_other_waves_and_name_none_of_them(demo_store):
    only = GrantedSource(demo_store, Grants.of(["Demo-2025"]))
    assert [w.name for w in only.waves()] == ["Demo-2025"]
    with pytest.raises(AccessError, match=r"\(waves: Demo-2025\)"):
        only.load_respondents(["Demo-2019"])
    with pytest.raises(AccessError, match=r"\(waves: Demo-2025\)"):
        estimate(only, ["Demo-2019"])
    with pytest.raises(AccessError, match=r"\(waves: Demo-2025\)"):
        only.wave("No-such-wave")


def test_a_missing_segment_column_hides_the_wave(demo_store):
    region = GrantedSource(demo_store, Grants.of(segments={"region": ["Bretagne"]}))
    assert [w.name for w in region.waves()] == []


def test_estimates_through_the_grants_are_those_of_the_granted_rows(
    demo_store, codebook
):
    metrics = ["trust_brands", "churn_distrust"]
    metrics = [m for m in metrics if m in codebook.metrics] or list(codebook.metrics)[
        :2
    ]
    seen = estimate(GrantedSource(demo_store, FR), ["Demo-2025"], metrics, ["age_band"])
    frame = demo_store.load_respondents(["Demo-2025"])
    fr = frame[frame["country"] == "FR"].reset_index(drop=True)
    direct = respondent_table(
        fr, [codebook.metric(m) for m in metrics], ["age_band"], wave="Demo-2025"
    )
    pd.testing.assert_series_equal(
        seen["estimate"].reset_index(drop=True),
        direct["estimate"].reset_index(drop=True),
    )
    # the point estimates are those of the FR domain of the whole wave too
    domain = estimate(
        demo_store, ["Demo-2025"], metrics, ["age_band"], {"country": ["FR"]}
    )
    np.testing.assert_allclose(seen["estimate"], domain["estimate"])
    assert (seen["n"].to_numpy() == domain["n"].to_numpy()).all()


def test_small_base_rules_apply_to_what_the_person_sees(demo_store, codebook):
    metric = next(iter(codebook.metrics))
    everyone = estimate(demo_store, ["Demo-2025"], [metric], ["age_band"])
    fr = estimate(GrantedSource(demo_store, FR), ["Demo-2025"], [metric], ["age_band"])
    seg = fr[fr["segment_var"] == "age_band"]
    all_seg = everyone[everyone["segment_var"] == "age_band"]
    # a threshold between FR's segment bases and the whole wave's
    small = int(seg["n"].max()) + 1
    assert all_seg["n"].min() >= small, "the demo's segments are larger overall"
    opts = EstimateOptions(thresholds=(small, 30, 10))
    flagged = estimate(
        GrantedSource(demo_store, FR),
        ["Demo-2025"],
        [metric],
        ["age_band"],
        options=opts,
    )
    flagged_all = estimate(
        demo_store, ["Demo-2025"], [metric], ["age_band"], options=opts
    )
    assert set(flagged.loc[flagged["segment_var"] == "age_band", "flag"]) <= {
        "small_base",
        "low_base",
        "suppressed",
    }
    assert set(flagged_all.loc[flagged_all["segment_var"] == "age_band", "flag"]) == {
        "ok"
    }
    # every flag follows the person's own bases, down to hidden cells
    tiny = GrantedSource(
        demo_store, Grants.of(segments={"country": ["FR"], "age_band": ["18-24"]})
    )
    cut = estimate(tiny, ["Demo-2025"], [metric], ["gender"], options=opts)
    expected = np.select(
        [cut["n"] < 10, cut["n"] < 30, cut["n"] < small],
        ["suppressed", "low_base", "small_base"],
        "ok",
    )
    same = (cut["flag"] == expected) | (cut["flag"] == "degenerate")
    assert same.all(), cut[["segment_value", "n", "flag"]]
    assert "low_base" in set(cut["flag"]) or "suppressed" in set(cut["flag"])


class _Cache:
    """A cache like the dashboard's: whole-wave metric values ready."""

    def __init__(self, store):
        self.store = store

    def __getattr__(self, name):
        return getattr(self.store, name)

    def metric_values(self, name):
        frame = self.store.load_respondents([name])
        return {"row": np.arange(len(frame), dtype=float)}


def test_cached_metric_values_are_cut_with_the_rows(demo_store):
    cache = _Cache(demo_store)
    source = granted(cache, FR)
    assert isinstance(source, GrantedCache)
    assert not isinstance(granted(demo_store, FR), GrantedCache)
    values = source.metric_values("Demo-2025")["row"]
    frame = demo_store.load_respondents(["Demo-2025"])
    assert values.tolist() == np.flatnonzero(frame["country"] == "FR").tolist()


# -- the store acting for a person, the journal, the command line -------------------------


@pytest.fixture
def store_copy(demo_store_path, tmp_path):
    """A copy of the demo store (with its key) that a test may change."""
    path = tmp_path / "store.duckdb"
    shutil.copyfile(demo_store_path, path)
    shutil.copyfile(f"{demo_store_path}.key", f"{path}.key")
    return path


def test_changes_are_checked_and_named(store_copy):
    viewer = UserStore(store_copy, Access(_person("v@example.com"), "viewer"))
    with pytest.raises(AccessError, match="may not delete"):
        viewer.delete_wave("Demo-2017")
    with pytest.raises(AccessError, match="may not upload"):
        viewer.describe_wave("Demo-2017", "probability", Disclosure())
    analyst = UserStore(store_copy, Access(_person("a@example.com"), "analyst", FR))
    analyst.delete_wave("Demo-2017", actor="someone else")
    with pytest.raises(AccessError, match="may not purge"):
        analyst.purge_wave("Demo-2017")
    with pytest.raises(AccessError, match="among the waves you may see"):
        analyst.delete_wave("Segment-2017")
    with pytest.raises(AccessError, match="may not read audit"):
        analyst.audit()
    trail = audit_trail(UserStore(store_copy, Access(_person("x@y.z"), "admin")))
    assert trail.iloc[-6:][["action", "actor"]].values.tolist() == [
        ["denied", "v@example.com"],
        ["denied", "v@example.com"],
        ["delete", "a@example.com"],
        ["denied", "a@example.com"],
        ["denied", "a@example.com"],
        ["denied", "a@example.com"],
    ]
    deleted = trail[trail["action"] == "delete"]
    assert deleted["actor"].tolist() == ["a@example.com"]
    assert (trail["action"] == "denied").sum() == 5
    assert trail["happened_at"].is_monotonic_increasing


def test_journal_keeps_one_clean_line_per_entry(tmp_path):
    journal = Journal(tmp_path / "j.sqlite")
    journal.record("export", "a@b.c", "crosstab\nCSV " + "x" * 400, "W1")
    entries = journal.entries()
    assert entries[["action", "wave", "actor"]].values.tolist() == [
        ["export", "W1", "a@b.c"]
    ]
    assert "\n" not in entries["detail"][0] and len(entries["detail"][0]) == 300
    assert oct((tmp_path / "j.sqlite").stat().st_mode)[-3:] == "600"
    assert clean("a\tb\x00c") == "a b c"


def _cli(args, store, **env):
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args, "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )


def test_the_command_line_acts_for_the_person_named(store_copy, tmp_path):
    access = save_policy(
        Policy(rules=(Rule("marie@example.com", "viewer", FR),)),
        tmp_path / "access.yaml",
    )
    env = {"CONFIANCE_ACCESS": str(access)}
    marie = {**env, "CONFIANCE_USER": "marie@example.com"}
    listed = _cli(["waves", "--format", "json"], store_copy, **marie)
    assert listed.returncode == 0, listed.stderr
    assert "Segment-2017" not in {w["name"] for w in json.loads(listed.stdout)}
    shown = _cli(
        ["estimate", "--wave", "Demo-2025", "--by", "country", "--format", "json"],
        store_copy,
        **marie,
    )
    assert shown.returncode == 0, shown.stderr
    values = {r["segment_value"] for r in json.loads(shown.stdout)}
    assert values <= {"total", "FR"} and "FR" in values
    refused = _cli(["audit", "--format", "json"], store_copy, **marie)
    assert refused.returncode == 2 and "may not read audit" in refused.stderr
    stranger = _cli(["waves"], store_copy, **env, CONFIANCE_USER="eve@else.org")
    assert stranger.returncode == 2 and "matches no rule" in stranger.stderr
    owner = _cli(["audit", "--format", "json"], store_copy, **env)
    assert owner.returncode == 0, owner.stderr
    trail = json.loads(owner.stdout)
    assert {"happened_at", "action", "actor", "detail"} <= set(trail[0])
    assert trail[-1]["action"] == "denied" and trail[-1]["actor"] == "marie@example.com"


def test_cli_access_needs_a_rule():
    assert cli_access("boss@example.com", POLICY).role == "admin"
    with pytest.raises(AccessError, match="matches no rule"):
        cli_access("eve@else.org", Policy())


def test_a_new_rule_lands_among_rules_as_specific_and_changes_are_listed():
    before = POLICY
    added = before.with_rule(Rule("new@example.com", "analyst"))
    assert [r.who for r in added.rules][:2] == ["Boss@Example.com", "new@example.com"]
    group = before.with_rule(Rule("group:de", "viewer"))
    assert [r.who for r in group.rules].index("group:de") == 2
    changed = before.with_rule(rule_from_text("*", "analyst", "", "", "editor"))
    assert changed.rules[-1] == Rule("*", "analyst")
    assert changes(before, changed) == ["*: viewer -> analyst"]
    assert changes(before, before.without("*")) == ["removed *"]
    assert changes(before, added) == ["added new@example.com: analyst"]
    assert changes(before, before) == []


@pytest.mark.parametrize(
    ("waves", "rows", "grants"),
    [
        ("", "", Grants()),
        ("A, B", "", Grants.of(["A", "B"])),
        (
            "",
            "country=FR,DE; age_band = 18-24",
            Grants.of(segments={"country": ["FR", "DE"], "age_band": ["18-24"]}),
        ),
    ],
)
def test_editor_cells_become_a_rule_and_back(waves, rows, grants):
    rule = rule_from_text("x@y.z", "viewer", waves, rows, "editor")
    assert rule.grants == grants
    cells = rule_cells(rule)
    assert rule_from_text(*cells.values(), "editor") == rule


@pytest.mark.parametrize("rows", ["country", "country=", "=FR", "country=FR; age"])
def test_editor_rows_must_read_variable_equals_values(rows):
    with pytest.raises(AccessError, match="must read variable=value,value"):
        rule_from_text("x@y.z", "viewer", "", rows, "editor")
