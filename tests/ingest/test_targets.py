"""Targets files: shares or counts, joint tables, per country; errors name the variable."""

import json

import numpy as np
import pytest

from analysis.errors import WeightingError
from analysis.ingest.targets import parse_targets, read_targets
from analysis.stats.group_weighting import rake_by_group


def test_shares_scale_to_the_population_total():
    targets = parse_targets({"population_total": 1000, "g": {"f": 0.52, "m": 0.48}})
    assert targets.population.counts(sample_total=10) == {"g": {"f": 520, "m": 480}}


def test_shares_without_a_total_scale_to_the_sample():
    targets = parse_targets({"g": {"f": 0.5, "m": 0.5}})
    assert targets.population.counts(sample_total=40) == {"g": {"f": 20, "m": 20}}


def test_counts_must_add_up_to_the_population_total():
    with pytest.raises(WeightingError, match="'age' add up to 90"):
        parse_targets({"population_total": 100, "age": {"young": 40, "old": 50}})


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([1, 2], "must be an object"),
        ({"g": {"f": "many"}}, "g='f' must be a number"),
        ({"g": {"f": -1, "m": 2}}, "g='f' must be a number ≥ 0"),
        ({"g": []}, "'g' must map each category"),
        ({"population_total": 0, "g": {"f": 1}}, "population_total must be"),
        ({"by": "country"}, "'by' needs 'targets'"),
        (
            {"by": "country", "targets": {"FR": {"g": {"f": 0.5, "m": 0.5}}}},
            r"\[FR\]: country_size 'population' needs",
        ),
        ({"joint": [{"a": "x", "target": "n"}]}, "joint cell 1"),
    ],
)
def test_bad_targets_name_what_is_wrong(raw, message):
    with pytest.raises(WeightingError, match=message):
        parse_targets(raw)


def test_the_same_targets_read_from_json_yaml_and_csv(tmp_path):
    raw = {"population_total": 200, "g": {"f": 120, "m": 80}}
    (tmp_path / "t.json").write_text(json.dumps(raw))
    (tmp_path / "t.yaml").write_text("population_total: 200\ng:\n  f: 120\n  m: 80\n")
    (tmp_path / "t.csv").write_text(
        "variable,category,target\npopulation_total,,200\ng,f,120\ng,m,80\n"
    )
    read = [read_targets(tmp_path / f"t.{s}") for s in ("json", "yaml", "csv")]
    assert all(t == read[0] for t in read)
    assert read[0].population.counts(1) == {"g": {"f": 120, "m": 80}}


def test_a_targets_csv_row_that_is_not_a_number_names_the_row(tmp_path):
    (tmp_path / "t.csv").write_text("variable,category,target\ng,f,12\ng,m,lots\n")
    with pytest.raises(WeightingError, match=r"t.csv, row 3: target 'lots'"):
        read_targets(tmp_path / "t.csv")


def test_joint_cells_as_counts():
    targets = parse_targets(
        {
            "population_total": 100,
            "joint": [
                {"a": "x", "b": "u", "target": 0.25},
                {"a": "x", "b": "v", "target": 0.25},
                {"a": "y", "b": "u", "target": 0.5},
            ],
        }
    )
    names, cells = targets.population.joint_cells(sample_total=10)
    assert names == ["a", "b"]
    assert cells == {("x", "u"): 25, ("x", "v"): 25, ("y", "u"): 50}


def _two_countries(rng, n=400):
    country = rng.choice(["FR", "DE"], n)
    gender = rng.choice(["f", "m"], n)
    return country, gender, rng.lognormal(0, 0.4, n)


@pytest.mark.parametrize("size", ["population", "equal"])
def test_each_country_meets_its_own_margins_and_the_chosen_size(size):
    rng = np.random.default_rng(3)
    country, gender, w = _two_countries(rng)
    targets = {
        "FR": {"gender": {"f": 5200, "m": 4800}},
        "DE": {"gender": {"f": 10500, "m": 9500}},
    }
    result = rake_by_group(w, country, {"gender": gender}, targets, size=size)
    totals = {c: result.weights[country == c].sum() for c in ("FR", "DE")}
    if size == "population":
        assert totals == pytest.approx({"FR": 10000, "DE": 20000}, rel=1e-10)
    else:
        assert totals["FR"] == pytest.approx(totals["DE"], rel=1e-10)
    for c, margins in targets.items():
        rows = country == c
        share_f = result.weights[rows & (gender == "f")].sum() / totals[c]
        wanted = margins["gender"]["f"] / sum(margins["gender"].values())
        assert share_f == pytest.approx(wanted, rel=1e-10)


def test_a_country_without_targets_is_named():
    rng = np.random.default_rng(4)
    country, gender, w = _two_countries(rng)
    with pytest.raises(WeightingError, match="group 'DE' has respondents but no"):
        rake_by_group(
            w, country, {"gender": gender}, {"FR": {"gender": {"f": 1, "m": 1}}}
        )
