"""The three ways to add a dataset, end to end on a temporary copy of ``data/``:
1. ``python -m loaders add worldbank CODE`` (and a catalog entry by hand, then refresh),
2. a local CSV/Excel file in ``data/local/`` (``add local``, then refresh),
3. an upload in the dashboard, for the session only.
"""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

import loaders
from loaders.__main__ import main
from loaders.http import Http
from loaders.refresh import refresh
from tests.publishers import REPO, PublisherServer, copy_data_dir, json_answer

WB_PATH = "/v2/country/{countries}/indicator/{code}"
EXAMPLE = "undesa_venezuelan_migrants_by_destination.csv"


def worldbank_answer(code: str, title: str, rows: list[tuple[str, int, float | None]]):
    def handler(query: dict):
        observations = [
            {
                "indicator": {"id": code, "value": title},
                "country": {"id": iso[:2], "value": iso},
                "countryiso3code": iso,
                "date": str(year),
                "value": value,
                "unit": "",
                "obs_status": "",
                "decimal": 1,
            }
            for iso, year, value in rows
        ]
        head = {"page": 1, "pages": 1, "per_page": 20000, "total": len(rows), "lastupdated": "2026-07-01"}
        return json_answer([head, observations])

    return handler


def worldbank_error(query: dict):
    return json_answer(
        [{"message": [{"id": "120", "key": "Invalid value", "value": "The provided value is not valid"}]}]
    )


POP_GROWTH = [("VEN", 2017, -1.2), ("VEN", 2018, -1.1), ("VEN", 2019, None), ("COL", 2017, 1.6), ("COL", 2018, 1.8)]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    return copy_data_dir(tmp_path / "data")


@pytest.fixture
def server():
    with PublisherServer() as server:
        server.routes[("api.worldbank.org", WB_PATH.format(countries="VEN;COL", code="SP.POP.GROW"))] = (
            worldbank_answer("SP.POP.GROW", "Population growth (annual %)", POP_GROWTH)
        )
        server.routes[("api.worldbank.org", WB_PATH.format(countries="VEN", code="SI.POV.GINI"))] = worldbank_answer(
            "SI.POV.GINI", "Gini index", [("VEN", 2006, 44.8)]
        )
        server.routes[("api.worldbank.org", WB_PATH.format(countries="VEN", code="NO.SUCH.CODE"))] = worldbank_error
        yield server


