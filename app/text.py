"""Data text stays text: through Markdown no links, HTML, emphasis or maths; in a Plotly figure no
links, markup or hover codes; in an exported Markdown or HTML file no markup; and nowhere bidi controls
that reorder what a reader sees. Every escaper of the dashboard lives here."""

from __future__ import annotations

import html
import math
import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^&])")
# Streamlit's Markdown turns bare addresses (http://…, www.…, name@host) into links even when every
# character is escaped; an invisible word joiner (U+2060) inside the trigger stops that.
_AUTOLINK_TRIGGERS = re.compile(r"(?i)(https?|www|ftp)(?=\\?[:.])|(?=@)")
WORD_JOINER = "\u2060"
# Bidi embeddings, overrides and isolates: "report\u202egpj.exe" would read "reportexe.jpg".
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def escape_markdown(text: object) -> str:
    """Backslash-escape every character Markdown (and Streamlit's ``$`` maths) could act on; break autolinks.

    >>> print(escape_markdown("[x](javascript:alert(1)) <script> US$10"))
    \\[x\\]\\(javascript\\:alert\\(1\\)\\) \\<script\\> US\\$10
    >>> "http\u2060" in escape_markdown("see http://evil.example") and "a\u2060@" in escape_markdown("a@b.c")
    True
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", strip_bidi(str(text)))
    return _AUTOLINK_TRIGGERS.sub(lambda m: (m.group(1) or "") + WORD_JOINER, escaped)


def strip_bidi(text: str) -> str:
    """Text without bidi control characters, so it reads in the order it is stored.

    >>> strip_bidi("photo\u202egpj.exe")
    'photogpj.exe'
    """
    return _BIDI_CONTROLS.sub("", text)


def inert(value: object, limit: int = 80) -> str:
    """A value from the address bar shown back in a Markdown message: one line, at most ``limit``
    characters, every Markdown character escaped (no image, link, maths or colour from a URL).

    >>> print(inert("![t](http://127.0.0.1:9/t.png)"))
    \\!\\[t\\]\\(http⁠\\://127\\.0\\.0\\.1\\:9/t\\.png\\)
    >>> len(inert("9" * 5000))
    80
    """
    text = " ".join(str(value).split())
    return escape_markdown(text if len(text) <= limit else text[: limit - 1] + "…")


# Plotly draws a subset of HTML in every label (<a href>, <b>, <br>, <span style>, ...) and reads
# %{...} in hover and text templates as a value to insert; entities show the characters instead.
_PLOTLY_SPECIALS = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape_plotly(text: object) -> str:
    """Data text for a figure (title, legend, axis, annotation, hover): shown as it reads, never as markup.

    >>> escape_plotly('<a href="http://x.example">Brent</a> [y=%{y}]')
    '&lt;a href="http://x.example"&gt;Brent&lt;/a&gt; [y=%&#123;y}]'
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    escaped = "".join(_PLOTLY_SPECIALS.get(c, c) for c in strip_bidi(str(text)))
    return escaped.replace("%{", "%&#123;")


# In a Markdown file only links, images, HTML, code and emphasis can make text act: escape just those,
# so the file stays readable in a plain text editor (an underscore inside a word emphasises nothing).
_MD_FILE_SPECIAL = re.compile(r"([\\`*\[\]<>|~&])|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")


def escape_markdown_file(text: object) -> str:
    r"""Data text made inert for a Markdown file, with as few backslashes as that takes.

    >>> print(escape_markdown_file("[x](javascript:alert(1)) <b>*hi*</b> 002_3ba.txt _em_"))
    \[x\](javascript:alert(1)) \<b\>\*hi\*\</b\> 002_3ba.txt \_em\_
    """
    escaped = _MD_FILE_SPECIAL.sub(lambda m: "\\" + m.group(0), " ".join(str(text).split()))
    return "\\" + escaped if escaped[:1] in ("#", ">", "-", "+", "=") else escaped


def escape_html(text: object) -> str:
    """Data text for an HTML file (the slide pack's handout): shown as it reads, never as markup.

    >>> escape_html('<b title="x">A & B</b>')
    '&lt;b title=&quot;x&quot;&gt;A &amp; B&lt;/b&gt;'
    """
    return html.escape(str(text))


def wrap_text(text: str, width: int) -> list[str]:
    """Split text into lines of at most ``width`` characters at spaces."""
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + len(word) + 1 > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return lines + ([current] if current else [])
