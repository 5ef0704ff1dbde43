"""What keeps the charts readable for weak eyes and colour blindness, checked without a browser: every event
label colour reads at WCAG AA's 4.5:1 on the chart's background, and the categories stay apart from each other.
(tests/test_browser_accessibility.py runs axe-core over every page in a real browser.)"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from app.charts import event_marks, figures

BACKGROUND = figures.base_layout_parts(figures.ChartText(), 400, 14, 900)[0]["plot_bgcolor"]


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of a #rrggbb or #rgb colour (or "white").

    >>> round(relative_luminance("#fff"), 3), round(relative_luminance("#000000"), 3)
    (1.0, 0.0)
    """
    hex_digits = {"white": "ffffff"}.get(colour, colour.lstrip("#"))
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """WCAG 2's contrast ratio: 21 for black on white, 1 for a colour on itself.

    >>> round(contrast("#767676", "#ffffff"), 2)
    4.54
    """
    light, dark = sorted([relative_luminance(foreground), relative_luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def cie_lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour, for telling two colours apart (distance ΔE*76)."""
    hex_digits = colour.lstrip("#")
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


@pytest.mark.parametrize("category, colour", sorted(event_marks.CATEGORY_COLOURS.items()))
def test_every_event_label_colour_reads_at_4_5_to_1_on_the_chart(category, colour):
    assert contrast(colour, BACKGROUND) >= 4.5, f"{category} {colour}: {contrast(colour, BACKGROUND):.2f}:1"


def test_a_dimmed_label_of_a_presenter_step_still_reads_at_4_5_to_1():
    assert contrast(event_marks.DIMMED_LABEL, BACKGROUND) >= 4.5


def test_event_categories_stay_distinguishable_from_each_other():
    """ΔE*76 of at least 10 between any two categories (2.3 is a just-noticeable difference)."""
    for (a, colour_a), (b, colour_b) in itertools.combinations(event_marks.CATEGORY_COLOURS.items(), 2):
        distance = sum((p - q) ** 2 for p, q in zip(cie_lab(colour_a), cie_lab(colour_b), strict=True)) ** 0.5
        assert distance >= 10, f"{a} {colour_a} and {b} {colour_b} are too alike (ΔE {distance:.1f})"


def test_the_labels_drawn_use_those_colours():
    """The check above is of what is drawn: a label's colour is its category's, or the dimmed grey."""
    events = pd.DataFrame(
        {
            "id": ["a", "b"],
            "start": pd.to_datetime(["2002-04-11", "2015-01-01"]),
            "end": pd.to_datetime([None, None]),
            "category": ["migration", "sanctions"],
            "title_en": ["A", "B"],
            "quote": ["q", "q"],
            "document": ["d", "d"],
        }
    )
    x_range = (pd.Timestamp("2000-01-01"), pd.Timestamp("2020-01-01"))
    traces, _ = event_marks.event_parts(events, "en", x_range, None, {"a"}, 12, 900)
    colours = {c for t in traces if t.get("mode") == "markers+text" for c in t["textfont"]["color"]}
    assert colours == {event_marks.CATEGORY_COLOURS["migration"], event_marks.DIMMED_LABEL}
