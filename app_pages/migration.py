"""Migration: Venezuelans abroad by UNHCR category, where they live now, and net migration."""

import pandas as pd
import streamlit as st

from app.charts import figures
from app.charts.host_map import MapWords, host_map_figure, with_written_numbers
from app.geography import map_geometry
from app.i18n import format_people, number, translator
from app.runtime import cache, data, ui
from app.runtime.device import is_phone
from app.text import escape_markdown
from app.views.migration import (
    ABROAD_START,
    CATEGORY_SERIES,
    HOST_SERIES,
    MIGRATION_CATEGORIES,
    NET_MIGRATION_SERIES,
    SHORT_NAMES,
    TOP_HOSTS,
    abroad_in_latest_year,
    categories_download,
    counted_rows,
    first_year,
    host_bar_figure,
    host_map_rows,
    host_years,
    largest_outflow,
    moment,
    net_migration_figure,
    stacked_area_figure,
    top_hosts,
    venezuela_rows,
    year_total,
)

TEXT = {
    "events_not_loaded": {
        "en": "The events could not be loaded ({error}); the charts are drawn without them.",
        "es": "No se pudieron cargar los eventos ({error}); los gráficos se dibujan sin ellos.",
    },
    "intro": {
        "en": "How many people from Venezuela live abroad under UNHCR's three categories (refugees, asylum "
        "seekers, and other people in need of international protection), which countries host them, and the "
        "World Bank's estimate of net migration. Tap or hover over a ◆ for the documents' words.",
        "es": "Cuántas personas de Venezuela viven en el exterior según las tres categorías del ACNUR (refugiados, "
        "solicitantes de asilo y otras personas con necesidad de protección internacional), qué países las "
        "acogen, y la estimación de migración neta del Banco Mundial. Toque un ◆ o pase el cursor sobre él "
        "para ver las palabras de los documentos.",
    },
    "abroad_title": {
        "en": "Venezuelans abroad under UNHCR's mandate, by category, since {start}",
        "es": "Venezolanos en el exterior bajo el mandato del ACNUR, por categoría, desde {start}",
    },
    "abroad_metric": {"en": "Displaced abroad, {year}", "es": "Desplazados en el exterior, {year}"},
    "abroad_parts": {
        "en": "refugees {refugees} · asylum seekers {asylum} · others in need of protection {other}",
        "es": "refugiados {refugees} · solicitantes de asilo {asylum} · otras personas con necesidad de protección "
        "{other}",
    },
    "top_metric": {"en": "Largest host country, {year}", "es": "Principal país de acogida, {year}"},
    "top_delta": {"en": "{share} % of the total", "es": "{share} % del total"},
    "outflow_metric": {"en": "Largest net outflow (World Bank)", "es": "Mayor salida neta (Banco Mundial)"},
    "outflow_delta": {"en": "in {year}", "es": "en {year}"},
    "oip_note": {
        "en": "UNHCR reports “other people in need of international protection” only from {year}; part of the "
        "jump that year is the new category, not only new departures.",
        "es": "El ACNUR informa de «otras personas con necesidad de protección internacional» solo desde {year}; "
        "parte del salto de ese año es la nueva categoría, no solo nuevas salidas.",
    },
    "hosts_title": {
        "en": "Where they live, {year}: the top {n} host countries ({unit})",
        "es": "Dónde viven, {year}: los {n} principales países de acogida ({unit})",
    },
    "hosts_caption": {
        "en": "The top {n} host countries: {top} people ({share} % of the {total} from Venezuela that UNHCR counts "
        "abroad, {year}); the other {rest} countries host the remaining {rest_people}. Percentages are shares of "
        "that total.",
        "es": "Los {n} principales países de acogida albergan a {top} personas ({share} % de las {total} personas "
        "de Venezuela que el ACNUR registra en el exterior, {year}); los otros {rest} países, a las {rest_people} "
        "restantes. Los porcentajes son partes de ese total.",
    },
    "hosts_table": {"en": "The numbers as a table", "es": "Las cifras en una tabla"},
    "map_title": {
        "en": "Where they live, year by year: the map ({unit})",
        "es": "Dónde viven, año por año: el mapa ({unit})",
    },
    "map_year": {"en": "Year", "es": "Año"},
    "map_moment": {"en": "UNHCR's count: {moment}", "es": "Recuento del ACNUR: {moment}"},
    "map_share": {"en": "of everyone abroad", "es": "de todos en el exterior"},
    "map_no_data": {"en": "no figure that year", "es": "sin cifra ese año"},
    "map_caption": {
        "en": "{countries} host countries, {total} people. Colours follow the order of magnitude (10, 100, 1,000 …); "
        "grey: UNHCR gives no figure for that country that year (not zero); dots: small countries the map has no "
        "outline for. Outlines: countryinfo package (MIT), from Natural Earth; drawn by the dashboard itself.",
        "es": "{countries} países de acogida, {total} personas. Los colores siguen el orden de magnitud (10, 100, "
        "1.000 …); en gris: el ACNUR no da cifra para ese país ese año (no es cero); puntos: países pequeños cuyo "
        "contorno no tiene el mapa. Contornos: paquete countryinfo (MIT), de Natural Earth; los dibuja el propio "
        "panel.",
    },
    "host_country": {"en": "Host country", "es": "País de acogida"},
    "share_of_total": {"en": "Share of the total", "es": "Parte del total"},
    "net_title": {
        "en": "Net migration, Venezuela (immigrants minus emigrants)",
        "es": "Migración neta, Venezuela (inmigrantes menos emigrantes)",
    },
    "net_name": {"en": "Net migration (World Bank)", "es": "Migración neta (Banco Mundial)"},
    "net_caption": {
        "en": "Below zero, more people left than arrived. The World Bank's figures are modelled estimates, not "
        "counts, and are built differently from UNHCR's.",
        "es": "Por debajo de cero, salieron más personas de las que llegaron. Las cifras del Banco Mundial son "
        "estimaciones de un modelo, no recuentos, y se construyen de otra manera que las del ACNUR.",
    },
}

