"""GeoJSON (RFC 7946): a FeatureCollection with one Point feature per event."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any


def feature(event: dict[str, Any]) -> dict[str, Any]:
    """A Feature whose properties are the EVENT fields; null geometry when unlocated.

    RFC 7946 allows a null geometry, so events without coordinates stay in the export
    (a count that silently drops them would undercount) and map tools skip them.
    """
    lat, lon = event.get("latitude"), event.get("longitude")
    geometry = None
    if lat is not None and lon is not None:
        geometry = {"type": "Point", "coordinates": [lon, lat]}  # GeoJSON order: x, y
    return {"type": "Feature", "id": event["event_id"], "geometry": geometry, "properties": event}


def write_geojson(events: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """Stream a FeatureCollection (one feature per line) without holding it in memory."""
    out.write('{"type": "FeatureCollection", "features": [')
    n = 0
    for event in events:
        out.write(("," if n else "") + "\n" + json.dumps(feature(event), ensure_ascii=False, allow_nan=False))
        n += 1
    out.write("\n]}\n")
    return n
