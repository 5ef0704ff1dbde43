r"""Presenter mode, the pure parts: a story's step as a big chart, its URL and QR code, and the
slide pack (a ZIP of one PNG per step, the data of each step as CSV, and a handout).

No Streamlit here: frames, events and the catalog come in, figures and bytes go out.

PNG slides are drawn by Plotly's image export (kaleido 1.x), which drives a local Chromium or
Chrome through choreographer. It needs no network: plotly.js comes from the plotly package and
MathJax is switched off. The browser is ``$BROWSER_PATH`` if set, else ``chromium``,
``chromium-browser``, ``google-chrome`` or ``chrome`` on the PATH.

>>> step_url("http://10.0.0.5:8501/presenter", "hyperinflation_2014_2021", 2, "es")
'http://10.0.0.5:8501/presenter?story=hyperinflation_2014_2021&step=2&lang=es'
>>> print(escape_markdown("[x](javascript:alert(1)) <b>*hi*</b>"))
\[x\]\(javascript\:alert\(1\)\) \<b\>\*hi\*\</b\>
"""

from __future__ import annotations

import asyncio
import html
import io
import os
import re
import shutil
import threading
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode, urlsplit, urlunsplit

import pandas as pd
import plotly.graph_objects as go
import segno

from app.charts import figures
from app.citations import source_line
from app.downloads import csv_with_provenance, provenance_header
from app.i18n import translator
from app.text import escape_markdown, inert
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
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
DIMMED_TEXT = "#bbb"  # figures.add_events draws labels of events that are not highlighted in this grey
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}  # noqa: S104 (a name to compare, not a bind)
# In a Markdown file only links, images, HTML, code and emphasis can make text act: escape just those,
# so the file stays readable in a plain text editor (an underscore inside a word emphasises nothing).
_MD_FILE_SPECIAL = re.compile(r"([\\`*\[\]<>|~&])|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")

# Words of the exported slide pack (the page keeps its own table for the screen).
TEXT = {
    "step_of": {"en": "Step {n} of {total}", "es": "Paso {n} de {total}"},
    "question": {"en": "Discussion question", "es": "Pregunta para la clase"},
    "documents_say": {"en": "What the documents say", "es": "Lo que dicen los documentos"},
    "context_event": {"en": "Context, not from the documents", "es": "Contexto, no proviene de los documentos"},
    "data_sources": {"en": "Data and sources", "es": "Datos y fuentes"},
    "chart": {"en": "Chart", "es": "Gráfico"},
    "data_file": {"en": "Data (CSV)", "es": "Datos (CSV)"},
    "documents": {"en": "The documents", "es": "Los documentos"},
    "documents_note": {
        "en": "The events are marked as two partisan documents tell them; the documents disagree with each other "
        "and the dashboard takes no side. Quotes are in the documents' own language, cited by file name.",
        "es": "Los hechos se marcan tal como los cuentan dos documentos partidistas; los documentos no coinciden "
        "entre sí y el tablero no toma partido. Las citas están en el idioma de cada documento y se citan por el "
        "nombre del archivo.",
    },
    "made_with": {
        "en": "Slide pack made on {day} from the dashboard “Venezuela's economy in numbers” ({url}).",
        "es": "Presentación generada el {day} con el tablero «La economía de Venezuela en cifras» ({url}).",
    },
    "no_png": {
        "en": "The PNG slides could not be made: {error}. The data and the handout are complete.",
        "es": "No se pudieron generar las diapositivas PNG: {error}. Los datos y la guía están completos.",
    },
    "period": {"en": "Period shown", "es": "Período mostrado"},
    "retrieved_on": {"en": "Retrieved", "es": "Consultado el"},
    "licence": {"en": "Licence", "es": "Licencia"},
    "handout": {"en": "Handout", "es": "Guía para la clase"},
}


