"""Every page in a real browser, in both languages: charts draw, no exception box, a screenshot kept."""

from __future__ import annotations

import pytest

from tests.browser import (
    PAGE_CHARTS,
    browser_page,
    chromium_path,
    exception_texts,
    running_app,
    screenshot,
    wait_until_drawn,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="Debian's chromium is not installed (.ci/run installs it)"),
]

# (url path, charts the page draws at least, an element it must show): a page with no chart shows its table
PAGES = [(path, charts, "stHeading" if charts else "stDataFrame") for path, charts in PAGE_CHARTS]


@pytest.fixture(scope="module")
def app_url():
    with running_app() as url:
        yield url


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("path, charts, element", PAGES)
def test_page_draws_without_exception(app_url, path, charts, element, lang):
    with browser_page() as page:
        page.goto(f"{app_url}/{path}?lang={lang}")
        wait_until_drawn(page, charts)
        page.wait_for_selector(f"[data-testid='{element}']", timeout=45_000)
        page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=45_000)
        screenshot(page, f"{path or 'overview'}-{lang}")
        assert exception_texts(page) == []
        assert "Page not found" not in page.inner_text("body")
        if charts:
            assert len(page.query_selector_all(".js-plotly-plot")) >= charts
        # Readers see no developer chrome: no deploy button, no developer menu.
        assert page.query_selector("[data-testid='stAppDeployButton']") is None


@pytest.mark.parametrize("lang", ["en", "es"])
def test_on_a_phone_a_finger_can_hold_the_sliders_and_no_toolbar_covers_the_legend(app_url, lang):
    with browser_page(390, 844, phone=True) as page:
        page.goto(f"{app_url}/explore?lang={lang}")
        wait_until_drawn(page, 1)
        assert exception_texts(page) == []
        thumbs = page.locator("[data-testid='stSlider'] div[data-rac][style*='translate(-50%, -50%)']")
        assert thumbs.count() == 2
        for n in range(2):
            box = thumbs.nth(n).bounding_box()
            assert box is not None and box["width"] >= 28 and box["height"] >= 28, box
        assert page.locator(".js-plotly-plot .modebar-container .modebar-btn").count() == 0
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"the page is {overflow} px wider than the phone's screen"
