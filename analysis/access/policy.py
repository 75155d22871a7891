"""The access file: who gets which role and which rows, read top to bottom.

``data/access.yaml`` (or ``$CONFIANCE_ACCESS``) holds rules; the first rule
that matches a signed-in person decides their role and grants, so put e-mails
before groups and domains. ``who`` is an e-mail, ``@domain``, ``group:NAME``
(from the provider's group claim) or ``*`` (anyone signed in). A person no
rule matches is refused. The file is read on every page load, so a change
takes effect at the next one; an admin edits it in the app (audited).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from analysis import config
from analysis.access.grants import Grants
from analysis.access.people import ROLES, Access, Person, Role
from analysis.errors import AccessError

_HEADER = """\
# Who may use Confiance: the first rule that matches a signed-in person decides
# their role (viewer, analyst, admin) and what they may see (waves, rows).
# who: an e-mail, "@domain", "group:NAME" (the provider's group claim) or "*".
"""


@dataclass(frozen=True)
class Rule:
    """One line of the access file: who, their role, and their grants."""

    who: str
    role: Role
    grants: Grants = field(default_factory=Grants)

    def matches(self, person: Person) -> bool:
        """Whether this rule is about ``person`` (e-mails only when verified)."""
        who = self.who.strip().lower()
        email = person.email.lower() if person.email_verified else ""
        if who == "*":
            return True
        if who.startswith("group:"):
            return self.who.strip()[6:] in person.groups
        if who.startswith("@"):
            return bool(email) and email.endswith(who)
        return bool(email) and email == who


@dataclass(frozen=True)
class Policy:
    """Every rule, and the roles of the two sign-ins that have no identity provider."""

    rules: tuple[Rule, ...] = ()
    passphrase_role: Role = "admin"
    local_role: Role = "admin"
    groups_claim: str = "groups"

    def access_for(self, person: Person) -> Access | None:
        """The first matching rule's role and grants, or None: not allowed in."""
        for rule in self.rules:
            if rule.matches(person):
                return Access(person, rule.role, rule.grants)
        return None

    def with_rules(self, rules: Sequence[Rule]) -> Policy:
        """The same policy with other rules (an admin's edit)."""
        return replace(self, rules=tuple(rules))

    def with_rule(self, rule: Rule) -> Policy:
        """The policy with ``rule`` replacing the one for the same ``who``, or added.

        A new rule goes after the rules as specific as it and before the less
        specific ones (e-mails, then groups, then domains, then ``*``), so it
        takes effect where an admin expects.
        """
        rules = list(self.rules)
        same = [i for i, r in enumerate(rules) if r.who == rule.who]
        if same:
            rules[same[0]] = rule
        else:
            rank = _specificity(rule.who)
            at = next(
                (i for i, r in enumerate(rules) if _specificity(r.who) > rank),
                len(rules),
            )
            rules.insert(at, rule)
        return self.with_rules(rules)

    def without(self, who: str) -> Policy:
        """The policy without the rule for ``who``."""
        return self.with_rules([r for r in self.rules if r.who != who])

    def as_dict(self) -> dict[str, Any]:
        """The policy as the file holds it."""
        return {
            "passphrase_role": self.passphrase_role,
            "local_role": self.local_role,
            "groups_claim": self.groups_claim,
            "rules": [_rule_dict(rule) for rule in self.rules],
        }


def _specificity(who: str) -> int:
    """0 for an e-mail, 1 a group, 2 a domain, 3 anyone."""
    text = who.strip()
    if text == "*":
        return 3
    if text.startswith("@"):
        return 2
    return 1 if text.startswith("group:") else 0


