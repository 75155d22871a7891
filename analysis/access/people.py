"""Who is acting and what their role lets them do.

Three roles, each able to do everything the one before can: a ``viewer``
browses and exports; an ``analyst`` also uploads, weights, defines metrics,
deletes and restores waves; an ``admin`` also purges, erases respondents,
manages roles and backups and reads the audit trail. :class:`Access` is the
one answer pages and commands ask (``access.can("upload")``), and the store
acting for a person asks it again before each change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from analysis.access.grants import EVERYTHING, Grants
from analysis.errors import AccessError

Role = Literal["viewer", "analyst", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
"""The roles, weakest first."""

Action = Literal[
    "browse",
    "export",
    "upload",
    "weight",
    "define_metric",
    "delete",
    "restore",
    "purge",
    "erase",
    "manage_roles",
    "backup",
    "read_audit",
]
ACTIONS: tuple[Action, ...] = get_args(Action)

LEAST_ROLE: dict[Action, Role] = {
    "browse": "viewer",
    "export": "viewer",
    "upload": "analyst",
    "weight": "analyst",
    "define_metric": "analyst",
    "delete": "analyst",
    "restore": "analyst",
    "purge": "admin",
    "erase": "admin",
    "manage_roles": "admin",
    "backup": "admin",
    "read_audit": "admin",
}
"""The weakest role allowed each action."""

SignIn = Literal["oidc", "passphrase", "local", "cli"]


@dataclass(frozen=True)
class Person:
    """Someone using Confiance, as their sign-in tells."""

    name: str
    email: str = ""
    groups: tuple[str, ...] = ()
    via: SignIn = "oidc"
    email_verified: bool = True
    """False when the provider says the e-mail is unverified: then only groups match."""

    @property
    def actor(self) -> str:
        """What the audit trail records: the e-mail, else the sign-in and the name."""
        return self.email or f"{self.via}:{self.name}"


@dataclass(frozen=True)
class Access:
    """A person, their role and what rows they may see."""

    person: Person
    role: Role
    grants: Grants = EVERYTHING

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise AccessError(f"role ({self.role!r}) must be one of {', '.join(ROLES)}")

    def can(self, action: Action) -> bool:
        """Whether this person's role allows ``action``."""
        if action not in LEAST_ROLE:
            raise ValueError(f"action ({action!r}) must be one of {', '.join(ACTIONS)}")
        return ROLES.index(self.role) >= ROLES.index(LEAST_ROLE[action])

    def require(self, action: Action) -> None:
        """Refuse ``action`` with one sentence unless the role allows it."""
        if not self.can(action):
            raise AccessError(
                f"{self.person.actor} is a {self.role} and may not "
                f"{action.replace('_', ' ')} (needs {LEAST_ROLE[action]}); "
                "ask an administrator"
            )

    @property
    def actor(self) -> str:
        """The person's name in the audit trail."""
        return self.person.actor
