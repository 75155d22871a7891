"""Who is using this session: the company's sign-in, the passphrase, or this machine.

Three modes, decided by the configuration on every run:

- **identity provider**: an ``[auth]`` section in ``.streamlit/secrets.toml``
  (Streamlit's own ``st.login``). Nothing is shown before sign-in; the access
  file gives the signed-in person a role and grants, or refuses them.
- **passphrase**: ``$CONFIANCE_ANALYST_PASSWORD_HASH`` set, for one person on
  a laptop. Anyone reaching the app browses as a viewer; whoever gives their
  name and the passphrase gets the file's ``passphrase_role``. Failed
  attempts are throttled per session and across the server.
- **local**: neither; the app listens on 127.0.0.1 and this machine's user
  gets the file's ``local_role`` (a viewer only, if the app was opened up).

The access is worked out afresh on every run (a role change applies at the
next page load). A different person in the same session starts from an empty
session, so nobody sees another's choices or exports. Sign-ins, failed and
refused sign-ins and sign-outs go to the access journal; the passphrase and
its hash never do, nor any log.
"""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

import streamlit as st

from analysis import config
from analysis.access.journal import Journal
from analysis.access.people import Access, Person
from analysis.access.policy import Policy, load_policy, person_from_claims
from analysis.auth import Throttle, check_name, verify_passphrase
from analysis.errors import AccessError
from analysis.i18n import Lang, Words

Mode = Literal["oidc", "passphrase", "local", "open"]
_WHO = "_signed_in_as"
_PASSPHRASE_PERSON = "_passphrase_person"
_WORDS = Words(
    {
        "welcome": (
            "Sign in with your company account to see Confiance.",
            "Connectez-vous avec votre compte d'entreprise pour voir Confiance.",
        ),
        "sign_in_with": ("Sign in with {provider}", "Se connecter avec {provider}"),
        "sign_in": ("Sign in", "Se connecter"),
        "sign_out": ("Sign out", "Se déconnecter"),
        "refused": (
            "You are signed in as {who}, but the access file gives you no role. "
            "Ask an administrator to add you.",
            "Vous êtes connecté en tant que {who}, mais le fichier d'accès ne vous "
            "donne aucun rôle. Demandez à un administrateur de vous ajouter.",
        ),
        "signed_in": ("Signed in as {who} ({role}).", "Connecté : {who} ({role})."),
        "sees": ("You see: {grants}.", "Vous voyez : {grants}."),
        "browsing": (
            "Browsing as a viewer. Analysts sign in below.",
            "Consultation en lecture. Les analystes se connectent ci-dessous.",
        ),
        "name": ("Your name (for the audit trail)", "Votre nom (pour le journal)"),
        "passphrase": ("Passphrase", "Phrase secrète"),
        "wrong": ("Wrong passphrase.", "Phrase secrète incorrecte."),
        "wait": (
            "Too many failed attempts: try again in {seconds} s.",
            "Trop d'essais manqués : réessayez dans {seconds} s.",
        ),
        "open_local": (
            "No sign-in is configured: this machine's user works as {role}; the app "
            "listens on 127.0.0.1 only.",
            "Aucune connexion n'est configurée : l'utilisateur de cette machine "
            "travaille en tant que {role} ; l'appli n'écoute que sur 127.0.0.1.",
        ),
        "set_sign_in": (
            "This app is reachable beyond this machine and no sign-in is configured, "
            "so everyone browses as a viewer. Configure [auth] in "
            ".streamlit/secrets.toml or CONFIANCE_ANALYST_PASSWORD_HASH.",
            "L'appli est joignable hors de cette machine sans connexion configurée : "
            "tout le monde consulte en lecture. Configurez [auth] dans "
            ".streamlit/secrets.toml ou CONFIANCE_ANALYST_PASSWORD_HASH.",
        ),
        "viewer": ("viewer", "lecteur"),
        "analyst": ("analyst", "analyste"),
        "admin": ("admin", "administrateur"),
    }
)


@st.cache_resource
def throttle() -> Throttle:
    """The server's one brake on passphrase guessing, shared by every session."""
    return Throttle()


def journal() -> Journal:
    """The access journal of the store this app reads."""
    return Journal.beside(config.store_path())


def _auth_section() -> Mapping[str, Any] | None:
    try:
        section = st.secrets.get("auth")
    except FileNotFoundError:  # no secrets file at all
        return None
    return section if isinstance(section, Mapping) and section else None


def providers() -> list[str]:
    """The identity providers configured: named sections, or the unnamed default."""
    section = _auth_section() or {}
    named = [
        k for k, v in section.items() if isinstance(v, Mapping) and "client_id" in v
    ]
    return named or (["default"] if "client_id" in section else [])


def mode() -> Mode:
    """How people sign in here, from the configuration."""
    if providers():
        return "oidc"
    if config.passphrase_hash():
        return "passphrase"
    address = str(st.get_option("server.address") or "")
    local = address in {"127.0.0.1", "localhost", "::1"} or address.startswith("127.")
    return "local" if local else "open"


