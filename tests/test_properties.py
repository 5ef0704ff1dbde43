"""Property-based tests (Hypothesis): every parser round-trips well-formed random answers and meets random
garbage with the project's own error; the transforms keep their identities on random series.
"""

from __future__ import annotations

import io
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from app import transforms
from loaders.errors import LoaderError
from loaders.sources import energy_institute, fred, imf, opec, unhcr, worldbank

settings.register_profile(
    "dashboard", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.load_profile("dashboard")

COUNTRIES = ["VEN", "COL", "BRA", "WLD"]
HOSTS = ["COL", "PER", "BRA", "ESP", "USA", "CHL", "ECU"]
years = st.integers(min_value=1960, max_value=2030)
values = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)
maybe_values = st.none() | values
json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
garbage_bytes = st.binary(max_size=400)


def expected(rows: list[tuple], status: bool = False) -> pd.DataFrame:
    """The tidy frame a parser must return for (date, country, value[, status]) rows with values present."""
    columns = ["date", "country", "value"] + (["status"] if status else [])
    frame = pd.DataFrame([r for r in rows if r[2] is not None], columns=columns)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["value"] = frame["value"].astype(float)
    return frame.sort_values(["country", "date"], kind="stable").reset_index(drop=True)


def same(frame: pd.DataFrame, want: pd.DataFrame) -> None:
    assert list(frame.columns) == list(want.columns)
    assert frame["date"].tolist() == want["date"].tolist()
    assert frame["country"].tolist() == want["country"].tolist()
    assert frame["value"].tolist() == want["value"].tolist()
    if "status" in want:
        assert frame["status"].tolist() == want["status"].tolist()


def parse_or_own_error(parse, bodies: list[bytes], entry: dict) -> None:
    """Garbage that happens to be well-formed may parse; anything else must be one of the project's errors."""
    try:
        frame = parse(bodies, entry)
    except LoaderError as e:
        assert str(e).strip(), "the error says nothing"
        return
    assert list(frame.columns[:3]) == ["date", "country", "value"]


# ---------------------------------------------------------------- World Bank
WB_ENTRY = {"id": "inflation_cpi_wb_pct", "code": "FP.CPI.TOTL.ZG", "countries": COUNTRIES}


def wb_observation(year: int, country: str, value: float | None, code: str = "FP.CPI.TOTL.ZG") -> dict:
    return {
        "indicator": {"id": code, "value": "Inflation, consumer prices (annual %)"},
        "country": {"id": country[:2], "value": country},
        "countryiso3code": country,
        "date": str(year),
        "value": value,
        "unit": "",
        "obs_status": "",
        "decimal": 1,
    }


def wb_pages(observations: list[dict], per_page: int) -> list[bytes]:
    pages = [observations[i : i + per_page] for i in range(0, len(observations), per_page)] or [[]]
    return [
        json.dumps([{"page": n, "pages": len(pages), "per_page": per_page, "lastupdated": "2026-07-01"}, obs]).encode()
        for n, obs in enumerate(pages, start=1)
    ]


wb_series = st.dictionaries(st.tuples(st.sampled_from(COUNTRIES), years), maybe_values, min_size=1, max_size=40)


@given(data=wb_series, per_page=st.integers(1, 50), order=st.randoms())
def test_worldbank_well_formed_answers_round_trip(data, per_page, order):
    assume(any(v is not None for v in data.values()))
    observations = [wb_observation(y, c, v) for (c, y), v in data.items()]
    order.shuffle(observations)
    frame = worldbank.parse(wb_pages(observations, per_page), WB_ENTRY)
    same(frame, expected([(f"{y}-01-01", c, v) for (c, y), v in data.items()]))
    assert frame.attrs["source_last_updated"] == "2026-07-01"


@given(body=garbage_bytes)
def test_worldbank_random_bytes_raise_own_error(body):
    with pytest.raises(LoaderError):
        worldbank.parse([body], WB_ENTRY)


@given(doc=json_values)
def test_worldbank_random_json_raises_own_error(doc):
    parse_or_own_error(worldbank.parse, [json.dumps(doc).encode()], WB_ENTRY)


