"""Local files: an analyst's own series, a CSV or .xlsx file in ``<data dir>/local/``.

A catalog entry with ``source: local`` names the file in ``code`` and says who published the
numbers (``publisher``, ``licence``, ``citation``; optional ``url``, ``licence_url``, and ``sheet``
for a workbook). Refresh reads the file, ``parse`` validates it with the same checks as every
other way in (``loaders.localfile``), and the snapshot is written like any publisher's.

>>> entry = {"id": "my_series_pct", "code": "my_series.csv", "countries": ["VEN"], "frequency": "annual",
...          "publisher": "Me", "licence": "CC BY 4.0", "citation": "Me (2025), my series."}
>>> url(entry)
'file:local/my_series.csv'
>>> parse([b"date,value\\n2019,1.5\\n2020,2.5\\n"], entry)["value"].tolist()
[1.5, 2.5]
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .. import localfile
from ..errors import ValidationError
from ..http import Http, Response
from ..metadata import ANY_COUNTRY, read_catalog

SOURCE = "local"
ANALYST_DESCRIBED = True  # a file carries no metadata: the analyst gives title, unit, publisher, licence
DEFAULT_COUNTRIES: list[str] = []  # the file's own countries
COUNTRY_WITHOUT_COLUMN = "VEN"  # the dashboard's country: what a file without a 'country' column is about
FOLDER = "local"
SAFE_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,98}\.[A-Za-z0-9]{1,5}")
REQUIRED_TEXT = ("publisher", "licence", "citation")
OPTIONAL_TEXT = ("url", "licence_url", "sheet")
URL_FIELDS = ("url", "licence_url")
CONTENT_TYPES = {".csv": "text/csv", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def url(entry: dict) -> str:
    """The file's address relative to the data folder (recorded in the sidecar)."""
    return f"file:{FOLDER}/{entry['code']}"


def file_name_problem(code: object) -> str | None:
    """Why ``code`` is not a safe file name inside ``local/``, or None.

    >>> file_name_problem("../catalog.yaml")
    "file name '../catalog.yaml' is not safe; expected a plain name like my_series.csv (letters, digits, . _ -; \
with an extension such as .csv; no folders)"
    """
    if isinstance(code, str) and SAFE_FILE.fullmatch(code) and ".." not in code:
        return None
    return (
        f"file name {str(code)!r} is not safe; expected a plain name like my_series.csv (letters, digits, . _ -; "
        "with an extension such as .csv; no folders)"
    )


def request_problem(code: str, data_dir: Path) -> str | None:
    """Why ``python -m loaders add local CODE`` cannot read ``code``, saying where the file goes; or None."""
    problem = file_name_problem(code)
    if problem is None:
        return None
    return (
        f"{problem}. Copy the file into {folder(data_dir)}/ and pass only its name, e.g. "
        "`python -m loaders add local my_series.csv ...`"
    )


def entry_problems(entry: dict) -> list[str]:
    """What is wrong with a local entry's own fields (the catalog checks the common ones)."""
    problems = []
    name_problem = file_name_problem(entry.get("code"))
    if name_problem:
        problems.append(f"field 'code': {name_problem}")
    for field in REQUIRED_TEXT:
        if not str(entry.get(field) or "").strip():
            problems.append(f"field '{field}' is missing; a local series must say its {field}")
    texts = {field: entry.get(field) for field in REQUIRED_TEXT + OPTIONAL_TEXT}
    for field in ("title", "description"):
        for lang, text in (entry.get(field) or {}).items():
            texts[f"{field}.{lang}"] = text
    for field, text in texts.items():
        if isinstance(text, str) and text.strip().startswith(localfile.FORMULA_STARTS):
            problems.append(
                f"field '{field}' starts with {text.strip()[0]!r}; text may not start with = + - @ "
                "(a spreadsheet would run it as a formula)"
            )
    for field in URL_FIELDS:
        link = entry.get(field)
        if link and not re.fullmatch(r"https?://\S+", str(link)):
            problems.append(f"field '{field}' is {str(link)!r}; expected a web address starting with https://")
    if entry.get("sheet") is not None and not str(entry.get("code", "")).lower().endswith(".xlsx"):
        problems.append("field 'sheet' is only for .xlsx files")
    return problems


def check_entry(entry: dict) -> None:
    problems = entry_problems(entry)
    if problems:
        raise ValidationError(f"local series '{entry.get('id')}': " + "; ".join(problems))


def folder(data_dir: Path) -> Path:
    return Path(data_dir) / FOLDER


def file_path(data_dir: Path, code: str) -> Path:
    """The file's path, refusing names that are not plain files inside ``local/``."""
    problem = file_name_problem(code)
    if problem:
        raise ValidationError(f"local: {problem}")
    base = folder(data_dir).resolve()
    path = (base / code).resolve()
    if path.parent != base:
        raise ValidationError(f"local: {code!r} resolves outside {base} (a link?); expected a file inside it")
    return path


def data_dir_of(entry: dict) -> Path:
    """The data folder the entry belongs to: ``entry['data_dir']`` when the caller set it, else the default
    data folder if this very entry was read from its catalog (so a refresh of the default folder works)."""
    if entry.get("data_dir"):
        return Path(entry["data_dir"])
    catalog = read_catalog()
    if catalog.series.get(str(entry.get("id"))) is entry:
        return catalog.path.parent
    raise ValidationError(
        f"local: series '{entry.get('id')}': cannot tell which data folder holds local/{entry.get('code')}; "
        f"set DASHBOARD_DATA to that folder (it is not {catalog.path.parent})"
    )


def display_name(entry: dict) -> str:
    """How messages name the file: its path under the data folder."""
    base = Path(entry["data_dir"]) if entry.get("data_dir") else Path("data")
    return str(base / FOLDER / str(entry.get("code")))


def fetch(entry: dict, http: Http) -> list[Response]:
    """Read the file (``http`` is unused: the contract's signature); refuse a missing or oversized file."""
    check_entry(entry)
    data_dir = data_dir_of(entry)
    path = file_path(data_dir, entry["code"])
    shown = str(Path(data_dir) / FOLDER / entry["code"])
    if not path.is_file():
        present = sorted(p.name for p in folder(data_dir).glob("*") if p.suffix.lower() in CONTENT_TYPES)
        raise ValidationError(
            f"{shown}: no such file; expected the file named in the entry's 'code' in {folder(data_dir)}/ "
            f"(files there: {', '.join(present) or 'none'})"
        )
    too_big = localfile.size_problem(max(path.stat().st_size, 1))
    if too_big:
        raise localfile.fail(shown, too_big)
    body = path.read_bytes()
    return [Response(url(entry), url(entry), body, CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream"))]


def parse(bodies: list[bytes], entry: dict) -> pd.DataFrame:
    """Validate the file into the tidy frame; a file without a country column takes the entry's one country, or
    Venezuela when the entry leaves the countries to the file (``add`` without ``--country``)."""
    check_entry(entry)
    countries = entry.get("countries") or []
    single = countries[0] if len(countries) == 1 and countries[0] != ANY_COUNTRY else None
    if countries in ([], [ANY_COUNTRY]):
        single = COUNTRY_WITHOUT_COLUMN
    name = display_name(entry)
    frame = localfile.read_table(bodies[0], name, country=single, countries=countries, sheet=entry.get("sheet"))
    problem = localfile.frequency_problem(frame, entry["frequency"]) if entry.get("frequency") else None
    if problem:
        raise localfile.fail(name, problem)
    return frame
