"""``python -m loaders add SOURCE CODE``: add a series to the catalog in one step.

It asks the publisher (or reads ``data/local/CODE``) with a provisional entry, so a code that
does not exist fails before anything is written; reads the publisher's title and unit where the
answer carries them (the World Bank's ``indicator.value``, e.g. "Population growth (annual %)");
validates the observations with the same checks as a refresh; writes the snapshot and sidecar;
and appends the entry to ``catalog.yaml`` as a text block, so the file's comments and layout stay
as they were. On any failure nothing is written (a snapshot written just before a failed catalog
write is removed again).

>>> slug("Population growth (annual %)"), slug("Inflación mensual (BCV)")
('population_growth', 'inflacion_mensual')
>>> unit_from_title("Population growth (annual %)", {"pct": {}, "usd": {}})
('pct', '(annual %)')
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml
from filelock import FileLock, Timeout

from . import localfile, store
from .errors import LoaderError, UpstreamError
from .http import Http, redact_url
from .metadata import (
    ANY_COUNTRY,
    SAFE_ID,
    TRANSLATE_MARK,
    Catalog,
    catalog_path,
    entry_problems,
    is_country_code,
    read_catalog,
)
from .refresh import LOCK_NAME
from .sources import SOURCES, Facts, facts

# Publisher unit wording -> unit key, first match wins; used only when the key is in the catalog's units.
UNIT_PATTERNS = [
    (r"\bLCU per US\$", "lcu_per_usd"),
    (r"% of GDP", "pct_of_gdp"),
    (r"% of (?:total )?labou?r force", "pct_of_labour_force"),
    (r"% of merchandise exports", "pct_of_merchandise_exports"),
    (r"\(annual %\)", "pct"),
    (r"per 100,000 people", "per_100k"),
    (r"\(years\)", "years"),
    (r"\bUS\$", "usd"),
    (r"^(?:Population, total|Net migration|International migrant stock, total|Refugee population by .*)$", "persons"),
]
TOPIC_WORDS = [
    (r"migra|refugee|asylum|displaced", "migration"),
    (r"inflation|consumer price|deflator", "inflation"),
    (r"(?:oil|crude|brent|wti).*price|price.*(?:oil|crude)", "oil_prices"),
    (r"\boil\b|crude|petroleum", "oil_production"),
    (r"population|life expectancy|homicide|poverty|unemployment|school|health|mortality", "society"),
    (r"export|import|trade|current account|remittance", "trade"),
    (r"\bGDP\b|gross domestic", "gdp"),
]
DEFAULT_TOPIC = "economy"


class AddError(LoaderError):
    """The add command refused: the message says why and what to pass instead."""


@dataclass
class AddRequest:
    """What the analyst asked for; None means 'read it from the publisher or derive it'."""

    source: str
    code: str
    countries: list[str] = field(default_factory=list)
    series_id: str | None = None
    unit: str | None = None
    title: str | None = None
    title_es: str | None = None
    description: str | None = None
    description_es: str | None = None
    frequency: str | None = None
    topic: str | None = None
    publisher: str | None = None
    licence: str | None = None
    licence_url: str | None = None
    citation: str | None = None
    url: str | None = None
    sheet: str | None = None
    allow_same_code: bool = False


@dataclass
class AddResult:
    series_id: str
    entry: dict
    frame: pd.DataFrame
    block: str
    lines: list[str]
    written: list[Path]

    @property
    def report(self) -> str:
        return "\n".join(self.lines)


def slug(text: str, limit: int = 48) -> str:
    """snake_case words of a title, without parenthesised parts, cut at a word boundary."""
    words = unicodedata.normalize("NFKD", re.sub(r"\([^)]*\)", " ", text)).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", "_", words).strip("_")
    while len(words) > limit and "_" in words:
        words = words.rsplit("_", 1)[0]
    return words[:limit]


def unit_from_title(title: str, units: dict) -> tuple[str, str] | None:
    """(unit key, the words it was read from) when the publisher's title says its unit, else None."""
    for pattern, key in UNIT_PATTERNS:
        match = re.search(pattern, title)
        if match and key in units:
            return key, match.group(0)
    return None


