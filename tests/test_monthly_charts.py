"""The Inflation page's monthly charts: the chained bolívar with the redenominations marked, and the oil
shutdown in US imports from Venezuela; both also on Explore."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import loaders
from app.charts import figures
from app.charts.monthly import CHAINED, IMPORTS, MONTHLY_CHARTS, monthly_figure
from loaders.events import load_events
from loaders.metadata import read_catalog
from tests.browser import REPO


def build(series_id: str, lang: str):
    chart = next(c for c in MONTHLY_CHARTS if c.series_id == series_id)
    events = load_events(REPO / "data" / "events.yaml")
    events = events[events["series"].apply(lambda ids: series_id in (ids or []))]
    text = figures.ChartText(y_title="unit", source="Source: test")
    return monthly_figure(chart, loaders.load(series_id), read_catalog().series[series_id], events, text, lang)


def line_points(fig) -> pd.Series:
    trace = fig.data[0]
    keep = ~np.isnan(np.asarray(trace.y, dtype=float))
    return pd.Series(np.asarray(trace.y, dtype=float)[keep], index=np.asarray(trace.customdata, dtype=object)[keep, 0])


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_shutdown_shows_month_by_month(lang):
    values = line_points(build(IMPORTS, lang))
    months = ["November 2002", "January 2003", "April 2003"]
    if lang == "es":
        months = ["noviembre de 2002", "enero de 2003", "abril de 2003"]
    picked = [next(v for k, v in values.items() if k.lower().startswith(m.lower())) for m in months]
    assert picked == [1607.0, 403.0, 1614.0]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_chained_rate_is_log_scale_with_the_three_redenominations(lang):
    fig = build(CHAINED, lang)
    assert fig.layout.yaxis.type == "log"
    labels = " ".join(str(t.text) for t in fig.data if t.mode == "markers+text")
    for factor in ("1,000", "100,000", "1,000,000") if lang == "en" else ("1.000", "100.000", "1.000.000"):
        assert f"÷{factor})" in labels
    hovers = [row[1] for row in fig.data[0].customdata if row is not None and row[1] is not None]
    published = "as published then: 0.17 bolívares fuertes" if lang == "en" else "tal como se publicó: 0,17 bolívares"
    assert any(published in h for h in hovers), hovers[:2]
    assert all("e-" not in h for h in hovers), "tiny values are written out, never in exponent form"
    october_2021 = "4.191" if lang == "en" else "4,191"
    assert any(h.startswith(october_2021) for h in hovers)


def test_inflation_page_shows_both_monthly_charts():
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = "es"
    at.switch_page("app_pages/inflation.py").run()
    assert not at.exception, [e.value for e in at.exception]
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert len(specs) == 3
    assert specs[1]["layout"]["yaxis"]["type"] == "log"
    assert "Mes a mes" in [h.value for h in at.header]


def test_explore_lists_the_new_series():
    from app.views.explore_series import sorted_series

    catalog = loaders.catalog()
    listed = sorted_series(catalog, "en")
    for sid in (CHAINED, IMPORTS, "exchange_rate_bcv_ves_per_usd", "exchange_rate_official_fred_lcu_per_usd"):
        assert sid in listed
