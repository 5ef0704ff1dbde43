"""World Bank Indicators API v2: one indicator for all the entry's countries, in pages.

>>> entry = {"id": "inflation_cpi_wb_pct", "code": "FP.CPI.TOTL.ZG", "countries": ["VEN", "COL"]}
>>> url(entry, page=2)
'https://api.worldbank.org/v2/country/VEN;COL/indicator/FP.CPI.TOTL.ZG?format=json&per_page=20000&page=2'
>>> frame = parse([http.get(SOURCE, url(entry)).body], entry)  # doctest: +SKIP
"""

from __future__ import annotations

import json

import pandas as pd

from ..errors import DriftError, UpstreamError
from ..http import Http, Response
from ..tidy import tidy_frame, year_start

SOURCE = "worldbank"
BASE = "https://api.worldbank.org/v2/country"
PER_PAGE = 20000


def url(entry: dict, page: int = 1) -> str:
    """The live URL of one page of the entry's indicator, all its countries in one request."""
    countries = ";".join(entry["countries"])
    return f"{BASE}/{countries}/indicator/{entry['code']}?format=json&per_page={PER_PAGE}&page={page}"


def fetch(entry: dict, http: Http) -> list[Response]:
    """Page 1, then pages 2..N as announced in page 1's header."""
    first = http.get(SOURCE, url(entry, 1))
    return [first] + [http.get(SOURCE, url(entry, page)) for page in range(2, _pages(first.body) + 1)]


def _pages(body: bytes) -> int:
    """The page count page 1 announces; 1 when it announces none (an error envelope: parse reports it)."""
    try:
        return max(1, int(json.loads(body)[0]["pages"]))
    except (ValueError, LookupError, TypeError):
        return 1


def parse(bodies: list[bytes], entry: dict) -> pd.DataFrame:
    """All pages' observations as the tidy frame; null values dropped, years filed on 1 January."""
    where, rows, updated = url(entry), [], None
    for body in bodies:
        head, observations = _page(body, where)
        updated = updated or head.get("lastupdated")
        for obs in observations:
            rows.append(_row(obs, entry["code"], where))
    if not rows:
        raise UpstreamError(SOURCE, where, f"the answer holds no observations for {entry['code']}")
    frame = tidy_frame(rows)
    if updated:
        frame.attrs["source_last_updated"] = str(updated)
    return frame


def _page(body: bytes, where: str) -> tuple[dict, list]:
    """Split one page into its header and observations, raising on the error envelope or a new shape."""
    try:
        answer = json.loads(body)
    except ValueError as e:
        raise DriftError(SOURCE, where, f"expected JSON, got {body[:60]!r}") from e
    if isinstance(answer, list) and answer and isinstance(answer[0], dict) and "message" in answer[0]:
        messages = answer[0]["message"] or [{}]
        text = "; ".join(f"{m.get('key', '')} (id {m.get('id', '?')}): {m.get('value', '')}" for m in messages)
        raise UpstreamError(SOURCE, where, f"the API answered with an error: {text}")
    if not (isinstance(answer, list) and len(answer) == 2 and isinstance(answer[0], dict)):
        raise DriftError(SOURCE, where, "expected a JSON list [page header, observations]")
    return answer[0], answer[1] or []


def _row(obs: dict, code: str, where: str) -> tuple[str, str, float | None]:
    """One observation as (date, country, value), checking the fields the loader relies on."""
    for field in ("indicator", "countryiso3code", "date", "value"):
        if not isinstance(obs, dict) or field not in obs:
            raise DriftError(SOURCE, where, f"expected field '{field}' in every observation, got {obs!r:.200}")
    indicator = obs["indicator"].get("id") if isinstance(obs["indicator"], dict) else obs["indicator"]
    if indicator != code:
        raise DriftError(SOURCE, where, f"expected indicator '{code}', the answer holds '{indicator}'")
    date, value = str(obs["date"]), obs["value"]
    if not date.isdigit() or len(date) != 4:
        raise DriftError(SOURCE, where, f"expected a year like '2018' in 'date', got {date!r}")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise DriftError(SOURCE, where, f"expected a number or null in 'value' for {date}, got {value!r}")
    return year_start(date), obs["countryiso3code"], value
