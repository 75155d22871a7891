"""The sandboxed reader: same result as in-process, and crashes stay in the worker."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.config import IngestLimits, ingest_limits
from analysis.errors import IngestError, LimitError, SandboxError, SurveyDataError
from analysis.ingest.readers import read_survey
from analysis.ingest.sandbox import read_untrusted

DATA = Path(__file__).parents[1] / "data" / "ingest"
SEGFAULT = DATA / "regressions" / "spss_6_bytes_segfault.sav"
FIXTURES = [
    ("qualtrics_fr_text.csv", None),
    ("csv_en_utf16.txt", None),
    ("spss_en.sav", None),
    ("surveymonkey_fr.xlsx", None),
    ("excel_fr.xlsx", "Données"),
    ("toplines_fr.csv", None),
]


@pytest.mark.parametrize(("name", "sheet"), FIXTURES)
def test_the_worker_reads_what_the_reader_reads(name, sheet):
    here = read_survey(DATA / name, sheet=sheet)
    there = read_untrusted(DATA / name, sheet=sheet)
    pd.testing.assert_frame_equal(there.data, here.data)
    assert (there.format, there.sha256, there.encoding, there.sheet) == (
        here.format,
        here.sha256,
        here.encoding,
        here.sheet,
    )
    assert there.value_labels == here.value_labels


def test_an_upload_in_memory_reads_the_same():
    content = (DATA / "spss_en.sav").read_bytes()
    raw = read_untrusted("upload.sav", content=content)
    assert raw.file_name == "upload.sav" and raw.data.shape == (30, 15)


def test_the_corrupted_sav_really_kills_an_unsandboxed_reader():
    """The regression file is still a crash: without the sandbox, the process dies."""
    code = "import pyreadstat, sys; pyreadstat.read_sav(sys.argv[1])"
    done = subprocess.run(
        [sys.executable, "-c", code, str(SEGFAULT)], capture_output=True, timeout=60
    )
    if done.returncode >= 0:
        pytest.skip(f"pyreadstat no longer crashes on it (exit {done.returncode})")
    assert done.returncode == -11


def test_a_segfault_is_one_sentence_and_the_caller_lives_on():
    with pytest.raises(SandboxError) as caught:
        read_untrusted(SEGFAULT)
    assert caught.value.reason == "crash"
    assert str(caught.value) == (
        "spss_6_bytes_segfault.sav could not be read: the file reader crashed on "
        "it (segmentation fault), so the file is damaged or not what its name "
        "says; nothing was stored"
    )
    assert read_untrusted(DATA / "spss_en.sav").data.shape == (30, 15)


def test_a_reader_over_time_is_stopped():
    big = "id,share_caution\n" + "".join(f"r{i},{i % 5 + 1}\n" for i in range(200_000))
    with pytest.raises(SandboxError, match=r"stopped after 0\.01 s") as caught:
        read_untrusted(
            "slow.csv",
            content=big.encode(),
            limits=IngestLimits(reader_seconds=0.01),
        )
    assert caught.value.reason == "timeout"


def test_a_reader_over_memory_is_stopped():
    rows = "".join(f"r{i},{i % 5 + 1},{'x' * 40}\n" for i in range(400_000))
    content = ("id,share_caution,comment\n" + rows).encode()
    with pytest.raises(SandboxError, match="200 MB") as caught:
        read_untrusted(
            "wide.csv", content=content, limits=IngestLimits(reader_memory_mb=200)
        )
    assert caught.value.reason in {"memory", "crash"}
    assert "\n" not in str(caught.value)


def test_size_caps_come_before_the_worker(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"id,q\n" + b"r,1\n" * 5000)
    with pytest.raises(LimitError, match=r"big\.csv is 0\.0 MB; .* up to 0\.01 MB"):
        read_untrusted(path, limits=IngestLimits(max_file_mb=0.01))


@pytest.mark.parametrize(
    ("content", "limits", "message"),
    [
        (
            b"a,b,c\n1,2,3\n",
            IngestLimits(max_columns=2),
            r"has 3 columns; Confiance reads at most 2 \(the limit, "
            "CONFIANCE_MAX_COLUMNS",
        ),
        (
            b"id,comment\nr1," + b"x" * 3000 + b"\n",
            IngestLimits(max_cell_kb=2),
            r"row 2, column 2: a cell of 3,000 characters; .* up to 2 kB",
        ),
    ],
)
def test_column_and_cell_caps(content, limits, message):
    with pytest.raises(LimitError, match=message):
        read_untrusted("capped.csv", content=content, limits=limits)


def test_a_missing_file_is_one_sentence(tmp_path):
    with pytest.raises(IngestError, match=r"cannot read .*nope\.csv"):
        read_untrusted(tmp_path / "nope.csv")


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("CONFIANCE_MAX_FILE_MB", "12.5")
    monkeypatch.setenv("CONFIANCE_MAX_COLUMNS", "300")
    limits = ingest_limits()
    assert limits.max_file_bytes == int(12.5 * 2**20) and limits.max_columns == 300
    assert limits.reader_memory_mb == IngestLimits().reader_memory_mb
    monkeypatch.setenv("CONFIANCE_READER_SECONDS", "soon")
    with pytest.raises(SurveyDataError, match="CONFIANCE_READER_SECONDS='soon'"):
        ingest_limits()


def test_a_caller_script_is_not_run_again_in_the_worker(tmp_path):
    """Streamlit runs the page as ``__main__``; a worker must never re-run it."""
    script = tmp_path / "page.py"
    script.write_text(
        "from analysis.ingest.sandbox import read_untrusted\n"
        "print('page ran')\n"
        f"print(read_untrusted({str(DATA / 'spss_en.sav')!r}).data.shape)\n"
    )
    root = str(Path(__file__).parents[2])
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": root, "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["page ran", "(30, 15)"]


def test_a_bug_in_the_reader_is_one_sentence_and_a_logged_trace(caplog):
    """An error the reader does not turn into an IngestError: reported, not raised."""
    broken = IngestLimits(max_columns="many")  # the worker compares ints to it
    with pytest.raises(
        SandboxError, match=r"failed unexpectedly \(TypeError"
    ) as caught:
        read_untrusted(DATA / "qualtrics_fr_text.csv", limits=broken)
    assert caught.value.reason == "unexpected" and "\n" not in str(caught.value)
    assert "Traceback" in caplog.text and "qualtrics_fr_text.csv" in caplog.text
