"""A teacher's lesson in the dashboard: the step a chart of Explore becomes, the words of every message about
a lesson in both languages, and the link that carries it (the codec and checks are ``loaders.lessons``).

Explore adds steps and Presenter mode shows, edits and exports the lesson, so what both need lives here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from app.i18n import number, translator
from app.text import inert
from loaders import lessons

SESSION_KEY = "lesson"  # the lesson being built, a story document, in the reader's session
LESSON_STORY = "__lesson__"  # the presenter's story menu value for the lesson (no story id starts with _)

TEXT = {
    "not_a_lesson": {
        "en": "This is not a lesson: expected a story with a title, a summary and a list of steps.",
        "es": "Esto no es una lección: se esperaba una historia con un título, un resumen y una lista de pasos.",
    },
    "no_steps": {"en": "The lesson has no steps.", "es": "La lección no tiene pasos."},
    "too_many_steps": {
        "en": "A lesson holds at most {limit} steps. Remove a step before adding another.",
        "es": "Una lección tiene como máximo {limit} pasos. Quite un paso antes de agregar otro.",
    },
    "bad_step": {"en": "Step {step} is not a step.", "es": "El paso {step} no es un paso."},
    "missing_text": {
        "en": "The {field} of {where} is missing or empty.",
        "es": "Falta el campo {field} de {where} o está vacío.",
    },
    "text_too_long": {
        "en": "The {field} of {where} has {length} characters; at most {limit} fit on a slide. Shorten it.",
        "es": "El campo {field} de {where} tiene {length} caracteres; caben como máximo {limit} en una "
        "diapositiva. Acórtelo.",
    },
    "unknown_field": {
        "en": "{where} has a field “{field}” that lessons do not have.",
        "es": "{where} tiene un campo «{field}» que las lecciones no tienen.",
    },
    "unknown_series": {
        "en": "Step {step} asks for the series “{series}”, which this dashboard does not have.",
        "es": "El paso {step} pide la serie «{series}», que este tablero no tiene.",
    },
    "unknown_event": {
        "en": "Step {step} marks the event “{event}”, which this dashboard does not have.",
        "es": "El paso {step} marca el evento «{event}», que este tablero no tiene.",
    },
    "invalid": {
        "en": "The lesson cannot be shown as a story: {problem}",
        "es": "La lección no se puede mostrar como historia: {problem}",
    },
    "link_too_long": {
        "en": "The lesson link is {length} characters long; a lesson link has at most {limit}.",
        "es": "El enlace de la lección tiene {length} caracteres; un enlace de lección tiene como máximo {limit}.",
    },
    "link_unreadable": {
        "en": "The lesson link does not start with a version such as “v1.”: it was not made by this dashboard "
        "or was cut at the start.",
        "es": "El enlace de la lección no empieza con una versión como «v1.»: no lo hizo este tablero o se cortó "
        "al principio.",
    },
    "link_version": {
        "en": "The lesson link is of version {version}; this dashboard reads version {expected}.",
        "es": "El enlace de la lección es de la versión {version}; este tablero lee la versión {expected}.",
    },
    "link_damaged": {
        "en": "The lesson link is damaged (a character was changed or added): copy the whole link again.",
        "es": "El enlace de la lección está dañado (se cambió o agregó un carácter): copie de nuevo el enlace "
        "completo.",
    },
    "link_truncated": {
        "en": "The lesson link is cut short: copy the whole link again.",
        "es": "El enlace de la lección está incompleto: copie de nuevo el enlace completo.",
    },
    "too_big": {
        "en": "The lesson unpacks to more than {limit} bytes, more than any lesson holds.",
        "es": "La lección ocupa al desempaquetarla más de {limit} bytes, más de lo que cabe en una lección.",
    },
    "file_too_big": {
        "en": "The file has {length} bytes; a lesson file has at most {limit}.",
        "es": "El archivo tiene {length} bytes; un archivo de lección tiene como máximo {limit}.",
    },
    "file_unreadable": {
        "en": "The file is not a story file (YAML text) downloaded from this dashboard.",
        "es": "El archivo no es un archivo de historia (texto YAML) descargado de este tablero.",
    },
    "the_lesson": {"en": "the lesson", "es": "la lección"},
    "step_n": {"en": "step {step}", "es": "el paso {step}"},
    "field_title": {"en": "title", "es": "título"},
    "field_summary": {"en": "summary", "es": "resumen"},
    "field_notes": {"en": "note", "es": "nota"},
    "field_question": {"en": "discussion question", "es": "pregunta para la clase"},
    "mixed_units": {
        "en": "A lesson step draws one unit, and this chart has several ({units}). Choose series of one unit, "
        "or show them as % change from a year ago or as an index, then add the step.",
        "es": "Un paso de lección dibuja una sola unidad, y este gráfico tiene varias ({units}). Elija series de "
        "una unidad, o muéstrelas como % de cambio respecto a un año antes o como índice, y agregue el paso.",
    },
    "default_title": {"en": "My lesson", "es": "Mi lección"},
    "default_summary": {
        "en": "A lesson made with the dashboard, one chart at a time.",
        "es": "Una lección hecha con el tablero, un gráfico a la vez.",
    },
}


def text(key: str, lang: str, **fields: object) -> str:
    """One of this module's words in the reader's language."""
    return translator(TEXT, lang)(key, **fields)


def default_titles() -> set[str]:
    """The title a lesson starts with, in each language."""
    return {TEXT["default_title"][lang] for lang in lessons.LANGS}


def message(error: lessons.LessonError, lang: str) -> str:
    """What is wrong with a lesson, in the reader's language, safe to show as Markdown."""
    tr = translator(TEXT, lang)
    fields = {k: inert(v, 300) if isinstance(v, str) else v for k, v in error.fields.items()}
    if "step" in fields:
        fields["where"] = tr("step_n", step=fields["step"]) if fields["step"] else tr("the_lesson")
    for count in ("length", "limit"):
        if isinstance(fields.get(count), int):
            fields[count] = number(fields[count], lang)
    if error.key in ("missing_text", "text_too_long"):
        fields["field"] = tr(f"field_{error.fields['field']}")
    return tr(error.key, **fields)


