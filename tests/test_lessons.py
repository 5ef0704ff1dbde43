"""Lessons a teacher builds: the step a chart becomes, the link that carries the lesson (compact, versioned,
checked on the way in), the story file it downloads as (accepted by ``python -m loaders validate`` and by the
presenter as a built-in story) and uploaded again, and every hostile link refused with a message, never a
traceback."""

from __future__ import annotations

import base64
import json
import random
import re
import zlib
from datetime import date

import pytest
import yaml

import loaders
from app import lessons as app_lessons
from loaders import lessons
from loaders.events import load_events
from loaders.stories import read_stories

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
    view = {
        "series": ["inflation_avg_imf_pct"],
        "countries": ["VEN", "COL"],
        "years": (2010, 2021),
        "event": EVENT,
        "log": True,
    } | changes
    texts = (f"Step {n}: prices", f"Note {n}: {words(n, 220)}", f"Question {n}: {words(n + 100, 100)}?")
    return app_lessons.step_from_view(texts, catalog=catalog, **view)


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
    world = a_step(catalog, series=["oil_price_brent_monthly_usd_per_barrel"], event=None, log=False)
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
            (HOSTILE[:70], HOSTILE, HOSTILE), ["inflation_avg_imf_pct"], ["VEN"], (2010, 2020), catalog
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
