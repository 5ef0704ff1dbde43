"""OPEC Reference Basket: the daily price archive, one XML file since 2003.

>>> body = (b'<Basket xmlns="http://tempuri.org/basketDayArchives.xsd">'
...         b'<BasketList data="2008-07-03" val="140.73" /></Basket>')
>>> parse([body], {"countries": ["WLD"]})
        date country   value
0 2008-07-03     WLD  140.73
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pandas as pd

from ..errors import DriftError
from ..http import Http, Response
from ..tidy import tidy_frame

SOURCE = "opec"
SHORT_NAME = ("OPEC", "OPEP")
DEFAULT_COUNTRIES = ["WLD"]  # the basket is a world market price
URL = "https://www.opec.org/basket/basketDayArchives.xml"
DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
YEARS = range(1800, 2201)


def fetch(entry: dict, http: Http) -> list[Response]:
    """The whole archive, one file."""
    return [http.get(SOURCE, URL)]


def parse(bodies: list[bytes], entry: dict) -> pd.DataFrame:
    """One row per ``<BasketList data="YYYY-MM-DD" val="..."/>``, filed under ``entry["countries"][0]``."""
    root = _root(bodies[0])
    if _local(root.tag) != "Basket":
        raise DriftError(SOURCE, URL, f"root element is <{_local(root.tag)}>, expected <Basket>")
    country = entry["countries"][0]
    rows = []
    for n, element in enumerate((e for e in root if _local(e.tag) == "BasketList"), start=1):
        day, value = element.get("data"), element.get("val")
        try:
            date = datetime.strptime(day, "%Y-%m-%d") if day and ISO_DATE.fullmatch(day) else None
        except ValueError:
            date = None
        if date is None or date.year not in YEARS:
            raise DriftError(SOURCE, URL, f"BasketList row {n}: data={day!r:.40} is not a YYYY-MM-DD date")
        try:
            price = float(value or "")
        except ValueError:
            price = math.nan
        if not math.isfinite(price):
            raise DriftError(SOURCE, URL, f"BasketList row {n} ({day}): val={value!r:.40} is not a price")
        rows.append((date, country, price))
    if not rows:
        raise DriftError(SOURCE, URL, "no <BasketList data=... val=...> rows under <Basket>")
    return tidy_frame(rows)


def _root(body: bytes) -> ET.Element:
    """Parse the XML; refuse DTD and entity declarations (entity-expansion bombs) and bodies not starting "<"."""
    start = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start != b"<":
        raise DriftError(SOURCE, URL, f"answer is not XML: starts {body[:40]!r}")
    if b"\x00" in body:  # UTF-16/32 would hide a declaration from the check below; the archive is UTF-8
        raise DriftError(SOURCE, URL, "answer has NUL bytes (not UTF-8 XML); not parsed")
    if DECLARATION.search(body):
        raise DriftError(SOURCE, URL, "answer has a DOCTYPE or ENTITY declaration (an HTML page?); not parsed")
    try:
        return ET.fromstring(body)
    except (ET.ParseError, ValueError, LookupError) as e:  # LookupError: an unknown declared encoding
        raise DriftError(SOURCE, URL, f"answer is not well-formed XML: {str(e)[:120]}") from None


def _local(tag: str) -> str:
    """A tag without its ``{namespace}``."""
    return tag.rpartition("}")[2]