def upstream_unit_of(title: str | None, catalog: Catalog) -> str | None:
    """The words of a World Bank title that name its unit, e.g. 'annual %' (for the entry's ``upstream_unit``).

    >>> upstream_unit_of("Unemployment, total (% of total labor force) (modeled ILO estimate)",
    ...                  Catalog({"pct_of_labour_force": {}}, {}, {}, {}, Path(".")))
    '% of total labor force'
    """
    found = unit_from_title(title or "", catalog.units)
    if not found:
        return None
    words = found[1].strip("()")
    return next((group for group in re.findall(r"\(([^()]*)\)", title or "") if words in group), None)


def topic_from_title(title: str, known: set[str]) -> str:
    for pattern, topic in TOPIC_WORDS:
        if re.search(pattern, title, re.IGNORECASE) and (topic in known or not known):
            return topic
    return DEFAULT_TOPIC


# --- the command ------------------------------------------------------------------------------------------------------


def add_series(
    request: AddRequest, data_dir: Path | None = None, http: Http | None = None, dry_run: bool = False
) -> AddResult:
    """Check, fetch, validate and (unless ``dry_run``) write one new series; raise LoaderError on any refusal."""
    http = http or Http()
    catalog = read_catalog(data_dir)
    data_dir = catalog.path.parent
    catalog_text = catalog.path.read_bytes()
    source = request.source
    if source not in catalog.sources or source not in SOURCES:
        known = ", ".join(s for s in catalog.sources if s in SOURCES)
        raise AddError(f"unknown source {source!r}; expected one of: {known}")
    publisher = facts(source)
    countries = _countries(request, publisher)
    if request.unit is not None and request.unit not in catalog.units:
        raise AddError(
            f"--unit {request.unit!r} is not a unit of the catalog; expected one of: {', '.join(catalog.units)}"
        )
    _check_request(request, publisher, data_dir)
    _check_same_code(request, catalog)
    _check_plain_text(request)

    if not (request.title or "").strip() and publisher.title is None:
        raise AddError(
            f"the {source} answer does not give the series' title; pass --title 'English title' (and --title-es)"
        )
    provisional = _provisional_entry(request, publisher, countries, data_dir) | _edition(publisher, catalog)
    bodies, frame, responses = _fetch(provisional, request, http)
    found_title = publisher.title(bodies) if publisher.title else None
    title, title_es = _titles(request, publisher, found_title)
    if not title:
        raise AddError(
            f"the {source} answer does not give the series' title; pass --title 'English title' (and --title-es)"
        )
    unit, unit_note = _unit(request, publisher, found_title or title, catalog)
    upstream_unit = upstream_unit_of(found_title, catalog) if publisher.upstream_unit_checked else None
    if not countries:  # a source without default countries: the answer's own
        countries = sorted(frame["country"].unique().tolist())
    frequency = request.frequency or frame.attrs.get("frequency") or localfile.guess_frequency(frame)
    topic = request.topic or topic_from_title(title, set(catalog.topics))
    series_id = _series_id(request, publisher, title, unit, catalog)
    entry = _entry(request, publisher, series_id, unit, topic, frequency, countries, (title, title_es), catalog)
    if upstream_unit:  # the title names the unit: a refresh checks it did not change
        entry = {k: entry[k] for k in ("id", "source", "code")} | {"upstream_unit": upstream_unit} | entry

    problems = entry_problems(entry, catalog.units, catalog.sources, catalog.topics)
    if publisher.entry_problems:
        problems += publisher.entry_problems(entry)
    if problems:
        raise AddError(f"the new entry '{series_id}' is not valid: " + "; ".join(problems))
    problem = localfile.frequency_problem(frame, frequency)  # only files say how their dates are written
    if problem:
        raise AddError(f"{source} {request.code}: {problem}")
    where = f"{source}: {series_id}"
    store.check_frame(frame, entry, catalog.units, where=where)
    block = catalog_block(entry, translated=bool(request.title_es))
    new_text = _appended(catalog_text, block)
    _check_new_catalog(catalog, new_text, entry, block)

    lines = _found_lines(source, request.code, found_title, title, unit, unit_note, catalog, frame, countries)
    lines += _notes(request, publisher, countries, topic, frequency)
    if not request.countries and frame.attrs.get("country_column") is False:
        lines.append(f"country: {countries[0]} (the file has no 'country' column; pass --country ISO3 for another)")
    written: list[Path] = []
    if dry_run:
        lines += ["dry run: nothing written. The entry would be:", block.rstrip()]
        return AddResult(series_id, entry, frame, block, lines, written)
    written = _write(data_dir, catalog, catalog_text, new_text, entry, frame, responses, http)
    rel = catalog.path.name
    lines += [
        f"wrote snapshots/{series_id}.csv and snapshots/{series_id}.json in {data_dir}",
        f"appended series '{series_id}' to {rel} (the rest of the file is unchanged)",
    ]
    if not request.title_es:
        lines.append(
            f"TRANSLATE: title.es and description.es of '{series_id}' are placeholders built from the English "
            f"title; edit them in {catalog.path} (then `python -m loaders validate`)."
        )
    where = "" if data_dir.resolve() == catalog_path().parent.resolve() else f" --data-dir {data_dir}"
    lines.append(f"see it: python -m loaders{where} list --long   (and `validate`)")
    lines.append(f"in the dashboard: /explore?series={series_id}&countries={','.join(countries[:4])}")
    return AddResult(series_id, entry, frame, block, lines, written)


