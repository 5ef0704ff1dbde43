"""What a reader on a phone meets: words for fingers, markers a finger can pick, hovers inside the screen."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import loaders
from app.charts import event_marks, figures
from loaders.events import load_events
from tests.test_i18n import TEXTS

PHONE_PX = 330  # the plot width the Overview's figures are laid out for (a 390-px phone)

HOVER_WORDS = {"en": re.compile(r"\bhover", re.IGNORECASE), "es": re.compile(r"pase el cursor", re.IGNORECASE)}
TAP_WORDS = {"en": re.compile(r"\btap\b", re.IGNORECASE), "es": re.compile(r"\btoque\b", re.IGNORECASE)}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_text_tells_a_phone_reader_to_hover_without_saying_tap(lang):
    mouse_only = [
        where
        for where, entry in TEXTS
        if HOVER_WORDS[lang].search(entry[lang]) and not TAP_WORDS[lang].search(entry[lang])
    ]
    assert mouse_only == [], f"these say hover but not tap ({lang}): {mouse_only}"


def _oil_production_figure(lang: str):
    production = loaders.load("oil_production_ei_thousand_barrels_per_day")
    line = figures.Line(production[production["country"] == "VEN"], "Oil production")
    x_range = (pd.Timestamp("1988-01-01"), pd.Timestamp("2024-01-01"))
    events = load_events()
    return figures.timeseries_figure([line], events, figures.ChartText(), lang, x_range=x_range, plot_px=PHONE_PX)


def _markers(fig) -> list[tuple[float, float, str, str, str]]:
    """(x in px at phone width, y, label, hover, label position) of every event marker."""
    x0, x1 = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    span = (x1 - x0).days
    return [
        ((pd.Timestamp(x) - x0).days / span * PHONE_PX, y, text, hover, position)
        for trace in fig.data
        if trace.mode == "markers+text"
        for x, y, text, hover, position in zip(
            trace.x, trace.y, trace.text, trace.hovertext, trace.textposition, strict=True
        )
    ]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_tap_on_markers_closer_than_a_fingertip_shows_every_one_of_them(lang):
    markers = _markers(_oil_production_figure(lang))
    crowded = 0
    for x, _, _, hover, _ in markers:
        for other_x, _, _, other_hover, _ in markers:
            if hover is not other_hover and abs(other_x - x) < event_marks.TAP_PX:
                crowded += 1
                title = other_hover.split("<br>")[0].removeprefix("<b>").removesuffix("</b>")
                assert event_marks.CLOSE_BY_NOTE[lang] in hover and title in hover, (title, hover)
    assert crowded, "the 2019–2022 events sit closer than a fingertip on a phone"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_event_hover_is_narrow_enough_for_a_phone_screen(lang):
    for _, _, _, hover, _ in _markers(_oil_production_figure(lang)):
        lines = re.sub(r"</?[bi]>", "", hover).split("<br>")
        too_wide = [line for line in lines if len(line) > event_marks.HOVER_CHARS]
        assert too_wide == [], "a hover wider than a phone's screen is cut off at its edge"


def test_no_marker_without_a_label_sits_on_another_events_label():
    markers = _markers(_oil_production_figure("en"))
    for x, y, text, _, _ in markers:
        if text:
            continue
        for label_x, label_y, label, _, position in markers:
            width = len(label) * 0.6 * 12 + 18 if label else 0  # the 12-px labels of a 14-px chart
            left, right = (label_x - width, label_x) if position == "middle left" else (label_x, label_x + width)
            assert not (y == label_y and left < x < right), f"a marker at {x:.0f} px sits on '{label}'"
