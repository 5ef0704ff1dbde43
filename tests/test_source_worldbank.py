"""World Bank source: paging, null years, the error envelope and format drift, from hand-written fixtures."""

import json
from pathlib import Path

import pandas as pd
import pytest

from loaders.errors import DriftError, UpstreamError
from loaders.sources import worldbank

FIXTURES = Path(__file__).parent / "fixtures" / "worldbank"
ENTRY = {"id": "inflation_cpi_wb_pct", "source": "worldbank", "code": "FP.CPI.TOTL.ZG", "countries": ["VEN", "COL"]}
LIVE = "https://api.worldbank.org/v2/country/VEN;COL/indicator/FP.CPI.TOTL.ZG?format=json&per_page=20000"


def body(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


PAGES = [body("cpi_ven_col_page1_of_2.json"), body("cpi_ven_col_page2_of_2.json")]


def test_fetch_asks_all_countries_in_one_request_and_follows_pages(fake_http):
    http = fake_http({f"{LIVE}&page=1": PAGES[0], f"{LIVE}&page=2": PAGES[1]})
    responses = worldbank.fetch(ENTRY, http)
    assert http.calls == [("worldbank", f"{LIVE}&page=1"), ("worldbank", f"{LIVE}&page=2")]
    assert [r.body for r in responses] == PAGES


def test_fetch_stops_after_page_one_of_an_error_envelope(fake_http):
    http = fake_http({f"{LIVE}&page=1": body("error_invalid_value.json")})
    assert len(worldbank.fetch(ENTRY, http)) == 1
    assert len(http.calls) == 1


def test_parse_joins_pages_drops_null_years_and_files_years_on_1_january():
    frame = worldbank.parse(PAGES, ENTRY)
    assert list(frame.columns) == ["date", "country", "value"]
    assert frame["country"].tolist() == ["COL", "COL", "VEN", "VEN"]  # sorted by country, then date
    assert frame["date"].tolist() == [pd.Timestamp(f"{y}-01-01") for y in (2015, 2016, 2015, 2016)]
    assert frame["value"].tolist() == [4.9906, 7.5137, 121.7381, 254.9485]
    assert pd.Timestamp("2017-01-01") not in frame["date"].tolist()  # VEN 2017 is null upstream
    assert frame.attrs["source_last_updated"] == "2025-07-01"


def test_error_envelope_raises_upstream_error_with_the_message():
    with pytest.raises(UpstreamError) as caught:
        worldbank.parse([body("error_invalid_value.json")], ENTRY)
    assert not isinstance(caught.value, DriftError)
    message = str(caught.value)
    assert message.startswith("worldbank: ")
    assert "Invalid value" in message and "The provided parameter value is not valid" in message
    assert "FP.CPI.TOTL.ZG" in message


def test_answer_without_observations_is_an_upstream_error():
    with pytest.raises(UpstreamError, match="no observations for FP.CPI.TOTL.ZG"):
        worldbank.parse([body("no_data.json")], ENTRY)


def _mutated(change) -> bytes:
    page = json.loads(PAGES[0])
    change(page[1][1])
    return json.dumps(page).encode()


def test_renamed_field_raises_drift_error_naming_the_expected_field():
    drifted = _mutated(lambda obs: obs.update(countryIso3Code=obs.pop("countryiso3code")))
    with pytest.raises(DriftError, match="expected field 'countryiso3code'"):
        worldbank.parse([drifted], ENTRY)


def test_other_indicator_in_the_answer_is_drift():
    drifted = _mutated(lambda obs: obs["indicator"].update(id="FP.CPI.TOTL"))
    with pytest.raises(DriftError, match="expected indicator 'FP.CPI.TOTL.ZG'.*'FP.CPI.TOTL'"):
        worldbank.parse([drifted], ENTRY)


def test_monthly_dates_or_text_values_are_drift():
    with pytest.raises(DriftError, match="expected a year like '2018'.*'2016M01'"):
        worldbank.parse([_mutated(lambda obs: obs.update(date="2016M01"))], ENTRY)
    with pytest.raises(DriftError, match="expected a number or null.*'254.9'"):
        worldbank.parse([_mutated(lambda obs: obs.update(value="254.9"))], ENTRY)
