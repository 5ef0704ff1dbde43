"""UNHCR source: paging and its cap, null counts, totals vs by-host rows, VEN->VEN excluded, drift."""

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from loaders.errors import DriftError, UpstreamError, ValidationError
from loaders.sources import unhcr

FIXTURES = Path(__file__).parent / "fixtures" / "unhcr"
PAGES = [(FIXTURES / f"ven_page{n}_of_2.json").read_bytes() for n in (1, 2)]
LIVE = "https://api.unhcr.org/population/v1/population/?coo=VEN&coa_all=true&cf_type=ISO&limit=1000&page={}"
TOTAL = {
    "id": "displaced_abroad_from_ven_unhcr_persons",
    "code": "refugees+asylum_seekers+oip",
    "countries": ["VEN"],
    "provisional_year": 2019,
}
BY_HOST = {
    **TOTAL,
    "id": "displaced_abroad_by_host_country_unhcr_persons",
    "group_by": "country_of_asylum",
    "countries": ["*"],
}


def by_page(answer: Callable[[int], bytes]) -> Callable[[str], bytes]:
    """Answer page N of any URL with ``answer(N)``."""
    return lambda url: answer(int(url.rsplit("page=", 1)[1]))


def page(n: int, max_pages: int, items: list | None = None) -> bytes:
    return json.dumps({"page": n, "maxPages": max_pages, "items": items or []}).encode()


def values(frame: pd.DataFrame) -> dict[tuple[int, str], float]:
    return {(d.year, c): v for d, c, v in frame[["date", "country", "value"]].itertuples(index=False)}


def test_fetch_follows_max_pages_with_the_same_urls_for_every_series(fake_http):
    http = fake_http(by_page(lambda n: PAGES[n - 1]))
    responses = unhcr.fetch(TOTAL, http)
    assert [r.body for r in responses] == PAGES
    assert http.calls == [("unhcr", LIVE.format(1)), ("unhcr", LIVE.format(2))]
    unhcr.fetch({**TOTAL, "code": "oip"}, http)  # another series: identical URLs, so Http's cache serves them
    assert http.calls[2:] == http.calls[:2]


def test_the_mid_year_release_is_provisional_and_its_year_comes_from_the_catalog():
    for entry in (TOTAL, BY_HOST):
        frame = unhcr.parse(PAGES, entry)
        assert set(frame.loc[frame["date"].dt.year == 2019, "status"]) == {"provisional"}
        assert set(frame.loc[frame["date"].dt.year < 2019, "status"]) == {"actual"}
    with pytest.raises(ValidationError, match="provisional_year"):
        unhcr.parse(PAGES, {k: v for k, v in TOTAL.items() if k != "provisional_year"})


def test_fetch_refuses_a_page_count_over_the_cap_without_fetching_it(fake_http):
    http = fake_http(by_page(lambda n: page(n, 10_000)))
    with pytest.raises(UpstreamError, match="10000 pages, over the limit of 200"):
        unhcr.fetch(TOTAL, http)
    assert len(http.calls) == 1


def test_fetch_stops_when_max_pages_keeps_growing(fake_http):
    http = fake_http(by_page(lambda n: page(n, n + 1)))  # every page announces one more
    with pytest.raises(UpstreamError, match="page 2 announces maxPages 3 but page 1 announced 2"):
        unhcr.fetch(TOTAL, http)
    assert len(http.calls) == 2


def test_fetch_refuses_a_page_count_over_the_cap(fake_http):
    http = fake_http(by_page(lambda n: page(n, unhcr.MAX_PAGES + 1)))
    with pytest.raises(UpstreamError, match="over the limit of 200"):
        unhcr.fetch(TOTAL, http)
    assert len(http.calls) == 1


def test_total_sums_fields_and_hosts_over_both_pages_counting_null_oip_as_zero():
    frame = unhcr.parse(PAGES, TOTAL)
    assert list(frame.columns) == ["date", "country", "value", "status"]
    # 2018: COL 200+300+1000, ESP 20+5+null (page 2); VEN->VEN (5+7+99999) left out
    assert values(frame) == {(2017, "VEN"): 160.0, (2018, "VEN"): 1525.0, (2019, "VEN"): 2730.0}
    assert frame["date"].tolist() == [pd.Timestamp(f"{y}-01-01") for y in (2017, 2018, 2019)]


def test_single_field_series_and_a_year_with_only_null_oip_is_missing_not_zero():
    assert values(unhcr.parse(PAGES, {**TOTAL, "code": "refugees"})) == {
        (2017, "VEN"): 110.0,
        (2018, "VEN"): 220.0,
        (2019, "VEN"): 330.0,
    }
    # oip did not exist in 2017 (every item null): no 2017 row rather than a false 0
    assert values(unhcr.parse(PAGES, {**TOTAL, "code": "oip"})) == {(2018, "VEN"): 1000.0, (2019, "VEN"): 2000.0}


def test_by_host_gives_one_row_per_host_year_without_venezuela_itself_or_zero_rows():
    frame = unhcr.parse(PAGES, BY_HOST)
    assert values(frame) == {
        (2017, "COL"): 150.0,
        (2018, "COL"): 1500.0,
        (2019, "COL"): 2700.0,
        (2017, "ESP"): 10.0,  # the ISO3 code (coa_iso), not UNHCR's own 'SPA'
        (2018, "ESP"): 25.0,
        (2019, "ESP"): 30.0,
    }  # PER 2019 is all zeros: dropped; VEN->VEN (people inside Venezuela): excluded
    total = unhcr.parse(PAGES, TOTAL)
    assert frame.groupby("date")["value"].sum().tolist() == total["value"].tolist()


def test_counts_sent_as_strings_and_dashes_are_read():
    item = {"year": "2019", "coo_iso": "VEN", "coa_iso": "CHL", "refugees": "12", "asylum_seekers": "-", "oip": "30"}
    assert values(unhcr.parse([page(1, 1, [item])], TOTAL)) == {(2019, "VEN"): 42.0}


def test_renamed_field_raises_drift_error_naming_it():
    items = json.loads(PAGES[1])["items"]
    items[0]["coa"] = items[0].pop("coa_iso")
    with pytest.raises(DriftError, match="'coa_iso'"):
        unhcr.parse([PAGES[0], page(2, 2, items)], TOTAL)


def test_per_year_totals_instead_of_per_host_rows_raise_drift_error():
    item = {"year": 2019, "coo_iso": "VEN", "coa_iso": "-", "refugees": 1, "asylum_seekers": 2, "oip": 3}
    with pytest.raises(DriftError, match="not an ISO3 code"):
        unhcr.parse([page(1, 1, [item])], BY_HOST)


def test_the_same_host_year_on_two_pages_raises_instead_of_double_counting():
    with pytest.raises(DriftError, match="appears twice"):
        unhcr.parse([PAGES[0], PAGES[0]], TOTAL)


def test_error_answer_raises_upstream_error_with_its_message():
    with pytest.raises(UpstreamError, match="Invalid country code"):
        unhcr.parse([b'{"message": "Invalid country code"}'], TOTAL)
