"""Presenter mode in a real browser: two steps in both languages (screenshots kept), a step fits a 1920×1080
projector with the sidebar collapsed, the arrow keys walk a story (also after the story menu was used), the slide
pack is drawn with its progress shown and downloads with real 1600×900 PNG slides, and the phone view draws."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile

import pytest
from PIL import Image

from app.lessons import ChartView, step_from_view
from loaders import lessons
from loaders.stories import load_stories
from tests.browser import browser_page, chromium_path, exception_texts, running_app, screenshot, wait_until_drawn

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="Debian's chromium is not installed (.ci/run installs it)"),
]

LONG, SHORT = "revolution_1992_2025", "hyperinflation_2014_2021"
STORIES = {s.id: s for s in load_stories()}
TOGGLE = {"en": "Show the teacher's notes", "es": "Mostrar las notas del docente"}


@pytest.fixture(scope="module")
def app_url():
    with running_app() as url:
        yield url


def heading(page) -> str:
    return page.locator(".st-key-presenter-heading h2").first.inner_text().strip()


def wait_for_step(page, number: int, title: str) -> None:
    page.wait_for_function(
        "([n, title]) => location.search.includes('step=' + n + '&') || location.search.endsWith('step=' + n)"
        " ? [...document.querySelectorAll('.st-key-presenter-heading h2')].some(h => h.innerText.trim() === title)"
        " : false",
        arg=[number, title],
        timeout=45_000,
    )
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=45_000)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("step", [1, 10])
def test_a_step_in_presenter_view_draws_big_and_readable(app_url, lang, step):
    story = STORIES[LONG]
    with browser_page(width=1600, height=1400) as page:
        page.goto(f"{app_url}/presenter?story={LONG}&step={step}&lang={lang}")
        wait_until_drawn(page, 1)
        time.sleep(1)
        screenshot(page, f"presenter-{LONG}-step{step:02d}-{lang}")
        assert exception_texts(page) == []
        assert heading(page) == story.steps[step - 1].title[lang]
        layout = json.loads(page.evaluate("() => JSON.stringify(document.querySelector('.js-plotly-plot').layout)"))
        assert layout["font"]["size"] == 22
        assert (layout["yaxis"]["type"] == "log") == story.steps[step - 1].log
        qr = page.locator("[data-testid=stImage] img").first
        assert qr.bounding_box()["width"] >= 200, "a QR code big enough to scan from a seat"
        assert not page.locator(".st-key-presenter-notes").count(), "notes hidden until the teacher shows them"
        page.get_by_text(TOGGLE[lang]).click()
        page.locator(".st-key-presenter-notes p").first.wait_for(timeout=30_000)
        notes = page.locator(".st-key-presenter-notes p").first
        assert float(notes.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")) >= 22
        assert story.steps[step - 1].notes[lang][:40] in notes.inner_text()


def test_a_step_fits_a_1080p_projector_with_the_sidebar_collapsed(app_url):
    with browser_page(width=1920, height=1080) as page:
        page.goto(f"{app_url}/presenter?story={LONG}&step=10&lang=en")
        wait_until_drawn(page, 1)
        time.sleep(1)
        screenshot(page, f"presenter-{LONG}-step10-en-1920x1080")
        sidebar = page.locator("[data-testid=stSidebar]").bounding_box()
        assert sidebar is None or sidebar["x"] + sidebar["width"] <= 0, "the sidebar starts collapsed"
        for what in (
            ".js-plotly-plot",
            ".st-key-presenter-question",
            "[data-testid=stImage] img",
            ".st-key-presenter_next",
        ):
            box = page.locator(what).first.bounding_box()
            assert box and box["y"] + box["height"] <= 1080, f"{what} is on the first screen"
        labels = page.locator(".st-key-presenter_next button, .st-key-presenter_previous button").all_inner_texts()
        assert all(label.count("→") + label.count("←") == 1 for label in labels), labels


def test_the_arrow_keys_work_after_the_story_menu_was_used(app_url):
    with browser_page(width=1400, height=1000) as page:
        page.goto(f"{app_url}/presenter?story={LONG}&step=3&lang=en")
        wait_until_drawn(page, 1)
        page.locator("[data-testid=stSelectbox]").first.click()
        page.get_by_role("option", name=STORIES[SHORT].title["en"]).click()
        wait_for_step(page, 1, STORIES[SHORT].steps[0].title["en"])
        page.wait_for_function("() => document.activeElement.tagName !== 'INPUT'", timeout=15_000)
        page.keyboard.press("ArrowRight")
        wait_for_step(page, 2, STORIES[SHORT].steps[1].title["en"])
        page.keyboard.press("ArrowLeft")
        wait_for_step(page, 1, STORIES[SHORT].steps[0].title["en"])


def test_a_lesson_link_is_presented_and_survives_a_reload(app_url):
    texts = [("Two countries", "Venezuela and Colombia.", "What differs?"), ("Oil", "Brent as an index.", "")]
    views = [
        ChartView({"inflation_avg_imf_pct": ["VEN", "COL"]}, (2010, 2021), "hyperinflation_2017_2021", log=True),
        ChartView({"oil_price_brent_monthly_usd_per_barrel": ["WLD"]}, (2008, 2020), transform="index", base=2013),
    ]
    lesson = lessons.new_lesson("Prices", "Two charts.")
    for words, view in zip(texts, views, strict=True):
        lesson = lessons.add_step(lesson, step_from_view(words, view))
    with browser_page(width=1400, height=1000) as page:
        page.goto(f"{app_url}/presenter?story={lesson['id']}&lang=en&lesson={lessons.encode_link(lesson)}")
        wait_until_drawn(page, 1)
        assert heading(page) == "Two countries"
        assert page.locator("[data-testid=stImage] img").count() == 1, "a QR code for phones"
        page.keyboard.press("ArrowRight")
        wait_for_step(page, 2, "Oil")
        page.reload()
        wait_until_drawn(page, 1)
        assert heading(page) == "Oil", "the lesson and the step are in the address"
        assert exception_texts(page) == []


def test_the_arrow_keys_walk_the_whole_story_and_back(app_url):
    story = STORIES[SHORT]
    with browser_page(width=1400, height=1000) as page:
        page.goto(f"{app_url}/presenter?story={SHORT}&lang=en")
        wait_until_drawn(page, 1)
        assert heading(page) == story.steps[0].title["en"]
        for step in story.steps[1:]:
            page.keyboard.press("ArrowRight")
            wait_for_step(page, step.number, step.title["en"])
        page.keyboard.press("ArrowRight")  # past the end: stays on the last step
        time.sleep(1)
        assert f"step={len(story.steps)}" in page.url
        for step in reversed(story.steps[:-1]):
            page.keyboard.press("ArrowLeft")
            wait_for_step(page, step.number, step.title["en"])
        assert exception_texts(page) == []


def test_the_slide_pack_downloads_from_the_button_with_a_slide_per_step(app_url, tmp_path):
    story = STORIES[LONG]
    with browser_page(width=1400, height=1000) as page:
        page.goto(f"{app_url}/presenter?story={LONG}&step=3&lang=es")
        wait_until_drawn(page, 1)
        started = time.monotonic()
        page.locator(".st-key-presenter_make_pack button").first.click()
        page.get_by_text(re.compile(rf"Diapositiva \d+ de {len(story.steps)} dibujada")).wait_for(timeout=240_000)
        with page.expect_download(timeout=240_000) as download:
            page.locator(".st-key-presenter_export button").click(timeout=240_000)
        target = tmp_path / download.value.suggested_filename
        download.value.save_as(target)
        print(f"slide pack of {len(story.steps)} steps downloaded in {time.monotonic() - started:.1f} s")
    assert target.name == f"{LONG}_es_slides.zip"
    files = zipfile.ZipFile(target)
    pngs = [n for n in files.namelist() if n.endswith(".png")]
    assert len(pngs) == len(story.steps)
    assert len([n for n in files.namelist() if n.endswith(".csv")]) == len(story.steps)
    assert {f"{LONG}_es/handout.html", f"{LONG}_es/handout.md"} <= set(files.namelist())
    for name in pngs:
        assert Image.open(io.BytesIO(files.read(name))).size == (1600, 900)


def test_the_phone_view_of_the_qr_code_draws_on_a_small_screen(app_url):
    with browser_page(width=390, height=1800) as page:
        page.goto(f"{app_url}/presenter?story={SHORT}&step=4&lang=es&view=phone")
        wait_until_drawn(page, 1)
        time.sleep(1)
        screenshot(page, f"presenter-{SHORT}-step04-es-phone")
        assert exception_texts(page) == []
        assert heading(page) == STORIES[SHORT].steps[3].title["es"]
        assert page.query_selector("[data-testid=stDownloadButton]") is None
