"""IMF DataMapper source: values, actual/estimate/projection status, and the answer without values."""

from pathlib import Path

import pandas as pd
import pytest

from loaders.errors import DriftError, UpstreamError, ValidationError
from loaders.sources import imf

FIXTURES = Path(__file__).parent / "fixtures" / "imf"
ENTRY = {
    "id": "inflation_avg_imf_pct",
    "source": "imf",
    "code": "PCPIPCH",
    "countries": ["VEN", "COL", "ARG"],
    "first_projection_year": 2025,
    "last_actual_year": {"VEN": 2023, "COL": 2024, "ARG": 2024},
}
LIVE = "https://www.imf.org/external/datamapper/api/v1/PCPIPCH/VEN/COL/ARG"


def body(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def value(frame: pd.DataFrame, country: str, year: int) -> pd.Series:
    row = frame[(frame["country"] == country) & (frame["date"] == pd.Timestamp(f"{year}-01-01"))]
    assert len(row) == 1, f"expected one row for {country} {year}"
    return row.iloc[0]


def test_fetch_asks_every_country_in_one_request(fake_http):
    http = fake_http(body("pcpipch_ven_col.json"))
    responses = imf.fetch(ENTRY, http)
    assert http.calls == [("imf", LIVE)]
    assert responses[0].body == body("pcpipch_ven_col.json")


def test_parse_values_dates_and_status_per_country():
    frame = imf.parse([body("pcpipch_ven_col.json")], ENTRY)
    assert list(frame.columns) == ["date", "country", "value", "status"]
    assert value(frame, "VEN", 2018)["value"] == 65374.082
    assert value(frame, "VEN", 2018)["status"] == "actual"
    assert value(frame, "VEN", 2023)["status"] == "actual"
    # VEN's last actual year is 2023: 2024 is past but only estimated; 2025, the edition's year, is projected.
    assert value(frame, "VEN", 2024)["status"] == "estimate"
    assert value(frame, "VEN", 2025)["status"] == "projection"
    assert value(frame, "COL", 2024)["status"] == "actual"  # COL's is 2024
    assert value(frame, "COL", 2025)["status"] == "projection"
    assert frame["country"].tolist() == ["COL"] * 3 + ["VEN"] * 5  # ARG asked for, absent in the answer
    assert frame[frame["country"] == "VEN"]["date"].dt.year.tolist() == [2017, 2018, 2023, 2024, 2025]


def test_country_missing_from_last_actual_year_is_projected_from_the_edition_year():
    entry = {**ENTRY, "last_actual_year": {"VEN": 2023}}
    frame = imf.parse([body("pcpipch_ven_col.json")], entry)
    assert value(frame, "COL", 2024)["status"] == "actual"
    assert value(frame, "COL", 2025)["status"] == "projection"


def test_the_edition_year_comes_from_the_catalog_not_the_clock():
    entry = {k: v for k, v in ENTRY.items() if k != "first_projection_year"}
    with pytest.raises(ValidationError, match="first_projection_year"):
        imf.parse([body("pcpipch_ven_col.json")], entry)
    frame = imf.parse([body("pcpipch_ven_col.json")], {**ENTRY, "first_projection_year": 2024})
    assert value(frame, "VEN", 2024)["status"] == "projection"


def test_answer_without_values_names_the_code():
    with pytest.raises(UpstreamError, match="the IMF returned no values for PCPIPCH") as caught:
        imf.parse([body("no_values.json")], ENTRY)
    assert str(caught.value).startswith("imf: ")


def test_none_of_the_requested_countries_in_the_answer_is_an_error():
    entry = {**ENTRY, "countries": ["NOR", "USA"]}
    with pytest.raises(UpstreamError, match="no values for PCPIPCH in NOR, USA"):
        imf.parse([body("pcpipch_ven_col.json")], entry)


def test_values_keyed_by_another_code_or_text_values_are_drift():
    with pytest.raises(DriftError, match="expected values.PCPIPCH"):
        imf.parse([b'{"values": {"PCPIEPCH": {"VEN": {"2018": 1.0}}}, "api": {}}'], ENTRY)
    with pytest.raises(DriftError, match="expected a number for VEN 2018, got 'n/a'"):
        imf.parse([b'{"values": {"PCPIPCH": {"VEN": {"2018": "n/a"}}}, "api": {}}'], ENTRY)
