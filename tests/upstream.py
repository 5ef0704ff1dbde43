"""The shared upstream stand-in (``../shared/upstream/serve.py``), started for a test when present."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SERVE = Path(__file__).resolve().parents[2] / "shared" / "upstream" / "serve.py"


@contextmanager
def upstream_mirror(latency_ms: int = 0) -> Iterator[str]:
    """Start serve.py on a free port and yield its base URL; stop it afterwards."""
    process = subprocess.Popen(
        [sys.executable, str(SERVE), "--port", "0", "--latency-ms", str(latency_ms)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        yield process.stdout.readline().strip()
    finally:
        process.terminate()
        process.wait(timeout=10)
