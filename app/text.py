"""Data text shown through Markdown stays text: no links, HTML, emphasis or maths from data."""

from __future__ import annotations

import math
import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^&])")
# Streamlit's Markdown turns bare addresses (http://…, www.…, name@host) into links even when every
# character is escaped; an invisible word joiner (U+2060) inside the trigger stops that.
_AUTOLINK_TRIGGERS = re.compile(r"(?i)(https?|www|ftp)(?=\\?[:.])|(?=@)")
WORD_JOINER = "\u2060"


def escape_markdown(text: object) -> str:
    """Backslash-escape every character Markdown (and Streamlit's ``$`` maths) could act on; break autolinks.

    >>> print(escape_markdown("[x](javascript:alert(1)) <script> US$10"))
    \\[x\\]\\(javascript\\:alert\\(1\\)\\) \\<script\\> US\\$10
    >>> "http\u2060" in escape_markdown("see http://evil.example") and "a\u2060@" in escape_markdown("a@b.c")
    True
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))
    return _AUTOLINK_TRIGGERS.sub(lambda m: (m.group(1) or "") + WORD_JOINER, escaped)
