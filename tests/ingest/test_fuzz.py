"""Fuzzing every reader and the questionnaire detection: only our errors, no hang.

Seeded (hypothesis ``derandomize``), so a run is repeatable. Every input goes
the way an import goes: read, detect the questionnaire
(:func:`detect_questionnaire`, and the editor's proposals), validate and build
the wave (:func:`prepare_file_wave`), toplines included. The pure-Python paths
(text detection and parsing, questionnaire detection, validation, label and
privacy matching, names and formulas) run in-process with a per-input
deadline, over 10,000 generated and mutated inputs per run; the C-backed
readers (SPSS, xlsx) run through the sandboxed worker — reading, detection and
validation together, as the app and the command line run them — over 1,000
inputs, the last batch through the ``ingest`` command against a real store,
where nothing may be stored on failure. A reader added later joins ``SEEDS``
(mutated) and, if it parses bytes, ``test_worker_*``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import signal
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from analysis.cli import main
from analysis.config import IngestLimits
from analysis.errors import SandboxError, SurveyDataError
from analysis.formulas import csv_safe, is_formula
from analysis.ingest.from_file import prepare_file_wave
from analysis.ingest.labels import (
    age_band,
    answer_code,
    country_code,
    gender_value,
    normalise,
    recode_segment,
)
from analysis.ingest.model import IngestResult
from analysis.ingest.prepared import prepare_untrusted
from analysis.ingest.privacy import personal_by_content, personal_by_name, redact
from analysis.ingest.proposals import proposal_rows
from analysis.ingest.questionnaire import detect_questionnaire
from analysis.ingest.readers import read_survey
from analysis.ingest.roles import design_role, segment_by_header
from analysis.library.codebook import load_codebook
from analysis.names import check_name

# mutated date columns make pandas fall back to dateutil, and say so
pytestmark = pytest.mark.filterwarnings("ignore:Could not infer format")
DATA = Path(__file__).parents[1] / "data" / "ingest"
CODEBOOK = load_codebook()
HARD_STOP = 30  # seconds: an input running this long is a hang, not slowness
LIMITS = IngestLimits(reader_seconds=20)  # a hang in the worker fails the test


def fuzz(examples: int, deadline: float = 5.0) -> settings:
    """Seeded settings: the same inputs every run, each under a deadline."""
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=timedelta(seconds=deadline),
        suppress_health_check=list(HealthCheck),
    )


@contextlib.contextmanager
def hard_stop(seconds: float = HARD_STOP) -> Iterator[None]:
    """Turn a real hang into a failure (the deadline only reports afterwards)."""

    def stop(*_: object) -> None:
        raise AssertionError(f"input still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def one_sentence(exc: SurveyDataError) -> None:
    text = str(exc)
    assert text and "\n" not in text and "Traceback" not in text, text


def in_process(name: str, content: bytes) -> IngestResult:
    """Read, detect (with the editor's rows) and validate, as the worker does."""
    raw = read_survey(name, content=content)
    if raw.format == "toplines":
        return prepare_file_wave(raw, CODEBOOK, "FZ-1")
    detection = detect_questionnaire(raw, CODEBOOK)
    rows = proposal_rows(detection)
    assert list(rows["column"]) == list(raw.columns)
    return prepare_file_wave(raw, CODEBOOK, "FZ-1", detection=detection)


def in_worker(name: str, content: bytes) -> IngestResult:
    """The same in the sandboxed worker, under its limits."""
    prepared = prepare_untrusted(
        name, CODEBOOK, wave_name="FZ-1", content=content, limits=LIMITS
    )
    assert prepared.result is not None
    return prepared.result


def pipeline(name: str, content: bytes, prepare=in_process) -> None:
    """Read, detect and validate as the app does; only our errors may escape."""
    try:
        with hard_stop():
            result = prepare(name, content)
    except SurveyDataError as exc:
        one_sentence(exc)
        if isinstance(exc, SandboxError):
            # a C library may crash on bytes we cannot fix: that is the
            # sandbox's job; a Python error or a hang is ours to fix
            assert exc.reason == "crash", str(exc)
            event(f"worker {exc.reason}")
        else:
            event(f"refused: {type(exc).__name__}")
        return
    assert (result.wave is not None) == result.ok
    event("read, " + ("valid" if result.ok else "report has errors"))


# -- inputs -----------------------------------------------------------------------

ANSWERS = [
    label
    for question in CODEBOOK.questions.values()
    for text in question.labels.values()
    for label in (text.en, text.fr)
]
CELLS = st.one_of(
    st.sampled_from(
        [
            *ANSWERS[:40],
            "",
            "-99",
            "1",
            "5",
            "9",
            "0",
            "100",
            "65+",
            "18-24",
            "France",
            "DE",
            "Femme",
            "9" * 309,
            "9" * 5000,
            "1e999",
            "nan",
            "-",
            '"',
            "a,b",
            "a;b",
            "\n",
            "\r",
            "\x00",
            "=1+2",
            "+cmd|' /C calc'!A0",
            "＝1",
            "\u200b@x",
            "jean@example.fr",
            "+33 6 12 34 56 78",
            "10.0.0.1",
            '{"ImportId":"QID1"}',
        ]
    ),
    st.text(max_size=12),
    st.builds(
        lambda c, n: c * n,
        st.sampled_from(["a", "a@", "1.", "+1 ", " ", ".", "9", "é"]),
        st.integers(0, 3000),
    ),
)
COLUMNS = st.one_of(
    st.sampled_from(
        [
            "respondent_id",
            "ResponseId",
            "Respondent ID",
            "Collector ID",
            "StartDate",
            "Finished",
            "Progress",
            "Duration (in seconds)",
            "RecordedDate",
            "weight",
            "Poids",
            "country",
            "Pays",
            "age",
            "gender",
            "metric",
            "segment_var",
            "segment_value",
            "percent",
            "base_n",
            "wave",
            "Email",
            "IPAddress",
            *list(CODEBOOK.questions)[:6],
        ]
    ),
    st.text(max_size=8),
)
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]


