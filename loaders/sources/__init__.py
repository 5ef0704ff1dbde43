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

A new publisher is one module here and one line in ``SOURCES`` below.
"""

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
