r"""Presenter mode, the step on screen: which story and step the address asks for, the step's URL and
QR code, its data, its chart and the documents' quotes (the export is ``app.views.slide_pack``).

No Streamlit here: frames, events and the catalog come in, figures and bytes go out.

>>> step_url("http://10.0.0.5:8501/presenter", "hyperinflation_2014_2021", 2, "es")
'http://10.0.0.5:8501/presenter?story=hyperinflation_2014_2021&step=2&lang=es'
>>> print(escape_markdown("[x](javascript:alert(1)) <b>*hi*</b>"))
\[x\]\(javascript\:alert\(1\)\) \<b\>\*hi\*\</b\>
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pandas as pd
import plotly.graph_objects as go
import segno

from app.charts import event_marks, figures
from app.citations import source_line
from app.embed import page_base
from app.i18n import translator
from app.text import escape_markdown, inert
from app.transforms import change_from_year_ago, index_to_year
from loaders.stories import Step, Story

SLIDE_WIDTH, SLIDE_HEIGHT = 1600, 900


@dataclass(frozen=True)
class Size:
    """How big to draw a step: the projector screen, a 1600×900 slide, or a student's phone."""

    height: int
    font_size: int
    plot_px: int  # the plot's expected width, for wrapping labels and the source line


SIZES = {
    "screen": Size(620, 22, 950),
    "slide": Size(SLIDE_HEIGHT, 22, SLIDE_WIDTH - 100),
    "phone": Size(480, 13, 330),
}
VIEWS = ("projector", "phone")  # the ?view= values of the page; the QR code opens the phone view
PAGE_PATH = "presenter"
PUBLIC_URL_ENV = "DASHBOARD_PUBLIC_URL"
# event_marks.add_events draws the labels of events a step does not highlight in this grey.
DIMMED_TEXT = event_marks.DIMMED_LABEL
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}  # noqa: S104 (a name to compare, not a bind)

# Words of a step on screen and in the slide pack.
TEXT = {
    "step_of": {"en": "Step {n} of {total}", "es": "Paso {n} de {total}"},
    "context_event": {"en": "Context, not from the documents", "es": "Contexto, no proviene de los documentos"},
    "unit_yoy": {"en": "% change from a year earlier", "es": "% de cambio respecto a un año antes"},
    "unit_index": {"en": "index, {base} = 100", "es": "índice, {base} = 100"},
}


# ---------------------------------------------------------------- choosing the story and step


@dataclass(frozen=True)
class Notice:
    """Something wrong in the URL, as a text key of the page and its fields."""

    key: str
    fields: dict


def resolve(stories: list[Story], asked_story: str | None, asked_step: str | None) -> tuple[Story, int, list[Notice]]:
    """The story and 1-based step the URL asks for; bad values fall back to the first, with a notice."""
    notices = []
    by_id = {s.id: s for s in stories}
    story = stories[0]
    if asked_story:
        if asked_story in by_id:
            story = by_id[asked_story]
        else:
            notices.append(Notice("bad_story", {"value": inert(asked_story), "expected": inert(", ".join(by_id), 400)}))
    number = 1
    if asked_step:
        text = str(asked_step).strip()
        # ASCII digits only, and few: "²".isdigit() is True but int() refuses it, as it does 5,000 digits.
        if text.isascii() and text.isdigit() and len(text) <= 6 and 1 <= int(text) <= len(story.steps):
            number = int(text)
        else:
            notices.append(Notice("bad_step", {"value": inert(asked_step), "total": len(story.steps)}))
    return story, number, notices


def resolve_view(asked: str | None, phone: bool = False) -> tuple[str, list[Notice]]:
    """The view asked for, ``projector`` or ``phone``; without one, ``phone`` on a phone's browser and
    ``projector`` elsewhere; anything else falls back to the projector, with a notice.

    >>> resolve_view(None, phone=True)[0], resolve_view("projector", phone=True)[0], resolve_view(None)[0]
    ('phone', 'projector', 'projector')
    """
    if asked in VIEWS:
        return asked, []
    if not asked:
        return ("phone" if phone else VIEWS[0]), []
    return VIEWS[0], [Notice("bad_view", {"value": inert(asked), "expected": ", ".join(VIEWS)})]


# ---------------------------------------------------------------- URL and QR code


def presenter_base(page_url: str | None, configured: str | None = None) -> str:
    """The presenter page's address without query: the configured public URL, else the browser's."""
    return page_base(page_url, configured, PAGE_PATH)


def step_url(base: str, story_id: str, step: int, lang: str, view: str | None = None, lesson: str | None = None) -> str:
    """The shareable address of one step: ``…/presenter?story=<id>&step=<n>&lang=<lang>[&view=phone][&lesson=…]``
    (a lesson, not a file of the server, travels in the address)."""
    query = {"story": story_id, "step": step, "lang": lang} | ({"view": view} if view else {})
    query |= {"lesson": lesson} if lesson else {}
    return f"{base}?{urlencode(query)}"


