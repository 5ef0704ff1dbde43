"""What a reader on a phone meets: words for fingers, markers a finger can pick, hovers inside the screen."""

from __future__ import annotations

import re

import pytest

from tests.test_i18n import TEXTS

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
