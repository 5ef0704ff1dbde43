"""Lessons a teacher builds: the step a chart becomes, the link that carries the lesson (compact, versioned,
checked on the way in), the story file it downloads as (accepted by ``python -m loaders validate`` and by the
presenter as a built-in story) and uploaded again, and every hostile link refused with a message, never a
traceback."""

from __future__ import annotations

import base64
import io
import json
import random
import re
import zipfile
import zlib
from datetime import date

import pytest
import yaml
from streamlit.testing.v1 import AppTest

import loaders
import loaders.__main__ as loaders_cli
from app import lessons as app_lessons
from app.text import WORD_JOINER
from app.views import slide_pack
from loaders import lessons, settings
from loaders.events import load_events
from loaders.stories import read_stories
from tests.browser import REPO

EVENT = "hyperinflation_2017_2021"
VOCABULARY = (
    "prices oil inflation wages bolívar exports imports dollars government opposition sanctions year month rose "
    "fell doubled halved class compare chart line before after shock crisis recovery shortage food medicine "
    "families migration Colombia Peru Brazil Chile budget deficit debt central bank money printing"
).split()
HOSTILE = "<script>alert(1)</script> [x](javascript:alert(1)) ![i](http://127.0.0.1:9/t.png) $x^2$ **b**"


@pytest.fixture(scope="module")
def catalog():
    return loaders.catalog()


@pytest.fixture(scope="module")
def entries(catalog):
    return app_lessons.catalog_entries(catalog)


@pytest.fixture(scope="module")
def event_ids():
    return set(load_events()["id"])


def words(seed: int, length: int) -> str:
    """A teacher's sentence, different for every seed (compresses as little as real notes do)."""
    pick = random.Random(seed).choice
    text = ""
    while len(text) < length:
        text += pick(VOCABULARY) + " "
    return text[:length].strip()


def a_step(catalog, n: int = 1, **changes) -> dict:
    view = {"lines": {"inflation_avg_imf_pct": ["VEN", "COL"]}, "years": (2010, 2021), "event": EVENT, "log": True}
    texts = (f"Step {n}: prices", f"Note {n}: {words(n, 220)}", f"Question {n}: {words(n + 100, 100)}?")
    return app_lessons.step_from_view(texts, app_lessons.ChartView(**(view | changes)))


def a_lesson(catalog, steps: int = 3) -> dict:
    lesson = lessons.new_lesson("Prices and oil", "How prices ran out of control.")
    for n in range(1, steps + 1):
        lesson = lessons.add_step(lesson, a_step(catalog, n))
    return lesson


def packed(data: bytes) -> str:
    """A link of these bytes, compressed and encoded as the dashboard does, whatever they hold."""
    return "v1." + base64.urlsafe_b64encode(zlib.compress(data)).decode().rstrip("=")


def tampered(link: str, change) -> str:
    """The link with its JSON changed by ``change`` and encoded again (a well-formed but edited link)."""
    version, body = link.split(".", 1)
    doc = json.loads(zlib.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))))
    change(doc)
    return lessons.encode_link(lessons._unpacked(doc))


def test_a_chart_becomes_a_step_with_its_lines_years_event_and_scale(catalog):
    step = a_step(catalog)
    assert step["series"] == [
        {"id": "inflation_avg_imf_pct", "country": "VEN"},
        {"id": "inflation_avg_imf_pct", "country": "COL"},
    ]
    assert (step["start"], step["end"], step["events"], step["log"]) == ("2010-01-01", "2021-12-31", [EVENT], True)
    assert step["title"] == {"en": "Step 1: prices", "es": "Step 1: prices"}, "typed once, shown in both"
    world = a_step(catalog, lines={"oil_price_brent_monthly_usd_per_barrel": ["WLD"]}, event=None, log=False)
    assert world["series"] == [{"id": "oil_price_brent_monthly_usd_per_barrel", "country": "WLD"}]
    assert world["events"] == [] and "log" not in world
    index = a_step(catalog, transform="index", base=2013)
    assert (index["transform"], index["base"]) == ("index", 2013)


def test_a_level_of_series_in_two_units_cannot_be_one_step_but_a_change_can(catalog):
    pair = ["inflation_avg_imf_pct", "oil_price_brent_monthly_usd_per_barrel"]
    assert "%" in app_lessons.mixed_units(pair, "level", catalog, "en")
    assert app_lessons.mixed_units(pair, "yoy", catalog, "en") is None
    assert app_lessons.mixed_units(pair[:1], "level", catalog, "en") is None


