"""Try a series before adding it: plot an uploaded CSV or .xlsx beside the dashboard's series, for this
session only. Nothing is written to disk; the file runs through the same validator as ``data/local/``.

>>> frame = read_upload(b"date,value\\n2019,1.5\\n2020,2\\n", "mine.csv")
>>> frame["country"].tolist(), frame["value"].tolist()
(['VEN', 'VEN'], [1.5, 2.0])
>>> upload_label("[x](javascript:alert(1)).csv", "en")
'_x__javascript_alert_1__ (uploaded)'
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from app.file_problems import in_language
from app.i18n import translator
from app.text import escape_markdown
from loaders import localfile
from loaders.errors import ValidationError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# One reader's uploads: a few files, a bounded total, each checked once (not on every interaction).
MAX_FILES = 8
MAX_TOTAL_BYTES = 10 * 1024 * 1024
DEFAULT_COUNTRY = "VEN"
FILE_TYPES = ["csv", "xlsx"]

TEXT = {
    "label": {
        "en": "Try your own series: upload a CSV or Excel file (this session only, nothing is saved)",
        "es": "Pruebe su propia serie: suba un CSV o un Excel (solo en esta sesión, no se guarda nada)",
    },
    "help": {
        "en": "Columns date,value and optionally country (ISO3, e.g. VEN) and status. Dates YYYY-MM-DD, YYYY-MM or "
        "YYYY, one format per file. Numbers with '.' for decimals and no thousands separators. UTF-8, up to 5 MB. "
        "To add it for good, see docs/adding-a-dataset.md.",
        "es": "Columnas date,value y, si hace falta, country (ISO3, p. ej. VEN) y status. Fechas AAAA-MM-DD, AAAA-MM "
        "o AAAA, un solo formato por archivo. Números con '.' decimal y sin separador de miles. UTF-8, hasta 5 MB. "
        "Para añadirla de forma permanente, vea docs/adding-a-dataset.md.",
    },
    "rejected": {
        "en": "{name} was not plotted. What to fix:",
        "es": "{name} no se graficó. Qué corregir:",
    },
    "accepted": {
        "en": "{name}: {rows} observations, {first} to {last}, {countries}. Its unit is not checked; it is shown "
        "for this session only.",
        "es": "{name}: {rows} observaciones, de {first} a {last}, {countries}. Su unidad no se verifica; se muestra "
        "solo en esta sesión.",
    },
    "default_country": {
        "en": "{name} has no country column: plotted as {country}.",
        "es": "{name} no tiene columna de país: se grafica como {country}.",
    },
    "uploaded": {"en": "uploaded", "es": "subido"},
    "too_many": {
        "en": "Only the first {n} files (at most {mb} MB together) are read; not read: {names}. Remove a file to "
        "try another.",
        "es": "Solo se leen los primeros {n} archivos (como máximo {mb} MB en total); no se leyeron: {names}. Quite "
        "un archivo para probar otro.",
    },
}


def printable(name: object, limit: int = 120) -> str:
    r"""A file name fit to show: invisible and direction-changing characters as escapes, not too long.

    >>> printable("rtl\u202egpj.csv")
    'rtl\\u202egpj.csv'
    """
    text = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in str(name))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_upload(data: bytes, file_name: str, country: str = DEFAULT_COUNTRY) -> pd.DataFrame:
    """Validate an uploaded file (CSV or .xlsx, at most 5 MB) into the tidy frame; raise ValidationError.

    Pure: nothing is written anywhere. A file without a ``country`` column is filed under ``country``.
    """
    frame = localfile.read_table(data, file_name, country=country, max_bytes=MAX_UPLOAD_BYTES)
    frame.attrs["file_name"] = file_name
    frame.attrs["default_country"] = None if frame.attrs["country_column"] else country
    return frame


def upload_label(file_name: str, lang: str) -> str:
    """A plain legend name for an uploaded file: its name without the extension, no markup, marked as uploaded."""
    stem = re.sub(r"\.(csv|xlsx|xlsm)$", "", str(file_name), flags=re.IGNORECASE)
    stem = re.sub(r"[^\w .\-]", "_", stem).strip()[:60] or "file"
    return f"{stem} ({TEXT['uploaded'][lang if lang in ('en', 'es') else 'en']})"


def summary_text(frame: pd.DataFrame, name: str, lang: str) -> str:
    """One plain sentence about an accepted upload (for st.caption, after escaping)."""
    tr = translator(TEXT, lang)
    countries = ", ".join(sorted(frame["country"].unique()))
    return tr(
        "accepted",
        name=name,
        rows=len(frame),
        first=f"{frame['date'].min():%Y-%m-%d}",
        last=f"{frame['date'].max():%Y-%m-%d}",
        countries=countries,
    )


def problem_text(error: ValidationError) -> list[str]:
    """The problems of a rejected file, one per line (in English: ``file_problems.in_language`` says them in the
    reader's)."""
    if isinstance(error, localfile.LocalFileError):
        return localfile.problem_lines(error)
    return [str(error)]


def within_limits(files: list, max_files: int = MAX_FILES, max_total: int = MAX_TOTAL_BYTES) -> tuple[list, list]:
    """The uploads to read (in order, up to ``max_files`` and ``max_total`` bytes together) and those left out.

    >>> from types import SimpleNamespace as F
    >>> kept, left = within_limits([F(size=4), F(size=4), F(size=4), F(size=1)], max_files=3, max_total=9)
    >>> [f.size for f in kept], [f.size for f in left]
    ([4, 4, 1], [4])
    """
    kept, left, total = [], [], 0
    for upload in files:
        if len(kept) < max_files and total + upload.size <= max_total:
            kept.append(upload)
            total += upload.size
        else:
            left.append(upload)
    return kept, left


def check_once(cache: dict, upload: object, name: str) -> pd.DataFrame | list[str]:
    """The tidy frame of an upload, or its problem lines; each file (by Streamlit's file id) is read once
    per session, and files no longer uploaded are forgotten by the caller."""
    file_id = getattr(upload, "file_id", None) or name
    if file_id not in cache:
        try:
            cache[file_id] = read_upload(upload.getvalue(), name)
        except ValidationError as e:
            cache[file_id] = problem_text(e)
    return cache[file_id]


def upload_panel(lang: str, key: str = "explore_upload") -> list[tuple[str, pd.DataFrame]]:
    """The uploader and its messages; returns (legend name, tidy frame) for every file that passed."""
    tr = translator(TEXT, lang)
    files = st.file_uploader(
        tr("label"),
        type=FILE_TYPES,
        accept_multiple_files=True,
        key=key,
        help=tr("help"),
        max_upload_size=MAX_UPLOAD_BYTES // 2**20,
    )
    accepted = []
    kept, left = within_limits(list(files or []))
    if left:
        names = ", ".join(printable(f.name, 40) for f in left)
        st.warning(escape_markdown(tr("too_many", n=MAX_FILES, mb=MAX_TOTAL_BYTES // 2**20, names=names)), icon="⚠️")
    cache = st.session_state.setdefault(f"{key}-checked", {})
    for stale in set(cache) - {getattr(f, "file_id", None) or printable(f.name) for f in kept}:
        del cache[stale]
    for upload in kept:
        name = printable(upload.name)
        result = check_once(cache, upload, name)
        if isinstance(result, list):
            lines = [escape_markdown(tr("rejected", name=name))]
            lines += [f"- {escape_markdown(in_language(line, lang))}" for line in result]
            st.error("\n".join(lines), icon="⚠️")
            continue
        frame = result
        st.caption(escape_markdown(summary_text(frame, name, lang)))
        if frame.attrs.get("default_country"):
            st.caption(escape_markdown(tr("default_country", name=name, country=frame.attrs["default_country"])))
        accepted.append((upload_label(name, lang), frame))
    return accepted
