"""OPEC source: the daily basket XML, bad rows, a wrong root and XML that must not be parsed."""

import time
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest

from loaders.errors import DriftError
from loaders.sources import opec

FIXTURES = Path(__file__).parent / "fixtures" / "opec"
ENTRY = {"id": "oil_price_opec_basket_daily_usd_per_barrel", "source": "opec", "code": "ORB", "countries": ["WLD"]}
LIVE = "https://www.opec.org/basket/basketDayArchives.xml"


def test_fetch_downloads_the_one_archive_file(fake_http):
    body = (FIXTURES / "basket.xml").read_bytes()
    http = fake_http(body)
    assert [r.body for r in opec.fetch(ENTRY, http)] == [body]
    assert http.calls == [("opec", LIVE)]


def test_parse_reads_every_day_under_the_namespace():
    frame = opec.parse([(FIXTURES / "basket.xml").read_bytes()], ENTRY)
    assert list(frame.columns) == ["date", "country", "value"]
    assert frame["date"].tolist() == [pd.Timestamp(d) for d in ("2008-07-02", "2008-07-03", "2008-07-04", "2008-12-24")]
    assert frame["value"].tolist() == [137.73, 140.73, 140.13, 33.36]
    assert set(frame["country"]) == {"WLD"}


def test_a_bad_value_raises_drift_error_naming_the_row_and_attribute():
    with pytest.raises(DriftError, match=r"row 3 \(2008-07-04\): val='n.a.'"):
        opec.parse([(FIXTURES / "basket_bad_value_row3.xml").read_bytes()], ENTRY)


def test_a_bad_or_missing_date_raises_drift_error_naming_the_row_and_attribute():
    body = b'<Basket><BasketList data="2008-07-02" val="1" /><BasketList data="03/07/2008" val="2" /></Basket>'
    with pytest.raises(DriftError, match="row 2: data='03/07/2008'"):
        opec.parse([body], ENTRY)
    with pytest.raises(DriftError, match="row 1: data=None"):
        opec.parse([b'<Basket><BasketList date="2008-07-02" val="1" /></Basket>'], ENTRY)


def test_a_root_other_than_basket_raises_drift_error():
    body = b'<Prices xmlns="http://tempuri.org/x.xsd"><BasketList data="2008-07-02" val="1" /></Prices>'
    with pytest.raises(DriftError, match="root element is <Prices>, expected <Basket>"):
        opec.parse([body], ENTRY)


def test_a_basket_without_rows_raises_drift_error():
    with pytest.raises(DriftError, match="no <BasketList"):
        opec.parse([b'<Basket xmlns="http://tempuri.org/basketDayArchives.xsd"></Basket>'], ENTRY)


def test_entity_declarations_are_refused_before_parsing():
    names = "abcdefghi"  # each entity is ten of the previous one: 10**8 characters if expanded
    entities = "".join(f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in pairwise(names))
    bomb = f'<?xml version="1.0"?><!DOCTYPE Basket [<!ENTITY a "aaaaaaaaaa">{entities}]>'
    bomb += '<Basket><BasketList data="2008-07-02" val="&i;" /></Basket>'
    started = time.perf_counter()
    with pytest.raises(DriftError, match="DOCTYPE or ENTITY"):
        opec.parse([bomb.encode()], ENTRY)
    assert time.perf_counter() - started < 1


def test_an_html_page_or_a_non_xml_body_raises_drift_error():
    with pytest.raises(DriftError, match="DOCTYPE"):
        opec.parse([b"<!DOCTYPE html><html><body>Page not found</body></html>"], ENTRY)
    with pytest.raises(DriftError, match="not XML"):
        opec.parse([b'{"error": "maintenance"}'], ENTRY)
    with pytest.raises(DriftError, match="not well-formed"):
        opec.parse([b'<Basket><BasketList data="2008-07-02" val="1"></Basket>'], ENTRY)
