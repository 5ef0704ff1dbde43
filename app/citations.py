"""Citations every page shows: the one source line of a chart, headline or download, and a document's quote.

>>> quote_markdown("[x](javascript:alert(1))", "doc.txt")
'> “\\\\[x\\\\]\\\\(javascript\\\\:alert\\\\(1\\\\)\\\\)”  \\n> — doc\\\\.txt'
"""

from __future__ import annotations

import pandas as pd

from app.text import escape_markdown


def source_line(catalog: pd.DataFrame, series_ids: list[str], lang: str, grouped: bool = False) -> str:
    """The one source line every chart, headline and download shows, in the reader's language: per series the
    edition its numbers come from, its code (in words where the code is a field name) and its licence.
    ``grouped`` joins the codes of series that share an edition and licence.

    >>> cat = pd.DataFrame({"edition_en": ["IMF WEO, October 2025"] * 2, "code_en": ["PCPIPCH", "PCPIEPCH"],
    ...                     "licence_en": ["IMF terms"] * 2}, index=["a", "b"])
    >>> source_line(cat, ["a", "b"], "en", grouped=True)
    'Source: IMF WEO, October 2025 – PCPIPCH, PCPIEPCH – IMF terms'
    >>> source_line(cat, ["a", "b"], "en")
    'Sources: IMF WEO, October 2025 – PCPIPCH – IMF terms; IMF WEO, October 2025 – PCPIEPCH – IMF terms'
    """
    groups: dict[tuple[str, str, str], list[str]] = {}
    for sid in dict.fromkeys(series_ids):
        row = catalog.loc[sid]
        key = (row[f"edition_{lang}"], row[f"licence_{lang}"], "" if grouped else sid)
        groups.setdefault(key, []).append(str(row[f"code_{lang}"]))
    parts = [f"{edition} – {', '.join(codes)} – {licence}" for (edition, licence, _), codes in groups.items()]
    word = {"en": ("Source", "Sources"), "es": ("Fuente", "Fuentes")}[lang][len(parts) > 1]
    return f"{word}: " + "; ".join(parts)


def quote_markdown(quote: str, cited: str) -> str:
    """A blockquote of the exact words and, on the next line, the document as cited
    (``loaders.events.cite_document``: its description and file name); all escaped."""
    return f"> “{escape_markdown(quote)}”  \n> — {escape_markdown(cited)}"
