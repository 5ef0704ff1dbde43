"""The event layer: events and claims from the two source documents, loaded and checked.

``data/events.yaml`` and ``data/claims.yaml`` are hand-written (their headers explain the
fields). ``load_events``/``load_claims`` give the dashboard flat frames; ``validate_catalogues``
returns every problem as a message naming the file, the record id and the field.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from . import settings
from .metadata import is_country_code

KINDS, PRECISIONS, LANGS = ("document", "context"), ("day", "month", "year"), ("en", "es")
# A number a note quotes from a series (the shared ``figures`` convention; tests/test_numbers_in_texts.py
# recomputes each from its snapshot): which series, country, period and the digits the text shows.
FIGURE_KEYS, FIGURE_REQUIRED = {"series", "country", "date", "value", "scale"}, ("series", "date", "value")
_FIGURE_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_FIGURE_VALUE = re.compile(r"^-?\d+(\.\d+)?$")
TITLE_MAX, QUOTE_MAX = 28, 200
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "´": "'", "`": "'", "“": '"', "”": '"'})


def normalise_quote_text(text: str) -> str:
    """Typographic quotes and apostrophes to ASCII, any run of whitespace to one space.

    >>> normalise_quote_text("can’t  be\\n debated, “poor“ it`s")
    'can\\'t be debated, "poor" it\\'s'
    """
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


class _DatesAsText(yaml.CSafeLoader):
    """YAML without timestamp parsing: one impossible date (2019-02-30) must not stop the whole file loading.

    libyaml's parser (in PyYAML's wheels) reads events.yaml ten times faster than the pure-Python one (20 ms,
    not 200 ms): every page load and every validation reads it.
    """


_DatesAsText.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read(path: Path | None, key: str) -> Any:
    """One section of events.yaml or claims.yaml; no path: the data folder's file."""
    path = path or (settings.claims_path() if key == "claims" else settings.events_path())
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_DatesAsText)[key]  # noqa: S506 (safe loader)


def _frame(records: list[dict], nested: tuple[str, ...], columns: str, lists: tuple[str, ...]) -> pd.DataFrame:
    """Flatten ``{field: {en, es}}`` to ``field_en``/``field_es``; list columns are always lists."""
    rows = [{k: v for k, v in r.items() if k not in nested} for r in records]
    for row, rec in zip(rows, records, strict=True):
        row.update({f"{f}_{lang}": (rec.get(f) or {}).get(lang) for f in nested for lang in LANGS})
    frame = pd.DataFrame(rows, columns=columns.split())
    for col in lists:
        frame[col] = frame[col].map(lambda v: list(v) if isinstance(v, list) else [])
    return frame


def load_events(path: Path | None = None) -> pd.DataFrame:
    """One row per event: ``start``/``end`` datetime64, ``title_en`` … ``description_es``, ``series`` a list,
    ``cited_en``/``cited_es`` the document in words (see :func:`cite_document`)."""
    return event_frame(_read(path, "events"), documents(path))


def event_frame(records: list[dict], docs: dict | None = None) -> pd.DataFrame:
    """The events frame from records as read from YAML (an empty list gives an empty frame with every column);
    ``docs`` is the ``documents`` mapping that names each document in words."""
    columns = "id kind start end ongoing precision category title_en title_es description_en description_es"
    columns += " why_en why_es document cited_en cited_es quote also_in date_reference document_date series"
    frame = _frame(records, ("title", "description", "why"), columns, ("series", "also_in"))
    for lang in LANGS:
        frame[f"cited_{lang}"] = [
            cite_document(d, lang, docs or {}) if isinstance(d, str) else None for d in frame["document"]
        ]
    for col in ("start", "end"):
        frame[col] = pd.to_datetime(frame[col].map(_date), errors="coerce")
    # A record whose start is not a real date cannot be placed on a chart; `validate` names it, the rest still show.
    unusable = frame["start"].isna()
    frame.attrs["skipped"] = frame.loc[unusable, "id"].tolist()
    frame = frame[~unusable].reset_index(drop=True)
    for col in ("ongoing", "document_date"):
        frame[col] = frame[col].fillna(False).astype(bool)
    return frame


