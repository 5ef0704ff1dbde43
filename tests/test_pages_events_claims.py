"""Events and Claims pages: the pure builders (timeline, dates, filters, safe Markdown, claim charts) and
both pages run in AppTest in English and Spanish, including the jump from an event to Explore and data
text that tries to inject links or HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

import app.runtime.data
import loaders
from app.charts.event_marks import CATEGORY_COLOURS
from app.charts.event_marks import _event_hover as figures_event_hover
from app.charts.figures import ChartText
from app.citations import quote_markdown
from app.links import references, safe_url
from app.text import WORD_JOINER, escape_markdown
from app.views.claims import chart_groups, claim_figure, claim_label, shared_range, uses_log
from app.views.events import (
    CONTEXT,
    ROW_PX,
    chronological,
    event_hover,
    explore_params,
    filter_events,
    format_date,
    format_when,
    timeline_figure,
    timeline_range,
)
from loaders.events import categories, cite_document, documents, load_claims, load_events

DASHBOARD = str(Path(__file__).resolve().parents[1] / "dashboard.py")
ARTICLE, FILM_PAGE = "002_3ba13bb4189d8964.txt", "000_f1125d560f45f3b6.txt"
SPECIAL = "\\`*_[]()<>#+-.!|{}~$"
HOSTILE_TITLE = "[x](javascript:alert(1))"
HOSTILE_QUOTE = "<script>alert('quote')</script> [y](javascript:alert(2))"
UNESCAPED_LINK = re.compile(r"(?<!\\)\]\((?:javascript|<)", re.IGNORECASE)


# --- pure builders -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return chronological(load_events())


@pytest.fixture(scope="module")
def names() -> dict[str, str]:
    out = {key: labels["en"] for key, labels in categories().items()}
    return out | {CONTEXT: "Context (not from the documents)"}


def timeline(events, names, **kwargs):
    return timeline_figure(events, "en", names, ChartText(source="Events: documents"), list(categories()), **kwargs)


def drawn(fig, kind: str) -> list:
    return [t for t in fig.data if isinstance(t.meta, dict) and t.meta.get("kind") == kind]


def test_timeline_has_one_row_and_one_marker_trace_per_category(events, names):
    fig = timeline(events, names)
    document_categories = set(events.loc[events["kind"] != CONTEXT, "category"])
    rows = {t.meta["category"] for t in drawn(fig, "points") + drawn(fig, "periods")}
    assert rows == document_categories | {CONTEXT}
    per_category = [t.meta["category"] for t in drawn(fig, "points")]
    assert len(per_category) == len(set(per_category)), "one marker trace per category"
    # Every event is drawn exactly once, as a marker or as a bar.
    ids = [i for t in drawn(fig, "points") + drawn(fig, "periods") for i in t.meta["ids"]]
    assert sorted(ids) == sorted(events["id"])
    # Row names are written on the chart, one per row, and the chart is tall enough for all rows.
    assert len(fig.layout.annotations) >= len(rows)
    assert fig.layout.height >= ROW_PX * len(rows)


def test_periods_are_bars_from_start_to_end_and_ongoing_ones_run_to_the_edge(events, names):
    x_range = timeline_range(events)
    fig = timeline(events, names, x_range=x_range)
    by_id = events.set_index("id")
    bars = drawn(fig, "periods")
    assert bars and all(t.type == "bar" and t.orientation == "h" for t in bars)
    checked = 0
    for trace in bars:
        for eid, base, length in zip(trace.meta["ids"], trace.base, trace.x, strict=True):
            event = by_id.loc[eid]
            end = pd.Timestamp(base) + pd.Timedelta(milliseconds=length)
            assert pd.Timestamp(base) == event["start"]
            assert end == (x_range[1] if event["ongoing"] else event["end"]), eid
            checked += 1
    periods = events[events["end"].notna() | events["ongoing"]]
    assert checked == len(periods)
    assert {"coup_2002", "hyperinflation_2017_2021"} <= set(periods["id"])
    assert "us_sanctions_years" not in set(periods["id"])
    # Point events are markers, not bars.
    assert "chavez_death_2013" in {i for t in drawn(fig, "points") for i in t.meta["ids"]}


def test_context_events_are_grey_hollow_and_in_their_own_row(events, names):
    fig = timeline(events, names)
    context = [t for t in drawn(fig, "points") if t.meta["category"] == CONTEXT]
    assert len(context) == 1
    trace = context[0]
    assert set(trace.meta["ids"]) == set(events.loc[events["kind"] == CONTEXT, "id"])
    assert trace.marker.color == CATEGORY_COLOURS[CONTEXT]
    assert trace.marker.symbol == "diamond-open"
    others = [t for t in drawn(fig, "points") if t.meta["category"] != CONTEXT]
    assert all(t.marker.symbol == "diamond" for t in others)
    assert any("Context" in a.text for a in fig.layout.annotations)
    assert all("not from the documents" in h for h in trace.hovertext)


def test_timeline_hover_has_title_date_quote_and_document_and_escapes_html(events, names):
    hostile = events.copy()
    first = hostile.index[0]
    hostile.loc[first, "title_en"] = "<b>x</b>"
    hostile.loc[first, "quote"] = "<script>alert(1)</script>"
    fig = timeline(hostile, names)
    texts = [h for t in drawn(fig, "points") for h in t.hovertext]
    texts += [h for t in drawn(fig, "periods") for h in t.customdata]
    caracazo = next(h for h in texts if "&lt;b&gt;x&lt;/b&gt;" in h)
    assert "&lt;script&gt;" in caracazo and "<script>" not in caracazo
    assert "27 February 1989" in caracazo and ARTICLE in caracazo
    oil = next(h for h in texts if "Oil price crash" in h)
    assert "June 2014 – January 2016" in oil and "oil prices crashed" in oil


def test_selected_event_is_circled(events, names):
    fig = timeline(events, names, highlight="covid19_pandemic_2020")
    assert [t.meta["ids"] for t in drawn(fig, "highlight")] == [["covid19_pandemic_2020"]]
    assert drawn(timeline(events, names), "highlight") == []


@pytest.mark.parametrize(
    "day, precision, lang, expected",
    [
        ("1989-02-27", "day", "en", "27 February 1989"),
        ("1989-02-27", "day", "es", "27 de febrero de 1989"),
        ("2006-04-01", "month", "en", "April 2006"),
        ("2006-04-01", "month", "es", "abril de 2006"),
        ("2018-01-01", "year", "en", "2018"),
        ("2018-01-01", "year", "es", "2018"),
    ],
)
def test_dates_are_written_at_their_precision(day, precision, lang, expected):
    assert format_date(pd.Timestamp(day), precision, lang) == expected


def test_periods_and_ongoing_periods_are_written_as_such():
    start, end = pd.Timestamp("2002-12-02"), pd.Timestamp("2003-02-02")
    assert format_when(start, end, "day", False, "en") == "2 December 2002 – 2 February 2003"
    assert format_when(start, pd.NaT, "day", False, "en") == "2 December 2002"
    assert format_when(pd.Timestamp("2015-01-01"), pd.NaT, "year", True, "en") == "2015 – ongoing"
    assert format_when(pd.Timestamp("2015-01-01"), pd.NaT, "year", True, "es") == "2015 – en curso"


def test_escape_markdown_neutralises_links_and_html():
    link = escape_markdown(HOSTILE_TITLE)
    assert link == r"\[x\]\(javascript\:alert\(1\)\)"
    assert not UNESCAPED_LINK.search(link)
    assert escape_markdown("<script>") == r"\<script\>"
    assert escape_markdown("US$10 and US$200") == r"US\$10 and US\$200"  # no LaTeX between two dollars
    assert escape_markdown(None) == "" and escape_markdown(float("nan")) == ""


@given(st.text(max_size=200))
def test_escape_markdown_escapes_every_special_character_and_loses_nothing(text):
    escaped = escape_markdown(text)
    unescaped = re.sub(r"\\(.)", r"\1", escaped.replace(WORD_JOINER, ""), flags=re.DOTALL)
    assert unescaped == text.replace(WORD_JOINER, "")
    for match in re.finditer(r"(\\*)([" + re.escape(SPECIAL) + "])", escaped):
        # A special character is preceded by an odd number of backslashes: it is escaped.
        assert len(match.group(1)) % 2 == 1 or match.group(2) == "\\"


def test_only_http_links_are_kept_and_made_safe_for_markdown():
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,<script>") is None
    assert safe_url("https://x.org/a_(b) c") == "https://x.org/a_%28b%29%20c"
    assert references(["https://a.org/", "javascript:alert(1)", None]) == ["https://a.org/"]
    assert references("https://a.org/") == ["https://a.org/"] and references(None) == []


def test_filters_by_category_and_document(events):
    oil = filter_events(events, ["oil"], None)
    assert set(oil["category"]) == {"oil"} and len(oil) == (events["category"] == "oil").sum()
    film = filter_events(events, None, FILM_PAGE)
    assert "coup_2002" in set(film["id"])  # cited by the film page in also_in
    assert "sanitarios_maracay_2006_2007" in set(film["id"])
    assert "constitution_1999" not in set(film["id"])
    assert set(filter_events(events, None, CONTEXT)["kind"]) == {CONTEXT}
    assert len(filter_events(events, [], None)) == len(events)


def test_explore_link_takes_the_first_two_series_or_none(events):
    by_id = {row.id: row for row in events.itertuples()}
    params = explore_params(by_id["oil_price_crash_2014_2016"], "es")
    assert params == {
        "event": "oil_price_crash_2014_2016",
        "series": "oil_price_brent_monthly_usd_per_barrel,oil_price_brent_daily_usd_per_barrel",
        "lang": "es",
    }
    assert explore_params(by_id["military_uprising_1992"], "en") is None


def test_claim_charts_group_series_by_unit_and_use_a_log_scale_for_inflation():
    catalog = loaders.catalog()
    claims = load_claims().set_index("id")
    assert chart_groups(claims.loc["hyperinflation", "series"], catalog) == [
        ["inflation_avg_imf_pct", "inflation_eop_imf_pct"]
    ]
    assert chart_groups(claims.loc["murders_per_year", "series"], catalog) == [
        ["homicides_wb_per_100k"],
        ["population_wb_persons"],
    ]
    assert chart_groups(claims.loc["literacy", "series"], catalog) == [
        ["literacy_adult_wb_pct_of_adults"],
        ["school_enrolment_primary_wb_pct_of_age_group"],
    ]
    assert chart_groups(claims.loc["free_universal_healthcare", "series"], catalog) == [
        ["infant_mortality_wb_per_1000_live_births", "under5_mortality_wb_per_1000_live_births"],
        ["maternal_mortality_wb_per_100k_live_births"],
    ]
    assert chart_groups(claims.loc["won_every_election_since_2013", "series"], catalog) == []
    assert uses_log(["inflation_avg_imf_pct"], catalog) and not uses_log(["population_wb_persons"], catalog)


def test_claim_figure_draws_venezuela_with_events_and_source():
    catalog = loaders.catalog()
    group = ["inflation_avg_imf_pct", "inflation_eop_imf_pct"]
    frames = {sid: loaders.load(sid) for sid in group}
    events = load_events()
    marked = events[events["series"].apply(lambda ids: "inflation_avg_imf_pct" in ids)]
    text = ChartText(source="Source: IMF (PCPIPCH)")
    fig, plotted = claim_figure(group, frames, catalog, marked, "es", text)
    assert set(plotted["country"]) == {"VEN"} and set(plotted["series"]) == set(group)
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.title.text == "Venezuela"
    assert any("IMF (PCPIPCH)" in a.text for a in fig.layout.annotations)
    names = {(t.name or "").replace("<br>", " ") for t in fig.data}  # long legend entries are wrapped
    assert catalog.loc["inflation_avg_imf_pct", "title_es"] in names
    hovers = " ".join(str(h) for t in fig.data for h in (t.hovertext or []))
    assert "Hiperinflación" in hovers  # the document's event marked, in the reader's language


def test_world_oil_prices_are_charted_and_charts_share_a_time_axis():
    catalog = loaders.catalog()
    frames = {"oil_price_brent_monthly_usd_per_barrel": loaders.load("oil_price_brent_monthly_usd_per_barrel")}
    fig, plotted = claim_figure(list(frames), frames, catalog, None, "en", ChartText())
    assert set(plotted["country"]) == {"WLD"} and len(fig.data) >= 1
    assert fig.layout.title.text == ""
    one = pd.DataFrame({"date": pd.to_datetime(["1960-01-01", "2025-01-01"])})
    two = pd.DataFrame({"date": pd.to_datetime(["1990-01-01", "2022-01-01"])})
    assert shared_range([[one], [two]]) == (pd.Timestamp("1990-01-01"), pd.Timestamp("2025-01-01"))


def test_claim_quote_and_label_are_safe():
    assert not UNESCAPED_LINK.search(quote_markdown(HOSTILE_TITLE, "a_b.txt"))
    assert quote_markdown("x", "a_b.txt").endswith(r"— a\_b\.txt")
    assert claim_label(1, "a " * 100).endswith("…”") and len(claim_label(1, "a " * 100)) < 90


# --- the pages in AppTest ------------------------------------------------------------------------------------


def open_page(page: str, lang: str, **params: str) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def event_titles(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if re.match(r"^\*\*\d+\\\. ", m.value)]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_events_page_lists_every_event_with_quote_document_and_timeline(lang):
    at = open_page("events", lang)
    events = load_events()
    assert len(event_titles(at)) == len(events) == 36
    assert at.header[-1].value == ("36 events" if lang == "en" else "36 eventos")
    assert len(at.get("plotly_chart")) == 1
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    caracazo = events.set_index("id").loc["imf_austerity_caracazo_1989"]
    assert escape_markdown(caracazo["quote"]) in text
    assert escape_markdown(caracazo[f"title_{lang}"]) in text
    assert escape_markdown(ARTICLE) in text
    # The quote names its document in words, the file name kept as the reference.
    label = (
        "a 2025 article in support of the government" if lang == "en" else "un artículo de 2025 favorable al gobierno"
    )
    assert f"— {escape_markdown(label)} \\({escape_markdown(ARTICLE)}\\)" in text
    # A context event says why it is here.
    captured = events.set_index("id").loc["maduro_captured_2026"]
    assert escape_markdown(captured[f"why_{lang}"]) in text
    assert ("27 February 1989" if lang == "en" else "27 de febrero de 1989") in text
    # An event both documents tell shows the other document's words too, and every date's reference is a link.
    told_twice = events[events["also_in"].map(bool)].iloc[0]
    assert escape_markdown(told_twice["also_in"][0]["quote"]) in text
    assert (":small[Also in:]" if lang == "en" else ":small[También en:]") in text
    assert f"[{escape_markdown('en.wikipedia.org')}](https://en.wikipedia.org/" in text
    assert all(not m.proto.allow_html for m in at.markdown)
    # A link to Explore for each event with series, with the event and its first two series.
    with_series = events[events["series"].map(len) > 0]
    assert len(at.page_link) == len(with_series)
    assert all(f"lang={lang}" in link.proto.query_string for link in at.page_link)
    assert at.page_link[0].proto.page == "explore"
    assert "event=imf_austerity_caracazo_1989" in at.page_link[0].proto.query_string


@pytest.mark.parametrize("lang", ["en", "es"])
def test_category_and_document_filters_shorten_the_list(lang):
    at = open_page("events", lang)
    events = load_events()
    at.multiselect(key="events-categories").select("oil").run()
    assert not at.exception
    assert len(event_titles(at)) == (events["category"] == "oil").sum() == 3
    at.multiselect(key="events-categories").unselect("oil").run()
    at.selectbox(key="events-document").set_value(CONTEXT).run()
    assert len(event_titles(at)) == (events["kind"] == CONTEXT).sum() == 10
    assert len(at.get("plotly_chart")) == 1


@pytest.mark.parametrize("lang", ["en", "es"])
def test_choosing_an_event_and_pressing_explore_opens_explore_on_it(lang):
    at = open_page("events", lang)
    at.selectbox(key="events-choice").set_value("oil_price_crash_2014_2016").run()
    assert not at.exception
    at.button(key="events-open").click().run()
    assert not at.exception, [e.value for e in at.exception]
    # AppTest follows st.switch_page: the run ends on Explore, with the event in the URL.
    assert at.query_params.get("event") == "oil_price_crash_2014_2016"
    assert at.query_params.get("series", "").startswith(
        "oil_price_brent_monthly_usd_per_barrel,oil_price_brent_daily_usd_per_barrel"
    )
    assert at.query_params.get("lang") == lang
    assert at.title[0].value != ("Events" if lang == "en" else "Eventos")
    assert not [w for w in at.selectbox if w.key == "events-choice"]


def test_an_event_without_series_says_so_instead_of_offering_explore():
    at = open_page("events", "en")
    at.selectbox(key="events-choice").set_value("military_uprising_1992").run()
    assert not [b for b in at.button if b.key == "events-open"]
    assert "No series in the dashboard measures this event" in at.info[0].value


@pytest.mark.parametrize("lang", ["en", "es"])
def test_claims_page_shows_quote_chart_and_note_of_a_claim_with_series(lang):
    at = open_page("claims", lang)
    claim = load_claims().set_index("id").loc["hyperinflation"]
    text = " ".join(m.value for m in at.markdown)
    assert escape_markdown(claim["quote"]) in text and escape_markdown(ARTICLE) in text
    # Both quotes name their document in words, with the file name as the reference.
    docs = documents()
    for name in (ARTICLE, FILM_PAGE):
        assert f"— {escape_markdown(cite_document(name, lang, docs))}" in text, name
    assert escape_markdown(claim[f"note_{lang}"]) in text
    assert len(at.get("plotly_chart")) == 1
    assert at.query_params.get("claim") == "hyperinflation"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_claims_page_shows_the_no_series_note_of_a_claim_without_series(lang):
    at = open_page("claims", lang)
    at.selectbox(key="claims-choice").set_value("deaths_from_shortages_2018").run()
    assert not at.exception
    claim = load_claims().set_index("id").loc["deaths_from_shortages_2018"]
    assert escape_markdown(claim[f"no_series_note_{lang}"]) in [i.value for i in at.info]
    assert len(at.get("plotly_chart")) == 0
    assert escape_markdown(claim[f"note_{lang}"]) in " ".join(m.value for m in at.markdown)


def test_claims_page_opens_the_claim_in_the_link_and_draws_two_charts_for_two_units():
    at = open_page("claims", "es", claim="murders_per_year")
    assert at.selectbox(key="claims-choice").value == "murders_per_year"
    assert len(at.get("plotly_chart")) == 2  # a rate and a population: never on one axis
    bad = open_page("claims", "en", claim="no_such_claim")
    assert r"no\_such\_claim" in bad.warning[0].value  # shown as inert text
    assert bad.selectbox(key="claims-choice").value == "hyperinflation"


def test_hostile_data_text_is_shown_as_text(monkeypatch):
    events = load_events()
    events.loc[0, "title_en"] = HOSTILE_TITLE
    events.loc[0, "quote"] = HOSTILE_QUOTE
    events.loc[0, "description_en"] = "**bold** $x$ <img src=x onerror=alert(3)>"
    events.loc[0, "date_reference"] = "javascript:alert(4)"
    claims = load_claims()
    claims.loc[0, "quote"] = HOSTILE_TITLE
    claims.loc[0, "note_en"] = HOSTILE_QUOTE
    monkeypatch.setattr(app.runtime.data, "events", lambda: events)
    monkeypatch.setattr(app.runtime.data, "claims", lambda: claims)
    for page in ("events", "claims"):
        at = open_page(page, "en")
        texts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
        assert not any(UNESCAPED_LINK.search(t) for t in texts), page
        assert not any("javascript:alert(4)" in t for t in texts)
        assert not any(re.search(r"(?<!\\)<(script|img)", t) for t in texts), page
        assert any(escape_markdown(HOSTILE_TITLE) in t for t in texts), page
        assert all(not m.proto.allow_html for m in at.markdown)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_hovers_name_the_document_in_words_and_say_why_context_is_there(lang):
    events = chronological(load_events()).set_index("id", drop=False)
    quoted = next(events.loc[["coup_2002"]].itertuples())
    hover = event_hover(quoted, lang, "Context", "Politics").replace("<br>", " ")
    assert f"— {quoted._asdict()[f'cited_{lang}']}" in hover and "002_3ba13bb4189d8964.txt" in hover
    context = next(events.loc[["maduro_captured_2026"]].itertuples())
    hover = event_hover(context, lang, "Context", "Politics").replace("<br>", " ")
    assert context._asdict()[f"why_{lang}"] in hover
    overview_hover = figures_event_hover(context, lang).replace("<br>", " ")
    assert context._asdict()[f"why_{lang}"] in overview_hover
