"""Overview: the story in one screen: four annotated charts and headline figures with sources."""

import streamlit as st

from app.i18n import translator
from app.links import safe_link
from app.runtime import ui
from app.text import escape_markdown
from app.views.overview import OVERVIEW_CHARTS, cached_headline_figures, overview_figure

TEXT = {
    "intro": {
        "en": "Oil prices, oil production, inflation and emigration, 1990–2025, with the events that two "
        "partisan documents describe marked on each chart. Tap or hover over a ◆ marker for the document's "
        "words; tap or click a category in a legend to hide it.",
        "es": "Precios y producción de petróleo, inflación y emigración, 1990–2025, con los eventos que describen "
        "dos documentos partidistas marcados en cada gráfico. Toque un ◆ o pase el cursor sobre él para ver las "
        "palabras del documento; toque o haga clic en una categoría de la leyenda para ocultarla.",
    },
}

lang = ui.current_language()
tr = translator(TEXT, lang)
st.title(tr("app_title"))
st.caption(tr("intro"))

figures_now = cached_headline_figures(lang)
for column, headline in zip(st.columns(len(figures_now)), figures_now, strict=True):
    with column:
        source = escape_markdown(headline.source)
        st.metric(
            headline.label, headline.value, headline.delta, delta_color="off", delta_arrow=headline.arrow, help=source
        )
        if headline.note:
            link = f" {safe_link('↗', headline.note_url)}" if headline.note_url else ""
            st.caption(escape_markdown(headline.note) + link)
        st.caption(source)

# Two rows of two, so a phone (one column) reads them in the same order as a desktop.
for row in (OVERVIEW_CHARTS[:2], OVERVIEW_CHARTS[2:]):
    for column, chart in zip(st.columns(2), row, strict=True):
        with column:
            st.header(chart.title[lang])
            fig, error = overview_figure(chart, lang)
            if fig is None:
                ui.warn_not_loaded(chart.series_id, error, lang)
                continue
            ui.show_chart(fig, key=f"overview-{chart.series_id}")
