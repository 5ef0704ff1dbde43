"""Bad files are refused by every way in, with a message naming file, line, column and what was expected,
and nothing is written: ``python -m loaders add local``, a refresh of a local entry, and the dashboard upload.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.runtime.upload import read_upload
from loaders.__main__ import main
from loaders.errors import ValidationError
from loaders.http import Http
from loaders.localfile import MAX_BYTES, read_table
from loaders.refresh import refresh
from tests.publishers import copy_data_dir

ENTRY_ID = "my_series_local_pct"
LOCAL_FLAGS = [
    "--title",
    "My series",
    "--unit",
    "pct",
    "--publisher",
    "Test publisher",
    "--licence",
    "CC BY 4.0",
    "--citation",
    "Test publisher (2025), My series.",
    "--country",
    "VEN",
]


def xlsx(rows: list[list[object]], sheet: str = "Sheet1") -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class Bad:
    """A bad file (or a bad request for a good file) and the words the refusal must contain."""

    name: str
    data: bytes
    expected: list[str]
    flags: list[str] = field(default_factory=list)  # extra/overriding flags for `add local`
    upload: bool = True  # the dashboard upload refuses it too (False: only the catalog entry makes it bad)
    refresh: bool = True  # a refresh of an entry naming this file refuses it too


GOOD = b"date,value\n2019,1.5\n2020,2.5\n"
TOO_BIG = b"date,value\n" + b"2019,1\n" * (MAX_BYTES // 7 + 1)
LATIN1_AND_TOO_BIG = b"date,value\n2019,caf\xe9\n" + b"2019,1\n" * (MAX_BYTES // 7)
BAD = [
    Bad("empty.csv", b"", ["empty.csv: the file is empty (0 bytes); expected a header line such as 'date,value'"]),
    Bad("header_only.csv", b"date,value\n", ["header_only.csv: has a header but no data rows below it"]),
    Bad(
        "no_value.csv",
        b"date,price_index\n2019,1\n",
        [
            "no_value.csv: 2 problems; nothing was read.",
            "line 1: column 'price_index' is not part of the format; expected only date, value, country, status",
            "line 1: there is no 'value' column (the header is 'date, price_index'); expected the columns date,value",
        ],
    ),
    Bad(
        "amount.csv",
        b"date,amount\n2019,1\n",
        ["amount.csv, line 1: column 'amount' is not part of the format (rename it to 'value')"],
    ),
    Bad(
        "no_date.csv",
        b"fecha,value\n2019,1\n",
        ["no_date.csv, line 1: column 'fecha' is not part of the format (rename it to 'date')"],
    ),
    Bad(
        "day_month.csv",
        b"date,value\n01/02/2020,1\n",
        ["day_month.csv, line 2, column 'date': '01/02/2020' has day and month in an order that cannot be told apart"],
    ),
    Bad(
        "mixed_dates.csv",
        b"date,value\n2019,1\n2020-03,2\n",
        [
            "mixed_dates.csv, line 3, column 'date': dates mix formats: '2019' on line 2 is YYYY, '2020-03' is "
            "YYYY-MM; expected one format for the whole file"
        ],
    ),
    Bad(
        "impossible_date.csv", b"date,value\n2019-02-30,1\n", ["line 2, column 'date': '2019-02-30' is not a real date"]
    ),
    Bad(
        "time_of_day.csv",
        b"date,value\n2020-01-01 12:00,1\n",
        ["line 2, column 'date': '2020-01-01 12:00' has a time of day; expected YYYY-MM-DD (e.g. 2020-04-20)"],
    ),
    Bad("empty_date.csv", b"date,value\n2019,1\n,5\n", ["line 3, column 'date': the date is empty"]),
    Bad(
        "not_a_number.csv",
        b"date,value\n2019,abc\n",
        ["line 2, column 'value': 'abc' is not a number; expected a plain number like 1234.5"],
    ),
    Bad(
        "missing_marker.csv",
        b"date,value\n2019,n/a\n",
        ["line 2, column 'value': 'n/a' is not a number; leave the cell empty for a missing observation"],
    ),
    Bad(
        "thousands_comma.csv",
        b'date,value\n2019,"1,234.5"\n',
        ["line 2, column 'value': '1,234.5' uses ',' as a thousands separator; expected a plain number like 1234.5"],
    ),
    Bad(
        "european.csv",
        b'date,value\n2019,"1.234,5"\n',
        ["line 2, column 'value': '1.234,5' uses '.' for thousands and ',' for decimals"],
    ),
    Bad(
        "decimal_comma.csv",
        b'date,value\n2019,"3,5"\n',
        ["'3,5' has a comma, which could be a decimal comma or a thousands separator, so it is not guessed"],
    ),
    Bad(
        "unquoted_thousands.csv",
        b"date,value\n2019,1,234.5\n",
        ["line 2: has 3 cells but the header has 2 (date,value); expected one cell per column"],
    ),
    Bad("percent.csv", b"date,value\n2019,12%\n", ["'12%' has a '%' sign"]),
    Bad(
        "semicolons.csv",
        b"date;value\n2019;3,5\n",
        ["semicolons.csv, line 1: columns are separated by ';' ('date;value'); expected commas"],
    ),
    Bad(
        "duplicates.csv",
        b"date,value\n2019,1\n2020,2\n2019,3\n",
        ["line 4, column 'date': date '2019' for VEN is also on line 2; expected one row per date"],
    ),
    Bad(
        "too_big.csv",
        TOO_BIG,
        [f"too_big.csv: the file is {len(TOO_BIG):,} bytes, over the 5,242,880-byte limit (5 MB)"],
    ),
    Bad(
        "latin1.csv",
        "# Fuente: índice\ndate,value\n2019,1\n".encode("latin-1"),
        ["byte offset 10 (line 1, byte 11 of that line) is 0xED, which is not valid UTF-8", "that byte is 'í'"],
    ),
    Bad(
        "utf16.csv",
        "date,value\n2019,1\n".encode("utf-16"),
        ["utf16.csv: is UTF-16 (byte order mark FF FE at byte 0); expected UTF-8"],
    ),
    Bad(
        "unknown_country.csv",
        b"date,value,country\n2019,1,XXX\n",
        ["line 2, column 'country': 'XXX' is not a known country code; expected an ISO 3166-1 alpha-3 code"],
    ),
    Bad(
        "country_name.csv",
        b"date,value,country\n2019,1,Venezuela\n",
        ["line 2, column 'country': 'Venezuela' is a name; expected its ISO3 code VEN"],
    ),
    Bad(
        "other_country.csv",
        b"date,value,country\n2019,1,COL\n",
        ["line 2, column 'country': 'COL' is not among this series' countries (VEN)"],
        upload=False,
    ),
    Bad(
        "formula_status.csv",
        b'date,value,status\n2019,1,"=HYPERLINK(""http://x"",""click"")"\n',
        ["line 2, column 'status': '=HYPERLINK(\"http://x\",\"click\")' is not a status; expected one of actual"],
    ),
    Bad(
        "formula_value.csv",
        b"date,value\n2019,=SUM(A1:A3)\n",
        ["line 2, column 'value': '=SUM(A1:A3)' looks like a spreadsheet formula, not a number"],
    ),
    Bad("all_empty.csv", b"date,value\n2019,\n2020,\n", ["has no observations: every value cell is empty"]),
    Bad(
        "implausible.csv",
        b"date,value\n2019,-150\n",
        ["value -150 for VEN on 2019-01-01 is outside the plausible range for unit 'pct' (-100 to 1e+06)"],
        upload=False,
    ),
    Bad(
        "monthly.csv",
        b"date,value\n2019-01,1\n2019-02,2\n",
        ["the dates are YYYY-MM but the entry says frequency: annual; expected frequency: monthly"],
        flags=["--frequency", "annual"],
        upload=False,
        refresh=False,
    ),
    Bad("workbook.csv", xlsx([["date", "value"], [2019, 1]]), ["is an Excel workbook (a zip file), not CSV text"]),
    Bad(
        "old.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 60, ["old.xls: is an old Excel .xls workbook; expected .xlsx or .csv"]
    ),
    Bad(
        "formula.xlsx",
        xlsx([["date", "value"], [2019, 1], [2020, "=B2*2"]]),
        ["row 3, column B: holds a formula ('=B2*2') with no saved result"],
    ),
    Bad(
        "sheet.xlsx",
        xlsx([["date", "value"], [2019, 1]], sheet="Numbers"),
        ["sheet.xlsx: has no sheet 'Data'; expected one of: 'Numbers'"],
        flags=["--sheet", "Data"],
        upload=False,
    ),
    Bad(
        "excel_text.xlsx",
        xlsx([["date", "value"], [datetime(2019, 1, 1), "1.234,5"], [datetime(2019, 1, 1), 2]]),
        [
            "(sheet 'Sheet1'): 2 problems",
            "row 2, column B ('value'): '1.234,5' uses '.' for thousands and ',' for decimals",
            "row 3, column A ('date'): date '2019-01-01' for VEN is also on row 2",
        ],
    ),
    Bad(
        "combined.csv",
        b"# notes\ndate,value,country\n2019,1.5,VEN\n2019,2,VEN\n01/02/2020,x,XXX\n2021,n/a,ven\n",
        [
            "combined.csv: 6 problems; nothing was read. Fix them and try again:",
            "  - line 4, column 'date': date '2019' for VEN is also on line 3",
            "  - line 5, column 'date': '01/02/2020' has day and month in an order",
            "  - line 5, column 'value': 'x' is not a number",
            "  - line 5, column 'country': 'XXX' is not a known country code",
            "  - line 6, column 'value': 'n/a' is not a number; leave the cell empty for a missing observation",
            "  - line 6, column 'country': 'ven' must be upper case: VEN",
        ],
    ),
    Bad(
        "combined_encoding_and_size.csv",
        LATIN1_AND_TOO_BIG,
        [f"the file is {len(LATIN1_AND_TOO_BIG):,} bytes, over the 5,242,880-byte limit"],
    ),
]
# Requests that are bad although the file is good: only `add` sees them.
BAD_REQUESTS = [
    Bad(
        "good.csv",
        GOOD,
        ["id 'inflation_cpi_wb_pct' is already in the catalog (worldbank FP.CPI.TOTL.ZG"],
        flags=["--id", "inflation_cpi_wb_pct"],
    ),
    Bad(
        "good.csv",
        GOOD,
        ["--id '../../etc/passwd_pct' is not a safe file name; expected snake_case"],
        flags=["--id", "../../etc/passwd_pct"],
    ),
    Bad("good.csv", GOOD, ["--id 'my_series' must end in its unit: '_pct'"], flags=["--id", "my_series"]),
    Bad(
        "good.csv",
        GOOD,
        ["--citation holds '=HYPERLINK", "which a spreadsheet would run as a formula"],
        flags=["--citation", '=HYPERLINK("http://x")'],
    ),
    Bad(
        "good.csv",
        GOOD,
        ["field 'url' is 'javascript:alert(1)'; expected a web address"],
        flags=["--url", "javascript:alert(1)"],
    ),
    Bad("good.csv", GOOD, ["--country: 'XXX' is not a known country code"], flags=["--country", "XXX"]),
    Bad(
        "good.csv",
        GOOD,
        ["--unit 'percent' is not a unit of the catalog; expected one of: pct,"],
        flags=["--unit", "percent"],
    ),
    Bad("good.csv", GOOD, ["a local file carries no metadata, so pass --licence"], flags=["--licence", ""]),
]


def files_of(data_dir: Path) -> dict[str, bytes]:
    """Every data file under the folder (lock files excluded), to show that nothing was written."""
    return {
        str(p.relative_to(data_dir)): p.read_bytes()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def flags_for(case: Bad) -> list[str]:
    flags = list(LOCAL_FLAGS)
    for i in range(0, len(case.flags), 2):
        key, value = case.flags[i], case.flags[i + 1]
        if key in flags and key != "--country":
            flags[flags.index(key) + 1] = value
        elif key == "--country":
            flags[flags.index("--country") + 1] = value
        else:
            flags += [key, value]
    return flags


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    return copy_data_dir(tmp_path / "data")


@pytest.mark.parametrize("case", BAD, ids=[case.name for case in BAD])
def test_add_refuses_bad_file_and_writes_nothing(case: Bad, data_copy: Path, capsys):
    (data_copy / "local" / case.name).write_bytes(case.data)
    before = files_of(data_copy)
    code = main(["--data-dir", str(data_copy), "add", "local", case.name, *flags_for(case)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: ")
    for words in case.expected:
        assert words in err, f"{words!r} not in {err!r}"
    if case.name != "sheet.xlsx" and "the plausible range" not in case.expected[0]:
        assert f"{data_copy}/local/{case.name}" in err, "the message names the file where the analyst put it"
    assert files_of(data_copy) == before, "a refused file wrote something"


@pytest.mark.parametrize("case", BAD_REQUESTS, ids=[c.expected[0][:40] for c in BAD_REQUESTS])
def test_add_refuses_bad_request_and_writes_nothing(case: Bad, data_copy: Path, capsys):
    (data_copy / "local" / case.name).write_bytes(case.data)
    before = files_of(data_copy)
    code = main(["--data-dir", str(data_copy), "add", "local", case.name, *flags_for(case)])
    err = capsys.readouterr().err
    assert code == 2, err
    for words in case.expected:
        assert words in err, f"{words!r} not in {err!r}"
    assert files_of(data_copy) == before


def test_add_refuses_a_file_name_outside_the_local_folder(data_copy: Path, capsys):
    before = files_of(data_copy)
    code = main(["--data-dir", str(data_copy), "add", "local", "../catalog.yaml", *LOCAL_FLAGS])
    err = capsys.readouterr().err
    assert code == 2
    assert "file name '../catalog.yaml' is not safe; expected a plain name like my_series.csv" in err
    assert f"Copy the file into {data_copy}/local/" in err
    assert files_of(data_copy) == before


@pytest.mark.parametrize("case", [c for c in BAD if c.upload], ids=[c.name for c in BAD if c.upload])
def test_upload_refuses_the_same_files_with_the_same_words(case: Bad):
    with pytest.raises(ValidationError) as caught:
        read_upload(case.data, case.name)
    for words in case.expected:
        assert words.replace(" (-100 to 1e+06)", "") in str(caught.value)


REFRESHED = [c for c in BAD if c.refresh and not c.name.endswith((".xlsx", ".xls"))]  # the entry names mine.csv


@pytest.mark.parametrize("case", REFRESHED, ids=[c.name for c in REFRESHED])
def test_refresh_of_a_local_entry_refuses_the_file_and_keeps_the_snapshot(case: Bad, data_copy, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA", str(data_copy))
    (data_copy / "local" / "mine.csv").write_bytes(GOOD)
    assert main(["add", "local", "mine.csv", "--id", ENTRY_ID, *LOCAL_FLAGS]) == 0
    before = files_of(data_copy)
    (data_copy / "local" / "mine.csv").write_bytes(case.data)
    [outcome] = refresh([ENTRY_ID], data_dir=data_copy, http=Http(), progress=False)
    assert outcome.status == "failed"
    for words in case.expected:
        assert words.replace(case.name, "mine.csv") in outcome.message
    after = files_of(data_copy)
    after.pop("local/mine.csv"), before.pop("local/mine.csv")
    assert after == before, "a failed refresh changed the snapshot or catalog"


def test_at_least_fifteen_bad_files_each_refused():
    assert len(BAD) >= 15 and len({c.name for c in BAD}) == len(BAD)


def test_a_good_file_passes_every_check():
    frame = read_table(GOOD, "good.csv", country="VEN", countries=["VEN"])
    assert frame["value"].tolist() == [1.5, 2.5]
    assert frame.attrs["frequency"] == "annual"
