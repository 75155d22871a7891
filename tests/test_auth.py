import subprocess
import sys

import pytest

from analysis.auth import Throttle, check_name, hash_passphrase, verify_passphrase
from analysis.errors import AccessError, SurveyDataError


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


# -- the given name and the brake on guessing ---------------------------------------


@pytest.mark.parametrize(
    "name", ["Marie Curie", "  Élodie   d'Orléans ", "李雷", "a.b-c_d@x"]
)
def test_a_name_of_letters_is_taken_trimmed(name):
    assert check_name(name) == " ".join(name.split())


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "give your name"),
        ("   ", "give your name"),
        ("x" * 81, "longer than 80"),
        ("=HYPERLINK(1)", "letters, digits"),
        ("<b>me</b>", "letters, digits"),
        ("a\nb\u202e", "letters, digits"),
    ],
)
def test_odd_names_are_refused(name, message):
    with pytest.raises(AccessError, match=message):
        check_name(name)


class _Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_each_failure_doubles_the_session_wait_up_to_the_cap():
    clock = _Clock()
    throttle = Throttle(base=1, cap=8, free=100, clock=clock)
    assert throttle.wait("s") == 0
    waits = []
    for _ in range(6):
        throttle.failed("s")
        waits.append(throttle.wait("s"))
        clock.now += waits[-1]  # the next attempt comes as soon as allowed
    assert waits == [1, 2, 4, 8, 8, 8]
    assert throttle.wait("other") == 0  # another session is not slowed by one
    throttle.succeeded("s")
    assert throttle.wait("s") == 0


def test_failures_across_sessions_slow_every_session():
    clock = _Clock()
    throttle = Throttle(base=1, cap=60, free=3, window=600, clock=clock)
    for i in range(3):
        throttle.failed(f"s{i}")
        clock.now += 10
    assert throttle.wait("fresh") == 0  # within the free allowance
    throttle.failed("s3")
    assert throttle.wait("fresh") == 1
    throttle.failed("s4")
    throttle.failed("s5")
    assert throttle.wait("fresh") == 4
    clock.now += 601  # old failures leave the window
    assert throttle.wait("fresh") == 0
