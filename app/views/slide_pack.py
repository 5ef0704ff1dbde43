r"""Presenter mode's export: the slide pack, a ZIP of one PNG per step, the data of each step as CSV with
its provenance, and a handout (Markdown and HTML) with titles, notes, questions, quotes and citations.

PNG slides are drawn by ``app.image_export`` (Plotly's image export, kaleido 1.x, with a local Chromium or
Chrome, offline), one render at a time on the server.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from app.charts.describe import describe_figure
from app.downloads import csv_with_provenance, provenance_header
from app.i18n import translator
from app.image_export import MAX_RENDERS as MAX_RENDERS
from app.image_export import ExportError as ExportError
from app.image_export import Progress, browser_path, render_images
from app.image_export import renders_queued as renders_queued
from app.text import escape_html, escape_markdown_file
from app.views import presenter
from app.views.presenter import (
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    context_text,
    event_quotes,
    event_when,
    quotes_markdown,
    step_event_rows,
    step_figure,
    step_frame,
)
from loaders.stories import Step, Story

# Words of the exported slide pack (the page keeps its own table for the screen).
TEXT = presenter.TEXT | {
    "question": {"en": "Discussion question", "es": "Pregunta para la clase"},
    "documents_say": {"en": "What the documents say", "es": "Lo que dicen los documentos"},
    "data_sources": {"en": "Data and sources", "es": "Datos y fuentes"},
    "chart": {"en": "Chart", "es": "Gráfico"},
    "in_words": {"en": "The chart in words", "es": "El gráfico en palabras"},
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


def render_pngs(
    figs: list[go.Figure], width: int = SLIDE_WIDTH, height: int = SLIDE_HEIGHT, progress: Progress | None = None
) -> list[bytes]:
    """PNG bytes of each slide, drawn by one headless browser session, offline. Raises ExportError.

    ``progress`` hears how many slides are drawn (``image_export.render_images``)."""
    return render_images(figs, "png", width, height, browser_path(), progress)


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


def handout_markdown(
    story: Story,
    lang: str,
    events: pd.DataFrame,
    catalog: pd.DataFrame,
    made_on: date,
    with_slides: bool = True,
    descriptions: list[str] | None = None,
) -> str:
    """The handout: per step its title, slide, the chart in words (``descriptions``, one per step), notes,
    question, the documents' quotes, and citations."""
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
        if descriptions:
            out += [f"*{md(tr('in_words'))}:* {md(descriptions[step.number - 1])}", ""]
        out += [md(step.notes[lang]), ""]
        if step.question:
            out += [f"**{md(tr('question'))}:** {md(step.question[lang])}", ""]
        out += [f"### {md(tr('documents_say'))}", ""]
        out.append(quotes_markdown(step, events, lang, escape=md))
        documents.update(document for event in step_event_rows(step, events) for _, document in event_quotes(event))
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
    story: Story,
    lang: str,
    events: pd.DataFrame,
    catalog: pd.DataFrame,
    made_on: date,
    with_slides: bool = True,
    descriptions: list[str] | None = None,
) -> str:
    """The same handout as a standalone HTML page (opens in any browser, prints one step a page); each slide's
    description is its image's accessible description and is printed under it."""
    tr = translator(TEXT, lang)
    e = escape_html
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
            described = f' aria-describedby="chart-{step.number}"' if descriptions else ""
            out.append(f'<img src="{src}" alt="{e(tr("chart"))}: {e(step.title[lang])}"{described}>')
        if descriptions:
            out.append(
                f'<p class="meta" id="chart-{step.number}"><strong>{e(tr("in_words"))}:</strong> '
                f"{e(descriptions[step.number - 1])}</p>"
            )
        out.append(f"<p>{e(step.notes[lang])}</p>")
        if step.question:
            out.append(f'<p class="question">{e(tr("question"))}: {e(step.question[lang])}</p>')
        out += [f"<h3>{e(tr('documents_say'))}</h3>", "<ul>"]
        for event in step_event_rows(step, events):
            out.append(f"<li><strong>{e(event['title_' + lang])}</strong> ({e(event_when(event))})")
            quotes = event_quotes(event)
            for quote, document in quotes:
                documents.add(document)
                out.append(f"<blockquote>“{e(quote)}” ({e(document)})</blockquote>")
            if not quotes:
                out.append(f"<br>{e(context_text(event, lang))}")
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
    progress: Progress | None = None,
) -> SlidePack:
    """The whole story as a ZIP: ``slides/NN_*.png`` (1600×900) and beside each ``NN_*.txt``, the chart in words;
    ``data/NN_*.csv``, ``handout.html`` and ``.md``.

    If the slides cannot be drawn (no browser), the pack still holds the data and the handout, plus a
    note saying why the images are missing. ``progress`` hears how many slides are drawn (see ``render_pngs``).
    """
    made_on = made_on or date.today()
    folder = f"{story.id}_{lang}"
    figs = [step_figure(story, step, frames, events, catalog, lang, category_names, "slide") for step in story.steps]
    descriptions = [describe_figure(fig, lang) for fig in figs]
    try:
        pngs, png_error = (render(figs, progress=progress) if progress else render(figs)), None
    except ExportError as e:
        pngs, png_error = [], str(e)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as pack:
        for step, png in zip(story.steps, pngs, strict=False):
            pack.writestr(f"{folder}/slides/{step_file(step, lang, 'png')}", png)
        for step, description in zip(story.steps, descriptions, strict=True):
            pack.writestr(f"{folder}/slides/{step_file(step, lang, 'txt')}", description + "\n")
        for step in story.steps:
            pack.writestr(f"{folder}/data/{step_file(step, lang, 'csv')}", step_csv(story, step, frames, catalog, lang))
        with_slides = png_error is None
        handouts = (story, lang, events, catalog, made_on, with_slides, descriptions)
        pack.writestr(f"{folder}/handout.html", handout_html(*handouts))
        pack.writestr(f"{folder}/handout.md", handout_markdown(*handouts))
        if png_error:
            pack.writestr(f"{folder}/NO_SLIDES.txt", translator(TEXT, lang)("no_png", error=png_error) + "\n")
    return SlidePack(buffer.getvalue(), f"{folder}_slides.zip", png_error)
