"""The event layer: the real catalogues validate, and each kind of bad record is caught and named."""

import copy
from pathlib import Path

import pandas as pd
import pytest
import yaml

from loaders import settings
from loaders.events import (
    categories,
    cite_document,
    documents,
    load_claims,
    load_events,
    normalise_quote_text,
    validate_catalogues,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
ARTICLE, FILM_PAGE = "002_3ba13bb4189d8964.txt", "000_f1125d560f45f3b6.txt"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"source documents not present at {SEEDS}")


def catalog_ids() -> set[str]:
    return {entry["id"] for entry in yaml.safe_load((ROOT / "data" / "catalog.yaml").read_text())["series"]}


def real(name: str) -> dict:
    return yaml.safe_load((ROOT / "data" / name).read_text(encoding="utf-8"))


# A small document and one good record of each kind; the bad-record tests change one field.
DOC = "Comment: when the “upper class“ tried to over\n throw him in 2002  they couldn`t tell the people."
EVENT = {
    "id": "coup_2002",
    "kind": "document",
    "start": "2002-04-11",
    "end": "2002-04-14",
    "precision": "day",
    "title": {"en": "Coup against Chávez", "es": "Golpe contra Chávez"},
    "description": {"en": "One sentence. Two sentences.", "es": "Una oración. Dos oraciones."},
    "category": "politics",
    "document": "doc.txt",
    "quote": 'the "upper class" tried to over throw him in 2002',
    "date_reference": "https://en.wikipedia.org/wiki/2002_Venezuelan_coup_attempt",
    "series": ["gdp_growth_wb_pct"],
}
CLAIM = {
    "id": "coup_claim",
    "document": "doc.txt",
    "quote": "they couldn't tell the people",
    "series": [],
    "no_series_note": {"en": "No series in the dashboard yet.", "es": "Aún no hay series en el tablero."},
    "note": {"en": "A note.", "es": "Una nota."},
}


DOCS = {
    "doc.txt": {
        "label": {"en": "a reader's comment", "es": "un comentario de un lector"},
        "description": {"en": "A page with comments.", "es": "Una página con comentarios."},
    }
}
CONTEXT_EVENT = {
    "id": "pandemic_2020",
    "kind": "context",
    "start": "2020-03-11",
    "precision": "day",
    "title": {"en": "Pandemic", "es": "Pandemia"},
    "description": {"en": "Context. Two.", "es": "Contexto. Dos."},
    "why": {"en": "Output fell everywhere.", "es": "La producción cayó en todas partes."},
    "category": "politics",
    "date_reference": "https://www.who.int/",
    "series": [],
}


def check(tmp_path: Path, events=None, claims=None, seeds: bool = True, docs=None) -> tuple[list[str], list[str]]:
    """Validate small catalogues written to tmp_path, against a one-document seeds folder."""
    (tmp_path / "seeds").mkdir(exist_ok=True)
    (tmp_path / "seeds" / "doc.txt").write_text(DOC, encoding="utf-8")
    cats = {"politics": {"en": "Politics", "es": "Política"}}
    events_yaml, claims_yaml = tmp_path / "events.yaml", tmp_path / "claims.yaml"
    catalogue = {"documents": docs or DOCS, "categories": cats, "events": events or [EVENT]}
    events_yaml.write_text(yaml.safe_dump(catalogue, allow_unicode=True))
    claims_yaml.write_text(yaml.safe_dump({"claims": claims or [CLAIM]}, allow_unicode=True))
    seeds_dir = tmp_path / "seeds" if seeds else tmp_path / "no-such-folder"
    return validate_catalogues(catalog_ids(), seeds_dir=seeds_dir, events_path=events_yaml, claims_path=claims_yaml)


def changed(record: dict, **fields) -> dict:
    out = copy.deepcopy(record)
    for key, value in fields.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


@needs_seeds
def test_real_catalogues_validate_against_the_real_documents():
    problems, notes = validate_catalogues(catalog_ids(), seeds_dir=SEEDS)
    assert problems == []
    assert len(notes) == 1 and notes[0].startswith("quote check: ") and "skipped" not in notes[0]
    quotes = sum(1 + len(r.get("also_in", [])) for r in real("events.yaml")["events"] if r["kind"] == "document")
    quotes += sum(1 + len(r.get("also_in", [])) for r in real("claims.yaml")["claims"])
    assert f"{quotes} quotes found verbatim" in notes[0]


