"""Role checks of every page under each sign-in, as Streamlit's AppTest runs them.

The identity provider is simulated with ``at.user`` (the claims ``st.user``
holds after ``st.login``) and an ``[auth]`` section in ``at.secrets``; the
real provider is in test_auth_browser.py.
"""

import logging
import os
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.access.grants import Grants
from analysis.access.journal import Journal
from analysis.access.policy import Policy, Rule, save_policy
from analysis.auth import hash_passphrase

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")
PAGES = sorted(p.name for p in (ROOT / "dashboard" / "app_pages").glob("*.py"))
ANALYSTS_ONLY = {"upload.py", "weighting.py"}  # not even registered for a viewer
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a cookie secret for the tests only",
    "company": {
        "client_id": "confiance",
        "client_secret": "secret",
        "server_metadata_url": "http://localhost:1/.well-known/openid-configuration",
    },
}
RULES = (
    Rule("admin@example.com", "admin"),
    Rule("analyst@example.com", "analyst"),
    Rule("group:fr", "viewer", Grants.of(segments={"country": ["FR"]})),
    Rule("@example.com", "viewer"),
)
PASSPHRASE = "laptop passphrase 42"


@pytest.fixture
def site(demo_store_path, tmp_path, monkeypatch):
    """A copy of the demo store and an access file, named by the environment."""
    store = tmp_path / "store.duckdb"
    shutil.copyfile(demo_store_path, store)
    shutil.copyfile(f"{demo_store_path}.key", f"{store}.key")
    access = save_policy(Policy(rules=RULES), tmp_path / "access.yaml")
    monkeypatch.setenv("CONFIANCE_STORE", str(store))
    monkeypatch.setenv("CONFIANCE_ACCESS", str(access))
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    monkeypatch.delenv("CONFIANCE_ACCESS_LOG", raising=False)
    return store


def _journal(store):
    return Journal.beside(store).entries()


def _app(claims=None, **params):
    app = AppTest.from_file(APP, default_timeout=90)
    app.secrets["auth"] = AUTH
    app.user = (
        {"is_logged_in": False} if claims is None else {"is_logged_in": True, **claims}
    )
    for key, value in params.items():
        app.query_params[key] = value
    return app


def _visit(app, page):
    app.run()
    if page != "overview.py":
        app.switch_page(f"app_pages/{page}").run()
    assert not app.exception, app.exception
    assert not [e.value for e in app.error if "reference" in e.value]
    return app


def _uploads(app):
    """The file uploaders but the deck template's (an export, every role has it)."""
    return [u for u in app.get("file_uploader") if u.key != "deck_template"]


def _texts(app):
    return " ".join(
        str(e.value) for e in [*app.markdown, *app.caption, *app.warning, *app.info]
    )


# -- the identity provider -----------------------------------------------------------


def test_nothing_shows_before_sign_in(site):
    app = _visit(_app(), "overview.py")
    assert [b.label for b in app.button] == ["Sign in with Company"]
    assert not app.get("plotly_chart") and not app.dataframe
    assert not app.sidebar.selectbox  # not even the wave list


def test_a_sign_in_is_journaled_once_per_token_not_per_page_load(site):
    token = {**VIEWER, "iat": 1_790_000_000}
    for _ in range(3):  # three tabs or reloads: three sessions, one cookie
        _visit(_app(token), "overview.py")
    _visit(_app({**token, "iat": 1_790_003_600}), "overview.py")  # signed in again
    signed = _journal(site).query("action == 'sign-in'")
    assert signed["detail"].tolist() == [
        "identity provider, viewer; token issued 2026-09-21 14:13:20 UTC",
        "identity provider, viewer; token issued 2026-09-21 15:13:20 UTC",
    ]


def test_a_person_no_rule_admits_is_refused_and_journaled_once(site):
    app = _app({"email": "eve@elsewhere.org", "name": "Eve"})
    _visit(app, "overview.py")
    assert "gives you no role" in app.error[0].value
    assert not app.get("plotly_chart") and not app.sidebar.selectbox
    app.run()
    refused = _journal(site).query("action == 'sign-in-refused'")
    assert refused["actor"].tolist() == ["eve@elsewhere.org"]


VIEWER = {"email": "vera@example.com", "name": "Vera"}
ANALYST = {"email": "analyst@example.com", "name": "Ana"}
ADMIN = {"email": "admin@example.com", "name": "Ada"}
FR_MANAGER = {"email": "marie@example.com", "name": "Marie", "groups": ["fr"]}


@pytest.mark.parametrize("page", PAGES)
def test_a_viewer_browses_every_page_but_changes_nothing(site, page):
    if page in ANALYSTS_ONLY:  # not registered for a viewer:
        # a typed URL opens no upload or weighting page
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            _visit(_app(VIEWER), page)
        return
    app = _visit(_app(VIEWER), page)
    assert not _uploads(app)
    assert not [b for b in app.button if b.label.startswith(("Delete", "Restore"))]
    assert not [
        e for e in app.expander if e.label in {"Audit trail", "Roles and access"}
    ]
    if page == "upload.py":  # the URL typed by hand: the page refuses, journaled
        assert (
            "does not allow this page" in _texts(app) or app.title[0].value != "Upload"
        )


