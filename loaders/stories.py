"""Stories for presenter mode: ordered steps kept as data in ``data/stories/<id>.yaml``.

A teacher walks a class through a story one step at a time; each step is one chart. Adding a
story is adding a file: no code. ``read_stories`` loads every file and checks it against the
series catalog and the event ids; every problem names the file, the story, the step number
(1-based, as the presenter shows it) and the field.

A story file::

    id: hyperinflation_2014_2021        # the file name without .yaml; snake_case, stable
    title: {en: ..., es: ...}
    summary: {en: ..., es: ...}         # one or two sentences shown before the first step
    steps:
    - title: {en: ..., es: ...}         # at most 70 characters
      notes: {en: ..., es: ...}         # the teacher's notes: two or three sentences
      question: {en: ..., es: ...}      # optional discussion question for the class
      series:                           # ids from data/catalog.yaml, all in one unit
      - inflation_avg_imf_pct           #   country VEN, or the series' only country
      - {id: oil_price_brent_monthly_usd_per_barrel, country: WLD}
      start: 2014-01-01                 # the date range to zoom to; start before end
      end: 2021-12-31
      events: [hyperinflation_2017_2021]  # optional: ids from data/events.yaml, drawn strong; others dimmed
      log: true                         # optional: logarithmic y axis
      transform: index                  # optional: level (default), yoy (% change from a year earlier)
      base: 2013                        #   or index (100 = the average of year ``base``, needed then)
      figures:                          # every number the notes read straight from a series (see
      - {series: inflation_avg_imf_pct, date: "2018", value: "65374"}  # tests/test_numbers_in_texts.py)

>>> stories, problems = read_stories()
>>> problems
[]
>>> [s.id for s in stories][:1]
['revolution_1992_2025']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from . import settings
from .errors import ValidationError
from .events import figure_problems, load_events
from .metadata import ANY_COUNTRY, read_catalog

LANGS = ("en", "es")
DEFAULT_COUNTRY = "VEN"
TITLE_MAX, NOTES_MAX, QUESTION_MAX = 70, 700, 300
STORY_FIELDS = {"id", "title", "summary", "steps"}
STEP_FIELDS = {"title", "notes", "question", "series", "start", "end", "events", "log", "transform", "base", "figures"}
TRANSFORMS = ("level", "yoy", "index")
EARLIEST_BASE, LATEST_BASE = 1900, 2100
_ID = re.compile(r"^[a-z][a-z0-9_]{2,79}$")
# Stories listed first in the presenter; the rest follow in file-name order.
FIRST = ("revolution_1992_2025",)


@dataclass(frozen=True)
class SeriesRef:
    """One line of a step's chart: a series and the country to draw."""

    id: str
    country: str


@dataclass(frozen=True)
class Step:
    number: int  # 1-based, as shown to the class and in the URL
    title: dict[str, str]
    notes: dict[str, str]
    question: dict[str, str] | None
    series: tuple[SeriesRef, ...]
    start: date
    end: date
    events: tuple[str, ...]
    log: bool = False
    transform: str = "level"  # one of TRANSFORMS
    base: int | None = None  # the year an index is 100 at (transform "index" only)

    @property
    def series_ids(self) -> list[str]:
        return list(dict.fromkeys(ref.id for ref in self.series))


@dataclass(frozen=True)
class Story:
    id: str
    title: dict[str, str]
    summary: dict[str, str]
    steps: tuple[Step, ...]
    path: Path


def _date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _texts(where: str, field: str, value: object, limit: int, required: bool = True) -> list[str]:
    """Problems with a ``{en, es}`` text field."""
    if value is None and not required:
        return []
    if not isinstance(value, dict):
        return [f"{where}, field '{field}': must be a mapping with 'en' and 'es' texts"]
    out = []
    for lang in LANGS:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            out.append(f"{where}, field '{field}.{lang}': is missing or empty")
        elif len(text) > limit:
            out.append(f"{where}, field '{field}.{lang}': is longer than {limit} characters ({len(text)})")
    out += [f"{where}, field '{field}': unknown language {k!r} (use en and es)" for k in value if k not in LANGS]
    return out