@needs_seeds
@pytest.mark.parametrize("which", ["quote", "also_in"])
def test_an_altered_quote_in_the_real_catalogue_fails(tmp_path, which):
    events = real("events.yaml")
    coup = next(e for e in events["events"] if e["id"] == "coup_2002")
    if which == "quote":
        coup["quote"] = coup["quote"].replace("short-lived", "long-lived")
    else:
        coup["also_in"][0]["quote"] = coup["also_in"][0]["quote"].replace("2002", "2003")
    altered = tmp_path / "events.yaml"
    altered.write_text(yaml.safe_dump(events, allow_unicode=True), encoding="utf-8")
    problems, _ = validate_catalogues(catalog_ids(), seeds_dir=SEEDS, events_path=altered)
    field = "quote" if which == "quote" else "also_in[0].quote"
    assert problems == [p for p in problems if p.startswith(f"events.yaml: event 'coup_2002': field '{field}'")]
    assert len(problems) == 1 and "not found verbatim" in problems[0]


def test_every_referenced_series_exists_in_the_catalog():
    ids = catalog_ids()
    records = real("events.yaml")["events"] + real("claims.yaml")["claims"]
    referenced = {s for r in records for s in r["series"]}
    assert referenced and referenced <= ids, sorted(referenced - ids)


def test_the_small_good_catalogues_validate(tmp_path):
    problems, notes = check(tmp_path)
    assert problems == []
    assert notes == [f"quote check: 2 quotes found verbatim in the documents under {tmp_path / 'seeds'}"]


def test_an_altered_quote_fails_naming_record_and_field(tmp_path):
    problems, _ = check(tmp_path, events=[changed(EVENT, quote="the upper class tried to overthrow him in 2002")])
    assert len(problems) == 1
    assert problems[0].startswith("events.yaml: event 'coup_2002': field 'quote' not found verbatim in doc.txt")


def test_claim_quote_and_a_missing_document_are_named(tmp_path):
    problems, _ = check(tmp_path, claims=[changed(CLAIM, quote="they could tell the people")])
    assert problems == [
        "claims.yaml: claim 'coup_claim': field 'quote' not found verbatim in doc.txt: 'they could tell the people'"
    ]
    described = {**DOCS, "other.txt": DOCS["doc.txt"]}
    problems, _ = check(tmp_path, events=[changed(EVENT, document="other.txt")], docs=described)
    assert problems == [
        f"events.yaml: event 'coup_2002': field 'document' 'other.txt' not found in {tmp_path / 'seeds'}"
    ]


@pytest.mark.parametrize(
    ("events", "record", "field"),
    [
        ([changed(EVENT, category="weather")], "coup_2002", "category"),
        ([changed(EVENT, title={"en": "Coup against Chávez"})], "coup_2002", "title.es"),
        ([changed(EVENT, title={"en": "Coup against Chávez", "es": "  "})], "coup_2002", "title.es"),
        ([changed(EVENT, description={"en": "Text.", "es": None})], "coup_2002", "description.es"),
        ([changed(EVENT, start="2002-04-15")], "coup_2002", "end"),
        ([changed(EVENT, start="2002-02-30")], "coup_2002", "start"),
        ([EVENT, changed(EVENT, quote="tried to over throw him")], "coup_2002", "id"),
        ([changed(EVENT, id="Coup 2002")], "Coup 2002", "id"),
        ([changed(EVENT, kind="rumour")], "coup_2002", "kind"),
        ([changed(EVENT, precision="decade")], "coup_2002", "precision"),
        ([changed(EVENT, precision="month", end=None)], "coup_2002", "start"),
        ([changed(EVENT, series=["gdp_growth_wb_pct", "no_such_series"])], "coup_2002", "series"),
        ([changed(EVENT, date_reference=None)], "coup_2002", "date_reference"),
        ([changed(EVENT, date_reference="wikipedia, coup article")], "coup_2002", "date_reference"),
        (
            [changed(EVENT, date_reference=None, document_date=True, precision="year", start="2001-01-01", end=None)],
            "coup_2002",
            "document_date",
        ),
        ([changed(EVENT, ongoing=True)], "coup_2002", "ongoing"),
        (
            [changed(EVENT, title={"en": "A title far too long to label any chart", "es": "Golpe"})],
            "coup_2002",
            "title.en",
        ),
        ([changed(EVENT, kind="context", document=None, why={"en": "Why.", "es": "Por qué."})], "coup_2002", "quote"),
    ],
)
def test_a_bad_event_fails_naming_record_and_field(tmp_path, events, record, field):
    problems, _ = check(tmp_path, events=events)
    assert problems, "the bad record passed"
    assert all(p.startswith(f"events.yaml: event '{record}': field '{field}'") for p in problems), problems


