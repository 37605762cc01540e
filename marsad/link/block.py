"""Blocking: which reports are worth comparing at all, so linking never compares all pairs.

A report is filed under keys made of *where* x *what kind* x *which week*, and looks
itself up under the keys of every place, kind and week a report of the same event could
carry. Two reports are compared only when one's lookup keys meet the other's filing keys.
The rules mirror the hard constraints in :mod:`marsad.link.score`, so blocking loses no
pair that could link:

- where: a report with coordinates is filed under its 0.5-degree grid cell and looks up
  the 3 x 3 cells around it (every place within 25 km, the linking radius, below 63
  degrees of latitude); a report placed only to a province is filed under the province
  and meets the province's precise reports and other province-level reports;
- what kind: violence, demonstrations and strategic developments never meet each other;
  a report without an event type meets all three;
- which week: the days the report's date may mean (a month for a month-precise date),
  widened by one day on lookup, the most two sources' dates may disagree.

Blocks are a superset: a block-mate may still fail the scorer's rules (another day of the
same week, a town 40 km away in the same province). What matters is the converse, that
every pair the scorer would accept is found from both sides, so that a batch link and an
incremental one see the same pairs.

The store keeps the filing keys in a table, so an incremental ingest asks the database for
exactly the candidates this module would find in memory.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from marsad.link.report import Report

CELL = 0.5  # degrees; a cell and its neighbours cover the 25 km linking radius
FAMILIES = ("violence", "demonstration", "strategic")
ANY = "*"


def _weeks(lo: int, hi: int) -> range:
    return range(lo // 7, hi // 7 + 1)


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL), math.floor(lon / CELL)


def _where(report: Report) -> tuple[list[str], list[str]]:
    """(filing, lookup) place keys."""
    if report.precise and report.lat is not None and report.lon is not None:
        i, j = _cell(report.lat, report.lon)
        filing = [f"g:{i}:{j}"] + ([f"P:{report.admin}"] if report.admin else [])
        lookup = [f"g:{i + di}:{j + dj}" for di in (-1, 0, 1) for dj in (-1, 0, 1)]
        if report.admin:
            lookup.append(f"a:{report.admin}")
        return filing, lookup
    if report.admin:
        return [f"a:{report.admin}"], [f"a:{report.admin}", f"P:{report.admin}"]
    return [], []


def _keys(report: Report, *, lookup: bool) -> frozenset[str]:
    if report.day_lo is None or report.day_hi is None or report.country is None:
        return frozenset()
    filing_places, lookup_places = _where(report)
    if not filing_places:
        return frozenset()
    if lookup:
        places = lookup_places
        kinds = [report.family, ANY] if report.family else [*FAMILIES, ANY]
        weeks = _weeks(report.day_lo - 1, report.day_hi + 1)
    else:
        places = filing_places
        kinds = [report.family or ANY]
        weeks = _weeks(report.day_lo, report.day_hi)
    return frozenset(f"{p}#{k}#{w}" for p in places for k in kinds for w in weeks)


def index_keys(report: Report) -> frozenset[str]:
    """The keys a report is filed under (empty: the report cannot be linked)."""
    return _keys(report, lookup=False)


def query_keys(report: Report) -> frozenset[str]:
    """The keys under which a report's possible partners are filed."""
    return _keys(report, lookup=True)


def near_cells(a: Report, b: Report) -> bool:
    """Whether two precise reports lie in neighbouring grid cells: part of the distance
    rule, so that every pair the scorer accepts is one blocking finds from both sides."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return False
    (i, j), (k, m) = _cell(a.lat, a.lon), _cell(b.lat, b.lon)
    return abs(i - k) <= 1 and abs(j - m) <= 1


class BlockIndex:
    """An in-memory inverted index from filing key to reports."""

    def __init__(self, reports: Iterable[Report] = ()) -> None:
        self._blocks: dict[str, list[Report]] = defaultdict(list)
        for report in reports:
            self.add(report)

    def add(self, report: Report) -> None:
        for key in report.index_keys:
            self._blocks[key].append(report)

    def remove(self, report: Report) -> None:
        for key in report.index_keys:
            bucket = self._blocks.get(key)
            if bucket is not None:
                bucket[:] = [r for r in bucket if r is not report]
                if not bucket:
                    del self._blocks[key]

    def lookup(self, keys: Iterable[str]) -> Iterator[Report]:
        """Reports filed under any of ``keys``, each once."""
        seen: set[int] = set()
        for key in keys:
            for report in self._blocks.get(key, ()):
                if id(report) not in seen:
                    seen.add(id(report))
                    yield report

    def candidates(self, report: Report) -> Iterator[Report]:
        """Reports that share a block with ``report`` (not itself)."""
        for other in self.lookup(report.query_keys):
            if other is not report:
                yield other
