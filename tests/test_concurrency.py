"""A refresh killed mid-write, two refreshes at once, and readers during writes: no snapshot is ever
lost, half-written or locked for good.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

import loaders
from loaders import store
from loaders.__main__ import main
from loaders.errors import ValidationError
from loaders.metadata import read_catalog
from loaders.refresh import RefreshBusy, refresh
from tests.fault_server import ROUTE, FaultServer, fast_http, snapshot_files, temp_files, wait_for
from tests.publishers import REPO, SMALL_SERIES, small_data_dir

WTI = "oil_price_wti_daily_usd_per_barrel"
# The baseline's three days and a year more (an answer that dropped the history would be refused).
NEW_FRED = b"observation_date,DCOILWTICO\n2020-04-17,18.31\n2020-04-20,-36.98\n2020-04-21,8.91\n" + b"".join(
    f"2021-{m:02d}-{d:02d},{40 + m + d / 100:.2f}\n".encode() for m in range(1, 13) for d in range(1, 29)
)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    data_dir = small_data_dir(tmp_path_factory.mktemp("baseline") / "data")
    with FaultServer() as server:
        outcomes = refresh(data_dir=data_dir, http=fast_http(server.base_url), progress=False)
    assert [o.status for o in outcomes] == ["updated"] * len(SMALL_SERIES)
    return data_dir


@pytest.fixture
def data_dir(baseline, tmp_path):
    return shutil.copytree(baseline, tmp_path / "data")


def validate(data_dir: Path, capsys) -> tuple[int, str]:
    code = main(["--data-dir", str(data_dir), "validate", "--seeds", str(data_dir / "no-seeds")])
    return code, capsys.readouterr().out


# ---------------------------------------------------------------- killed mid-write
CHILD = r"""
import os, sys, time
from pathlib import Path
data_dir, base_url, marker, point = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4]
from loaders import store
from loaders.http import Http
from loaders.refresh import refresh

def stop_here():
    marker.write_text(point)
    time.sleep(120)  # the test kills us here

real_fdopen, real_replace, replaced = os.fdopen, os.replace, []

class HalfWriter:
    def __init__(self, handle):
        self.handle = handle
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self.handle.close()
    def write(self, data):
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        os.fsync(self.handle.fileno())
        stop_here()
    def __getattr__(self, name):
        return getattr(self.handle, name)

def fdopen(fd, *args, **kwargs):
    handle = real_fdopen(fd, *args, **kwargs)
    return HalfWriter(handle) if point == "while writing the CSV" else handle

def replace(src, dst):
    if point == "before any rename" or (point == "between the two renames" and replaced):
        stop_here()
    real_replace(src, dst)
    replaced.append(dst)

