"""Inflation, Migration and Sources: their pure builders on small frames, then each page in AppTest in
both languages (charts, tables, downloads, the notes a reader relies on)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app.charts import figures
from app.citations import source_line
from app.links import safe_link
from app.text import escape_markdown
from app.views.inflation import (
    display_table,
    inflation_figure,
    missing_note,
    missing_years,
    peaks,
    year_ranges,
    year_table,
)
from app.views.migration import abroad_in_latest_year, host_bar_figure, stacked_area_figure, top_hosts
from app.views.publishers import (
    document_counts,
    filter_sources,
    sources_table,
)
from tests.browser import REPO


def frame(years, values, status=None, country="VEN"):
    out = pd.DataFrame(
        {
            "date": pd.to_datetime([f"{y}-01-01" for y in years]),
            "country": country,
            "value": [float(v) for v in values],
        }
    )
    if status is not None:
        out["status"] = status
    return out


def events(category="economy", series=("a",)):
    return pd.DataFrame(
        {
            "id": ["hyper"],
            "kind": ["document"],
            "start": pd.to_datetime(["2017-11-01"]),
            "end": pd.to_datetime(["2021-12-01"]),
            "ongoing": [False],
            "category": [category],
            "title_en": ["Hyperinflation"],
            "title_es": ["Hiperinflación"],
            "quote": ["hyper-inflation"],
            "document": ["002_3ba13bb4189d8964.txt"],
            "series": [list(series)],
        }
    )


# ---------------------------------------------------------------- inflation builders


@pytest.fixture
def inflation_frames():
    return {
        "imf": frame(
            range(2014, 2022), [60, 120, 250, 440, 65000, 19900, 2400, 1500], ["actual"] * 5 + ["projection"] * 3
        ),
        "wb_cpi": frame(range(2014, 2017), [62, 121, 255]),
        "wb_deflator": frame(range(2014, 2020), [105, -0.5, 308, 1050, 225000, 21900]),
    }


NAMES = {"imf": "IMF average", "wb_cpi": "World Bank CPI", "wb_deflator": "World Bank deflator"}


def test_inflation_chart_is_log_scale_with_dashed_projections_and_events(inflation_frames):
    text = figures.ChartText(title="Inflation", source="Source: test")
    fig = inflation_figure(inflation_frames, NAMES, events(), text, lang="en", start=2014)
    assert fig.layout.yaxis.type == "log"
    drawn = [t for t in fig.data if t.x is not None and any(x is not None for x in t.x)]
    dashed = [t for t in drawn if t.line is not None and t.line.dash == "dash" and t.yaxis in (None, "y")]
    assert [t.legendgroup for t in dashed] == ["IMF average"]
    assert "projection" in [t.name for t in fig.data if t.legendgroup == "status-projection"], "the legend names it"
    # the dashed part starts at the last actual year so the line is unbroken
    assert [pd.Timestamp(x).year for x in dashed[0].x] == [2018, 2019, 2020, 2021]
    # the non-positive deflator value is left out, and the chart says so (in the line under it, before the source)
    deflator = next(t for t in fig.data if t.name == "World Bank deflator")
    assert 2015 not in [pd.Timestamp(x).year for x in deflator.x]
    (under,) = [a.text for a in fig.layout.annotations if "Source: test" in (a.text or "")]
    assert "1 value(s) ≤ 0, the lowest −0.50 % (World Bank deflator, 2015)" in under.replace("<br>", " ")
    assert not any((a.text or "").startswith("⚠") and a.y == 1 for a in fig.layout.annotations), "not on the legend"
    # the title is shown by the page above the chart (it wraps there on a phone), not inside the figure
    assert not fig.layout.title.text
    # the event is drawn and named in the legend
    assert any(t.mode == "markers+text" and "Hyperinflation" in list(t.text) for t in fig.data)
    # the axis leaves room above the peak for the event labels
    low, high = fig.layout.yaxis.range
    assert high > 1 + 5.35  # log10(225000) ≈ 5.35


def test_missing_note_lists_the_years_each_source_lacks(inflation_frames):
    note = missing_note(inflation_frames, NAMES, "en", start=2014)
    # The window runs to the last actual year of any source (2019: the deflator; IMF 2019–21 are projections).
    assert note.startswith("Years without a figure, 2014–2019")
    assert "- World Bank CPI: no value for 2017–2019" in note
    assert "IMF average: 2019–2021 are IMF projections (dashed)" in note
    assert "World Bank deflator: no value" not in note  # its negative value is a value, just not drawable
    es = missing_note(inflation_frames, NAMES, "es", start=2014)
    assert "World Bank CPI: sin valor para 2017–2019" in es


def test_missing_years_and_ranges():
    f = frame([2000, 2001, 2004], [1, 2, 3])
    assert missing_years(f, 2000, 2006) == [2002, 2003, 2005, 2006]
    assert year_ranges([1980, 1981, 1982, 1990, 2017, 2018]) == "1980–1982, 1990, 2017–2018"
    assert missing_note({"x": frame([], [])}, {"x": "X"}, "en") == ""


def test_year_table_peaks_and_display(inflation_frames):
    table = year_table(inflation_frames, 2015, 2020)
    assert table["year"].tolist() == list(range(2015, 2021))
    assert table.loc[table["year"] == 2018, "imf"].item() == 65000
    assert table["wb_cpi"].isna().tolist() == [False, False, True, True, True, True]
    assert table["imf_status"].tolist() == ["actual"] * 4 + ["projection"] * 2
    found = {p.series_id: (p.value, p.year) for p in peaks(inflation_frames)}
    assert found["imf"] == (65000, 2018)  # the 2019–21 projections do not count
    assert found["wb_deflator"] == (225000, 2018)
    shown = display_table(table, "es")
    assert shown.loc[shown["year"] == 2018, "imf"].item() == "65.000,0"
    assert pd.isna(shown.loc[shown["year"] == 2018, "wb_cpi"].item())
    assert shown["imf_status"].tolist() == ["dato observado"] * 4 + ["proyección"] * 2, "'actual' is 'current' in es"


def test_grouped_source_line_names_the_edition_in_the_readers_language():
    cat = pd.DataFrame(
        {
            "edition_en": ["IMF World Economic Outlook, October 2025"] * 2 + ["World Bank WDI (updated 2026-07-01)"],
            "edition_es": ["Perspectivas de la economía mundial del FMI, octubre de 2025"] * 2
            + ["WDI del Banco Mundial (actualizado el 2026-07-01)"],
            "code_en": ["PCPIPCH", "PCPIEPCH", "FP.CPI.TOTL.ZG"],
            "code_es": ["PCPIPCH", "PCPIEPCH", "FP.CPI.TOTL.ZG"],
            "licence_en": ["IMF terms", "IMF terms", "CC BY 4.0"],
            "licence_es": ["condiciones del FMI", "condiciones del FMI", "CC BY 4.0"],
        },
        index=["a", "b", "c"],
    )
    assert source_line(cat, ["a", "b", "c"], "en", grouped=True) == (
        "Sources: IMF World Economic Outlook, October 2025 – PCPIPCH, PCPIEPCH – IMF terms; "
        "World Bank WDI (updated 2026-07-01) – FP.CPI.TOTL.ZG – CC BY 4.0"
    )
    assert source_line(cat, ["a"], "es", grouped=True) == (
        "Fuente: Perspectivas de la economía mundial del FMI, octubre de 2025 – PCPIPCH – condiciones del FMI"
    )


def test_every_source_line_names_its_edition_in_words_in_both_languages():
    """Real catalogue: the editions the issue names, Spanish licences, UNHCR's field names as words."""
    from app.citations import source_line
    from loaders import catalog

    cat = catalog()
    assert "IMF World Economic Outlook, October 2025" in source_line(cat, ["inflation_avg_imf_pct"], "en")
    assert "Energy Institute Statistical Review 2024 (data to 2023)" in source_line(
        cat, ["oil_production_ei_thousand_barrels_per_day"], "en"
    )
    assert "OPEC basket, archive to 2024-11-22" in source_line(
        cat, ["oil_price_opec_basket_daily_usd_per_barrel"], "en"
    )
    assert "World Bank WDI (updated 2026-07-01)" in source_line(cat, ["gdp_wb_usd"], "en")
    unhcr = source_line(cat, ["displaced_abroad_from_ven_unhcr_persons"], "es")
    assert "ACNUR" in unhcr and "solicitantes de asilo" in unhcr and "+" not in unhcr and "UN Refugee" not in unhcr
    fred = source_line(cat, ["oil_price_brent_monthly_usd_per_barrel"], "es")
    assert "dominio público" in fred and "Public domain" not in fred
    for lang in ("en", "es"):
        assert "retrieved" not in source_line(cat, list(cat.index), lang)


