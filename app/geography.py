"""Country outlines for maps, from the ``countryinfo`` package (MIT; outlines from Natural Earth via
world.geo.json), read from the installed package: a map never fetches its geometry from the internet.

The package has outlines for about 170 countries at a world-map scale; the rest (small islands such as Aruba
and Curaçao, and a few it lacks) have a centre point, where a map draws a dot instead.

>>> geometry = map_geometry()
>>> any(feature["id"] == "COL" for feature in geometry.outlines["features"])
True
>>> "COL" in geometry.centres, "ABW" in geometry.centres
(False, True)
"""

from __future__ import annotations

import functools
import importlib.metadata
from dataclasses import dataclass

import countryinfo

MAP_PACKAGE = "countryinfo"
# Antarctica's outline runs around the pole the way Plotly reads as "everything but Antarctica", which would
# paint the whole map grey; nobody lives there to count.
LEFT_OUT = {"ATA"}


@dataclass(frozen=True)
class MapGeometry:
    """Outlines as a GeoJSON FeatureCollection whose features' ``id`` is the ISO3 code, and (latitude,
    longitude) centres of the countries without an outline."""

    outlines: dict
    centres: dict[str, tuple[float, float]]
    version: str

    def outlined(self) -> tuple[str, ...]:
        """The ISO3 codes with an outline."""
        return tuple(sorted({feature["id"] for feature in self.outlines["features"]}))

    def cache_key(self) -> tuple[str, str]:
        """The package and its version stand for the geometry (``runtime.cache.build_shared``)."""
        return (MAP_PACKAGE, self.version)


@functools.cache
def map_geometry() -> MapGeometry:
    """Every country the package knows, read once per process (about 50 ms)."""
    features: list[dict] = []
    centres: dict[str, tuple[float, float]] = {}
    for country in countryinfo.all_countries():
        code = country.iso(3)
        if not isinstance(code, str) or len(code) != 3 or code in LEFT_OUT:
            continue
        outline = country.geo_json() or {}
        shapes = [f for f in outline.get("features", []) if f.get("id") == code and f.get("geometry")]
        if shapes:
            features += [{"type": "Feature", "id": code, "geometry": _wound_for_plotly(f["geometry"])} for f in shapes]
        elif code not in centres and len(country.latlng() or []) == 2:
            latitude, longitude = country.latlng()
            centres[code] = (float(latitude), float(longitude))
    outlined = {f["id"] for f in features}
    centres = {code: at for code, at in centres.items() if code not in outlined}
    outlines = {"type": "FeatureCollection", "features": features}
    return MapGeometry(outlines, centres, importlib.metadata.version(MAP_PACKAGE))


def _wound_for_plotly(geometry: dict) -> dict:
    """The geometry with every outer ring clockwise and every hole anticlockwise (in longitude, latitude).

    Plotly's maps read a ring the other way round as the whole globe but that shape: two of the package's
    outlines (Andorra, Bermuda) would paint every sea grey.
    """
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    # Two decimals of a degree (about 1 km) is finer than a world map draws, and every rerun sends the outlines.
    polygons = [[[[round(x, 2), round(y, 2)] for x, y in ring] for ring in polygon] for polygon in polygons]
    wound = [[_wound(ring, clockwise=i == 0) for i, ring in enumerate(polygon)] for polygon in polygons]
    return {"type": geometry["type"], "coordinates": wound[0] if geometry["type"] == "Polygon" else wound}


def _wound(ring: list, clockwise: bool) -> list:
    """``ring`` turned the asked way round: the shoelace sum is negative for a clockwise ring.

    >>> _wound([[0, 0], [0, 1], [1, 1], [0, 0]], clockwise=False)
    [[0, 0], [1, 1], [0, 1], [0, 0]]
    """
    twice_area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True))
    return ring if (twice_area < 0) == clockwise else ring[::-1]