def is_local_only(url: str) -> bool:
    """True when phones in the room cannot reach the address (it names this computer only)."""
    return (urlsplit(url).hostname or "") in LOCAL_HOSTS


def qr_png(url: str, scale: int = 8) -> bytes:
    """A QR code of ``url`` as PNG bytes, made offline by segno."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def qr_svg(url: str, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=scale, border=2)
    return buffer.getvalue()


# ---------------------------------------------------------------- a step's data and chart


def transformed(step: Step, rows: pd.DataFrame) -> pd.DataFrame:
    """A country's rows as the step shows them: as published, % change from a year earlier, or an index.

    Applied to every year, before the step's dates are cut, so the first year of a change keeps its year before.
    """
    if step.transform == "yoy":
        return change_from_year_ago(rows)
    if step.transform == "index" and step.base is not None and rows["date"].dt.year.eq(step.base).any():
        return index_to_year(rows, step.base)
    return rows if step.transform == "level" else rows.iloc[0:0]


def step_frame(step: Step, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows a step plots: each series' country within the step's dates (date, country, series, value, status)."""
    parts = []
    start, end = pd.Timestamp(step.start), pd.Timestamp(step.end)
    for ref in step.series:
        frame = frames.get(ref.id)
        if frame is None:
            continue
        rows = transformed(step, frame[frame["country"] == ref.country])
        rows = rows[rows["date"].between(start, end)].copy()
        rows.insert(2, "series", ref.id)
        if "status" not in rows.columns:
            rows["status"] = ""
        parts.append(rows[["date", "country", "series", "value", "status"]])
    if not parts:
        return pd.DataFrame(columns=["date", "country", "series", "value", "status"])
    return pd.concat(parts, ignore_index=True).sort_values(["series", "date"], kind="stable").reset_index(drop=True)


def step_lines(step: Step, frames: dict[str, pd.DataFrame], catalog: pd.DataFrame, lang: str) -> list[figures.Line]:
    ids = [ref.id for ref in step.series]
    rows = step_frame(step, frames)
    lines = []
    for ref in step.series:
        part = rows[(rows["series"] == ref.id) & (rows["country"] == ref.country)].drop(columns="series")
        if part.empty:
            continue
        if (part["status"] == "").all():
            part = part.drop(columns="status")
        name = catalog.loc[ref.id, f"title_{lang}"]
        if ids.count(ref.id) > 1:
            name = f"{name}: {ref.country}"
        lines.append(
            figures.Line(
                part,
                name,
                hover_unit=catalog.loc[ref.id, f"unit_{lang}"],
                frequency=catalog.loc[ref.id, "frequency"],
                period=catalog.loc[ref.id, "period"],
            )
        )
    return lines


def step_events(step: Step, events: pd.DataFrame) -> pd.DataFrame:
    """The step's own events (drawn strong) and the others that bear on its series (dimmed)."""
    wanted = set(step.series_ids)
    related = events["series"].apply(lambda ids: bool(wanted & set(ids or [])))
    return events[events["id"].isin(step.events) | related]


def step_figure(
    story: Story,
    step: Step,
    frames: dict[str, pd.DataFrame],
    events: pd.DataFrame,
    catalog: pd.DataFrame,
    lang: str,
    category_names: dict[str, str] | None = None,
    size: str = "screen",
) -> go.Figure:
    """One step's chart: big fonts, the step's events strong and the others dimmed, the source line.

    ``size`` is a key of SIZES. On screen the page shows the title above the chart; a slide (1600×900)
    carries it in the image; on a phone the fonts are ordinary.
    """
    tr = translator(TEXT, lang)
    unit = step_unit(step, catalog, lang)
    title = ""
    slide, drawn = size == "slide", SIZES[size]
    if slide:
        title = f"{tr('step_of', n=step.number, total=len(story.steps))} · {step.title[lang]}"
    text = figures.ChartText(
        title=title,
        y_title=unit + (" (log)" if step.log else ""),
        source=source_line(catalog, step.series_ids, lang),
        left_out=tr("left_out"),
    )
    x_range = (pd.Timestamp(step.start), pd.Timestamp(step.end))
    shown = step_events(step, events)

    def build(marked: pd.DataFrame) -> go.Figure:
        return figures.timeseries_figure(
            step_lines(step, frames, catalog, lang),
            marked,
            text,
            lang=lang,
            log=step.log,
            x_range=x_range,
            category_names=category_names,
            highlight=set(step.events) or None,  # a step without events of its own draws every event alike
            height=drawn.height,
            font_size=drawn.font_size,
            plot_px=drawn.plot_px,
        )

    fig = build(shown)
    # Labels share four lanes in date order; when a step's own event found no free lane, leave out
    # the dimmed event nearest to it and draw again, so the events the class is asked about keep their labels.
    while (
        step.events
        and (missing := unlabelled_highlights(fig))
        and not (dimmed := shown[~shown["id"].isin(step.events)]).empty
    ):
        distance = (dimmed["start"].clip(lower=x_range[0]) - missing[0]).abs()
        shown = shown.drop(index=distance.idxmin())
        fig = build(shown)
    emphasise_highlights(fig)
    fit_source_line(fig, drawn.font_size)
    if slide:
        fig.update_layout(width=SLIDE_WIDTH, margin={"l": 40, "r": 40}, title={"pad": {"l": 30}})
    return fig


