"""Small Streamlit helpers shared by the pages: language, chart display, downloads, notices."""

from __future__ import annotations

import json
import weakref

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app.charts import describe
from app.downloads import csv_with_provenance, provenance_header
from app.i18n import DEFAULT_LANGUAGE, LANGUAGES, plotly_locale, translator
from app.runtime import cache, data
from app.runtime.device import is_phone
from app.text import escape_markdown
from loaders.metadata import SAFE_ID

LANG_KEY = "lang"
# The key prefix of containers read by screen readers but not shown (styled by app/runtime/accessibility.py).
SCREEN_READER_ONLY = "screen-reader-only"

# Streamlit's own words that a page cannot pass in: the skip link its frame writes, the names its buttons give
# screen readers (the sidebar's, a heading's link, a table's toolbar, a select box's "Open" and "Clear all") and
# the tooltips it adds to every chart's toolbar, keyed by Streamlit's English, which the page's script finds
# them by. A chosen option's remove button and a full-screen image say "Remove …" / "Fullscreen: …" before
# the page's own words (STREAMLIT_PREFIXES).
STREAMLIT_WORDS = {
    "Skip to main content": {"en": "Skip to main content", "es": "Saltar al contenido principal"},
    "Fullscreen": {"en": "Fullscreen", "es": "Pantalla completa"},
    "Close fullscreen": {"en": "Close fullscreen", "es": "Salir de pantalla completa"},
    "Collapse sidebar": {"en": "Collapse sidebar", "es": "Ocultar la barra lateral"},
    "Expand sidebar": {"en": "Expand sidebar", "es": "Mostrar la barra lateral"},
    "Sidebar": {"en": "Sidebar", "es": "Barra lateral"},
    "Link to heading": {"en": "Link to heading", "es": "Enlace a este título"},
    "Open": {"en": "Open", "es": "Abrir"},
    "Clear all": {"en": "Clear all", "es": "Quitar todo"},
    "Download as CSV": {"en": "Download as CSV", "es": "Descargar como CSV"},
    "Search": {"en": "Search", "es": "Buscar"},
    "Show/hide columns": {"en": "Show/hide columns", "es": "Mostrar u ocultar columnas"},
}
STREAMLIT_PREFIXES = {
    "Remove ": {"en": "Remove ", "es": "Quitar "},
    "Fullscreen: ": {"en": "Fullscreen: ", "es": "Pantalla completa: "},
}
# Streamlit's slider thumbs are 12 px: on a phone a finger needs about 28.
PHONE_CSS = """<style>
[data-testid="stSlider"] [role="group"] div[data-rac][style*="translate(-50%, -50%)"] {
  width: 28px !important; height: 28px !important;
}
</style>"""
# Sets the page's language for the browser and screen readers, and puts STREAMLIT_WORDS in it, now and as charts
# appear. Only the constant table above is written: nothing from the data or the address.
PAGE_LANGUAGE_SCRIPT = """<script>
(() => {
  const lang = %(lang)s, words = %(words)s, prefixes = %(prefixes)s, root = window.parent.document;
  root.documentElement.lang = lang;
  const said = (text) => {
    if (words[text]) return words[text];
    for (const [english, ours] of Object.entries(prefixes)) {
      if (text.startsWith(english)) return ours + text.slice(english.length);
    }
    return null;
  };
  const translate = () => {
    const skip = root.querySelector('[data-testid="stSkipToContent"]');
    if (skip && words[skip.textContent]) skip.textContent = words[skip.textContent];
    root.querySelectorAll(".modebar-btn[data-title]").forEach((button) => {
      const ours = said(button.getAttribute("data-title"));
      if (ours) button.setAttribute("data-title", ours);
    });
    root.querySelectorAll("[aria-label]").forEach((element) => {
      const ours = said(element.getAttribute("aria-label"));
      if (ours) element.setAttribute("aria-label", ours);
    });
  };
  root.__pageWordsTranslate = translate;
  if (!Object.keys(words).length && !Object.keys(prefixes).length) return;  // Streamlit's words are already these
  translate();
  if (!root.__pageWordsObserver) {
    // Once a frame at most, however many elements a run adds.
    let asked = false;
    root.__pageWordsObserver = new MutationObserver(() => {
      if (asked) return;
      asked = true;
      root.defaultView.requestAnimationFrame(() => { asked = false; root.__pageWordsTranslate(); });
    });
    root.__pageWordsObserver.observe(root.body, {childList: true, subtree: true});
  }
})();
</script>"""

PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "width": 1400, "height": 700, "scale": 1},
}


def current_language() -> str:
    """The reader's language: from the URL (``?lang=es``), else this session's last choice, else English."""
    asked = st.query_params.get(LANG_KEY)
    if asked in LANGUAGES:
        st.session_state[LANG_KEY] = asked
    return st.session_state.get(LANG_KEY, DEFAULT_LANGUAGE)


def language_selector() -> str:
    """The one language control (sidebar); keeps the choice in the URL so shared links keep it."""
    lang = current_language()
    tr = translator({}, lang)
    choice = st.sidebar.radio(
        tr("language"),
        list(LANGUAGES),
        index=list(LANGUAGES).index(lang),
        format_func=LANGUAGES.get,
        horizontal=True,
        key="language_choice",
    )
    st.session_state[LANG_KEY] = choice
    st.query_params[LANG_KEY] = choice
    return choice