os.fdopen, os.replace = fdopen, replace
refresh(["fred"], data_dir=data_dir, http=Http(mirror=base_url, timeout=(1, 1), retries=0), progress=False)
marker.write_text("finished without being killed")
"""


@pytest.mark.parametrize("point", ["while writing the CSV", "before any rename"])
def test_a_refresh_killed_mid_write_leaves_the_old_snapshot_whole(point, data_dir, tmp_path, capsys):
    before = snapshot_files(data_dir)
    old = loaders.load(WTI, data_dir=data_dir)
    marker = tmp_path / "reached"
    with FaultServer() as server:
        server.routes[ROUTE["fred"]] = lambda q: (200, {}, NEW_FRED)
        child = _start_child(data_dir, server.base_url, marker, point)
        try:
            wait_for(marker.exists, 30, f"the child refresh to reach '{point}'")
            assert marker.read_text() == point
            assert temp_files(data_dir), "the child was not writing when killed"
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(10)

        assert snapshot_files(data_dir) == before, "a snapshot or sidecar changed although the write never finished"
        pd.testing.assert_frame_equal(loaders.load(WTI, data_dir=data_dir), old)
        assert validate(data_dir, capsys)[0] == 0

        # The killed process held the lock: it died with it. The next refresh runs, tidies, and writes.
        outcomes = refresh(["fred"], data_dir=data_dir, http=fast_http(server.base_url), progress=False)
    assert [o.status for o in outcomes] == ["updated"]
    assert temp_files(data_dir) == []
    assert len(loaders.load(WTI, data_dir=data_dir)) == 3 + 12 * 28
    assert validate(data_dir, capsys)[0] == 0


def test_a_refresh_killed_between_the_two_renames_is_caught_and_repaired(data_dir, tmp_path, capsys):
    """The one moment a kill can split a pair (microseconds between two renames): the CSV is whole and
    new, its sidecar old. validate names it, load refuses it with a clear reason, the next refresh repairs it."""
    marker = tmp_path / "reached"
    with FaultServer() as server:
        server.routes[ROUTE["fred"]] = lambda q: (200, {}, NEW_FRED)
        child = _start_child(data_dir, server.base_url, marker, "between the two renames")
        try:
            wait_for(marker.exists, 30, "the child refresh to reach the second rename")
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(10)
        csv = (data_dir / "snapshots" / f"{WTI}.csv").read_bytes()
        assert len(store.parse_snapshot(csv, "new")) == 3 + 12 * 28, "the CSV is the new one, whole"
        assert [name.split(".")[1:3] for name in temp_files(data_dir)] == [[WTI, "json"]]
        code, out = validate(data_dir, capsys)
        assert code == 1 and f"PROBLEM {WTI}: {WTI}.csv sha256 is" in out and "sidecar says" in out
        with pytest.raises(ValidationError, match=f"{WTI}.csv does not match its provenance record"):
            loaders.load(WTI, data_dir=data_dir)
        outcomes = refresh(["fred"], data_dir=data_dir, http=fast_http(server.base_url), progress=False)
    assert [o.status for o in outcomes] == ["updated"], "the stale sidecar was not repaired"
    assert validate(data_dir, capsys)[0] == 0
    assert len(loaders.load(WTI, data_dir=data_dir)) == 3 + 12 * 28


def _start_child(data_dir: Path, base_url: str, marker: Path, point: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data_dir), base_url, str(marker), point],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


# ---------------------------------------------------------------- two refreshes at once
def test_a_second_refresh_is_refused_with_a_clear_message_and_changes_nothing(data_dir, capsys):
    before = snapshot_files(data_dir)
    gate = threading.Event()
    results: list = []
    with FaultServer() as server:
        good = server.routes[ROUTE["fred"]]

        def slow_fred(query):
            gate.wait(30)
            return good(query)

        server.routes[ROUTE["fred"]] = slow_fred
        first = threading.Thread(
            target=lambda: results.append(
                refresh(data_dir=data_dir, http=fast_http(server.base_url, timeout=(1, 30)), progress=False)
            )
        )
        first.start()
        try:
            wait_for(lambda: server.count("fred") >= 1, 30, "the first refresh to be under way")

            # Same process, through the API.
            with pytest.raises(RefreshBusy) as busy:
                refresh(data_dir=data_dir, http=fast_http(server.base_url), progress=False)
            message = str(busy.value)
            assert "another refresh is already running on" in message and str(data_dir) in message
            assert "try again when it ends" in message

            # Another process, through the command line: exit 2 and the same one-line message.
            done = subprocess.run(
                [sys.executable, "-m", "loaders", "--data-dir", str(data_dir), "refresh", "--mirror", server.base_url],
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert done.returncode == 2, done.stdout + done.stderr
            assert done.stderr.strip().startswith("error: another refresh is already running on")
            assert len(done.stderr.strip().splitlines()) == 1
            assert snapshot_files(data_dir) == before
        finally:
            gate.set()
            first.join(30)
    assert [o.status for o in results[0]] == ["unchanged"] * len(SMALL_SERIES)
    assert snapshot_files(data_dir) == before
    # And once the first has ended, a refresh runs again.
    with FaultServer() as server:
        assert refresh(data_dir=data_dir, http=fast_http(server.base_url), progress=False)


# ---------------------------------------------------------------- readers during writes
def test_readers_never_see_a_half_written_snapshot_or_sidecar(data_dir):
    """One thread rewrites a snapshot back and forth between two versions; others read it meanwhile."""
    catalog = read_catalog(data_dir)
    frames = {
        "short": pd.DataFrame(
            {"date": pd.to_datetime(["2020-01-02", "2020-01-03"]), "country": "WLD", "value": [61.17, 63.0]}
        ),
        "long": pd.DataFrame(
            {
                "date": pd.date_range("2000-01-01", periods=1500, freq="D"),
                "country": "WLD",
                "value": [round(20 + (i % 977) / 10, 2) for i in range(1500)],
            }
        ),
    }
    versions = {store.to_csv_bytes(f): name for name, f in frames.items()}
    lengths = {len(f) for f in frames.values()}
    stop, errors, reads = threading.Event(), [], {"csv": 0, "load": 0, "sidecar": 0}

    def writer():
        try:
            for i in range(40):
                frame = frames["short" if i % 2 else "long"]
                store.write_snapshot(data_dir, catalog, WTI, frame, {"retrieved_at": f"run {i}"})
                stop.wait(0.003)
        except Exception as e:  # noqa: BLE001
            errors.append(f"writer: {e!r}")
        finally:
            stop.set()

    def raw_reader():
        while not stop.is_set():
            data = (data_dir / "snapshots" / f"{WTI}.csv").read_bytes()
            if data not in versions and data != before_csv:
                errors.append(f"half-written CSV of {len(data)} bytes")
            reads["csv"] += 1
            stop.wait(0.001)

    def load_reader():
        while not stop.is_set():
            try:
                frame = loaders.load(WTI, data_dir=data_dir)
            except Exception as e:  # noqa: BLE001
                errors.append(f"load: {e!r}")
                continue
            if len(frame) not in lengths | {before_rows}:
                errors.append(f"load gave {len(frame)} rows")
            reads["load"] += 1
            stop.wait(0.001)

    def sidecar_reader():
        while not stop.is_set():
            text = (data_dir / "snapshots" / f"{WTI}.json").read_text()
            try:
                json.loads(text)
            except ValueError:
                errors.append(f"half-written sidecar: {text[-80:]!r}")
            reads["sidecar"] += 1
            stop.wait(0.001)

    before_csv = (data_dir / "snapshots" / f"{WTI}.csv").read_bytes()
    before_rows = len(loaders.load(WTI, data_dir=data_dir))
    threads = [threading.Thread(target=t) for t in (writer, raw_reader, load_reader, load_reader, sidecar_reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert all(n > 10 for n in reads.values()), reads
    assert temp_files(data_dir) == []
    assert store.snapshot_problems(data_dir, catalog, WTI) == []