@st.composite
def tables(draw) -> tuple[str, bytes]:
    """A survey-like text file: tool headers, odd cells, any dialect."""
    header = draw(st.lists(COLUMNS, min_size=1, max_size=8))
    width = len(header)
    ragged = draw(st.integers(0, 9)) == 0  # mostly rectangular, to reach validation
    low, high = (0, width + 1) if ragged else (width, width)
    rows = draw(st.lists(st.lists(CELLS, min_size=low, max_size=high), max_size=8))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    quote = draw(st.booleans())
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))

    def line(cells: list[str]) -> str:
        if quote:
            return delimiter.join('"' + c.replace('"', '""') + '"' for c in cells)
        return delimiter.join(cells)

    text = end.join(line(r) for r in [header, *rows]) + draw(st.sampled_from(["", end]))
    encoding = draw(st.sampled_from(ENCODINGS))
    content = text.encode(encoding, errors="replace")
    return draw(st.sampled_from(["wave.csv", "wave.txt", "wave.tsv"])), content


SEEDS = {
    p.name: p.read_bytes()
    for p in sorted(DATA.iterdir())
    if p.suffix in {".csv", ".txt"} and p.is_file()
}
TOKENS = [b",", b";", b"\t", b'"', b"\r", b"\n", b"\xef\xbb\xbf", b"\xe9", b"\x00"]
TOKENS += [b"=1+2", b"9" * 309, b"x" * 70_000, b"a@b.co", b"\xff\xfe", b"-99"]


@st.composite
def mutated(draw, seeds: dict[str, bytes]) -> tuple[str, bytes]:
    """A real export with a few bytes changed, inserted, cut or repeated."""
    name = draw(st.sampled_from(sorted(seeds)))
    content = bytearray(seeds[name])
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(content)))
        operation = draw(st.sampled_from(["set", "insert", "cut", "copy", "repeat"]))
        if operation == "set" and content:
            content[min(at, len(content) - 1)] = draw(st.integers(0, 255))
        elif operation == "insert":
            content[at:at] = draw(st.sampled_from(TOKENS))
        elif operation == "cut":
            del content[at : at + draw(st.integers(1, 64))]
        elif operation == "copy":
            start = draw(st.integers(0, len(content)))
            content[at:at] = content[start : start + draw(st.integers(1, 256))]
        else:
            content[at:at] = draw(st.sampled_from(TOKENS)) * draw(st.integers(2, 40))
    return name, bytes(content)


# -- pure-Python paths, in-process ------------------------------------------------


@pytest.mark.slow
@fuzz(3500)
@given(tables())
def test_generated_text_files(case):
    pipeline(*case)


@pytest.mark.slow
@fuzz(1500)
@given(mutated(SEEDS))
def test_mutated_text_exports(case):
    pipeline(*case)


@fuzz(5000, deadline=2.0)
@given(
    CELLS,
    st.sampled_from(sorted(CODEBOOK.questions)),
    st.sampled_from(["country", "age_band", "gender", "region"]),
)
def test_cell_level_matching(value, question, segment):
    with hard_stop():
        normalise(value)
        age_band(value)
        country_code(value)
        gender_value(value)
        answer_code(value, CODEBOOK.questions[question])
        personal_by_name(value)
        segment_by_header(value, value)  # headers and question texts
        design_role(value)
        personal_by_content(pd.Series([value, value[::-1]]))
        assert redact(value).count("@") <= value.count("@")
        recode_segment(pd.Series([value, "1", None], dtype=object), segment)
        assert not is_formula(csv_safe(value))
        try:
            assert not is_formula(check_name(value))
        except SurveyDataError as exc:
            one_sentence(exc)


