"""Links built from data: only plain http(s) addresses become links, and the Explore page's address.

>>> safe_link("IMF", "https://www.imf.org/en/About"), safe_link("x", "javascript:alert(1)")
('[IMF](https://www.imf.org/en/About)', 'x')
"""

from __future__ import annotations

import re
from urllib.parse import quote as url_quote

from app.text import escape_markdown

EXPLORE_PAGE = "app_pages/explore.py"
_SAFE_URL = re.compile(r"^https?://[^\s()<>\[\]\"']+$")


def safe_link(text: object, url: object) -> str:
    """A Markdown link when ``url`` is a plain http(s) address; otherwise just the escaped text."""
    label = escape_markdown(text)
    if isinstance(url, str) and _SAFE_URL.match(url):
        return f"[{label}]({url})"
    return label


def safe_url(url: object) -> str | None:
    """An http(s) URL made safe inside a Markdown link (parentheses, brackets, spaces percent-encoded); else None.

    >>> safe_url("https://en.wikipedia.org/wiki/Caracazo_(1989)")
    'https://en.wikipedia.org/wiki/Caracazo_%281989%29'
    >>> safe_url("javascript:alert(1)") is None
    True
    """
    text = str(url or "").strip()
    if not re.match(r"^https?://[^\s/]", text, flags=re.IGNORECASE):
        return None
    return url_quote(text, safe=":/?#@!$&'*+,;=%~-._")


def references(value: object) -> list[str]:
    """``date_reference``/``references`` as a list of safe URLs (the field may be one URL, a list or empty)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return []
    return [url for url in (safe_url(v) for v in value) if url]


def link_label(url: str) -> str:
    """The host name, for a link's text: ``en.wikipedia.org``."""
    return re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