def _rule_dict(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {"who": rule.who, "role": rule.role}
    if rule.grants.waves is not None:
        out["waves"] = sorted(rule.grants.waves)
    if rule.grants.segments:
        out["rows"] = {var: sorted(values) for var, values in rule.grants.segments}
    return out


def person_from_claims(
    claims: Mapping[str, Any], groups_claim: str = "groups"
) -> Person:
    """A person from an OpenID Connect identity token's claims (``st.user``)."""
    email = str(claims.get("email") or "").strip().lower()
    raw = claims.get(groups_claim) or ()
    groups = (raw,) if isinstance(raw, str) else tuple(str(g) for g in raw)
    name = str(claims.get("name") or email or claims.get("sub") or "")
    return Person(
        name=name,
        email=email,
        groups=groups,
        via="oidc",
        email_verified=claims.get("email_verified") is not False,
    )


def load_policy(path: Path | None = None) -> Policy:
    """The access file; a missing file is an empty policy (nobody signs in by name)."""
    where = path or config.access_path()
    try:
        text = where.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Policy()
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise AccessError(f"{where}: not valid YAML ({exc})") from None
    return parse_policy(data or {}, str(where))


def parse_policy(data: object, where: str = "access file") -> Policy:
    """Check and read the access file's content; errors name the rule and field."""
    if not isinstance(data, Mapping):
        raise AccessError(
            f"{where}: expected a mapping with 'rules', got {type(data).__name__}"
        )
    rules = data.get("rules")
    rules = [] if rules is None else rules
    if not isinstance(rules, list):
        raise AccessError(f"{where}: 'rules' must be a list")
    return Policy(
        rules=tuple(
            _rule(item, f"{where}, rule {i}") for i, item in enumerate(rules, 1)
        ),
        passphrase_role=_role(data.get("passphrase_role", "admin"), where),
        local_role=_role(data.get("local_role", "admin"), where),
        groups_claim=str(data.get("groups_claim") or "groups"),
    )


def _role(value: object, where: str) -> Role:
    if value not in ROLES:
        raise AccessError(
            f"{where}: role ({value!r}) must be one of {', '.join(ROLES)}"
        )
    return value


def _rule(item: object, where: str) -> Rule:
    if not isinstance(item, Mapping):
        raise AccessError(f"{where}: expected who/role, got {item!r}")
    unknown = set(item) - {"who", "role", "waves", "rows"}
    if unknown:
        raise AccessError(
            f"{where}: unknown field(s) {sorted(unknown)}; use who, role, waves, rows"
        )
    who = str(item.get("who") or "").strip()
    if not who:
        raise AccessError(f"{where}: 'who' is missing")
    waves = item.get("waves")
    rows = item.get("rows") or {}
    if waves is not None and not _strings(waves):
        raise AccessError(f"{where}: 'waves' must be a list of wave names")
    if not isinstance(rows, Mapping) or not all(_strings(v) for v in rows.values()):
        raise AccessError(
            f"{where}: 'rows' must map a segment variable to a list of values"
        )
    return Rule(who, _role(item.get("role"), where), Grants.of(waves, rows))


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str | int) for v in value)


def save_policy(policy: Policy, path: Path | None = None) -> Path:
    """Write the access file atomically: a reader sees the old or the new one."""
    where = path or config.access_path()
    where.parent.mkdir(parents=True, exist_ok=True)
    text = _HEADER + yaml.safe_dump(
        policy.as_dict(), sort_keys=False, allow_unicode=True
    )
    parse_policy(
        yaml.safe_load(text), str(where)
    )  # never write what cannot be read back
    handle, temporary = tempfile.mkstemp(dir=where.parent, prefix=f".{where.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, where)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return where


def rule_from_text(who: str, role: str, waves: str, rows: str, where: str) -> Rule:
    """A rule from the role editor's cells.

    ``waves`` reads ``A, B`` (empty: every wave); ``rows`` reads
    ``country=FR,DE; age_band=18-24`` (empty: every row).
    """
    pairs: dict[str, list[str]] = {}
    for part in filter(None, (p.strip() for p in rows.split(";"))):
        var, sep, values = part.partition("=")
        listed = [v.strip() for v in values.split(",") if v.strip()]
        if not sep or not var.strip() or not listed:
            raise AccessError(
                f"{where}: rows ({part!r}) must read variable=value,value; "
                "e.g. country=FR,DE"
            )
        pairs[var.strip()] = listed
    names = [w.strip() for w in waves.split(",") if w.strip()]
    item: dict[str, object] = {"who": who, "role": role}
    if names:
        item["waves"] = names
    if pairs:
        item["rows"] = pairs
    return _rule(item, where)


def rule_cells(rule: Rule) -> dict[str, str]:
    """The role editor's cells of a rule (the reverse of :func:`rule_from_text`)."""
    grants = rule.grants
    return {
        "who": rule.who,
        "role": rule.role,
        "waves": "" if grants.waves is None else ", ".join(sorted(grants.waves)),
        "rows": "; ".join(
            f"{var}={','.join(sorted(values))}" for var, values in grants.segments
        ),
    }


def changes(before: Policy, after: Policy) -> list[str]:
    """What an edit changed, one short line per person or group, for the audit."""
    old = {r.who: r for r in before.rules}
    new = {r.who: r for r in after.rules}
    lines = [f"removed {who}" for who in sorted(old.keys() - new.keys())]
    for who, rule in new.items():
        if who not in old:
            lines.append(f"added {who}: {_summary(rule)}")
        elif old[who] != rule:
            lines.append(f"{who}: {_summary(old[who])} -> {_summary(rule)}")
    kept_before = [r.who for r in before.rules if r.who in new]
    kept_after = [r.who for r in after.rules if r.who in old]
    if kept_before != kept_after:
        lines.append("reordered")
    return lines


def _summary(rule: Rule) -> str:
    cells = rule_cells(rule)
    return " ".join(cells[k] for k in ("role", "waves", "rows") if cells[k])
