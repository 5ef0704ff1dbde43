"""Bad local data: snapshots that no longer match their sidecars, missing or damaged files, malformed
event and claim records. ``validate`` reports each precisely; ``loaders.load`` refuses with a reason
naming the file; the dashboard still starts, shows everything else and says which series it could not load.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

import loaders
from loaders import store
from loaders.__main__ import main
from loaders.errors import ValidationError
from tests.dashboard_process import PAGES, run_dashboard
from tests.publishers import copy_data_dir


def snap(data_dir: Path, sid: str, ext: str = "csv") -> Path:
    return data_dir / "snapshots" / f"{sid}.{ext}"


def edit_csv_keep_sidecar(sid: str, old: bytes, new: bytes) -> Callable[[Path], None]:
    """Change the CSV only: its sha256 no longer matches the sidecar."""

    def apply(data_dir: Path) -> None:
        path = snap(data_dir, sid)
        data = path.read_bytes()
        assert old in data
        path.write_bytes(data.replace(old, new, 1))

    return apply


def replace_csv_and_sidecar_sha(sid: str, content: bytes) -> Callable[[Path], None]:
    """A CSV the sidecar vouches for (sha256 updated) that is itself malformed."""

    def apply(data_dir: Path) -> None:
        snap(data_dir, sid).write_bytes(content)
        meta = snap(data_dir, sid, "json")
        text = meta.read_text()
        old_sha = store.read_sidecar(data_dir, sid)["sha256"]
        meta.write_text(text.replace(old_sha, store.sha256(content)))

    return apply


def delete(sid: str, ext: str = "csv") -> Callable[[Path], None]:
    return lambda data_dir: snap(data_dir, sid, ext).unlink()


def overwrite(sid: str, ext: str, content: bytes) -> Callable[[Path], None]:
    return lambda data_dir: snap(data_dir, sid, ext).write_bytes(content)


def add_record(file: str, key: str, record: str, first: bool = True) -> Callable[[Path], None]:
    """Add a record to the list under ``key`` (first, or last: the list ends the file)."""

    def apply(data_dir: Path) -> None:
        path = data_dir / file
        text = path.read_text(encoding="utf-8")
        assert f"\n{key}:\n" in text
        text = text.replace(f"\n{key}:\n", f"\n{key}:\n{record}", 1) if first else text.rstrip("\n") + "\n" + record
        path.write_text(text, encoding="utf-8")

    return apply


WTI, CPI, BRENT = "oil_price_wti_daily_usd_per_barrel", "inflation_cpi_wb_pct", "oil_price_brent_monthly_usd_per_barrel"
GDP, BY_HOST = "gdp_growth_wb_pct", "displaced_abroad_by_host_country_unhcr_persons"
BAD_EVENT = """- id: Bad Id
  kind: document
  start: '2019-03-01'
  end: '2018-01-01'
  precision: month
  category: nonsense
  title: {en: A title far too long to label any chart at all}
  series: [no_such_series]
"""
BAD_CLAIM = """- id: bad_claim
  document: nowhere.txt
  quote: ''
  series: not-a-list
  references: [javascript:alert(1)]