@given(field=st.sampled_from(["indicator", "countryiso3code", "date", "value"]), junk=json_values)
def test_worldbank_one_field_replaced_by_junk_raises_own_error(field, junk):
    observation = wb_observation(2018, "VEN", 1.5) | {field: junk}
    parse_or_own_error(worldbank.parse, wb_pages([observation], 10), WB_ENTRY)


@given(junk=json_values)
def test_worldbank_header_or_observation_list_replaced_by_junk(junk):
    parse_or_own_error(worldbank.parse, [json.dumps([{"page": 1}, junk]).encode()], WB_ENTRY)
    parse_or_own_error(worldbank.parse, [json.dumps([junk, [wb_observation(2018, "VEN", 1.0)]]).encode()], WB_ENTRY)


# ---------------------------------------------------------------- IMF
IMF_ENTRY = {
    "id": "inflation_avg_imf_pct",
    "code": "PCPIPCH",
    "countries": COUNTRIES,
    "first_projection_year": 2025,
    "last_actual_year": {"VEN": 2023},
}
imf_series = st.dictionaries(
    st.sampled_from(COUNTRIES), st.dictionaries(years, maybe_values, max_size=15), min_size=1, max_size=4
)


@given(data=imf_series)
def test_imf_well_formed_answers_round_trip(data):
    assume(any(v is not None for by_year in data.values() for v in by_year.values()))
    doc = {"values": {"PCPIPCH": {c: {str(y): v for y, v in ys.items()} for c, ys in data.items()}}, "api": {}}
    frame = imf.parse([json.dumps(doc).encode()], IMF_ENTRY)
    rows = []
    for country, by_year in data.items():
        last_actual = 2023 if country == "VEN" else 2024
        for year, value in by_year.items():
            status = "projection" if year >= 2025 else "estimate" if year > last_actual else "actual"
            rows.append((f"{year}-01-01", country, value, status))
    same(frame, expected(rows, status=True))


@given(body=garbage_bytes)
def test_imf_random_bytes_raise_own_error(body):
    with pytest.raises(LoaderError):
        imf.parse([body], IMF_ENTRY)


@given(doc=json_values)
def test_imf_random_json_raises_own_error(doc):
    parse_or_own_error(imf.parse, [json.dumps(doc).encode()], IMF_ENTRY)


@given(junk=json_values, where=st.sampled_from(["values", "code", "country", "year"]))
def test_imf_one_level_replaced_by_junk_raises_own_error(junk, where):
    doc = {"values": {"PCPIPCH": {"VEN": {"2018": 1.0}}}}
    if where == "values":
        doc["values"] = junk
    elif where == "code":
        doc["values"]["PCPIPCH"] = junk
    elif where == "country":
        doc["values"]["PCPIPCH"]["VEN"] = junk
    else:
        doc["values"]["PCPIPCH"]["VEN"] = {str(junk)[:8]: junk}
    parse_or_own_error(imf.parse, [json.dumps(doc).encode()], IMF_ENTRY)


# ---------------------------------------------------------------- FRED
FRED_ENTRY = {"id": "oil_price_wti_daily_usd_per_barrel", "code": "DCOILWTICO", "countries": ["WLD"]}
days = st.dates(min_value=pd.Timestamp("1946-01-01").date(), max_value=pd.Timestamp("2030-12-31").date())


@given(
    data=st.dictionaries(days, st.none() | values, min_size=1, max_size=60),
    header=st.sampled_from(fred.DATE_HEADERS),
    missing=st.sampled_from(fred.MISSING),
    crlf=st.booleans(),
)
def test_fred_well_formed_answers_round_trip(data, header, missing, crlf):
    assume(any(v is not None for v in data.values()))
    end = "\r\n" if crlf else "\n"
    lines = [f"{header},DCOILWTICO"] + [f"{d.isoformat()},{missing if v is None else repr(v)}" for d, v in data.items()]
    frame = fred.parse([(end.join(lines) + end).encode()], FRED_ENTRY)
    same(frame, expected([(d.isoformat(), "WLD", v) for d, v in data.items()]))


