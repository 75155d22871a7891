"""The analyst role: a passphrase checked against a scrypt hash.

The hash lives in ``$CONFIANCE_ANALYST_PASSWORD_HASH`` as
``scrypt$<n>$<r>$<p>$<salt>$<key>`` (salt and key in base64), made by
``python -m analysis passphrase``. Comparison is constant-time. With no hash
set, analyst actions are open to whoever reaches the app, which is why the app
then listens on 127.0.0.1 only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from analysis import config
from analysis.errors import SurveyDataError

_N, _R, _P, _KEY_LEN = 2**14, 8, 1, 32
_MIN_LENGTH = 10


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