@pytest.mark.parametrize(
    ("claim", "field"),
    [
        (changed(CLAIM, note={"en": "A note."}), "note.es"),
        (changed(CLAIM, no_series_note=None), "no_series_note.en"),
        (changed(CLAIM, series=["homicides_per_year"]), "series"),
        (changed(CLAIM, references=["not a url"]), "references"),
        (changed(CLAIM, quote=None), "quote"),
    ],
)
def test_a_bad_claim_fails_naming_record_and_field(tmp_path, claim, field):
    problems, _ = check(tmp_path, claims=[claim])
    assert problems and problems[0].startswith(f"claims.yaml: claim 'coup_claim': field '{field}'"), problems


def test_quote_check_is_reported_skipped_without_the_documents(tmp_path):
    problems, notes = check(tmp_path, events=[changed(EVENT, quote="a quote in no document")], seeds=False)
    assert problems == []
    assert notes == [
        f"quote check skipped: {tmp_path / 'no-such-folder'} not found (set DASHBOARD_SEEDS to the "
        "folder of the source documents)"
    ]
    _, notes = validate_catalogues(catalog_ids(), seeds_dir=None)
    assert notes[0].startswith("quote check skipped: no seeds folder given")


def test_an_unreadable_catalogue_is_a_problem_not_a_crash(tmp_path):
    broken = tmp_path / "events.yaml"
    broken.write_text("events: [unclosed", encoding="utf-8")
    problems, _ = validate_catalogues(catalog_ids(), seeds_dir=None, events_path=broken)
    assert len(problems) == 1 and problems[0].startswith("events.yaml: cannot read 'events'")


def test_normalise_quote_text_changes_only_whitespace_and_typographic_quotes():
    assert (
        normalise_quote_text("can’t\u00a0 be\n\tdebated ‘now’ “poor“ it`s ´x´")
        == "can't be debated 'now' \"poor\" it's 'x'"
    )
    assert normalise_quote_text("Chávez") != normalise_quote_text("Chavez")
    assert normalise_quote_text("PER YEAR") != normalise_quote_text("per year")
    assert normalise_quote_text("Vene-zuelan") != normalise_quote_text("Venezuelan")


def test_load_events_gives_dates_flat_texts_and_series_lists():
    frame = load_events()
    assert pd.api.types.is_datetime64_any_dtype(frame["start"])
    assert pd.api.types.is_datetime64_any_dtype(frame["end"])
    assert frame["id"].is_unique
    assert (frame["kind"] == "document").sum() >= 18
    assert set(frame["kind"]) == {"document", "context"}
    periods = frame.dropna(subset=["end"])
    assert (periods["end"] >= periods["start"]).all() and len(periods) >= 5
    coup = frame.set_index("id").loc["coup_2002"]
    assert coup["start"] == pd.Timestamp("2002-04-11") and coup["end"] == pd.Timestamp("2002-04-14")
    assert coup["title_es"] == "Golpe contra Chávez" and coup["also_in"][0]["document"] == FILM_PAGE
    assert pd.isna(frame.set_index("id").loc["chavez_death_2013", "end"])
    assert all(isinstance(s, list) for s in frame["series"])
    for col in ("title_en", "title_es", "description_en", "description_es"):
        assert frame[col].str.strip().str.len().gt(0).all(), col
    assert set(frame["category"]) <= set(categories())


