"""Inflation, sources compared: IMF (average, end of period) and World Bank (CPI, GDP deflator) on one
log-scale chart, the years each source lacks, the peaks, and a 2012–2024 table with a CSV download."""

import pandas as pd
import streamlit as st

from app import cache, data, figures, ui
from app.i18n import number, translator
from app.inflation import (
    DEFAULT_COUNTRY,
    INFLATION_CATEGORIES,
    INFLATION_SERIES,
    METRIC_NAMES,
    SHORT_NAMES,
    TABLE_YEARS,
    display_table,
    for_country,
    grouped_source_line,
    has_projection,
    inflation_figure,
    missing_note,
    peaks,
    year_table,
)
from app.text import escape_markdown
from loaders.metadata import country_name

TEXT = {
    "events_not_loaded": {
        "en": "The events could not be loaded ({error}); the charts are drawn without them.",
        "es": "No se pudieron cargar los eventos ({error}); los gráficos se dibujan sin ellos.",
    },
    "intro": {
        "en": "Four published measures of how fast prices rose, on one chart. The IMF reports consumer prices as a "
        "yearly average and from December to December; the World Bank reports consumer prices (CPI) and the GDP "
        "deflator (all prices in the economy). The scale is logarithmic: each grid step is ten times the one below, "
        "so that 10 % and 100,000 % fit on one chart. Hover over a ◆ for the documents' words.",
        "es": "Cuatro medidas publicadas de cuánto subieron los precios, en un solo gráfico. El FMI informa los "
        "precios al consumidor como promedio anual y de diciembre a diciembre; el Banco Mundial informa los precios "
        "al consumidor (IPC) y el deflactor del PIB (todos los precios de la economía). La escala es logarítmica: "
        "cada paso de la cuadrícula es diez veces el anterior, así caben 10 % y 100.000 % en un mismo gráfico. Pase el "
        "cursor sobre un ◆ para ver las palabras de los documentos.",
    },
    "country": {"en": "Country", "es": "País"},
    "chart_title": {"en": "Inflation in {country}: four sources", "es": "Inflación en {country}: cuatro fuentes"},
    "projection_short": {"en": "projection", "es": "proyección"},
    "dashed": {
        "en": "Dashed lines: IMF projections. Log scale: each step up is ten times the one below.",
        "es": "Líneas discontinuas: proyecciones del FMI. Escala logarítmica: cada paso hacia arriba es diez veces "
        "el anterior.",
    },
    "peak": {"en": "Peak: {name}", "es": "Máximo: {name}"},
    "peak_year": {"en": "in {year}", "es": "en {year}"},
    "peak_help": {
        "en": "The highest observed (not projected) yearly value. {source}",
        "es": "El valor anual observado (no proyectado) más alto. {source}",
    },
    "table_title": {"en": "The four values, {first}–{last}", "es": "Los cuatro valores, {first}–{last}"},
    "table_caption": {
        "en": "Annual inflation, % change. A dash (–): the source has no figure for that year. "
        "“IMF projection” marks years whose IMF values are projections, not observations.",
        "es": "Inflación anual, % de variación. Un guion (–): la fuente no tiene cifra para ese año. "
        "«Proyección del FMI» marca los años cuyos valores del FMI son proyecciones, no observaciones.",
    },
    "year": {"en": "Year", "es": "Año"},
    "imf_projection": {"en": "IMF projection", "es": "Proyección del FMI"},
    "nothing": {
        "en": "None of the four sources has inflation figures for {country}.",
        "es": "Ninguna de las cuatro fuentes tiene cifras de inflación para {country}.",
    },
}

lang = ui.current_language()
tr = translator(TEXT, lang)
st.title(tr("page_inflation"))
st.caption(tr("intro"))

cat = data.series_catalog()
loaded: dict[str, pd.DataFrame] = {}
for sid in INFLATION_SERIES:
    frame, error = data.try_series(sid)
    if frame is None:
        ui.warn_not_loaded(sid, error, lang)
        continue
    loaded[sid] = frame

