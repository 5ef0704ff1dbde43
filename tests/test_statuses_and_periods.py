"""What each value is: its status in the snapshots (IMF actual/estimate/projection, UNHCR provisional), the period
every catalog series says it covers, and the numbers the catalog's descriptions quote, recomputed."""

from __future__ import annotations

import json

import pytest

import loaders
from loaders.errors import ValidationError
from loaders.http import Http
from loaders.metadata import PERIODS, entry_problems, read_catalog
from loaders.sources import unhcr
from tests.upstream import SERVE, upstream_mirror


def venezuela(series_id: str) -> dict[int, str]:
    rows = loaders.load(series_id)
    rows = rows[rows["country"] == "VEN"]
    return dict(zip(rows["date"].dt.year, rows["status"], strict=True))


def test_imf_years_already_past_are_estimates_and_only_the_editions_year_on_are_projections():
    """WEO October 2025: Venezuela's GDP growth is reported to 2018, estimated 2019-2024, projected from 2025."""
    growth = venezuela("gdp_growth_imf_pct")
    assert growth[2018] == "actual"
    assert {growth[y] for y in range(2019, 2025)} == {"estimate"}
    assert growth[2025] == "projection"
    inflation = venezuela("inflation_avg_imf_pct")
    assert inflation[2023] == "actual" and inflation[2024] == "estimate" and inflation[2025] == "projection"
    catalog = read_catalog()
    for sid, entry in catalog.series.items():
        if entry["source"] != "imf":
            continue
        assert entry["first_projection_year"] == catalog.sources["imf"]["first_projection_year"] == 2025, sid
        rows = loaders.load(sid)
        assert set(rows.loc[rows["date"].dt.year >= 2025, "status"]) == {"projection"}, sid
        assert "projection" not in set(rows.loc[rows["date"].dt.year < 2025, "status"]), sid


def test_unhcr_snapshots_mark_the_mid_year_release_provisional():
    for sid, entry in read_catalog().series.items():
        if entry["source"] != "unhcr":
            continue
        rows = loaders.load(sid)
        assert set(rows.loc[rows["date"].dt.year == 2025, "status"]) == {"provisional"}, sid
        assert set(rows.loc[rows["date"].dt.year < 2025, "status"]) == {"actual"}, sid
        assert "end of year" not in entry["description"]["en"], f"{sid}: 2025 is a mid-year figure"
        assert "mid-year" in entry["description"]["en"] and "mitad de año" in entry["description"]["es"], sid


def test_every_series_says_what_period_a_value_covers():
    catalog = read_catalog()
    missing = [sid for sid, entry in catalog.series.items() if entry.get("period") not in PERIODS]
    assert missing == [], f"add 'period: average | end_of_period | flow' to: {', '.join(missing)}"
    assert catalog.series["oil_production_ei_thousand_barrels_per_day"]["period"] == "average"
    assert catalog.series["displaced_abroad_from_ven_unhcr_persons"]["period"] == "end_of_period"
    assert catalog.series["inflation_eop_imf_pct"]["period"] == "end_of_period"


def test_a_wrong_period_or_edition_year_is_named_with_what_was_expected():
    catalog = read_catalog()
    entry = dict(catalog.series["inflation_avg_imf_pct"])
    problems = entry_problems({**entry, "period": "annual"}, catalog.units, catalog.sources, catalog.topics)
    assert problems == ["field 'period' is 'annual'; expected one of: average, end_of_period, flow"]
    problems = entry_problems({**entry, "first_projection_year": 2023}, catalog.units, catalog.sources, catalog.topics)
    assert len(problems) == 1 and "before first_projection_year 2023" in problems[0] and "VEN: 2023" in problems[0]
    with pytest.raises(ValidationError, match="provisional_year"):
        unhcr.parse([b'{"maxPages": 1, "items": [{"year": 2024, "coo_iso": "VEN", "coa_iso": "COL", "refugees": 1}]}'],
                    {"id": "x", "code": "refugees"})  # fmt: skip


@pytest.mark.skipif(not SERVE.exists(), reason=f"{SERVE} not present: the UNHCR answer cannot be read")
def test_others_of_concern_left_out_of_the_sum_as_the_descriptions_say():
    """The descriptions quote 345,585 Venezuelan 'others of concern' in 2017: recomputed from UNHCR's answer."""
    with upstream_mirror() as base:
        pages = unhcr.fetch({"code": "ooc"}, Http(mirror=base))
    items = [item for page in pages for item in json.loads(page.body)["items"]]
    ooc_2017 = sum(item.get("ooc") or 0 for item in items if item["year"] == 2017 and item["coa_iso"] != "VEN")
    assert ooc_2017 == 345_585
    for sid in ("displaced_abroad_from_ven_unhcr_persons", "displaced_abroad_by_host_country_unhcr_persons"):
        description = read_catalog().series[sid]["description"]
        assert f"{ooc_2017:,}" in description["en"] and f"{ooc_2017:,}".replace(",", ".") in description["es"]
    total_2017 = loaders.load("displaced_abroad_from_ven_unhcr_persons").set_index("date")["value"]["2017-01-01"]
    assert total_2017 == 157_368, "others of concern are not in the 2017 sum"


MOMENTS = [("en", "mid-2025 (provisional)", "end of 2024"), ("es", "mediados de 2025 (provisional)", "fin de 2024")]


@pytest.mark.parametrize(("lang", "latest", "before"), MOMENTS)
def test_migration_names_the_moment_each_count_stands_for_and_draws_it_there(lang, latest, before):
    from app.views import migration

    frames = {sid: loaders.load(sid) for sid in migration.CATEGORY_SERIES}
    assert migration.moment(frames, 2025, lang) == latest and migration.moment(frames, 2024, lang) == before
    fig = migration.stacked_area_figure(frames, {s: s for s in frames}, None, migration.figures.ChartText(), lang)
    refugees = fig.data[0]
    assert str(refugees.x[-2])[:10] == "2024-12-31" and str(refugees.x[-1])[:10] == "2025-07-01"
    assert refugees.customdata[-1][0] == latest.split(" (")[0] and "e+" not in refugees.customdata[-1][1]
    diamonds = [t for t in fig.data if t.marker.symbol == "diamond-open"]
    assert len(diamonds) == 1 and diamonds[0].y[0] == sum(f["value"].iloc[-1] for f in frames.values())