def _series_refs(raw: object) -> list[tuple[object, object]]:
    """(id, country or None) for each entry of a step's ``series`` list, as written."""
    refs = []
    for entry in raw if isinstance(raw, list) else []:
        if isinstance(entry, dict):
            refs.append((entry.get("id"), entry.get("country")))
        else:
            refs.append((entry, None))
    return refs


def default_country(countries: list[str]) -> str | None:
    """VEN where the series has it, else its only country (world oil prices: WLD)."""
    if DEFAULT_COUNTRY in countries or ANY_COUNTRY in countries:
        return DEFAULT_COUNTRY
    return countries[0] if len(countries) == 1 else None


def _check_step(where: str, step: object, catalog: dict[str, dict], event_ids: set[str]) -> list[str]:
    if not isinstance(step, dict):
        return [f"{where}: must be a mapping of fields"]
    expected = ", ".join(sorted(STEP_FIELDS))
    out = [f"{where}, field '{k}': unknown field (expected one of {expected})" for k in step if k not in STEP_FIELDS]
    out += _texts(where, "title", step.get("title"), TITLE_MAX)
    out += _texts(where, "notes", step.get("notes"), NOTES_MAX)
    out += _texts(where, "question", step.get("question"), QUESTION_MAX, required=False)
    raw_series = step.get("series")
    if not isinstance(raw_series, list) or not raw_series:
        out.append(f"{where}, field 'series': must be a non-empty list of series ids from catalog.yaml")
    units = {}
    for sid, country in _series_refs(raw_series):
        if not isinstance(sid, str) or sid not in catalog:
            out.append(f"{where}, field 'series': unknown series id {sid!r} (not in catalog.yaml)")
            continue
        countries = list(catalog[sid].get("countries") or [])
        if country is None:
            if default_country(countries) is None:
                out.append(f"{where}, field 'series': {sid!r} needs a country (one of {', '.join(countries)})")
        elif ANY_COUNTRY not in countries and country not in countries:
            out.append(f"{where}, field 'series': {sid!r} has no country {country!r} (has {', '.join(countries)})")
        units[sid] = catalog[sid].get("unit")
    # A step drawn as % change or as an index puts series of any unit on one axis.
    if len(set(units.values())) > 1 and step.get("transform", "level") == "level":
        listed = ", ".join(f"{sid} ({unit})" for sid, unit in units.items())
        out.append(f"{where}, field 'series': series in one step must share a unit, got {listed}")
    start, end = _date(step.get("start")), _date(step.get("end"))
    if start is None:
        out.append(f"{where}, field 'start': is missing or not an ISO date (YYYY-MM-DD)")
    if end is None:
        out.append(f"{where}, field 'end': is missing or not an ISO date (YYYY-MM-DD)")
    if start and end and not start < end:
        out.append(f"{where}, field 'end': {end} is not after start {start} (reversed or empty date range)")
    events = step.get("events", [])
    if not isinstance(events, list):
        out.append(f"{where}, field 'events': must be a list of event ids from events.yaml")
    else:
        out += [
            f"{where}, field 'events': unknown event id {e!r} (not in events.yaml)"
            for e in events
            if e not in event_ids
        ]
    if "log" in step and not isinstance(step["log"], bool):
        out.append(f"{where}, field 'log': must be true or false")
    out += _check_transform(where, step)
    if "figures" in step:
        out += [
            f"{where}, field '{field}': {problem}" for field, problem in figure_problems(step["figures"], set(catalog))
        ]
    return out


def _check_transform(where: str, step: dict) -> list[str]:
    transform, base = step.get("transform", "level"), step.get("base")
    if transform not in TRANSFORMS:
        return [f"{where}, field 'transform': must be one of {', '.join(TRANSFORMS)}"]
    if transform == "index" and (
        isinstance(base, bool) or not isinstance(base, int) or not EARLIEST_BASE <= base <= LATEST_BASE
    ):
        return [f"{where}, field 'base': an index needs a base year ({EARLIEST_BASE}-{LATEST_BASE})"]
    if transform != "index" and base is not None:
        return [f"{where}, field 'base': only an index (transform: index) has a base year"]
    return []


