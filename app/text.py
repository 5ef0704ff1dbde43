"""Data text shown through Markdown stays text: no links, HTML, emphasis or maths from data."""

from __future__ import annotations

import math
import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^&])")


def escape_markdown(text: object) -> str:
    """Backslash-escape every character Markdown (and Streamlit's ``$`` maths) could act on.

    >>> print(escape_markdown("[x](javascript:alert(1)) <script> US$10"))
    \\[x\\]\\(javascript\\:alert\\(1\\)\\) \\<script\\> US\\$10
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))
