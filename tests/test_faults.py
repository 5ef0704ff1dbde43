"""Every way a public API fails, injected into one publisher at a time on 127.0.0.1, through
``python -m loaders refresh`` (main()). For each: retried where it should be, one clear FAILED
line naming source, series, live URL and cause, a non-zero exit, the other sources carry on, and
every snapshot and sidecar stays byte-identical. (tests/test_refresh.py covers 500/429 for ever,
an HTML page for FRED and a hang through ``refresh()``; these extend them to every source and fault.)
"""

from __future__ import annotations

import re
import shutil
import time

import pytest

from loaders.__main__ import main
from loaders.refresh import refresh
from tests.fault_cases import FAULTS
from tests.fault_server import (
    HOSTS,
    ROUTE,
    SERIES,
    FaultServer,
    fast_http,
    live_url,
    patched_cli_http,
    refuse_host,
    snapshot_files,
    status,
    temp_files,
)
from tests.publishers import SMALL_SERIES, small_data_dir


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """A small data folder (one series per source) refreshed once from the fake publishers."""
    data_dir = small_data_dir(tmp_path_factory.mktemp("baseline") / "data")
    with FaultServer() as server:
        outcomes = refresh(data_dir=data_dir, http=fast_http(server.base_url), progress=False)
    assert [o.status for o in outcomes] == ["updated"] * len(SMALL_SERIES), outcomes
    return data_dir


@pytest.fixture
def data_dir(baseline, tmp_path):
    return shutil.copytree(baseline, tmp_path / "data")


def run_cli(data_dir, server, capsys) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data_dir), "refresh", "--mirror", server.base_url])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("fault", FAULTS, ids=[f.id for f in FAULTS])
def test_fault_is_reported_in_one_line_and_loses_nothing(fault, data_dir, monkeypatch, capsys):
    before = snapshot_files(data_dir)
    patched_cli_http(monkeypatch, **fault.http)
    if fault.refused:
        refuse_host(monkeypatch, HOSTS[fault.source])
    with FaultServer() as server:
        server.routes[ROUTE[fault.source]] = fault.install(server)
        start = time.perf_counter()
        code, out, err = run_cli(data_dir, server, capsys)
        elapsed = time.perf_counter() - start
        requests = server.count(fault.source)
        others_asked = {source: server.count(source) for source in HOSTS if source != fault.source}

    failed = [line for line in out.splitlines() if line.startswith("FAILED")]
    if fault.recovers:
        assert code == 0, out
        assert failed == []
        assert re.search(rf"^{fault.source}\s+1 series: 1 unchanged$", out, re.M), out
    else:
        assert code == 1, out
        assert len(failed) == 1, out
        line = failed[0]
        assert line.startswith(f"FAILED {fault.source}: {SERIES[fault.source]}: "), line
        assert (fault.url or live_url(data_dir, fault.source)) in line, f"the line does not name the live URL: {line}"
        assert re.search(fault.cause, line), f"cause {fault.cause!r} not in: {line}"
        assert line.isprintable() and len(line) < 700
        assert "previous snapshot of each failed series is kept" in out
    if fault.requests is not None:
        assert requests == fault.requests, f"{requests} request(s) to {fault.source}, expected {fault.requests}"
    if fault.waited_at_least:
        assert elapsed >= fault.waited_at_least * 0.9, "the client did not wait for Retry-After"
    # The other sources were asked and carried on.
    for source, asked in others_asked.items():
        assert asked >= 1, f"{source} was never asked"
        assert re.search(rf"^{source}\s+1 series: 1 unchanged$", out, re.M), f"{source} did not carry on:\n{out}"
    assert snapshot_files(data_dir) == before, "a snapshot or sidecar changed"
    assert temp_files(data_dir) == []
    assert "Traceback" not in out + err


