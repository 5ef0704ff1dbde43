"""Refresh end to end against a publisher server on 127.0.0.1: snapshots, sidecars, faults."""

from __future__ import annotations

import json
import time

import pytest

import loaders
from loaders import store
from loaders.__main__ import main
from loaders.http import Http
from loaders.refresh import refresh
from tests.publishers import SMALL_SERIES, PublisherServer, small_data_dir


def fast_http(server: PublisherServer, **kwargs) -> Http:
    options = {"timeout": (1.0, 1.0), "retries": 2, "backoff": 0.01} | kwargs
    return Http(mirror=server.base_url, **options)


def snapshot_bytes(data_dir) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((data_dir / "snapshots").glob("*")) if not p.name.startswith(".")}


@pytest.fixture
def refreshed(tmp_path):
    """A small data folder refreshed once from the fake publishers; yields (data_dir, server)."""
    data_dir = small_data_dir(tmp_path / "data")
    with PublisherServer() as server:
        outcomes = refresh(data_dir=data_dir, http=fast_http(server), progress=False)
        assert [o.status for o in outcomes] == ["updated"] * len(SMALL_SERIES), outcomes
        yield data_dir, server


def test_refresh_writes_tidy_snapshots_with_provenance(refreshed):
    data_dir, server = refreshed
    wti = loaders.load("oil_price_wti_daily_usd_per_barrel", data_dir=data_dir)
    assert wti.loc[wti["date"] == "2020-04-20", "value"].item() == -36.98
    assert len(wti) == 3, "the blank 2020-04-22 observation is missing, not zero"
    imf = loaders.load("inflation_avg_imf_pct", data_dir=data_dir).set_index("date")
    assert imf.loc["2018-01-01", "value"] == 65374.08
    assert imf.loc["2018-01-01", "status"] == "actual" and imf.loc["2024-01-01", "status"] == "estimate"

    sidecar = json.loads((data_dir / "snapshots" / "inflation_cpi_wb_pct.json").read_text())
    csv_bytes = (data_dir / "snapshots" / "inflation_cpi_wb_pct.csv").read_bytes()
    assert sidecar["sha256"] == store.sha256(csv_bytes)
    assert sidecar["rows"] == 3 and sidecar["first_date"] == "2014-01-01" and sidecar["last_date"] == "2016-01-01"
    assert sidecar["urls"][0].startswith("https://api.worldbank.org/v2/country/VEN;")
    assert sidecar["fetched_urls"][0].startswith(server.base_url + "/api.worldbank.org/")
    assert sidecar["canonical_url"] == "https://data.worldbank.org/indicator/FP.CPI.TOTL.ZG"
    assert sidecar["source_last_updated"] == "2026-07-01"
    assert sidecar["licence"] == "CC BY 4.0" and sidecar["retrieved_at"].endswith("Z")
    assert csv_bytes.startswith(b"date,country,value\n")

    cat = loaders.catalog(data_dir)
    assert cat.loc["inflation_cpi_wb_pct", "retrieved_at"] == sidecar["retrieved_at"]


def test_second_refresh_rewrites_nothing(refreshed):
    data_dir, server = refreshed
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (data_dir / "snapshots").iterdir()}
    time.sleep(0.01)
    outcomes = refresh(data_dir=data_dir, http=fast_http(server), progress=False)
    assert {o.status for o in outcomes} == {"unchanged"}
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (data_dir / "snapshots").iterdir()}
    assert after == before


def test_validate_command_accepts_fresh_snapshots_and_catches_tampering(refreshed, capsys):
    data_dir, _ = refreshed
    assert main(["--data-dir", str(data_dir), "validate", "--seeds", str(data_dir / "no-seeds")]) == 0
    csv = data_dir / "snapshots" / "oil_price_wti_daily_usd_per_barrel.csv"
    csv.write_bytes(csv.read_bytes().replace(b"-36.98", b"-36.99"))
    assert main(["--data-dir", str(data_dir), "validate", "--seeds", str(data_dir / "no-seeds")]) == 1
    out = capsys.readouterr().out
    assert "oil_price_wti_daily_usd_per_barrel" in out and "sha256" in out


def test_refresh_one_source_by_name_touches_only_it(refreshed):
    data_dir, server = refreshed
    outcomes = refresh(["fred"], data_dir=data_dir, http=fast_http(server), progress=False)
    assert [(o.series_id, o.status) for o in outcomes] == [("oil_price_wti_daily_usd_per_barrel", "unchanged")]


def _fault_500_forever(query):
    return 500, {}, b"Internal Server Error"


def _fault_429_forever(query):
    return 429, {"Retry-After": "0"}, b"slow down"


def _fault_html(query):
    return 200, {"Content-Type": "text/html"}, b"<html><body>Maintenance</body></html>"


@pytest.mark.parametrize(
    "fault, expected",
    [
        (_fault_500_forever, "gave up after retries"),
        (_fault_429_forever, "gave up after retries"),
        (_fault_html, "fred"),
    ],
)
def test_failed_source_keeps_previous_snapshot_and_others_carry_on(refreshed, fault, expected, capsys):
    data_dir, server = refreshed
    before = snapshot_bytes(data_dir)
    server.routes[("fred.stlouisfed.org", "/graph/fredgraph.csv")] = fault
    server.routes[("www.opec.org", "/basket/basketDayArchives.xml")] = lambda q: (
        200,
        {},
        b'<Basket xmlns="http://tempuri.org/basketDayArchives.xsd">'
        b'<BasketList data="2008-07-03" val="140.73" /><BasketList data="2008-07-04" val="141.01" />'
        b'<BasketList data="2008-07-07" val="139.0" /></Basket>',
    )
    code = main(["--data-dir", str(data_dir), "refresh", "--mirror", server.base_url])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAILED fred: oil_price_wti_daily_usd_per_barrel" in out
    assert "https://fred.stlouisfed.org/graph/fredgraph.csv?id=DCOILWTICO" in out
    after = snapshot_bytes(data_dir)
    for name in ("oil_price_wti_daily_usd_per_barrel.csv", "oil_price_wti_daily_usd_per_barrel.json"):
        assert after[name] == before[name], f"{name} changed although its source failed"
    assert (
        after["oil_price_opec_basket_daily_usd_per_barrel.csv"]
        != before["oil_price_opec_basket_daily_usd_per_barrel.csv"]
    )


def test_retry_after_is_honoured_then_succeeds(refreshed):
    data_dir, server = refreshed
    answers = iter([(429, {"Retry-After": "1"}, b"busy")])
    good = server.routes[("fred.stlouisfed.org", "/graph/fredgraph.csv")]
    server.routes[("fred.stlouisfed.org", "/graph/fredgraph.csv")] = lambda q: next(answers, None) or good(q)
    start = time.perf_counter()
    outcomes = refresh(["fred"], data_dir=data_dir, http=fast_http(server), progress=False)
    assert outcomes[0].status == "unchanged", outcomes
    assert time.perf_counter() - start >= 0.9, "the client did not wait for Retry-After"


def test_hanging_server_times_out_and_keeps_snapshot(refreshed):
    data_dir, server = refreshed
    before = snapshot_bytes(data_dir)

    def hang(query):
        time.sleep(3)
        return 200, {}, b""

    server.routes[("fred.stlouisfed.org", "/graph/fredgraph.csv")] = hang
    outcomes = refresh(["fred"], data_dir=data_dir, http=fast_http(server, retries=1), progress=False)
    assert outcomes[0].status == "failed" and "timeout" in outcomes[0].message.lower()
    assert snapshot_bytes(data_dir) == before
