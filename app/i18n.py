"""Interface text in English and Spanish. Each page keeps its own table of strings; this module
holds the shared ones and the lookup.

>>> tr = translator({"hello": {"en": "Hello {name}", "es": "Hola {name}"}}, "es")
>>> tr("hello", name="Ana")
'Hola Ana'
"""

from __future__ import annotations

import math
from collections.abc import Callable

LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"

COMMON = {
    "app_title": {"en": "Venezuela's economy in numbers", "es": "La economía de Venezuela en cifras"},
    "language": {"en": "Language", "es": "Idioma"},
    "page_overview": {"en": "Overview", "es": "Resumen"},
    "page_explore": {"en": "Explore", "es": "Explorar"},
    "page_inflation": {"en": "Inflation: sources compared", "es": "Inflación: fuentes comparadas"},
    "page_migration": {"en": "Migration", "es": "Migración"},
    "page_events": {"en": "Events", "es": "Eventos"},
    "page_claims": {"en": "Claims", "es": "Afirmaciones"},
    "page_sources": {"en": "Sources", "es": "Fuentes"},
    "page_presenter": {"en": "Presenter mode", "es": "Modo presentación"},
    "source": {"en": "Source", "es": "Fuente"},
    "retrieved": {"en": "retrieved", "es": "consultado el"},
    "projection": {"en": "projection", "es": "proyección"},
    # Each value's status as its publisher names it; "actual" in Spanish would read as "current".
    "status_actual": {"en": "actual", "es": "dato observado"},
    "status_estimate": {"en": "estimate", "es": "estimación"},
    "status_projection": {"en": "projection", "es": "proyección"},
    "status_provisional": {"en": "provisional", "es": "provisional"},
    "left_out": {
        "en": "{n} value(s) ≤ 0 not shown on the log scale, e.g. {value} on {date:%Y-%m-%d}",
        "es": "{n} valor(es) ≤ 0 no se muestran en la escala logarítmica, p. ej. {value} el {date:%Y-%m-%d}",
    },
    "not_loaded": {
        "en": "Could not load series {series}: {error}. The rest of the dashboard works without it.",
        "es": "No se pudo cargar la serie {series}: {error}. El resto del tablero funciona sin ella.",
    },
    "about": {
        "en": "Numbers from public sources; events as two partisan documents tell them. "
        "The dashboard takes no side: it marks what the documents say and shows what the data shows.",
        "es": "Cifras de fuentes públicas; eventos según dos documentos partidistas. "
        "El tablero no toma partido: marca lo que dicen los documentos y muestra lo que dicen los datos.",
    },
    "category_context": {"en": "Context", "es": "Contexto"},
    "events_problem": {
        "en": "Some events could not be read and are not marked on the charts ({detail}); "
        "`python -m loaders validate` says why.",
        "es": "Algunos eventos no se pudieron leer y no se marcan en los gráficos ({detail}); "
        "`python -m loaders validate` explica por qué.",
    },
    "events_legend": {"en": "Events", "es": "Eventos"},
    "download_csv": {"en": "Download the plotted data (CSV)", "es": "Descargar los datos del gráfico (CSV)"},
}


def number(value: float, lang: str, decimals: int = 0) -> str:
    """A number as the reader writes it: 65,374.1 in English, 65.374,1 in Spanish.

    >>> number(65374.08, "en", 1), number(65374.08, "es", 1)
    ('65,374.1', '65.374,1')
    """
    text = f"{value:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "es" else text


def format_people(value: float, lang: str) -> str:
    """People, compact: 7.64 M / 7,64 M, 435 k / 435 k, exact below a thousand."""
    if abs(value) >= 1e6:
        return number(value / 1e6, lang, 2) + " M"
    if abs(value) >= 1e4:
        return number(value / 1e3, lang, 0) + " k"
    return number(value, lang)


def significant(value: float, lang: str, digits: int = 4) -> str:
    """A number to about ``digits`` significant figures, never in exponent form, as the reader writes it.

    >>> significant(65374.082, "en"), significant(65374.082, "es"), significant(7640872.0, "es")
    ('65,374', '65.374', '7.640.872')
    >>> significant(-19.655, "en"), significant(0.5, "es"), significant(0.0, "en")
    ('-19.66', '0,5', '0')
    """
    magnitude = math.floor(math.log10(abs(value))) if value else 0
    # Up to 15 decimals: the chained bolívar rate of the 1990s is 0.0000000000017 and must not read as 0.
    text = number(value, lang, min(max(digits - 1 - magnitude, 0), 15))
    decimal = "," if lang == "es" else "."
    return text.rstrip("0").rstrip(decimal) if decimal in text else text