"""

# (bad input, how to make it, every problem `validate` must print for it, series `load` refuses or None)
BAD_INPUTS = [
    (
        "csv_edited_sha_mismatch",
        edit_csv_keep_sidecar(WTI, b"-36.98", b"-36.99"),
        [rf"{WTI}: {WTI}\.csv sha256 is [0-9a-f]{{12}}…, sidecar says [0-9a-f]{{12}}…"],
        (WTI, rf"{WTI}\.csv does not match its provenance record"),
    ),
    (
        "csv_truncated_sha_mismatch",
        lambda d: snap(d, BRENT).write_bytes(snap(d, BRENT).read_bytes()[:500]),
        [rf"{BRENT}: {BRENT}\.csv sha256 is"],
        (BRENT, rf"{BRENT}\.csv does not match its provenance record"),
    ),
    (
        "catalog_entry_without_snapshot",
        delete(CPI),
        [rf"{CPI}: snapshot {CPI}\.csv is missing"],
        (CPI, rf"series '{CPI}': no snapshot snapshots/{CPI}\.csv in the data folder \(run `python -m loaders refresh"),
    ),
    ("catalog_entry_without_sidecar", delete(GDP, "json"), [rf"{GDP}: sidecar {GDP}\.json is missing"], None),
    (
        "sidecar_not_json",
        overwrite(GDP, "json", b"{not json"),
        [rf"{GDP}: sidecar {GDP}\.json is not readable JSON"],
        None,
    ),
    ("sidecar_a_list", overwrite(GDP, "json", b"[1, 2]"), [rf"{GDP}: sidecar {GDP}\.json is not a JSON object"], None),
    (
        "csv_binary_garbage",
        replace_csv_and_sidecar_sha(BY_HOST, b"\x00\xff\xfe garbage\n\x01,\x02\n"),
        [rf"{BY_HOST}: {BY_HOST}\.csv: (not a readable CSV|columns are)"],
        (BY_HOST, rf"{BY_HOST}\.csv: (not a readable CSV|columns are)"),
    ),
    (
        "csv_renamed_column",
        replace_csv_and_sidecar_sha(BY_HOST, b"date,country,amount\n2019-01-01,COL,1.0\n"),
        [rf"{BY_HOST}: {BY_HOST}\.csv: columns are \['date', 'country', 'amount'\]"],
        (BY_HOST, r"columns are \['date', 'country', 'amount'\]"),
    ),
    (
        "csv_value_not_a_number",
        replace_csv_and_sidecar_sha(BY_HOST, b"date,country,value\n2019-01-01,COL,lots\n"),
        [rf"{BY_HOST}\.csv: column 'value' holds something that is not a number"],
        (BY_HOST, r"column 'value' holds something that is not a number"),
    ),
    (
        "csv_date_not_a_date",
        replace_csv_and_sidecar_sha(BY_HOST, b"date,country,value\n19/01/2019,COL,1.0\n"),
        [rf"{BY_HOST}\.csv: column 'date' holds something that is not a YYYY-MM-DD date"],
        (BY_HOST, r"column 'date' holds something that is not a YYYY-MM-DD date"),
    ),
    (
        "csv_value_out_of_range",
        replace_csv_and_sidecar_sha(BY_HOST, b"date,country,value\n2019-01-01,COL,1e15\n"),
        [rf"{BY_HOST}: {BY_HOST}\.csv: value 1e\+15 for COL on 2019-01-01 is outside the plausible range"],
        None,
    ),
    (
        "sidecar_facts_wrong",
        lambda d: snap(d, GDP, "json").write_text(snap(d, GDP, "json").read_text().replace('"rows": ', '"rows": 1')),
        [rf"{GDP}: sidecar rows is \d+, the CSV has \d+"],
        None,
    ),
    (
        "malformed_event",
        add_record("events.yaml", "events", BAD_EVENT),
        [
            r"events\.yaml: event 'Bad Id': field 'id' is missing or not snake_case",
            r"events\.yaml: event 'Bad Id': field 'title\.en' is longer than 28 characters",
            r"events\.yaml: event 'Bad Id': field 'title\.es' is missing or empty",
            r"events\.yaml: event 'Bad Id': field 'description\.en' is missing or empty",
            r"events\.yaml: event 'Bad Id': field 'description\.es' is missing or empty",
            r"events\.yaml: event 'Bad Id': field 'date_reference' is required unless the quote itself gives the date",
            r"events\.yaml: event 'Bad Id': field 'series' unknown series id 'no_such_series'",
            r"events\.yaml: event 'Bad Id': field 'category' 'nonsense' is not one of",
            r"events\.yaml: event 'Bad Id': field 'end' 2018-01-01 is before start 2019-03-01",
            r"events\.yaml: event 'Bad Id': field 'quote' document and quote are required",
        ],
        None,
    ),
    (
        "malformed_claim",
        add_record("claims.yaml", "claims", BAD_CLAIM),
        [
            r"claims\.yaml: claim 'bad_claim': field 'note\.en' is missing or empty",
            r"claims\.yaml: claim 'bad_claim': field 'note\.es' is missing or empty",
            r"claims\.yaml: claim 'bad_claim': field 'series' must be a list",
            r"claims\.yaml: claim 'bad_claim': field 'references' 'javascript:alert\(1\)' is not an http\(s\) URL",
            r"claims\.yaml: claim 'bad_claim': field 'quote' document and quote are required",
        ],
        None,
    ),
]


@pytest.fixture(scope="module")
def clean_copy(tmp_path_factory) -> Path:
    return copy_data_dir(tmp_path_factory.mktemp("clean") / "data")


@pytest.fixture
def data_dir(clean_copy, tmp_path) -> Path:
    import shutil

    return shutil.copytree(clean_copy, tmp_path / "data")


def validate(data_dir: Path, capsys) -> tuple[int, list[str]]:
    code = main(["--data-dir", str(data_dir), "validate", "--seeds", str(data_dir / "no-seeds")])
    out = capsys.readouterr().out
    return code, [line.removeprefix("PROBLEM ") for line in out.splitlines() if line.startswith("PROBLEM ")]


def test_the_clean_copy_validates(data_dir, capsys):
    assert validate(data_dir, capsys) == (0, [])


@pytest.mark.parametrize("name, make, problems, refused", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_validate_reports_each_bad_input_precisely(name, make, problems, refused, data_dir, capsys):
    make(data_dir)
    code, found = validate(data_dir, capsys)
    assert code == 1
    for pattern in problems:
        assert any(re.search(pattern, line) for line in found), f"no problem matches {pattern!r}:\n" + "\n".join(found)
    assert len(found) == len(problems), "problems beyond the one bad input:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "name, make, refused", [(b[0], b[1], b[3]) for b in BAD_INPUTS if b[3]], ids=[b[0] for b in BAD_INPUTS if b[3]]
)
def test_load_refuses_a_bad_snapshot_with_a_reason_naming_the_file(name, make, refused, data_dir):
    make(data_dir)
    sid, pattern = refused
    with pytest.raises(ValidationError, match=pattern) as caught:
        loaders.load(sid, data_dir=data_dir)
    assert str(data_dir) not in str(caught.value), "the message shows the server's full path"
    loaders.catalog(data_dir)  # the catalog still reads


def test_every_bad_input_at_once_is_each_reported(data_dir, capsys):
    together = [
        "csv_edited_sha_mismatch",
        "csv_truncated_sha_mismatch",
        "catalog_entry_without_snapshot",
        "sidecar_not_json",
        "csv_binary_garbage",
        "malformed_event",
        "malformed_claim",
    ]  # one per file, so no input hides another
    chosen = [b for b in BAD_INPUTS if b[0] in together]
    for _, make, _, _ in chosen:
        make(data_dir)
    code, found = validate(data_dir, capsys)
    patterns = [pattern for _, _, problems, _ in chosen for pattern in problems]
    assert code == 1 and len(found) == len(patterns), "\n".join(found)
    for pattern in patterns:
        assert any(re.search(pattern, line) for line in found), pattern


def test_validate_reports_an_impossible_date_in_events_yaml(data_dir, capsys):
    add_record("events.yaml", "events", "- id: bad_date\n  start: 2019-02-30\n")(data_dir)
    code, found = validate(data_dir, capsys)
    assert code == 1 and any(line.startswith("events.yaml: ") for line in found)


# ---------------------------------------------------------------- the dashboard with bad data
PRODUCTION = "oil_production_ei_thousand_barrels_per_day"
SHOWN_BROKEN = {
    BRENT: "app_pages/overview.py",  # Overview's first chart
    PRODUCTION: "app_pages/overview.py",  # Overview's second chart and its first headline figure
    CPI: "app_pages/inflation.py",  # the inflation comparison
    BY_HOST: "app_pages/migration.py",  # the host-country chart
}


@pytest.fixture(scope="module")
def broken_dashboard(tmp_path_factory) -> dict:
    """Every page of the dashboard, run once on a data folder with many bad inputs at once."""
    data_dir = copy_data_dir(tmp_path_factory.mktemp("broken") / "data")
    edit_csv_keep_sidecar(BRENT, b"\n1990-01-01", b"\n1990-01-02")(data_dir)
    delete(CPI)(data_dir)
    replace_csv_and_sidecar_sha(BY_HOST, b"\x00\xff\xfe garbage\n\x01,\x02\n")(data_dir)
    overwrite(GDP, "json", b"{not json")(data_dir)
    edit_csv_keep_sidecar(WTI, b"-36.98", b"-36.99")(data_dir)
    edit_csv_keep_sidecar(PRODUCTION, b"\n1965-01-01", b"\n1965-01-02")(data_dir)  # a chart and a headline
    add_record("events.yaml", "events", BAD_EVENT, first=False)(data_dir)
    add_record(
        "events.yaml",
        "events",
        BAD_EVENT.replace("Bad Id", "bad_date").replace("'2019-03-01'", "'2019-13-45'"),
        first=False,
    )(data_dir)
    add_record("claims.yaml", "claims", BAD_CLAIM, first=False)(data_dir)  # last: each page's default view stays
    return run_dashboard(data_dir, PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_the_dashboard_runs_every_page_with_bad_data(broken_dashboard, page):
    texts = broken_dashboard[page]
    assert texts["exception"] == [], texts["exception"]
    if page != "app_pages/sources.py":
        said = [w for w in texts["warning"] if w.startswith("Could not load series")]
        assert texts["plotly_chart"] or said, "the page shows no chart and says nothing about why"


@pytest.mark.parametrize("sid, page", SHOWN_BROKEN.items())
def test_the_dashboard_says_which_series_it_could_not_load(broken_dashboard, sid, page):
    warnings = broken_dashboard[page]["warning"]
    mine = [w for w in warnings if sid in w]
    assert mine, f"{page} does not say it could not load {sid}: {warnings}"
    assert mine[0].startswith(f"Could not load series `{sid}`: ")
    assert "The rest of the dashboard works without it." in mine[0]


def test_the_overview_still_draws_its_other_charts_and_headlines(broken_dashboard):
    texts = broken_dashboard["app_pages/overview.py"]
    assert len(texts["plotly_chart"]) == 2  # Brent and production could not be loaded; inflation and migration drawn
    assert len(texts["metric"]) == 2, texts["metric"]  # the production headline left out, the other two shown


def test_an_event_with_an_impossible_date_is_left_out_not_fatal(broken_dashboard):
    events = broken_dashboard["app_pages/events.py"]
    assert events["exception"] == [] and events["plotly_chart"]
    shown = " ".join(events["markdown"] + events["header"])
    assert "bad_date" not in shown