def catalog_entries(catalog: pd.DataFrame) -> dict[str, dict]:
    """The catalog as ``loaders.lessons.check`` reads it: each series' countries and unit."""
    return {sid: {"countries": list(row["countries"]), "unit": row["unit"]} for sid, row in catalog.iterrows()}


def mixed_units(series: Collection[str], transform: str, catalog: pd.DataFrame, lang: str) -> str | None:
    """The units of a chart a lesson step cannot draw together (a level of series in several units), else None."""
    if transform != "level":
        return None
    units = dict.fromkeys(str(catalog.loc[sid, f"unit_{lang}"]) for sid in series)
    return ", ".join(units) if len(units) > 1 else None


@dataclass(frozen=True)
class ChartView:
    """What a chart on screen shows, as a lesson step keeps it: each series with the countries it draws, the
    years, the highlighted event, the transform (with its base year) and the scale."""

    lines: Mapping[str, Collection[str]]
    years: tuple[int, int]
    event: str | None = None
    transform: str = "level"
    base: int | None = None
    log: bool = False


def step_from_view(texts: tuple[str, str, str], view: ChartView) -> dict:
    """A lesson step showing what the chart shows, in whole years, with the teacher's title, note and question.

    >>> view = ChartView({"inflation_avg_imf_pct": ["VEN", "COL"]}, (2013, 2017))
    >>> step = step_from_view(("Inflation", "It rose.", ""), view)
    >>> [line["country"] for line in step["series"]], step["start"], step["end"], step["events"]
    (['VEN', 'COL'], '2013-01-01', '2017-12-31', [])
    """
    title, notes, question = texts
    return lessons.make_step(
        title,
        notes,
        question,
        [{"id": sid, "country": country} for sid, countries in view.lines.items() for country in countries],
        date(view.years[0], 1, 1),
        date(view.years[1], 12, 31),
        event=view.event,
        transform=view.transform,
        base=view.base,
        log=view.log,
    )
