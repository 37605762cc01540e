"""The event-data schemes beyond ACLED's: one entry point for the CLI, the API and the server."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any

ArticleLookup = Callable[[str], Mapping[str, Any] | None]

# format name -> what it is (for --help and the API docs)
SCHEMES = {
    "plover": "PLOVER/POLECAT JSON lines",
    "cameo": "CSV with GDELT's CAMEO columns",
    "ucdp": "CSV with UCDP GED's columns",
}


def write_scheme(
    format: str,
    events: Iterable[Mapping[str, Any]],
    out: IO[str],
    *,
    categories: Mapping[str, str] | None = None,
    timestamps: Callable[[str], int | None] | None = None,
    articles: ArticleLookup | None = None,
) -> int:
    """Write ``events`` as ``format`` (one of :data:`SCHEMES`); returns how many records.

    ``categories`` maps actor names to ACLED categories, ``timestamps`` gives an event's
    last-update Unix time, ``articles`` an article's title, date and URL by id (looked up
    once per article). Events a scheme cannot express are left out (see each module).
    """
    lookup = functools.lru_cache(maxsize=4096)(articles) if articles else None
    if format == "plover":
        from marsad.export.plover import write_plover

        return write_plover(events, out, categories=categories)
    if format == "cameo":
        from marsad.export.cameo import write_cameo

        return write_cameo(events, out, categories=categories, timestamps=timestamps, articles=lookup)
    if format == "ucdp":
        from marsad.export.ucdp import write_ucdp

        return write_ucdp(events, out, categories=categories, articles=lookup)
    raise ValueError(f"unknown format {format!r}; use one of {', '.join(SCHEMES)}")