def files_of(data_dir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(data_dir)): p.read_bytes()
        for p in sorted(data_dir.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


# --- way 1: a series from a source the project already reads ----------------------------------------------------------


def test_add_world_bank_indicator_checks_upstream_and_writes_snapshot_and_entry(data_copy, server, capsys):
    catalog_before = (data_copy / "catalog.yaml").read_text(encoding="utf-8")
    args = ["--data-dir", str(data_copy), "add", "worldbank", "SP.POP.GROW", "--country", "VEN", "--country", "COL"]
    assert main([*args, "--mirror", server.base_url]) == 0
    out = capsys.readouterr().out
    assert "worldbank SP.POP.GROW: found 'Population growth (annual %)'" in out
    assert "unit: pct (% change / % de variación), read from '(annual %)'" in out
    assert "VEN: 2 observations, 2017-01-01 to 2018-01-01" in out
    assert "TRANSLATE: title.es and description.es of 'population_growth_wb_pct'" in out

    catalog_after = (data_copy / "catalog.yaml").read_text(encoding="utf-8")
    assert catalog_after.startswith(catalog_before), "the old catalog text, comments included, is kept as it was"
    assert "# TRANSLATE: title.es and description.es below" in catalog_after[len(catalog_before) :]

    frame = loaders.load("population_growth_wb_pct", data_dir=data_copy)
    assert frame[frame["country"] == "VEN"]["value"].tolist() == [-1.2, -1.1]
    row = loaders.catalog(data_copy).loc["population_growth_wb_pct"]
    assert row["title_en"] == "Population growth (annual %) (World Bank)"
    assert row["title_es"] == "Population growth (annual %) (Banco Mundial)"
    assert (row["unit"], row["frequency"], row["topic"]) == ("pct", "annual", "society")
    assert row["publisher"] == "World Bank" and row["countries"] == ["VEN", "COL"]
    assert row["canonical_url"] == "https://data.worldbank.org/indicator/SP.POP.GROW"
    added = yaml.safe_load(catalog_after)["series"][-1]
    assert added["upstream_unit"] == "annual %", "a refresh will notice if the World Bank renames the unit"
    sidecar = json.loads((data_copy / "snapshots" / "population_growth_wb_pct.json").read_text())
    assert sidecar["fetched_urls"][0].startswith(server.base_url + "/api.worldbank.org/v2/country/VEN;COL/")
    assert sidecar["rows"] == 4 and sidecar["source_last_updated"] == "2026-07-01"

    capsys.readouterr()
    # Valid but for the Spanish placeholders, which validate reports until a person writes them.
    assert main(["--data-dir", str(data_copy), "validate", "--seeds", str(data_copy / "no-seeds")]) == 1
    problems = [line for line in capsys.readouterr().out.splitlines() if line.startswith("PROBLEM")]
    assert len(problems) == 2 and all("is a placeholder marked '# TRANSLATE'" in line for line in problems)
    [outcome] = refresh(["population_growth_wb_pct"], data_dir=data_copy, http=Http(mirror=server.base_url))
    assert outcome.status == "unchanged", "a refresh of the added series gives the same snapshot"


def test_one_catalog_entry_by_hand_then_refresh(data_copy, server):
    entry = """- id: population_growth_wb_pct
  source: worldbank
  code: SP.POP.GROW
  unit: pct
  topic: society
  frequency: annual
  countries: [VEN, COL]
  title: {en: Population growth (World Bank), es: Crecimiento de la población (Banco Mundial)}
  description: {en: Annual population growth rate., es: Tasa anual de crecimiento de la población.}
"""
    with (data_copy / "catalog.yaml").open("a", encoding="utf-8") as handle:
        handle.write(entry)
    [outcome] = refresh(["population_growth_wb_pct"], data_dir=data_copy, http=Http(mirror=server.base_url))
    assert outcome.status == "updated"
    assert loaders.load("population_growth_wb_pct", data_dir=data_copy)["value"].tolist() == [1.6, 1.8, -1.2, -1.1]
    assert (
        loaders.catalog(data_copy).loc["population_growth_wb_pct", "title_es"]
        == "Crecimiento de la población (Banco Mundial)"
    )


def test_unknown_code_is_reported_and_nothing_is_written(data_copy, server, capsys):
    before = files_of(data_copy)
    code = main(["--data-dir", str(data_copy), "add", "worldbank", "NO.SUCH.CODE", "--mirror", server.base_url])
    err = capsys.readouterr().err
    assert code == 2
    assert "worldbank has no series 'NO.SUCH.CODE' for VEN, or did not answer" in err
    assert "Invalid value (id 120)" in err and "Nothing was written" in err
    assert files_of(data_copy) == before


def test_unit_not_in_the_publishers_title_needs_unit_flag(data_copy, server, capsys):
    before = files_of(data_copy)
    # The catalog has the World Bank's Gini index already; a second entry under its own unit is what is tried here.
    args = ["--data-dir", str(data_copy), "add", "worldbank", "SI.POV.GINI", "--mirror", server.base_url]
    args.append("--allow-same-code")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert (
        "cannot tell the unit from the publisher's title 'Gini index': pass --unit KEY, one of: pct, pct_of_gdp" in err
    )
    assert files_of(data_copy) == before
    # The guide's way out: add the unit under `units:` first, then name it.
    path = data_copy / "catalog.yaml"
    unit = "units:\n  index_points:\n    en: index points\n    es: puntos del índice\n    min: 0\n    max: 100\n"
    path.write_text(path.read_text(encoding="utf-8").replace("units:\n", unit, 1), encoding="utf-8")
    assert main([*args, "--unit", "index_points", "--title-es", "Índice de Gini (Banco Mundial)"]) == 0
    assert "unit: index_points (index points / puntos del índice), from --unit" in capsys.readouterr().out
    assert loaders.load("gini_index_wb_index_points", data_dir=data_copy)["value"].tolist() == [44.8]


def test_code_already_in_the_catalog_is_refused(data_copy, server, capsys):
    before = files_of(data_copy)
    args = ["--data-dir", str(data_copy), "add", "worldbank", "FP.CPI.TOTL.ZG", "--mirror", server.base_url]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "worldbank 'FP.CPI.TOTL.ZG' is already in the catalog as 'inflation_cpi_wb_pct'" in err
    assert "pass --allow-same-code" in err
    assert files_of(data_copy) == before


def test_dry_run_prints_the_entry_and_writes_nothing(data_copy, server, capsys):
    before = files_of(data_copy)
    args = ["--data-dir", str(data_copy), "add", "worldbank", "SP.POP.GROW", "--country", "VEN", "--country", "COL"]
    assert main([*args, "--mirror", server.base_url, "--dry-run", "--title-es", "Crecimiento de la población"]) == 0
    out = capsys.readouterr().out
    assert "dry run: nothing written" in out and "- id: population_growth_wb_pct" in out
    assert "es: Crecimiento de la población" in out and "TRANSLATE" not in out
    assert files_of(data_copy) == before


# --- way 2: a local file ----------------------------------------------------------------------------------------------

LOCAL_FLAGS = [
    "--title",
    "Venezuelan migrants by destination (UN DESA)",
    "--title-es",
    "Migrantes venezolanos por país de destino (ONU DAES)",
    "--unit",
    "persons",
    "--topic",
    "migration",
    "--publisher",
    "United Nations, Department of Economic and Social Affairs, Population Division",
    "--licence",
    "CC BY 3.0 IGO",
    "--licence-url",
    "https://creativecommons.org/licenses/by/3.0/igo/",
    "--citation",
    "UN DESA Population Division (2024). International Migrant Stock 2024.",
    "--url",
    "https://www.un.org/development/desa/pd/content/international-migrant-stock",
]
LOCAL_ID = "venezuelan_migrants_by_destination_local_persons"


def test_add_local_csv_then_load_list_and_refresh(data_copy, capsys, monkeypatch):
    assert (data_copy / "local" / EXAMPLE).exists(), "the example file ships in data/local/"
    assert main(["--data-dir", str(data_copy), "add", "local", EXAMPLE, *LOCAL_FLAGS]) == 0
    out = capsys.readouterr().out
    assert "COL: 8 observations, 1990-01-01 to 2024-01-01" in out and "TRANSLATE" not in out

    frame = loaders.load(LOCAL_ID, data_dir=data_copy)
    assert sorted(frame["country"].unique()) == ["CHL", "COL", "ECU", "ESP", "PER", "USA"]
    col = frame[frame["country"] == "COL"].set_index("date")["value"]
    assert col["2020-01-01"] == 1796066 and col["2024-01-01"] == 2904873
    row = loaders.catalog(data_copy).loc[LOCAL_ID]
    assert row["publisher"].startswith("United Nations, Department of Economic")
    assert (row["licence"], row["frequency"], row["source"]) == ("CC BY 3.0 IGO", "annual", "local")
    assert row["citation"] == "UN DESA Population Division (2024). International Migrant Stock 2024."
    assert row["canonical_url"] == "https://www.un.org/development/desa/pd/content/international-migrant-stock"
    sidecar = json.loads((data_copy / "snapshots" / f"{LOCAL_ID}.json").read_text())
    assert sidecar["publisher"] == row["publisher"] and sidecar["urls"] == [f"file:local/{EXAMPLE}"]
    assert str(data_copy) not in json.dumps(sidecar), "no machine paths in committed provenance"
    assert main(["--data-dir", str(data_copy), "list", "--long"]) == 0
    assert LOCAL_ID in capsys.readouterr().out

    monkeypatch.setenv("DASHBOARD_DATA", str(data_copy))
    assert refresh([LOCAL_ID], data_dir=data_copy, http=Http())[0].status == "unchanged"
    with (data_copy / "local" / EXAMPLE).open("a", encoding="utf-8") as handle:
        handle.write("2025,COL,3000000\n")
    assert refresh([LOCAL_ID], data_dir=data_copy, http=Http())[0].status == "updated"
    assert loaders.load(LOCAL_ID, data_dir=data_copy)["date"].max() == datetime(2025, 1, 1)


def test_refresh_of_a_local_entry_reads_the_file_of_its_own_data_folder(data_copy, capsys):
    assert main(["--data-dir", str(data_copy), "add", "local", EXAMPLE, *LOCAL_FLAGS]) == 0
    [outcome] = refresh([LOCAL_ID], data_dir=data_copy, http=Http())
    assert outcome.status == "unchanged", outcome.message
    sidecar = json.loads((data_copy / "snapshots" / f"{LOCAL_ID}.json").read_text())
    assert sidecar["publisher"] != "(set per series)" and sidecar["licence"]


def test_add_local_excel_sheet_with_dates_and_one_country(data_copy, capsys):
    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["Numbers are on the sheet Data"])
    ws = book.create_sheet("Data")
    ws.append(["# monthly test series"])
    ws.append(["Date", "Value"])
    for month, value in [(1, 10.5), (2, None), (3, 12.0)]:
        ws.append([datetime(2024, month, 1), value])
    buffer = io.BytesIO()
    book.save(buffer)
    (data_copy / "local" / "mine.xlsx").write_bytes(buffer.getvalue())
    flags = ["--title", "My monthly series", "--unit", "usd", "--publisher", "Me", "--licence", "CC0"]
    flags += ["--citation", "Me (2025).", "--country", "VEN", "--sheet", "Data"]
    assert main(["--data-dir", str(data_copy), "add", "local", "mine.xlsx", *flags]) == 0
    out = capsys.readouterr().out
    assert "frequency: monthly (from the dates" in out and "TRANSLATE" in out
    frame = loaders.load("my_monthly_series_local_usd", data_dir=data_copy)
    assert frame["value"].tolist() == [10.5, 12.0] and set(frame["country"]) == {"VEN"}
    doc = yaml.safe_load((data_copy / "catalog.yaml").read_text(encoding="utf-8"))
    assert doc["series"][-1]["sheet"] == "Data" and doc["series"][-1]["countries"] == ["VEN"]