@given(body=garbage_bytes | st.text(max_size=300).map(str.encode))
def test_fred_random_bytes_raise_own_error(body):
    with pytest.raises(LoaderError):
        fred.parse([body], FRED_ENTRY)


@given(date=st.text(max_size=15), value=st.text(max_size=15))
def test_fred_random_cells_raise_own_error(date, value):
    body = f"observation_date,DCOILWTICO\n2020-01-02,1.5\n{date},{value}\n".encode()
    parse_or_own_error(fred.parse, [body], FRED_ENTRY)


# ---------------------------------------------------------------- UNHCR
FIELDS = ["refugees", "asylum_seekers", "oip"]
UNHCR_TOTAL = {
    "id": "displaced_abroad_from_ven_unhcr_persons",
    "code": "+".join(FIELDS),
    "countries": ["VEN"],
    "provisional_year": 2025,
}
UNHCR_BY_HOST = UNHCR_TOTAL | {"id": "displaced_abroad_by_host_country_unhcr_persons", "group_by": "country_of_asylum"}
UNHCR_BY_HOST["countries"] = ["*"]
counts = st.none() | st.integers(0, 10**7) | st.sampled_from(["", "-"]) | st.integers(0, 10**6).map(str)


def unhcr_item(year: int, host: str, numbers: list) -> dict:
    item = {"year": year, "coo_iso": "VEN", "coo": "VEN", "coa_iso": host, "coa": host, "returned_refugees": 0}
    return item | dict(zip(FIELDS, numbers, strict=True))


def as_count(value: object) -> float | None:
    return None if value in unhcr.MISSING else float(value)


def unhcr_pages(items: list[dict], per_page: int) -> list[bytes]:
    pages = [items[i : i + per_page] for i in range(0, len(items), per_page)]
    return [json.dumps({"page": n, "maxPages": len(pages), "items": p}).encode() for n, p in enumerate(pages, 1)]


unhcr_data = st.dictionaries(
    st.tuples(st.integers(1990, 2025), st.sampled_from(HOSTS + ["VEN"])),
    st.lists(counts, min_size=3, max_size=3),
    min_size=1,
    max_size=30,
)


@settings(max_examples=20)
@given(data=unhcr_data, per_page=st.integers(1, 10))
def test_unhcr_well_formed_answers_round_trip_both_ways(data, per_page):
    abroad = {key: [as_count(n) for n in numbers] for key, numbers in data.items() if key[1] != "VEN"}
    per_host = {key: None if all(c is None for c in cs) else sum(c or 0 for c in cs) for key, cs in abroad.items()}
    assume(any(v is not None for v in per_host.values()))
    bodies = unhcr_pages([unhcr_item(y, h, numbers) for (y, h), numbers in data.items()], per_page)

    totals: dict[int, float] = {}
    for (year, _), v in per_host.items():
        if v is not None:
            totals[year] = totals.get(year, 0.0) + v
    status = {y: "provisional" if y == 2025 else "actual" for y, _ in data}
    total_rows = [(f"{y}-01-01", "VEN", v, status[y]) for y, v in totals.items()]
    same(unhcr.parse(bodies, UNHCR_TOTAL), expected(total_rows, status=True))
    by_host = [(f"{y}-01-01", h, v, status[y]) for (y, h), v in per_host.items() if v]  # zero and missing left out
    if by_host:
        same(unhcr.parse(bodies, UNHCR_BY_HOST), expected(by_host, status=True))


@given(body=garbage_bytes)
def test_unhcr_random_bytes_raise_own_error(body):
    with pytest.raises(LoaderError):
        unhcr.parse([body], UNHCR_TOTAL)


@given(doc=json_values)
def test_unhcr_random_json_raises_own_error(doc):
    parse_or_own_error(unhcr.parse, [json.dumps(doc).encode()], UNHCR_TOTAL)


