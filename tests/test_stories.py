"""Stories for presenter mode: the shipped stories are valid and complete; a broken story file fails with a
message naming the story, the step and the field, and never hides the good stories."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

import loaders
from loaders import settings
from loaders.errors import ValidationError
from loaders.events import load_events
from loaders.stories import load_stories, read_stories

LONG, SHORT = "revolution_1992_2025", "hyperinflation_2014_2021"


@pytest.fixture(scope="module")
def stories():
    return {s.id: s for s in load_stories()}


def write_story(folder, doc, name=None):
    path = folder / f"{name or doc['id']}.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def shipped(story_id: str) -> dict:
    return yaml.safe_load((settings.stories_dir() / f"{story_id}.yaml").read_text(encoding="utf-8"))


def test_the_two_shipped_stories_load_and_the_long_one_comes_first(stories):
    ordered, problems = read_stories()
    assert problems == []
    assert [s.id for s in ordered] == [LONG, SHORT]
    assert len(stories[LONG].steps) >= 12
    assert 4 <= len(stories[SHORT].steps) < len(stories[LONG].steps)


def test_the_long_story_walks_from_the_1992_uprising_to_2025_through_every_document_event(stories):
    story = stories[LONG]
    events = load_events().set_index("id")
    assert "military_uprising_1992" in story.steps[0].events
    assert any(events.loc[e, "start"].year == 2025 for e in story.steps[-1].events)
    highlighted = {e for step in story.steps for e in step.events}
    document_events = set(events.index[events["kind"] == "document"])
    assert document_events - highlighted == set(), "every event of the two documents has its step"


def test_the_short_story_stays_on_hyperinflation_2014_2021(stories):
    story = stories[SHORT]
    assert all(step.start.year >= 2010 and step.end.year <= 2025 for step in story.steps)
    assert any("hyperinflation_2017_2021" in step.events for step in story.steps)
    assert any(step.log for step in story.steps), "hyperinflation needs a log scale somewhere"


@pytest.mark.parametrize("story_id", [LONG, SHORT])
def test_every_step_has_notes_in_both_languages_and_zooms_inside_its_data(stories, story_id):
    catalog = loaders.catalog()
    for step in stories[story_id].steps:
        for lang in ("en", "es"):
            text = step.notes[lang].replace("EE. UU.", "EEUU")
            sentences = re.split(r"(?<=[.!?])\s+(?=[A-ZÁÉÍÓÚÑ¿¡«“‘])", text)
            assert 2 <= len(sentences) <= 3, f"step {step.number} {lang}: two or three sentences of notes"
            assert step.title[lang].strip()
        assert step.start < step.end
        for ref in step.series:
            first = str(catalog.loc[ref.id, "first_date"])[:10]
            last = str(catalog.loc[ref.id, "last_date"])[:10]
            assert first <= f"{step.end:%Y-%m-%d}" and f"{step.start:%Y-%m-%d}" <= last, (step.number, ref.id)


def test_series_default_to_venezuela_or_their_only_country(stories):
    refs = {ref.id: ref.country for s in stories.values() for step in s.steps for ref in step.series}
    assert refs["inflation_avg_imf_pct"] == "VEN"
    assert refs["oil_price_brent_monthly_usd_per_barrel"] == "WLD"


# ------------------------------------------------------------------ validation messages


def broken(tmp_path, change) -> str:
    """Write the short story with one change; return the one validation message."""
    doc = shipped(SHORT)
    change(doc)
    write_story(tmp_path, doc, name=SHORT)
    with pytest.raises(ValidationError) as failure:
        load_stories(tmp_path)
    return str(failure.value)


def test_an_unknown_series_id_names_the_story_step_and_field(tmp_path):
    message = broken(tmp_path, lambda d: d["steps"][2]["series"].append("inflation_made_up_pct"))
    assert f"story '{SHORT}', step 3, field 'series'" in message
    assert "unknown series id 'inflation_made_up_pct'" in message


def test_a_missing_series_list_names_the_story_step_and_field(tmp_path):
    message = broken(tmp_path, lambda d: d["steps"][1].pop("series"))
    assert f"{SHORT}.yaml: story '{SHORT}', step 2, field 'series': must be a non-empty list" in message


def test_an_unknown_event_id_names_the_story_step_and_field(tmp_path):
    message = broken(tmp_path, lambda d: d["steps"][4].update(events=["hyperinflation_2017_2021", "moon_landing"]))
    assert f"story '{SHORT}', step 5, field 'events': unknown event id 'moon_landing'" in message


def test_a_reversed_date_range_names_the_story_step_and_field(tmp_path):
    def reverse(doc):
        doc["steps"][0]["start"], doc["steps"][0]["end"] = doc["steps"][0]["end"], doc["steps"][0]["start"]

    message = broken(tmp_path, reverse)
    assert f"story '{SHORT}', step 1, field 'end': 2013-01-01 is not after start 2017-12-31" in message


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda d: d["steps"][0]["notes"].pop("es"), "step 1, field 'notes.es': is missing or empty"),
        (lambda d: d["steps"][0].update(start="last spring"), "step 1, field 'start': is missing or not an ISO date"),
        (lambda d: d["steps"][0].update(sereis=["x"]), "step 1, field 'sereis': unknown field"),
        (
            lambda d: d["steps"][0]["series"].append("gdp_growth_wb_pct"),
            "step 1, field 'series': series in one step must share a unit",
        ),
        (
            lambda d: d["steps"][0].update(series=[{"id": "gdp_growth_wb_pct", "country": "FRA"}]),
            "step 1, field 'series': 'gdp_growth_wb_pct' has no country 'FRA'",
        ),
        (lambda d: d["steps"][0].update(events="coup_2002"), "step 1, field 'events': must be a list of event ids"),
        (lambda d: d["steps"][0].update(transform="log"), "step 1, field 'transform': must be one of level, yoy"),
        (lambda d: d["steps"][0].update(transform="index"), "step 1, field 'base': an index needs a base year"),
        (lambda d: d["steps"][0].update(log="yes"), "step 1, field 'log': must be true or false"),
        (
            lambda d: d["steps"][0]["figures"][0].update(value="111,80"),
            "step 1, field 'figures[0].value': '111,80' is not digits",
        ),
        (
            lambda d: d["steps"][0]["figures"][0].update(date=2014),
            "step 1, field 'figures[0].date': 2014 is not a quoted",
        ),
        (lambda d: d["steps"][0].update(figures={"x": 1}), "step 1, field 'figures': must be a list"),
        (lambda d: d.update(id="another_name"), "field 'id': must equal the file name without .yaml"),
        (lambda d: d.update(steps=[]), "field 'steps': must be a non-empty list of steps"),
    ],
)
def test_other_mistakes_are_named_too(tmp_path, change, expected):
    assert expected in broken(tmp_path, change)


def test_a_broken_story_file_does_not_hide_the_good_ones(tmp_path):
    shutil.copy(settings.stories_dir() / f"{SHORT}.yaml", tmp_path)
    (tmp_path / "half_written.yaml").write_text("id: half_written\ntitle: {en: x\n", encoding="utf-8")
    doc = shipped(SHORT) | {"id": "copy_with_typo"}
    doc["steps"] = [dict(doc["steps"][0], events=["no_such_event"])]
    write_story(tmp_path, doc)
    stories, problems = read_stories(tmp_path)
    assert [s.id for s in stories] == [SHORT]
    assert any(p.startswith("half_written.yaml: story 'half_written': not readable YAML") for p in problems)
    assert any("story 'copy_with_typo', step 1, field 'events'" in p for p in problems)
