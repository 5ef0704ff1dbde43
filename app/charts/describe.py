"""A chart described in words, from exactly what its figure draws: for readers who cannot see it.

The figure builders tag what they draw in each trace's ``meta`` (Plotly keeps it and draws nothing from it):

- a line of values: ``{"line": name, "unit": unit, "status": status}`` (``figures.line_trace_dicts``), plus
  ``"panel"`` when the name is only a country (Explore's stacked panels) and ``"statuses"`` (one per point)
  when one trace holds values of several statuses (Migration's stacked areas);
- values by place or category (bars, a map): ``{"ranked": unit, "labels": [...], "values": [...]}``;
- marked events: ``{"events": [[title, first day, last day or None, precision, highlighted?, ongoing?], ...]}``
  (``event_marks.event_parts``);
- a timeline of events: ``{"category": key, "label": name, "ids": [...]}`` (the Events page).

Values and dates are read back from the traces (``y`` and the hover's ``customdata``), so the words always
match what is drawn, in the reader's language and number format.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from app import periods
from app.i18n import significant, translator

TEXT = {
    "describe_chart": {"en": "Describe this chart", "es": "Describir este gráfico"},
    "no_values": {"en": "The chart shows no values.", "es": "El gráfico no muestra valores."},
    "line": {
        "en": "{name}{unit}: {count} values from {first_when} to {last_when}; first {first}; last {last}; "
        "highest {high}, {high_when}; lowest {low}, {low_when}.",
        "es": "{name}{unit}: {count} valores de {first_when} a {last_when}; primero {first}; último {last}; "
        "máximo {high}, {high_when}; mínimo {low}, {low_when}.",
    },
    "one_value": {
        "en": "{name}{unit}: one value, {first}, {first_when}.",
        "es": "{name}{unit}: un valor, {first}, {first_when}.",
    },
    "status_run": {
        "en": "Values from {first_when} to {last_when} are {status}.",
        "es": "Los valores de {first_when} a {last_when} son {status}.",
    },
    "ranked": {"en": "{count} {of}, largest first: {items}.", "es": "{count} {of}, de mayor a menor: {items}."},
    "values": {"en": "values", "es": "valores"},
    "more": {"en": "{count} more", "es": "{count} más"},
    "events_marked": {"en": "{count} events marked: {items}.", "es": "{count} eventos marcados: {items}."},
    "event_marked": {"en": "One event marked: {items}.", "es": "Un evento marcado: {items}."},
    "status_one": {"en": "The value of {when} is {status}.", "es": "El valor de {when} es {status}."},
    "timeline": {
        "en": "{count} events from {first} to {last}, by category: {items}.",
        "es": "{count} eventos de {first} a {last}, por categoría: {items}.",
    },
    "highlighted": {"en": "highlighted", "es": "destacado"},
    "ongoing": {"en": "from {first}, still going on", "es": "desde {first}, aún en curso"},
}
# How the statuses read inside a sentence ("are estimates", "is an estimate"); "actual" needs no sentence.
STATUS_PLURAL = {
    "estimate": {"en": "estimates", "es": "estimaciones"},
    "projection": {"en": "projections", "es": "proyecciones"},
    "provisional": {"en": "provisional", "es": "provisionales"},
}
STATUS_SINGULAR = {
    "estimate": {"en": "an estimate", "es": "una estimación"},
    "projection": {"en": "a projection", "es": "una proyección"},
    "provisional": {"en": "provisional", "es": "provisional"},
}
RANKED_NAMED = 10  # a map of a hundred countries names its ten largest
EVENT_PRECISION = {"day": "daily", "month": "monthly", "year": "annual"}


@dataclass
class _Series:
    """The points of one drawn line, gathered from its traces (one per status)."""

    name: str
    unit: str
    x: list = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    when: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)


def describe_figure(fig: go.Figure | dict, lang: str) -> str:
    """The chart in words: each line's period, first and last values, highest and lowest with their dates and
    the runs of estimates or projections; bars largest first; the events marked, with their dates."""
    tr = translator(TEXT, lang)
    data = fig.data if isinstance(fig, go.Figure) else [go.Scatter(trace) for trace in fig.get("data", [])]
    x_range = _x_range(fig)
    series: dict[tuple[str, str], _Series] = {}
    sentences: list[str] = []
    events: dict[tuple[str, str], str] = {}
    timeline: dict[str, list[str]] = {}
    timeline_dates: list[pd.Timestamp] = []
    for trace in data:
        meta = trace.meta if isinstance(trace.meta, dict) else {}
        if "line" in meta:
            _gather(series, trace, meta, x_range)
        elif "ranked" in meta:
            sentences.append(_ranked(meta, lang, tr))
        elif "events" in meta:
            for title, start, end, precision, strong, ongoing in meta["events"]:
                when = _when_event(start, end, precision, lang)
                if ongoing:
                    when = tr("ongoing", first=when)
                mark = f", {tr('highlighted')}" if strong else ""
                events.setdefault((start, title), f"{title} ({when}{mark})")
        elif "ids" in meta and "label" in meta:
            timeline.setdefault(meta["label"], []).extend(meta["ids"])
            starts = trace.base if trace.type == "bar" else trace.x  # a bar of a period starts at its base
            timeline_dates += [pd.Timestamp(x) for x in starts or []]
    sentences = [sentence for s in series.values() for sentence in _line_sentences(s, lang, tr)] + sentences
    if events:
        items = [events[key] for key in sorted(events)]
        sentences.append(
            tr("events_marked" if len(items) > 1 else "event_marked", count=len(items), items="; ".join(items))
        )
    if timeline:
        counts = [f"{label} ({len(set(ids))})" for label, ids in timeline.items()]
        sentences.append(
            tr(
                "timeline",
                count=len({i for ids in timeline.values() for i in ids}),
                first=periods.when(min(timeline_dates), "annual", None, lang),
                last=periods.when(max(timeline_dates), "annual", None, lang),
                items="; ".join(counts),
            )
        )
    return " ".join(sentences) or tr("no_values")


def _x_range(fig: go.Figure | dict) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The dates the x axis shows, when the figure fixes them (values outside are not on the screen)."""
    layout = fig.layout if isinstance(fig, go.Figure) else go.Layout(fig.get("layout", {}))
    shown = layout.xaxis.range
    return (pd.Timestamp(shown[0]), pd.Timestamp(shown[1])) if shown and layout.xaxis.type != "log" else None


