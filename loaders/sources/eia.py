"""EIA API v2, one series by its id (``/v2/seriesid/{ID}``): JSON pages of at most 5,000 rows.

The live API needs a free key, read from the environment variable ``EIA_API_KEY``. The key is
sent in the query but never kept: every URL this module hands on says ``api_key=***``, and an
answer's ``request.params`` (which echoes the key) is never read.

>>> entry = {"id": "x_thousand_barrels_per_day", "code": "PET.MTTNTUSVE2.M", "countries": ["VEN"]}
>>> page_url(entry, "***", 0)
'https://api.eia.gov/v2/seriesid/PET.MTTNTUSVE2.M?api_key=***&offset=0&length=5000'
>>> body = b'{"response": {"total": "1", "frequency": "monthly", "data": [{"period": "2003-01", "value": "403"}]}}'
>>> parse([body], entry)
        date country  value
0 2003-01-01     VEN  403.0
"""

from __future__ import annotations

import dataclasses
import math
import os
import re

import pandas as pd

from ..errors import DriftError, UpstreamError
from ..http import Http, Response
from ..tidy import json_answer, tidy_frame

SOURCE = "eia"
BASE = "https://api.eia.gov/v2/seriesid"
KEY_ENV = "EIA_API_KEY"
MASK = "***"
PAGE_LENGTH = 5000  # the API's most rows per answer
MAX_PAGES = 100
PERIOD = {"monthly": re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])"), "annual": re.compile(r"[0-9]{4}")}


def page_url(entry: dict, key: str, offset: int) -> str:
    """The live URL of one page (pass ``MASK`` as key for any URL that is shown or stored)."""
    return f"{BASE}/{entry['code']}?api_key={key}&offset={offset}&length={PAGE_LENGTH}"


def fetch(entry: dict, http: Http) -> list[Response]:
    """Every page of the series; without a key, one UpstreamError saying so (nothing is asked)."""
    key = os.environ.get(KEY_ENV, "").strip()
    if not key:
        raise UpstreamError(
            SOURCE,
            page_url(entry, MASK, 0),
            f"no API key: set {KEY_ENV} (free at https://www.eia.gov/opendata/register.php); snapshot kept",
        )
    responses = [_get(http, entry, key, 0)]
    total = _total(responses[0].body, responses[0].url)
    while len(responses) * PAGE_LENGTH < total and len(responses) < MAX_PAGES:
        responses.append(_get(http, entry, key, len(responses) * PAGE_LENGTH))
    return responses


def _get(http: Http, entry: dict, key: str, offset: int) -> Response:
    """One page, with the key masked in the Response and in any error."""
    shown = page_url(entry, MASK, offset)
    try:
        response = http.get(SOURCE, page_url(entry, key, offset))
    except UpstreamError as e:
        cause = e.cause.replace(key, MASK)
        raise type(e)(SOURCE, shown, cause) from None
    fetched = response.fetched_url.replace(key, MASK)
    return dataclasses.replace(response, url=shown, fetched_url=fetched)


def _total(body: bytes, where: str) -> int:
    """The row count the first page announces (a string in the API's answers)."""
    answer = _response_block(body, where)
    total = str(answer.get("total", ""))
    if not total.isdigit():
        raise DriftError(SOURCE, where, f"expected response.total to be a row count, got {total!r:.40}")
    return int(total)


def _response_block(body: bytes, where: str) -> dict:
    answer = json_answer(SOURCE, where, body)
    if isinstance(answer, dict) and isinstance(answer.get("error"), dict | str):
        error = answer["error"]
        text = error.get("message") or error.get("code") if isinstance(error, dict) else error
        raise UpstreamError(SOURCE, where, f"the API answered with an error: {str(text)[:200]}")
    block = answer.get("response") if isinstance(answer, dict) else None
    if not isinstance(block, dict) or not isinstance(block.get("data"), list):
        raise DriftError(SOURCE, where, "expected a JSON object with response.data (a list of rows)")
    return block


def parse(bodies: list[bytes], entry: dict) -> pd.DataFrame:
    """The tidy frame of every page: ``period`` and string ``value``; null values are dropped."""
    where, country = page_url(entry, MASK, 0), entry["countries"][0]
    rows, seen, total = [], set(), None
    for page, body in enumerate(bodies):
        block = _response_block(body, where)
        total = total if total is not None else _total(body, where)
        pattern = PERIOD.get(str(block.get("frequency")))
        if pattern is None:
            raise DriftError(SOURCE, where, f"expected frequency monthly or annual, got {block.get('frequency')!r:.40}")
        for number, row in enumerate(block["data"], start=1):
            period = str(row.get("period")) if isinstance(row, dict) else ""
            if not pattern.fullmatch(period):
                raise DriftError(
                    SOURCE, where, f"page {page + 1}, row {number}: expected a period like 2003-01, got {period!r:.40}"
                )
            if period in seen:
                raise DriftError(SOURCE, where, f"period {period} appears twice (pages overlap?)")
            seen.add(period)
            value = row.get("value")
            if value is None or value == "":
                continue
            try:
                number_value = float(value)
            except (TypeError, ValueError):
                number_value = math.nan
            if not math.isfinite(number_value):
                raise DriftError(SOURCE, where, f"period {period}: expected a number, got {value!r:.40}")
            date = f"{period}-01" if len(period) == 7 else f"{period}-01-01"
            rows.append((date, country, number_value))
    if total is not None and len(seen) != total:
        raise DriftError(SOURCE, where, f"response.total says {total} rows but the pages held {len(seen)}")
    if not rows:
        raise UpstreamError(SOURCE, where, f"the answer for {entry['code']} holds no observations")
    return tidy_frame(rows)