def test_every_fault_of_the_issue_is_tried():
    names = {f.name for f in FAULTS}
    wanted = {
        "connection_refused",
        "hang_past_read_timeout",
        "http_500_then_success",
        "http_429_retry_after_then_success",
        "http_404",
        "html_error_page",
        "truncated_json",
        "empty_body",
        "envelope_without_data",
        "worldbank_message_error",
        "imf_body_without_values",
        "renamed_field",
        "changed_unit",
        "duplicate_dates",
        "value_out_of_range",
        "unhcr_pages_never_end",
        "redirect_to_another_host",
        "body_over_size_limit_declared",
        "body_over_size_limit_streamed",
    }
    assert wanted <= names, wanted - names
    assert {f.source for f in FAULTS} == set(HOSTS)


def test_every_source_failing_at_once_still_exits_cleanly_and_keeps_everything(data_dir, monkeypatch, capsys):
    before = snapshot_files(data_dir)
    patched_cli_http(monkeypatch)
    with FaultServer() as server:
        for source in HOSTS:
            server.routes[ROUTE[source]] = status(500, b"down")
        code, out, _ = run_cli(data_dir, server, capsys)
    assert code == 1
    assert len([line for line in out.splitlines() if line.startswith("FAILED")]) == len(HOSTS)
    n = len(HOSTS)  # one small series per publisher (tests/publishers.py): a new publisher adds one
    assert f"{n} series in" in out and f"0 updated, {n} failed" in out
    assert snapshot_files(data_dir) == before


def test_a_fault_then_a_good_answer_updates_the_snapshot(data_dir, monkeypatch, capsys):
    """The kept snapshot is not stuck: once the publisher answers well, the next refresh writes it."""
    patched_cli_http(monkeypatch)
    with FaultServer() as server:
        server.routes[ROUTE["fred"]] = status(500, b"down")
        assert run_cli(data_dir, server, capsys)[0] == 1
        grown = server.good("fred")({})[2] + b"2021-01-04,47.47\n"  # the history the snapshot holds, and a new day
        server.routes[ROUTE["fred"]] = lambda q: (200, {}, grown)
        code, out, _ = run_cli(data_dir, server, capsys)
    assert code == 0 and re.search(r"^fred\s+1 series: 1 updated$", out, re.M), out
    assert (
        (data_dir / "snapshots" / "oil_price_wti_daily_usd_per_barrel.csv")
        .read_bytes()
        .endswith(b"2021-01-04,WLD,47.47\n")
    )


def test_no_secret_reaches_a_snapshot_a_sidecar_or_the_log(data_dir, monkeypatch, capsys):
    """Credentials in the mirror URL or an api_key in a live URL are redacted everywhere they are written."""
    from loaders.sources import fred

    secret, key = "s3cr3t-PASSWORD", "APIKEY-0123456789"
    real_url = fred.url
    monkeypatch.setattr(fred, "url", lambda entry: f"{real_url(entry)}&api_key={key}")
    monkeypatch.setenv("FRED_API_KEY", key)
    patched_cli_http(monkeypatch)
    with FaultServer() as server:
        mirror = server.base_url.replace("http://", f"http://robot:{secret}@")
        good = server.routes[ROUTE["fred"]]
        server.routes[ROUTE["fred"]] = lambda q: good(q)[:2] + (good(q)[2] + b"2021-01-04,47.47\n",)
        # A publisher that echoes the key back in an error body the failure line quotes.
        server.routes[ROUTE["imf"]] = status(200, f"error: invalid request ?token={key}&api_key={key}".encode())
        code = main(["--data-dir", str(data_dir), "refresh", "--mirror", mirror])
        captured = capsys.readouterr()
    assert code == 1  # IMF failed; FRED was updated through the credentialed mirror
    written = b"".join(p.read_bytes() for p in (data_dir / "snapshots").iterdir())
    log = (captured.out + captured.err).encode()
    for text in (secret, key):
        assert text.encode() not in written, f"{text} written into a snapshot or sidecar"
        assert text.encode() not in log, f"{text} written into the log"
    sidecar = (data_dir / "snapshots" / "oil_price_wti_daily_usd_per_barrel.json").read_text()
    assert "robot:***@" in sidecar and "api_key=***" in sidecar
