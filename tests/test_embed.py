"""Embedding a chart: ``?embed=true`` on Explore and on a presenter step shows the chart alone (no sidebar,
no controls) with its title, source line and a link back to the same view; the "Embed" control gives the
``<iframe>`` code of the view on screen; PNG and SVG downloads carry the title and the source line."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from app import embed, image_export
from app.charts import figures
from tests.browser import REPO

EXPLORE = {
    "series": "oil_production_ei_thousand_barrels_per_day",
    "countries": "VEN,COL",
    "transform": "index",
    "base": "2000",
    "start": "1995",
    "end": "2020",
}
needs_browser = pytest.mark.skipif(image_export.browser_path() is None, reason="no Chromium/Chrome for the export")


def page(path: str, embedded: bool, lang: str = "en", **params: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    at.context = {"is_embedded": embedded, "url": f"http://127.0.0.1:8501/{path.split('/')[-1][:-3]}"}
    for key, value in {"lang": lang, **params}.items():
        at.query_params[key] = value
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def query(url: str) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}


def chart_spec(at: AppTest) -> dict:
    (chart,) = at.get("plotly_chart")
    return json.loads(chart.proto.spec)


def source_text(spec: dict) -> str:
    return " ".join(a["text"] for a in spec["layout"].get("annotations", []) if "yshift" in a).replace("<br>", " ")


def test_view_urls_keep_the_state_and_add_or_drop_embed():
    base = "http://host:8501/explore"
    embedded = embed.view_url(base, {"series": "a,b", "lang": "es", "embed": "true"}, embed=True)
    assert query(embedded) == {"series": "a,b", "lang": "es", "embed": "true"}
    assert "embed" not in query(embed.view_url(base, query(embedded), embed=False))
    assert embed.page_base("http://10.0.0.5:8501/", None, "presenter") == "http://10.0.0.5:8501/presenter"


def test_iframe_code_escapes_what_a_title_or_address_could_smuggle_in():
    code = embed.iframe_code('http://h/x?a=1&b="><script>', 'A "title" <b>', height=700)
    assert "<script>" not in code and "<b>" not in code and 'height="700"' in code
    assert code.startswith('<iframe src="http://h/x?a=1&amp;b=&quot;&gt;&lt;script&gt;"')


@pytest.mark.parametrize("lang", ["en", "es"])
def test_embedded_explore_shows_the_chart_its_title_source_and_a_link_back_only(lang):
    at = page("app_pages/explore.py", embedded=True, lang=lang, **EXPLORE)
    assert not at.sidebar.children or not any(
        at.sidebar.get(kind) for kind in ("radio", "caption", "selectbox", "multiselect")
    ), "no sidebar"
    spec = chart_spec(at)
    source = source_text(spec)  # publisher, code, retrieval, licence
    assert "Oil Production - barrels" in source and ("data to 2023" if lang == "en" else "datos hasta 2023") in source
    titles = [m.value for m in at.markdown if m.value.startswith("**")]
    assert titles == [f"**{'Oil production' if lang == 'en' else 'Producción de petróleo'} \\(Energy Institute\\)**"]
    (back,) = at.get("link_button")
    assert back.proto.label == ("Open the full view" if lang == "en" else "Abrir la vista completa")
    asked = query(back.proto.url)
    assert "embed" not in asked and asked["lang"] == lang
    assert {key: asked[key] for key in EXPLORE} == EXPLORE, "the link opens the same view"
    assert back.proto.url.startswith("http://127.0.0.1:8501/explore?")
    assert not at.get("arrow_data_frame") and not at.get("download_button"), "nothing but the chart"


def test_explore_gives_the_iframe_code_of_the_view_on_screen_and_image_downloads():
    at = page("app_pages/explore.py", embedded=False, **EXPLORE)
    codes = [c.value for c in at.code if c.value.startswith("<iframe")]
    assert len(codes) == 1
    src = codes[0].split('src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    asked = query(src)
    assert asked["embed"] == "true" and {key: asked[key] for key in EXPLORE} == EXPLORE
    labels = [button.proto.label for button in at.get("download_button")]
    assert {"Download PNG", "Download SVG"} <= set(labels)


def small_chart() -> go.Figure:
    fig = go.Figure(go.Scatter(x=[2019, 2020, 2021], y=[3.0, 1.0, 2.0], name="Venezuela"))
    return figures.base_layout(fig, figures.ChartText(source="Source: UNHCR – CC BY 4.0"), 400)


def test_a_downloaded_image_gets_the_title_above_and_keeps_the_source_line():
    titled = image_export.titled(small_chart(), "Brent & <WTI>")
    assert titled.layout.title.text == "Brent &amp; &lt;WTI&gt;"
    assert titled.layout.height == 400 + image_export.TITLE_PX
    assert any("UNHCR" in a.text for a in titled.layout.annotations)


@pytest.mark.slow
@needs_browser
def test_svg_and_png_carry_the_title_and_source_line():
    svg = image_export.chart_image(small_chart(), "Venezuelans abroad, 2019–2021", "svg").decode()
    assert svg.startswith("<svg") and "Venezuelans abroad, 2019–2021" in svg and "Source: UNHCR" in svg
    png = image_export.chart_image(small_chart(), "Venezuelans abroad, 2019–2021", "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (1400, 400 + image_export.TITLE_PX)


def test_an_embedded_presenter_step_shows_its_chart_title_and_a_link_back():
    at = page("app_pages/presenter.py", embedded=True, lang="es", story="hyperinflation_2014_2021", step="2")
    assert not at.sidebar.get("radio") and not at.button, "no navigation, no buttons"
    spec = chart_spec(at)
    assert "TX.VAL.MRCH.CD.WT" in source_text(spec)
    assert [m.value for m in at.markdown if m.value.startswith("**")] == ["**Menos dólares por exportaciones**"]
    (back,) = at.get("link_button")
    asked = query(back.proto.url)
    assert back.proto.url.startswith("http://127.0.0.1:8501/presenter?")
    assert {key: asked[key] for key in ("story", "step", "lang")} == {
        "story": "hyperinflation_2014_2021",
        "step": "2",
        "lang": "es",
    }
    assert "embed" not in asked


def test_the_presenter_screen_gives_the_steps_iframe_code():
    at = page("app_pages/presenter.py", embedded=False, story="hyperinflation_2014_2021", step="2")
    (code,) = [c.value for c in at.code if c.value.startswith("<iframe")]
    asked = query(code.split('src="', 1)[1].split('"', 1)[0].replace("&amp;", "&"))
    assert asked["step"] == "2" and asked["embed"] == "true"
