"""Mapping profiles live in one folder, by a slug the code makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import config
from analysis.errors import IngestError, NameRuleError
from analysis.ingest.mapping import ColumnMap, SurveyMapping
from analysis.ingest.profiles import (
    load_profile,
    profile_names,
    profile_slug,
    profile_source,
    save_profile,
)

MAPPING = SurveyMapping(columns=(ColumnMap("Q1", "question", "share_caution"),))


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A profiles folder of its own, with a codebook beside it to protect."""
    mappings = tmp_path / "data" / "mappings"
    mappings.mkdir(parents=True)
    (tmp_path / "data" / "codebook.yaml").write_text("precious: true\n")
    monkeypatch.setattr(config, "MAPPINGS", mappings)
    return mappings


def tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): p.read_text() for p in root.rglob("*") if p.is_file()
    }


HOSTILE = [
    "../codebook",
    "../../data/codebook.yaml",
    "/etc/passwd",
    "..",
    "",
    "a/b",
    "a\\b",
    "=HYPERLINK(1)",
    "x" * 81,
    "codebook\x00",
]


@pytest.mark.parametrize("name", HOSTILE, ids=repr)
def test_no_name_escapes_or_overwrites(folder, name):
    before = tree(folder.parent)
    with pytest.raises(NameRuleError):
        save_profile(MAPPING, name)
    assert tree(folder.parent) == before


def test_a_unicode_name_round_trips_by_its_slug(folder):
    path = save_profile(MAPPING, "Vague été Panel")
    assert path == folder.resolve() / "vague-été-panel.yaml"
    assert profile_names() == ["Vague été Panel"]
    loaded = load_profile("Vague été Panel")
    assert loaded.name == "Vague été Panel" and loaded.columns == MAPPING.columns
    assert load_profile("vague-été-panel") == loaded  # by its file stem too


def test_saving_again_updates_and_a_close_name_is_refused(folder):
    save_profile(MAPPING, "Panel FR")
    other = SurveyMapping(columns=(ColumnMap("Q2", "question", "share_caution"),))
    save_profile(other, "Panel FR")
    assert load_profile("Panel FR").columns == other.columns
    with pytest.raises(IngestError, match="too close to the saved profile 'Panel FR'"):
        save_profile(MAPPING, "panel fr")
    assert load_profile("Panel FR").columns == other.columns


def test_a_link_in_the_folder_is_replaced_not_followed(folder):
    target = folder.parent / "codebook.yaml"
    (folder / "evil.yaml").symlink_to(target)
    save_profile(MAPPING, "evil")
    assert target.read_text() == "precious: true\n"
    assert not (folder / "evil.yaml").is_symlink()


def test_names_stored_before_the_rule_are_kept_and_load(folder):
    (folder / "old name (v1)!.yaml").write_text(
        "columns:\n  Q1: {role: question, target: share_caution}\n"
    )
    assert "old name (v1)!" in profile_names()
    assert load_profile("old name (v1)!").columns == MAPPING.columns


def test_a_name_is_never_joined_to_a_path(folder):
    outside = folder.parent / "outside.yaml"
    outside.write_text("columns:\n  Q1: {role: question, target: share_caution}\n")
    with pytest.raises(IngestError, match=r"no mapping profile '\.\./outside'"):
        load_profile("../outside")
    with pytest.raises(IngestError, match="no mapping profile"):
        load_profile(str(outside))


def test_the_command_line_may_name_a_local_file(folder, tmp_path):
    assert profile_source("my-panel") == "my-panel"
    own = profile_source(str(tmp_path / "mine.yaml"))
    assert isinstance(own, Path)
    save_profile(MAPPING, own)
    assert load_profile(own).columns == MAPPING.columns


def test_slugs():
    assert profile_slug("Vague  Été 2") == "vague-été-2"
    with pytest.raises(NameRuleError):
        profile_slug("../x")
