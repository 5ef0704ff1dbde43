"""FRED graph CSV: one series id, two columns (date, value), filed under the entry's single country.

Both header styles are read (``observation_date,ID`` and the older ``DATE,ID``), and both
markers for a day without a price (blank and ``.``).

>>> entry = {"id": "oil_price_wti_daily_usd_per_barrel", "code": "DCOILWTICO", "countries": ["WLD"]}
>>> url(entry)
'https://fred.stlouisfed.org/graph/fredgraph.csv?id=DCOILWTICO'
>>> parse([b"observation_date,DCOILWTICO\\n2020-04-20,-36.98\\n2020-04-21,\\n"], entry)
        date country  value
0 2020-04-20     WLD -36.98
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re

import pandas as pd

from ..errors import DriftError, UpstreamError
from ..http import Http, Response
from ..tidy import tidy_frame

SOURCE = "fred"
SHORT_NAME = ("FRED", "FRED")
DEFAULT_COUNTRIES = ["WLD"]  # world market prices
BASE = "https://fred.stlouisfed.org/graph/fredgraph.csv"
DATE_HEADERS = ("observation_date", "DATE")
MISSING = ("", ".")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FIRST_DAY, LAST_DAY = datetime.date(1800, 1, 1), datetime.date(2200, 12, 31)


def url(entry: dict) -> str:
    """The live URL of the series' CSV download."""
    return f"{BASE}?id={entry['code']}"


def fetch(entry: dict, http: Http) -> list[Response]:
    """One request: the whole history of the series."""
    return [http.get(SOURCE, url(entry))]


def parse(bodies: list[bytes], entry: dict) -> pd.DataFrame:
    """The tidy frame of the one CSV; days without a price are dropped."""
    code, where, country = entry["code"], url(entry), entry["countries"][0]
    text = bodies[0].decode("utf-8-sig", errors="replace")
    if text.lstrip()[:1] == "<":
        raise UpstreamError(SOURCE, where, f"expected CSV, got an HTML page (unknown series id {code}?)")
    if "\x00" in text:
        raise DriftError(SOURCE, where, "expected CSV text, got binary content (NUL bytes)")
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as e:
        raise DriftError(SOURCE, where, f"expected CSV, got text the csv reader refuses ({e})") from None
    header = [cell.strip() for cell in lines[0]] if lines else []
    if len(header) != 2 or header[0] not in DATE_HEADERS or header[1] != code:
        raise DriftError(
            SOURCE, where, f"expected header '{DATE_HEADERS[0]},{code}' (or 'DATE,{code}'), got {header!r:.120}"
        )
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        if len(line) != 2:
            raise DriftError(SOURCE, where, f"line {number}: expected 2 columns (date, value), got {line!r:.120}")
        date, value = line[0].strip(), line[1].strip()
        if value in MISSING:
            continue
        try:
            day = datetime.date.fromisoformat(date) if ISO_DATE.fullmatch(date) else None
        except ValueError:
            day = None
        if day is None or not FIRST_DAY <= day <= LAST_DAY:
            raise DriftError(SOURCE, where, f"line {number}: expected a date like 2020-04-20, got {date!r:.40}")
        try:
            number_value = float(value)
        except ValueError:
            number_value = math.nan
        if not math.isfinite(number_value):
            raise DriftError(SOURCE, where, f"line {number} ({date}): expected a number, got {value!r:.40}")
        rows.append((day.isoformat(), country, number_value))
    if not rows:
        raise UpstreamError(SOURCE, where, f"the CSV for {code} holds no observations")
    return tidy_frame(rows)
