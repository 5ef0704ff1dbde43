"""Start a Streamlit app on 127.0.0.1 as our own process, so the benchmark can read its memory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.browser import REPO, free_port


@dataclass
class App:
    base: str
    process: subprocess.Popen

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss_mb(self) -> float:
        """Resident memory of the server process (VmRSS), in MB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"no VmRSS for pid {self.pid}")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far, threads that ended included (10 ms ticks)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_healthy(base: str, process: subprocess.Popen, timeout_s: float, what: str) -> None:
    """Until ``base/_stcore/health`` answers 200; an error naming ``what`` if it exits or the time runs out."""
    deadline = time.monotonic() + timeout_s
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:  # noqa: S310 (loopback)
                if answer.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start on {base} in {timeout_s:g} s") from None
            time.sleep(0.2)


@contextmanager
def serve(script: str, env: dict[str, str] | None = None, timeout_s: float = 60) -> Iterator[App]:
    """``streamlit run script`` on a free loopback port with the repository's config; stop it afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    app = App(f"http://127.0.0.1:{port}", process)
    try:
        wait_healthy(app.base, process, timeout_s, f"streamlit run {script}")
        yield app
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