# -- C-backed readers, through the worker -----------------------------------------


def sav_seeds() -> dict[str, bytes]:
    """spss_en.sav and a file with the features the SPSS reader handles."""
    frame = pd.DataFrame(
        {
            "id": ["r1", "r2", "r3"],
            "country": [1.0, 2.0, 3.0],
            "share_caution": [1.0, 5.0, 9.0],
            "weight": [1.0, 0.5, 2.0],
        }
    )
    with tempfile.TemporaryDirectory() as folder:
        buffer = Path(folder) / "seed.sav"
        pyreadstat.write_sav(
            frame,
            str(buffer),
            column_labels=["id", "Country", "I share with caution", "weight"],
            variable_value_labels={
                "country": {1.0: "France", 2.0: "Germany", 3.0: "=1+2"},
                "share_caution": {1.0: "Strongly agree", 9.0: "Don't know"},
            },
            missing_ranges={"share_caution": [9.0]},
        )
        made = buffer.read_bytes()
    files = ("spss_en.sav", "spss_varlabels.sav")
    return {**{n: (DATA / n).read_bytes() for n in files}, "labels.sav": made}


def xlsx_seeds() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(DATA.glob("*.xlsx"))}


XML_TOKENS = [b"<", b">", b"/>", b'"', b"&amp;", b"&#0;", b't="e"', b't="s"']
XML_TOKENS += [b't="inlineStr"', b"<v>", b"9" * 400, b"-1", b"1048577", b"XFD"]
XML_TOKENS += [b"<f>SUM(A1)</f>", b"#N/A", b'<row r="0">', b'r="ZZZZ99"', b"<sheets/>"]


@st.composite
def mutated_workbooks(draw) -> tuple[str, bytes]:
    """A real workbook with one XML part edited, then zipped again (or not)."""
    seeds = xlsx_seeds()
    name = draw(st.sampled_from(sorted(seeds)))
    with zipfile.ZipFile(io.BytesIO(seeds[name])) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    target = draw(st.sampled_from(sorted(parts)))
    data = bytearray(parts[target])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        if draw(st.booleans()):
            data[at:at] = draw(st.sampled_from(XML_TOKENS))
        else:
            del data[at : at + draw(st.integers(1, 32))]
    parts[target] = bytes(data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    raw = out.getvalue()
    if draw(st.integers(0, 4)) == 0:  # sometimes the zip itself is damaged too
        raw = draw(mutated({name: raw}))[1]
    return name, raw


@st.composite
def overwritten(draw, seeds: dict[str, bytes]) -> tuple[str, bytes]:
    """A few bytes overwritten in place, sizes kept: how .sav files crash readers."""
    name = draw(st.sampled_from(sorted(seeds)))
    content = bytearray(seeds[name])
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(64, len(content) - 1))
        content[at] = draw(st.sampled_from([0x00, 0xFF, 0x7F, 0x80, 0x01, 0x20]))
    return name, bytes(content)


@pytest.mark.slow
@fuzz(550, deadline=25)
@given(st.one_of(overwritten(sav_seeds()), mutated(sav_seeds())))
def test_worker_spss(case):
    pipeline(*case, prepare=in_worker)


@pytest.mark.slow
@fuzz(450, deadline=25)
@given(mutated_workbooks())
def test_worker_xlsx(case):
    pipeline(*case, prepare=in_worker)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A store holding one wave, shared by the command-line fuzz run."""
    path = tmp_path_factory.mktemp("fuzz") / "store.duckdb"
    good = DATA / "csv_fr_cp1252.csv"
    assert main(["ingest", str(good), "--wave", "OK-1", "--store", str(path)]) == 0
    return path


ANY_FILE = st.one_of(
    mutated(sav_seeds()), mutated_workbooks(), mutated(SEEDS), tables()
)
WAVES = itertools.count(1)


@pytest.mark.slow
@fuzz(150, deadline=25)
@given(case=ANY_FILE, dry=st.booleans())
def test_ingest_command_stores_nothing_on_failure(
    tmp_path_factory, store, capsys, case, dry
):
    name, content = case
    path = tmp_path_factory.mktemp("in") / name
    path.write_bytes(content)
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    args = ["ingest", str(path), "--wave", f"FZ-{next(WAVES)}", "--store", str(store)]
    with hard_stop():
        status = main([*args, "--dry-run"] if dry else args)
    err = capsys.readouterr().err
    assert status in (0, 2) and "Traceback" not in err
    after = hashlib.sha256(store.read_bytes()).hexdigest()
    if status == 2 or dry:
        assert after == before
    if status == 2:
        assert err.startswith("error: ") and err.count("\n") == 1, err
        assert "failed unexpectedly" not in err and "stopped after" not in err
