"""Lessons: a story a teacher builds in the dashboard, step by step, from the charts of Explore.

A lesson is a story document (the fields of ``loaders.stories``), so the presenter shows it like a
built-in story, ``to_yaml`` writes it as a story file that ``python -m loaders validate`` accepts,
and that file dropped into ``data/stories/`` becomes a built-in story. A teacher types each text in
one language; the document carries it under both, ready to be translated.

The whole lesson travels in a link, ``lesson=v1.<base64url(zlib(json))>``, or as the downloaded
file uploaded again. Both ways in are checked the same way (``check``): a tampered, truncated or
oversized link or file raises a ``LessonError`` naming what is wrong, never anything else.

>>> catalog = {"oil_price_brent_monthly_usd_per_barrel": {"countries": ["WLD"], "unit": "usd"}}
>>> step = make_step("Brent", "It fell.", "", [{"id": "oil_price_brent_monthly_usd_per_barrel", "country": "WLD"}],
...                  date(2013, 1, 1), date(2017, 12, 31))
>>> lesson = add_step(new_lesson("Oil", "Why oil matters"), step)
>>> link = encode_link(lesson)
>>> link[:3], decode_link(link, catalog, set()) == lesson
('v1.', True)
>>> decode_link(link[:-6], catalog, set())
Traceback (most recent call last):
...
loaders.lessons.LessonError: link_truncated
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import unicodedata
import zlib
from datetime import date
from pathlib import Path

import yaml

from .stories import (
    LANGS,
    NOTES_MAX,
    QUESTION_MAX,
    STEP_FIELDS,
    STORY_FIELDS,
    TITLE_MAX,
    Story,
    parse_story,
    validate_story,
)

LINK_VERSION = "v1"
LINK_PARAM = "lesson"
MAX_STEPS = 30
# A 30-step lesson with every text at its limit compresses to about 20,000 characters; more is not a lesson.
MAX_LINK_CHARS = 24_000
MAX_FILE_BYTES = 200_000
MAX_INFLATED_BYTES = 400_000  # a link or file that inflates past this is refused (a zip bomb stops here)
TEXT_FIELDS = ("title", "notes", "question")
TEXT_LIMITS = {"title": TITLE_MAX, "notes": NOTES_MAX, "question": QUESTION_MAX, "summary": NOTES_MAX}
ID_PREFIX = "lesson_"


class LessonError(ValueError):
    """What is wrong with a lesson, as a key of the dashboard's message table and its fields."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.key = key
        self.fields = fields


def lesson_id(title: str) -> str:
    """A story id (and file name) from a lesson's title: ``lesson_`` and its words in snake_case.

    >>> lesson_id("¿Qué pasó en 2016? <b>Precios</b>")
    'lesson_que_paso_en_2016_b_precios_b'
    """
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")[:60].rstrip("_")
    return ID_PREFIX + (words or "untitled")


def both(text: str) -> dict[str, str]:
    """A text typed in one language, under both: the presenter shows it whatever the page's language."""
    return {lang: text for lang in LANGS}


def new_lesson(title: str, summary: str) -> dict:
    """An empty lesson (a story document without steps yet)."""
    return {"id": lesson_id(title), "title": both(title), "summary": both(summary), "steps": []}


def retitled(lesson: dict, title: str, summary: str) -> dict:
    return lesson | {"id": lesson_id(title), "title": both(title), "summary": both(summary)}


def make_step(
    title: str,
    notes: str,
    question: str,
    series: list[dict[str, str]],
    start: date,
    end: date,
    event: str | None = None,
    transform: str = "level",
    base: int | None = None,
    log: bool = False,
) -> dict:
    """A story step from what a chart shows and what the teacher typed (an empty question is left out)."""
    step = make_texts(title, notes, question)
    step |= {"series": series, "start": start.isoformat(), "end": end.isoformat(), "events": [event] if event else []}
    if log:
        step["log"] = True
    if transform != "level":
        step["transform"] = transform
    if transform == "index":
        step["base"] = base
    return step


def add_step(lesson: dict, step: dict) -> dict:
    if len(lesson["steps"]) >= MAX_STEPS:
        raise LessonError("too_many_steps", limit=MAX_STEPS)
    return lesson | {"steps": [*lesson["steps"], step]}


