"""axe-core (bundled by axe-playwright-python, so no network) over every page in both languages, in one real
browser: no critical and no serious violation. Keyboard focus is visible, and each chart is described in words
for screen readers."""

from __future__ import annotations

import pytest

from tests.browser import PAGE_CHARTS, browser_page, chromium_path, running_app, wait_until_drawn

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="Debian's chromium is not installed (.ci/run installs it)"),
]

BLOCKING = {"critical", "serious"}
SCREEN_READER_ONLY = "[class*='st-key-screen-reader-only-']"


@pytest.fixture(scope="module")
def app_url():
    with running_app() as url:
        yield url


@pytest.fixture(scope="module")
def page():
    with browser_page() as page:
        yield page


def open_page(page, url: str, charts: int) -> None:
    page.goto(url)
    wait_until_drawn(page, charts)
    if not charts:
        page.wait_for_selector("[data-testid='stDataFrame']", timeout=45_000)
    # Elements of a run still being replaced are drawn faded (and would fail the contrast check): wait them out.
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=45_000)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("path, charts", PAGE_CHARTS)
def test_no_critical_or_serious_accessibility_violation(app_url, page, path, charts, lang):
    from axe_playwright_python.sync_playwright import Axe

    open_page(page, f"{app_url}/{path}?lang={lang}", charts)
    violations = Axe().run(page).response["violations"]
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[node['html'][:120] for node in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in BLOCKING
    ]
    assert blocking == [], "\n".join(blocking)
    if lang == "es":
        # What a screen reader says of Streamlit's own buttons is in Spanish too (the words it writes in English).
        spoken = page.evaluate(
            """() => [...document.querySelectorAll('[aria-label], .modebar-btn[data-title]')]
                     .map(e => e.getAttribute('aria-label') || e.getAttribute('data-title'))"""
        )
        english = {"Open", "Clear all", "Search", "Download as CSV", "Show/hide columns", "Fullscreen", "Sidebar"}
        english |= {"Collapse sidebar", "Expand sidebar", "Link to heading", "Reset", "Autoscale", "Reset axes"}
        assert [said for said in spoken if said in english or said.startswith(("Remove ", "Fullscreen:"))] == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_each_chart_is_described_for_screen_readers_and_under_it(app_url, page, lang):
    open_page(page, f"{app_url}/?lang={lang}", 4)
    hidden = page.locator(SCREEN_READER_ONLY).all_inner_texts()
    assert len(hidden) == 4 and all(text.strip() for text in hidden)
    box = page.locator(SCREEN_READER_ONLY).first.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1, "read by screen readers, not shown"
    label = {"en": "Describe this chart", "es": "Describir este gráfico"}[lang]
    summaries = page.locator("[data-testid='stExpander'] summary", has_text=label)
    assert summaries.count() == 4
    summaries.first.click()
    shown = page.locator("[data-testid='stExpanderDetails'] [data-testid='stMarkdownContainer']").first
    shown.wait_for(timeout=10_000)
    assert shown.inner_text().replace("\n", " ").split(":")[0] in hidden[0]


def test_keyboard_focus_is_visible(app_url, page):
    open_page(page, f"{app_url}/explore?lang=en", 1)
    for _ in range(3):
        page.keyboard.press("Tab")
    ring = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; }"""
    )
    assert ring[0] != "BODY" and ring[1] != "none" and ring[2] >= 2, ring
