r"""Charts as image files (PNG, SVG), for the slide pack and for "Download PNG/SVG".

Drawn by Plotly's image export (kaleido 1.x), which drives a local Chromium or Chrome through choreographer.
It needs no network: plotly.js comes from the plotly package and MathJax is switched off. The browser is
``$BROWSER_PATH`` if set, else ``chromium``, ``chromium-browser``, ``google-chrome`` or ``chrome`` on the PATH.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import Callable

import plotly.graph_objects as go

from app.text import escape_plotly

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
TITLE_PX = 44  # room above the chart for a title drawn into the image


class ExportError(RuntimeError):
    """The images could not be drawn (no browser, or the browser failed); says why."""


# Each render starts a Chromium (about 250 MB, seconds to tens of seconds): however many readers ask, the
# server draws one set of images at a time; the others wait their turn, in order.
MAX_RENDERS = 1
_render_slots = threading.BoundedSemaphore(MAX_RENDERS)
_queue_lock = threading.Lock()
_queue: list[object] = []  # one ticket per render waiting or drawing, oldest first


def renders_queued() -> int:
    """How many renders are being drawn or waiting to be, on this server, right now."""
    with _queue_lock:
        return len(_queue)


class _RenderTurn:
    """Wait for a render slot, in the order asked."""

    def __enter__(self) -> _RenderTurn:
        self._ticket = object()
        with _queue_lock:
            _queue.append(self._ticket)
        _render_slots.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        _render_slots.release()
        with _queue_lock:
            _queue.remove(self._ticket)


def browser_path() -> str | None:
    """The Chrome/Chromium kaleido will drive: ``$BROWSER_PATH``, else the first one on the PATH."""
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return next((found for name in BROWSER_NAMES if (found := shutil.which(name))), None)


Progress = Callable[[int, int], None]  # (images drawn, images in all), called on the caller's thread


async def _render(figs: list[go.Figure], opts: dict, path: str, drawn: list[bytes]) -> None:
    import kaleido  # imported here: only an export needs it

    async with kaleido.Kaleido(n=1, timeout=60, mathjax=False, path=path) as renderer:
        for fig in figs:
            drawn.append(await renderer.calc_fig(fig, opts=opts))


def render_images(
    figs: list[go.Figure],
    image_format: str,
    width: int,
    height: int,
    browser: str | None,
    progress: Progress | None = None,
) -> list[bytes]:
    """Each figure as ``image_format`` ("png" or "svg") bytes, drawn by one headless session of ``browser``,
    offline. Raises ExportError.

    ``progress`` hears how many images are drawn about every quarter second, on the calling thread (where a
    Streamlit page can update its progress bar)."""
    if browser is None:
        raise ExportError(
            "no Chromium or Chrome found (install Debian's chromium package, or set BROWSER_PATH to a Chrome)"
        )
    opts = {"format": image_format, "width": width, "height": height, "scale": 1}
    drawn: list[bytes] = []
    failure: list[Exception] = []

    def run() -> None:  # its own thread, so it never meets a running event loop
        try:
            asyncio.run(_render(figs, opts, browser, drawn))
        except Exception as e:  # noqa: BLE001 (reported to the caller below)
            failure.append(e)

    worker = threading.Thread(target=run, name="image-export", daemon=True)
    with _RenderTurn():
        worker.start()
        while worker.is_alive():
            worker.join(0.25)
            if progress:
                progress(len(drawn), len(figs))
    if failure:
        raise ExportError(f"{browser} could not draw the images: {failure[0]}") from failure[0]
    return drawn


def titled(fig: go.Figure, title: str) -> go.Figure:
    """A copy of ``fig`` with ``title`` drawn above it (pages show a chart's title outside the figure, where it
    wraps on a phone; a downloaded image must carry it). The source line is already in every chart."""
    copy = go.Figure(fig)
    top = (copy.layout.margin.t or 80) + TITLE_PX
    copy.update_layout(
        title={
            "text": escape_plotly(title),
            "x": 0.01,
            "xanchor": "left",
            "y": 0.99,
            "yref": "container",
            "yanchor": "top",
            "font": {"size": 20},
        },
        margin={"t": top},
    )
    if copy.layout.height:
        copy.update_layout(height=copy.layout.height + TITLE_PX)
    return copy


def chart_image(fig: go.Figure, title: str, image_format: str, width: int = 1400) -> bytes:
    """One chart, its title drawn in, as PNG or SVG bytes, as tall as the chart is (see ``render_images``)."""
    drawn = titled(fig, title)
    return render_images([drawn], image_format, width, drawn.layout.height or 700, browser_path())[0]
