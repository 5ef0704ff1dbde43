"""EIA API v2 source: paging with offset/length, the key read from the environment and never kept, drift."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable

import pytest

from loaders.errors import DriftError, UpstreamError
from loaders.refresh import one_line, refresh, summary
from loaders.sources import eia
from tests.conftest import FakeHttp
from tests.publishers import REPO, small_data_dir

ENTRY = {
    "id": "oil_net_imports_us_from_ven_eia_thousand_barrels_per_day",
    "source": "eia",
    "code": "PET.MTTNTUSVE2.M",
    "countries": ["VEN"],
}
FAKE_KEY = "h1-FAKE-eia-key-9f3b"  # a value that must never reach a file, a message or a log


def row(period: str, value: str | None) -> dict:
    """One data row as the API writes it (value a string)."""
    return {
        "period": period,
        "duoarea": "NUS-NVE",
        "series": "MTTNTUSVE2",
        "series-description": "U.S. Net Imports from Venezuela of Crude Oil and Petroleum Products",
        "value": value,
        "units": "MBBL/D",
    }


def answer(rows: list[dict], total: int, key: str = FAKE_KEY) -> bytes:
    """An API v2 answer; like the live API, ``request.params`` echoes the key."""
    return json.dumps(
        {
            "response": {"total": str(total), "dateFormat": "YYYY-MM", "frequency": "monthly", "data": rows},
            "request": {"command": "/v2/seriesid/PET.MTTNTUSVE2.M", "params": {"api_key": key}},
            "apiVersion": "2.1.8",
        }
    ).encode()


SHUTDOWN = [("2003-04", "1614"), ("2003-01", "403"), ("2002-12", "771"), ("2002-11", "1607")]  # newest first


def shutdown_pages(length: int) -> Callable[[str], bytes]:
    """Serves SHUTDOWN ``length`` rows at a time from the URL's ``offset``."""

    def page(url: str) -> bytes:
        offset = int(url.split("offset=")[1].split("&")[0])
        return answer([row(p, v) for p, v in SHUTDOWN[offset : offset + length]], len(SHUTDOWN))

    return page


def paging_http(length: int) -> FakeHttp:
    return FakeHttp(shutdown_pages(length), "application/json", fetched_prefix="http://mirror/")


def refused(url: str) -> bytes:
    """An HTTP error whose cause quotes the URL with the key, as a connection error would."""
    raise UpstreamError("eia", url, f"could not connect: Max retries exceeded with url: {url}")


def test_pages_are_fetched_until_total_and_the_shutdown_shows(monkeypatch):
    monkeypatch.setenv("EIA_API_KEY", FAKE_KEY)
    monkeypatch.setattr(eia, "PAGE_LENGTH", 3)
    http = paging_http(length=3)
    responses = eia.fetch(ENTRY, http)
    assert [url.split("offset=")[1] for url in http.urls] == ["0&length=3", "3&length=3"]
    frame = eia.parse([r.body for r in responses], ENTRY)
    assert frame["date"].dt.strftime("%Y-%m").tolist() == ["2002-11", "2002-12", "2003-01", "2003-04"]
    assert frame["value"].tolist() == [1607.0, 771.0, 403.0, 1614.0]
    assert all(FAKE_KEY not in r.url and FAKE_KEY not in r.fetched_url for r in responses)
    assert all("api_key=***" in r.url for r in responses)


def test_a_page_missing_from_the_answers_is_drift():
    bodies = [answer([row("2003-01", "403")], total=4)]
    with pytest.raises(DriftError, match="total says 4 rows but the pages held 1"):
        eia.parse(bodies, ENTRY)


def test_null_values_are_dropped_and_bad_ones_named():
    frame = eia.parse([answer([row("2003-02", None), row("2003-01", "403")], total=2)], ENTRY)
    assert frame["value"].tolist() == [403.0]
    with pytest.raises(DriftError, match="2003-01: expected a number, got 'NA'"):
        eia.parse([answer([row("2003-01", "NA")], total=1)], ENTRY)
    with pytest.raises(DriftError, match="expected a period like 2003-01, got '2003-1'"):
        eia.parse([answer([row("2003-1", "403")], total=1)], ENTRY)