def _titles(request: AddRequest, publisher: Facts, found_title: str | None) -> tuple[str, str]:
    """English and Spanish titles: the analyst's, else the publisher's with the publisher's short name."""
    if request.title and request.title.strip():
        title = request.title.strip()
        return title, (request.title_es or "").strip() or title
    if not found_title:
        return "", ""
    short_en, short_es = publisher.short_name
    title = f"{found_title} ({short_en})" if short_en else found_title
    placeholder_es = f"{found_title} ({short_es})" if short_es else found_title
    return title, (request.title_es or "").strip() or placeholder_es


def _short(publisher: Facts, lang: int) -> str:
    """' (World Bank)': the suffix titles get, to strip it again in descriptions."""
    name = publisher.short_name[lang]
    return f" ({name})" if name else ""


def _countries(request: AddRequest, publisher: Facts) -> list[str]:
    countries = list(dict.fromkeys(c.strip() for c in request.countries if c.strip()))
    bad = [c for c in countries if not is_country_code(c)]
    if bad:
        hints = [localfile.check_country(c) or c for c in bad]
        raise AddError("--country: " + "; ".join(hints))
    if not countries:
        countries = list(publisher.default_countries)
    return countries


def _check_request(request: AddRequest, publisher: Facts, data_dir: Path) -> None:
    """The source's own check of the code, and the metadata an analyst-described source needs passed."""
    problem = publisher.request_problem(request.code, data_dir) if publisher.request_problem else None
    if problem:
        raise AddError(problem)
    if not publisher.analyst_described:
        return
    missing = [
        flag
        for flag, value in (
            ("--title", request.title),
            ("--publisher", request.publisher),
            ("--licence", request.licence),
            ("--citation", request.citation),
            ("--unit", request.unit),
        )
        if not (value or "").strip()
    ]
    if missing:
        raise AddError(
            f"a local file carries no metadata, so pass {', '.join(missing)} "
            "(who published the numbers, under which licence, how to cite them, and their unit)"
        )