def _gather(series: dict[tuple[str, str], _Series], trace, meta: dict, x_range) -> None:
    """Add a trace's points inside ``x_range`` to its line; a run's first point repeats the value before it,
    kept once."""
    key = (meta.get("panel", ""), meta["line"])
    name = f"{meta['panel']} · {meta['line']}" if meta.get("panel") else meta["line"]
    line = series.setdefault(key, _Series(name, meta.get("unit", "")))
    ys = list(trace.y if trace.y is not None else [])
    custom = trace.customdata if trace.customdata is not None else [None] * len(ys)
    whens = [row[0] if row is not None and len(row) else None for row in custom]
    statuses = meta.get("statuses") or [meta.get("status", "actual")] * len(ys)
    seen = set(line.when)
    for x, y, when, status in zip(trace.x, ys, whens, statuses, strict=False):
        if y is None or (isinstance(y, float) and math.isnan(y)) or when is None or when in seen:
            continue
        if x_range and not x_range[0] <= pd.Timestamp(x) <= x_range[1]:
            continue
        seen.add(when)
        line.x.append(pd.Timestamp(x))
        line.y.append(float(y))
        line.when.append(str(when))
        line.status.append(status or "actual")


def _line_sentences(line: _Series, lang: str, tr) -> list[str]:
    if not line.y:
        return []
    order = sorted(range(len(line.x)), key=line.x.__getitem__)
    y = [line.y[i] for i in order]
    when = [line.when[i] for i in order]
    status = [line.status[i] for i in order]
    unit = f" {line.unit}" if line.unit else ""
    shown = {"name": line.name, "unit": f" ({line.unit})" if line.unit else ""}

    def value(i: int) -> str:
        return f"{significant(y[i], lang)}{unit}"

    if len(y) == 1:
        return [tr("one_value", first=value(0), first_when=when[0], **shown)]
    high = max(range(len(y)), key=y.__getitem__)  # the first of equal highs
    low = min(range(len(y)), key=y.__getitem__)
    sentences = [
        tr(
            "line",
            count=len(y),
            first_when=when[0],
            last_when=when[-1],
            first=value(0),
            last=value(-1),
            high=value(high),
            high_when=when[high],
            low=value(low),
            low_when=when[low],
            **shown,
        )
    ]
    for kind, words in STATUS_PLURAL.items():
        mine = [i for i, s in enumerate(status) if s == kind]
        if len(mine) == 1:
            sentences.append(tr("status_one", when=when[mine[0]], status=STATUS_SINGULAR[kind][lang]))
        elif mine:
            sentences.append(tr("status_run", first_when=when[mine[0]], last_when=when[mine[-1]], status=words[lang]))
    return sentences


def _ranked(meta: dict, lang: str, tr) -> str:
    """Values by place or category, largest first, counted as what they are (``meta["of"]``: "host countries")
    or as values; past ``RANKED_NAMED`` only how many more there are."""
    unit = f" {meta['ranked']}" if meta["ranked"] else ""
    ranked = sorted(zip(meta["labels"], meta["values"], strict=True), key=lambda pair: -pair[1])
    items = [f"{label}: {significant(value, lang)}{unit}" for label, value in ranked[:RANKED_NAMED]]
    if len(ranked) > RANKED_NAMED:
        items.append(tr("more", count=len(ranked) - RANKED_NAMED))
    return tr("ranked", count=len(ranked), of=meta.get("of") or tr("values"), items="; ".join(items))


def _when_event(start: str, end: str | None, precision: str, lang: str) -> str:
    """An event's date or period, to the day, month or year its record gives."""
    frequency = EVENT_PRECISION.get(precision, "daily")
    first = periods.when(pd.Timestamp(start), frequency, None, lang)
    return f"{first} – {periods.when(pd.Timestamp(end), frequency, None, lang)}" if end else first
