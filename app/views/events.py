"""What the Events page shows, as pure functions: the timeline figure, dates written at the precision
the catalogue knows them, filters, links to Explore and safe Markdown for text from the data.

>>> format_when(pd.Timestamp("2014-06-01"), pd.Timestamp("2016-01-01"), "month", False, "es")
'junio de 2014 – enero de 2016'
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from app.charts.event_marks import CATEGORY_COLOURS
from app.charts.figures import ChartText, base_layout
from app.citations import quote_markdown
from app.links import link_label, references
from app.text import escape_markdown, escape_plotly, wrap_text
from loaders.events import cite_document

CONTEXT = "context"
EXPLORE_SERIES = 2  # Explore opens with the first two of an event's series
MONTHS = {
    "en": "January February March April May June July August September October November December".split(),
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(),
}
ONGOING = {"en": "{start} – ongoing", "es": "{start} – en curso"}
# Geometry of a timeline row, in row units (a row spans y-0.5 .. y+0.5, top to bottom): the row's name on
# top, then numbers above the markers, the markers and bars, numbers below them.
ROW_PX = 66
MARK_Y = 0.08
LABEL_ABOVE_Y = MARK_Y - 0.12
LABEL_BELOW_Y = MARK_Y + 0.15
BAR_WIDTH = 0.28


def format_date(day: pd.Timestamp, precision: str, lang: str) -> str:
    """A date as exactly as it is known: '27 February 1989' / '27 de febrero de 1989', 'June 2014', '2015'.

    >>> format_date(pd.Timestamp("1989-02-27"), "day", "es")
    '27 de febrero de 1989'
    """
    month = MONTHS.get(lang, MONTHS["en"])[day.month - 1]
    if precision == "year":
        return f"{day.year}"
    if precision == "month":
        return f"{month} de {day.year}" if lang == "es" else f"{month.capitalize()} {day.year}"
    return f"{day.day} de {month} de {day.year}" if lang == "es" else f"{day.day} {month.capitalize()} {day.year}"


def format_when(start: pd.Timestamp, end: object, precision: str, ongoing: bool, lang: str) -> str:
    """An event's date or period at its precision; an ongoing period says so.

    >>> format_when(pd.Timestamp("2015-01-01"), None, "year", True, "en")
    '2015 – ongoing'
    """
    first = format_date(start, precision, lang)
    if ongoing:
        return ONGOING.get(lang, ONGOING["en"]).format(start=first)
    if end is not None and pd.notna(end) and end > start:
        return f"{first} – {format_date(end, precision, lang)}"
    return first


def chronological(events: pd.DataFrame) -> pd.DataFrame:
    """Events by date, with a stable 1-based ``number`` the timeline and the list share."""
    out = events.sort_values(["start", "id"], kind="stable").reset_index(drop=True)
    return out.assign(number=range(1, len(out) + 1))


def is_context(row) -> bool:
    return getattr(row, "kind", "document") == CONTEXT


def documents_of(row) -> list[str]:
    """The documents an event cites: its own and those of its ``also_in`` quotes."""
    docs = [] if pd.isna(row.document) else [str(row.document)]
    docs += [str(a.get("document")) for a in (row.also_in or []) if isinstance(a, dict) and a.get("document")]
    return list(dict.fromkeys(docs))


def filter_events(events: pd.DataFrame, categories: list[str] | None, document: str | None) -> pd.DataFrame:
    """Events in any of ``categories`` (None or empty: all) cited by ``document`` (None: all; 'context': context)."""
    mask = pd.Series(True, index=events.index)
    if categories:
        mask &= events["category"].isin(categories)
    if document == CONTEXT:
        mask &= events["kind"] == CONTEXT
    elif document:
        mask &= events.apply(lambda row: document in documents_of(row), axis=1)
    return events[mask]


def explore_params(row, lang: str) -> dict[str, str] | None:
    """Query parameters that open Explore on this event with its first series; None when it has none."""
    series = list(row.series or [])[:EXPLORE_SERIES]
    if not series:
        return None
    return {"event": row.id, "series": ",".join(series), "lang": lang}


def also_in(row) -> list[tuple[str, str]]:
    """(document, quote) of the same event elsewhere."""
    return [
        (str(a.get("document") or ""), str(a.get("quote") or ""))
        for a in (row.also_in or [])
        if isinstance(a, dict) and a.get("quote")
    ]


@dataclass(frozen=True)
class EventCard:
    """One event of the page's list in the reader's words: its text as one escaped Markdown block (title, date and
    category, description, the quotes or why it is here, the date's references) and Explore's address for it."""

    markdown: str
    explore: dict[str, str] | None


def event_cards(
    events: pd.DataFrame, lang: str, category_names: dict[str, str], documents: dict, words: dict[str, str]
) -> list[EventCard]:
    """The list's cards, one per event in ``events``' order. ``words`` are the page's labels in ``lang``:
    ``context_badge``, ``why``, ``context_note``, ``also_in``, ``date_reference``, ``date_in_quote``,
    ``no_series``. One Markdown block per card, where each line was an element of its own: a page of 36 events
    sends ~150 fewer elements on every rerun.
    """
    cards = []
    for row in events.itertuples():
        when = format_when(row.start, row.end, row.precision, bool(row.ongoing), lang)
        category = category_names.get(row.category, row.category)
        title = f"**{row.number}\\. {escape_markdown(getattr(row, f'title_{lang}'))}**"
        if is_context(row):
            title += f" :gray-badge[:material/info: {escape_markdown(words['context_badge'])}]"
        parts = [f"{title}  \n:small[{escape_markdown(f'{when} · {category}')}]"]
        parts.append(escape_markdown(getattr(row, f"description_{lang}")))
        if is_context(row):
            parts.append(f"**{words['why']}:** {escape_markdown(getattr(row, f'why_{lang}') or '')}")
            parts.append(f":small[{escape_markdown(words['context_note'])}]")
        else:
            parts.append(quote_markdown(row.quote, cite_document(row.document, lang, documents)))
            for other_document, other_quote in also_in(row):
                parts.append(f":small[{escape_markdown(words['also_in'])}:]")
                parts.append(quote_markdown(other_quote, cite_document(other_document, lang, documents)))
        footer = []
        links = references(row.date_reference)
        if links:
            joined = ", ".join(f"[{escape_markdown(link_label(url))}]({url})" for url in links)
            footer.append(f"{escape_markdown(words['date_reference'])}: {joined}")
        elif row.document_date:
            footer.append(escape_markdown(words["date_in_quote"]))
        explore = explore_params(row, lang)
        if explore is None:
            footer.append(escape_markdown(words["no_series"]))
        if footer:
            parts.append(f":small[{' · '.join(footer)}]")
        cards.append(EventCard(markdown="\n\n".join(parts), explore=explore))
    return cards


def event_hover(row, lang: str, context_label: str, category_label: str) -> str:
    """Hover text: number and title, date(s) at their precision, category, then the quote and its document
    named in words, or for a context event that it is context and why it is here."""
    when = format_when(row.start, row.end, row.precision, bool(row.ongoing), lang)
    title = escape_plotly(getattr(row, f"title_{lang}"))
    lines = [f"<b>{row.number}. {title}</b>", f"{escape_plotly(when)} · {escape_plotly(category_label)}"]
    if is_context(row):
        lines.append(f"<i>{escape_plotly(context_label)}</i>")
        why = getattr(row, f"why_{lang}", None)
        if isinstance(why, str) and why:
            lines += [escape_plotly(line) for line in wrap_text(why, 60)]
    elif isinstance(row.quote, str) and row.quote:
        lines += [f"<i>{line}</i>" for line in wrap_text(f"“{escape_plotly(row.quote)}”", 60)]
        cited = getattr(row, f"cited_{lang}", None)
        lines += [
            escape_plotly(line) for line in wrap_text(f"— {cited if isinstance(cited, str) else row.document}", 60)
        ]
    return "<br>".join(lines)


def marker_date(row) -> pd.Timestamp:
    """Where a point event sits: its day, or the middle of its month or year when only that is known."""
    if row.precision == "year":
        return row.start + pd.Timedelta(days=182)
    if row.precision == "month":
        return row.start + pd.Timedelta(days=14)
    return row.start


def timeline_range(events: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """From a year before the first event to a year after the last date in the catalogue."""
    last = max(events["start"].max(), events["end"].max() if events["end"].notna().any() else events["start"].max())
    return (pd.Timestamp(events["start"].min().year - 1, 1, 1), pd.Timestamp(last.year + 1, 6, 30))


def rows_of(events: pd.DataFrame, category_order: list[str]) -> list[str]:
    """Timeline rows top to bottom: the categories that have events (in catalogue order), context last."""
    present = set(events.loc[events["kind"] != CONTEXT, "category"])
    rows = [c for c in category_order if c in present]
    rows += sorted(present - set(rows))
    return rows + ([CONTEXT] if (events["kind"] == CONTEXT).any() else [])


def _label_positions(xs: list[pd.Timestamp], labels: list[str], x_range, plot_px: int, font_px: int) -> list[str]:
    """'top center' (above the marker) or 'bottom center' (below) per label so that near neighbours in a row
    do not overlap; '' when neither lane has room (the event still hovers)."""
    span = max((x_range[1] - x_range[0]).days, 1)
    last = {"top center": -1e9, "bottom center": -1e9}
    out = []
    for x, label in sorted(zip(xs, labels, strict=True), key=lambda p: p[0]):
        px = (x - x_range[0]).days / span * plot_px
        half = (len(label) * 0.62 * font_px + 6) / 2
        lane = next((lane for lane, end in last.items() if px - half >= end), "")
        if lane:
            last[lane] = px + half
        out.append((x, label, lane))
    order = {(x, label): lane for x, label, lane in out}
    return [order[(x, label)] for x, label in zip(xs, labels, strict=True)]


def timeline_figure(
    events: pd.DataFrame,
    lang: str,
    category_names: dict[str, str],
    text: ChartText,
    category_order: list[str],
    highlight: str | None = None,
    x_range: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    font_size: int = 14,
    plot_px: int = 900,
    source_px: int = 340,
) -> go.Figure:
    """Every event on one time axis, a row per category (context events in a grey row of their own).

    Points in time are diamonds; periods are bars from start to end (ongoing ones run to the edge and end
    in an arrow). Each event is labelled with its ``number`` (as in the list) and hovers with its title,
    date, quote and document. ``events`` must come from :func:`chronological`. ``plot_px`` is the expected
    plot width (to keep numbers apart); the source line is wrapped to fit ``source_px`` (a phone).
    """
    fig = go.Figure()
    x_range = x_range or timeline_range(events)
    rows = rows_of(events, category_order)
    context_label = category_names.get(CONTEXT, CONTEXT)
    small = max(10, font_size - 2)
    for y, category in enumerate(rows):
        context = category == CONTEXT
        in_row = (
            events[events["kind"] == CONTEXT]
            if context
            else events[(events["category"] == category) & (events["kind"] != CONTEXT)]
        )
        colour = CATEGORY_COLOURS.get(category, "#666")
        name = category_names.get(category, category)
        hover = {
            row.id: event_hover(row, lang, context_label, _category_label(row, category_names))
            for row in in_row.itertuples()
        }
        periods = in_row[in_row["end"].notna() | in_row["ongoing"]]
        points = in_row.drop(periods.index)
        if not periods.empty:
            ends = [x_range[1] if row.ongoing else row.end for row in periods.itertuples()]
            fig.add_trace(
                go.Bar(
                    base=list(periods["start"]),
                    x=[
                        (end - start) / pd.Timedelta(milliseconds=1)
                        for start, end in zip(periods["start"], ends, strict=True)
                    ],
                    y=[y + MARK_Y] * len(periods),
                    orientation="h",
                    width=BAR_WIDTH,
                    marker={"color": colour, "opacity": 0.55, "line": {"color": colour, "width": 2}},
                    customdata=[hover[eid] for eid in periods["id"]],
                    hovertemplate="%{customdata}<extra></extra>",
                    name=name,
                    legendgroup=category,
                    meta={"category": category, "label": name, "ids": list(periods["id"]), "kind": "periods"},
                    showlegend=False,
                )
            )
            ongoing = [end for end, row in zip(ends, periods.itertuples(), strict=True) if row.ongoing]
            if ongoing:
                fig.add_trace(
                    go.Scatter(
                        x=ongoing,
                        y=[y + MARK_Y] * len(ongoing),
                        mode="markers",
                        marker={"symbol": "triangle-right", "size": 13, "color": colour},
                        hoverinfo="skip",
                        legendgroup=category,
                        showlegend=False,
                        cliponaxis=False,
                    )
                )
        if not points.empty:
            fig.add_trace(
                go.Scatter(
                    x=[marker_date(row) for row in points.itertuples()],
                    y=[y + MARK_Y] * len(points),
                    mode="markers",
                    marker={
                        "symbol": "diamond-open" if context else "diamond",
                        "size": 13,
                        "color": colour,
                        "line": {"color": colour if context else "white", "width": 2 if context else 1},
                    },
                    hovertext=[hover[eid] for eid in points["id"]],
                    hovertemplate="%{hovertext}<extra></extra>",
                    name=name,
                    legendgroup=category,
                    meta={"category": category, "label": name, "ids": list(points["id"]), "kind": "points"},
                    showlegend=False,
                    cliponaxis=False,
                )
            )
        # Numbers, as in the list below the chart, above or below the markers so neighbours do not overlap.
        anchors = [_anchor(row) for row in in_row.itertuples()]
        labels = [str(n) for n in in_row["number"]]
        positions = _label_positions(anchors, labels, x_range, plot_px, small)
        for lane, lane_y in (("top center", LABEL_ABOVE_Y), ("bottom center", LABEL_BELOW_Y)):
            shown = [i for i, p in enumerate(positions) if p == lane]
            if shown:
                fig.add_trace(
                    go.Scatter(
                        x=[anchors[i] for i in shown],
                        y=[y + lane_y] * len(shown),
                        mode="text",
                        text=[labels[i] for i in shown],
                        textposition=lane,
                        textfont={"size": small, "color": "#333"},
                        hoverinfo="skip",
                        legendgroup=category,
                        showlegend=False,
                        cliponaxis=False,
                    )
                )
        # The row's name on its own line at the top of the row (works on a phone, where y-axis labels
        # would take the width), with a swatch of the category's colour; the text stays dark to be legible.
        fig.add_annotation(
            x=0,
            xref="paper",
            y=y - 0.5,
            yref="y",
            text=f'<span style="color:{colour}">{"◇" if context else "■"}</span> {escape_plotly(name)}',
            showarrow=False,
            xanchor="left",
            yanchor="top",
            font={"size": small, "color": "#444"},
        )
    if highlight is not None and highlight in set(events["id"]):
        row = next(events[events["id"] == highlight].itertuples())
        fig.add_trace(
            go.Scatter(
                x=[_anchor(row)],
                y=[rows.index(CONTEXT if is_context(row) else row.category) + MARK_Y],
                mode="markers",
                marker={"symbol": "circle-open", "size": 28, "color": "#000", "line": {"width": 2.5}},
                hoverinfo="skip",
                showlegend=False,
                cliponaxis=False,
                meta={"kind": "highlight", "ids": [highlight]},
            )
        )
    height = ROW_PX * max(len(rows), 1)
    base_layout(fig, text, height=height, font_size=font_size, plot_px=source_px)
    margin = fig.layout.margin
    fig.update_layout(
        height=height + (margin.b or 0) + 10,
        margin={"t": 10, "l": 10, "r": 24},
        barmode="overlay",
        showlegend=False,
        hovermode="closest",
        hoverlabel={"align": "left"},
    )
    fig.update_xaxes(range=list(x_range), type="date")
    fig.update_yaxes(
        range=[len(rows) - 0.5, -0.5],
        tickvals=[y + 0.5 for y in range(len(rows) - 1)],
        showticklabels=False,
        zeroline=False,
        showgrid=True,
        gridcolor="#e6e6e6",
        fixedrange=True,
    )
    return fig


def _anchor(row) -> pd.Timestamp:
    """Where an event's number sits: on its marker, or at the start of its bar."""
    return row.start if (pd.notna(row.end) or row.ongoing) else marker_date(row)


def _category_label(row, category_names: dict[str, str]) -> str:
    label = category_names.get(row.category, row.category)
    return f"{label} ({category_names.get(CONTEXT, CONTEXT)})" if is_context(row) else label