def _check_plain_text(request: AddRequest) -> None:
    """Titles, descriptions and citations land in CSV headers: refuse text a spreadsheet would run."""
    for flag in ("title", "title_es", "description", "description_es", "publisher", "licence", "citation"):
        formula = localfile.formula_text(getattr(request, flag))
        if formula:
            raise AddError(
                f"--{flag.replace('_', '-')} holds {formula}, which a spreadsheet would run as a formula once the "
                "CSV downloads split it into cells; expected plain text (no =, @, + or - starting a part after a comma)"
            )


def _check_same_code(request: AddRequest, catalog: Catalog) -> None:
    same = [sid for sid, e in catalog.series.items() if e["source"] == request.source and e["code"] == request.code]
    if same and not request.allow_same_code:
        entry = catalog.series[same[0]]
        raise AddError(
            f"{request.source} {request.code!r} is already in the catalog as '{same[0]}' "
            f"(countries {', '.join(entry['countries'])}). To add countries, edit that entry's 'countries' and run "
            f"`python -m loaders refresh {same[0]}`; to add it again under another id, pass --allow-same-code"
        )


def _provisional_entry(request: AddRequest, publisher: Facts, countries: list[str], data_dir: Path) -> dict:
    entry: dict[str, object] = {
        "id": request.series_id or "new_series",
        "source": request.source,
        "code": request.code,
        "countries": countries or [ANY_COUNTRY],
    }
    if request.frequency:
        entry["frequency"] = request.frequency
    if publisher.analyst_described:
        entry |= {
            "publisher": request.publisher,
            "licence": request.licence,
            "citation": request.citation,
            "data_dir": str(data_dir),
        }
        entry |= {k: v for k, v in (("url", request.url), ("licence_url", request.licence_url)) if v}
        if request.sheet is not None:
            entry["sheet"] = request.sheet
    return entry


def _fetch(entry: dict, request: AddRequest, http: Http) -> tuple[list[bytes], pd.DataFrame, list]:
    """Ask the publisher; turn 'not found' answers into a message about the code."""
    module = SOURCES[request.source]
    try:
        responses = module.fetch(entry, http)
        bodies = [r.body for r in responses]
        frame = module.parse(bodies, entry)
    except UpstreamError as e:
        raise AddError(
            f"{request.source} has no series {request.code!r} for {', '.join(entry['countries'])}, or did not answer: "
            f"{e.cause} ({e.url}). Nothing was written: check the code on the publisher's site"
        ) from e
    return bodies, frame, responses


def _unit(request: AddRequest, publisher: Facts, publisher_words: str, catalog: Catalog) -> tuple[str, str]:
    found = unit_from_title(publisher_words, catalog.units) if not publisher.analyst_described else None
    if request.unit:
        if found and found[0] != request.unit:
            return request.unit, f"from --unit (the publisher's wording {found[1]!r} suggests '{found[0]}')"
        return request.unit, "from --unit"
    if found:
        return found[0], f"read from {found[1]!r}"
    raise AddError(
        f"cannot tell the unit from the publisher's title {publisher_words!r}: pass --unit KEY, one of: "
        f"{', '.join(catalog.units)} (or add a unit under 'units:' in {catalog.path.name} first)"
    )


def _series_id(request: AddRequest, publisher: Facts, title: str, unit: str, catalog: Catalog) -> str:
    if request.series_id is not None:
        series_id = request.series_id
        if not isinstance(series_id, str) or not SAFE_ID.fullmatch(series_id):
            raise AddError(
                f"--id {series_id!r} is not a safe file name; expected snake_case: a lower-case letter, then "
                f"letters, digits and _ (3-80 characters), ending in the unit (_{unit})"
            )
        if not series_id.endswith(f"_{unit}"):
            raise AddError(f"--id {series_id!r} must end in its unit: '_{unit}' (e.g. {series_id}_{unit})")
    else:
        tag = publisher.id_tag
        stem = slug(title, limit=80 - len(tag) - len(unit) - 2) or "series"
        series_id = f"{stem}_{tag}_{unit}" if not stem[0].isdigit() else f"s_{stem}_{tag}_{unit}"
    if series_id in catalog.series:
        clash = catalog.series[series_id]
        raise AddError(
            f"id '{series_id}' is already in the catalog ({clash['source']} {clash['code']}: {clash['title']['en']}); "
            "ids are never reused: pass another with --id"
        )
    return series_id


