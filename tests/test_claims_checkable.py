"""Both documents' claims are tested the same way: every claim a catalogued series can speak to has that series,
the notes of the new social series say what the data cover, and a chart shows a gap in the data as a gap."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import pytest
import yaml

import loaders
from app.charts.figures import ChartText
from app.views.claims import chart_groups, claim_figure
from loaders import settings
from loaders.events import load_claims, validate_catalogues

ARTICLE, PAGE = "002_3ba13bb4189d8964.txt", "000_f1125d560f45f3b6.txt"  # the pro-government article; the film's page
# (document, words of the claim, series its record must chart): the claims of issue 12 that a catalogued series
# can speak to, from both documents.
REQUIRED = [
    (
        ARTICLE,
        "eradicating literacy",
        {"literacy_adult_wb_pct_of_adults", "school_enrolment_primary_wb_pct_of_age_group"},
    ),
    (ARTICLE, "52 new free universities", {"school_enrolment_tertiary_wb_pct_of_age_group"}),
    (
        ARTICLE,
        "free universal healthcare",
        {
            "infant_mortality_wb_per_1000_live_births",
            "under5_mortality_wb_per_1000_live_births",
            "maternal_mortality_wb_per_100k_live_births",
        },
    ),
    (
        ARTICLE,
        "social programmes for the poor",
        {"poverty_national_line_wb_pct_of_population", "income_inequality_wb_gini_index"},
    ),
    (ARTICLE, "hyper-inflation", {"inflation_avg_imf_pct"}),
    (ARTICLE, "oil prices crashed", {"oil_price_brent_monthly_usd_per_barrel"}),
    (ARTICLE, "increase in migration", {"displaced_abroad_from_ven_unhcr_persons"}),
    (
        PAGE,
        "more educated because of chavez",
        {"school_enrolment_primary_wb_pct_of_age_group", "school_enrolment_tertiary_wb_pct_of_age_group"},
    ),
    (PAGE, "food & goods scarcity", {"undernourishment_wb_pct_of_population"}),
    (PAGE, "more prosperous Latin American", {"gdp_per_capita_wb_usd"}),
    (PAGE, "murders PER YEAR", {"homicides_wb_per_100k"}),
    (PAGE, "less than 20%", {"oil_production_ei_thousand_barrels_per_day"}),
]


@pytest.fixture(scope="module")
def claims() -> list[dict]:
    return yaml.safe_load(settings.claims_path().read_text(encoding="utf-8"))["claims"]


def _claim_for(claims: list[dict], document: str, words: str) -> dict | None:
    """The claim whose own quote, from that document, holds the words."""
    return next((c for c in claims if c["document"] == document and words in c["quote"]), None)


@pytest.mark.parametrize(("document", "words", "series"), REQUIRED, ids=[w for _, w, _ in REQUIRED])
def test_each_checkable_claim_has_its_series(claims, document, words, series):
    claim = _claim_for(claims, document, words)
    assert claim is not None, f"no claim of {document} quotes {words!r}"
    missing = series - set(claim.get("series") or [])
    assert not missing, f"claim {claim['id']!r} ({words!r}) lacks the series {sorted(missing)}"


def test_a_claim_left_without_series_names_no_catalogued_series_and_says_why(claims):
    """A claim without series must say why; naming a series the catalog holds means it was left unchecked."""
    catalog = loaders.catalog()
    names = set(catalog.index) | set(catalog["code"])
    for claim in [c for c in claims if not c.get("series")]:
        reason = claim.get("no_series_note") or {}
        assert str(reason.get("en") or "").strip() and str(reason.get("es") or "").strip(), claim["id"]
        text = " ".join(str(v) for field in ("note", "no_series_note") for v in (claim.get(field) or {}).values())
        named = sorted(n for n in names if str(n) in text)
        assert not named, f"claim {claim['id']!r} has no series but its notes name catalogued {named}"


def test_both_documents_have_claims_checked_against_series(claims):
    charted = {doc: sum(1 for c in claims if c["document"] == doc and c.get("series")) for doc in (ARTICLE, PAGE)}
    assert charted[ARTICLE] >= 8 and charted[PAGE] >= 5, charted


def test_the_election_claim_is_dated_and_names_the_disputed_votes(claims):
    claim = _claim_for(claims, ARTICLE, "has won every election since")
    assert claim is not None and claim["series"] == []
    assert claim["note"]["en"].startswith("As of 2025, when the article was written")
    assert claim["note"]["es"].startswith("A 2025, cuando se escribió el artículo")
    for words in ("6 December 2015", "20 May 2018", "28 July 2024", "Carter Center"):
        assert words in claim["note"]["en"]
    assert len(claim["references"]) >= 6


@pytest.mark.parametrize(
    ("series_id", "words", "covered"),
    [
        ("literacy_adult_wb_pct_of_adults", "only 14 years between 1981 and 2017", (14, 1981, 2017)),
        ("school_enrolment_tertiary_wb_pct_of_age_group", "ends in 2009", (27, 1971, 2009)),
        ("undernourishment_wb_pct_of_population", "2001–2023 only", (23, 2001, 2023)),
        ("stunting_wb_pct_of_children_under_5", "no value after 2009", (21, 1984, 2009)),
        ("poverty_national_line_wb_pct_of_population", "1997–2015 and no value after 2015", (19, 1997, 2015)),
        ("poverty_3usd_a_day_wb_pct_of_population", "only 13 years between 1981 and 2006", (13, 1981, 2006)),
        ("income_inequality_wb_gini_index", "only 13 years between 1981 and 2006", (13, 1981, 2006)),
        ("maternal_mortality_wb_per_100k_live_births", "1985–2023 for Venezuela", (39, 1985, 2023)),
    ],
)
def test_descriptions_state_venezuelas_coverage_as_the_snapshot_has_it(series_id, words, covered):
    catalog = loaders.catalog()
    assert words in catalog.loc[series_id, "description_en"]
    years = loaders.load(series_id).query("country == 'VEN'")["date"].dt.year
    assert (len(years), years.min(), years.max()) == covered


def test_infant_mortality_description_names_the_repeated_value():
    catalog = loaders.catalog()
    frame = loaders.load("infant_mortality_wb_per_1000_live_births").query("country == 'VEN'")
    repeated = frame[frame["date"].dt.year >= 2016]["value"]
    assert repeated.nunique() == 1 and f"{repeated.iloc[0]:.1f}" == "21.2"
    description = catalog.loc["infant_mortality_wb_per_1000_live_births", "description_en"]
    assert "the same, 21.2, in each year from 2016 to 2024" in description


def test_a_chart_shows_missing_years_as_a_gap_and_a_lone_value_as_a_marker():
    """Literacy has 1981, 1990, 2001, 2005–2012, 2015–2017: no line may cross 1991–2000 or 2013–2014."""
    catalog = loaders.catalog()
    sid = "literacy_adult_wb_pct_of_adults"
    fig, plotted = claim_figure([sid], {sid: loaders.load(sid)}, catalog, None, "en", ChartText())
    trace = next(t for t in fig.data if t.name and "literacy" in t.name.lower())
    x, y = pd.to_datetime(np.asarray(trace.x)), np.asarray(trace.y, dtype=float)
    for before, after in ((1990, 2001), (2012, 2015)):
        between = (x.year >= before) & (x.year <= after)
        assert np.isnan(y[between]).any(), f"the line bridges {before}–{after}"
    sizes = np.asarray(trace.marker.size)
    assert sizes[(x.year == 1990) & ~np.isnan(y)][0] > 0  # 1990 stands alone: it needs a marker to be seen
    assert sizes[(x.year == 2007) & ~np.isnan(y)][0] == 0
    assert len(plotted) == 14


def test_the_prosperity_claim_compares_venezuela_with_the_region_in_both_languages():
    catalog = loaders.catalog()
    claim = load_claims().set_index("id").loc["prosperous_latin_american_country"]
    assert claim["countries"][:2] == ["VEN", "LCN"]
    frames = {"gdp_per_capita_wb_usd": loaders.load("gdp_per_capita_wb_usd")}
    groups = chart_groups(claim["series"], catalog)
    for lang, region in (("en", "Latin America & Caribbean"), ("es", "América Latina y el Caribe")):
        fig, plotted = claim_figure(groups[0], frames, catalog, None, lang, ChartText(), countries=claim["countries"])
        names = {html.unescape(t.name or "").replace("<br>", " ") for t in fig.data}
        assert {"Venezuela", region} <= names
        assert set(plotted["country"]) == set(claim["countries"])


def test_validate_names_a_malformed_figure(tmp_path, claims):
    bad = [dict(c) for c in claims]
    bad[0] = dict(bad[0], figures=[{"series": "inflation_avg_imf_pct", "date": 2018, "value": "65,374"}])
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump({"claims": bad}, allow_unicode=True), encoding="utf-8")
    problems, _ = validate_catalogues(set(loaders.catalog().index), None, claims_path=path)
    ours = [p for p in problems if p.startswith("claims.yaml")]
    assert any("'figures[0].date'" in p and bad[0]["id"] in p for p in ours), ours
    assert any("'figures[0].value'" in p for p in ours), ours


def _ven(series_id: str, country: str = "VEN") -> pd.Series:
    frame = loaders.load(series_id).query("country == @country")
    return frame.set_index(frame["date"].dt.year)["value"]


def test_numbers_the_notes_derive_from_several_values_are_recomputed(claims):
    """Numbers the ``figures`` convention cannot list (products, shares, runs of years) recomputed here."""
    notes = {c["id"]: c["note"]["en"] for c in claims}
    rate, people = _ven("homicides_wb_per_100k"), _ven("population_wb_persons")
    for year, text in ((2012, "16,100"), (2014, "19,000"), (2015, "15,700"), (2016, "17,400"), (2019, "11,900")):
        assert f"{round(rate[year] * people[year] / 1e5, -2):,.0f}" == text and text in notes["murders_per_year"]
    # The Public Ministry's 2016 total without killings by security forces, against the UNODC-implied 17,400.
    assert f"{21752 - 4667:,}" == "17,085" and "(17,085)" in notes["murders_per_year"]
    oil = _ven("oil_production_ei_thousand_barrels_per_day")
    assert f"{oil[2020] / oil[1998]:.1%}" == "19.7%" and f"{oil[2023] / oil[1998]:.1%}" == "24.8%"
    assert f"{oil[2021] / oil[2013]:.1%}–{oil[2020] / oil[2013]:.1%}" == "25.3%–25.4%"
    gdp, region = _ven("gdp_per_capita_wb_usd"), _ven("gdp_per_capita_wb_usd", "LCN")
    assert (
        f"{gdp[2013] / gdp[2012] - 1:.0%}" == "-31%"
        and "falls 31% in 2013" in notes["prosperous_latin_american_country"]
    )
    above = sorted(y for y in gdp.index if gdp[y] > region[y])
    assert set(range(1960, 1989)) <= set(above) and set(range(2005, 2013)) <= set(above)
    assert not set(range(2013, 2026)) & set(above) and 2025 in gdp.index
    literacy = _ven("literacy_adult_wb_pct_of_adults")
    assert f"{100 - literacy[2005]:.1f}" == "5.6" and "5.6% of adults" in notes["literacy"]
    poverty = _ven("poverty_national_line_wb_pct_of_population")
    assert (poverty.loc[2007:2012].min(), poverty.loc[2007:2012].max()) == (poverty[2009], poverty[2008])  # 26.4 … 27.7
    assert poverty.index.max() == 2015 and poverty[2013] > poverty[2012]
