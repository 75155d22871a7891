"""House conventions that a reviewer would otherwise check by hand."""

import ast
import inspect
import re
import string
from pathlib import Path

import pytest

import analysis

ROOT = Path(__file__).resolve().parent.parent


def test_every_public_name_has_a_docstring():
    undocumented = [
        name for name in analysis.__all__ if not inspect.getdoc(getattr(analysis, name))
    ]
    assert undocumented == []


def test_analysis_never_imports_streamlit():
    offenders = []
    for path in (ROOT / "analysis").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] == "streamlit" for n in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_nothing_reads_the_shared_folder():
    offenders = [
        str(p.relative_to(ROOT))
        for folder in (
            "analysis",
            "dashboard",
            "tests",
            "benchmarks",
            "scripts",
            "data",
        )
        for p in (ROOT / folder).rglob("*")
        if p.is_file()
        and p.suffix in {".py", ".yaml", ".toml", ".sh", ".md"}
        and "../shared" in p.read_text(encoding="utf-8", errors="ignore")
        and p.name != "test_conventions.py"
    ]
    assert offenders == []


# Words in two languages live in analysis.i18n.Words catalogues, never inline
INLINE_LANGUAGE = re.compile(
    r"\bif\s+(?:not\s+)?(?:\w+\.)*(?:lang|fr|en|french|english)\b"
    r"(?:\s*[!=]=\s*[\"'](?:en|fr)[\"'])?\s+else\b"
)
SOURCES = ("analysis", "dashboard")
MECHANISM = {Path("analysis/i18n.py")}  # where the choice of language is made


def _sources():
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative not in MECHANISM:
                yield relative, path.read_text(encoding="utf-8")


def _inline_choices():
    found = []
    for relative, source in _sources():
        for match in INLINE_LANGUAGE.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            found.append(f"{relative}:{line}: {match.group(0)!r}")
    return found


@pytest.mark.parametrize(
    "snippet",
    [
        '"Metric" if lang == "en" else "Indicateur"',
        '"a" if view.lang == \'fr\' else "b"',
        "'Filtre' if fr else 'Filter'",
        '"x"\n    if lang != "fr"\n    else "y"',
        '"x" if not fr else "y"',
    ],
)
def test_the_inline_pattern_is_recognised(snippet):
    assert INLINE_LANGUAGE.search(snippet)


def test_no_inline_language_choice_anywhere():
    assert _inline_choices() == []


def _catalogues(tree):
    """Each ``NAME = Words({...})`` of a module: NAME -> {key: (en, fr)}."""
    found = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        call = node.value
        if getattr(call.func, "id", getattr(call.func, "attr", None)) != "Words":
            continue
        target = node.targets[0]
        name = getattr(target, "id", None) or ast.unparse(target)
        entries = call.args[0]
        # literal entries, so that translators and this test can read them
        assert isinstance(entries, ast.Dict), f"{name}: Words takes a dict literal"
        found[name] = {
            _literal(k, name): _literal(v, name)
            for k, v in zip(entries.keys, entries.values, strict=True)
        }
    return found


def _literal(node, name):
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise AssertionError(
            f"{name} line {node.lineno}: {ast.unparse(node)} is not a literal"
        ) from None


def _all_catalogues():
    return {
        (str(relative), name): entries
        for relative, source in _sources()
        for name, entries in _catalogues(ast.parse(source)).items()
    }


def test_catalogues_are_found():
    # the dashboard's shared words, a page's own, and the library's
    names = {f"{path}:{name}" for path, name in _all_catalogues()}
    assert {
        "dashboard/i18n.py:WORDS",
        "dashboard/app_pages/upload.py:_WORDS",
        "analysis/formatting.py:_WORDS",
        "analysis/table/crosstab.py:_WORDS",
    } <= names


def _fields(text):
    return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f is not None)


def test_every_catalogue_entry_has_both_languages_and_the_same_placeholders():
    problems = []
    for (path, name), entries in _all_catalogues().items():
        for key, pair in entries.items():
            where = f"{path} {name}[{key!r}]"
            if not (
                isinstance(pair, tuple)
                and len(pair) == 2
                and all(isinstance(text, str) and text.strip() for text in pair)
            ):
                problems.append(f"{where}: needs a non-empty English and French text")
            elif _fields(pair[0]) != _fields(pair[1]):
                problems.append(f"{where}: placeholders differ between EN and FR")
    assert problems == []


def test_every_literal_key_asked_for_is_in_its_catalogue():
    shared = _catalogues(ast.parse((ROOT / "dashboard/i18n.py").read_text()))["WORDS"]
    missing = []
    for relative, source in _sources():
        tree = ast.parse(source)
        known = _catalogues(tree)
        if str(relative).startswith("dashboard/"):
            known.setdefault("t", shared)
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in known
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                continue
            if node.args[0].value not in known[node.func.id]:
                missing.append(f"{relative}:{node.lineno}: {node.args[0].value!r}")
    assert missing == []
