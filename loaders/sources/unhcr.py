"""UNHCR Refugee Population Statistics API v1: people from Venezuela, by year and host country.

Every UNHCR series reads the same pages (one item per year and country of asylum), so a
refresh run downloads them once through ``Http``'s cache. The entry's ``code`` is an item
field or a sum of fields; ``group_by: country_of_asylum`` keeps one row per host country.
Each row has a ``status``: 'provisional' for ``entry["provisional_year"]`` (the latest year, which
UNHCR releases as a mid-year figure; hand-written in the catalog, not read from the clock), else 'actual'.

>>> item = {"year": 2024, "coo_iso": "VEN", "coa_iso": "COL", "refugees": 10, "asylum_seekers": 5, "oip": None}
>>> entry = {"code": "refugees+asylum_seekers+oip", "provisional_year": 2025}
>>> parse([json.dumps({"maxPages": 1, "items": [item]}).encode()], entry)
        date country  value  status
0 2024-01-01     VEN   15.0  actual
"""

from __future__ import annotations

import json
import math
import re

import pandas as pd

from ..errors import DriftError, UpstreamError, ValidationError
from ..http import Http, Response
from ..tidy import tidy_frame, year_start

SOURCE = "unhcr"
SHORT_NAME = ("UNHCR", "ACNUR")
EDITION_KEY = "provisional_year"  # the latest year, released mid-year: hand-written per edition
ORIGIN = "VEN"
URL = "https://api.unhcr.org/population/v1/population/?coo={origin}&coa_all=true&cf_type=ISO&limit=1000&page={page}"
MAX_PAGES = 200
YEARS = range(1800, 2201)
MISSING = (None, "", "-")
ISO3 = re.compile(r"[A-Z]{3}")


def page_url(page: int) -> str:
    """The live URL of one page of items for people from ORIGIN."""
    return URL.format(origin=ORIGIN, page=page)


def fetch(entry: dict, http: Http) -> list[Response]:
    """Download page 1, then pages 2..N as page 1's ``maxPages`` announces (at most MAX_PAGES).

    Every page must announce the same count: a listing whose end keeps moving is refused, not followed.
    """
    responses = [http.get(SOURCE, page_url(1))]
    max_pages = _max_pages(responses[0])
    for page in range(2, max_pages + 1):
        responses.append(http.get(SOURCE, page_url(page)))
        announced = _max_pages(responses[-1])
        if announced != max_pages:
            raise UpstreamError(
                SOURCE,
                responses[-1].url,
                f"page {page} announces maxPages {announced} but page 1 announced {max_pages} "
                "(a listing that keeps changing or never ends); not followed",
            )
    return responses


def parse(bodies: list[bytes], entry: dict) -> pd.DataFrame:
    """The per-year total over host countries (country = ORIGIN), or one row per year and host with ``group_by``."""
    fields = [f.strip() for f in entry["code"].split("+")]
    by_host = entry.get("group_by")
    if by_host not in (None, "country_of_asylum"):
        raise ValidationError(f"unhcr series {entry.get('id')}: group_by {by_host!r} is not 'country_of_asylum'")
    values: dict[tuple[int, str], float | None] = {}
    for page, body in enumerate(bodies, start=1):
        url = page_url(page)
        for item in _items(body, url):
            for key in ("year", "coo_iso", "coa_iso", *fields):
                if key not in item:
                    raise DriftError(SOURCE, url, f"page {page}: item has no field {key!r} (fields: {sorted(item)})")
            year, host = _year(item["year"], url), item["coa_iso"]
            if item["coo_iso"] != ORIGIN:
                raise DriftError(
                    SOURCE, url, f"page {page}: item for origin {item['coo_iso']!r:.40}, expected {ORIGIN}"
                )
            if not isinstance(host, str) or not ISO3.fullmatch(host):
                raise DriftError(
                    SOURCE, url, f"page {page}: coa_iso {host!r:.40} is not an ISO3 code (coa_all ignored?)"
                )
            if host == ORIGIN:  # people inside Venezuela, not abroad
                continue
            if (year, host) in values:
                raise DriftError(SOURCE, url, f"page {page}: {year} {host} appears twice (pages overlap?)")
            counts = [_count(item[f], f, url) for f in fields]
            values[(year, host)] = None if all(c is None for c in counts) else sum(c or 0 for c in counts)
    if not values:
        raise DriftError(SOURCE, page_url(1), f"no items for people from {ORIGIN} living abroad")
    provisional = _provisional_year(entry)

    def status(year: int) -> str:
        return "provisional" if year == provisional else "actual"

    if by_host:
        wanted = set(entry.get("countries") or ["*"])
        rows = [
            (year_start(y), host, v, status(y))
            for (y, host), v in values.items()
            if v and ("*" in wanted or host in wanted)
        ]
        return tidy_frame(rows, with_status=True)
    totals: dict[int, float | None] = {}  # every year with an item; None if all its counts are null
    for (year, _), v in values.items():
        so_far = totals.get(year)
        totals[year] = v if so_far is None else so_far + (v or 0)
    return tidy_frame(((year_start(y), ORIGIN, v, status(y)) for y, v in totals.items()), with_status=True)


