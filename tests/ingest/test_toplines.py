import pytest

from analysis.errors import IngestError
from analysis.ingest.toplines import read_toplines


def _write(tmp_path, text, name="tops.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_analyst_toplines_with_semicolons_and_bom(tmp_path, codebook):
    path = _write(
        tmp_path,
        "\ufeffmetric;segment_var;segment_value;percent;base_n\n"
        "ethical_use_possible;total;total;48;6387\n"
        "password_reuse;country;FR;71;\n",
    )
    [wave] = read_toplines(path, wave="Client-2024", codebook=codebook)
    assert wave.meta.name == "Client-2024" and wave.meta.kind == "toplines"
    assert wave.data["percent"].tolist() == [48.0, 71.0]
    assert wave.data["base_n"].isna().tolist() == [False, True]
    assert wave.meta.countries == ("FR",)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "metric,segment_var,segment_value,percent\nx,total,total,120\n",
            "column percent.*rows 2",
        ),
        (
            "metric,segment_var,segment_value\nx,total,total\n",
            "missing \\['percent'\\]",
        ),
        (
            "metric,segment_var,segment_value,percent\nnps,total,total,12\n",
            "unknown metric",
        ),
        (
            "metric,segment_var,segment_value,percent,base_n\n"
            "password_reuse,total,total,50,-3\n",
            "base_n: bases must be above 0 \\(rows 2\\)",
        ),
        (
            "metric,segment_var,segment_value,percent\n"
            "password_reuse,total,total,50\npassword_reuse,total,total,51\n",
            "appear twice \\(rows 2, 3\\)",
        ),
    ],
)
def test_bad_toplines_say_what_and_where(tmp_path, codebook, body, message):
    path = _write(tmp_path, body)
    with pytest.raises(IngestError, match=message):
        read_toplines(path, wave="W", codebook=codebook)


def test_toplines_without_wave_column_need_a_name(tmp_path):
    path = _write(
        tmp_path, "metric,segment_var,segment_value,percent\nm,total,total,1\n"
    )
    with pytest.raises(IngestError, match="give the wave a name"):
        read_toplines(path)