# ---------------------------------------------------------------- migration builders


def test_stacked_area_has_three_categories_and_the_migration_event():
    frames = {
        "ref": frame(range(2015, 2020), [7e3, 7e3, 9e3, 2e4, 9e4]),
        "asy": frame(range(2015, 2020), [1e4, 4e4, 1.5e5, 4.6e5, 7.9e5]),
        "oip": frame(range(2018, 2020), [2.6e6, 3.6e6]),
    }
    names = {"ref": "Refugees", "asy": "Asylum seekers", "oip": "Others in need of protection"}
    text = figures.ChartText(title="Abroad", y_title="people", source="Source: UNHCR")
    fig = stacked_area_figure(frames, names, events("migration"), text, category_names={"migration": "Migration"})
    areas = [t for t in fig.data if t.stackgroup]
    assert [t.name for t in areas] == ["Refugees", "Asylum seekers", "Others in need of protection"]
    assert {t.stackgroup for t in areas} == {"abroad"}
    assert any(t.name == "Migration" and t.mode == "markers+text" for t in fig.data)
    assert any("Source: UNHCR" in (a.text or "") for a in fig.layout.annotations)
    abroad = abroad_in_latest_year(frames)
    assert (abroad.year, abroad.total) == (2019, 9e4 + 7.9e5 + 3.6e6)


