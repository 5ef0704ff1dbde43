"""Real-browser helpers: start the dashboard on 127.0.0.1 and drive Debian's Chromium with Playwright.

Screenshots go to ``artifacts/screenshots/`` (ignored by git; CI keeps them out of the repo).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
# Every page as (url path, charts it draws at least); the Overview lives at the root
PAGE_CHARTS = [
    ("", 4),
    ("explore", 1),
    ("inflation", 1),
    ("migration", 2),
    ("events", 1),
    ("claims", 1),
    ("sources", 0),
    ("presenter", 1),
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(env: dict[str, str] | None = None, script: str = "dashboard.py") -> Iterator[str]:
    """Run ``streamlit run script`` on a free loopback port; yield its base URL; stop it afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as answer:  # noqa: S310 (loopback)
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError(f"streamlit did not start on {base}")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


PHONE_USER_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1"
)


@contextmanager
def browser_page(width: int = 1400, height: int = 1800, phone: bool = False) -> Iterator:
    """A Playwright page in headless Debian Chromium (no network beyond loopback); ``phone``: an iPhone's user
    agent and touch screen, as the dashboard tells phones apart (``app.runtime.device.is_phone``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            as_phone = {"user_agent": PHONE_USER_AGENT, "is_mobile": True, "has_touch": True} if phone else {}
            page = browser.new_page(viewport={"width": width, "height": height}, **as_phone)
            yield page
        finally:
            browser.close()


def wait_until_drawn(page, charts: int = 1, timeout_ms: int = 45_000) -> None:
    """Wait for the app to finish running and at least ``charts`` Plotly charts to have drawn."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    page.wait_for_function(
        "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n", arg=charts, timeout=timeout_ms
    )
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=timeout_ms)


def exception_texts(page) -> list[str]:
    """Texts of any Streamlit exception or error boxes on the page."""
    boxes = page.query_selector_all("[data-testid='stException'], [data-testid='stAlertContentError']")
    return [box.inner_text() for box in boxes]


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
