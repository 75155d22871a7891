import subprocess
import sys

import pytest

from analysis.auth import hash_passphrase, verify_passphrase
from analysis.errors import SurveyDataError


def test_right_passphrase_verifies_and_wrong_does_not():
    stored = hash_passphrase("correct horse battery")
    assert stored.startswith("scrypt$16384$8$1$")
    assert verify_passphrase("correct horse battery", stored)
    assert not verify_passphrase("correct horse battery!", stored)
    assert not verify_passphrase("", stored)


def test_salt_makes_every_hash_different():
    assert hash_passphrase("same passphrase") != hash_passphrase("same passphrase")


@pytest.mark.parametrize("stored", ["", "plain", "md5$1$2$3$x$y", "scrypt$a$b$c$d$e"])
def test_malformed_hashes_never_verify(stored):
    assert not verify_passphrase("anything at all", stored)


def test_short_passphrase_is_refused():
    with pytest.raises(SurveyDataError, match="at least 10 characters"):
        hash_passphrase("short")


def test_command_prints_an_export_line_that_verifies():
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "passphrase"],
        input="a long analyst passphrase\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip()
    assert line.startswith("export CONFIANCE_ANALYST_PASSWORD_HASH='")
    assert verify_passphrase("a long analyst passphrase", line.split("'")[1])
