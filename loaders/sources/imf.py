"""IMF DataMapper API v1 (World Economic Outlook): one concept for all the entry's countries at once.

Each row gets a ``status`` as the IMF names it: 'actual' up to ``entry["last_actual_year"][country]``
(the WEO's "Estimates Start After"), 'estimate' for later years before ``entry["first_projection_year"]``
(the WEO edition's year: already past, but not yet reported), and 'projection' from that year on.

>>> entry = {"id": "inflation_avg_imf_pct", "code": "PCPIPCH", "countries": ["VEN", "COL"]}
>>> url(entry)
'https://www.imf.org/external/datamapper/api/v1/PCPIPCH/VEN/COL'
>>> frame = parse([http.get(SOURCE, url(entry)).body], entry)  # doctest: +SKIP
"""

from __future__ import annotations

import pandas as pd

from ..errors import DriftError, UpstreamError, ValidationError
from ..http import Http, Response
from ..tidy import finite_number, json_answer, tidy_frame, year_start

SOURCE = "imf"
SHORT_NAME = ("IMF", "FMI")
EDITION_KEY = "first_projection_year"  # hand-written per WEO edition in the catalog, never the clock
ADD_NOTE = (
    "imf: years from the edition's 'first_projection_year' are marked as projections and all earlier "
    "years as actual; add 'last_actual_year' per country to the entry (the WEO's 'estimates start "
    "after' year) so the years between are marked as estimates"
)
BASE = "https://www.imf.org/external/datamapper/api/v1"
YEARS = range(1800, 2201)


def url(entry: dict) -> str:
    """The live URL: the concept code, then every country as a path segment."""
    return "/".join([BASE, entry["code"], *entry["countries"]])


def fetch(entry: dict, http: Http) -> list[Response]:
    """One request answers for every country."""
    return [http.get(SOURCE, url(entry))]


def parse(bodies: list[bytes], entry: dict) -> pd.DataFrame:
    """The tidy frame with a ``status`` column ('actual', 'estimate' or 'projection'), from the one answer."""
    code, where = entry["code"], url(entry)
    answer = json_answer(SOURCE, where, bodies[0])
    if not isinstance(answer, dict):
        raise DriftError(SOURCE, where, "expected a JSON object with 'values' and 'api'")
    if "values" not in answer:
        raise UpstreamError(SOURCE, where, f"the IMF returned no values for {code} (unknown code or countries?)")
    by_country = answer["values"].get(code) if isinstance(answer["values"], dict) else None
    if not isinstance(by_country, dict):
        raise DriftError(SOURCE, where, f"expected values.{code} to map countries to years, got {by_country!r:.100}")
    last_actual = entry.get("last_actual_year") or {}
    first_projection = _first_projection_year(entry, where)
    rows = []
    for country in entry["countries"]:
        by_year = by_country.get(country) or {}
        if not isinstance(by_year, dict):
            raise DriftError(
                SOURCE, where, f"expected values.{code}.{country} to map years to numbers, got {by_year!r:.60}"
            )
        for year, value in by_year.items():
            if not (year.isascii() and year.isdigit() and len(year) == 4 and int(year) in YEARS):
                raise DriftError(SOURCE, where, f"expected year keys like '2018' under {country}, got {year!r:.40}")
            if value is not None and not finite_number(value):
                raise DriftError(SOURCE, where, f"expected a number for {country} {year}, got {value!r:.40}")
            status = _status(int(year), last_actual.get(country), first_projection)
            rows.append((year_start(year), country, value, status))
    if not any(value is not None for _, _, value, _ in rows):
        raise UpstreamError(SOURCE, where, f"the IMF returned no values for {code} in {', '.join(entry['countries'])}")
    return tidy_frame(rows, with_status=True)


def _first_projection_year(entry: dict, where: str) -> int:
    """The WEO edition's year, from the catalog: the clock says nothing about which edition was fetched."""
    year = entry.get("first_projection_year")
    if not isinstance(year, int) or isinstance(year, bool) or year not in YEARS:
        raise ValidationError(
            f"imf series {entry.get('id')} ({where}): field 'first_projection_year' is {year!r}; "
            "expected the WEO edition's year, e.g. 2025 for October 2025"
        )
    return year


def _status(year: int, last_actual_year: int | None, first_projection_year: int) -> str:
    """'actual' to the country's last actual year, 'estimate' after it, 'projection' from the edition's year.

    A country the entry's ``last_actual_year`` does not list has actuals up to the edition's year.
    """
    if year >= first_projection_year:
        return "projection"
    if last_actual_year is not None and year > int(last_actual_year):
        return "estimate"
    return "actual"