def current(lang: Lang) -> Access:
    """The session's access; draws the sign-in screen and stops when there is none."""
    policy = load_policy()
    chosen = mode()
    if chosen == "oidc":
        access = _provider_access(policy, lang)
    elif chosen == "passphrase":
        person = st.session_state.get(_PASSPHRASE_PERSON)
        access = (
            Access(person, policy.passphrase_role)
            if isinstance(person, Person)
            else Access(Person("anonymous", via="local"), "viewer")
        )
    elif chosen == "local":
        access = Access(Person(_local_user(), via="local"), policy.local_role)
    else:
        access = Access(Person("anonymous", via="local"), "viewer")
    _same_person(access)
    return access


def _local_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local-user"


def _provider_access(policy: Policy, lang: Lang) -> Access:
    """The signed-in person's access, or the sign-in or refusal screen."""
    if not st.user.get("is_logged_in"):
        st.title("Confiance")
        st.write(_WORDS("welcome", lang))
        for name in providers():
            label = name.title() if name != "default" else _WORDS("sign_in", lang)
            if st.button(
                _WORDS("sign_in_with", lang, provider=label), key=f"login_{name}"
            ):
                st.login(None if name == "default" else name)
        st.stop()
    person = person_from_claims(st.user.to_dict(), policy.groups_claim)
    access = policy.access_for(person)
    if access is None:
        if st.session_state.get(_WHO) != f"refused:{person.actor}":
            st.session_state[_WHO] = f"refused:{person.actor}"
            journal().record("sign-in-refused", person.actor, "no rule admits them")
        st.error(_WORDS("refused", lang, who=person.actor))
        if st.button(_WORDS("sign_out", lang), key="sign_out"):
            journal().record("sign-out", person.actor)
            st.logout()
        st.stop()
    return access


def _same_person(access: Access) -> None:
    """Start from an empty session when another person takes over this one."""
    who = f"{access.person.via}:{access.actor}"
    before = st.session_state.get(_WHO)
    if before == who:
        return
    if before is not None:
        keep = st.session_state.get(_PASSPHRASE_PERSON)
        for key in list(st.session_state.keys()):
            del st.session_state[key]
        if keep is not None:
            st.session_state[_PASSPHRASE_PERSON] = keep
    st.session_state[_WHO] = who
    if access.person.via == "oidc":
        _journal_sign_in(access)


def _journal_sign_in(access: Access) -> None:
    """Journal a sign-in once per identity token, not once per browser tab or reload.

    Each page load opens a new session that reads the same cookie; the token's
    issue time (``iat``) tells a new sign-in from a session of the same one.
    """
    detail = f"identity provider, {access.role}"
    issued = st.user.get("iat")
    if isinstance(issued, int | float):
        when = datetime.fromtimestamp(issued, UTC).strftime("%Y-%m-%d %H:%M:%S")
        detail += f"; token issued {when} UTC"
        if journal().has("sign-in", access.actor, detail):
            return
    journal().record("sign-in", access.actor, detail)


def panel(access: Access, lang: Lang) -> None:
    """The sidebar's part: who is here, what they see, and signing in or out."""
    st.divider()
    chosen = mode()
    role = _WORDS(access.role, lang)
    if chosen == "local":
        st.caption(_WORDS("open_local", lang, role=role))
        return
    if chosen == "open":
        st.caption(_WORDS("set_sign_in", lang))
        return
    if chosen == "passphrase" and access.person.via != "passphrase":
        st.caption(_WORDS("browsing", lang))
        _passphrase_form(lang)
        return
    st.caption(_WORDS("signed_in", lang, who=access.person.name, role=role))
    if not access.grants.everything:
        st.caption(_WORDS("sees", lang, grants=access.grants.describe()))
    if st.button(_WORDS("sign_out", lang), key="sign_out"):
        _sign_out(access, chosen)


def _sign_out(access: Access, chosen: Mode) -> None:
    """Clear the whole session (and the provider's cookie) and start again."""
    journal().record("sign-out", access.actor)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if chosen == "oidc":
        st.logout()  # redirects through the provider; a rerun could drop that
        st.stop()
    st.rerun()


def _passphrase_form(lang: Lang) -> None:
    with st.form("login", border=False):
        name = st.text_input(_WORDS("name", lang), max_chars=80)
        passphrase = st.text_input(_WORDS("passphrase", lang), type="password")
        if st.form_submit_button(_WORDS("sign_in", lang)):
            message = _try_passphrase(name, passphrase, lang)
            if message is None:
                st.rerun()
            st.error(message)


def _try_passphrase(name: str, passphrase: str, lang: Lang) -> str | None:
    """Check one attempt; None when signed in, else the sentence to show."""
    session = st.session_state.setdefault("_throttle_id", uuid.uuid4().hex)
    brake = throttle()
    try:
        given = check_name(name)
    except AccessError as exc:
        return str(exc)
    actor = f"passphrase:{given}"
    wait = brake.wait(session)
    if wait > 0:
        journal().record("sign-in-failed", actor, f"throttled ({wait:.0f} s left)")
        return _WORDS("wait", lang, seconds=f"{wait:.0f}")
    stored = config.passphrase_hash() or ""
    if not verify_passphrase(passphrase, stored):
        brake.failed(session)
        journal().record("sign-in-failed", actor, "wrong passphrase")
        return _WORDS("wrong", lang)
    brake.succeeded(session)
    st.session_state[_PASSPHRASE_PERSON] = Person(given, via="passphrase")
    journal().record("sign-in", actor, "passphrase")
    return None
