"""What the Explore page says and draws for one state: its words, the Years slider's range, the notes on
what the chart does differently from the choice, and each series' panel. Pure: no Streamlit here.

>>> year_bounds({1990, 2024}), year_bounds({2020}), year_bounds(set())
((1990, 2024), (2020, 2021), (1990, 2025))
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

from app.charts.explore_figure import Panel
from app.i18n import translator
from app.text import escape_markdown
from app.views import explore_state
from app.views.explore_before_after import is_percentage
from app.views.explore_series import (
    CountryChoice,
    effective_frequency,
    for_drawing,
    frequency_note,
    transformed,
    unit_label,
)
from loaders.metadata import country_name

WORLD = "WLD"  # the country code of world market prices

# The page's words, with the state's messages (explore_state.TEXT).
TEXT = explore_state.TEXT | {
    "intro": {
        "en": "Choose series and countries to compare them on one time axis. Marked: the events from the two "
        "partisan documents that bear on the chosen series (tap or hover over a ◆ for the document's words). The "
        "address bar keeps your choices: copy it to share this exact chart.",
        "es": "Elija series y países para compararlos en un mismo eje de tiempo. Marcados: los eventos de los dos "
        "documentos partidistas que atañen a las series elegidas (toque un ◆ o pase el cursor sobre él para "
        "leer el documento). La barra de direcciones guarda su elección: cópiela para compartir este mismo gráfico.",
    },
    "series": {"en": "Series", "es": "Series"},
    "series_help": {
        "en": "Grouped by topic. Up to {n} series, one panel each.",
        "es": "Agrupadas por tema. Hasta {n} series, un panel por serie.",
    },
    "countries": {"en": "Countries", "es": "Países"},
    "countries_help": {
        "en": "The countries the chosen series have. A series without a chosen country shows what it has.",
        "es": "Los países de las series elegidas. Una serie sin el país elegido muestra los que tiene.",
    },
    "transform": {"en": "Show", "es": "Mostrar"},
    "transform_level": {"en": "Level", "es": "Nivel"},
    "transform_yoy": {"en": "Change from a year ago (%)", "es": "Cambio respecto a un año antes (%)"},
    "transform_index": {"en": "Index (base year = 100)", "es": "Índice (año base = 100)"},
    "base": {"en": "Base year (index)", "es": "Año base (índice)"},
    "log": {"en": "Log scale", "es": "Escala logarítmica"},
    "log_help": {
        "en": "Equal steps are equal ratios. Zero and negative values cannot be drawn and are listed on the chart.",
        "es": "Pasos iguales son proporciones iguales. Los valores cero y negativos no se pueden dibujar y se "
        "indican en el gráfico.",
    },
    "years": {"en": "Years", "es": "Años"},
    "more": {
        "en": "More options: frequency, layout, events",
        "es": "Más opciones: frecuencia, disposición, eventos",
    },
    "freq": {"en": "Frequency", "es": "Frecuencia"},
    "freq_native": {"en": "As published", "es": "Como se publica"},
    "freq_monthly": {"en": "Monthly averages", "es": "Promedios mensuales"},
    "freq_annual": {"en": "Annual averages", "es": "Promedios anuales"},
    "layout": {"en": "Layout", "es": "Disposición"},
    "layout_stacked": {"en": "Stacked panels", "es": "Paneles apilados"},
    "layout_dual": {"en": "Two y-axes (two series)", "es": "Dos ejes Y (dos series)"},
    "cats": {"en": "Event categories", "es": "Categorías de eventos"},
    "event": {"en": "Highlight an event", "es": "Resaltar un evento"},
    "event_none": {"en": "(none)", "es": "(ninguno)"},
    "event_help": {
        "en": "Zooms to three years either side of the event and compares the year before with the year after.",
        "es": "Acerca a tres años antes y después del evento y compara el año anterior con el siguiente.",
    },
    "pick_series": {"en": "Choose at least one series.", "es": "Elija al menos una serie."},
    "dual_needs_two": {
        "en": "Two y-axes need exactly two series ({n} chosen): showing stacked panels instead.",
        "es": "Dos ejes Y requieren exactamente dos series ({n} elegidas): se muestran paneles apilados.",
    },
    "substituted": {
        "en": "{series} has no data for {missing}: showing {used} instead.",
        "es": "{series} no tiene datos de {missing}: se muestra {used}.",
    },
    "partly_missing": {
        "en": "{series} has no data for {missing}.",
        "es": "{series} no tiene datos de {missing}.",
    },
    "freq_ignored": {
        "en": "{freq} do not apply to {series}: published {native}, shown as published.",
        "es": "{freq} no se aplican a {series}: se publica con frecuencia {native}; se muestra así.",
    },
    "native_daily": {"en": "daily", "es": "diaria"},
    "native_monthly": {"en": "monthly", "es": "mensual"},
    "native_annual": {"en": "annual", "es": "anual"},
    "no_base": {
        "en": "{series}: no data for {base} for {countries}, so no index for them.",
        "es": "{series}: sin datos de {base} para {countries}, así que no hay índice para ellos.",
    },
    "years_narrowed": {
        "en": "Years {asked} asked; the chosen series have data for {lo}–{hi}, so the chart shows {shown}. The "
        "range you asked for comes back when the series have those years.",
        "es": "Se pidieron los años {asked}; las series elegidas tienen datos de {lo} a {hi}, así que el gráfico "
        "muestra {shown}. El rango pedido vuelve cuando las series tengan esos años.",
    },
    "base_moved": {
        "en": "The chosen series have no data for {asked}; the base year is now {base}.",
        "es": "Las series elegidas no tienen datos de {asked}; el año base es ahora {base}.",
    },
    "empty": {
        "en": "{series}: nothing to show for {start}–{end} with these choices.",
        "es": "{series}: nada que mostrar para {start}–{end} con estas opciones.",
    },
    "rate_note": {
        "en": "{series} is already a rate ({unit}): its {what} is a change of a rate, not of an amount.",
        "es": "{series} ya es una tasa ({unit}): su {what} es un cambio de una tasa, no de una cantidad.",
    },
    "what_yoy": {"en": "change from a year ago", "es": "cambio respecto a un año antes"},
    "what_index": {"en": "index", "es": "índice"},
    "thinned": {
        "en": "Long daily series are thinned for drawing (each stretch keeps its first, lowest and highest value); "
        "the table and the download have every value.",
        "es": "Las series diarias largas se aligeran para dibujarlas (cada tramo conserva su primer valor, el mínimo y "
        "el máximo); la tabla y la descarga tienen todos los valores.",
    },
    "before_after": {"en": "Before and after: {title}", "es": "Antes y después: {title}"},
    "before_after_note": {
        "en": "Change in each series over the 12 months before the event's start ({date}) and over the 12 months "
        "after (annual series: the year before, the event's year and the year after). Percentages are shown in "
        "points. A change around an event does not by itself show that the event caused it.",
        "es": "Cambio de cada serie en los 12 meses anteriores al inicio del evento ({date}) y en los 12 meses "
        "siguientes (series anuales: el año anterior, el del evento y el siguiente). Los porcentajes se muestran "
        "en puntos. Un cambio alrededor de un evento no demuestra por sí solo que el evento lo causara.",
    },
    "table": {"en": "The plotted data", "es": "Los datos del gráfico"},
    "table_note": {
        "en": "{rows} rows: exactly what the chart shows, after the options above.",
        "es": "{rows} filas: exactamente lo que muestra el gráfico, con las opciones de arriba.",
    },
    "col_date": {"en": "Date", "es": "Fecha"},
    "col_country": {"en": "Country", "es": "País"},
    "col_series": {"en": "Series", "es": "Serie"},
    "col_value": {"en": "Value", "es": "Valor"},
    "col_status": {"en": "Status", "es": "Estado"},
    "try_yours": {"en": "Try your own series", "es": "Pruebe su propia serie"},
    "uploaded_unit": {"en": "your file's unit (not checked)", "es": "la unidad de su archivo (sin verificar)"},
    "uploaded_source": {
        "en": "Uploaded for this session only: {names} (not saved, not checked against a publisher)",
        "es": "Subido solo para esta sesión: {names} (no se guarda ni se verifica con un editor)",
    },
}


def year_bounds(years_present: Collection[int]) -> tuple[int, int]:
    """The Years slider's range: the years the chosen series have (two at least), else the default range."""
    if not years_present:
        return explore_state.DEFAULT_START, explore_state.DEFAULT_END
    lo, hi = min(years_present), max(years_present)
    return lo, max(hi, lo + 1)