lang = ui.current_language()
tr = translator(TEXT, lang)
st.title(tr("page_migration"))
st.caption(tr("intro"))

cat = data.series_catalog()
names_of_categories = ui.category_names(lang)
try:
    events = data.events_for([*CATEGORY_SERIES, HOST_SERIES, NET_MIGRATION_SERIES], MIGRATION_CATEGORIES)
except Exception as e:  # a broken events file must not take the numbers down with it
    st.warning(tr("events_not_loaded", error=escape_markdown(str(e).split(". ")[0][:200])), icon="⚠️")
    events = None


def load(series_id: str) -> pd.DataFrame | None:
    frame, error = data.try_series(series_id)
    if frame is None:
        ui.warn_not_loaded(series_id, error, lang)
    return frame


def host_table(hosts: pd.DataFrame, unit: str, height: int | str = "auto") -> None:
    """Host countries with their people and share, numbers written as the reader writes them."""
    st.dataframe(
        cache.build_shared(with_written_numbers, hosts, lang),
        hide_index=True,
        width="stretch",
        height=height,
        column_order=["name", "country", "people", "share_text"],
        column_config={
            "name": st.column_config.TextColumn(tr("host_country")),
            "country": st.column_config.TextColumn("ISO"),
            "people": st.column_config.TextColumn(unit, alignment="right"),
            "share_text": st.column_config.TextColumn(tr("share_of_total"), alignment="right"),
        },
    )


# Built once per series (and language) and shared by every session (app.runtime.cache): read, never modified.
loaded = {sid: f for sid in CATEGORY_SERIES if (f := load(sid)) is not None}
categories = {sid: cache.build_shared(venezuela_rows, frame) for sid, frame in loaded.items()}
hosts_frame = load(HOST_SERIES)
net_frame = load(NET_MIGRATION_SERIES)
net = cache.build_shared(venezuela_rows, net_frame) if net_frame is not None else None
hosts = cache.build_shared(top_hosts, hosts_frame, lang, TOP_HOSTS) if hosts_frame is not None else None

# Headline numbers, each with its source.
headline = st.columns(3)
abroad = cache.build_shared(abroad_in_latest_year, categories)
categories_source = data.source_line(categories, lang, grouped=True)
if abroad is not None:
    with headline[0]:
        st.metric(
            tr("abroad_metric", year=cache.build_shared(moment, categories, abroad.year, lang)),
            format_people(abroad.total, lang),
            help=escape_markdown(categories_source),
        )
        parts = {sid: format_people(v, lang) for sid, v in abroad.by_series.items()}
        st.caption(
            tr(
                "abroad_parts",
                refugees=parts.get(CATEGORY_SERIES[0], "–"),
                asylum=parts.get(CATEGORY_SERIES[1], "–"),
                other=parts.get(CATEGORY_SERIES[2], "–"),
            )
            + " — "
            + escape_markdown(categories_source)
        )
if hosts is not None and not hosts.empty:
    top = hosts.iloc[0]
    with headline[1]:
        st.metric(
            tr("top_metric", year=cache.build_shared(moment, {HOST_SERIES: hosts_frame}, int(top["year"]), lang)),
            f"{top['name']}: {format_people(top['value'], lang)}",
            tr("top_delta", share=number(top["share"], lang, 1)),
            delta_color="off",
            delta_arrow="off",
            help=escape_markdown(data.source_line([HOST_SERIES], lang)),
        )
        st.caption(escape_markdown(data.source_line([HOST_SERIES], lang)))
if net is not None and (worst := largest_outflow(net)) is not None:
    with headline[2]:
        st.metric(
            tr("outflow_metric"),
            format_people(worst["value"], lang).replace("-", "−"),
            tr("outflow_delta", year=worst["date"].year),
            delta_color="off",
            delta_arrow="off",
            help=escape_markdown(data.source_line([NET_MIGRATION_SERIES], lang)),
        )
        st.caption(escape_markdown(data.source_line([NET_MIGRATION_SERIES], lang)))

