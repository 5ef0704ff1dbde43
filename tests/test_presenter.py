"""Presenter mode: the page in AppTest (loading, stepping, the URL, bad addresses, languages), the pure builders
(big charts with the step's events emphasised, URL and QR code, CSV, handout), and the slide pack end to end
with the real PNG export (Chromium through kaleido)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date

import pandas as pd
import pytest
import segno
from PIL import Image
from streamlit.testing.v1 import AppTest

import loaders
from app import citations
from app.runtime.data import source_line as app_source_line
from app.views import presenter, slide_pack
from loaders import settings
from loaders.events import categories, load_events
from loaders.stories import load_stories
from tests.browser import REPO

LONG, SHORT = "revolution_1992_2025", "hyperinflation_2014_2021"
needs_browser = pytest.mark.skipif(slide_pack.browser_path() is None, reason="no Chromium/Chrome for the PNG export")


@pytest.fixture(scope="module")
def stories():
    return {s.id: s for s in load_stories()}


@pytest.fixture(scope="module")
def catalog():
    return loaders.catalog()


@pytest.fixture(scope="module")
def events():
    return load_events()


@pytest.fixture(scope="module")
def frames(stories):
    ids = {sid for s in stories.values() for step in s.steps for sid in step.series_ids}
    return {sid: loaders.load(sid) for sid in ids}


def names(lang: str) -> dict[str, str]:
    return {key: labels[lang] for key, labels in categories().items()} | {"context": "Context"}


def plain(markdown: str) -> str:
    """What a reader sees of escaped Markdown."""
    return re.sub(r"\\(.)", r"\1", markdown)


# ------------------------------------------------------------------ the page (AppTest)


def open_page(**params) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page("app_pages/presenter.py").run()


def heading(at: AppTest) -> str:
    return plain(at.header[0].value)


def chart(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def counter(at: AppTest) -> str:
    return next(m.value for m in at.markdown if re.match(r"^\d+ / \d+", m.value))


def test_a_story_loads_with_its_first_step_big_chart_qr_code_and_export(stories):
    at = open_page()
    assert not at.exception
    story = stories[LONG]
    assert heading(at) == story.steps[0].title["en"]
    assert counter(at) == f"1 / {len(story.steps)}"
    spec = chart(at)
    assert spec["layout"]["font"]["size"] == 22 and spec["layout"]["height"] == 620
    assert any(
        a.get("text", "").startswith("Source: IMF World Economic Outlook, October 2025")
        for a in spec["layout"]["annotations"]
    )
    assert at.button(key="presenter_previous").disabled
    assert at.button(key="presenter_make_pack").label == "Make the slide pack"
    downloads = [button.key for button in at.get("download_button")]
    assert "presenter_export" not in downloads, "the download is offered once the pack is made"
    assert {"presenter-png", "presenter-svg"} <= set(downloads), "the step as PNG and SVG"
    assert [e for e in at.main if type(e).__name__ == "Image"], "the QR code is shown"
    assert any(m.value.strip("`").endswith(f"/presenter?story={LONG}&step=1&lang=en&view=phone") for m in at.markdown)
    assert plain(at.info[0].value) == story.steps[0].question["en"]
    assert at.query_params["story"] == LONG and at.query_params["step"] == "1"


def test_next_and_previous_walk_through_every_step_and_the_url_follows(stories):
    story = stories[SHORT]
    at = open_page(story=SHORT)
    for step in story.steps[1:]:
        at.button(key="presenter_next").click().run()
        assert not at.exception
        assert heading(at) == step.title["en"]
        assert at.query_params["step"] == str(step.number)
        assert counter(at).startswith(f"{step.number} / {len(story.steps)}")
        assert json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["xaxis"]["range"][0].startswith(
            f"{step.start:%Y-%m-%d}"
        )
    assert at.button(key="presenter_next").disabled, "no step after the last"
    assert "End of the story" in counter(at)
    for step in reversed(story.steps[:-1]):
        at.button(key="presenter_previous").click().run()
        assert heading(at) == step.title["en"]
        assert at.query_params["step"] == str(step.number)
    assert at.button(key="presenter_previous").disabled


def test_the_url_opens_the_step_it_names_in_its_language(stories):
    at = open_page(story=LONG, step="9", lang="es")
    assert not at.exception
    step = stories[LONG].steps[8]
    assert heading(at) == step.title["es"]
    assert at.button(key="presenter_next").label == "Siguiente"
    assert any(m.value.strip("`").endswith(f"?story={LONG}&step=9&lang=es&view=phone") for m in at.markdown)
    at.toggle(key="presenter_show_notes").set_value(True).run()
    assert any(plain(m.value) == step.notes["es"] for m in at.markdown)
    assert chart(at)["layout"]["annotations"][0]["text"].startswith("Fuente:")


@pytest.mark.parametrize(
    "params, warning",
    [
        ({"story": "no_such_story"}, r"story “no\_such\_story” (parameter story), which does not exist"),
        ({"story": SHORT, "step": "99"}, "step “99” (parameter step), but this story has steps 1 to 6"),
        ({"step": "abc"}, "step “abc” (parameter step)"),
        ({"step": "0"}, "step “0” (parameter step)"),
        ({"view": "tablet"}, "view “tablet” (parameter view)"),
    ],
)
def test_a_bad_address_shows_a_clear_message_and_the_first_step(stories, params, warning):
    at = open_page(**params)
    assert not at.exception
    assert any(warning in w.value for w in at.warning), [w.value for w in at.warning]
    story = stories[SHORT] if params.get("story") == SHORT else stories[LONG]
    assert heading(at) == story.steps[0].title["en"]
    assert at.query_params["step"] == "1" and at.query_params["story"] == story.id


def test_the_language_switch_changes_the_step_text_and_keeps_the_step(stories):
    at = open_page(story=SHORT, step="4")
    at.sidebar.radio(key="language_choice").set_value("es").run()
    assert not at.exception
    assert heading(at) == stories[SHORT].steps[3].title["es"]
    assert at.query_params["step"] == "4" and at.query_params["lang"] == "es"
    assert at.button(key="presenter_make_pack").label == "Preparar la presentación"


def test_choosing_another_story_starts_it_at_step_one(stories):
    at = open_page(story=LONG, step="5")
    at.selectbox(key=f"presenter_story_{LONG}").set_value(SHORT).run()
    assert not at.exception
    assert heading(at) == stories[SHORT].steps[0].title["en"]
    assert at.query_params["story"] == SHORT and at.query_params["step"] == "1"


def test_the_notes_stay_hidden_from_the_class_until_the_teacher_shows_them(stories):
    notes = stories[LONG].steps[0].notes["en"]
    at = open_page()
    assert not any(plain(m.value) == notes for m in at.markdown), "the class discusses the question first"
    assert at.info, "the discussion question is shown"
    at.toggle(key="presenter_show_notes").set_value(True).run()
    assert any(plain(m.value) == notes for m in at.markdown)
    assert any("What the documents say" in m.value for m in at.markdown)


def test_the_phone_view_the_qr_code_opens_has_ordinary_fonts_and_no_teacher_controls():
    at = open_page(story=SHORT, step="2", view="phone")
    assert not at.exception
    assert chart(at)["layout"]["font"]["size"] == 13
    assert not at.get("download_button"), "the slide pack is for the teacher's computer"
    assert not [b for b in at.button if b.key == "presenter_make_pack"]
    assert len(at.selectbox) == 1, "a reader on a phone can still pick another story"
    assert not [e for e in at.main if type(e).__name__ == "Image"]


def test_a_broken_story_file_is_named_and_the_good_story_still_shows(tmp_path, monkeypatch):
    (tmp_path / f"{SHORT}.yaml").write_bytes((settings.stories_dir() / f"{SHORT}.yaml").read_bytes())
    text = (settings.stories_dir() / f"{SHORT}.yaml").read_text(encoding="utf-8")
    text = text.replace("id: hyperinflation_2014_2021", "id: typo")
    (tmp_path / "typo.yaml").write_text(text.replace("[oil_price_crash_2014_2016]", "[oil_crash]", 1), "utf-8")
    monkeypatch.setattr("loaders.settings.stories_dir", lambda: tmp_path)
    at = open_page()
    assert not at.exception
    assert any(
        "typo.yaml: story 'typo', step 1, field 'events': unknown event id 'oil_crash'" in w.value for w in at.warning
    )
    assert at.query_params["story"] == SHORT


# ------------------------------------------------------------------ pure builders


@pytest.mark.parametrize("size", list(presenter.SIZES))
@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_event_a_step_asks_about_keeps_its_label(stories, frames, events, catalog, lang, size):
    missing = []
    for story in stories.values():
        for step in story.steps:
            fig = presenter.step_figure(story, step, frames, events, catalog, lang, names(lang), size)
            if lost := presenter.unlabelled_highlights(fig):
                missing.append((story.id, step.number, lost))
    assert missing == [], f"highlighted events drawn without a label: {missing}"


def test_resolve_and_view_fall_back_with_notices(stories):
    ordered = [stories[LONG], stories[SHORT]]
    assert presenter.resolve(ordered, SHORT, "6")[:2] == (stories[SHORT], 6)
    story, number, notices = presenter.resolve(ordered, "nope", "-1")
    assert (story.id, number) == (LONG, 1)
    assert [n.key for n in notices] == ["bad_story", "bad_step"]
    assert presenter.resolve_view("phone") == ("phone", [])
    assert presenter.resolve_view(None) == ("projector", [])
    assert presenter.resolve_view("tv")[1][0].fields["expected"] == "projector, phone"


@pytest.mark.parametrize(
    "page_url, configured, base",
    [
        ("http://192.168.1.20:8501/presenter", None, "http://192.168.1.20:8501/presenter"),
        ("http://192.168.1.20:8501/", None, "http://192.168.1.20:8501/presenter"),
        ("https://school.example/dashboard/presenter", None, "https://school.example/dashboard/presenter"),
        ("http://127.0.0.1:8501/presenter", "http://10.0.0.7:8501/", "http://10.0.0.7:8501/presenter"),
        (None, None, "http://localhost:8501/presenter"),
    ],
)
def test_the_step_address_is_built_from_the_browser_url_or_the_configured_one(page_url, configured, base):
    assert presenter.presenter_base(page_url, configured) == base


def test_local_addresses_are_recognised_as_unreachable_from_phones():
    assert presenter.is_local_only("http://localhost:8501/presenter?step=1")
    assert presenter.is_local_only("http://127.0.0.1:8501/presenter")
    assert not presenter.is_local_only("http://192.168.1.20:8501/presenter")


def test_the_qr_code_is_a_png_of_exactly_the_step_url():
    url = presenter.step_url("http://192.168.1.20:8501/presenter", SHORT, 3, "es", view="phone")
    image = Image.open(io.BytesIO(presenter.qr_png(url, scale=8))).convert("L")
    matrix = segno.make(url, error="m").matrix
    assert image.size == ((len(matrix) + 4) * 8,) * 2
    read = [
        [image.getpixel(((x + 2) * 8 + 4, (y + 2) * 8 + 4)) < 128 for x in range(len(row))]
        for y, row in enumerate(matrix)
    ]
    assert read == [[bool(v) for v in row] for row in matrix]
    assert presenter.qr_svg(url).startswith(b"<?xml")


@pytest.mark.parametrize("size", ["screen", "slide", "phone"])
@pytest.mark.parametrize("story_id", [LONG, SHORT])
def test_every_step_labels_its_own_events_strongly_and_dims_the_others(
    stories, frames, events, catalog, story_id, size
):
    story = stories[story_id]
    for step in story.steps:
        fig = presenter.step_figure(story, step, frames, events, catalog, "en", names("en"), size)
        titles = set(events.set_index("id").loc[list(step.events), "title_en"].map(lambda t: t[:27]))
        strong, dimmed = set(), set()
        for trace in (t for t in fig.data if t.mode == "markers+text"):
            for text, weight, colour in zip(trace.text, trace.textfont.weight, trace.textfont.color, strict=True):
                (strong if weight == "bold" else dimmed).add((text.rstrip("…")[:27], colour))
        assert {t for t, _ in strong if t} == titles, f"step {step.number}: every own event labelled, in bold"
        assert all(colour == presenter.DIMMED_TEXT for _, colour in dimmed)
        assert fig.layout.xaxis.range[0] == pd.Timestamp(step.start)
        assert (fig.layout.yaxis.type == "log") == step.log
        source = next(a for a in fig.layout.annotations if str(a.text).startswith(("Source:", "Sources:")))
        assert source.yshift < -(fig.layout.font.size * 1.4), "the source line sits below the tick labels"


def test_slides_carry_the_step_number_and_title_at_1600_by_900(stories, frames, events, catalog):
    story = stories[LONG]
    fig = presenter.step_figure(story, story.steps[6], frames, events, catalog, "es", names("es"), "slide")
    assert (fig.layout.width, fig.layout.height, fig.layout.font.size) == (1600, 900, 22)
    assert fig.layout.title.text == f"Paso 7 de 15 · {story.steps[6].title['es']}"


def test_the_source_line_matches_the_one_the_other_pages_use(catalog):
    ids = ["gdp_growth_wb_pct", "gdp_growth_imf_pct"]
    for lang in ("en", "es"):
        assert citations.source_line(catalog, ids, lang) == app_source_line(ids, lang)


def test_a_steps_csv_holds_exactly_its_plotted_rows_with_provenance(stories, frames, catalog):
    story = stories[SHORT]
    step = story.steps[2]  # IMF and World Bank inflation, 2012-2017
    text = slide_pack.step_csv(story, step, frames, catalog, "en").decode()
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert header[0] == f"# Hyperinflation, 2014–2021: Step 3 of 6: {step.title['en']}"
    assert any("citation: International Monetary Fund, World Economic Outlook" in line for line in header)
    assert any(line.startswith("# retrieved: 20") for line in header)
    table = pd.read_csv(io.StringIO(text), comment="#")
    assert list(table.columns) == ["date", "country", "series", "value", "status"]
    assert set(table["series"]) == {"inflation_avg_imf_pct", "inflation_cpi_wb_pct"}
    assert set(table["country"]) == {"VEN"}
    assert table["date"].min() >= "2012-01-01" and table["date"].max() <= "2017-12-31"
    imf = table[table["series"] == "inflation_avg_imf_pct"].set_index("date")["value"]
    assert imf["2016-01-01"] == pytest.approx(254.949, abs=0.01)


def test_the_handout_has_titles_notes_questions_quotes_and_citations(stories, events, catalog):
    story = stories[LONG]
    raw = slide_pack.handout_markdown(story, "en", events, catalog, date(2026, 1, 15))
    assert "(002_3ba13bb4189d8964.txt)" in raw, "file names stay readable in a text editor"
    md = plain(raw)
    page = slide_pack.handout_html(story, "en", events, catalog, date(2026, 1, 15))
    for step in story.steps:
        assert f"## {step.number}. {step.title['en']}" in md
        assert step.notes["en"] in md
        assert f"slides/{slide_pack.step_file(step, 'en', 'png')}" in md and "data/" in md
    assert "“burst onto the scene in 1992 after leading a military uprising” (002_3ba13bb4189d8964.txt)" in md
    assert "“now that Chávez is dead” (000_f1125d560f45f3b6.txt)" in md
    assert "  - Context, not from the documents: the US Treasury sanctioned the state oil company PDVSA" in md
    assert "International Monetary Fund, World Economic Outlook (October 2025), series PCPIPCH" in md
    assert re.search(
        r"series PCPIPCH, via the IMF DataMapper API\. Retrieved 20\d\d-\d\d-\d\d\. Licence: IMF terms", md
    )
    assert "Discussion question:" in md and "Slide pack made on 2026-01-15" in md
    assert page.count("<section>") == len(story.steps) and "now that Chávez is dead" in page


def test_hostile_text_in_a_story_stays_text_in_the_handout_and_on_screen(stories, events, catalog):
    story = stories[SHORT]
    hostile = "[click](javascript:alert(1)) <script>alert(2)</script> **bold**"
    step = story.steps[0]
    step = type(step)(**{**step.__dict__, "notes": {"en": hostile, "es": hostile}})
    evil = type(story)(story.id, {"en": hostile, "es": hostile}, story.summary, (step,), story.path)
    md = slide_pack.handout_markdown(evil, "en", events, catalog, date(2026, 1, 1))
    assert "\\[click\\](javascript" in md and "[click](" not in md
    assert "<script>" not in md and "\\<script\\>" in md and "\\*\\*bold\\*\\*" in md
    page = slide_pack.handout_html(evil, "en", events, catalog, date(2026, 1, 1))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "](javascript" not in presenter.escape_markdown(hostile)


def test_the_browser_is_found_on_the_path_or_named_by_browser_path(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing-chrome"))
    assert slide_pack.browser_path() is None
    monkeypatch.delenv("BROWSER_PATH")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert slide_pack.browser_path() is None
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert slide_pack.browser_path() == str(fake)


# ------------------------------------------------------------------ the slide pack


def open_pack(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


@needs_browser
def test_the_slide_pack_end_to_end_holds_real_png_slides_csvs_and_the_handout(stories, frames, events, catalog):
    story = stories[SHORT]
    heard = []
    pack = slide_pack.slide_pack(
        story, "es", frames, events, catalog, names("es"), date(2026, 1, 15), progress=lambda n, t: heard.append((n, t))
    )
    assert pack.png_error is None
    assert heard[-1] == (len(story.steps), len(story.steps)), "the page hears when every slide is drawn"
    assert [n for n, _ in heard] == sorted(n for n, _ in heard), "slide by slide, never backwards"
    assert pack.file_name == f"{SHORT}_es_slides.zip"
    files = open_pack(pack.data)
    pngs = sorted(n for n in files.namelist() if n.endswith(".png"))
    csvs = sorted(n for n in files.namelist() if n.endswith(".csv"))
    assert len(pngs) == len(csvs) == len(story.steps)
    for name, step in zip(pngs, story.steps, strict=True):
        assert name == f"{SHORT}_es/slides/{slide_pack.step_file(step, 'es', 'png')}"
        image = Image.open(io.BytesIO(files.read(name)))
        image.load()
        assert (image.format, image.size) == ("PNG", (1600, 900))
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
        assert len(colours) > 100, "a drawn chart, not a blank page"
        dark = sum(count for count, rgb in colours if sum(rgb) < 200)
        assert dark > 2000, "text and lines are drawn"
    assert {f"{SHORT}_es/handout.html", f"{SHORT}_es/handout.md"} <= set(files.namelist())
    handout = files.read(f"{SHORT}_es/handout.html").decode()
    assert all(f'src="{name.split("/", 1)[1]}"' in handout for name in pngs), "the handout shows every slide"
    assert "Pregunta para la clase" in handout
    first_csv = files.read(csvs[0]).decode()
    assert first_csv.startswith("# La hiperinflación, 2014–2021: Paso 1 de 6")


def test_without_a_browser_the_pack_still_has_the_data_and_handout_and_says_why(stories, frames, events, catalog):
    def no_browser(figs):
        raise slide_pack.ExportError("no Chromium or Chrome found")

    story = stories[LONG]
    pack = slide_pack.slide_pack(story, "en", frames, events, catalog, names("en"), render=no_browser)
    files = open_pack(pack.data)
    assert not [n for n in files.namelist() if n.endswith(".png")]
    assert len([n for n in files.namelist() if n.endswith(".csv")]) == len(story.steps)
    assert "no Chromium or Chrome found" in files.read(f"{LONG}_en/NO_SLIDES.txt").decode()
    assert "slides/" not in files.read(f"{LONG}_en/handout.md").decode()