def series_notes(
    entry: pd.Series,
    choice: CountryChoice,
    shown: pd.DataFrame,
    state: explore_state.ExploreState,
    chosen_countries: Collection[str],
) -> list[str]:
    """What the chart does differently from the choice for one series (its catalog ``entry``, named by id), as
    safe Markdown: other countries shown, a frequency that does not apply, a rate's change, no base year, nothing
    to show. ``shown`` is the series' plotted rows; ``chosen_countries`` the Countries control's value."""
    lang = state.lang
    tr = translator(TEXT, lang)
    title = escape_markdown(entry[f"title_{lang}"])
    native = entry["frequency"]

    def names(codes: Collection[str]) -> str:
        return ", ".join(escape_markdown(country_name(c, lang)) for c in codes)

    notes = []
    # A world market price (Brent, WTI) is the same for every country: it lacks none of them.
    world_price = list(entry["countries"]) == [WORLD]
    if choice.missing and not world_price:
        key = "substituted" if not set(choice.used) & set(chosen_countries) else "partly_missing"
        notes.append(tr(key, series=title, missing=names(choice.missing), used=names(choice.used)))
    if state.freq != "native" and effective_frequency(native, state.freq) == native:
        notes.append(tr("freq_ignored", freq=tr(f"freq_{state.freq}"), series=title, native=tr(f"native_{native}")))
    if state.transform != "level" and is_percentage(entry["unit"]):
        unit = escape_markdown(entry[f"unit_{lang}"])
        notes.append(tr("rate_note", series=title, unit=unit, what=tr(f"what_{state.transform}")))
    if state.transform == "index":
        lost = [c for c in choice.used if c not in set(shown["country"])]
        if lost:
            notes.append(tr("no_base", series=title, base=state.base, countries=names(lost)))
    if shown.empty:
        notes.append(tr("empty", series=title, start=state.start, end=state.end))
    return notes