def _entry(
    request: AddRequest,
    publisher: Facts,
    series_id: str,
    unit: str,
    topic: str,
    frequency: str,
    countries: list[str],
    titles: tuple[str, str],
    catalog: Catalog,
) -> dict:
    name = request.publisher or catalog.sources[request.source]["publisher"]
    title, title_es = titles
    if publisher.analyst_described:
        description_en = request.description or f"{title}. Source: {name}."
        description_es = request.description_es or f"{title_es}. Fuente: {name}."
    else:
        description_en = (
            request.description or f"{title.removesuffix(_short(publisher, 0))}: {name} series {request.code}."
        )
        name_es = publisher.short_name[1] or name
        description_es = (
            request.description_es
            or f"Serie {request.code} ({name_es}): {title_es.removesuffix(_short(publisher, 1))}."
        )
    entry = {
        "id": series_id,
        "source": request.source,
        "code": request.code,
        "unit": unit,
        "topic": topic,
        "frequency": frequency,
        "countries": list(countries),
        "title": {"en": title, "es": title_es},
        "description": {"en": description_en, "es": description_es},
    }
    entry |= _edition(publisher, catalog)
    if publisher.analyst_described:
        for key in ("publisher", "url", "licence", "licence_url", "citation", "sheet"):
            value = getattr(request, key)
            if value is not None and str(value).strip():
                entry[key] = str(value).strip()
    return entry


def _edition(publisher: Facts, catalog: Catalog) -> dict:
    """The edition year a source's parser needs (the IMF's first projection year...), from its source entry."""
    key = publisher.edition_key
    if key is None or key not in catalog.sources[publisher.source]:
        return {}
    return {key: catalog.sources[publisher.source][key]}


def catalog_block(entry: dict, translated: bool) -> str:
    """The entry as YAML text for the end of the ``series:`` list, with a comment saying how it came."""
    body = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)
    note = f"# Added with `python -m loaders add {entry['source']} {entry['code']}` on {store.utc_now()[:10]}."
    if not translated:
        note += f"\n{TRANSLATE_MARK}: title.es and description.es below repeat the English title; write them in "
        note += "Spanish."
    return f"{note}\n{body}"


def _appended(catalog_text: bytes, block: str) -> bytes:
    text = catalog_text.decode("utf-8")
    if text and not text.endswith("\n"):
        text += "\n"
    return (text + block).encode("utf-8")


def _check_new_catalog(catalog: Catalog, new_text: bytes, entry: dict, block: str) -> None:
    """The appended file must read back as the old catalog plus exactly this entry, with every check passing."""
    old = yaml.safe_load(catalog.path.read_text(encoding="utf-8")) or {}
    try:
        new = yaml.safe_load(new_text) or {}
    except yaml.YAMLError as e:
        new = {"error": str(e)}
    same_rest = {k: v for k, v in new.items() if k != "series"} == {k: v for k, v in old.items() if k != "series"}
    if not same_rest or (new.get("series") or [])[:-1] != (old.get("series") or []) or new["series"][-1] != entry:
        raise AddError(
            f"{catalog.path.name} cannot be extended by appending (is 'series:' not its last section?); nothing was "
            f"written. Add this block at the end of the 'series:' list by hand:\n{block}"
        )
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "catalog.yaml").write_bytes(new_text)
        read_catalog(Path(folder))