def test_the_events_the_issue_names_are_there_with_their_dates():
    frame = load_events().set_index("id")
    expected = {
        "imf_austerity_caracazo_1989": ("1989-02-27", None),
        "military_uprising_1992": ("1992-02-04", None),
        "chavez_released_1994": ("1994-03-26", None),
        "chavez_elected_1998": ("1998-12-06", None),
        "constitution_1999": ("1999-12-15", None),
        "oil_shutdown_2002_2003": ("2002-12-02", "2003-02-02"),
        "chavez_death_2013": ("2013-03-05", None),
        "maduro_elected_2013": ("2013-04-14", None),
        "us_executive_order_2015": ("2015-03-09", None),
        "hyperinflation_2017_2021": ("2017-11-01", "2021-12-01"),
        "communal_consultations_2025": ("2025-02-02", None),
        "sanitarios_maracay_2006_2007": ("2006-11-14", "2007-08-10"),
    }
    for event_id, (start, end) in expected.items():
        assert frame.loc[event_id, "start"] == pd.Timestamp(start), event_id
        assert pd.isna(frame.loc[event_id, "end"]) if end is None else frame.loc[event_id, "end"] == pd.Timestamp(end)
    both = {e for e in frame.index if frame.loc[e, "kind"] == "document"}
    assert {frame.loc[e, "document"] for e in both} | {
        a["document"] for e in both for a in frame.loc[e, "also_in"]
    } == {
        ARTICLE,
        FILM_PAGE,
    }
    # The 2015 order froze seven officials' assets: a point, as are the August 2017 financial sanctions (the
    # article's "raft of sanctions"), not a band from March 2015 over the whole collapse.
    for event_id, start in (("us_executive_order_2015", "2015-03-09"), ("us_sanctions_years", "2017-08-24")):
        assert frame.loc[event_id, "start"] == pd.Timestamp(start), event_id
        assert pd.isna(frame.loc[event_id, "end"]) and not frame.loc[event_id, "ongoing"], event_id
    assert frame.loc["pdvsa_oil_sanctions_2019", "start"] == pd.Timestamp("2019-01-28")
    assert frame.loc["us_sanctions_years", "quote"] == "ushering in a raft of sanctions"


def test_each_document_event_has_a_date_reference_or_a_date_in_its_quote():
    for event in real("events.yaml")["events"]:
        if event["kind"] != "document":
            assert event["date_reference"] and "document" not in event, event["id"]
            continue
        if event.get("document_date"):
            assert str(event["start"])[:4] in event["quote"] and event["precision"] == "year", event["id"]
        else:
            refs = event["date_reference"]
            refs = [refs] if isinstance(refs, str) else refs
            assert refs and all(r.startswith(("https://", "http://")) for r in refs), event["id"]


def test_load_claims_and_every_claim_has_series_or_says_it_has_none():
    frame = load_claims()
    assert frame["id"].is_unique and len(frame) >= 10
    for claim in frame.itertuples():
        assert claim.note_en.strip() and claim.note_es.strip(), claim.id
        assert claim.series or (claim.no_series_note_en.strip() and claim.no_series_note_es.strip()), claim.id
    by_id = frame.set_index("id")
    assert by_id.loc["murders_per_year", "document"] == FILM_PAGE
    assert "homicides_wb_per_100k" in by_id.loc["murders_per_year", "series"]
    assert by_id.loc["deaths_from_shortages_2018", "series"] == []
    for word in ("false", "lie", "myth", "debunk"):
        assert not frame["note_en"].str.contains(rf"\b{word}\b", case=False).any(), word


def test_paths_point_into_the_project_data_folder():
    assert settings.events_path() == ROOT / "data" / "events.yaml" and settings.events_path().is_file()
    assert settings.claims_path() == ROOT / "data" / "claims.yaml" and settings.claims_path().is_file()


def test_a_context_event_without_a_why_line_is_named(tmp_path):
    assert check(tmp_path, events=[CONTEXT_EVENT])[0] == []
    problems, _ = check(tmp_path, events=[changed(CONTEXT_EVENT, why={"en": "Output fell.", "es": " "})])
    assert problems == [
        "events.yaml: event 'pandemic_2020': field 'why.es' is missing or empty: say why a context event is here"
    ]
    problems, _ = check(tmp_path, events=[changed(EVENT, why={"en": "x", "es": "y"})])
    assert len(problems) == 1 and "field 'why' only a context event" in problems[0]