def validate_story(doc: object, file_name: str, catalog: dict[str, dict], event_ids: set[str]) -> list[str]:
    """Every problem with one story document; each names the file, story, step and field."""
    stem = Path(file_name).stem
    if not isinstance(doc, dict):
        return [f"{file_name}: story {stem!r}: the file must be a mapping with id, title, summary and steps"]
    sid = doc.get("id")
    where = f"{file_name}: story {(sid if isinstance(sid, str) else stem)!r}"
    expected = ", ".join(sorted(STORY_FIELDS))
    out = [f"{where}, field '{k}': unknown field (expected {expected})" for k in doc if k not in STORY_FIELDS]
    if not isinstance(sid, str) or not _ID.match(sid):
        out.append(f"{where}, field 'id': is missing or not snake_case (3-80 letters, digits, _)")
    elif sid != stem:
        out.append(f"{where}, field 'id': must equal the file name without .yaml ({stem!r})")
    out += _texts(where, "title", doc.get("title"), TITLE_MAX)
    out += _texts(where, "summary", doc.get("summary"), NOTES_MAX)
    steps = doc.get("steps")
    if not isinstance(steps, list) or not steps:
        out.append(f"{where}, field 'steps': must be a non-empty list of steps")
        return out
    for number, step in enumerate(steps, start=1):
        out += _check_step(f"{where}, step {number}", step, catalog, event_ids)
    return out


def parse_story(doc: dict, path: Path, catalog: dict[str, dict]) -> Story:
    """A validated story document as a Story (call ``validate_story`` first)."""
    steps = []
    for number, raw in enumerate(doc["steps"], start=1):
        refs = []
        for sid, country in _series_refs(raw["series"]):
            chosen = str(country) if country else default_country(list(catalog[str(sid)]["countries"]))
            if chosen is None:
                raise ValidationError(f"{path.name}: step {number}: {sid} needs a country (call validate_story first)")
            refs.append(SeriesRef(str(sid), chosen))
        start, end = _date(raw["start"]), _date(raw["end"])
        if start is None or end is None:
            raise ValidationError(f"{path.name}: step {number}: no start or end date (call validate_story first)")
        steps.append(
            Step(
                number=number,
                title=dict(raw["title"]),
                notes=dict(raw["notes"]),
                question=dict(raw["question"]) if raw.get("question") else None,
                series=tuple(refs),
                start=start,
                end=end,
                events=tuple(raw.get("events") or ()),
                log=bool(raw.get("log", False)),
                transform=str(raw.get("transform", "level")),
                base=raw.get("base"),
            )
        )
    return Story(doc["id"], dict(doc["title"]), dict(doc["summary"]), tuple(steps), Path(path))


def read_stories(
    stories_dir: Path | None = None,
    catalog: dict[str, dict] | None = None,
    event_ids: set[str] | None = None,
) -> tuple[list[Story], list[str]]:
    """(the valid stories, the problems of the others). A broken file never hides the good ones."""
    folder = Path(stories_dir or settings.stories_dir())
    catalog = catalog if catalog is not None else read_catalog().series
    event_ids = event_ids if event_ids is not None else set(load_events()["id"])
    stories, problems, seen = [], [], set()
    for path in sorted(folder.glob("*.yaml")):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as e:
            problems.append(f"{path.name}: story {path.stem!r}: not readable YAML: {e}")
            continue
        found = validate_story(doc, path.name, catalog, event_ids)
        if found:
            problems += found
            continue
        if doc["id"] in seen:
            problems.append(f"{path.name}: story {doc['id']!r}, field 'id': is used by another file")
            continue
        seen.add(doc["id"])
        stories.append(parse_story(doc, path, catalog))
    stories.sort(key=lambda s: (s.id not in FIRST, FIRST.index(s.id) if s.id in FIRST else 0, s.id))
    return stories, problems


def load_stories(stories_dir: Path | None = None, **kwargs) -> list[Story]:
    """Every story, or ValidationError listing every problem (for tests and ``validate``)."""
    stories, problems = read_stories(stories_dir, **kwargs)
    if problems:
        raise ValidationError("; ".join(problems))
    return stories