def _write(
    data_dir: Path,
    catalog: Catalog,
    catalog_text: bytes,
    new_text: bytes,
    entry: dict,
    frame: pd.DataFrame,
    responses: list,
    http: Http,
) -> list[Path]:
    """Snapshot, sidecar, then the catalog, under the refresh lock; undo the snapshot if the catalog fails."""
    series_id = entry["id"]
    csv_path, meta_path = store.snapshot_paths(data_dir, series_id)
    lock = FileLock(data_dir / LOCK_NAME, timeout=0)
    try:
        lock.acquire()
    except Timeout as e:
        raise AddError(f"a refresh is running on {data_dir}; nothing was written: try again when it ends") from e
    try:
        if catalog.path.read_bytes() != catalog_text:
            raise AddError(f"{catalog.path} changed while adding; nothing was written: run the command again")
        existing = [p for p in (csv_path, meta_path) if p.exists()]
        if existing:
            raise AddError(
                f"{existing[0]} already exists though no catalog entry names '{series_id}'; nothing was written: "
                "remove it or pass another --id"
            )
        with_entry = Catalog(
            catalog.units, catalog.sources, catalog.topics, {**catalog.series, series_id: entry}, catalog.path
        )
        provenance = {
            "urls": [redact_url(r.url) for r in responses],
            "fetched_urls": [redact_url(r.fetched_url) for r in responses],
            "mirror": None if facts(entry["source"]).analyst_described else redact_url(http.mirror),
            "retrieved_at": store.utc_now(),
            "source_last_updated": frame.attrs.get("source_last_updated"),
        }
        store.write_snapshot(data_dir, with_entry, series_id, frame, provenance)
        try:
            store.atomic_write(catalog.path, new_text)
        except BaseException:
            csv_path.unlink(missing_ok=True)
            meta_path.unlink(missing_ok=True)
            raise
    finally:
        lock.release()
    return [csv_path, meta_path, catalog.path]


def _found_lines(
    source: str,
    code: str,
    found_title: str | None,
    title: str,
    unit: str,
    unit_note: str,
    catalog: Catalog,
    frame: pd.DataFrame,
    countries: list[str],
) -> list[str]:
    lines = [f"{source} {code}: " + (f"found {found_title!r}" if found_title else f"read {len(frame)} observations")]
    if title != found_title:
        lines.append(f"  title: {title!r}")
    unit_words = catalog.units[unit]
    lines.append(f"  unit: {unit} ({unit_words['en']} / {unit_words['es']}), {unit_note}")
    for country in countries:
        mine = frame[frame["country"] == country]
        if mine.empty:
            lines.append(f"  {country}: no observations (kept in 'countries'; the publisher may add them later)")
        else:
            lines.append(
                f"  {country}: {len(mine)} observations, {mine['date'].min():%Y-%m-%d} to {mine['date'].max():%Y-%m-%d}"
            )
    low, high = (_number(unit_words[k]) for k in ("min", "max"))
    lines.append(
        f"  checks passed: {len(frame)} observations; dates, duplicates, country codes, and values within "
        f"{low} to {high} for unit '{unit}'"
    )
    return lines


def _number(x: float | str) -> str:
    x = float(x)
    return f"{x:,.0f}" if x.is_integer() and abs(x) < 1e12 else f"{x:.4g}"


def _notes(request: AddRequest, publisher: Facts, countries: list[str], topic: str, frequency: str) -> list[str]:
    notes = []
    if not request.frequency:
        notes.append(f"frequency: {frequency} (from the dates; pass --frequency to choose)")
    if not request.countries and publisher.default_countries:
        notes.append(f"countries: {', '.join(countries)} (the default; pass --country ISO3, repeatable)")
    if publisher.add_note:
        notes.append(publisher.add_note)
    if not request.description:
        notes.append("description: built from the title; pass --description and --description-es to say more")
    if not request.topic:
        notes.append(f"topic: {topic} (guessed from the title; pass --topic to choose)")
    return notes


__all__ = ["AddError", "AddRequest", "AddResult", "add_series", "catalog_block"]
