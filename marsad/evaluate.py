"""Score extracted events against analyst gold (the format of shared/gold/seeds.jsonl).

A predicted event matches a gold event when it lies within 50 km and, where dates are
scored, within a day; pairs are taken best first (type, actor overlap, exact day,
distance). Actor names are compared through the actor knowledge base, so any alias of
the gold actor counts. Events dated before the gold's ``not_before`` are background
that leaked: they count as false positives.
"""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

from marsad.knowledge.actors import load_actors

FIELDS = (
    "event_type",
    "sub_event_type",
    "event_date",
    "location_25km",
    "actors",
    "initiator",
    "fatalities_total",
    "wounded_total",
)


def _norm(name: str | None) -> str:
    return " ".join((name or "").lower().replace("-", " ").split())


def _actor_ids(name: str | None) -> set[str]:
    """Ids of actors a name may denote: by canonical name or any alias; else the name itself."""
    if not name:
        return set()
    key = _norm(name)
    found = {a.id for a in load_actors() if key == _norm(a.name) or key in {_norm(x) for x in a.aliases}}
    return found or {key}


def _pred_actor_ids(event: dict[str, Any]) -> set[str]:
    ids: set[str] = set()
    for key in ("actor1", "actor2"):
        ids |= _actor_ids(event.get(key))
    for key in ("assoc_actor_1", "assoc_actor_2"):
        for name in event.get(key) or []:
            ids |= _actor_ids(name)
    return ids


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _before(day: date | None, limit: date | None) -> bool:
    return day is not None and limit is not None and day < limit


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _distance(gold: dict[str, Any], pred: dict[str, Any]) -> float | None:
    loc = gold.get("location") or {}
    if loc.get("lat") is None or pred.get("latitude") is None:
        return None
    return _km(loc["lat"], loc["lon"], pred["latitude"], pred["longitude"])


def _pair(gold: dict[str, Any], pred: dict[str, Any], dates: bool) -> float | None:
    dist = _distance(gold, pred)
    if dist is None or dist > 50:
        return None
    gd, pd = _day(gold.get("event_date")), _day(pred.get("event_date"))
    if dates and gd is not None and (pd is None or abs((pd - gd).days) > 1):
        return None
    gold_ids = (
        set().union(*(_actor_ids(a) for a in gold.get("actors") or [])) if gold.get("actors") else set()
    )
    overlap = len(gold_ids & _pred_actor_ids(pred)) / max(len(gold_ids), 1)
    return (
        2 + (pred.get("event_type") == gold.get("event_type")) + overlap + (dates and gd == pd) - dist / 100
    )


def _match(golds: list[dict[str, Any]], preds: list[dict[str, Any]], dates: bool) -> list[tuple[int, int]]:
    pairs = sorted(
        (
            (s, gi, pi)
            for gi, g in enumerate(golds)
            for pi, p in enumerate(preds)
            if (s := _pair(g, p, dates)) is not None
        ),
        reverse=True,
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def evaluate(
    gold_rows: list[dict[str, Any]], pred_rows: list[dict[str, Any]], *, supplied_dates: bool = False
) -> dict[str, Any]:
    """Precision, recall, F1 and per-field accuracy over matched events."""
    preds = {str(r.get("article_id") or r.get("id")): r for r in pred_rows}
    tp = fp = fn = 0
    fields = {k: [0, 0] for k in FIELDS}
    for gold in gold_rows:
        pred = preds.get(str(gold["id"]), {"events": []})
        publish = gold.get("publish_date") or (
            gold.get("publish_date_if_supplied") if supplied_dates else None
        )
        dates = publish is not None
        not_before = _day(gold.get("not_before")) if dates else None
        events = list(pred.get("events") or [])
        kept = [e for e in events if not _before(_day(e.get("event_date")), not_before)]
        required, optional = gold.get("events") or [], gold.get("optional_events") or []
        pairs = _match(required, kept, dates)
        used = {pi for _, pi in pairs}
        rest = [e for i, e in enumerate(kept) if i not in used]
        tp += len(pairs)
        fp += len(rest) - len(_match(optional, rest, dates)) + len(events) - len(kept)
        fn += len(required) - len(pairs)
        for gi, pi in pairs:
            g, p = required[gi], kept[pi]
            gold_ids = [_actor_ids(a) for a in g.get("actors") or []]
            checks = {
                "event_type": p.get("event_type") == g.get("event_type"),
                "sub_event_type": p.get("sub_event_type") in (g.get("sub_event_types") or []),
                "location_25km": (dist := _distance(g, p)) is not None and dist <= 25,
                "actors": all(ids & _pred_actor_ids(p) for ids in gold_ids),
            }
            if g.get("initiator"):
                checks["initiator"] = bool(_actor_ids(g["initiator"]) & _actor_ids(p.get("actor1")))
            if dates and g.get("event_date"):
                checks["event_date"] = _day(p.get("event_date")) == _day(g["event_date"])
            for key, ok in checks.items():
                fields[key][0] += int(ok)
                fields[key][1] += 1
        for key, pkey in (("fatalities_total", "fatalities"), ("wounded_total", "wounded")):
            if gold.get(key) is not None:
                fields[key][0] += int(sum(int(e.get(pkey) or 0) for e in kept) == gold[key])
                fields[key][1] += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    acc = {k: (v[0] / v[1] if v[1] else None) for k, v in fields.items()}
    scored = [v for v in acc.values() if v is not None]
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "fields": acc,
        "fields_mean": sum(scored) / len(scored) if scored else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def _jsonl(path: str) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate_files(gold: str, pred: str, *, supplied_dates: bool = False) -> dict[str, Any]:
    return evaluate(_jsonl(gold), _jsonl(pred), supplied_dates=supplied_dates)