def step_unit(step: Step, catalog: pd.DataFrame, lang: str) -> str:
    """The y axis' unit: the series' own, or what the step's transform makes of it."""
    tr = translator(TEXT, lang)
    if step.transform == "yoy":
        return tr("unit_yoy")
    if step.transform == "index":
        return tr("unit_index", base=step.base)
    return str(catalog.loc[step.series[0].id, f"unit_{lang}"])


def _label_traces(fig: go.Figure) -> list:
    return [trace for trace in fig.data if trace.mode == "markers+text"]


def _is_dimmed(colour: str) -> bool:
    return str(colour).lower() == DIMMED_TEXT


def unlabelled_highlights(fig: go.Figure) -> list[pd.Timestamp]:
    """Dates of highlighted (not dimmed) events whose label found no free lane."""
    missing = []
    for trace in _label_traces(fig):
        colours = trace.textfont.color
        colours = colours if isinstance(colours, list | tuple) else [colours] * len(trace.x)
        missing += [
            pd.Timestamp(x) for x, t, c in zip(trace.x, trace.text, colours, strict=True) if not t and not _is_dimmed(c)
        ]
    return sorted(missing)


def emphasise_highlights(fig: go.Figure) -> go.Figure:
    """Highlighted labels bold and darker (pale category colours are hard to read on a projector)."""
    for trace in _label_traces(fig):
        colours = trace.textfont.color
        colours = list(colours) if isinstance(colours, list | tuple) else [colours] * len(trace.x)
        trace.textfont.color = [c if _is_dimmed(c) else darker(c) for c in colours]
        trace.textfont.weight = ["normal" if _is_dimmed(c) else "bold" for c in colours]
        trace.marker.size = [8 if _is_dimmed(c) else 14 for c in colours]
    return fig


def darker(colour: str, keep: float = 0.6) -> str:
    """A colour mixed with black, so pale hues reach readable contrast on white.

    >>> darker("#DDCC77")
    '#857a47'
    """
    value = colour.lstrip("#")
    if len(value) != 6:
        return colour
    red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * keep) for c in (red, green, blue)))


def fit_source_line(fig: go.Figure, font_size: int) -> go.Figure:
    """Move the source line below the x-axis tick labels, which are taller at presenter font sizes.

    (``figures.base_layout`` places it for 14 px ticks; at 22 px it would overlap them.)
    """
    line_px = int(max(10, font_size - 3) * 1.4)
    tick_px = int(font_size * 1.4) + 16
    for note in fig.layout.annotations:
        if note.yref == "paper" and note.y == 0 and note.yanchor == "bottom" and note.xanchor == "left":
            lines = str(note.text).count("<br>") + 1
            note.yshift = -tick_px - line_px * lines
            fig.update_layout(margin={"b": tick_px + line_px * lines + 12})
    return fig


def step_event_rows(step: Step, events: pd.DataFrame) -> list:
    by_id = events.set_index("id", drop=False)
    return [by_id.loc[eid] for eid in step.events if eid in by_id.index]


def event_when(event) -> str:
    end = event["end"]
    start = f"{event['start']:%Y-%m-%d}"
    return f"{start} – {end:%Y-%m-%d}" if pd.notna(end) and end > event["start"] else start


def event_quotes(event) -> list[tuple[str, str]]:
    """(quote, document file name) for an event's own quote and each of its ``also_in`` passages."""
    out = []
    if event.get("kind") == "document" and event.get("quote"):
        out.append((str(event["quote"]), str(event["document"])))
    for extra in event.get("also_in") or []:
        if isinstance(extra, dict) and extra.get("quote"):
            out.append((str(extra["quote"]), str(extra.get("document", ""))))
    return out


def context_text(event, lang: str) -> str:
    """A context event's description, said to be context (not from the documents) unless it says so itself."""
    label, description = translator(TEXT, lang)("context_event"), str(event["description_" + lang])
    return description if description.lower().startswith(label.lower()) else f"{label}: {description}"


def quotes_markdown(step: Step, events: pd.DataFrame, lang: str, escape=None) -> str:
    """A Markdown list of the step's events: title, date, and each quote with its document (or, for a
    context event, that it is not from the documents and what it is). Data text is escaped."""
    md = escape or escape_markdown
    lines = []
    for event in step_event_rows(step, events):
        lines.append(f"- **{md(event['title_' + lang])}** ({event_when(event)})")
        quotes = event_quotes(event)
        lines += [f"  - “{md(quote)}” ({md(document)})" for quote, document in quotes]
        if not quotes:
            lines.append(f"  - {md(context_text(event, lang))}")
    return "\n".join(lines)