def test_steps_reorder_edit_and_remove(catalog):
    lesson = a_lesson(catalog)
    titles = lambda lesson: [s["title"]["en"][:6] for s in lesson["steps"]]  # noqa: E731
    assert titles(lessons.move_step(lesson, 2, -1)) == ["Step 1", "Step 3", "Step 2"]
    assert titles(lessons.move_step(lesson, 0, -1)) == ["Step 1", "Step 2", "Step 3"], "the first stays first"
    assert titles(lessons.remove_step(lesson, 1)) == ["Step 1", "Step 3"]
    edited = lessons.with_texts(lesson["steps"][0], "New title", "New note", "")
    assert edited["title"]["es"] == "New title" and "question" not in edited
    assert edited["series"] == lesson["steps"][0]["series"], "the chart is kept"
    assert lesson["steps"][0]["title"]["en"].startswith("Step 1"), "the lesson itself is not changed in place"


def test_the_link_round_trips_and_a_ten_step_link_stays_compact(catalog, entries, event_ids):
    lesson = a_lesson(catalog, steps=10)
    link = lessons.encode_link(lesson)
    assert link.startswith("v1.") and set(link[3:]) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )
    assert lessons.decode_link(link, entries, event_ids) == lesson
    print(f"a 10-step lesson link: {len(link)} characters")
    assert len(link) < 4_000


def test_the_story_file_validates_presents_and_uploads_again(catalog, entries, event_ids, tmp_path):
    lesson = a_lesson(catalog, steps=2)
    text = lessons.to_yaml(lesson)
    (tmp_path / f"{lesson['id']}.yaml").write_text(text, encoding="utf-8")
    stories, problems = read_stories(tmp_path)
    assert problems == [] and [s.id for s in stories] == ["lesson_prices_and_oil"]
    assert stories[0].steps[1].title["es"] == "Step 2: prices"
    assert isinstance(yaml.safe_load(text)["steps"][0]["start"], date), "dates as YAML dates, like the stories"
    assert lessons.from_yaml(text.encode(), entries, event_ids) == lesson


