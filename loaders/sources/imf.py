"""IMF DataMapper API v1 (World Economic Outlook): one concept for all the entry's countries at once.

Years after ``entry["last_actual_year"][country]`` get ``status`` 'projection', the rest 'actual'.

>>> entry = {"id": "inflation_avg_imf_pct", "code": "PCPIPCH", "countries": ["VEN", "COL"]}
>>> url(entry)
'https://www.imf.org/external/datamapper/api/v1/PCPIPCH/VEN/COL'
>>> frame = parse([http.get(SOURCE, url(entry)).body], entry)  # doctest: +SKIP
"""

from __future__ import annotations

import json

import pandas as pd

from ..errors import DriftError, UpstreamError
from ..http import Http, Response
from ..tidy import tidy_frame, year_start

SOURCE = "imf"
BASE = "https://www.imf.org/external/datamapper/api/v1"
DEFAULT_FIRST_PROJECTION_YEAR = 2025  # for a country the entry's last_actual_year does not list


def url(entry: dict) -> str:
    """The live URL: the concept code, then every country as a path segment."""
    return "/".join([BASE, entry["code"], *entry["countries"]])


def fetch(entry: dict, http: Http) -> list[Response]:
    """One request answers for every country."""
    return [http.get(SOURCE, url(entry))]


def parse(bodies: list[bytes], entry: dict) -> pd.DataFrame:
    """The tidy frame with a ``status`` column ('actual' or 'projection'), from the one answer."""
    code, where = entry["code"], url(entry)
    try:
        answer = json.loads(bodies[0])
    except ValueError as e:
        raise DriftError(SOURCE, where, f"expected JSON, got {bodies[0][:60]!r}") from e
    if not isinstance(answer, dict):
        raise DriftError(SOURCE, where, "expected a JSON object with 'values' and 'api'")
    if "values" not in answer:
        raise UpstreamError(SOURCE, where, f"the IMF returned no values for {code} (unknown code or countries?)")
    by_country = answer["values"].get(code) if isinstance(answer["values"], dict) else None
    if not isinstance(by_country, dict):
        raise DriftError(SOURCE, where, f"expected values.{code} to map countries to years, got {by_country!r:.100}")
    last_actual = entry.get("last_actual_year") or {}
    rows = []
    for country in entry["countries"]:
        for year, value in (by_country.get(country) or {}).items():
            if not (str(year).isdigit() and len(str(year)) == 4):
                raise DriftError(SOURCE, where, f"expected year keys like '2018' under {country}, got {year!r}")
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise DriftError(SOURCE, where, f"expected a number for {country} {year}, got {value!r}")
            rows.append((year_start(year), country, value, _status(int(year), last_actual.get(country))))
    if not rows:
        raise UpstreamError(SOURCE, where, f"the IMF returned no values for {code} in {', '.join(entry['countries'])}")
    return tidy_frame(rows, with_status=True)


def _status(year: int, last_actual_year: int | None) -> str:
    """'projection' after the country's last actual year (from 2025 when the catalog gives none)."""
    if last_actual_year is None:
        return "projection" if year >= DEFAULT_FIRST_PROJECTION_YEAR else "actual"
    return "projection" if year > int(last_actual_year) else "actual"