def test_a_local_file_without_a_country_column_is_venezuelas_as_the_help_says(data_copy, capsys):
    (data_copy / "local" / "my_rate.csv").write_text("date,value\n2020,1.5\n2021,2.5\n2022,3\n", encoding="utf-8")
    flags = ["--title", "My rate", "--unit", "pct", "--publisher", "Me", "--licence", "CC0", "--citation", "Me."]
    assert main(["--data-dir", str(data_copy), "add", "local", "my_rate.csv", *flags]) == 0
    assert "country: VEN (the file has no 'country' column" in capsys.readouterr().out
    frame = loaders.load("my_rate_local_pct", data_dir=data_copy)
    assert set(frame["country"]) == {"VEN"} and frame["value"].tolist() == [1.5, 2.5, 3.0]
    assert refresh(["my_rate_local_pct"], data_dir=data_copy, http=Http())[0].status == "unchanged"
    with pytest.raises(SystemExit):
        main(["add", "--help"])
    assert "a local file: its 'country' column, or VEN" in " ".join(capsys.readouterr().out.split())


def test_validate_fails_while_a_translate_placeholder_remains_naming_file_line_and_field(data_copy, capsys):
    (data_copy / "local" / "my_rate.csv").write_text("date,value\n2020,1.5\n2021,2.5\n", encoding="utf-8")
    flags = ["--title", "My rate", "--unit", "pct", "--publisher", "Me", "--licence", "CC0", "--citation", "Me."]
    assert main(["--data-dir", str(data_copy), "add", "local", "my_rate.csv", *flags]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data_copy), "validate"]) == 1
    out = capsys.readouterr().out
    catalog = data_copy / "catalog.yaml"
    lines = catalog.read_text(encoding="utf-8").splitlines()
    title_es = next(i for i, line in enumerate(lines) if line == "    es: My rate") + 1
    assert f"{catalog}: line {title_es}: series 'my_rate_local_pct', field title.es (My rate) is a placeholder" in out
    assert "field description.es" in out and "2 problem(s)" in out

    translated = [line for line in lines if not line.startswith("# TRANSLATE")]
    translated = [line.replace("es: My rate", "es: Mi tasa") for line in translated]
    catalog.write_text("\n".join(translated) + "\n", encoding="utf-8")
    assert main(["--data-dir", str(data_copy), "validate"]) == 0, capsys.readouterr().out


