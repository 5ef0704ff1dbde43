"""FRED source: both header styles, both missing markers, HTML instead of CSV, and bad values."""

from pathlib import Path

import pandas as pd
import pytest

from loaders.errors import DriftError, UpstreamError
from loaders.sources import fred

FIXTURES = Path(__file__).parent / "fixtures" / "fred"
WTI = {"id": "oil_price_wti_daily_usd_per_barrel", "source": "fred", "code": "DCOILWTICO", "countries": ["WLD"]}


def body(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_fetch_asks_for_the_series_csv(fake_http):
    http = fake_http(body("dcoilwtico_observation_date.csv"))
    responses = fred.fetch(WTI, http)
    assert http.calls == [("fred", "https://fred.stlouisfed.org/graph/fredgraph.csv?id=DCOILWTICO")]
    assert responses[0].body.startswith(b"observation_date,DCOILWTICO")


def test_parse_current_header_with_blank_markers_keeps_negative_prices():
    frame = fred.parse([body("dcoilwtico_observation_date.csv")], WTI)
    assert list(frame.columns) == ["date", "country", "value"]
    assert set(frame["country"]) == {"WLD"}
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2020-04-17",
        "2020-04-20",
        "2020-04-21",
        "2020-05-26",
    ]  # 2020-05-25 (Memorial Day) is blank upstream
    assert frame.loc[frame["date"] == pd.Timestamp("2020-04-20"), "value"].item() == -36.98
    assert frame["value"].tolist() == [18.31, -36.98, 8.91, 34.35]


def test_parse_old_date_header_with_dot_markers():
    frame = fred.parse([body("dcoilwtico_old_DATE_header.csv")], WTI)
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2020-04-17", "2020-04-20", "2020-05-26"]
    assert frame["value"].tolist() == [18.31, -36.98, 34.35]


def test_monthly_series_is_dated_on_the_first():
    entry = {**WTI, "code": "MCOILWTICO"}
    frame = fred.parse([body("mcoilwtico_monthly.csv")], entry)
    assert frame["date"].tolist() == [
        pd.Timestamp("2020-03-01"),
        pd.Timestamp("2020-04-01"),
        pd.Timestamp("2020-05-01"),
    ]
    assert frame["value"].tolist() == [29.21, 16.55, 28.56]


def test_html_page_instead_of_csv_is_an_upstream_error():
    with pytest.raises(UpstreamError, match="expected CSV, got an HTML page") as caught:
        fred.parse([body("series_not_found.html")], WTI)
    assert "DCOILWTICO" in str(caught.value) and str(caught.value).startswith("fred: ")


def test_header_for_another_series_is_drift():
    with pytest.raises(DriftError, match="expected header 'observation_date,DCOILWTICO'.*DCOILBRENTEU"):
        fred.parse([b"observation_date,DCOILBRENTEU\n2020-04-20,9.12\n"], WTI)


def test_non_numeric_value_is_drift_naming_the_line_and_value():
    csv = b"observation_date,DCOILWTICO\n2020-04-17,18.31\n2020-04-20,n/a\n"
    with pytest.raises(DriftError, match=r"line 3 \(2020-04-20\): expected a number, got 'n/a'"):
        fred.parse([csv], WTI)
