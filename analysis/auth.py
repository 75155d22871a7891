"""The passphrase sign-in: a scrypt hash, a given name, and a brake on guessing.

For one person on a laptop, without an identity provider. The hash lives in
``$CONFIANCE_ANALYST_PASSWORD_HASH`` as ``scrypt$<n>$<r>$<p>$<salt>$<key>``
(salt and key in base64), made by ``python -m analysis passphrase``.
Comparison is constant-time. Whoever signs in gives a name, which the audit
trail records (:func:`check_name`). Failed attempts slow further ones down
(:class:`Throttle`), per session and across the server. Neither the passphrase
nor its hash is ever logged or written to the audit trail.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
import unicodedata
from collections import deque
from collections.abc import Callable

from analysis import config
from analysis.errors import AccessError, SurveyDataError

_N, _R, _P, _KEY_LEN = 2**14, 8, 1, 32
_MIN_LENGTH = 10
_NAME_MAX = 80


def hash_passphrase(passphrase: str, *, salt: bytes | None = None) -> str:
    """A scrypt hash of ``passphrase``, for ``$CONFIANCE_ANALYST_PASSWORD_HASH``."""
    if len(passphrase) < _MIN_LENGTH:
        raise SurveyDataError(
            f"the passphrase must have at least {_MIN_LENGTH} characters"
        )
    salt = salt or secrets.token_bytes(16)
    key = hashlib.scrypt(
        passphrase.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=_KEY_LEN
    )
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(key).decode()}"


def verify_passphrase(passphrase: str, stored: str) -> bool:
    """Whether ``passphrase`` matches ``stored``, compared in constant time."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key, validate=True)
        candidate = hashlib.scrypt(
            passphrase.encode(),
            salt=base64.b64decode(salt, validate=True),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate, expected)


def configured_hash() -> str | None:
    """The analyst hash from the environment, or None when analyst actions are open."""
    return config.passphrase_hash()


def check_name(name: str) -> str:
    """The name a person gives at sign-in, trimmed; refused if empty, long or odd.

    Letters of any script, digits, space and ``.-_'@`` only, at most 80
    characters, so the audit trail shows a name and nothing else.
    """
    given = " ".join(name.split())
    if not given:
        raise AccessError("give your name: the audit trail records who signed in")
    if len(given) > _NAME_MAX:
        raise AccessError(f"the name is longer than {_NAME_MAX} characters")
    odd = sorted(
        {c for c in given if not (unicodedata.category(c)[0] in "LN" or c in " .-_'@")}
    )
    if odd:
        raise AccessError(
            f"the name may hold letters, digits, spaces and .-_'@ only, not {odd}"
        )
    return given


class Throttle:
    """Growing delays after failed sign-ins, per session and across the server.

    After ``k`` failures a session waits ``base · 2^(k-1)`` seconds (capped)
    before its next attempt is even checked. Across the server, failures in
    the last ``window`` seconds beyond ``free`` make every session wait
    ``base · 2^(extra-1)`` (capped), so opening new sessions does not reset
    the brake. A success clears the session's count, not the server's.
    Thread-safe: Streamlit runs each session in its own thread.
    """

    def __init__(
        self,
        *,
        base: float = 1.0,
        cap: float = 300.0,
        free: int = 10,
        window: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base, self.cap, self.free, self.window = base, cap, free, window
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, tuple[int, float]] = {}
        self._recent: deque[float] = deque()

    def _delay(self, count: int) -> float:
        return 0.0 if count <= 0 else min(self.cap, self.base * 2 ** (count - 1))

    def wait(self, session: str) -> float:
        """Seconds before ``session`` may try again (0: now)."""
        with self._lock:
            now = self._clock()
            while self._recent and self._recent[0] < now - self.window:
                self._recent.popleft()
            count, last = self._sessions.get(session, (0, now))
            mine = last + self._delay(count) - now
            latest = self._recent[-1] if self._recent else now
            overall = latest + self._delay(len(self._recent) - self.free) - now
            return max(0.0, mine, overall)

    def failed(self, session: str) -> None:
        """Count a failed attempt."""
        with self._lock:
            now = self._clock()
            count, _ = self._sessions.get(session, (0, now))
            self._sessions[session] = (count + 1, now)
            self._recent.append(now)

    def succeeded(self, session: str) -> None:
        """Forget ``session``'s failures."""
        with self._lock:
            self._sessions.pop(session, None)