@given(field=st.sampled_from(["year", "coo_iso", "coa_iso", *FIELDS]), junk=json_values)
def test_unhcr_one_field_replaced_by_junk_raises_own_error(field, junk):
    item = unhcr_item(2018, "COL", [1, 2, 3]) | {field: junk}
    parse_or_own_error(unhcr.parse, unhcr_pages([item], 5), UNHCR_TOTAL)
    parse_or_own_error(unhcr.parse, unhcr_pages([item], 5), UNHCR_BY_HOST)


# ---------------------------------------------------------------- OPEC
OPEC_ENTRY = {"id": "oil_price_opec_basket_daily_usd_per_barrel", "code": "ORB", "countries": ["WLD"]}


def opec_body(rows: list[tuple[str, str]]) -> bytes:
    lines = "".join(f'<BasketList data="{d}" val="{v}" />\n' for d, v in rows)
    return (
        '<?xml version="1.0" encoding="utf-8" ?>\n<Basket xmlns="http://tempuri.org/basketDayArchives.xsd">\n'
        f"{lines}</Basket>\n"
    ).encode()


@settings(max_examples=20)
@given(data=st.dictionaries(days, values, min_size=1, max_size=60))
def test_opec_well_formed_answers_round_trip(data):
    frame = opec.parse([opec_body([(d.isoformat(), repr(v)) for d, v in data.items()])], OPEC_ENTRY)
    same(frame, expected([(d.isoformat(), "WLD", v) for d, v in data.items()]))


@given(body=garbage_bytes | st.text(max_size=300).map(lambda t: ("<" + t).encode()))
def test_opec_random_bytes_raise_own_error(body):
    with pytest.raises(LoaderError):
        opec.parse([body], OPEC_ENTRY)


@given(date=st.text(max_size=15), value=st.text(max_size=15))
def test_opec_random_attributes_raise_own_error(date, value):
    from xml.sax.saxutils import quoteattr

    body = opec_body([("2008-07-03", "140.73")]).replace(
        b"</Basket>", f"<BasketList data={quoteattr(date)} val={quoteattr(value)} /></Basket>".encode()
    )
    parse_or_own_error(opec.parse, [body], OPEC_ENTRY)


# ---------------------------------------------------------------- Energy Institute
EI_ENTRY = {"id": "oil_production_ei_thousand_barrels_per_day", "code": "Oil Production - barrels"}
EI_ENTRY["countries"] = ["VEN", "COL"]


def workbook(first_year: int, rows: dict[str, list]) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = "Oil Production - barrels"
    ws.append(["Oil: Production*"])
    width = max(len(v) for v in rows.values())
    ws.append(["Thousand barrels daily", *range(first_year, first_year + width)])
    for name, cells in rows.items():
        ws.append([name, *cells])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Three decimals, as the workbook has them (openpyxl writes floats to 15 significant digits).
ei_cells = st.lists(st.none() | st.floats(0, 1e5).map(lambda v: round(v, 3)) | st.just("-"), min_size=3, max_size=8)


@settings(max_examples=20)
@given(first_year=st.integers(1965, 2010), ven=ei_cells, col=ei_cells)
def test_energy_institute_well_formed_workbooks_round_trip(first_year, ven, col):
    width = max(len(ven), len(col))
    ven, col = ven + [None] * (width - len(ven)), col + [None] * (width - len(col))
    assume(any(isinstance(c, float) for c in ven + col))
    frame = energy_institute.parse([workbook(first_year, {"Venezuela": ven, "Colombia": col})], EI_ENTRY)
    rows = [
        (f"{first_year + i}-01-01", iso3, cell if isinstance(cell, float) else None)
        for iso3, cells in (("VEN", ven), ("COL", col))
        for i, cell in enumerate(cells)
    ]
    same(frame, expected(rows))


@settings(max_examples=30)
@given(body=garbage_bytes)
def test_energy_institute_random_bytes_raise_own_error(body):
    with pytest.raises(LoaderError):
        energy_institute.parse([body], EI_ENTRY)


@settings(max_examples=15)
@given(junk=st.text(st.characters(min_codepoint=32), max_size=10) | st.booleans() | st.floats())
def test_energy_institute_junk_cell_raises_own_error(junk):
    parse_or_own_error(energy_institute.parse, [workbook(2000, {"Venezuela": [1.0, junk, 3.0]})], EI_ENTRY)


