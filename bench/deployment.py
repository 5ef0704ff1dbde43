"""Start ``deploy/local.sh`` (nginx in front of Streamlit replicas) for the benchmark and the tests."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.browser import REPO

from .server import wait_healthy

SCRIPT = REPO / "deploy" / "local.sh"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")


def missing() -> str | None:
    """Why the deployment cannot start on this machine, or None when it can."""
    for tool, package in (("nginx", "nginx"), ("envsubst", "gettext-base"), ("curl", "curl")):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt-get install {package}; .ci/run installs it)"
    if not BROTLI_MODULE.exists():
        return "nginx's brotli module is not installed (apt-get install libnginx-mod-http-brotli-filter)"
    return None


@dataclass
class Deployment:
    base: str  # the proxy
    replica_ports: list[int]
    process: subprocess.Popen  # local.sh, leader of its own process group

    def replica_pid(self, port: int) -> int:
        """The process id of the replica listening on ``port`` (a child of local.sh)."""
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                ppid = next(line for line in status.read_text().splitlines() if line.startswith("PPid:"))
                cmdline = (status.parent / "cmdline").read_bytes().split(b"\0")
            except (OSError, StopIteration):
                continue
            if int(ppid.split()[1]) == self.process.pid and b"--server.port" in cmdline:
                if cmdline[cmdline.index(b"--server.port") + 1] == str(port).encode():
                    return int(status.parent.name)
        raise LookupError(f"no replica on port {port}")

    def stop(self, sig: int = signal.SIGTERM, timeout_s: float = 30) -> int:
        """Send ``sig`` to local.sh's process group and wait for the script; its exit code."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
        return self.process.wait(timeout=timeout_s)


def free_block(size: int) -> int:
    """A port such that it and the ``size - 1`` after it are free on the loopback address."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            first = s.getsockname()[1]
        if first + size > 65535:
            continue
        try:
            for port in range(first, first + size):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
    raise RuntimeError(f"no {size} free consecutive ports")


@contextmanager
def local_deployment(replicas: int = 2, timeout_s: float = 90) -> Iterator[Deployment]:
    """``deploy/local.sh --replicas N`` on free loopback ports, ready to serve; stopped afterwards."""
    port = free_block(replicas + 1)
    log = tempfile.TemporaryFile("w+")  # nginx's complaints about a dead replica must not fill a pipe
    process = subprocess.Popen(
        ["bash", str(SCRIPT), "--replicas", str(replicas), "--port", str(port)],
        cwd=REPO,
        env={**os.environ, "PYTHON": sys.executable},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deployment = Deployment(f"http://127.0.0.1:{port}", [port + i for i in range(1, replicas + 1)], process)
    try:
        try:
            wait_healthy(deployment.base, process, timeout_s, "deploy/local.sh")
        except RuntimeError as e:
            log.seek(0)
            raise RuntimeError(f"{e}: {log.read()[-2000:]}") from None
        yield deployment
    finally:
        try:
            deployment.stop()
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
