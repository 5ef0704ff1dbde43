"""In a real browser that may reach nothing but the dashboard: the Migration page's map still draws (its
outlines travel in the figure; Plotly's own map files would come from the internet), and an embedded Explore
chart fits a 600×400 frame with nothing but its title, chart and link back."""

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


def test_an_embedded_explore_chart_fits_a_small_frame_alone(app_url):
    asked = "series=oil_production_ei_thousand_barrels_per_day&countries=VEN,COL&lang=es"
    with browser_page(width=600, height=400) as page:
        outside = only_local(page)
        page.goto(f"{app_url}/explore?{asked}&embed=true")
        wait_until_drawn(page, charts=1)
        screenshot(page, "explore_embedded_600x400_es")
        assert not exception_texts(page)
        assert not page.locator("[data-testid=stSidebar]").count(), "no sidebar"
        assert not page.locator("[data-testid=stMultiSelect]").first.is_visible(), "the controls are out of sight"
        view = page.locator(".st-key-embedded-view")
        assert view.locator("strong").inner_text() == "Producción de petróleo (Energy Institute)"
        back = view.get_by_role("link", name="Abrir la vista completa")
        assert back.count() == 1 and "embed" not in back.get_attribute("href")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 600, "no sideways scrolling"
        assert outside == []
