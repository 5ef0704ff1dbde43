"""Overview: the story in one screen: four annotated charts and headline figures with sources."""

import pandas as pd
import streamlit as st

from app import data, figures, ui
from app.i18n import translator
from app.overview import OVERVIEW_CHARTS, headline_figures

TEXT = {
    "intro": {
        "en": "Oil prices, oil production, inflation and emigration, 1990–2025, with the events that two "
        "partisan documents describe marked on each chart. Hover over a ◆ marker for the document's words; "
        "click a category in a legend to hide it.",
        "es": "Precios y producción de petróleo, inflación y emigración, 1990–2025, con los eventos que describen "
        "dos documentos partidistas marcados en cada gráfico. Pase el cursor sobre un ◆ para ver las palabras del "
        "documento; haga clic en una categoría de la leyenda para ocultarla.",
    },
}

lang = ui.current_language()
tr = translator(TEXT, lang)
st.title(tr("app_title"))
st.caption(tr("intro"))

figures_now = headline_figures(lang)
for column, headline in zip(st.columns(len(figures_now)), figures_now, strict=True):
    with column:
        st.metric(headline.label, headline.value, headline.delta, delta_color="off", help=headline.source)
        st.caption(headline.source)

names = ui.category_names(lang)
left, right = st.columns(2)
for position, chart in enumerate(OVERVIEW_CHARTS):
    with left if position % 2 == 0 else right:
        frame, error = data.try_series(chart.series_id)
        if frame is None:
            ui.warn_not_loaded(chart.series_id, error, lang)
            continue
        frame = frame[frame["country"] == chart.country]
        cat = data.series_catalog().loc[chart.series_id]
        text = figures.ChartText(
            title=chart.title[lang],
            y_title=cat[f"unit_{lang}"],
            source=data.source_line([chart.series_id], lang),
            projection=tr("projection"),
            left_out=tr("left_out"),
        )
        line = figures.Line(frame, cat[f"title_{lang}"], hover_unit=cat[f"unit_{lang}"])
        x_range = (pd.Timestamp(chart.start), frame["date"].max())
        fig = figures.timeseries_figure(
            [line],
            data.events_for([chart.series_id]),
            text,
            lang=lang,
            log=chart.log,
            x_range=x_range,
            category_names=names,
            height=440,
            plot_px=420,
        )
        ui.show_chart(fig, key=f"overview-{chart.series_id}")