def test_a_document_without_a_description_or_label_is_named(tmp_path):
    undescribed = {"other.txt": DOCS["doc.txt"]}
    problems, _ = check(tmp_path, docs=undescribed)
    assert (
        "events.yaml: event 'coup_2002': field 'document' 'doc.txt' is not described under `documents`" in (problems[0])
    )
    assert any(p.startswith("claims.yaml: claim 'coup_claim': field 'document'") for p in problems)
    no_spanish = {"doc.txt": {**DOCS["doc.txt"], "label": {"en": "a reader's comment", "es": ""}}}
    problems, _ = check(tmp_path, docs=no_spanish)
    assert problems == ["events.yaml: document 'doc.txt': field 'label.es' is missing or empty"]


def test_every_quote_names_its_document_in_words_in_both_languages():
    docs = documents()
    assert set(docs) == {ARTICLE, FILM_PAGE}
    assert cite_document(ARTICLE, "en", docs) == f"a 2025 article in support of the government ({ARTICLE})"
    assert cite_document(ARTICLE, "es", docs) == f"un artículo de 2025 favorable al gobierno ({ARTICLE})"
    frame = load_events()
    cited = frame[frame["kind"] == "document"]
    for lang in ("en", "es"):
        assert all(c.endswith(f"({d})") for c, d in zip(cited[f"cited_{lang}"], cited["document"], strict=True))
        assert (cited[f"cited_{lang}"].str.len() > cited["document"].str.len() + 20).all()
    assert frame.loc[frame["kind"] == "context", "cited_en"].isna().all()


def test_context_events_say_why_they_are_here_and_reach_2026():
    frame = load_events().set_index("id")
    context = frame[frame["kind"] == "context"]
    for lang in ("en", "es"):
        assert context[f"why_{lang}"].str.strip().str.len().gt(20).all(), lang
        assert frame.loc[frame["kind"] == "document", f"why_{lang}"].isna().all()
    assert frame.loc["maduro_captured_2026", "start"] == pd.Timestamp("2026-01-03")
    assert frame.loc["rodriguez_acting_president_2026", "start"] == pd.Timestamp("2026-01-05")
    assert frame.loc["us_boat_strikes_2025", "start"] == pd.Timestamp("2025-09-02")
    # Each fact after the documents is confirmed in at least two published sources.
    for event_id in (
        "us_boat_strikes_2025",
        "maduro_captured_2026",
        "rodriguez_acting_president_2026",
        "hydrocarbons_law_reform_2026",
        "us_oil_license_2026",
    ):
        assert context.loc[event_id, "kind"] == "context"
        assert len(set(context.loc[event_id, "date_reference"])) >= 2, event_id
    assert frame.loc["covid19_pandemic_2020", "category"] == "health"
    assert set(categories()["health"]) == {"en", "es"}


def test_the_recovery_title_says_what_the_gdp_series_show():
    snapshots = ROOT / "data" / "snapshots"
    growth = {}
    for source in ("wb", "imf"):
        frame = pd.read_csv(snapshots / f"gdp_growth_{source}_pct.csv")
        frame = frame[frame["country"] == "VEN"]
        growth[source] = dict(zip(frame["date"].str[:4].astype(int), frame["value"], strict=True))
    for source in growth.values():
        assert all(source[year] < 0 for year in range(2014, 2021))
        assert 0 < source[2021] < 1.5 and round(source[2022]) == 8
    event = load_events().set_index("id").loc["economic_recovery_2022"]
    assert event["title_en"] == "GDP grew 8% in 2022"
    wb, imf = growth["wb"], growth["imf"]
    assert f"(+{wb[2021]:.1f}% and +{imf[2021]:.1f}%)" in event["description_en"]
    assert f"(+{wb[2022]:.1f}% and +{imf[2022]:.1f}%)" in event["description_en"]
    assert f"(+{wb[2022]:.1f}% y +{imf[2022]:.1f}%)".replace(".", ",") in event["description_es"]


def test_no_event_text_speaks_of_2025_as_the_present_without_dating_it():
    for event in real("events.yaml")["events"]:
        text = event["description"]["en"]
        assert "still in force" not in text and "has won every election" not in text.replace("‘has won", ""), event[
            "id"
        ]
        if event.get("ongoing"):
            assert "as of 2025" in text, event["id"]
