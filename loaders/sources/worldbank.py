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
from ..tidy import finite_number, json_answer, tidy_frame, year_start

SOURCE = "worldbank"
SHORT_NAME = ("World Bank", "Banco Mundial")
ID_TAG = "wb"
UPSTREAM_UNIT_CHECKED = True  # indicator names carry their unit: "Inflation, consumer prices (annual %)"
BASE = "https://api.worldbank.org/v2/country"
PER_PAGE = 20000
MAX_PAGES = 50  # 20,000 observations a page: more pages than this is not an answer about a few countries
YEARS = range(1800, 2201)


def url(entry: dict, page: int = 1) -> str:
    """The live URL of one page of the entry's indicator, all its countries in one request."""
    countries = ";".join(entry["countries"])
    return f"{BASE}/{countries}/indicator/{entry['code']}?format=json&per_page={PER_PAGE}&page={page}"


def fetch(entry: dict, http: Http) -> list[Response]:
    """Page 1, then pages 2..N as announced in page 1's header (at most MAX_PAGES)."""
    first = http.get(SOURCE, url(entry, 1))
    pages = _pages(first.body)
    if pages > MAX_PAGES:
        raise UpstreamError(SOURCE, first.url, f"announces {pages} pages, over the limit of {MAX_PAGES}; not followed")
    return [first] + [http.get(SOURCE, url(entry, page)) for page in range(2, pages + 1)]


def _pages(body: bytes) -> int:
    """The page count page 1 announces; 1 when it announces none (an error envelope: parse reports it)."""
    try:
        return max(1, int(json.loads(body)[0]["pages"]))
    except (ValueError, LookupError, TypeError, RecursionError, OverflowError):
        return 1


def title(bodies: list[bytes]) -> str | None:
    """The indicator's name in an answer (``indicator.value`` of any observation), for ``add``.

    >>> title([b'[{"page": 1}, [{"indicator": {"value": "Population growth (annual %) "}}]]'])
    'Population growth (annual %)'
    """
    for body in bodies:
        try:
            answer = json.loads(body)
            for obs in answer[1] or []:
                name = (obs.get("indicator") or {}).get("value")
                if name:
                    return str(name).strip()
        except (ValueError, LookupError, TypeError, AttributeError):
            continue
    return None


def parse(bodies: list[bytes], entry: dict) -> pd.DataFrame:
    """All pages' observations as the tidy frame; null values dropped, years filed on 1 January."""
    where, rows, updated = url(entry), [], None
    for body in bodies:
        head, observations = _page(body, where)
        stamp = head.get("lastupdated")
        updated = updated or (stamp[:40] if isinstance(stamp, str) else None)
        for obs in observations:
            rows.append(_row(obs, entry["code"], where, entry.get("upstream_unit")))
    if not rows:
        raise UpstreamError(SOURCE, where, f"the answer holds no observations for {entry['code']}")
    frame = tidy_frame(rows)
    if updated:
        frame.attrs["source_last_updated"] = str(updated)
    return frame


def _page(body: bytes, where: str) -> tuple[dict, list]:
    """Split one page into its header and observations, raising on the error envelope or a new shape."""
    answer = json_answer(SOURCE, where, body)
    if isinstance(answer, list) and answer and isinstance(answer[0], dict) and "message" in answer[0]:
        messages = answer[0]["message"]
        messages = (
            [m if isinstance(m, dict) else {"value": m} for m in messages or [{}]]
            if isinstance(messages, list)
            else [{"value": messages}]
        )
        text = "; ".join(f"{m.get('key', '')} (id {m.get('id', '?')}): {m.get('value', '')}" for m in messages)
        raise UpstreamError(SOURCE, where, f"the API answered with an error: {text[:300]}")
    if not (isinstance(answer, list) and len(answer) == 2 and isinstance(answer[0], dict)):
        raise DriftError(SOURCE, where, "expected a JSON list [page header, observations]")
    observations = answer[1] or []
    if not isinstance(observations, list):
        raise DriftError(
            SOURCE, where, f"expected a list of observations after the page header, got {observations!r:.80}"
        )
    return answer[0], observations


def _row(obs: dict, code: str, where: str, unit: str | None = None) -> tuple[str, str, float | None]:
    """One observation as (date, country, value), checking the fields the loader relies on.

    ``unit`` (the catalog's ``upstream_unit``) must appear in the indicator's name, e.g. "annual %" in
    "Inflation, consumer prices (annual %)": the World Bank names an indicator after its unit.
    """
    for field in ("indicator", "countryiso3code", "date", "value"):
        if not isinstance(obs, dict) or field not in obs:
            got = f"its fields are {sorted(obs)[:12]}" if isinstance(obs, dict) else f"got {obs!r:.60}"
            raise DriftError(SOURCE, where, f"expected field '{field}' in every observation; {got}")
    indicator = obs["indicator"].get("id") if isinstance(obs["indicator"], dict) else obs["indicator"]
    if indicator != code:
        raise DriftError(SOURCE, where, f"expected indicator '{code}', the answer holds {indicator!r:.80}")
    if unit:
        name = obs["indicator"].get("value") if isinstance(obs["indicator"], dict) else None
        if not isinstance(name, str) or unit not in name:
            raise DriftError(
                SOURCE, where, f"unit changed: indicator {code} is now named {name!r:.120}, expected it to say '{unit}'"
            )
    date, value, country = str(obs["date"]), obs["value"], obs["countryiso3code"]
    if not (date.isascii() and date.isdigit() and len(date) == 4 and int(date) in YEARS):
        raise DriftError(SOURCE, where, f"expected a year like '2018' in 'date', got {date!r:.40}")
    if not isinstance(country, str):
        raise DriftError(SOURCE, where, f"expected an ISO3 code in 'countryiso3code' for {date}, got {country!r:.40}")
    if value is not None and not finite_number(value):
        raise DriftError(SOURCE, where, f"expected a number or null in 'value' for {date}, got {value!r:.40}")
    return year_start(date), country, value