def test_error_envelope_and_html_are_named():
    body = json.dumps({"error": {"code": "API_KEY_INVALID", "message": "The api_key is invalid."}}).encode()
    with pytest.raises(UpstreamError, match="error: The api_key is invalid"):
        eia.parse([body], ENTRY)
    with pytest.raises(DriftError, match="expected JSON, got an HTML"):
        eia.parse([b"<html>maintenance</html>"], ENTRY)


def test_without_a_key_nothing_is_asked_and_the_message_says_so(monkeypatch):
    monkeypatch.delenv("EIA_API_KEY", raising=False)
    http = paging_http(length=5000)
    with pytest.raises(UpstreamError) as caught:
        eia.fetch(ENTRY, http)
    assert http.calls == []
    assert "no API key: set EIA_API_KEY" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_failed_request_never_quotes_the_key(monkeypatch):
    monkeypatch.setenv("EIA_API_KEY", FAKE_KEY)
    with pytest.raises(UpstreamError) as caught:
        eia.fetch(ENTRY, FakeHttp(refused))
    assert FAKE_KEY not in str(caught.value) and FAKE_KEY not in caught.value.url
    assert "api_key=***" in str(caught.value)


def test_refresh_without_key_keeps_the_snapshot_and_counts_as_failed(tmp_path, monkeypatch):
    monkeypatch.delenv("EIA_API_KEY", raising=False)
    data_dir = small_data_dir(tmp_path / "data", [ENTRY["id"]])
    outcomes = refresh(data_dir=data_dir, http=paging_http(length=5000), progress=False)
    assert [o.status for o in outcomes] == ["failed"]
    text = summary(outcomes, 0.1)
    assert "eia" in text and "1 failed" in text
    assert "no API key: set EIA_API_KEY" in text
    assert not (data_dir / "snapshots" / f"{ENTRY['id']}.csv").exists()


def test_the_key_never_reaches_a_file_a_message_or_a_log(tmp_path, monkeypatch, capfd):
    """A full refresh with a fake key: grep every file it wrote, every message, and the CLI's output."""
    monkeypatch.setenv("EIA_API_KEY", FAKE_KEY)
    data_dir = small_data_dir(tmp_path / "data", [ENTRY["id"]])
    outcomes = refresh(data_dir=data_dir, http=paging_http(length=5000), progress=True)
    assert [o.status for o in outcomes] == ["updated"]
    failing = refresh(data_dir=data_dir, http=FakeHttp(refused), progress=True)
    messages = [one_line(o.message + o.url) for o in outcomes + failing] + [summary(outcomes + failing, 1.0)]
    written = [p.read_bytes() for p in data_dir.rglob("*") if p.is_file()]
    committed = [p.read_bytes() for p in (REPO / "data").rglob("*") if p.is_file()]
    out, err = capfd.readouterr()
    assert all(FAKE_KEY.encode() not in blob for blob in written + committed)
    assert all(FAKE_KEY not in text for text in messages + [out, err])
    assert b"api_key=***" in (data_dir / "snapshots" / f"{ENTRY['id']}.json").read_bytes()


def test_cli_without_key_prints_one_line_and_exits_non_zero(tmp_path):
    data_dir = small_data_dir(tmp_path / "data", [ENTRY["id"]])
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DASHBOARD_MIRROR": "http://127.0.0.1:9"}
    run = subprocess.run(
        [sys.executable, "-m", "loaders", "--data-dir", str(data_dir), "refresh", "eia"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    failures = [line for line in run.stdout.splitlines() if line.startswith("FAILED")]
    assert len(failures) == 1 and "no API key: set EIA_API_KEY" in failures[0]
