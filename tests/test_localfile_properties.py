"""Property-based checks of the local-file validator (Hypothesis):

1. any well-formed CSV, written in any of the accepted ways (BOM, CRLF, comments, quotes, column order,
   header case, padding, number spellings), is accepted and gives exactly the values written;
2. any bytes at all are either refused with a ValidationError or accepted, and then the values agree
   with an independent reading of the file;
3. whatever is accepted is written as a snapshot and read back (``loaders.store``) to the same frame.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import store
from loaders.errors import ValidationError
from loaders.localfile import STATUSES, read_table

COUNTRIES = ["VEN", "COL", "WLD", "ESP"]
FORMATS = ["YYYY", "YYYY-MM", "YYYY-MM-DD"]
ENTRY = {"id": "prop_series_anything", "source": "local", "unit": "anything", "countries": ["*"]}
UNITS = {"anything": {"en": "", "es": "", "min": float("-inf"), "max": float("inf")}}


def date_text(fmt: str):
    if fmt == "YYYY":
        return st.integers(1800, 2100).map(lambda y: f"{y:04d}")
    if fmt == "YYYY-MM":
        return st.tuples(st.integers(1800, 2100), st.integers(1, 12)).map(lambda t: f"{t[0]:04d}-{t[1]:02d}")
    return st.dates(pd.Timestamp("1800-01-01").date(), pd.Timestamp("2100-12-31").date()).map(lambda d: d.isoformat())


def iso_of(text: str) -> str:
    return {4: f"{text}-01-01", 7: f"{text}-01"}.get(len(text), text)


finite = st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def number_text(draw) -> str:
    value = draw(finite)
    spelling = draw(st.sampled_from(["repr", "17g", "e", "int", "plus"]))
    if spelling == "int" and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if spelling == "17g":
        return f"{value:.17g}"
    if spelling == "e":
        return f"{value:e}"
    if spelling == "plus" and math.copysign(1.0, value) > 0:
        return "+" + repr(value)
    return repr(value)


@st.composite
def good_csvs(draw) -> tuple[bytes, dict, str | None]:
    """A well-formed file and what it holds: {(country, iso date): (value, status)}."""
    fmt = draw(st.sampled_from(FORMATS))
    with_country, with_status = draw(st.booleans()), draw(st.booleans())
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(COUNTRIES if with_country else ["VEN"]), date_text(fmt)),
            min_size=1,
            max_size=25,
            unique=True,
        )
    )
    rows, expected = [], {}
    for index, (country, date) in enumerate(keys):
        value = "" if index and draw(st.integers(0, 5)) == 0 else draw(number_text())
        status = draw(st.sampled_from(("",) + STATUSES)) if with_status else ""
        rows.append({"date": date, "value": value, "country": country, "status": status})
        if value:
            expected[(country, iso_of(date))] = (float(value), status)
    columns = ["date", "value"] + (["country"] if with_country else []) + (["status"] if with_status else [])
    columns = draw(st.permutations(columns))
    header = [draw(st.sampled_from([c, c.upper(), c.title(), f" {c} "])) for c in columns]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    pad = draw(st.sampled_from(["", " "]))
    buffer = io.StringIO()
    for _ in range(draw(st.integers(0, 2))):
        buffer.write(f"# a note, with a comma; and ünïcode{newline}")
    writer = csv.writer(buffer, lineterminator=newline, quoting=quoting)
    writer.writerow(header)
    for row in rows:
        writer.writerow([f"{pad}{row[c]}{pad}" if row[c] else row[c] for c in columns])
    buffer.write(newline * draw(st.integers(0, 2)))
    data = buffer.getvalue().encode("utf-8")
    if draw(st.booleans()):
        data = codecs.BOM_UTF8 + data
    return data, expected, None if with_country else "VEN"


def as_dict(frame: pd.DataFrame) -> dict:
    status = frame["status"] if "status" in frame.columns else pd.Series("", index=frame.index)
    return {
        (c, f"{d:%Y-%m-%d}"): (v, s)
        for c, d, v, s in zip(frame["country"], frame["date"], frame["value"], status, strict=True)
    }


def round_trip(frame: pd.DataFrame) -> pd.DataFrame:
    """Write the frame as a snapshot and read it back as the dashboard does."""
    store.check_frame(frame, ENTRY, UNITS, where="property")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "snapshots" / f"{ENTRY['id']}.csv"
        path.parent.mkdir()
        path.write_bytes(store.to_csv_bytes(frame))
        return store.read_snapshot(Path(folder), ENTRY["id"])


def same_values(a: dict, b: dict) -> bool:
    """Equal keys and statuses, and values equal as floats (so -0.0 == 0.0, but no rounding allowed)."""
    return a.keys() == b.keys() and all(a[k][0] == b[k][0] and a[k][1] == b[k][1] for k in a)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(good_csvs())
def test_well_formed_csv_is_accepted_with_exactly_its_values(sample):
    data, expected, country = sample
    if not expected:
        return  # every value empty: refused as 'no observations' (tested elsewhere)
    frame = read_table(data, "generated.csv", country=country)
    assert same_values(as_dict(frame), expected)
    assert frame.equals(frame.sort_values(["country", "date"]).reset_index(drop=True))
    back = round_trip(frame)
    assert same_values(as_dict(back), expected), "the snapshot does not load back to the same values"


def independent_reading(data: bytes, country: str) -> dict:
    """What an accepted file holds, read without the validator: csv module, '#' lines before the header skipped."""
    text = data.decode("utf-8-sig")
    rows = [r for r in csv.reader(io.StringIO(text, newline="")) if any(cell.strip() for cell in r)]
    while rows[0][0].lstrip().startswith("#"):
        rows.pop(0)
    names = [h.strip().lower() for h in rows[0]]
    found = {}
    for row in rows[1:]:
        cell = dict(zip(names, (c.strip() for c in row), strict=False))
        if cell.get("value"):
            key = (cell.get("country") or country, iso_of(cell["date"]))
            found[key] = (float(cell["value"]), cell.get("status", ""))
    return found


TOKENS = st.sampled_from(
    ["date", "value", "country", "status", "Date", "2019", "2020", "2020-01", "2020-02-29", "2021-02-29", "1.5", "-3"]
    + ["1e3", "+7", "1,5", "1.234,5", "VEN", "COL", "ven", "XX", "", " ", "actual", "projection", "=1+1", "#", "NA"]
    + ["01/02/2020", "\u00e9", "\ufeff"]
)


@st.composite
def csv_like(draw) -> bytes:
    """Mostly valid cells with some corrupted ones, so that both acceptance and refusal are common."""
    columns = draw(st.sampled_from([["date", "value"], ["date", "value", "country"], ["value", "date", "status"]]))
    fmt = draw(st.sampled_from(FORMATS))
    valid = {
        "date": date_text(fmt),
        "value": st.one_of(number_text(), st.just("")),
        "country": st.sampled_from(COUNTRIES),
        "status": st.sampled_from(("",) + STATUSES),
    }
    lines = [",".join(columns)] if draw(st.integers(0, 5)) else []
    for _ in range(draw(st.integers(0, 8))):
        cells = [
            draw(valid[c] if draw(st.integers(0, 30)) else st.one_of(TOKENS, st.text(max_size=4))) for c in columns
        ]
        if not draw(st.integers(0, 30)):
            cells = cells[: draw(st.integers(0, len(cells)))] + draw(st.lists(TOKENS, max_size=2))
        lines.append(("," if draw(st.integers(0, 15)) else ";").join(cells))
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8"] * 6 + ["utf-8-sig", "latin-1", "utf-16"]))
    return text.encode(encoding, errors="replace")


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(csv_like(), st.binary(max_size=200)))
def test_any_bytes_are_refused_or_read_as_an_independent_reader_sees_them(data):
    try:
        frame = read_table(data, "anything.csv", country="VEN")
    except ValidationError:
        return
    expected = independent_reading(data, "VEN")
    assert same_values(as_dict(frame), expected)
    assert same_values(as_dict(round_trip(frame)), expected)