def replace_step(lesson: dict, index: int, step: dict) -> dict:
    steps = list(lesson["steps"])
    steps[index] = step
    return lesson | {"steps": steps}


def move_step(lesson: dict, index: int, offset: int) -> dict:
    """The lesson with step ``index`` (0-based) moved ``offset`` places, kept within the lesson."""
    steps = list(lesson["steps"])
    target = min(max(index + offset, 0), len(steps) - 1)
    steps.insert(target, steps.pop(index))
    return lesson | {"steps": steps}


def remove_step(lesson: dict, index: int) -> dict:
    return lesson | {"steps": [s for i, s in enumerate(lesson["steps"]) if i != index]}


def only_step(lesson: dict, index: int) -> dict:
    """The lesson reduced to one step (0-based): what a phone needs to show it, in a short link."""
    return lesson | {"steps": [lesson["steps"][index]]}


def with_texts(step: dict, title: str, notes: str, question: str) -> dict:
    """The step with the teacher's new words (its chart unchanged)."""
    kept = {k: v for k, v in step.items() if k not in TEXT_FIELDS}
    return make_texts(title, notes, question) | kept


def make_texts(title: str, notes: str, question: str) -> dict:
    return {"title": both(title), "notes": both(notes)} | ({"question": both(question)} if question.strip() else {})


# ---------------------------------------------------------------- checking a lesson from outside


def _text_limits(lesson: dict) -> None:
    """Limits first, with the step and field named, so an overlong text reads as such (not as a bad file)."""
    for field in ("title", "summary"):
        _check_text(lesson.get(field), field, 0)
    for number, step in enumerate(lesson["steps"], start=1):
        if not isinstance(step, dict):
            raise LessonError("bad_step", step=number)
        for field in TEXT_FIELDS:
            _check_text(step.get(field), field, number)


def _check_text(value: object, field: str, step: int) -> None:
    if value is None and field == "question":
        return
    if not isinstance(value, dict) or not all(isinstance(value.get(lang), str) for lang in LANGS):
        raise LessonError("missing_text", field=field, step=step)
    longest = max(len(value[lang]) for lang in LANGS)
    if longest > TEXT_LIMITS[field]:
        raise LessonError("text_too_long", field=field, step=step, limit=TEXT_LIMITS[field], length=longest)
    if not all(value[lang].strip() for lang in LANGS):
        raise LessonError("missing_text", field=field, step=step)


def check(lesson: object, catalog: dict[str, dict], event_ids: set[str]) -> dict:
    """The lesson if it is a story the dashboard can present; else LessonError naming the first problem."""
    if not isinstance(lesson, dict) or not isinstance(lesson.get("steps"), list):
        raise LessonError("not_a_lesson")
    if unknown := sorted(set(lesson) - STORY_FIELDS):
        raise LessonError("unknown_field", field=unknown[0], step=0)
    if not lesson["steps"]:
        raise LessonError("no_steps")
    if len(lesson["steps"]) > MAX_STEPS:
        raise LessonError("too_many_steps", limit=MAX_STEPS)
    _text_limits(lesson)
    for number, step in enumerate(lesson["steps"], start=1):
        if unknown := sorted(set(step) - STEP_FIELDS):
            raise LessonError("unknown_field", field=unknown[0], step=number)
        for entry in step.get("series") if isinstance(step.get("series"), list) else []:
            sid = entry.get("id") if isinstance(entry, dict) else entry
            if not isinstance(sid, str) or sid not in catalog:
                raise LessonError("unknown_series", series=str(sid)[:80], step=number)
        for event in step.get("events") if isinstance(step.get("events"), list) else []:
            if not isinstance(event, str) or event not in event_ids:
                raise LessonError("unknown_event", event=str(event)[:80], step=number)
    problems = validate_story(lesson, f"{lesson.get('id')}.yaml", catalog, event_ids)
    if problems:
        raise LessonError("invalid", problem=problems[0].split(": ", 1)[-1])
    return lesson


def as_story(lesson: dict, catalog: dict[str, dict]) -> Story:
    """A checked lesson as a Story for the presenter and the slide pack."""
    return parse_story(lesson, Path(f"{lesson['id']}.yaml"), catalog)


