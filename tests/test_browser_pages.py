"""Every page in a real browser, in both languages: charts draw, no exception box, a screenshot kept."""

from __future__ import annotations

import pytest

from tests.browser import browser_page, chromium_path, exception_texts, running_app, screenshot, wait_until_drawn

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="Debian's chromium is not installed (.ci/run installs it)"),
]

# (url path, charts the page draws at least); the default page (Overview) lives at the root
PAGES = [
    ("", 4),
    ("explore", 1),
    ("inflation", 1),
    ("migration", 2),
    ("events", 1),
    ("claims", 1),
    ("sources", 0),
    ("presenter", 1),
]


@pytest.fixture(scope="module")
def app_url():
    with running_app() as url:
        yield url


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("path, charts", PAGES)
def test_page_draws_without_exception(app_url, path, charts, lang):
    with browser_page() as page:
        page.goto(f"{app_url}/{path}?lang={lang}")
        wait_until_drawn(page, charts)
        screenshot(page, f"{path or 'overview'}-{lang}")
        assert exception_texts(page) == []
        assert "Page not found" not in page.inner_text("body")
        if charts:
            assert len(page.query_selector_all(".js-plotly-plot")) >= charts
        # Readers see no developer chrome: no deploy button, no developer menu.
        assert page.query_selector("[data-testid='stAppDeployButton']") is None