def fit_page_to_reader(lang: str) -> None:
    """What Streamlit draws itself, fitted to the reader: the page's language (``<html lang>``, the skip link, the
    charts' full-screen button) and, on a phone, slider thumbs a finger can hold. Takes no room on the page."""
    words = {english: texts[lang] for english, texts in STREAMLIT_WORDS.items() if texts[lang] != english}
    prefixes = {english: texts[lang] for english, texts in STREAMLIT_PREFIXES.items() if texts[lang] != english}
    script = PAGE_LANGUAGE_SCRIPT % {
        "lang": json.dumps(lang),
        "words": json.dumps(words),
        "prefixes": json.dumps(prefixes),
    }
    style = PHONE_CSS if is_phone(st.context.headers.get("User-Agent")) else ""
    st.html(style + script, unsafe_allow_javascript=True)


def keep_language_in_url(lang: str) -> None:
    """Pages call this after changing other query params, which may have dropped ``lang``."""
    st.query_params[LANG_KEY] = lang


def show_chart(fig: go.Figure, key: str) -> None:
    """The chart, its toolbar in the reader's language (on a phone without the toolbar, which would sit on the
    first legend entry: a finger still drags to zoom, and a double tap zooms back out), and the chart in words.
    """
    lang = current_language()
    config = PLOTLY_CONFIG | plotly_locale(lang)
    if is_phone(st.context.headers.get("User-Agent")):
        config["displayModeBar"] = False
    description = chart_description(fig, lang)
    # Its description in words, read by screen readers just before the chart (not shown: the same words are under
    # the chart in "Describe this chart").
    with st.container(key=f"described-{key}"):
        with st.container(key=f"{SCREEN_READER_ONLY}-{key}"):
            st.markdown(escape_markdown(description))
        st.plotly_chart(wire_figure(fig), width="stretch", theme=None, config=config, key=key)
        with st.expander(translator(describe.TEXT, lang)("describe_chart"), icon=":material/description:"):
            st.markdown(escape_markdown(description))


# A figure is shown many times and never modified (it is shared): its description and its wire form are made once
# per figure (and language), and leave with the figure.
_descriptions: dict[tuple[int, str], tuple[weakref.ref, str]] = {}
_wire_figures: dict[int, tuple[weakref.ref, go.Figure]] = {}


def chart_description(fig: go.Figure, lang: str) -> str:
    """``describe.describe_figure(fig, lang)``, made once per figure object and language."""
    key = (id(fig), lang)
    kept = _descriptions.get(key)
    if kept is not None and kept[0]() is fig:
        return kept[1]
    description = describe.describe_figure(fig, lang)
    _descriptions[key] = (weakref.ref(fig, lambda _, key=key: _descriptions.pop(key, None)), description)
    return description


class _WireFigure(go.Figure):
    """What ``st.plotly_chart`` is given: an empty figure whose ``to_dict`` is a finished figure's JSON, parsed once.

    Streamlit asks the figure for its dict on every rerun, and plotly deep-copies every trace for it and then walks
    every value again to serialise it (about 100 ms for the Migration map each rerun). Plain JSON types are copied by
    nobody and serialised in one call.
    """

    def to_dict(self) -> dict:
        return self._plain


def wire_figure(fig: go.Figure) -> go.Figure:
    """``fig`` as Streamlit sends it, made once per figure object: the same JSON, none of the per-rerun copying."""
    key = id(fig)
    kept = _wire_figures.get(key)
    if kept is not None and kept[0]() is fig:
        return kept[1]
    wired = _WireFigure()
    wired._plain = json.loads(fig.to_json(validate=False, engine="json"))
    _wire_figures[key] = (weakref.ref(fig, lambda _, key=key: _wire_figures.pop(key, None)), wired)
    return wired


def category_names(lang: str) -> dict[str, str]:
    """Event category labels in the reader's language, from the events catalogue."""
    names = {key: labels[lang] for key, labels in data.event_categories().items()}
    names["context"] = translator({}, lang)("category_context")
    return names


def download_csv(
    frame: pd.DataFrame, series_ids: list[str], lang: str, file_name: str, key: str, label: str | None = None
) -> None:
    """A download button for exactly the plotted data, headed by source, licence and citation.

    The CSV is written when the reader clicks (Streamlit calls ``data`` then), not on every rerun of the page.
    """
    header = cache.build_shared(_csv_header, tuple(dict.fromkeys(series_ids)), lang)
    rows = frame.copy(deep=False)  # what the page shows now, whatever it does to ``frame`` later
    st.download_button(
        label or translator({}, lang)("download_csv"),
        data=lambda: csv_with_provenance(rows, header),
        file_name=file_name,
        mime="text/csv",
        key=key,
        on_click="ignore",
    )


def _csv_header(series_ids: tuple[str, ...], lang: str) -> list[str]:
    """The provenance lines of ``download_csv``, made once per series list, language and data version."""
    return provenance_header(data.series_catalog(), list(series_ids), lang)


def warn_not_loaded(series_id: str, error: str, lang: str) -> None:
    # A catalogue id is [a-z0-9_] only, so a code span shows it exactly as the reader would type it.
    shown = f"`{series_id}`" if SAFE_ID.fullmatch(series_id) else escape_markdown(series_id)
    text = translator({}, lang)("not_loaded", series=shown, error=escape_markdown(error))
    st.warning(text, icon="⚠️")
