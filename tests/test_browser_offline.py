"""In a real browser that may reach nothing but the dashboard: the Migration page's map still draws (its
outlines travel in the figure; Plotly's own map files would come from the internet)."""

from __future__ import annotations

import pytest

from tests.browser import browser_page, chromium_path, exception_texts, running_app, screenshot, wait_until_drawn

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="Debian's chromium is not installed (.ci/run installs it)"),
]

LOCAL = ("http://127.0.0.1", "ws://127.0.0.1")


@pytest.fixture(scope="module")
def app_url():
    with running_app() as url:
        yield url


def only_local(page) -> list[str]:
    """Abort every request not to the dashboard; return the list the aborted ones are added to."""
    outside: list[str] = []

    def route(request_route) -> None:
        url = request_route.request.url
        if url.startswith(LOCAL):
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    page.route("**/*", route)
    return outside


def test_the_migration_map_draws_with_every_outside_request_blocked(app_url):
    with browser_page(height=1000) as page:
        outside = only_local(page)
        failed: list[str] = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.goto(f"{app_url}/migration")
        wait_until_drawn(page, charts=4)
        page.wait_for_function("() => document.querySelectorAll('.choroplethlocation').length > 100", timeout=30_000)
        drawn = page.locator(".choroplethlocation").count()
        page.locator(".js-plotly-plot").nth(2).scroll_into_view_if_needed()
        screenshot(page, "migration_map_offline")
        assert not exception_texts(page)
        assert drawn > 150, f"{drawn} country outlines drawn"
        assert outside == [], f"the page asked outside the dashboard: {outside}"
        assert [url for url in failed if not url.startswith(LOCAL)] == []
