"""House conventions that a reviewer would otherwise check by hand."""

import ast
import inspect
from pathlib import Path

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