def plotly_separators(lang: str) -> str:
    """Plotly's ``layout.separators`` (decimal, then thousands) for the reader's language."""
    return ",." if lang == "es" else ".,"


def translator(table: dict[str, dict[str, str]], lang: str) -> Callable[..., str]:
    """A lookup ``tr(key, **fields)`` over ``table`` then COMMON, in ``lang``.

    tests/test_i18n.py keeps every table in both languages; a text missing in ``lang`` all the same shows in
    English marked as such (``[en] …``), never silently.
    """

    def tr(key: str, **fields: object) -> str:
        entry = table.get(key) or COMMON.get(key)
        if entry is None:
            raise KeyError(f"no interface text for {key!r}")
        text = entry.get(lang) or f"[{DEFAULT_LANGUAGE}] {entry[DEFAULT_LANGUAGE]}"
        return text.format(**fields) if fields else text

    return tr


# The chart toolbar's and Plotly's own messages, keyed by Plotly's English text (plotly.js looks them up by it):
# the buttons this dashboard shows, the zoom and legend tips, and the image download's messages.
PLOTLY_MESSAGES = {
    "Download plot as a PNG": {"en": "Download plot as a PNG", "es": "Descargar el gráfico como PNG"},
    "Download plot": {"en": "Download plot", "es": "Descargar el gráfico"},
    "Preparing image - this may take a few seconds": {
        "en": "Preparing image - this may take a few seconds",
        "es": "Preparando la imagen: puede tardar unos segundos",
    },
    "Image download succeeded": {"en": "Image download succeeded", "es": "Imagen descargada"},
    "Sorry, there was a problem downloading your image!": {
        "en": "Sorry, there was a problem downloading your image!",
        "es": "No se pudo descargar la imagen.",
    },
    "Zoom": {"en": "Zoom", "es": "Zoom"},
    "Pan": {"en": "Pan", "es": "Desplazar"},
    "Zoom in": {"en": "Zoom in", "es": "Acercar"},
    "Zoom out": {"en": "Zoom out", "es": "Alejar"},
    "Autoscale": {"en": "Autoscale", "es": "Escala automática"},
    "Reset axes": {"en": "Reset axes", "es": "Restablecer los ejes"},
    "Reset": {"en": "Reset", "es": "Restablecer"},
    "Double-click to zoom back out": {
        "en": "Double-click to zoom back out",
        "es": "Doble clic para volver a la vista completa",
    },
    "Double-click on legend to isolate one trace": {
        "en": "Double-click on legend to isolate one trace",
        "es": "Doble clic en la leyenda para mostrar solo esa línea",
    },
}
MONTHS = {
    "en": "January February March April May June July August September October November December",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
}
DAYS = {
    "en": "Sunday Monday Tuesday Wednesday Thursday Friday Saturday",
    "es": "domingo lunes martes miércoles jueves viernes sábado",
}


def plotly_locale(lang: str) -> dict:
    """Plotly's ``config`` entries that put the toolbar's tooltips, its messages and any date it writes itself in
    the reader's language: the dictionary travels with each chart (``locales``), so nothing is fetched.

    >>> plotly_locale("es")["locales"]["es"]["dictionary"]["Zoom in"]
    'Acercar'
    >>> plotly_locale("en")
    {}
    """
    if lang == DEFAULT_LANGUAGE:
        return {}
    months, days = MONTHS[lang].split(), DAYS[lang].split()
    return {
        "locale": lang,
        "locales": {
            lang: {
                "dictionary": {english: words[lang] for english, words in PLOTLY_MESSAGES.items()},
                "format": {
                    "months": months,
                    "shortMonths": [month[:3] for month in months],
                    "days": days,
                    "shortDays": [day[:3] for day in days],
                    "decimal": plotly_separators(lang)[0],
                    "thousands": plotly_separators(lang)[1],
                },
            }
        },
    }