@pytest.fixture
def hosts_frame():
    codes = ["COL", "PER", "BRA", "CHL", "ECU", "USA", "ESP", "ARG", "MEX", "DOM", "PAN", "CRI", "TTO", "URY", "GUY"]
    codes += ["ABW", "CAN", "ITA", "DEU", "BOL"]
    values = [2_800_000 - 100_000 * i for i in range(len(codes))]
    latest = pd.DataFrame({"date": pd.Timestamp("2025-01-01"), "country": codes, "value": [float(v) for v in values]})
    older = latest.assign(date=pd.Timestamp("2024-01-01"), value=1.0)
    return pd.concat([older, latest], ignore_index=True)


def test_top_hosts_bar_chart_has_15_sorted_bars_named_in_spanish(hosts_frame):
    hosts = top_hosts(hosts_frame, "es")
    assert len(hosts) == 15 and (hosts["year"] == 2025).all()
    total = hosts_frame.loc[hosts_frame["date"].dt.year == 2025, "value"].sum()
    assert hosts["share"].iloc[0] == pytest.approx(2_800_000 / total * 100)  # share of all hosts, not the top 15
    fig = host_bar_figure(hosts, figures.ChartText(title="Hosts", y_title="personas", source="Fuente: ACNUR"), "es")
    (bars,) = fig.data
    assert len(bars.x) == 15
    assert list(bars.x) == sorted(bars.x, reverse=True)
    assert fig.layout.yaxis.autorange == "reversed"  # the largest at the top
    assert {"Estados Unidos", "España", "Perú", "Brasil", "República Dominicana"} <= set(bars.y)
    assert bars.text[0].startswith("Colombia · ") and bars.text[0].endswith(" %")
    assert "," in bars.text[0]  # Spanish decimal comma
    assert list(top_hosts(hosts_frame, "en")["name"])[5] == "United States"