def load_claims(path: Path | None = None) -> pd.DataFrame:
    """One row per claim: ``note_en``/``note_es``, ``no_series_note_en``/``_es``; ``series`` and ``countries``
    (the countries its chart compares; empty means Venezuela alone) are lists."""
    columns = "id document quote also_in series countries note_en note_es no_series_note_en no_series_note_es"
    columns += " references"
    lists = ("series", "countries", "also_in", "references")
    return _frame(_read(path, "claims"), ("note", "no_series_note"), columns, lists)


def categories(path: Path | None = None) -> dict[str, dict[str, str]]:
    """The fixed category list: ``{key: {"en": label, "es": label}}``."""
    return _read(path, "categories")


def documents(path: Path | None = None) -> dict[str, dict[str, dict[str, str]]]:
    """The source documents: ``{file name: {"label": {en, es}, "description": {en, es}}}``, in catalogue order."""
    return _read(path, "documents")


def cite_document(name: object, lang: str, docs: dict[str, dict[str, dict[str, str]]]) -> str:
    """A document named in words a reader understands, its file name kept as the reference.

    >>> docs = {"a.txt": {"label": {"en": "a 2025 article", "es": "un artículo de 2025"}}}
    >>> cite_document("a.txt", "es", docs), cite_document("b.txt", "en", docs)
    ('un artículo de 2025 (a.txt)', 'b.txt')
    """
    label = ((docs.get(str(name)) or {}).get("label") or {}).get(lang)
    return f"{label} ({name})" if label else str(name or "")


def _date(value: object) -> date | None:
    try:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return None


def _check(kind: str, rec: dict, texts: tuple[str, ...], series_ids: set[str], seen: set[str]) -> list[tuple]:
    """(field, problem) pairs for one record; quotes are checked separately."""
    out, rid = [], rec.get("id")
    if not isinstance(rid, str) or not _ID.match(rid):
        out.append(("id", "is missing or not snake_case"))
    elif rid in seen:
        out.append(("id", "is a duplicate"))
    if isinstance(rid, str):
        seen.add(rid)
    for field in texts:
        for lang in LANGS:
            value = (rec.get(field) or {}).get(lang) if isinstance(rec.get(field), dict) else None
            if not isinstance(value, str) or not value.strip():
                out.append((f"{field}.{lang}", "is missing or empty"))
            elif field == "title" and len(value) > TITLE_MAX:
                out.append((f"{field}.{lang}", f"is longer than {TITLE_MAX} characters"))
    series = rec.get("series")
    if not isinstance(series, list):
        out.append(("series", "must be a list (may be empty)"))
    else:
        out += [("series", f"unknown series id {s!r}") for s in series if s not in series_ids]
    field = "date_reference" if kind == "event" else "references"
    refs = rec.get(field) or []
    urls = [refs] if isinstance(refs, str) else refs
    out += [(field, f"{u!r} is not an http(s) URL") for u in urls if not str(u).startswith(("https://", "http://"))]
    return out


def _check_event(ev: dict, cats: dict) -> list[tuple]:
    """(field, problem) pairs for the event-only fields: kind, category, dates, precision, reference."""
    out, start, end = [], _date(ev.get("start")), _date(ev.get("end"))
    for field, allowed in (("kind", KINDS), ("category", tuple(cats)), ("precision", PRECISIONS)):
        if ev.get(field) not in allowed:
            out.append((field, f"{ev.get(field)!r} is not one of: {', '.join(allowed)}"))
    if start is None:
        out.append(("start", "is missing or not an ISO date"))
    if "end" in ev and end is None:
        out.append(("end", "is not an ISO date"))
    if start and end and end < start:
        out.append(("end", f"{end} is before start {start}"))
    if ev.get("ongoing") and "end" in ev:
        out.append(("ongoing", "an ongoing period has no end"))
    first = {"month": "%d", "year": "%m%d"}.get(str(ev.get("precision")))
    for field, day in (("start", start), ("end", end)):
        if day and first and day.strftime(first) not in ("01", "0101"):
            out.append((field, f"{day} does not match precision {ev['precision']!r}: use the 1st of the month/year"))
    if ev.get("kind") == "context":
        out += [(f, "a context event cites no document") for f in ("document", "quote", "also_in") if f in ev]
        written = ev.get("why")
        why = written if isinstance(written, dict) else {}
        out += [
            (f"why.{lang}", "is missing or empty: say why a context event is here")
            for lang in LANGS
            if not str(why.get(lang) or "").strip()
        ]
    elif "why" in ev:
        out.append(("why", "only a context event says why it is here; a document event has its quote"))
    if ev.get("kind") == "context" or not ev.get("document_date"):
        if not ev.get("date_reference"):
            out.append(("date_reference", "is required unless the quote itself gives the date (document_date: true)"))
    elif start and str(start.year) not in str(ev.get("quote", "")):
        out.append(("document_date", f"the quote does not contain the year {start.year}"))
    return out