def test_local_entry_without_its_file_names_the_folder(data_copy, capsys):
    assert main(["--data-dir", str(data_copy), "add", "local", "missing.csv", *LOCAL_FLAGS]) == 2
    err = capsys.readouterr().err
    assert f"{data_copy}/local/missing.csv: no such file" in err and EXAMPLE in err


# --- way 3: try before adding, in the dashboard ----------------------------------------------------------------------


def _upload_script():
    import streamlit as st

    from app.runtime.upload import upload_panel

    lang = st.query_params.get("lang", "en")
    frames = upload_panel(lang)
    st.text(f"accepted {len(frames)}")
    for label, frame in frames:
        st.text(f"{label}: {len(frame)} rows, last {frame['value'].iloc[-1]}")


def test_upload_plots_good_files_reports_bad_ones_and_writes_nothing():
    before = files_of(REPO / "data")
    at = AppTest.from_function(_upload_script, default_timeout=30).run()
    assert not at.exception and at.text[0].value == "accepted 0"
    at.file_uploader[0].set_value(
        [
            ("oil.csv", b"date,value\n2020-01,50.1\n2020-02,51.3\n", "text/csv"),
            ("[x](javascript:alert(1)).csv", b'date,value\n2020,"1,5"\n', "text/csv"),
        ]
    ).run()
    assert not at.exception
    assert [t.value for t in at.text] == ["accepted 1", "oil (uploaded): 2 rows, last 51.3"]
    [error] = at.error
    assert "\\[x\\]\\(javascript\\:alert\\(1\\)\\)" in error.value, "file names are shown as text, never as links"
    assert "line 2, column 'value'" in error.value and "not guessed" in error.value
    assert any("no country column\\: plotted as VEN" in c.value for c in at.caption)
    assert files_of(REPO / "data") == before


def test_upload_speaks_spanish():
    at = AppTest.from_function(_upload_script, default_timeout=30)
    at.query_params["lang"] = "es"
    at.run()
    assert at.file_uploader[0].label.startswith("Pruebe su propia serie")
    at.file_uploader[0].set_value(("mal.csv", b"fecha,valor\n2020,1\n", "text/csv")).run()
    assert "mal\\.csv no se graficó" in at.error[0].value
    assert "la columna 'fecha' no es parte del formato (cámbiele el nombre a 'date')" in at.error[0].value.replace(
        "\\", ""
    )