codes = sorted({c for f in loaded.values() for c in f["country"].unique()}, key=lambda c: country_name(c, lang))
if DEFAULT_COUNTRY in codes:
    codes.remove(DEFAULT_COUNTRY)
    codes.insert(0, DEFAULT_COUNTRY)
country = (
    st.selectbox(tr("country"), codes, format_func=lambda c: country_name(c, lang), key="inflation_country")
    if codes
    else DEFAULT_COUNTRY
)
place = country_name(country, lang)

# Built once per country and snapshots, and shared by every session (app.cache): read, never modified.
snapshots = (country, tuple(loaded), cache.snapshot_key(loaded))
frames = cache.shared_result(
    "inflation-frames", snapshots, lambda: {sid: for_country(frame, country) for sid, frame in loaded.items()}
)
names = {sid: SHORT_NAMES[sid][lang] for sid in frames}
legend_names = {sid: METRIC_NAMES[sid][lang] for sid in frames}
if not frames or all(f.empty for f in frames.values()):
    st.info(tr("nothing", country=place))
    st.stop()

# Peaks: each source's highest observed value.
found = peaks(frames)
for column, peak in zip(st.columns(len(found)) if found else [], found, strict=True):
    with column:
        st.metric(
            tr("peak", name=METRIC_NAMES[peak.series_id][lang]),
            f"{number(peak.value, lang)} %",
            tr("peak_year", year=peak.year),
            delta_color="off",
            delta_arrow="off",
            help=escape_markdown(tr("peak_help", source=data.source_line([peak.series_id], lang))),
        )

note = missing_note(frames, names, lang)
marked = None
if country == DEFAULT_COUNTRY:  # the documents' events are Venezuela's
    try:
        marked = data.events_for(INFLATION_SERIES, INFLATION_CATEGORIES)
    except Exception as e:  # a broken events file must not take the numbers down with it
        st.warning(tr("events_not_loaded", error=escape_markdown(str(e).split(". ")[0][:200])), icon="⚠️")
present = [sid for sid in frames if not frames[sid].empty]
text = figures.ChartText(
    title=tr("chart_title", country=place),
    y_title=f"{cat.loc[INFLATION_SERIES[0], f'unit_{lang}']} (log)",
    source=grouped_source_line(cat, present, lang),
    projection=tr("projection_short"),
    left_out=tr("left_out"),
)
fig = cache.shared_result(
    "inflation-figure",
    (*snapshots, lang, repr(text), cache.frame_key(marked)),
    lambda: inflation_figure(
        frames,
        legend_names,
        marked,
        text,
        lang=lang,
        hover_unit="%",
        category_names=ui.category_names(lang),
    ),
)
st.subheader(text.title)
if has_projection(frames):
    st.caption(tr("dashed"))
ui.show_chart(fig, key=f"inflation-{country}")
if note:
    st.info(note, icon="ℹ️")

first, last = TABLE_YEARS
st.subheader(tr("table_title", first=first, last=last))
table = cache.shared_result("inflation-table", (*snapshots, first, last), lambda: year_table(frames, first, last))
shown_table = cache.shared_result(
    "inflation-table-shown", (*snapshots, first, last, lang), lambda: display_table(table, lang)
)
column_config = {
    "year": st.column_config.NumberColumn(tr("year"), format="%d", pinned=True),
    "imf_projection": st.column_config.CheckboxColumn(tr("imf_projection")),
}
for sid in frames:
    column_config[sid] = st.column_config.TextColumn(
        legend_names[sid], help=escape_markdown(cat.loc[sid, f"title_{lang}"]), alignment="right"
    )
st.dataframe(
    shown_table,
    hide_index=True,
    column_config=column_config,
    width="stretch",
    height=35 * (len(table) + 1) + 3,
    placeholder="–",
)
st.caption(tr("table_caption"))
ui.download_csv(
    table.assign(country=country)[["year", "country", *frames, "imf_projection"]],
    present,
    lang,
    file_name=f"inflation_{country}_{first}_{last}.csv",
    key="inflation-download",
)
