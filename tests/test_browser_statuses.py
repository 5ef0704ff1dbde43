"""In a real browser: IMF estimates drawn apart from projections, annual values at the middle of their year, hovers
that write numbers and dates in the page's language (never 6.537e+4), and Spanish axes without English months."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import browser_page, chromium_path, exception_texts, running_app, screenshot, wait_until_drawn

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium_path() is None, reason="Debian's chromium is not installed (.ci/run installs it)"),
]

# Where the point whose hover header is ``label`` is drawn, in page pixels, and how its trace is drawn.
POINT_JS = """
(args) => {
  const gd = document.querySelectorAll('.js-plotly-plot')[args.chart];
  for (const t of gd._fullData) {
    const j = (t.customdata || []).findIndex(row => row && row[0] === args.label);
    if (j < 0 || !t.customdata[j][1]) continue;
    const xa = gd._fullLayout[(t.xaxis || 'x').replace('x', 'xaxis')];
    const ya = gd._fullLayout[(t.yaxis || 'y').replace('y', 'yaxis')];
    const r = gd.getBoundingClientRect();
    return {x: r.left + xa._offset + xa.l2p(xa.d2l(t.x[j])), y: r.top + ya._offset + ya.l2p(ya.d2l(t.y[j])),
            dash: t.line.dash, symbol: t.marker && t.marker.symbol};
  }
  return null;
}
"""
DATE_PX_JS = """
(date) => {
  const gd = document.querySelector('.js-plotly-plot'), xa = gd._fullLayout.xaxis;
  return gd.getBoundingClientRect().left + xa._offset + xa.l2p(xa.d2l(date));
}
"""
CENTRE_JS = "(chart) => document.querySelectorAll('.js-plotly-plot')[chart].scrollIntoView({block: 'center'})"
HOVER_JS = "() => [...document.querySelectorAll('.hoverlayer .hovertext')].map(e => e.textContent).join(' | ')"
TICKS_JS = "() => [...document.querySelectorAll('.js-plotly-plot .xtick text')].map(e => e.textContent)"
ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@pytest.fixture(scope="module")
def app_url():
    with running_app() as url:
        yield url


def hover(page, label: str, chart: int = 0) -> tuple[dict, str]:
    # The page may still move while sections below the chart render, so the point is found again before each try.
    for _ in range(5):
        page.evaluate(CENTRE_JS, chart)
        point = page.evaluate(POINT_JS, {"chart": chart, "label": label})
        assert point, f"no point hovers {label!r}"
        page.mouse.move(0, 0)
        page.mouse.move(point["x"], point["y"], steps=3)
        try:
            page.wait_for_function("() => document.querySelector('.hoverlayer .hovertext')", timeout=4_000)
        except PlaywrightTimeout:
            continue
        return point, page.evaluate(HOVER_JS)
    under = page.evaluate("(p) => document.elementFromPoint(p.x, p.y)?.outerHTML.slice(0, 200)", point)
    shot = screenshot(page, "statuses_hover_failed")
    raise AssertionError(f"the point {label!r} at {point} shows no hover text after 5 tries; under it: {under}; {shot}")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_imf_estimate_and_projection_are_drawn_and_hovered_apart(app_url, lang):
    with browser_page(width=1300, height=1100) as page:
        page.goto(f"{app_url}/explore?series=gdp_growth_imf_pct&countries=VEN&start=2010&end=2025&lang={lang}")
        wait_until_drawn(page)
        page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
        year = {"en": "{} (whole year)", "es": "{} (año completo)"}[lang]
        estimate, text = hover(page, year.format(2019))
        assert estimate["dash"] == "dot" and estimate["symbol"] == "circle-open"
        assert {"en": "-27.66 % change (estimate)", "es": "-27,66 % de variación (estimación)"}[lang] in text
        screenshot(page, f"statuses_imf_2019_estimate_{lang}")
        projection, text = hover(page, year.format(2025))
        assert projection["dash"] == "dash"
        assert {"en": "(projection)", "es": "(proyección)"}[lang] in text
        assert not exception_texts(page)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_annual_production_straddles_the_january_2019_sanctions_line(app_url, lang):
    with browser_page(width=1300, height=1100) as page:
        page.goto(
            f"{app_url}/explore?series=oil_production_ei_thousand_barrels_per_day&countries=VEN"
            f"&start=2015&end=2021&lang={lang}"
        )
        wait_until_drawn(page)
        page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
        average = {"en": "{} (annual average)", "es": "{} (promedio anual)"}[lang]
        point_2019, _ = hover(page, average.format(2019))
        point_2018, text = hover(page, average.format(2018))
        sanctions = page.evaluate(DATE_PX_JS, "2019-01-28")
        assert point_2018["x"] < sanctions < point_2019["x"], "the 2018->2019 fall must cross the sanctions line"
        assert {"en": "1,642 thousand barrels per day", "es": "1.642 miles de barriles diarios"}[lang] in text
        ticks = page.evaluate(TICKS_JS)
        assert ticks and not any(month in tick for tick in ticks for month in ENGLISH_MONTHS if lang == "es")
        screenshot(page, f"statuses_production_vs_sanctions_{lang}")


@pytest.mark.parametrize(("lang", "shown"), [("en", "65,374 % (actual)"), ("es", "65.374 % (dato observado)")])
def test_a_hover_over_ten_thousand_is_written_in_the_pages_language(app_url, lang, shown):
    with browser_page(width=1300, height=1100) as page:
        page.goto(f"{app_url}/inflation?lang={lang}")
        wait_until_drawn(page)
        page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
        _, text = hover(page, {"en": "2018 (annual average)", "es": "2018 (promedio anual)"}[lang])
        assert shown in text and "e+" not in text
        screenshot(page, f"statuses_inflation_hover_{lang}")