def figure_problems(figures: object, series_ids: set[str]) -> list[tuple[str, str]]:
    """(field, problem) pairs for a ``figures`` list: each item names a known series, a ``date`` "YYYY",
    "YYYY-MM" or "YYYY-MM-DD", the ``value`` as the text shows it ("65374", "111.80"), and optionally an ISO3
    ``country`` (default VEN) and a positive ``scale`` that divides the snapshot value.

    >>> figure_problems([{"series": "a", "date": "2018", "value": "65,374"}], {"a"})
    [('figures[0].value', "'65,374' is not digits with an optional '-' and '.' (write 65374, 111.80)")]
    """
    if not isinstance(figures, list):
        return [("figures", "must be a list of {series, date, value[, country, scale]}")]
    out = []
    for i, item in enumerate(figures):
        at = f"figures[{i}]"
        if not isinstance(item, dict):
            out.append((at, "must be a mapping {series, date, value[, country, scale]}"))
            continue
        out += [(f"{at}.{k}", "is missing") for k in FIGURE_REQUIRED if k not in item]
        out += [(f"{at}.{k}", f"is not one of: {', '.join(sorted(FIGURE_KEYS))}") for k in item if k not in FIGURE_KEYS]
        if "series" in item and item["series"] not in series_ids:
            out.append((f"{at}.series", f"unknown series id {item['series']!r}"))
        if "date" in item and not (isinstance(item["date"], str) and _FIGURE_DATE.match(item["date"])):
            out.append((f"{at}.date", f'{item["date"]!r} is not a quoted "YYYY", "YYYY-MM" or "YYYY-MM-DD"'))
        value = item.get("value")
        if "value" in item and not (isinstance(value, str) and _FIGURE_VALUE.match(value)):
            out.append((f"{at}.value", f"{value!r} is not digits with an optional '-' and '.' (write 65374, 111.80)"))
        if "country" in item and not is_country_code(item["country"]):
            out.append((f"{at}.country", f"{item['country']!r} is not an ISO3 code"))
        if not _positive(item.get("scale", 1)):
            out.append((f"{at}.scale", f"{item['scale']!r} is not a positive number"))
    return out


def _positive(number: object) -> bool:
    """A positive finite number; YAML reads ``1.0e9`` (no sign in the exponent) as text, so text that is one counts.

    >>> _positive(1.0e9), _positive("1.0e9"), _positive(0), _positive(True), _positive("nan")
    (True, True, False, False, False)
    """
    try:
        value = float(number) if isinstance(number, int | float | str) and not isinstance(number, bool) else 0.0
    except (TypeError, ValueError):
        return False
    return 0 < value < float("inf")


def _check_claim(rec: dict, series_ids: set[str]) -> list[tuple[str, str]]:
    """(field, problem) pairs for the claim-only fields: ``countries`` and ``figures``."""
    out = figure_problems(rec["figures"], series_ids) if "figures" in rec else []
    countries = rec.get("countries")
    if countries is not None and not (
        isinstance(countries, list) and countries and all(is_country_code(c) for c in countries)
    ):
        out.append(("countries", f"{countries!r} is not a non-empty list of ISO3 codes (WLD, LCN allowed)"))
    return out


