"""The hand-written series catalog (``data/catalog.yaml``): units, sources and series.

>>> cat = read_catalog()
>>> cat.series["oil_price_wti_daily_usd_per_barrel"]["code"]
'DCOILWTICO'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry
import yaml

from . import settings
from .errors import ValidationError

FREQUENCIES = ("daily", "monthly", "annual")
# What one value covers: the average over its period, a stock at the period's end, or a total (flow) over it.
PERIODS = ("average", "end_of_period", "flow")
LANGUAGES = ("en", "es")
SAFE_ID = re.compile(r"^[a-z][a-z0-9_]{2,79}$")
# Aggregates the publishers use beside ISO 3166 codes: World, Latin America & Caribbean, Kosovo.
AGGREGATES = {"WLD": "World", "LCN": "Latin America & Caribbean", "XKX": "Kosovo"}
ANY_COUNTRY = "*"


@dataclass(frozen=True)
class Catalog:
    """The parsed catalog: ``series`` keyed by id, in file order; ``topics`` the label of each topic id
    in each language, in the order the pages list them."""

    units: dict[str, dict]
    sources: dict[str, dict]
    topics: dict[str, dict]
    series: dict[str, dict]
    path: Path


def catalog_path(data_dir: Path | None = None) -> Path:
    return Path(data_dir or settings.data_dir()) / "catalog.yaml"


_PLACEHOLDER = re.compile(r"\{(\w*)\}")
# The placeholders each hand-written template of a source may hold; any other brace is plain text.
TEMPLATE_FIELDS = {"citation": ("code",), "series_url": ("code",), "edition": ("updated", "last")}


def fill(template: str, **fields: object) -> str:
    """A hand-written template with its known ``{name}`` placeholders filled; every other brace stays
    as written (a stray ``{`` in a citation is text, not an error on every page).

    >>> fill("World Bank {code} {x} {", code="SP.POP.TOTL")
    'World Bank SP.POP.TOTL {x} {'
    """
    return _PLACEHOLDER.sub(lambda m: str(fields[m[1]]) if m[1] in fields else m[0], template)


TRANSLATE_MARK = "# TRANSLATE"  # what ``loaders add`` writes above an entry whose Spanish texts are placeholders


def translation_problems(path: Path) -> list[str]:
    """One problem per Spanish text still marked as a placeholder by a ``# TRANSLATE`` comment, naming the file,
    the line, the series and the field, so that ``validate`` fails until a person has written them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    problems = []
    for mark, line in enumerate(lines):
        if not line.lstrip().startswith(TRANSLATE_MARK):
            continue
        start = next((i for i in range(mark + 1, len(lines)) if lines[i].startswith("- id:")), None)
        if start is None:
            problems.append(f"{path}: line {mark + 1}: a '{TRANSLATE_MARK}' comment with no series below it; delete it")
            continue
        series_id = lines[start].split(":", 1)[1].strip()
        field = None
        for i in range(start + 1, len(lines)):
            text = lines[i]
            if text.startswith("- ") or (text and not text.startswith((" ", "#"))):
                break  # the next entry, or the end of the list
            if re.match(r"^  [a-z_]+:", text):
                field = text.split(":", 1)[0].strip()
            elif field in ("title", "description") and text.startswith("    es:"):
                shown = text.split(":", 1)[1].strip()
                problems.append(
                    f"{path}: line {i + 1}: series '{series_id}', field {field}.es ({shown}) is a placeholder marked "
                    f"'{TRANSLATE_MARK}' on line {mark + 1}; write it in Spanish, then delete that comment"
                )
    return problems


def template_problems(sources: dict) -> list[str]:
    """Braces in a source's citation, series URL or edition that are not one of its placeholders
    (they show as written: probably a typo or a template that expected another field)."""
    problems = []
    for name, source in sources.items():
        for key, allowed in TEMPLATE_FIELDS.items():
            values = source.get(key) or {}
            for lang, text in values.items() if isinstance(values, dict) else [("", values)]:
                stray = re.sub(r"\{(" + "|".join(allowed) + r")\}", "", str(text))
                if "{" in stray or "}" in stray:
                    where = f"{key}.{lang}" if lang else key
                    problems.append(
                        f"catalog.yaml: source '{name}', field '{where}': a brace other than "
                        + ", ".join("{" + a + "}" for a in allowed)
                        + f" ({str(text)[:80]!r}); it would be shown as written"
                    )
    return problems


def read_catalog(data_dir: Path | None = None) -> Catalog:
    """Read and check the catalog; raise ValidationError naming the entry and field at fault."""
    path = catalog_path(data_dir)
    return _read_catalog_cached(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _read_catalog_cached(path: Path, _mtime_ns: int) -> Catalog:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        raise ValidationError(f"{path.name}: not valid YAML: {e}") from e
    units, sources, topics = doc.get("units") or {}, doc.get("sources") or {}, doc.get("topics") or {}
    topic_problems = [
        f"topic '{topic}': field '{lang}' (its label) is missing or empty"
        for topic, labels in topics.items()
        for lang in LANGUAGES
        if not str((labels or {}).get(lang) or "").strip()
    ]
    if topic_problems:
        raise ValidationError(f"{path.name}: " + "; ".join(topic_problems))
    series: dict[str, dict] = {}
    for position, entry in enumerate(doc.get("series") or [], start=1):
        sid = entry.get("id") if isinstance(entry, dict) else None
        if sid in series:
            raise ValidationError(f"{path.name}: series '{sid}' (entry {position}): field 'id' is used twice")
        problems = entry_problems(entry, units, sources, topics)
        if problems or not isinstance(sid, str):
            problems = problems or ["field 'id' is missing"]
            raise ValidationError(f"{path.name}: series '{sid}' (entry {position}): " + "; ".join(problems))
        series[sid] = entry
    return Catalog(units, sources, topics, series, path)


def entry_problems(entry: dict, units: dict, sources: dict, topics: dict) -> list[str]:
    """What is wrong with one series entry, each naming the field and what was expected."""
    if not isinstance(entry, dict):
        return ["an entry must be a mapping of fields"]
    problems = []
    sid, unit = str(entry.get("id", "")), entry.get("unit")
    if not SAFE_ID.fullmatch(sid):
        problems.append("field 'id' must be snake_case letters, digits and _ (3-80 chars, a safe file name)")
    if unit not in units:
        problems.append(f"field 'unit' is {unit!r}; expected one of: {', '.join(units)}")
    elif not sid.endswith(f"_{unit}"):
        problems.append(f"field 'id' must end in its unit '_{unit}'")
    if entry.get("source") not in sources:
        problems.append(f"field 'source' is {entry.get('source')!r}; expected one of: {', '.join(sources)}")
    if entry.get("topic") not in topics:
        problems.append(f"field 'topic' is {entry.get('topic')!r}; expected one of: {', '.join(topics)}")
    if entry.get("frequency") not in FREQUENCIES:
        problems.append(f"field 'frequency' is {entry.get('frequency')!r}; expected one of: {', '.join(FREQUENCIES)}")
    if "period" in entry and entry["period"] not in PERIODS:
        problems.append(f"field 'period' is {entry['period']!r}; expected one of: {', '.join(PERIODS)}")
    problems += _edition_problems(entry)
    if not str(entry.get("code") or "").strip():
        problems.append("field 'code' (the upstream code) is missing")
    for field in ("title", "description"):
        for lang in LANGUAGES:
            if not str((entry.get(field) or {}).get(lang) or "").strip():
                problems.append(f"field '{field}.{lang}' is missing or empty")
    countries = entry.get("countries")
    if not isinstance(countries, list) or not countries:
        problems.append("field 'countries' must be a non-empty list of ISO3 codes")
    else:
        unknown = [c for c in countries if c != ANY_COUNTRY and not is_country_code(c)]
        if unknown:
            problems.append(f"field 'countries' has unknown ISO3 codes: {', '.join(map(str, unknown))}")
    return problems


def _edition_problems(entry: dict) -> list[str]:
    """The source's edition year, when given, is a year; the IMF's comes after every last actual year."""
    from .sources import SOURCES, facts  # here, not at the top: the source modules read this module

    source = entry.get("source")
    key = facts(source).edition_key if source in SOURCES else None
    if key is None or key not in entry:
        return []
    year = entry[key]
    if not isinstance(year, int) or isinstance(year, bool) or not 1800 <= year <= 2200:
        return [f"field '{key}' is {year!r}; expected a year such as 2025"]
    last_actual = entry.get("last_actual_year") or {}
    late = [f"{c}: {y}" for c, y in last_actual.items() if not isinstance(y, int) or y >= year]
    if late:
        return [f"field 'last_actual_year' must be years before first_projection_year {year}; got {', '.join(late)}"]
    return []


def is_country_code(code: object) -> bool:
    """ISO 3166-1 alpha-3, or one of the publishers' aggregates (WLD, LCN, XKX).

    >>> is_country_code("VEN"), is_country_code("WLD"), is_country_code("ven"), is_country_code("XXX")
    (True, True, False, False)
    """
    return isinstance(code, str) and (
        code in AGGREGATES or (code.isupper() and pycountry.countries.get(alpha_3=code) is not None)
    )


def country_name(code: str, lang: str = "en") -> str:
    """A country's common name in English or Spanish (falls back to English, then the code).

    >>> country_name("VEN", "es")
    'Venezuela'
    """
    if code in AGGREGATES:
        return {"WLD": {"es": "Mundo"}, "LCN": {"es": "América Latina y el Caribe"}}.get(code, {}).get(
            lang
        ) or AGGREGATES[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    name = _spanish().gettext(country.name) if lang == "es" else getattr(country, "common_name", country.name)
    # ISO's formal names put the qualifier after a comma ("Venezuela, Bolivarian Republic of").
    return name.split(",")[0]


@lru_cache(maxsize=1)
def _spanish():
    import gettext

    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"], fallback=True)
