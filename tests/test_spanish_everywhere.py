"""What a Spanish reader meets besides the pages' own words: the chart toolbar, licences, upload errors."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

import loaders
from app.file_problems import in_language
from app.runtime.upload import problem_text, read_upload
from loaders.errors import ValidationError
from tests.browser import REPO
from tests.test_localfile_validation import BAD


def chart_configs(lang: str) -> list[dict]:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    return [json.loads(chart.proto.config) for chart in at.get("plotly_chart")]


def test_the_chart_toolbar_speaks_spanish_on_a_spanish_page_with_nothing_to_fetch():
    configs = chart_configs("es")
    assert configs
    for config in configs:
        assert config["locale"] == "es"
        words = config["locales"]["es"]["dictionary"]
        assert words["Zoom in"] == "Acercar" and words["Download plot as a PNG"] == "Descargar el gráfico como PNG"
        assert words["Double-click to zoom back out"].startswith("Doble clic")
        assert config["locales"]["es"]["format"]["shortMonths"][0] == "ene"


def test_the_chart_toolbar_stays_in_plotlys_english_on_an_english_page():
    assert all("locale" not in config for config in chart_configs("en"))


@pytest.mark.parametrize("page", ["app_pages/explore.py", "app_pages/sources.py", "app_pages/events.py"])
def test_no_multiselect_offers_streamlits_english_select_all_or_select_n_matches(page):
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = "es"
    at.switch_page(page).run()
    assert not at.exception
    offering = [box.label for box in at.multiselect if box.proto.select_all != 0]
    assert offering == [], f"{offering} would offer 'Select all' / 'Select N matches' in English"


def test_streamlits_own_skip_link_and_full_screen_button_speak_the_pages_language():
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = "es"
    at.run()
    [script] = [html.proto.body for html in at.get("html") if "documentElement.lang" in html.proto.body]
    assert '"es"' in script and '"Skip to main content": "Saltar al contenido principal"' in script
    assert '"Fullscreen": "Pantalla completa"' in script


def test_every_licence_reads_in_spanish_on_a_spanish_page():
    english = re.compile(r"Public domain|terms of use|\bcite\b|free reuse|\bdata\b")
    in_english = [f"{sid}: {text}" for sid, text in loaders.catalog()["licence_es"].items() if english.search(text)]
    assert in_english == [], "licences shown in English on Spanish pages"


ENGLISH = re.compile(r"\b(expected|is|not|the|has|uses|file|column|line|row|cells?|header|with|and|or|for|of)\b")


@pytest.mark.parametrize("bad", [bad for bad in BAD if bad.upload], ids=lambda bad: bad.name)
def test_every_upload_refusal_reads_in_spanish_on_a_spanish_page(bad):
    with pytest.raises(ValidationError) as refused:
        read_upload(bad.data, bad.name)
    for line in problem_text(refused.value):
        spanish = in_language(line, "es")
        words = re.sub(r"'[^']*'", "", spanish)  # the file's own text, quoted, stays as it is
        assert not ENGLISH.search(words), f"English left in: {spanish}"
        assert "catalog" not in spanish and "catalog" not in line, "an uploader has no catalog entry"
