"""Inflation, sources compared: IMF (average, end of period) and World Bank (CPI, GDP deflator) on one
log-scale chart, the years each source lacks, the peaks, and a 2012–2024 table with a CSV download."""

import pandas as pd
import streamlit as st

from app.charts import figures
from app.charts.monthly import MONTHLY_CHARTS, monthly_figure
from app.i18n import number, translator
from app.runtime import cache, data, ui
from app.text import escape_markdown
from app.views.inflation import (
    DEFAULT_COUNTRY,
    INFLATION_CATEGORIES,
    INFLATION_SERIES,
    METRIC_NAMES,
    SHORT_NAMES,
    TABLE_YEARS,
    country_frames,
    display_table,
    has_estimate_or_projection,
    inflation_figure,
    missing_note,
    official_gap_note,
    peaks,
    year_table,
)
from loaders.metadata import country_name, read_catalog

TEXT = {
    "events_not_loaded": {
        "en": "The events could not be loaded ({error}); the charts are drawn without them.",
        "es": "No se pudieron cargar los eventos ({error}); los gráficos se dibujan sin ellos.",
    },
    "intro": {
        "en": "Four published measures of how fast prices rose, on one chart. The IMF reports consumer prices as a "
        "yearly average and from December to December; the World Bank reports consumer prices (CPI) and the GDP "
        "deflator (all prices in the economy). The scale is logarithmic: each grid step is ten times the one below, "
        "so that 10 % and 100,000 % fit on one chart. Tap or hover over a ◆ for the documents' words.",
        "es": "Cuatro medidas publicadas de cuánto subieron los precios, en un solo gráfico. El FMI informa los "
        "precios al consumidor como promedio anual y de diciembre a diciembre; el Banco Mundial informa los precios "
        "al consumidor (IPC) y el deflactor del PIB (todos los precios de la economía). La escala es logarítmica: "
        "cada paso de la cuadrícula es diez veces el anterior, así caben 10 % y 100.000 % en un mismo gráfico. "
        "Toque un ◆ o pase el cursor sobre él para ver las palabras de los documentos.",
    },
    "country": {"en": "Country", "es": "País"},
    "chart_title": {"en": "Inflation in {country}: four sources", "es": "Inflación en {country}: cuatro fuentes"},
    "dashed": {
        "en": "IMF values: solid line where actual, dotted with open circles where the IMF estimates a past year it "
        "has no reported figure for, dashed where it projects (2025 on, WEO October 2025). Log scale: each step up is "
        "ten times the one below.",
        "es": "Valores del FMI: línea continua donde son datos observados, punteada con círculos abiertos donde el FMI "
        "estima un año pasado sin cifra reportada, discontinua donde proyecta (desde 2025, WEO de octubre de 2025). "
        "Escala logarítmica: cada paso hacia arriba es diez veces el anterior.",
    },
    "peak": {"en": "Peak: {name}", "es": "Máximo: {name}"},
    "peak_year": {"en": "in {year}", "es": "en {year}"},
    "peak_help": {
        "en": "The highest yearly value the source reports as actual (not an IMF estimate or projection). {source}",
        "es": "El valor anual más alto que la fuente da como dato observado (no una estimación ni una proyección "
        "del FMI). {source}",
    },
    "table_title": {"en": "The four values, {first}–{last}", "es": "Los cuatro valores, {first}–{last}"},
    "table_caption": {
        "en": "Annual inflation, % change. A dash (–): the source has no figure for that year. "
        "“IMF status” says whether the IMF's values for the year are actual, estimates or projections.",
        "es": "Inflación anual, % de variación. Un guion (–): la fuente no tiene cifra para ese año. "
        "«Estado del dato del FMI» dice si los valores del FMI del año son datos observados, estimaciones o "
        "proyecciones.",
    },
    "year": {"en": "Year", "es": "Año"},
    "imf_status": {"en": "IMF status", "es": "Estado del dato del FMI"},
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

# Built once per country and data version, and shared by every session (app.runtime.cache): read, never modified.
frames = cache.build_shared(country_frames, loaded, country)
names = {sid: SHORT_NAMES[sid][lang] for sid in frames}
legend_names = {sid: METRIC_NAMES[sid][lang] for sid in frames}
if not frames or all(f.empty for f in frames.values()):
    st.info(tr("nothing", country=place))
    st.stop()

# Peaks: each source's highest observed value.
found = cache.build_shared(peaks, frames)
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

note = cache.build_shared(missing_note, frames, names, lang)
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
    source=data.source_line(present, lang, grouped=True),
    left_out=tr("left_out"),
)
fig = cache.build_shared(
    inflation_figure,
    frames,
    legend_names,
    marked,
    text,
    lang=lang,
    hover_unit="%",
    category_names=ui.category_names(lang),
    periods_of={sid: cat.loc[sid, "period"] for sid in frames},
)
st.header(text.title)
if cache.build_shared(has_estimate_or_projection, frames):
    st.caption(tr("dashed"))