@pytest.mark.parametrize(
    "change, key",
    [
        (lambda link: link[: len(link) // 2], "link_truncated"),
        (lambda link: link[:-1], "link_truncated"),
        (lambda link: link[:20] + ("A" if link[20] != "A" else "B") + link[21:], "link_damaged"),
        (lambda link: link + "%3Cscript%3E", "link_damaged"),
        (lambda link: "v2." + link[3:], "link_version"),
        (lambda link: link[3:], "link_unreadable"),
        (lambda link: "", "link_unreadable"),
        (lambda link: "v1." + "A" * 30_000, "link_too_long"),
        (lambda link: packed(b" " * 2_000_000), "too_big"),
        (lambda link: packed(b"[1, 2]"), "not_a_lesson"),
        (lambda link: packed(b"\xff\xfe"), "link_damaged"),
    ],
)
def test_a_hostile_or_broken_link_is_refused_with_what_is_wrong(catalog, entries, event_ids, change, key):
    link = lessons.encode_link(a_lesson(catalog))
    with pytest.raises(lessons.LessonError) as raised:
        lessons.decode_link(change(link), entries, event_ids)
    assert raised.value.key == key
    for lang in ("en", "es"):
        assert app_lessons.message(raised.value, lang)


@pytest.mark.parametrize(
    "change, key, words",
    [
        (lambda d: d["steps"][0].update(series=[{"id": "gold_price", "country": "VEN"}]), "unknown_series", "gold"),
        (lambda d: d["steps"][1].update(events=["moon_landing"]), "unknown_event", "moon"),
        (lambda d: d["steps"][1].update(events=[{"a": 1}]), "unknown_event", "{'a': 1}"),
        (lambda d: d["steps"][1].update(series=[["x"]]), "unknown_series", "['x']"),
        (lambda d: d["steps"][0].update(title="x" * 500), "text_too_long", "500"),
        (lambda d: d.update(summary=""), "missing_text", "summary"),
        (lambda d: d["steps"][0].update(script="x"), "unknown_field", "script"),
        (lambda d: d.update(steps=d["steps"] * 11), "too_many_steps", "30"),
        (lambda d: d.update(steps=[]), "no_steps", "no steps"),
        (lambda d: d.update(id="../../etc/passwd"), "invalid", "snake_case"),
        (lambda d: d["steps"][0].update(start="2030-01-01"), "invalid", "not after start"),
    ],
)
def test_an_edited_link_names_the_step_and_field(catalog, entries, event_ids, change, key, words):
    link = tampered(lessons.encode_link(a_lesson(catalog)), change)
    with pytest.raises(lessons.LessonError) as raised:
        lessons.decode_link(link, entries, event_ids)
    assert raised.value.key == key
    assert words in re.sub(r"\\(.)", r"\1", app_lessons.message(raised.value, "en")), "named, escaped"
    assert app_lessons.message(raised.value, "es") != app_lessons.message(raised.value, "en")


def test_hostile_text_travels_as_text_and_messages_never_carry_markup(catalog, entries, event_ids):
    lesson = lessons.add_step(
        lessons.new_lesson(HOSTILE[:70], HOSTILE),
        app_lessons.step_from_view(
            (HOSTILE[:70], HOSTILE, HOSTILE), app_lessons.ChartView({"inflation_avg_imf_pct": ["VEN"]}, (2010, 2020))
        ),
    )
    assert lessons.decode_link(lessons.encode_link(lesson), entries, event_ids)["summary"]["en"] == HOSTILE
    bad = tampered(lessons.encode_link(lesson), lambda d: d["steps"][0].update(series=["<img src=x>[a](b)"]))
    with pytest.raises(lessons.LessonError) as raised:
        lessons.decode_link(bad, entries, event_ids)
    shown = app_lessons.message(raised.value, "en")
    assert "\\<img" in shown and "\\]\\(" in shown and "](" not in shown, "every Markdown character escaped"


def test_a_file_that_is_not_a_story_is_refused(entries, event_ids):
    for data, key in [
        (b"\xff\xfe\x00", "file_unreadable"),
        (b"steps: [\n", "file_unreadable"),
        (b"- just\n- a list\n", "not_a_lesson"),
        (b"x" * 300_000, "file_too_big"),
        (b"!!python/object/apply:os.system ['true']", "file_unreadable"),
    ]:
        with pytest.raises(lessons.LessonError) as raised:
            lessons.from_yaml(data, entries, event_ids)
        assert raised.value.key == key, data[:20]


def test_no_more_than_thirty_steps_are_added(catalog):
    lesson = a_lesson(catalog, steps=30)
    with pytest.raises(lessons.LessonError, match="too_many_steps"):
        lessons.add_step(lesson, a_step(catalog))


# ------------------------------------------------------------------ the lesson in Presenter mode (AppTest)


def open_presenter(**params) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page("app_pages/presenter.py").run()


def plain(markdown: str) -> str:
    """What a reader sees of escaped Markdown (the word joiner that breaks autolinks is invisible)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")


def test_round_trip_build_present_export_validate_and_open_again(catalog, entries, event_ids, tmp_path, monkeypatch):
    lesson = lessons.new_lesson("Prices and oil", HOSTILE[:200])
    lesson = lessons.add_step(lesson, a_step(catalog, 1))
    yoy = {"oil_price_brent_monthly_usd_per_barrel": ["WLD"], "inflation_avg_imf_pct": ["VEN"]}
    lesson = lessons.add_step(lesson, a_step(catalog, 2, lines=yoy, transform="yoy", event=None, log=False))
    lesson = lessons.add_step(lesson, a_step(catalog, 3) | {"title": lessons.both(HOSTILE[:70])})
    monkeypatch.setattr(slide_pack, "browser_path", lambda: None)  # the PNGs have their own (slow) test

    at = open_presenter(story=lesson["id"], lesson=lessons.encode_link(lesson), lang="es")
    assert not at.exception and not at.warning
    assert plain(at.header[0].value) == "Step 1: prices"
    assert at.selectbox[0].options[-1] == "Mi lección: Prices and oil"
    at.button(key="presenter_next").click().run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["yaxis"]["title"]["text"].startswith("% de cambio"), "the step's transform is drawn"
    at.button(key="presenter_next").click().run()
    assert plain(at.header[0].value) == HOSTILE[:70], "the teacher's text, shown as text"
    assert at.query_params["lesson"] == lessons.encode_link(lesson), "the lesson stays in the address"

    at.button(key="presenter_make_pack").click().run()
    assert not at.exception
    pack = at.session_state["presenter_pack"][1]
    files = zipfile.ZipFile(io.BytesIO(pack.data))
    assert len([n for n in files.namelist() if n.endswith(".csv")]) == 3
    handout = files.read(f"{lesson['id']}_es/handout.html").decode()
    assert "<script>" not in handout and "&lt;script&gt;" in handout
    assert at.get("download_button")[0].label == "Descargar la presentación (ZIP)"

    story_file = tmp_path / "data" / "stories" / f"{lesson['id']}.yaml"
    story_file.parent.mkdir(parents=True)
    story_file.write_text(lessons.to_yaml(at.session_state[app_lessons.SESSION_KEY]), encoding="utf-8")
    for name in ("catalog.yaml", "events.yaml", "claims.yaml", "snapshots"):
        (tmp_path / "data" / name).symlink_to(settings.data_dir() / name)
    assert loaders_cli.main(["--data-dir", str(tmp_path / "data"), "validate"]) == 0, "python -m loaders validate"
    stories, problems = read_stories(story_file.parent)
    assert problems == [] and stories[0].steps[1].transform == "yoy"
    assert lessons.from_yaml(story_file.read_bytes(), entries, event_ids) == lesson, "uploaded again: the same"


@pytest.mark.parametrize(
    "link, words",
    [
        (packed(b'"hello"'), "not a lesson"),
        ("v9.abc", "version v9"),
        ("hello<script>", "version such as"),
    ],
)
def test_a_hostile_link_in_the_address_gives_a_message_and_the_built_in_stories(link, words):
    at = open_presenter(lesson=link)
    assert not at.exception
    assert any(words in plain(w.value) for w in at.warning), [w.value for w in at.warning]
    assert "lesson" not in at.query_params, "the bad link leaves the address"
    assert at.header, "a built-in story is shown"


def test_a_truncated_link_in_spanish_says_so_in_spanish(catalog):
    link = lessons.encode_link(a_lesson(catalog))
    at = open_presenter(lesson=link[:-40], lang="es")
    assert any("incompleto" in w.value for w in at.warning), [w.value for w in at.warning]


def test_the_editor_moves_edits_and_removes_steps_and_the_link_follows(catalog, entries, event_ids):
    lesson = a_lesson(catalog, steps=3)
    at = open_presenter(story=lesson["id"], lesson=lessons.encode_link(lesson))
    at.button(key="lesson_down_0").click().run()
    held = at.session_state[app_lessons.SESSION_KEY]
    assert [s["title"]["en"][:6] for s in held["steps"]] == ["Step 2", "Step 1", "Step 3"]
    assert lessons.decode_link(at.query_params["lesson"], entries, event_ids) == held
    at.button(key="lesson_edit_2").click().run()
    at.text_input(key="lesson_step_title").set_value("<b>Renamed</b>")
    at.text_area(key="lesson_step_question").set_value("")
    at.button(key="FormSubmitter:lesson_step_2-Save").click().run()
    held = at.session_state[app_lessons.SESSION_KEY]
    assert held["steps"][2]["title"] == {"en": "<b>Renamed</b>", "es": "<b>Renamed</b>"}
    assert "question" not in held["steps"][2]
    at.button(key="lesson_remove_0").click().run()
    held = at.session_state[app_lessons.SESSION_KEY]
    assert len(held["steps"]) == 2 and not at.exception
    assert plain(at.header[0].value) == "Step 1: prices", "the presenter shows the edited lesson"

    at.button(key="presenter_next").click().run()
    at.button(key="lesson_remove_1").click().run()
    assert not at.warning and at.query_params["step"] == "1", "the step shown was removed: the one before it"
    at.button(key="lesson_clear").click().run()
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    assert "lesson" not in at.query_params and at.query_params["story"] == "revolution_1992_2025"


ODD_VALUES = [None, 0, -1, 10**30, 1e308, True, "", "x" * 1_000, [], [[]], {}, {"en": 5}, [{"id": None}], "2014-02-30"]


def test_any_value_in_any_field_of_a_link_gives_a_lesson_or_a_message(catalog, entries, event_ids):
    """Every field of the lesson and of a step set to each odd value: never anything but LessonError."""
    link = lessons.encode_link(a_lesson(catalog, steps=2))
    fields = [("lesson", f) for f in ("id", "title", "summary", "steps")] + [("step", f) for f in lessons.STEP_FIELDS]
    for where, field in fields:
        for value in ODD_VALUES:

            def change(doc, where=where, field=field, value=value):
                (doc if where == "lesson" else doc["steps"][1])[field] = value

            try:
                lessons.decode_link(tampered(link, change), entries, event_ids)
            except lessons.LessonError as error:
                assert app_lessons.message(error, "es")


def test_random_damage_to_a_link_gives_a_message_never_a_traceback(catalog, entries, event_ids):
    link = lessons.encode_link(a_lesson(catalog))
    pick = random.Random(16)
    for _ in range(300):
        damaged = list(link)
        for _ in range(pick.randint(1, 4)):
            damaged[pick.randrange(3, len(damaged))] = pick.choice("AZaz09-_.%")
        try:
            lessons.decode_link("".join(damaged), entries, event_ids)
        except lessons.LessonError as error:
            assert app_lessons.message(error, "en")


# ------------------------------------------------------------------ "Add to my lesson" on Explore (AppTest)


def open_explore(**params) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page("app_pages/explore.py").run()


def add_from_explore(at: AppTest, title: str, notes: str, question: str = "") -> AppTest:
    at.text_input(key="lesson_add_title").set_value(title)
    at.text_area(key="lesson_add_notes").set_value(notes)
    at.text_area(key="lesson_add_question").set_value(question)
    return at.button(key="FormSubmitter:lesson_add-Add this step").click().run()


def test_add_to_my_lesson_keeps_what_the_explore_chart_shows_and_the_teachers_words(catalog):
    view = {"series": "inflation_avg_imf_pct", "countries": "VEN,COL", "start": "2010", "end": "2021", "log": "1"}
    at = open_explore(**view, event=EVENT)
    add_from_explore(at, "Two countries", HOSTILE, "What differs?")
    assert not at.exception
    step = at.session_state[app_lessons.SESSION_KEY]["steps"][0]
    assert step["series"] == [
        {"id": "inflation_avg_imf_pct", "country": "VEN"},
        {"id": "inflation_avg_imf_pct", "country": "COL"},
    ]
    assert (step["start"], step["end"], step["events"], step["log"]) == ("2010-01-01", "2021-12-31", [EVENT], True)
    assert step["notes"]["en"] == HOSTILE and step["question"]["es"] == "What differs?"
    assert any("Step 1 added" in s.value for s in at.success)
    assert at.query_params["lesson"].startswith("v1."), "the lesson is in Explore's address too"

    at.query_params.update(transform="index", base="2013", series="oil_price_brent_monthly_usd_per_barrel")
    at.run()
    add_from_explore(at, "Oil as an index", "Brent, 2013 = 100.")
    lesson = at.session_state[app_lessons.SESSION_KEY]
    assert [s["title"]["en"] for s in lesson["steps"]] == ["Two countries", "Oil as an index"]
    assert (lesson["steps"][1]["transform"], lesson["steps"][1]["base"]) == ("index", 2013)
    assert lesson["steps"][1]["series"] == [{"id": "oil_price_brent_monthly_usd_per_barrel", "country": "WLD"}]
    link = next(e for e in at.main if type(e).__name__ == "PageLink")
    assert "(2 steps)" in link.proto.label
    assert "step=1&" in link.proto.query_string + "&", "presenting a lesson starts at its first step"


def test_a_chart_of_two_units_cannot_be_added_and_says_why():
    at = open_explore(series="inflation_avg_imf_pct,oil_price_brent_monthly_usd_per_barrel", countries="VEN")
    assert any("one unit" in i.value for i in at.info)
    assert at.button(key="FormSubmitter:lesson_add-Add this step").disabled


def test_a_step_needs_a_title_and_a_note_and_a_lesson_stops_at_thirty(catalog):
    at = open_explore(series="inflation_avg_imf_pct")
    add_from_explore(at, "", "")
    assert any("title and a note" in w.value for w in at.warning)
    at.session_state[app_lessons.SESSION_KEY] = a_lesson(catalog, steps=lessons.MAX_STEPS)
    add_from_explore(at, "One more", "Too many.")
    assert any("at most 30 steps" in w.value for w in at.warning)
    assert len(at.session_state[app_lessons.SESSION_KEY]["steps"]) == lessons.MAX_STEPS
