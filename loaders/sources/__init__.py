"""One module per publisher, each with the same small surface.

A source module provides:

``fetch(entry: dict, http: Http) -> list[Response]``
    Download every raw answer the series needs (all pages, all countries) from the
    *live* URL through ``http.get(SOURCE, url)``; ``Http`` swaps in the mirror, retries,
    enforces timeouts and the size limit. Fetch may peek at a first page to learn how many
    pages there are, but it does no other parsing.

``parse(bodies: list[bytes], entry: dict) -> pandas.DataFrame``
    Pure: raw bytes in, the tidy frame out, with columns ``date`` (datetime64, first day of
    the period: 2018 -> 2018-01-01, 2020-04 -> 2020-04-01), ``country`` (ISO3 str), ``value``
    (float) and, where the source marks it, ``status`` (str, e.g. ``projection``), sorted by
    country then date, with missing observations dropped. It raises ``DriftError`` (a
    publisher's format changed) or ``UpstreamError`` (an error envelope) naming the source
    and what was expected. The publisher's own "last updated", where the answer gives one,
    goes in ``frame.attrs["source_last_updated"]`` as an ISO string.

``entry`` is the series' catalog entry (``data/catalog.yaml``) as a dict, with keys
``id, source, code, unit, frequency, countries`` and any source-specific keys.

Optionally, facts about the publisher that ``python -m loaders add`` and the catalog checks use
(read through ``facts(source)``; the default in brackets):

``SHORT_NAME = ("World Bank", "Banco Mundial")`` [none]
    how titles name the publisher, in English and Spanish: "GDP growth (World Bank)".
``ID_TAG = "wb"`` [the source's name]
    the tag in generated series ids: ``gdp_growth_wb_pct``.
``DEFAULT_COUNTRIES = ["WLD"]`` [``["VEN"]``]
    the countries a new series gets when the analyst names none.
``title(bodies: list[bytes]) -> str | None``
    the series' title as the publisher's answer gives it (``add`` reads the unit from it).
``UPSTREAM_UNIT_CHECKED = True`` [False]
    the title names the unit and ``parse`` checks the entry's ``upstream_unit`` against it.
``EDITION_KEY = "first_projection_year"`` [none]
    the year of the source's ``sources:`` entry that its parser needs, copied into each series.
``ADD_NOTE = "..."`` [none]
    a line ``add`` prints after adding a series: what the analyst should write by hand.
``ANALYST_DESCRIBED = True`` [False]
    the answer carries no metadata: the analyst passes title, unit, publisher, licence and citation.
``request_problem(code: str, data_dir: Path) -> str | None`` and ``entry_problems(entry) -> list[str]``
    the source's own checks of a code asked for and of a catalog entry.

A new publisher is one module here and one line in ``SOURCES`` below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from . import bcv, derived, eia, energy_institute, fred, imf, local, opec, unhcr, worldbank

SOURCES: dict[str, ModuleType] = {
    "worldbank": worldbank,
    "imf": imf,
    "fred": fred,
    "unhcr": unhcr,
    "opec": opec,
    "energy_institute": energy_institute,
    "local": local,
    "eia": eia,
    "bcv": bcv,
    "derived": derived,  # reads other series' snapshots: refresh runs it after the others
}


@dataclass(frozen=True)
class Facts:
    """What the add command and the catalog checks know about one publisher, from its module."""

    source: str
    short_name: tuple[str, str]
    id_tag: str
    default_countries: tuple[str, ...]
    title: Callable[[list[bytes]], str | None] | None
    upstream_unit_checked: bool
    edition_key: str | None
    add_note: str | None
    analyst_described: bool
    request_problem: Callable[[str, Path], str | None] | None
    entry_problems: Callable[[dict], list[str]] | None


def facts(source: str) -> Facts:
    """The publisher facts of a registered source, with the defaults for what its module leaves out.

    >>> facts("worldbank").id_tag, facts("bcv").id_tag, facts("fred").default_countries
    ('wb', 'bcv', ('WLD',))
    """
    module = SOURCES[source]
    return Facts(
        source=source,
        short_name=getattr(module, "SHORT_NAME", ("", "")),
        id_tag=getattr(module, "ID_TAG", source),
        default_countries=tuple(getattr(module, "DEFAULT_COUNTRIES", ["VEN"])),
        title=getattr(module, "title", None),
        upstream_unit_checked=getattr(module, "UPSTREAM_UNIT_CHECKED", False),
        edition_key=getattr(module, "EDITION_KEY", None),
        add_note=getattr(module, "ADD_NOTE", None),
        analyst_described=getattr(module, "ANALYST_DESCRIBED", False),
        request_problem=getattr(module, "request_problem", None),
        entry_problems=getattr(module, "entry_problems", None),
    )