ui.show_chart(fig, key=f"inflation-{country}")
if note:
    st.info(note, icon="ℹ️")
gap = (
    cache.build_shared(official_gap_note, frames["inflation_eop_imf_pct"], lang)
    if "inflation_eop_imf_pct" in frames
    else None
)
if country == DEFAULT_COUNTRY and gap:
    st.caption(gap)

first, last = TABLE_YEARS
st.header(tr("table_title", first=first, last=last))
table = cache.build_shared(year_table, frames, first, last)
shown_table = cache.build_shared(display_table, table, lang)
column_config = {
    "year": st.column_config.NumberColumn(tr("year"), format="%d", pinned=True),
    "imf_status": st.column_config.TextColumn(tr("imf_status")),
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
    table.assign(country=country)[["year", "country", *frames, "imf_status"]],
    present,
    lang,
    file_name=f"inflation_{country}_{first}_{last}.csv",
    key="inflation-download",
)

# Months, not years: the bolívar across its redenominations, and the oil shutdown in monthly imports.
MONTHLY_TEXT = {
    "monthly_title": {"en": "Month by month", "es": "Mes a mes"},
    "monthly_intro": {
        "en": "Annual figures hide what happened within a year. The official exchange rate below is in today's "
        "bolívares throughout: the dashboard divides each month by the redenominations that came after it "
        "(2008 ÷1,000; 2018 ÷100,000; 2021 ÷1,000,000, marked on the chart), so the line does not jump where the "
        "currency was renamed. August 2018, which FRED averages over both units, is left out. Tap or hover to see "
        "each month as it was published. The official rate only: the parallel-market rate was often much higher.",
        "es": "Las cifras anuales ocultan lo que pasó dentro de un año. El tipo de cambio oficial de abajo está "
        "siempre en bolívares de hoy: el tablero divide cada mes entre las reconversiones posteriores (2008 ÷1.000; "
        "2018 ÷100.000; 2021 ÷1.000.000, marcadas en el gráfico), así que la línea no salta donde cambió el nombre "
        "de la moneda. Agosto de 2018, que FRED promedia sobre las dos unidades, se omite. Toque o pase el cursor "
        "para ver cada mes tal como se publicó. Solo el tipo oficial: el del mercado paralelo fue a menudo mucho "
        "más alto.",
    },
}
mtr = translator(MONTHLY_TEXT, lang)
st.header(mtr("monthly_title"))
st.caption(mtr("monthly_intro"))
raw_catalog = read_catalog()
for chart in MONTHLY_CHARTS:
    frame, error = data.try_series(chart.series_id)
    if frame is None:
        ui.warn_not_loaded(chart.series_id, error, lang)
        continue
    try:
        marked_monthly = data.events_for([chart.series_id])
    except Exception as e:  # a broken events file must not take the numbers down with it
        st.warning(tr("events_not_loaded", error=escape_markdown(str(e).split(". ")[0][:200])), icon="⚠️")
        marked_monthly = None
    monthly_text = figures.ChartText(
        y_title=cat.loc[chart.series_id, f"unit_{lang}"],
        source=data.source_line([chart.series_id], lang),
        left_out=tr("left_out"),
    )
    st.subheader(chart.title[lang])
    monthly_fig = cache.build_shared(
        monthly_figure,
        chart,
        frame,
        raw_catalog.series[chart.series_id],
        marked_monthly,
        monthly_text,
        lang,
        category_names=ui.category_names(lang),
    )
    ui.show_chart(monthly_fig, key=f"inflation-monthly-{chart.series_id}")
