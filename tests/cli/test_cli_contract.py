"""The contract every command keeps (issue 9, point 7).

A command that prints results takes ``--format json|csv|table`` and its help
names the default; ``--format json`` puts exactly one JSON list or object on
stdout; ``csv`` is one header and one line per row; notes go to stderr. A
command that writes files takes ``--format`` for the file type. Every error is
one line on stderr and exit status ``EXIT_USAGE``. Commands run in-process
(same code as ``python -m analysis``) to keep the suite fast.
"""

import ast
import csv
import io
import json
from pathlib import Path

import pytest

import analysis.cli
from analysis.cli import build_parser, main
from analysis.cli.commands import COMMANDS
from analysis.cli.options import EXIT_USAGE, one_line
from analysis.errors import SurveyDataError

CLI = Path(analysis.cli.__file__).parent
INGEST = Path(__file__).parents[1] / "data" / "ingest"

# command: (its --format choices, their default); passphrase prints a shell line
PRINTING = {
    "estimate": (("json", "csv", "table"), "json"),
    "compare": (("json", "csv", "table"), "table"),
    "trend": (("json", "csv", "table"), "table"),
    "waves": (("json", "csv", "table"), "table"),
    "demo": (("json", "csv", "table"), "table"),
    "ingest": (("json", "table"), "table"),  # the report is one object
    "erase-respondent": (("json", "csv", "table"), "table"),
    "audit": (("json", "csv", "table"), "table"),
    "questions": (("json", "csv", "table"), "table"),
    "table": (("json", "csv", "xlsx"), "json"),  # xlsx is written to --out
}
WRITING = {"export": (("png", "pptx", "zip", "pdf"), "png")}