def _quotes(rec: dict) -> list[tuple[str, object, object]]:
    """(field prefix, document, quote) for the record's own quote and each ``also_in`` entry."""
    pairs = [("", rec.get("document"), rec.get("quote"))] if rec.get("kind", "document") == "document" else []
    also = [a if isinstance(a, dict) else {} for a in rec.get("also_in") or []]
    return pairs + [(f"also_in[{i}].", a.get("document"), a.get("quote")) for i, a in enumerate(also)]


def _check_documents(path: Path) -> tuple[set[str] | None, list[str]]:
    """(the described file names or None when unreadable, problems) of the ``documents`` mapping."""
    try:
        docs = documents(path)
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        return None, [f"{Path(path).name}: cannot read 'documents': {exc}"]
    if not isinstance(docs, dict):
        return None, [f"{Path(path).name}: 'documents' must map each file name to its label and description"]
    problems = [
        f"{Path(path).name}: document {name!r}: field '{field}.{lang}' is missing or empty"
        for name, doc in docs.items()
        for field in ("label", "description")
        for lang in LANGS
        if not str(((doc or {}).get(field) or {}).get(lang) or "").strip()
    ]
    return set(docs), problems


def validate_catalogues(
    series_ids: set[str],
    seeds_dir: Path | None,
    events_path: Path | None = None,
    claims_path: Path | None = None,
) -> tuple[list[str], list[str]]:
    """Check both catalogues; return (problems, notes). No problems means valid."""
    events_path, claims_path = events_path or settings.events_path(), claims_path or settings.claims_path()
    problems, notes, checked = [], [], 0
    known: set[str] | None = None  # described documents, read with the events; claims cite the same documents
    seeds = Path(seeds_dir) if seeds_dir is not None and Path(seeds_dir).is_dir() else None
    docs = {f.name: normalise_quote_text(f.read_text(encoding="utf-8")) for f in seeds.glob("*.txt")} if seeds else {}
    for path, key, noun in ((events_path, "events", "event"), (claims_path, "claims", "claim")):
        try:
            records, cats = _read(path, key), (categories(path) if key == "events" else {})
        except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
            problems.append(f"{Path(path).name}: cannot read {key!r}: {exc}")
            continue
        if key == "events":
            known, found_docs = _check_documents(path)
            problems += found_docs
        for cat, labels in cats.items():
            if not all(isinstance(labels, dict) and str(labels.get(lang) or "").strip() for lang in LANGS):
                problems.append(f"{Path(path).name}: category {cat!r}: needs non-empty en and es labels")
        seen: set[str] = set()
        for rec in records:
            texts: tuple[str, ...] = ("title", "description") if noun == "event" else ("note",)
            texts += ("no_series_note",) if noun == "claim" and not rec.get("series") else ()
            found = _check(noun, rec, texts, series_ids, seen)
            found += _check_event(rec, cats) if noun == "event" else _check_claim(rec, series_ids)
            for prefix, doc, quote in _quotes(rec):
                if not doc or not isinstance(quote, str) or not quote.strip():
                    found.append((f"{prefix}quote", "document and quote are required"))
                elif len(quote) > QUOTE_MAX:
                    found.append((f"{prefix}quote", f"is longer than {QUOTE_MAX} characters"))
                elif known is not None and doc not in known:
                    found.append(
                        (f"{prefix}document", f"{doc!r} is not described under `documents` in {events_path.name}")
                    )
                elif seeds:
                    if doc not in docs:
                        found.append((f"{prefix}document", f"{doc!r} not found in {seeds_dir}"))
                    elif normalise_quote_text(quote) not in docs[doc]:
                        found.append((f"{prefix}quote", f"not found verbatim in {doc}: {quote!r}"))
                    else:
                        checked += 1
            problems += [f"{Path(path).name}: {noun} {rec.get('id')!r}: field {f!r} {msg}" for f, msg in found]
    if seeds:
        notes.append(f"quote check: {checked} quotes found verbatim in the documents under {seeds_dir}")
    else:
        where = f"{seeds_dir} not found" if seeds_dir else "no seeds folder given"
        notes.append(f"quote check skipped: {where} (set {settings.SEEDS_ENV} to the folder of the source documents)")
    return problems, notes
