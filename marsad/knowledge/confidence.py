"""How sure the extractor is of each field, as data: evidence (how a value was found) -> probability.

Each main field of an event comes from one of a few mechanisms that the extractor records as
its evidence, a path of a few parts from the coarsest distinction to the finest
(``"sentence/town/clear"``: a place named in the event's own sentence, a town, with no other
place of that name in contention). ``data/confidence.json`` gives, for each field, the share of
values found that way that were right on the project's own gold (written by
``bench/calibrate.py``); a path the table lacks backs off to its longest prefix that it has,
and then to the field's prior. This module loads and checks that table.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import resources
from typing import Any

from marsad.errors import KnowledgeError

#: The fields that carry a confidence, in the order they are shown.
FIELDS = ("event_type", "actors", "place", "date", "fatalities")

FILE = "confidence.json"

#: The fields whose joint correctness an event's own confidence is.
JOINT = ("event_type", "place", "date")


@dataclass(frozen=True)
class Cell:
    """One evidence path's estimate: ``p`` right (smoothed), from ``right`` of ``n`` values."""

    p: float
    n: int
    right: int


@dataclass(frozen=True)
class ConfidenceTable:
    about: str
    priors: dict[str, Cell]
    cells: dict[str, dict[str, Cell]]

    def cell(self, field: str, evidence: str) -> Cell:
        """The estimate for ``evidence`` of ``field``: its longest known prefix, else the prior."""
        table = self.cells[field]
        parts = evidence.split("/")
        for k in range(len(parts), 0, -1):
            found = table.get("/".join(parts[:k]))
            if found is not None:
                return found
        return self.priors[field]

    def probability(self, field: str, evidence: str) -> float:
        return self.cell(field, evidence).p


def _unit(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise KnowledgeError(f"{FILE}: {where}: p must be a number, not {value!r}")
    if not 0.0 <= value <= 1.0:
        raise KnowledgeError(f"{FILE}: {where}: p {value} is outside [0, 1]")
    return float(value)


def _count(value: Any, where: str, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise KnowledgeError(f"{FILE}: {where}: {key} must be a count, not {value!r}")
    return value


def _cell(raw: Any, where: str) -> Cell:
    if not isinstance(raw, dict) or set(raw) != {"p", "n", "right"}:
        raise KnowledgeError(f"{FILE}: {where}: needs exactly p, n and right")
    n, right = _count(raw["n"], where, "n"), _count(raw["right"], where, "right")
    if right > n:
        raise KnowledgeError(f"{FILE}: {where}: right {right} is more than n {n}")
    return Cell(_unit(raw["p"], where), n, right)


def parse_table(data: Any) -> ConfidenceTable:
    """The table from its JSON, refusing a missing field, a probability outside [0, 1] or a
    malformed evidence path."""
    if not isinstance(data, dict) or not isinstance(data.get("about"), str) or not data["about"].strip():
        raise KnowledgeError(f"{FILE}: needs an 'about' that says how the table was made")
    fields = data.get("fields")
    if not isinstance(fields, dict) or set(fields) != set(FIELDS):
        got = sorted(fields) if isinstance(fields, dict) else fields
        raise KnowledgeError(f"{FILE}: 'fields' must be exactly {', '.join(FIELDS)}; got {got}")
    priors: dict[str, Cell] = {}
    cells: dict[str, dict[str, Cell]] = {}
    for name in FIELDS:
        entry = fields[name]
        if not isinstance(entry, dict) or not isinstance(entry.get("evidence"), dict):
            raise KnowledgeError(f"{FILE}: {name}: needs a 'prior' and an 'evidence' table")
        priors[name] = _cell(entry.get("prior"), f"{name}.prior")
        cells[name] = {}
        for path, raw in entry["evidence"].items():
            if not isinstance(path, str) or not path or any(not part for part in path.split("/")):
                raise KnowledgeError(f"{FILE}: {name}: bad evidence path {path!r}")
            cells[name][path] = _cell(raw, f"{name}.evidence[{path!r}]")
    return ConfidenceTable(data["about"], priors, cells)


@functools.lru_cache(maxsize=1)
def load_confidence() -> ConfidenceTable:
    raw = resources.files("marsad.knowledge").joinpath("data", FILE).read_text(encoding="utf-8")
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise KnowledgeError(f"{FILE}: not JSON ({exc})") from None
    return parse_table(data)


def joint(fields: dict[str, float]) -> float | None:
    """An event's confidence: the chance that its type, place and date are all right, the
    three taken as independent (None when one of them has no confidence)."""
    if not all(f in fields for f in JOINT):
        return None
    p = 1.0
    for f in JOINT:
        p *= fields[f]
    return round(p, 3)


def place_level(event: dict[str, Any]) -> str:
    """The precision an event's place claims, which its place confidence is about: ``town`` (the
    point is within 25 km of where it happened), ``province`` (the admin1 is right), ``country``
    (the country is right) or ``none`` (no place: never right)."""
    if not event.get("location") and not event.get("country"):
        return "none"
    if event.get("location") == event.get("country") or not event.get("location"):
        return "country"
    if event.get("geo_precision") == 3:
        return "province"
    return "town"