@pytest.mark.parametrize("page", PAGES)
def test_an_analyst_may_upload_delete_and_restore_but_not_administer(site, page):
    app = _visit(_app(ANALYST), page)
    if page == "upload.py":
        assert _uploads(app)
    if page == "waves.py":
        assert [b for b in app.button if b.label.startswith("Delete")]
        assert not [e for e in app.expander if e.label == "Roles and access"]


@pytest.mark.parametrize("page", PAGES)
def test_an_admin_reaches_every_page_and_administers_on_waves(site, page):
    app = _visit(_app(ADMIN), page)
    if page == "upload.py":
        assert _uploads(app)
    panels = {e.label for e in app.expander} & {"Audit trail", "Roles and access"}
    assert panels == (
        {"Audit trail", "Roles and access"} if page == "waves.py" else set()
    )


@pytest.mark.parametrize("page", PAGES)
def test_a_country_manager_opens_every_page_as_a_viewer(site, page):
    if page in ANALYSTS_ONLY:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            _visit(_app(FR_MANAGER), page)
        return
    app = _visit(_app(FR_MANAGER, by="country", f_country="DE"), page)
    assert "You see: country FR" in " ".join(c.value for c in app.sidebar.caption)
    assert not _uploads(app)
    assert not [b for b in app.button if b.label.startswith(("Delete", "Restore"))]


def test_an_analysts_delete_is_named_in_the_audit_trail(site):
    app = _visit(_app(ANALYST), "waves.py")
    next(b for b in app.button if b.key == "delete_Demo-2017").click().run()
    assert not app.exception
    admin = _visit(_app(ADMIN), "waves.py")
    labels = [e.label for e in admin.expander]
    assert "Audit trail" in labels and "Roles and access" in labels
    trail = next(d for d in admin.dataframe if "By" in d.value.columns).value
    deleted = trail[trail["Action"] == "delete"]
    assert deleted["By"].tolist() == ["analyst@example.com"]
    assert {"sign-in"} <= set(trail["Action"])


def test_an_admin_sets_a_rule_in_the_app_and_it_is_audited(site, tmp_path):
    admin = _visit(_app(ADMIN), "waves.py")
    admin.text_input(key="rule_who").input("vera@example.com")
    admin.radio(key="rule_role").set_value("analyst")
    next(b for b in admin.button if b.label == "Save the rule").click().run()
    assert not admin.exception
    assert "added vera@example\\.com\\: analyst" in admin.success[0].value
    roles = _journal(site).query("action == 'roles'")
    assert roles["actor"].tolist() == ["admin@example.com"]
    vera = _visit(_app(VIEWER), "overview.py")
    vera.switch_page("app_pages/upload.py").run()
    assert _uploads(vera)


def test_an_analyst_cannot_reach_the_role_editor(site):
    app = _visit(_app(ANALYST), "waves.py")
    assert not [t for t in app.text_input if t.key == "rule_who"]


def test_a_role_change_applies_at_the_next_page_load(site, tmp_path):
    app = _visit(_app({"email": "newcomer@example.com"}), "overview.py")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("app_pages/upload.py")
    save_policy(
        Policy(rules=(Rule("newcomer@example.com", "analyst"), *RULES)),
        tmp_path / "access.yaml",
    )
    app.run()
    app.switch_page("app_pages/upload.py").run()
    assert _uploads(app)


def test_another_person_in_the_same_session_starts_empty(site):
    app = _visit(_app(ANALYST), "overview.py")
    app.session_state["deck_file"] = (1, "PPTX", b"analyst's deck")
    app.user = {"is_logged_in": True, **VIEWER}
    app.run()
    assert "deck_file" not in app.session_state


# -- row-level access -----------------------------------------------------------------


def test_a_country_manager_sees_her_country_only_whatever_the_url(site):
    app = _app(FR_MANAGER, by="country", f_country="DE,FR", wave="Demo-2019")
    _visit(app, "crosstab.py")
    banner = app.dataframe[0].value
    header = " ".join(map(str, banner.columns))
    assert "FR" in header and not {"DE", "GB", "US"} & set(
        header.replace("(", " ").split()
    )
    country = next(m for m in app.sidebar.multiselect if "ountry" in m.label)
    assert country.options == ["FR"]
    assert "You see: country FR" in " ".join(c.value for c in app.sidebar.caption)


def test_the_reference_page_gives_a_country_manager_no_other_countrys_estimate(site):
    """Published figures are public (the codebook's); the wave's side is FR's alone."""
    app = _visit(_app(FR_MANAGER), "reference.py")
    table = app.dataframe[0].value
    wave = table.columns[5]  # the wave's own column, named after the wave
    geography = table.iloc[:, 1]
    other = table[geography.isin(["DE", "GB", "US"])]
    assert len(other) and set(other[wave]) == {"–"}
    assert (table.loc[geography == "FR", wave] != "–").all()


