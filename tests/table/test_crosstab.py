import io

import openpyxl
import pandas as pd

from analysis.table.crosstab import banner_table, to_csv_bytes, to_xlsx_bytes
from analysis.table.estimate import EstimateOptions, estimate
from analysis.table.letters import with_segment_letters


def _table(store, **kw):
    table = estimate(
        store, ["Demo-2019"], ["ethical_use_possible", "trust_index"], ["country"], **kw
    )
    return with_segment_letters(table)


def test_banner_cells_are_the_estimate_table(demo_store, codebook):
    table = _table(demo_store)
    banner = banner_table(table, codebook, "country", "en")
    assert list(banner.columns) == ["Total", "DE (A)", "FR (B)", "GB (C)", "US (D)"]
    label = codebook.metric("ethical_use_possible").label.en
    us = table[
        (table.metric == "ethical_use_possible") & (table.segment_value == "US")
    ].iloc[0]
    assert banner.loc[(label, "% (index /100)"), "US (D)"] == f"{us.estimate:.0%}"
    assert banner.loc[(label, "base n"), "US (D)"] == f"{us.n:,}"
    assert banner.loc[(label, "sig. above"), "US (D)"] == us.letters
    assert us.letters == "ABC"  # 60% against 43–48% on bases near 900: clearly above


def test_french_banner_uses_french_numbers(demo_store, codebook):
    banner = banner_table(_table(demo_store), codebook, "country", "fr")
    label = codebook.metric("ethical_use_possible").label.fr
    cell = banner.loc[(label, "% (indice /100)"), "FR (B)"]
    assert cell.endswith("\u202f%")
    assert "\u202f" in banner.loc[(label, "base n"), "Total"]  # 4 018
    assert list(banner.index.names) == ["indicateur", "statistique"]
    assert (label, "sig. au-dessus de") in banner.index


def test_suppressed_cells_are_blank_and_marked_bases(demo_store, codebook):
    table = _table(demo_store, filters={"gender": ["other"]}, options=EstimateOptions())
    banner = banner_table(table, codebook, "country", "en")
    label = codebook.metric("ethical_use_possible").label.en
    rows = table[
        (table.metric == "ethical_use_possible") & (table.segment_var == "country")
    ]
    for row in rows.itertuples():
        column = next(c for c in banner.columns if c.startswith(row.segment_value))
        estimate = banner.loc[(label, "% (index /100)"), column]
        base = banner.loc[(label, "base n"), column]
        if row.flag == "suppressed":
            assert estimate == "" and base == str(row.n)
        elif row.flag == "low_base":
            assert base.endswith(" **") and estimate != ""


def test_exports_open_in_their_tools(demo_store, codebook):
    banner = banner_table(_table(demo_store), codebook, "country", "fr")
    csv = to_csv_bytes(banner)
    assert csv.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    assert len(back) == len(banner)
    book = openpyxl.load_workbook(
        io.BytesIO(to_xlsx_bytes(banner, "Demo-2019 by country"))
    )
    sheet = book["Banner"]
    assert sheet["A1"].value == "Demo-2019 by country"
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "FR (B)" in values