# ---------------------------------------------------------------- sources builders


def test_sources_table_filters_and_documents():
    import loaders
    from loaders import events as event_catalogue

    cat = loaders.catalog()
    table = sources_table(
        cat,
        "es",
        {"displaced_abroad_by_host_country_unhcr_persons": ["COL", "PER"]},
        {"inflation_cpi_wb_pct": "2009–2016"},
    )
    assert len(table) == len(cat)
    row = table.set_index("id").loc["inflation_avg_imf_pct"]
    assert row["topic"] == "Inflación" and row["code"] == "PCPIPCH" and row["first"] == "1980"
    assert row["canonical_url"].startswith("https://") and row["licence_url"].startswith("https://")
    assert table.set_index("id").loc["displaced_abroad_by_host_country_unhcr_persons", "countries"] == "* (2)"
    assert table.set_index("id").loc["inflation_cpi_wb_pct", "venezuela"] == "2009–2016"
    only = filter_sources(table, ["Inflación"], ["World Bank"])
    assert set(only["id"]) == {"inflation_cpi_wb_pct", "inflation_deflator_wb_pct"}
    events, claims = event_catalogue.load_events(), event_catalogue.load_claims()
    counts = document_counts(events, claims, event_catalogue.documents()).set_index("document")
    assert list(counts.index) == ["002_3ba13bb4189d8964.txt", "000_f1125d560f45f3b6.txt"]
    assert counts["claims"].sum() == len(event_catalogue.load_claims())


def test_text_from_data_is_made_inert():
    hostile = "[x](javascript:alert(1)) <script>x</script> :red[y] $z$"
    escaped = escape_markdown(hostile)
    assert "](" not in escaped and "<script>" not in escaped and ":red[" not in escaped and "$z$" not in escaped
    assert safe_link("x", "javascript:alert(1)") == "x"
    assert safe_link("x", "https://a.org/p) [y](javascript:1") == "x"
    assert safe_link("IMF", "https://www.imf.org/en/About") == "[IMF](https://www.imf.org/en/About)"


# ---------------------------------------------------------------- pages in AppTest