def _provisional_year(entry: dict) -> int:
    """The year UNHCR released mid-year, from the catalog: the clock cannot say which release was fetched."""
    year = entry.get("provisional_year")
    if not isinstance(year, int) or isinstance(year, bool) or year not in YEARS:
        raise ValidationError(
            f"unhcr series {entry.get('id')}: field 'provisional_year' is {year!r}; expected the latest year "
            "UNHCR released as a mid-year figure, e.g. 2025"
        )
    return year


def _max_pages(response: Response) -> int:
    """The page count an answer announces; refuses a count over MAX_PAGES."""
    page = _json(response.body, response.url)
    pages = page.get("maxPages")
    if not isinstance(pages, int) or isinstance(pages, bool):
        raise DriftError(SOURCE, response.url, f"answer has no integer 'maxPages' (got {pages!r:.40})")
    if pages > MAX_PAGES:
        raise UpstreamError(
            SOURCE, response.url, f"announces {pages} pages, over the limit of {MAX_PAGES}; not followed"
        )
    return pages


def _json(body: bytes, url: str) -> dict:
    if body.lstrip()[:1] == b"<":
        raise UpstreamError(SOURCE, url, f"expected JSON, got an HTML or XML page: {body[:60]!r}")
    try:
        page = json.loads(body)
    except (ValueError, RecursionError) as e:
        raise UpstreamError(SOURCE, url, f"answer is not JSON: {body[:80]!r} ({str(e)[:80]})") from None
    if not isinstance(page, dict):
        raise DriftError(SOURCE, url, f"answer is a {type(page).__name__}, expected an object with 'items'")
    return page


def _items(body: bytes, url: str) -> list[dict]:
    page = _json(body, url)
    items = page.get("items")
    if items is None and ("message" in page or "error" in page):
        raise UpstreamError(SOURCE, url, f"error answer: {str(page.get('message') or page.get('error'))[:300]}")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise DriftError(SOURCE, url, f"answer has no list of objects under 'items' (keys: {sorted(page)[:20]})")
    return items


def _year(value: object, url: str) -> int:
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 4:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value in YEARS:
        return value
    raise DriftError(SOURCE, url, f"item 'year' {value!r:.40} is not a year")


def _count(value: object, field: str, url: str) -> float | None:
    """A head count: numbers and numeric strings as they are; null, '' and '-' as missing."""
    if value is None or isinstance(value, str) and value in MISSING:
        return None
    try:
        count = float(value) if isinstance(value, int | float | str) and not isinstance(value, bool) else math.nan
    except (ValueError, OverflowError):
        count = math.nan
    if not math.isfinite(count):
        raise DriftError(SOURCE, url, f"field {field!r} is {value!r:.40}, expected a count")
    return count
