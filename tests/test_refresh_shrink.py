"""A refresh never silently wipes a history: an answer that would lose much of a series' rows or
its earliest dates is refused, names what it would lose, and is written only with --allow-shrink."""

from __future__ import annotations

import re

import pytest

from loaders.__main__ import main
from loaders.refresh import refresh
from tests.fault_server import ROUTE, FaultServer, fast_http, patched_cli_http, snapshot_files
from tests.publishers import small_data_dir

WTI = "oil_price_wti_daily_usd_per_barrel"
HISTORY = "observation_date,DCOILWTICO\n" + "".join(
    f"2020-{m:02d}-{d:02d},{50 + d / 10}\n" for m in (1, 2, 3) for d in range(1, 29)
)


@pytest.fixture
def data_dir(tmp_path):
    data_dir = small_data_dir(tmp_path / "data", [WTI])
    with FaultServer() as server:
        server.routes[ROUTE["fred"]] = lambda q: (200, {}, HISTORY.encode())
        assert [o.status for o in refresh(data_dir=data_dir, http=fast_http(server.base_url), progress=False)] == [
            "updated"
        ]
    return data_dir


def _cli(data_dir, body: str, capsys, *extra: str) -> tuple[int, str]:
    with FaultServer() as server:
        server.routes[ROUTE["fred"]] = lambda q: (200, {}, body.encode())
        code = main(["--data-dir", str(data_dir), "refresh", "--mirror", server.base_url, *extra])
    return code, capsys.readouterr().out


def test_a_one_row_answer_does_not_replace_a_history(data_dir, monkeypatch, capsys):
    patched_cli_http(monkeypatch)
    before = snapshot_files(data_dir)
    code, out = _cli(data_dir, "observation_date,DCOILWTICO\n2021-01-04,47.47\n", capsys)
    assert code == 1, out
    assert re.search(
        rf"FAILED fred: {WTI}: failed the checks before writing: would lose 84 of its 84 rows; "
        r"the earliest dates of WLD \(2020-01-01; it would start 2021-01-04\): not written "
        r"\(to accept, refresh with --allow-shrink\)",
        out,
    ), out
    assert snapshot_files(data_dir) == before


def test_losing_the_earliest_dates_is_refused_even_when_few_rows_go(data_dir, monkeypatch, capsys):
    patched_cli_http(monkeypatch)
    before = snapshot_files(data_dir)
    code, out = _cli(data_dir, HISTORY.replace("2020-01-01,50.1\n", ""), capsys)
    assert code == 1 and "the earliest dates of WLD (2020-01-01; it would start 2020-01-02)" in out, out
    assert snapshot_files(data_dir) == before


def test_a_small_revision_and_growth_are_written(data_dir, monkeypatch, capsys):
    patched_cli_http(monkeypatch)
    revised = HISTORY.replace("2020-02-10,51.0\n", "") + "2020-04-01,49.9\n"
    code, out = _cli(data_dir, revised, capsys)
    assert code == 0 and re.search(r"^fred\s+1 series: 1 updated$", out, re.M), out


def test_the_analyst_can_accept_the_loss_with_a_flag(data_dir, monkeypatch, capsys):
    patched_cli_http(monkeypatch)
    code, out = _cli(data_dir, "observation_date,DCOILWTICO\n2021-01-04,47.47\n", capsys, "--allow-shrink")
    assert code == 0, out
    assert (data_dir / "snapshots" / f"{WTI}.csv").read_bytes().endswith(b"date,country,value\n2021-01-04,WLD,47.47\n")