class ExportError(RuntimeError):
    """The slide images could not be drawn (no browser, or the browser failed); says why."""


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
    if configured:
        return configured.rstrip("/") + "/" + PAGE_PATH
    parts = urlsplit(page_url or "")
    path = parts.path.rstrip("/")
    if not path.endswith("/" + PAGE_PATH):
        # The app may have been opened at its root (the default page): the presenter lives beside it.
        path = path.rsplit("/", 1)[0] if path.count("/") > 1 else ""
        path = f"{path}/{PAGE_PATH}"
    return urlunsplit((parts.scheme or "http", parts.netloc or "localhost:8501", path, "", ""))


def step_url(base: str, story_id: str, step: int, lang: str, view: str | None = None) -> str:
    """The shareable address of one step: ``…/presenter?story=<id>&step=<n>&lang=<lang>[&view=phone]``."""
    query = {"story": story_id, "step": step, "lang": lang} | ({"view": view} if view else {})
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


def step_frame(step: Step, frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows a step plots: each series' country within the step's dates (date, country, series, value, status)."""
    parts = []
    start, end = pd.Timestamp(step.start), pd.Timestamp(step.end)
    for ref in step.series:
        frame = frames.get(ref.id)
        if frame is None:
            continue
        rows = frame[(frame["country"] == ref.country) & frame["date"].between(start, end)].copy()
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
    unit = catalog.loc[step.series[0].id, f"unit_{lang}"]
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
            highlight=set(step.events),
            height=drawn.height,
            font_size=drawn.font_size,
            plot_px=drawn.plot_px,
        )

    fig = build(shown)
    # Labels share four lanes in date order; when a step's own event found no free lane, leave out
    # the dimmed event nearest to it and draw again, so the events the class is asked about keep their labels.
    while (missing := unlabelled_highlights(fig)) and not (dimmed := shown[~shown["id"].isin(step.events)]).empty:
        distance = (dimmed["start"].clip(lower=x_range[0]) - missing[0]).abs()
        shown = shown.drop(index=distance.idxmin())
        fig = build(shown)
    emphasise_highlights(fig)
    fit_source_line(fig, drawn.font_size)
    if slide:
        fig.update_layout(width=SLIDE_WIDTH, margin={"l": 40, "r": 40}, title={"pad": {"l": 30}})
    return fig


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


# ---------------------------------------------------------------- the slide pack


# Each render starts a Chromium (about 250 MB and tens of seconds for a story): however many readers
# press the button, the server draws one pack at a time; the others wait their turn, in order.
MAX_RENDERS = 1
_render_slots = threading.BoundedSemaphore(MAX_RENDERS)
_queue_lock = threading.Lock()
_queue: list[object] = []  # one ticket per render waiting or drawing, oldest first


def renders_queued() -> int:
    """How many slide packs are being drawn or waiting to be, on this server, right now."""
    with _queue_lock:
        return len(_queue)


class _RenderTurn:
    """Wait for a render slot, in the order asked; ``position`` is 1 when drawing, 2 when next, ..."""

    def __enter__(self) -> _RenderTurn:
        self._ticket = object()
        with _queue_lock:
            _queue.append(self._ticket)
        _render_slots.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        _render_slots.release()
        with _queue_lock:
            _queue.remove(self._ticket)


def browser_path() -> str | None:
    """The Chrome/Chromium kaleido will drive: ``$BROWSER_PATH``, else the first one on the PATH."""
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return next((found for name in BROWSER_NAMES if (found := shutil.which(name))), None)


async def _render(figs: list[go.Figure], width: int, height: int, path: str) -> list[bytes]:
    import kaleido  # imported here: only the export needs it

    async with kaleido.Kaleido(n=1, timeout=60, mathjax=False, path=path) as renderer:
        opts = {"format": "png", "width": width, "height": height, "scale": 1}
        return [await renderer.calc_fig(fig, opts=opts) for fig in figs]


def render_pngs(figs: list[go.Figure], width: int = SLIDE_WIDTH, height: int = SLIDE_HEIGHT) -> list[bytes]:
    """PNG bytes of each figure, drawn by one headless browser session, offline. Raises ExportError."""
    path = browser_path()
    if path is None:
        raise ExportError(
            "no Chromium or Chrome found (install Debian's chromium package, or set BROWSER_PATH to a Chrome)"
        )
    result: dict[str, object] = {}

    def run() -> None:  # its own thread, so it never meets a running event loop
        try:
            result["pngs"] = asyncio.run(_render(figs, width, height, path))
        except Exception as e:  # noqa: BLE001 (reported to the caller below)
            result["error"] = e

    worker = threading.Thread(target=run, name="slide-pack-png", daemon=True)
    with _RenderTurn():
        worker.start()
        worker.join()
    if "error" in result:
        raise ExportError(f"{path} could not draw the slides: {result['error']}") from result["error"]
    return result["pngs"]  # type: ignore[return-value]


def slug(text: str, length: int = 40) -> str:
    """A file-name-safe ASCII slug.

    >>> slug("2012–2013: Chávez's last speech, his death")
    '2012-2013-chavezs-last-speech-his-death'
    """
    ascii_text = unicodedata.normalize("NFKD", text.replace("–", "-")).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("'", "")).strip("-")
    return words[:length].rstrip("-") or "step"


def step_file(step: Step, lang: str, extension: str) -> str:
    return f"{step.number:02d}_{slug(step.title[lang])}.{extension}"


def step_csv(story: Story, step: Step, frames: dict[str, pd.DataFrame], catalog: pd.DataFrame, lang: str) -> bytes:
    """Exactly the data of one step's chart, headed by the story, the step and each series' provenance."""
    tr = translator(TEXT, lang)
    head = [
        f"{story.title[lang]}: {tr('step_of', n=step.number, total=len(story.steps))}: {step.title[lang]}",
        f"{tr('period')}: {step.start:%Y-%m-%d} – {step.end:%Y-%m-%d}",
    ]
    rows = step_frame(step, frames)
    return csv_with_provenance(rows, head + provenance_header(catalog, step.series_ids, lang))


def _event_rows(step: Step, events: pd.DataFrame) -> list:
    by_id = events.set_index("id", drop=False)
    return [by_id.loc[eid] for eid in step.events if eid in by_id.index]


def _when(event) -> str:
    end = event["end"]
    start = f"{event['start']:%Y-%m-%d}"
    return f"{start} – {end:%Y-%m-%d}" if pd.notna(end) and end > event["start"] else start


def _quotes(event) -> list[tuple[str, str]]:
    """(quote, document file name) for an event's own quote and each of its ``also_in`` passages."""
    out = []
    if event.get("kind") == "document" and event.get("quote"):
        out.append((str(event["quote"]), str(event["document"])))
    for extra in event.get("also_in") or []:
        if isinstance(extra, dict) and extra.get("quote"):
            out.append((str(extra["quote"]), str(extra.get("document", ""))))
    return out


def _context_text(event, lang: str) -> str:
    """A context event's description, said to be context (not from the documents) unless it says so itself."""
    label, description = translator(TEXT, lang)("context_event"), str(event["description_" + lang])
    return description if description.lower().startswith(label.lower()) else f"{label}: {description}"


def _citations(catalog: pd.DataFrame, series_ids: list[str], lang: str) -> list[str]:
    tr = translator(TEXT, lang)
    out = []
    for sid in dict.fromkeys(series_ids):
        row = catalog.loc[sid]
        when = str(row["retrieved_at"])[:10] or "?"
        citation = str(row["citation"]).rstrip(".")
        out.append(
            f"{row['title_' + lang]} ({row['unit_' + lang]}): {citation}. "
            f"{tr('retrieved_on')} {when}. {tr('licence')}: {row['licence']}. {row['canonical_url']}"
        )
    return out


def quotes_markdown(step: Step, events: pd.DataFrame, lang: str, escape=None) -> str:
    """A Markdown list of the step's events: title, date, and each quote with its document (or, for a
    context event, that it is not from the documents and what it is). Data text is escaped."""
    md = escape or escape_markdown
    lines = []
    for event in _event_rows(step, events):
        lines.append(f"- **{md(event['title_' + lang])}** ({_when(event)})")
        quotes = _quotes(event)
        lines += [f"  - “{md(quote)}” ({md(document)})" for quote, document in quotes]
        if not quotes:
            lines.append(f"  - {md(_context_text(event, lang))}")
    return "\n".join(lines)


def escape_markdown_file(text: object) -> str:
    r"""Data text made inert for a Markdown file, with as few backslashes as that takes.

    >>> print(escape_markdown_file("[x](javascript:alert(1)) <b>*hi*</b> 002_3ba.txt _em_"))
    \[x\](javascript:alert(1)) \<b\>\*hi\*\</b\> 002_3ba.txt \_em\_
    """
    escaped = _MD_FILE_SPECIAL.sub(lambda m: "\\" + m.group(0), " ".join(str(text).split()))
    return "\\" + escaped if escaped[:1] in ("#", ">", "-", "+", "=") else escaped


def handout_markdown(
    story: Story, lang: str, events: pd.DataFrame, catalog: pd.DataFrame, made_on: date, with_slides: bool = True
) -> str:
    """The handout: per step its title, slide, notes, question, the documents' quotes, and citations."""
    tr = translator(TEXT, lang)
    md = escape_markdown_file
    total = len(story.steps)
    out = [f"# {md(story.title[lang])}", "", md(story.summary[lang]), "", f"*{md(tr('documents_note'))}*", ""]
    documents: set[str] = set()
    for step in story.steps:
        out += [f"## {step.number}. {md(step.title[lang])}", ""]
        out += [f"*{md(tr('step_of', n=step.number, total=total))} · {tr('period')}: "]
        out[-1] += f"{step.start:%Y-%m-%d} – {step.end:%Y-%m-%d}*"
        out.append("")
        if with_slides:
            out += [f"![{md(step.title[lang])}](slides/{step_file(step, lang, 'png')})", ""]
        out += [md(step.notes[lang]), ""]
        if step.question:
            out += [f"**{md(tr('question'))}:** {md(step.question[lang])}", ""]
        out += [f"### {md(tr('documents_say'))}", ""]
        out.append(quotes_markdown(step, events, lang, escape=md))
        documents.update(document for event in _event_rows(step, events) for _, document in _quotes(event))
        out += ["", f"### {md(tr('data_sources'))}", ""]
        out += [f"- {md(c)}" for c in _citations(catalog, step.series_ids, lang)]
        out += [f"- {md(tr('data_file'))}: data/{step_file(step, lang, 'csv')}", ""]
    out += [f"## {md(tr('documents'))}", ""] + [f"- {md(d)}" for d in sorted(documents)] + [""]
    out += [f"*{md(tr('made_with', day=f'{made_on:%Y-%m-%d}', url='presenter?story=' + story.id))}*", ""]
    return "\n".join(out)


HANDOUT_CSS = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; max-width: 62rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.5; font-size: 1.1rem; }
h1 { font-size: 2rem; } h2 { font-size: 1.5rem; margin-top: 2.5rem; border-top: 1px solid #ccc; padding-top: 1rem; }
h3 { font-size: 1.1rem; margin-bottom: 0.3rem; }
img { width: 100%; border: 1px solid #ddd; }
.meta, .made { color: #555; font-size: 0.95rem; }
.question { background: #eef5fb; border-left: 4px solid #0072B2; padding: 0.6rem 1rem; font-weight: 600; }
blockquote { margin: 0.2rem 0 0.2rem 1rem; font-style: italic; }
section { break-inside: avoid-page; }
@media print { h2 { break-before: page; border-top: none; } }
"""


def handout_html(
    story: Story, lang: str, events: pd.DataFrame, catalog: pd.DataFrame, made_on: date, with_slides: bool = True
) -> str:
    """The same handout as a standalone HTML page (opens in any browser, prints one step a page)."""
    tr = translator(TEXT, lang)
    e = html.escape
    total = len(story.steps)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{e(story.title[lang])}</title><style>{HANDOUT_CSS}</style></head><body>",
        f"<h1>{e(story.title[lang])}</h1>",
        f"<p>{e(story.summary[lang])}</p>",
        f'<p class="meta">{e(tr("documents_note"))}</p>',
    ]
    documents: set[str] = set()
    for step in story.steps:
        out += ["<section>", f"<h2>{step.number}. {e(step.title[lang])}</h2>"]
        out.append(
            f'<p class="meta">{e(tr("step_of", n=step.number, total=total))} · {e(tr("period"))}: '
            f"{step.start:%Y-%m-%d} – {step.end:%Y-%m-%d}</p>"
        )
        if with_slides:
            src = e(f"slides/{step_file(step, lang, 'png')}")
            out.append(f'<img src="{src}" alt="{e(tr("chart"))}: {e(step.title[lang])}">')
        out.append(f"<p>{e(step.notes[lang])}</p>")
        if step.question:
            out.append(f'<p class="question">{e(tr("question"))}: {e(step.question[lang])}</p>')
        out += [f"<h3>{e(tr('documents_say'))}</h3>", "<ul>"]
        for event in _event_rows(step, events):
            out.append(f"<li><strong>{e(event['title_' + lang])}</strong> ({e(_when(event))})")
            quotes = _quotes(event)
            for quote, document in quotes:
                documents.add(document)
                out.append(f"<blockquote>“{e(quote)}” ({e(document)})</blockquote>")
            if not quotes:
                out.append(f"<br>{e(_context_text(event, lang))}")
            out.append("</li>")
        out += ["</ul>", f"<h3>{e(tr('data_sources'))}</h3>", "<ul>"]
        out += [f"<li>{e(c)}</li>" for c in _citations(catalog, step.series_ids, lang)]
        csv_name = e(f"data/{step_file(step, lang, 'csv')}")
        out += [f'<li>{e(tr("data_file"))}: <a href="{csv_name}">{csv_name}</a></li>', "</ul>", "</section>"]
    out += [f"<h2>{e(tr('documents'))}</h2>", "<ul>"] + [f"<li>{e(d)}</li>" for d in sorted(documents)] + ["</ul>"]
    made = tr("made_with", day=f"{made_on:%Y-%m-%d}", url="presenter?story=" + story.id)
    out += [f'<p class="made">{e(made)}</p>', "</body></html>"]
    return "\n".join(out)


@dataclass(frozen=True)
class SlidePack:
    data: bytes
    file_name: str
    png_error: str | None  # why the PNGs are missing, if they are


def slide_pack(
    story: Story,
    lang: str,
    frames: dict[str, pd.DataFrame],
    events: pd.DataFrame,
    catalog: pd.DataFrame,
    category_names: dict[str, str] | None = None,
    made_on: date | None = None,
    render=render_pngs,
) -> SlidePack:
    """The whole story as a ZIP: ``slides/NN_*.png`` (1600×900), ``data/NN_*.csv``, ``handout.html`` and ``.md``.

    If the slides cannot be drawn (no browser), the pack still holds the data and the handout, plus a
    note saying why the images are missing.
    """
    made_on = made_on or date.today()
    folder = f"{story.id}_{lang}"
    figs = [step_figure(story, step, frames, events, catalog, lang, category_names, "slide") for step in story.steps]
    try:
        pngs, png_error = render(figs), None
    except ExportError as e:
        pngs, png_error = [], str(e)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as pack:
        for step, png in zip(story.steps, pngs, strict=False):
            pack.writestr(f"{folder}/slides/{step_file(step, lang, 'png')}", png)
        for step in story.steps:
            pack.writestr(f"{folder}/data/{step_file(step, lang, 'csv')}", step_csv(story, step, frames, catalog, lang))
        with_slides = png_error is None
        pack.writestr(f"{folder}/handout.html", handout_html(story, lang, events, catalog, made_on, with_slides))
        pack.writestr(f"{folder}/handout.md", handout_markdown(story, lang, events, catalog, made_on, with_slides))
        if png_error:
            pack.writestr(f"{folder}/NO_SLIDES.txt", translator(TEXT, lang)("no_png", error=png_error) + "\n")
    return SlidePack(buffer.getvalue(), f"{folder}_slides.zip", png_error)