# ---------------------------------------------------------------- nesting too deep for a recursive parser
@pytest.mark.parametrize(
    "module, entry",
    [(worldbank, WB_ENTRY), (imf, IMF_ENTRY), (unhcr, UNHCR_TOTAL)],
    ids=["worldbank", "imf", "unhcr"],
)
def test_deeply_nested_json_raises_own_error(module, entry):
    with pytest.raises(LoaderError):
        module.parse([b"[" * 200_000 + b"]" * 200_000], entry)


# ================================================================ transforms
def frame_of(dates, values_, country="VEN", status=None) -> pd.DataFrame:
    frame = pd.DataFrame({"date": pd.to_datetime(list(dates)), "country": country, "value": list(values_)})
    if status is not None:
        frame["status"] = list(status)
    return frame


constants = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).filter(lambda c: abs(c) > 1e-6)


@settings(max_examples=20)
@given(c=constants, start=st.integers(1960, 2000), n=st.integers(2, 40))
def test_change_from_year_ago_of_a_constant_is_zero(c, start, n):
    frame = frame_of([f"{y}-01-01" for y in range(start, start + n)], [c] * n)
    out = transforms.change_from_year_ago(frame)
    assert len(out) == n - 1
    assert all(abs(v) < 1e-9 for v in out["value"])


@settings(max_examples=15)
@given(c=constants, seed=st.integers(0, 2**32 - 1), keep=st.floats(0.05, 1.0))
def test_change_from_year_ago_of_a_constant_daily_series_with_gaps_is_zero(c, seed, keep):
    mask = np.random.default_rng(seed).random(800) < keep
    dates = pd.date_range("2018-01-01", periods=800)[mask]
    assume(len(dates) > 1)
    out = transforms.change_from_year_ago(frame_of(dates, [c] * len(dates)))
    assert all(abs(v) < 1e-9 for v in out["value"])


@settings(max_examples=20)
@given(a=st.floats(0.01, 1e6), g=st.floats(-0.9, 5.0), n=st.integers(2, 30))
def test_change_from_year_ago_of_steady_growth_is_the_growth_rate(a, g, n):
    frame = frame_of([f"{2000 + i}-01-01" for i in range(n)], [a * (1 + g) ** i for i in range(n)])
    assume(all(v != 0 and math.isfinite(v) for v in frame["value"]))
    out = transforms.change_from_year_ago(frame)
    assert out["value"].tolist() == pytest.approx([g * 100] * (n - 1), rel=1e-6, abs=1e-6)


@settings(max_examples=20)
@given(
    data=st.dictionaries(st.integers(1990, 2020), st.floats(0.001, 1e9), min_size=1, max_size=20),
    other=st.dictionaries(st.integers(1990, 2020), st.floats(0.001, 1e9), max_size=20),
    base=st.integers(1990, 2020),
)
def test_index_is_100_at_the_base_year_and_keeps_ratios(data, other, base):
    assume(base in data or base in other)  # no country with the base year: tested below
    frame = pd.concat(
        [
            frame_of([f"{y}-01-01" for y in data], data.values()),
            frame_of([f"{y}-01-01" for y in other], other.values(), "COL"),
        ]
    )
    out = transforms.index_to_year(frame, base)
    assert set(out["country"]) == {c for c, d in (("VEN", data), ("COL", other)) if base in d}
    for country, d in (("VEN", data), ("COL", other)):
        mine = out[out["country"] == country].set_index(out[out["country"] == country]["date"].dt.year)["value"]
        if base in d:
            assert mine[base] == pytest.approx(100.0)
            for year, v in d.items():
                assert mine[year] == pytest.approx(v / d[base] * 100.0)


def test_index_to_a_year_no_country_has_gives_an_empty_frame():
    frame = frame_of(["1990-01-01", "1991-01-01"], [1.0, 2.0])
    assert transforms.index_to_year(frame, 2005).empty


