"""Energy Institute source: a small workbook laid out like the Statistical Review's, built in each test."""

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from loaders.errors import DriftError, ValidationError
from loaders.sources import energy_institute

SHEET = "Oil Production - barrels"
ENTRY = {
    "id": "oil_production_ei_thousand_barrels_per_day",
    "source": "energy_institute",
    "code": SHEET,
    "countries": ["VEN", "USA", "WLD"],
}
LIVE = "https://www.energyinst.org/__data/assets/excel_doc/0020/1540550/EI-Stats-Review-All-Data.xlsx"
# As in the real sheet: a title row, a blank row, the header (the last year repeated over the
# growth-rate and share columns, then a '2013-23' label), country and region rows, footnotes.
HEADER = ["Thousand barrels daily", 2019, 2020, 2021, 2022, 2023, 2023, "2013-23", 2023]
ROWS = [
    ["Mexico", 1918, 1910, 1926, 1943, 2040, 0.0498, -0.0337, 0.0212],
    ["US", 17135, 16493, 16693, 17844, 19358, 0.0849, 0.0672, 0.2009],
    ["Venezuela", 1011, "^", "n/a", 716, 853, 0.1607, -0.1081, 0.0089],
    ["Venezuela: Orinoco Belt", 1, 2, 3, 4, 5, 0, 0, 0],
    ["Total World", 95180, 88700, 90400, 94100, 96376, 0.0221, 0.0108, 1],
    ["n/a not available.", None, None, None, None, None, None, None, None],
]


def workbook(tmp_path: Path, sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx with the given sheets (name -> rows), as bytes."""
    book = openpyxl.Workbook()
    book.active.title = "Contents"
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    path = tmp_path / "ei.xlsx"
    book.save(path)
    return path.read_bytes()


def production_sheet(rows: list[list] = ROWS, header: list = HEADER) -> list[list]:
    return [["Oil: Production*"], [None] * 6 + ["Growth rate per annum", None, "Share"], header, [], *rows]


def values(frame: pd.DataFrame) -> dict[tuple[str, int], float]:
    return {(c, d.year): v for d, c, v in frame[["date", "country", "value"]].itertuples(index=False)}


def test_fetch_downloads_the_workbook_once_per_series(fake_http):
    http = fake_http(b"PK...")
    assert [r.body for r in energy_institute.fetch(ENTRY, http)] == [b"PK..."]
    assert http.calls == [("energy_institute", LIVE)]


def test_parse_reads_the_year_columns_of_the_entry_countries(tmp_path):
    frame = energy_institute.parse([workbook(tmp_path, {SHEET: production_sheet()})], ENTRY)
    assert list(frame.columns) == ["date", "country", "value"]
    got = values(frame)
    assert {c for c, _ in got} == {"VEN", "USA", "WLD"}  # Mexico is in the sheet but not in the entry
    assert [got[("VEN", y)] for y in (2019, 2022, 2023)] == [1011.0, 716.0, 853.0]  # not the Orinoco Belt row
    assert ("VEN", 2020) not in got and ("VEN", 2021) not in got  # '^' and 'n/a' are missing
    assert got[("USA", 2023)] == 19358.0  # the level, not the growth rate or share under the repeated 2023
    assert got[("WLD", 2019)] == 95180.0
    assert frame["date"].min() == pd.Timestamp("2019-01-01")
    assert "source_last_updated" in frame.attrs


def test_sheet_names_match_despite_a_trailing_space(tmp_path):
    body = workbook(tmp_path, {"Oil - Proved reserves history ": production_sheet()})
    frame = energy_institute.parse([body], {**ENTRY, "code": "Oil - Proved reserves history"})
    assert values(frame)[("VEN", 2023)] == 853.0


def test_a_workbook_without_the_sheet_raises_drift_error_listing_the_sheets(tmp_path):
    body = workbook(tmp_path, {"Oil Production - tonnes": production_sheet()})
    with pytest.raises(DriftError, match=r"sheet 'Oil Production - barrels' not in workbook; sheets are: .*tonnes"):
        energy_institute.parse([body], ENTRY)


def test_a_sheet_without_the_venezuela_row_raises_drift_error(tmp_path):
    rows = [row for row in ROWS if row[0] != "Venezuela"]
    with pytest.raises(
        DriftError, match="layout changed: sheet 'Oil Production - barrels' has no row named 'Venezuela'"
    ):
        energy_institute.parse([workbook(tmp_path, {SHEET: production_sheet(rows)})], ENTRY)


def test_a_sheet_without_a_year_header_raises_drift_error(tmp_path):
    header = ["Thousand barrels daily", "2019", "2020 (est.)", None, None, None]
    with pytest.raises(DriftError, match="no header row of years"):
        energy_institute.parse([workbook(tmp_path, {SHEET: production_sheet(header=header)})], ENTRY)


def test_an_unknown_text_in_a_year_cell_raises_drift_error_naming_the_cell(tmp_path):
    rows = [["Venezuela", 1011, "see note", 700, 716, 853], ["US", 1, 2, 3, 4, 5], ["Total World", 1, 2, 3, 4, 5]]
    with pytest.raises(DriftError, match="row 'Venezuela', 2020: 'see note' is not a number"):
        energy_institute.parse([workbook(tmp_path, {SHEET: production_sheet(rows)})], ENTRY)


def test_a_body_that_is_not_a_workbook_raises_drift_error():
    with pytest.raises(DriftError, match="not an .xlsx workbook"):
        energy_institute.parse([b"<!DOCTYPE html><html>moved to the 2025 edition</html>"], ENTRY)


def test_a_country_without_a_workbook_name_is_a_catalog_error(tmp_path):
    with pytest.raises(ValidationError, match="CHL"):
        energy_institute.parse([workbook(tmp_path, {SHEET: production_sheet()})], {**ENTRY, "countries": ["CHL"]})


def test_a_comparator_missing_from_the_sheet_is_left_out_and_the_rest_still_load(tmp_path):
    entry = {**ENTRY, "countries": ["VEN", "BRA", "WLD"]}  # no Brazil row in this sheet
    frame = energy_institute.parse([workbook(tmp_path, {SHEET: production_sheet()})], entry)
    assert sorted(set(frame["country"])) == ["VEN", "WLD"]
    assert len(frame) == 3 + 5  # VEN without its '^' and 'n/a' years, WLD complete


def test_a_short_header_of_three_years_is_found(tmp_path):
    header = ["Thousand barrels daily", 2021, 2022, 2023]
    rows = [["Venezuela", 700, 716, 853]]
    frame = energy_institute.parse([workbook(tmp_path, {SHEET: production_sheet(rows, header)})], ENTRY)
    assert frame["value"].tolist() == [700.0, 716.0, 853.0]
