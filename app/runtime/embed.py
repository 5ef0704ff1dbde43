"""A chart embedded in another page (``?embed=true``), and the controls that give it away: the ``<iframe>``
code and the chart as PNG or SVG with its title and source line drawn in."""

from __future__ import annotations

import os
from collections.abc import Mapping

import plotly.graph_objects as go
import streamlit as st

from app import embed, image_export
from app.i18n import translator
from app.runtime import ui
from app.text import escape_markdown

PUBLIC_URL_ENV = "DASHBOARD_PUBLIC_URL"  # the address readers reach the dashboard at, when it is not the browser's


def is_embedded() -> bool:
    """Whether the page was opened with ``?embed=true`` (Streamlit keeps it out of ``st.query_params``)."""
    return bool(st.context.is_embedded)


EMBEDDED_VIEW = "embedded-view"  # the key of the container an embedded page shows, alone
# A page computes its chart from its controls' state, so an embedded page still makes them, out of sight: only
# the embedded view's container is displayed (display: none also keeps the rest from screen readers and the
# keyboard). Streamlit's own ?embed=true already hides its header and menus.
_ONLY_THE_VIEW = f"""<style>
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > :not(:has(.st-key-{EMBEDDED_VIEW})) {{
  display: none;
}}
[data-testid="stMainBlockContainer"] {{ padding: 0.5rem 1rem; }}
</style>"""


def show_only_the_embedded_view() -> None:
    """Hide everything on the page but the container ``embedded_chart`` draws in."""
    st.html(_ONLY_THE_VIEW)


def view_address(page_path: str, embedded: bool, params: Mapping[str, str] | None = None) -> str:
    """This page's address for the view ``params`` describe (default: the URL now; the pages keep their state
    there), in the reader's language, embedded or not."""
    base = embed.page_base(st.context.url, os.environ.get(PUBLIC_URL_ENV), page_path)
    query = dict(st.query_params.to_dict() if params is None else params) | {ui.LANG_KEY: ui.current_language()}
    return embed.view_url(base, query, embed=embedded)


def embedded_chart(
    fig: go.Figure, title: str, page_path: str, key: str, params: Mapping[str, str] | None = None
) -> None:
    """The chart alone, for a frame in another page: its title, the chart (its source line drawn under it, as on
    every chart) and a link that opens the same view, whole, in a new tab."""
    tr = translator(embed.TEXT, ui.current_language())
    with st.container(key=EMBEDDED_VIEW, gap="small"):
        st.markdown(f"**{escape_markdown(title)}**")
        ui.show_chart(fig, key=key)
        st.link_button(tr("full_view"), view_address(page_path, False, params), icon=":material/open_in_new:")


def frame_height(fig: go.Figure) -> int:
    """An ``<iframe>`` tall enough for the chart, its title above and the link below it."""
    return int(fig.layout.height or 450) + 160


def share_controls(
    fig: go.Figure, title: str, page_path: str, file_stem: str, key: str, params: Mapping[str, str] | None = None
) -> None:
    """An "Embed" popover with the ``<iframe>`` code of this view, and PNG and SVG downloads of the chart with
    its title and source line drawn in (drawn when clicked: each takes a headless Chromium a few seconds)."""
    lang = ui.current_language()
    tr = translator(embed.TEXT, lang)
    has_browser = image_export.browser_path() is not None
    with st.container(horizontal=True, key=f"{key}-embed-and-images"):
        with st.popover(tr("embed"), icon=":material/code:", help=tr("embed_help"), key=f"{key}-embed"):
            code = embed.iframe_code(view_address(page_path, True, params), title, height=frame_height(fig))
            st.code(code, language="html", wrap_lines=True)
            st.caption(tr("embed_caption"))
        for image_format in ("png", "svg"):
            st.download_button(
                tr(f"download_{image_format}"),
                data=lambda image_format=image_format: image_export.chart_image(fig, title, image_format),
                file_name=f"{file_stem}.{image_format}",
                mime=image_export.FORMATS[image_format],
                on_click="ignore",
                icon=":material/image:",
                help=tr("download_image_help") if has_browser else tr("no_browser"),
                disabled=not has_browser,
                key=f"{key}-{image_format}",
            )