def run_page(page: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_inflation_page(lang):
    at = run_page("inflation", lang)
    spec = specs(at)[0]  # then the monthly charts (tests/test_monthly_charts.py)
    assert spec["layout"]["yaxis"]["type"] == "log"
    dashes = {t.get("line", {}).get("dash") for t in spec["data"] if t.get("hovertemplate", "").startswith("%{custom")}
    assert {"solid", "dot", "dash"} <= dashes, "IMF actuals solid, estimates (VEN 2024) dotted, projections dashed"
    captions = " ".join(c.value for c in at.caption)
    assert "Dashed lines: IMF projections" not in captions
    assert ("estimates a past year" if lang == "en" else "estima un año pasado") in captions
    assert any(t.get("mode") == "markers+text" for t in spec["data"]), "the documents' events are marked"
    source = "Sources:" if lang == "en" else "Fuentes:"
    assert any(source in a.get("text", "") for a in spec["layout"]["annotations"])
    assert "Venezuela" in at.header[0].value
    # The World Bank CPI for Venezuela stops in 2016: the note says so, from the data.
    note = at.info[0].value
    assert "2017–2025" in note and ("World Bank" in note or "Banco Mundial" in note)
    table = at.dataframe[0].value
    assert table["year"].tolist() == list(range(2012, 2025))
    assert at.get("download_button")
    peak = "65,374 %" if lang == "en" else "65.374 %"
    assert at.metric[0].value == peak
    # What the numbers cannot say: the central bank's silence and the Assembly's index, attributed and linked.
    gap = next(c.value for c in at.caption if ("29 May 2019" if lang == "en" else "29 de mayo de 2019") in c.value)
    assert ("130,060 %" if lang == "en" else "130\\.060 %") in gap
    assert ("1\\.7 million %" if lang == "en" else "1,7 millones %") in gap
    assert "elnuevosiglo.com.co" in gap and "t13.cl" in gap


def test_inflation_page_other_country_keeps_working():
    at = run_page("inflation", "en")
    at.selectbox(key="inflation_country").set_value("COL").run()
    assert not at.exception
    spec = specs(at)[0]
    assert "Colombia" in at.header[0].value
    assert not any(t.get("mode") == "markers+text" for t in spec["data"]), "Venezuela's events only on Venezuela"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_migration_page(lang):
    at = run_page("migration", lang)
    charts = specs(at)
    assert len(charts) == 4
    stacked, bars, host_map, net = charts
    assert len([t for t in stacked["data"] if t.get("stackgroup")]) == 3
    assert any(t.get("mode") == "markers+text" for t in stacked["data"]), "migration events are marked"
    (bar,) = bars["data"]
    assert len(bar["y"]) == 15
    assert bar["y"][0] == "Colombia"
    assert ("Peru" if lang == "en" else "Perú") in bar["y"]
    assert ("United States" if lang == "en" else "Estados Unidos") in bar["y"]
    assert net["data"][0]["y"], "net migration drawn"
    assert len(at.metric) == 3
    assert at.metric[1].value.startswith("Colombia")
    assert len(at.get("download_button")) == 4
    assert at.dataframe[0].value["name"].iloc[0] == "Colombia"
    assert [t["type"] for t in host_map["data"]] == ["scattergeo", "choropleth", "choropleth"]
    table = at.dataframe[1].value
    assert table["name"].iloc[0] == "Colombia" and len(table) == 52, "every host of 2025 beside the map"
    at.selectbox(key="migration-map-year").set_value(2019).run()
    assert len(at.dataframe[1].value) == 55, "the table follows the year"
    assert "2019" in " ".join(c.value for c in at.caption)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_sources_page(lang):
    at = run_page("sources", lang)
    table = at.dataframe[0].value
    assert len(table) >= 37
    assert {"publisher", "code", "licence", "licence_url", "canonical_url", "citation", "retrieved"} <= set(table)
    assert at.get("download_button")
    # Venezuela's own coverage, computed from the snapshot: the World Bank CPI stops in 2016.
    assert table.set_index("id").loc["inflation_cpi_wb_pct", "venezuela"] == "2009–2016"
    text = " ".join(m.value for m in at.markdown)
    assert "000\\_f1125d560f45f3b6" in text or "000_f1125d560f45f3b6" in text
    assert "002_3ba13bb4189d8964" in text or "002\\_3ba13bb4189d8964" in text
    assert ("36 events" if lang == "en" else "36 eventos") in text
    # Each document is named in words from data/events.yaml, the file name kept beside it.
    label = (
        "a 2025 article in support of the government" if lang == "en" else "un artículo de 2025 favorable al gobierno"
    )
    assert f"**{label}** · `002_3ba13bb4189d8964.txt`" in text
    assert "[CC BY 4\\.0](https://creativecommons.org/licenses/by/4.0/)" in text, "licences are linked"


def test_sources_page_filter_and_download_follow_the_choice():
    at = run_page("sources", "en")
    at.multiselect(key="src_topics").set_value(["Migration"]).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table["topic"]) == {"Migration"} and 0 < len(table) < 37
    at.selectbox(key="src_pick").set_value("net_migration_wb_persons").run()
    assert not at.exception
    assert any("SM.POP.NETM" in m.value for m in at.markdown)
