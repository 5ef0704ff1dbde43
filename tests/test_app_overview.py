"""The Overview in AppTest: four annotated charts, headline figures with sources, both languages."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.browser import REPO


@pytest.fixture
def app():
    return AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)


def charts(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_overview_shows_four_annotated_charts_and_headlines(app):
    at = app.run()
    assert not at.exception
    specs = charts(at)
    assert len(specs) == 4
    for spec in specs:
        assert any(trace.get("mode") == "markers+text" for trace in spec["data"]), "every chart marks events"
        assert any("Source:" in a.get("text", "") for a in spec["layout"]["annotations"])
    assert [h.value for h in at.header][:4] == [
        "Oil price: Brent, monthly average",
        "Venezuela's oil production",
        "Venezuela's inflation (log scale)",
        "Venezuelans displaced abroad",
    ], "the charts read in the same order on a phone (one column) as on a desktop"
    inflation = specs[2]
    assert inflation["layout"]["yaxis"]["type"] == "log"
    assert [m.label for m in at.metric][:2] == ["Oil production 2023", "Peak inflation (annual average)"]
    assert at.metric[1].value == "65,374 %"
    assert at.metric[0].value == "853 kb/d"


def test_language_switch_changes_every_text_and_the_url(app):
    at = app.run()
    at.sidebar.radio(key="language_choice").set_value("es").run()
    assert not at.exception
    assert at.title[0].value == "La economía de Venezuela en cifras"
    assert at.query_params["lang"] == "es"
    spec = charts(at)[0]
    assert at.header[0].value.startswith("Precio del petróleo")
    assert spec["layout"]["yaxis"]["title"]["text"] == "US$ por barril"
    assert any(a.get("text", "").startswith("Fuente:") for a in spec["layout"]["annotations"])


def test_language_comes_from_the_url(app):
    app.query_params["lang"] = "es"
    at = app.run()
    assert at.sidebar.radio(key="language_choice").value == "es"
    assert at.metric[2].label.startswith("Desplazados en el exterior")


def test_headline_arrows_point_the_way_the_number_moved_and_the_latest_year_says_it_is_provisional():
    """Streamlit draws an up arrow beside any delta it is not told about, even beside a 75 % fall."""
    from streamlit.proto.Metric_pb2 import Metric

    for lang, delta, year, abroad_when, ngl in (
        ("en", "−75% since 1998 (3,447 kb/d)", "in 2018", "mid-2025 (provisional)",
         "natural gas liquids"),
        ("es", "−75 % desde 1998 (3.447 kb/d)", "en 2018", "mediados de 2025 (provisional)",
         "líquidos del gas natural"),
    ):  # fmt: skip
        app = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
        app.query_params["lang"] = lang
        at = app.run()
        production, inflation, abroad = at.metric[:3]
        assert (production.proto.delta, production.proto.direction) == (delta, Metric.MetricDirection.DOWN)
        assert (inflation.proto.delta, inflation.proto.direction) == (year, Metric.MetricDirection.NONE)
        assert (abroad.proto.delta, abroad.proto.direction) == (abroad_when, Metric.MetricDirection.NONE)
        assert sum(ngl in c.value for c in at.caption) == 1, "the production headline says what it counts"