@pytest.mark.parametrize("page", ["overview.py", "segments.py", "trends.py"])
def test_a_country_managers_pages_name_no_other_country(site, page):
    app = _visit(_app(FR_MANAGER, by="country"), page)
    shown = " ".join(str(d.value.to_dict()) for d in app.dataframe)
    for chart in app.get("plotly_chart"):
        shown += str(chart.proto.spec)
    for other in ("'DE'", "'GB'", "'US'", '"DE"', '"GB"', '"US"'):
        assert other not in shown, (page, other)


# -- the passphrase, for one person on a laptop --------------------------------------------


@pytest.fixture
def laptop(site, monkeypatch):
    """The passphrase mode, no identity provider."""
    monkeypatch.setenv("CONFIANCE_ANALYST_PASSWORD_HASH", hash_passphrase(PASSPHRASE))
    return site


def _laptop_app():
    return AppTest.from_file(APP, default_timeout=90)


def _sign_in(app, name, passphrase):
    app.sidebar.text_input[0].input(name)
    app.sidebar.text_input[1].input(passphrase)
    app.sidebar.button[0].click().run()


def test_passphrase_sign_in_names_the_analyst_and_never_logs_the_secret(laptop, caplog):
    caplog.set_level(logging.DEBUG)
    app = _visit(_laptop_app(), "waves.py")
    assert not [b for b in app.button if b.label.startswith("Delete")]
    _sign_in(app, "Marie Curie", "not the passphrase")
    assert any("Wrong passphrase" in e.value for e in app.sidebar.error)
    _sign_in(app, "Marie Curie", PASSPHRASE)
    assert any("Too many failed attempts" in e.value for e in app.sidebar.error)
    entries = _journal(laptop)
    assert entries["action"].tolist() == ["sign-in-failed", "sign-in-failed"]
    assert set(entries["actor"]) == {"passphrase:Marie Curie"}
    stored = (laptop.parent / f"{laptop.name}.access.sqlite").read_bytes()
    secret_hash = os.environ["CONFIANCE_ANALYST_PASSWORD_HASH"]
    for secret in (PASSPHRASE, "not the passphrase", secret_hash, "scrypt$"):
        assert secret.encode() not in stored
        assert secret not in caplog.text


def test_passphrase_analyst_deletes_and_signs_out(laptop, monkeypatch):
    app = _visit(_laptop_app(), "waves.py")
    _sign_in(app, "Marie Curie", PASSPHRASE)
    assert not app.exception
    next(b for b in app.button if b.key == "delete_Demo-2017").click().run()
    assert not app.exception
    trail = _journal(laptop)
    assert trail["action"].tolist()[-1] == "sign-in"
    from analysis.store.wave_store import WaveStore

    audit = WaveStore(laptop).audit()
    assert audit["actor"].tolist()[-1] == "passphrase:Marie Curie"
    app.session_state["deck_file"] = (1, "PPTX", b"Marie's deck")
    next(b for b in app.sidebar.button if b.label == "Sign out").click().run()
    assert not app.exception
    assert "deck_file" not in app.session_state  # the session starts empty
    assert not [b for b in app.button if b.label.startswith(("Delete", "Restore"))]
    assert _journal(laptop)["action"].tolist()[-1] == "sign-out"


def test_an_odd_name_is_refused_before_the_passphrase_is_checked(laptop):
    app = _visit(_laptop_app(), "overview.py")
    _sign_in(app, "=HYPERLINK(1)", PASSPHRASE)
    assert any("letters, digits" in e.value for e in app.sidebar.error)
    assert len(_journal(laptop)) == 0


# -- no sign-in configured ------------------------------------------------------------------


def test_without_sign_in_the_local_user_works_as_admin(site):
    app = _visit(AppTest.from_file(APP, default_timeout=90), "upload.py")
    assert _uploads(app)
    assert any("127.0.0.1 only" in c.value for c in app.sidebar.caption)


def test_a_public_server_without_sign_in_is_read_only(site):
    from streamlit import config

    previous = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        app = _visit(AppTest.from_file(APP, default_timeout=90), "waves.py")
    finally:
        config.set_option("server.address", previous)
    assert any("no sign-in is configured" in c.value for c in app.sidebar.caption)
    assert not [b for b in app.button if b.label.startswith("Delete")]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("app_pages/upload.py")


# -- exports the browser would make on its own ------------------------------------------


def test_the_tables_own_export_is_off_even_without_the_config_file(site):
    """The CSV icon and copy of st.dataframe are not journaled: the app turns them off."""
    import tomllib

    from streamlit import config

    with (ROOT / ".streamlit" / "config.toml").open("rb") as handle:
        assert tomllib.load(handle)["client"]["disableDataExport"] is True
    config.set_option("client.disableDataExport", False)  # started elsewhere
    app = _visit(_app(ADMIN), "crosstab.py")
    assert config.get_option("client.disableDataExport") is True
    assert app.dataframe  # drawn, after the switch
    assert [b.label for b in app.get("download_button")][:2] == [
        "Download CSV",
        "Download Excel",
    ]
