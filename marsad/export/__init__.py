"""export: events out of the store (JSONL, ACLED CSV, GeoJSON, PLOVER, CAMEO, UCDP GED) and stats tables."""

from marsad.export.acled import ACLED_COLUMNS, acled_row, write_csv
from marsad.export.geojson import write_geojson
from marsad.export.jsonl import write_jsonl
from marsad.export.schemes import SCHEMES, write_scheme
from marsad.export.stats import render_stats

__all__ = [
    "ACLED_COLUMNS",
    "SCHEMES",
    "acled_row",
    "render_stats",
    "write_csv",
    "write_geojson",
    "write_jsonl",
    "write_scheme",
]