# ---------------------------------------------------------------- the link


def _packed(value: object) -> object:
    """The document with each ``{en: x, es: x}`` of equal texts written once, as ``x`` (a shorter link)."""
    if isinstance(value, dict):
        if set(value) == set(LANGS) and len({value[lang] for lang in LANGS}) == 1:
            return value[LANGS[0]]
        return {k: _packed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_packed(v) for v in value]
    return value


def _unpacked(lesson: object) -> object:
    """The document with each text written once under both languages again (the inverse of ``_packed``)."""
    if not isinstance(lesson, dict):
        return lesson
    out = {k: both(v) if k in TEXT_LIMITS and isinstance(v, str) else v for k, v in lesson.items()}
    if isinstance(out.get("steps"), list):
        out["steps"] = [
            {k: both(v) if k in TEXT_LIMITS and isinstance(v, str) else v for k, v in step.items()}
            if isinstance(step, dict)
            else step
            for step in out["steps"]
        ]
    return out


def encode_link(lesson: dict) -> str:
    """The value of the ``lesson`` parameter: the version, a dot, the compressed document in base64url."""
    text = json.dumps(_packed(lesson), ensure_ascii=False, separators=(",", ":"), default=str)
    packed = base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii").rstrip("=")
    return f"{LINK_VERSION}.{packed}"


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_INFLATED_BYTES)
    except zlib.error as e:
        raise LessonError("link_damaged") from e
    if inflater.unconsumed_tail:
        raise LessonError("too_big", limit=MAX_INFLATED_BYTES)
    if not inflater.eof:
        raise LessonError("link_truncated")
    return out


def decode_link(value: str, catalog: dict[str, dict], event_ids: set[str]) -> dict:
    """The lesson a link carries, checked; LessonError says what is wrong (version, damage, size, content)."""
    value = str(value).strip()
    if len(value) > MAX_LINK_CHARS:
        raise LessonError("link_too_long", length=len(value), limit=MAX_LINK_CHARS)
    version, dot, body = value.partition(".")
    if not dot or not re.fullmatch(r"v\d{1,3}", version):
        raise LessonError("link_unreadable")
    if version != LINK_VERSION:
        raise LessonError("link_version", version=version, expected=LINK_VERSION)
    if not re.fullmatch(r"[A-Za-z0-9_-]*", body):
        raise LessonError("link_damaged")
    try:
        data = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as e:
        raise LessonError("link_truncated") from e
    try:
        lesson = json.loads(_inflate(data).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise LessonError("link_damaged") from e
    return check(_unpacked(lesson), catalog, event_ids)


# ---------------------------------------------------------------- the story file


def to_yaml(lesson: dict) -> str:
    """The lesson as a story file for ``data/stories/<id>.yaml`` (dates as dates, texts in both languages)."""
    doc = dict(lesson)
    doc["steps"] = [
        step | {"start": date.fromisoformat(str(step["start"])), "end": date.fromisoformat(str(step["end"]))}
        for step in lesson["steps"]
    ]
    head = (
        "# A lesson made in the dashboard's Explore and Presenter pages. Saved as data/stories/"
        f"{lesson['id']}.yaml it becomes a built-in story;\n# each text is the teacher's, under both languages: "
        "translate the other one. Fields are explained in loaders/stories.py.\n"
    )
    return head + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def from_yaml(data: bytes, catalog: dict[str, dict], event_ids: set[str]) -> dict:
    """A story file uploaded again as a lesson, checked like a link (its dates back to ISO text)."""
    if len(data) > MAX_FILE_BYTES:
        raise LessonError("file_too_big", length=len(data), limit=MAX_FILE_BYTES)
    try:
        doc = yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as e:
        raise LessonError("file_unreadable") from e
    if isinstance(doc, dict) and isinstance(doc.get("steps"), list):
        doc["steps"] = [
            step | {k: step[k].isoformat() for k in ("start", "end") if isinstance(step.get(k), date)}
            if isinstance(step, dict)
            else step
            for step in doc["steps"]
        ]
    return check(doc, catalog, event_ids)
