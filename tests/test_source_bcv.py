"""BCV source: the USD row of every daily sheet of hand-made .xls workbooks; a moved layout names its sheet."""

from __future__ import annotations

import io

import pytest
import xlwt

from loaders.errors import DriftError
from loaders.sources import bcv

ENTRY = {"id": "exchange_rate_bcv_ves_per_usd", "code": "USD", "countries": ["VEN"], "workbooks": ["q1.xls", "q2.xls"]}


def workbook(days: dict[str, float], usd_row: int = 14, ask_title: str = "Venta (ASK)") -> bytes:
    """A workbook laid out like the BCV's: titles in rows 7-8, one row per currency, one sheet per day."""
    book = xlwt.Workbook()
    for name, rate in days.items():
        sheet = book.add_sheet(name)
        sheet.write(0, 1, "BANCO CENTRAL DE VENEZUELA")
        sheet.write(7, 3, "(a) Cotización M.E./US$")
        sheet.write(7, 5, "Bs./M.E.")
        for col, title in enumerate(["Moneda/País", "Compra (BID)", "Venta (ASK)", "Compra (BID)", ask_title], start=2):
            sheet.write(8, col, title)
        sheet.write(10, 1, "EUR")
        sheet.write(10, 2, "Zona Euro")
        sheet.write(10, 5, rate * 1.08)
        sheet.write(10, 6, rate * 1.09)
        sheet.write(usd_row, 1, "USD")
        sheet.write(usd_row, 2, "E.U.A.")
        sheet.write(usd_row, 3, 1.0)
        sheet.write(usd_row, 4, 1.0)
        sheet.write(usd_row, 5, rate - 0.1)
        sheet.write(usd_row, 6, rate)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_every_sheet_gives_one_day_of_the_usd_selling_rate():
    q1 = workbook({"03012025": 53.012, "02012025": 52.5723})  # newest sheet first, as the BCV orders them
    q2 = workbook({"13102025": 197.2456}, usd_row=16)  # a row more above USD still reads
    frame = bcv.parse([q1, q2], ENTRY)
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-02", "2025-01-03", "2025-10-13"]
    assert frame["value"].tolist() == [52.5723, 53.012, 197.2456]
    assert set(frame["country"]) == {"VEN"}


def test_moved_column_titles_name_the_workbook_and_sheet():
    bad = workbook({"02012025": 52.5723}, ask_title="Venta")
    with pytest.raises(DriftError, match=r"q2\.xls, sheet 02012025: expected the titles 'Bs\./M\.E\.' and"):
        bcv.parse([workbook({"03012025": 53.0}), bad], ENTRY)


def test_a_sheet_not_named_by_its_day_is_named():
    with pytest.raises(DriftError, match=r"q1\.xls, sheet 'Resumen': expected a sheet name like 02012025"):
        bcv.parse([workbook({"Resumen": 1.0}), workbook({"02012025": 52.5})], ENTRY)


def test_a_day_in_two_workbooks_is_drift():
    with pytest.raises(DriftError, match="day 2025-01-02 is also a sheet of q1.xls"):
        bcv.parse([workbook({"02012025": 52.5}), workbook({"02012025": 52.5})], ENTRY)


def test_not_a_workbook_is_named():
    with pytest.raises(DriftError, match=r"q1\.xls is not a readable \.xls workbook"):
        bcv.parse([b"<html>not found</html>", workbook({"02012025": 52.5})], ENTRY)


def test_fetch_asks_for_each_listed_workbook(fake_http):
    http = fake_http(b"")
    bcv.fetch(ENTRY, http)
    assert http.urls == [
        "https://www.bcv.org.ve/sites/default/files/EstadisticasGeneral/q1.xls",
        "https://www.bcv.org.ve/sites/default/files/EstadisticasGeneral/q2.xls",
    ]