def _main(capsys, *args):
    try:
        status = main([str(a) for a in args])
    except SystemExit as stop:  # argparse: --help and usage errors
        status = stop.code
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def answers_csv(tmp_path_factory):
    """A small weighted yes/no file with a two-level segment."""
    path = tmp_path_factory.mktemp("contract") / "answers.csv"
    lines = ["y,w,region"]
    lines += [
        f"{i % 3 == 0:d},{1 + i % 4},{'north' if i % 2 else 'south'}" for i in range(80)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def _commands(store, answers):
    """One call per printing command and per form, without --format."""
    return {
        "estimate-store": ["estimate", "--wave", "Demo-2019", "--metric",
                           "churn_unprotected", "--by", "country", "--store", store],
        "estimate-file": ["estimate", answers, "--yes-column", "y", "--weight", "w",
                          "--by", "region"],
        "compare": ["compare", "--wave", "Demo-2019", "--metric", "churn_unprotected",
                    "--by", "country", "--store", store],
        "trend": ["trend", "--metric", "churn_unprotected", "--waves",
                  "Demo-2017,Demo-2019", "--by", "country", "--store", store],
        "waves": ["waves", "--store", store],
        "audit": ["audit", "--store", store],
        "questions": ["questions", "--wave", "Demo-2019", "--store", store],
        "estimate-question": ["estimate", "--wave", "Demo-2019", "--question",
                              "leave_unprotected", "--by", "country", "--store", store],
        "demo": ["demo", "--store", store, "--if-missing"],
        "table": ["table", "--wave", "Demo-2019", "--rows", "leave_unprotected",
                  "--banner", "country", "--store", store],
        "ingest": ["ingest", INGEST / "spss_en.sav", "--wave", "S-1", "--dry-run",
                   "--store", store],
    }  # fmt: skip


FORMS = (
    "estimate-store",
    "estimate-question",
    "questions",
    "estimate-file",
    "compare",
    "trend",
    "waves",
    "audit",
    "demo",
    "table",
    "ingest",
)


@pytest.mark.parametrize("form", FORMS)
def test_json_is_one_value_alone_on_stdout(capsys, demo_store_path, answers_csv, form):
    args = _commands(demo_store_path, answers_csv)[form]
    status, out, _ = _main(capsys, *args, "--format", "json")
    assert status == 0
    value = json.loads(out)  # fails on any text before or after the value
    assert isinstance(value, list | dict)
    assert out.strip().startswith(("[", "{")) and out.strip().endswith(("]", "}"))
    if isinstance(value, list):
        assert value and all(isinstance(row, dict) for row in value)


@pytest.mark.parametrize("form", [f for f in FORMS if f != "ingest"])
def test_csv_has_the_json_rows(capsys, demo_store_path, answers_csv, form):
    args = _commands(demo_store_path, answers_csv)[form]
    _, out_json, _ = _main(capsys, *args, "--format", "json")
    status, out_csv, _ = _main(capsys, *args, "--format", "csv")
    assert status == 0
    rows = json.loads(out_json)
    reader = csv.DictReader(io.StringIO(out_csv))
    parsed = list(reader)
    assert reader.fieldnames == list(rows[0])
    assert len(parsed) == len(rows)
    for got, want in zip(parsed, rows, strict=True):
        for key, value in want.items():
            if value is None:
                assert got[key] == ""
            elif isinstance(value, list | dict):
                assert json.loads(got[key]) == value
            elif isinstance(value, float):
                assert float(got[key]) == pytest.approx(value, rel=1e-12)
            else:
                assert got[key] == str(value)


@pytest.mark.parametrize("form", ["compare", "trend"])
def test_headlines_go_to_stderr_beside_data(capsys, demo_store_path, form):
    args = _commands(demo_store_path, None)[form]
    _, table_out, table_err = _main(capsys, *args)
    _, csv_out, csv_err = _main(capsys, *args, "--format", "csv")
    headline = table_out.splitlines()[0]
    assert table_err == "" and headline in csv_err
    assert headline not in csv_out


def test_demo_json_then_csv_on_a_new_store(capsys, tmp_path):
    store = tmp_path / "new.duckdb"
    status, out, err = _main(capsys, "demo", "--store", store, "--format", "json")
    assert status == 0
    stored = json.loads(out)
    assert {r["status"] for r in stored} == {"stored"}
    assert err == f"store: {store}\n"
    status, out, _ = _main(capsys, "demo", "--store", store, "--format", "csv")
    again = list(csv.DictReader(io.StringIO(out)))
    assert [r["wave"] for r in again] == [r["wave"] for r in stored]
    assert {r["status"] for r in again} == {"kept"}


def _format_help(text):
    """The help paragraph of ``--format``, on one line."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  --format"))
    rest = lines[start + 1 :]
    end = next((i for i, line in enumerate(rest) if line.startswith("  -")), len(rest))
    return " ".join(" ".join(lines[start : start + 1 + end]).split())


@pytest.mark.parametrize("command", [*PRINTING, *WRITING])
def test_help_names_the_format_choices_and_default(capsys, command):
    choices, default = {**PRINTING, **WRITING}[command]
    status, out, _ = _main(capsys, command, "--help")
    assert status == 0
    paragraph = _format_help(out)
    assert f"(default: {default})" in paragraph
    assert "{" + ",".join(choices) + "}" in paragraph


def test_every_command_is_covered():
    # backup's actions print one sentence saying what was written or replaced
    assert set(COMMANDS) == {
        *PRINTING,
        *WRITING,
        "passphrase",
        "backup",
        "metric",
        "weight",
    }


def test_export_takes_only_file_types(capsys, demo_store_path, tmp_path):
    args = build_parser("export").parse_args(
        ["export", "--wave", "Demo-2019", "--out", str(tmp_path)]
    )
    assert args.format == "png"
    for kind in ("pptx", "zip"):
        parsed = build_parser("export").parse_args(
            ["export", "--wave", "W", "--out", str(tmp_path), "--format", kind]
        )
        assert parsed.format == kind
    status, out, err = _main(
        capsys, "export", "--wave", "Demo-2019", "--out", tmp_path, "--format", "json"
    )
    assert status == EXIT_USAGE and out == ""
    assert "invalid choice: 'json'" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # argparse's own errors
        (("waves", "--format", "xml"), "invalid choice: 'xml'"),
        (("estimate", "--level", "high"), "invalid float value: 'high'"),
        (("nosuchcommand",), "invalid choice: 'nosuchcommand'"),
        ((), "the following arguments are required: COMMAND"),
        # errors of the library (SurveyDataError)
        (("estimate", "--wave", "Nope", "--store", "{store}"), "no wave named 'Nope'"),
        (
            ("trend", "--metric", "m", "--waves", "Demo-2019", "--store", "{store}"),
            "two or more waves",
        ),
        # a folder that cannot be written (OSError): the path, then why
        (
            (
                "ingest",
                INGEST / "spss_en.sav",
                "--wave",
                "S",
                "--dry-run",
                "--store",
                "{tmp}/s.duckdb",
                "--save-mapping",
                "{tmp}/file.txt/p.yaml",
            ),
            "file.txt: ",
        ),
    ],
)
def test_errors_are_one_line_and_exit_usage(
    capsys, demo_store_path, tmp_path, args, message
):
    (tmp_path / "file.txt").write_text("a file, not a folder")
    filled = [str(a).format(store=demo_store_path, tmp=tmp_path) for a in args]
    status, _, err = _main(capsys, *filled)
    assert status == EXIT_USAGE == 2
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert message in err


def test_a_multi_line_message_is_printed_on_one_line(capsys, monkeypatch):
    def broken(args):
        raise SurveyDataError("first part\n  second part\n")

    monkeypatch.setattr("analysis.cli.waves.run", broken)
    status, out, err = _main(capsys, "waves")
    assert (status, out, err) == (EXIT_USAGE, "", "error: first part second part\n")
    assert one_line("a  b\n\nc") == "a  b c"


def _status(node):
    """The nonzero int a node spells out, else None."""
    if isinstance(node, ast.Constant) and type(node.value) is int and node.value:
        return node.value
    return None


def _literal_exit_codes(tree):
    """Lines of every ``return 2``, ``exit(2)`` or ``x.exit(2, …)`` in a module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Return) and _status(node.value):
            yield node.lineno
        if isinstance(node, ast.Call) and node.args and _status(node.args[0]):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name == "exit":
                yield node.lineno