@settings(max_examples=20)
@given(c=values, native_wanted=st.sampled_from([("daily", "monthly"), ("daily", "annual"), ("monthly", "annual")]))
def test_resampling_a_constant_gives_the_constant(c, native_wanted):
    native, wanted = native_wanted
    dates = pd.date_range("2019-11-01", "2021-02-28", freq="D" if native == "daily" else "MS")
    out = transforms.to_frequency(frame_of(dates, [c] * len(dates)), native, wanted)
    assert len(out) == (16 if wanted == "monthly" else 3)
    assert out["value"].tolist() == pytest.approx([c] * len(out))
    assert all(d.day == 1 for d in out["date"]) and (wanted == "monthly" or all(d.month == 1 for d in out["date"]))


@settings(max_examples=20)
@given(monthly=st.lists(values, min_size=12, max_size=12).flatmap(lambda y: st.just(y)), years_=st.integers(1, 4))
def test_to_frequency_preserves_the_mean_of_complete_years(monthly, years_):
    series = monthly * years_
    dates = pd.date_range("2001-01-01", periods=12 * years_, freq="MS")
    out = transforms.to_frequency(frame_of(dates, series), "monthly", "annual")
    assert len(out) == years_
    assert out["value"].tolist() == pytest.approx([sum(monthly) / 12] * years_, rel=1e-9, abs=1e-6)
    assert out["value"].mean() == pytest.approx(sum(series) / len(series), rel=1e-9, abs=1e-6)


@settings(max_examples=20)
@given(values_=st.lists(values, min_size=1, max_size=90), start=st.dates(pd.Timestamp("2000-01-01").date()))
def test_to_frequency_gives_each_period_the_mean_of_its_days(values_, start):
    dates = pd.date_range(start, periods=len(values_), freq="D")
    frame = frame_of(dates, values_)
    out = transforms.to_frequency(frame, "daily", "monthly").set_index("date")["value"]
    want = frame.groupby(frame["date"].dt.to_period("M").dt.start_time)["value"].mean()
    assert out.index.tolist() == want.index.tolist()
    assert out.tolist() == pytest.approx(want.tolist(), rel=1e-9, abs=1e-6)


@settings(max_examples=20)
@given(statuses=st.lists(st.sampled_from(["actual", "projection"]), min_size=24, max_size=24))
def test_an_annual_average_touching_a_projection_is_a_projection(statuses):
    dates = pd.date_range("2020-01-01", periods=24, freq="MS")
    out = transforms.to_frequency(frame_of(dates, [1.0] * 24, status=statuses), "monthly", "annual")
    for year, part in ((2020, statuses[:12]), (2021, statuses[12:])):
        got = out.loc[out["date"].dt.year == year, "status"].item()
        assert got == ("projection" if "projection" in part else "actual")


@given(
    values_=st.lists(values, min_size=1, max_size=3000),
    max_points=st.integers(3, 400),
)
def test_thin_for_drawing_keeps_the_extremes_the_ends_and_only_real_rows(values_, max_points):
    frame = frame_of(pd.date_range("2000-01-01", periods=len(values_), freq="D"), values_)
    out = transforms.thin_for_drawing(frame, max_points=max_points)
    assert out["value"].max() == frame["value"].max() and out["value"].min() == frame["value"].min()
    assert out["date"].iloc[0] == frame["date"].iloc[0] and out["date"].iloc[-1] == frame["date"].iloc[-1]
    assert out["date"].is_monotonic_increasing
    real = set(zip(frame["date"], frame["value"], strict=True))
    assert set(zip(out["date"], out["value"], strict=True)) <= real
    assert len(out) <= max(len(frame) if len(frame) <= max_points else 0, 4 * max_points)


@given(values_=st.lists(values, min_size=0, max_size=50))
def test_split_for_log_is_a_partition(values_):
    frame = frame_of(pd.date_range("2000-01-01", periods=len(values_), freq="D"), values_)
    shown, left_out = transforms.split_for_log(frame)
    assert len(shown) + len(left_out) == len(frame)
    assert (shown["value"] > 0).all() and (left_out["value"] <= 0).all()