def series_panel(entry: pd.Series, drawn: pd.DataFrame, state: explore_state.ExploreState) -> Panel:
    """One series' panel: its title, its unit as transformed, its rows as drawn, and where its dates sit."""
    lang, native = state.lang, entry["frequency"]
    note = frequency_note(native, state.freq, lang)
    unit = unit_label(entry[f"unit_{lang}"], state.transform, state.base, note, lang)
    shown_at = effective_frequency(native, state.freq)
    # Averaging to a coarser frequency makes every value an average over its new period.
    period = entry["period"] if shown_at == native else "average"
    return Panel(str(entry.name), entry[f"title_{lang}"], unit, drawn, frequency=shown_at, period=period)


def uploaded_panel(
    name: str, frame: pd.DataFrame, state: explore_state.ExploreState, lines: int
) -> tuple[pd.DataFrame, Panel]:
    """A file the reader uploaded: its rows as transformed for ``state`` (every country in it), and its panel
    (named by the file, its unit unchecked, thinned for ``lines`` lines in all)."""
    native = frame.attrs.get("frequency", "annual")
    shown = transformed(frame, native, list(frame["country"].unique()), state)
    note = frequency_note(native, state.freq, state.lang)
    unit = unit_label(translator(TEXT, state.lang)("uploaded_unit"), state.transform, state.base, note, state.lang)
    return shown, Panel(name, name, unit, for_drawing(shown, lines))