def test_one_exit_status_constant():
    found = {
        path.name: lines
        for path in sorted(CLI.glob("*.py"))
        if (lines := list(_literal_exit_codes(ast.parse(path.read_text()))))
    }
    assert found == {}
    defined = [
        path.name
        for path in CLI.glob("*.py")
        if "EXIT_USAGE = " in path.read_text() or "= 2\n" in path.read_text()
    ]
    assert defined == ["options.py"]


def test_no_literal_exit_status_sneaks_past_the_scan(tmp_path):
    source = "def f():\n    return 2\n\ndef g(p):\n    p.exit(2, 'x')\n"
    assert list(_literal_exit_codes(ast.parse(source))) == [2, 5]


def test_shared_options_are_defined_once():
    for option in ('"--store"', '"--ci"', '"--level"'):
        owners = [p.name for p in CLI.glob("*.py") if option in p.read_text()]
        assert owners == ["options.py"], option


def test_readme_commands_parse():
    """Every command line in README's "Command line" section is accepted as written."""
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.split("## Command line", 1)[1].split("\n## ", 1)[0]
    lines = [
        line.split()[3:]
        for line in section.splitlines()
        if line.startswith("python -m analysis ") and "--help" not in line
    ]
    assert {words[0] for words in lines} >= set(COMMANDS) - {"passphrase"}
    for words in lines:
        args = build_parser(words[0]).parse_args(words)
        assert args.command == words[0]