# 1. Over time, by category.
if categories:
    unit = cat.loc[CATEGORY_SERIES[0], f"unit_{lang}"]
    names = {sid: SHORT_NAMES[sid][lang] for sid in categories}
    text = figures.ChartText(
        title=tr("abroad_title", start=ABROAD_START),
        y_title=unit,
        source=categories_source,
    )
    fig = cache.build_shared(
        stacked_area_figure,
        categories,
        names,
        events,
        text,
        lang=lang,
        hover_unit=unit,
        category_names=names_of_categories,
        start=ABROAD_START,
    )
    st.header(text.title)
    ui.show_chart(fig, key="migration-abroad")
    oip = categories.get(CATEGORY_SERIES[2])
    if oip is not None and (since := first_year(oip)) is not None:
        st.caption(tr("oip_note", year=since))
    ui.download_csv(
        cache.build_shared(categories_download, categories),
        list(categories),
        lang,
        file_name="venezuelans_abroad_by_category.csv",
        key="migration-download-abroad",
    )

# 2. Where they live now.
if hosts is not None and not hosts.empty:
    year = int(hosts["year"].iloc[0])
    year_words = cache.build_shared(moment, {HOST_SERIES: hosts_frame}, year, lang)
    unit = cat.loc[HOST_SERIES, f"unit_{lang}"]
    text = figures.ChartText(
        title=tr("hosts_title", year=year_words, n=len(hosts), unit=unit),
        y_title=unit,
        source=data.source_line([HOST_SERIES], lang),
    )
    st.header(text.title)
    fig = cache.build_shared(host_bar_figure, hosts, text, lang)
    ui.show_chart(fig, key="migration-hosts")
    total, countries = cache.build_shared(year_total, hosts_frame, year)
    top_sum = float(hosts["value"].sum())
    st.caption(
        tr(
            "hosts_caption",
            n=len(hosts),
            top=format_people(top_sum, lang),
            share=number(top_sum / total * 100 if total else 0, lang, 1),
            total=format_people(total, lang),
            year=year_words,
            rest=countries - len(hosts),
            rest_people=format_people(total - top_sum, lang),
        )
    )
    with st.expander(tr("hosts_table")):
        host_table(hosts, unit)
    ui.download_csv(
        hosts[["year", "country", "name", "value", "share"]],
        [HOST_SERIES],
        lang,
        file_name=f"venezuelans_abroad_top_hosts_{year}.csv",
        key="migration-download-hosts",
    )

# 3. Where they live, year by year, on a map drawn from outlines in the figure (nothing is fetched).
if hosts_frame is not None and not hosts_frame.empty:
    unit = cat.loc[HOST_SERIES, f"unit_{lang}"]
    st.header(tr("map_title", unit=unit))
    year = st.selectbox(tr("map_year"), host_years(hosts_frame), key="migration-map-year")
    geometry = map_geometry()
    rows = cache.build_shared(host_map_rows, hosts_frame, year, lang, geometry.outlined())
    text = figures.ChartText(title=tr("map_title", unit=unit), source=data.source_line([HOST_SERIES], lang))
    words = MapWords(unit=unit, share_of_total=tr("map_share"), no_data=tr("map_no_data"))
    phone = is_phone(st.context.headers.get("User-Agent"))
    fig = cache.build_shared(host_map_figure, rows, geometry, text, words, lang, phone=phone)
    counted = cache.build_shared(counted_rows, rows)
    st.caption(tr("map_moment", moment=cache.build_shared(moment, {HOST_SERIES: hosts_frame}, year, lang)))
    map_column, table_column = st.columns([3, 2])
    with map_column:
        ui.show_chart(fig, key="migration-map")
    with table_column:
        host_table(counted, unit, height=480)
    st.caption(
        tr("map_caption", countries=number(len(counted), lang), total=number(float(counted["value"].sum()), lang))
    )
    ui.download_csv(
        counted[["year", "country", "name", "value", "share"]],
        [HOST_SERIES],
        lang,
        file_name=f"venezuelans_abroad_by_host_{year}.csv",
        key="migration-download-map",
    )

# 4. Net migration (World Bank).
if net is not None and not net.empty:
    unit = cat.loc[NET_MIGRATION_SERIES, f"unit_{lang}"]
    text = figures.ChartText(title=tr("net_title"), y_title=unit, source=data.source_line([NET_MIGRATION_SERIES], lang))
    fig = cache.build_shared(
        net_migration_figure,
        net,
        tr("net_name"),
        events,
        text,
        lang=lang,
        hover_unit=unit,
        category_names=names_of_categories,
    )
    st.header(text.title)
    ui.show_chart(fig, key="migration-net")
    st.caption(tr("net_caption"))
    ui.download_csv(
        net, [NET_MIGRATION_SERIES], lang, file_name="net_migration_venezuela.csv", key="migration-download-net"
    )
