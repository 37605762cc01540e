"""Scoring linking against a gold set: pairwise and B-cubed precision and recall, and
whether every hard negative was kept apart.

The gold format (tests/link/data/linking_gold.jsonl) is one report per line: the report's
own text and how an extractor would code it, the gold ``cluster`` it belongs to, and
``neg``, the hard-negative groups it is part of (clusters that look alike but are
different events: the same town on another day, a recap of an old attack, two strikes
40 km apart). Places are names, resolved through the GeoNames gazetteer as the extractor
would resolve them, so spellings ("Abu Kamal", "Al-Bukamal") are part of the test.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

from marsad.errors import UsageError
from marsad.link.cluster import LinkedEvent
from marsad.link.linker import link_reports
from marsad.link.report import Report
from marsad.model import Event, Source


@dataclass
class GoldReport:
    report: Report
    cluster: str
    negatives: list[str] = field(default_factory=list)


def _place(name: str, country_code: str, precision: int) -> dict[str, Any]:
    """EVENT place fields for a name in a country, as the gazetteer resolves it."""
    from marsad.knowledge.places import country_names, gazetteer, iso3_codes

    g = gazetteer()
    found = [p for p in g.lookup(name) if p.country_code == country_code]
    if not found:
        raise UsageError(f"no place {name!r} in {country_code} in the gazetteer")
    if precision >= 3:
        divisions = [p for p in found if p.kind == "admin1"]
        city = max(found, key=lambda p: p.population)
        division = divisions[0] if divisions else g.admin1(country_code, city.admin1_code) or city
        return {
            "location": division.name,
            "admin1": division.name,
            "latitude": division.latitude,
            "longitude": division.longitude,
            "geonameid": None,
            "country": country_names().get(country_code),
            "iso3": iso3_codes().get(country_code),
        }
    place = min(found, key=lambda p: (p.kind != "city", -p.population, p.pid))
    region = g.admin1(country_code, place.admin1_code)
    return {
        "location": place.name,
        "admin1": region.name if region else None,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "geonameid": place.geonameid,
        "country": country_names().get(country_code),
        "iso3": iso3_codes().get(country_code),
    }


def gold_report(rec: dict[str, Any]) -> GoldReport:
    """One gold line as a report (an Event with its claims at their offsets)."""
    rid, text = rec["id"], rec["text"]
    sources = []
    for claimant, quote in rec.get("claims") or [[None, text]]:
        start = text.find(quote)
        if start < 0:
            raise UsageError(f"{rid}: claim quote not found in the text: {quote[:60]!r}")
        sources.append(Source(rid, rec.get("publisher"), claimant, quote, start, start + len(quote)))
    fields: dict[str, Any] = {
        k: rec.get(k) for k in Event.__dataclass_fields__ if k in rec and k != "sources"
    }
    fields.update(_place(rec["place"], rec["cc"], int(rec.get("geo_precision") or 1)))
    fields["geo_precision"] = rec.get("geo_precision") or 1
    fields["fatalities"] = int(rec.get("fatalities") or 0)
    fields["event_id"] = rid
    event = Event(**fields, sources=sources)
    published = date.fromisoformat(rec["published"]) if rec.get("published") else None
    report = Report(rid, event, rid, publisher=rec.get("publisher"), publish_date=published)
    return GoldReport(report, rec["cluster"], list(rec.get("neg") or []))


def load_gold(path: str | Path) -> list[GoldReport]:
    out = []
    with open(path, encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                out.append(gold_report(json.loads(line)))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise UsageError(f"{path}:{n}: {exc}") from None
    return out


def _prf(p_num: float, p_den: float, r_num: float, r_den: float) -> dict[str, float]:
    p = p_num / p_den if p_den else 1.0
    r = r_num / r_den if r_den else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def score_clusters(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, dict[str, float]]:
    """Pairwise and B-cubed P/R/F1 of ``predicted`` (item -> event) against ``gold``."""
    items = sorted(gold)
    pred_sets: dict[str, set[str]] = defaultdict(set)
    gold_sets: dict[str, set[str]] = defaultdict(set)
    for i in items:
        pred_sets[predicted[i]].add(i)
        gold_sets[gold[i]].add(i)
    pred_pairs = {p for s in pred_sets.values() for p in combinations(sorted(s), 2)}
    gold_pairs = {p for s in gold_sets.values() for p in combinations(sorted(s), 2)}
    both = len(pred_pairs & gold_pairs)
    pairwise = _prf(both, len(pred_pairs), both, len(gold_pairs))
    bp = br = 0.0
    for i in items:
        p, g = pred_sets[predicted[i]], gold_sets[gold[i]]
        overlap = len(p & g)
        bp += overlap / len(p)
        br += overlap / len(g)
    bcubed = _prf(bp, len(items), br, len(items))
    return {"pairwise": pairwise, "bcubed": bcubed}


def evaluate(gold: Sequence[GoldReport], events: Iterable[LinkedEvent] | None = None) -> dict[str, Any]:
    """Link the gold reports (unless ``events`` are given) and score the result."""
    if events is None:
        events = link_reports([g.report for g in gold])
    predicted = {r.report_id: e.event_id for e in events for r in e.reports}
    truth = {g.report.report_id: g.cluster for g in gold}
    result: dict[str, Any] = score_clusters(predicted, truth)
    groups: dict[str, set[str]] = defaultdict(set)
    for g in gold:
        for n in g.negatives:
            groups[n].add(g.cluster)
    broken = []
    for name, clusters in sorted(groups.items()):
        members = {g.report.report_id: g.cluster for g in gold if g.cluster in clusters}
        by_event: dict[str, set[str]] = defaultdict(set)
        for rid, cluster in members.items():
            by_event[predicted[rid]].add(cluster)
        if any(len(c) > 1 for c in by_event.values()):
            broken.append(name)
    gold_sizes: dict[str, int] = defaultdict(int)
    for g in gold:
        gold_sizes[g.cluster] += 1
    result["reports"] = len(gold)
    result["gold_clusters"] = len(gold_sizes)
    result["multi_report_clusters"] = sum(1 for n in gold_sizes.values() if n > 1)
    result["events"] = len(set(predicted.values()))
    result["hard_negatives"] = len(groups)
    result["hard_negatives_kept_apart"] = len(groups) - len(broken)
    result["hard_negatives_merged"] = broken
    result["errors"] = _errors(predicted, truth)
    return result


def extracted_reports(path: str | Path) -> list[GoldReport]:
    """The gold texts through the real extractor: each extracted report labelled with its
    article's gold cluster (an article's extra reports are extra items, so an extractor that
    splits one event in two costs recall)."""
    from marsad.extract import extract_many
    from marsad.model import Article

    recs = []
    with open(path, encoding="utf-8") as handle:
        recs = [json.loads(line) for line in handle if line.strip()]
    articles = [
        Article(
            r["id"],
            r["text"],
            publisher=r.get("publisher"),
            publish_date=date.fromisoformat(r["published"]) if r.get("published") else None,
        )
        for r in recs
    ]
    label = {r["id"]: (r["cluster"], list(r.get("neg") or [])) for r in recs}
    out = []
    for result in extract_many(articles):
        a = result.article
        for i, event in enumerate(result.events):
            report = Report(f"{a.article_id}#{i}", event, a.article_id, a.publisher, a.publish_date)
            out.append(GoldReport(report, *label[a.article_id]))
    return out


def _errors(predicted: dict[str, str], truth: dict[str, str]) -> list[str]:
    """Events that mix gold clusters, and gold clusters split over events."""
    out = []
    by_event: dict[str, set[str]] = defaultdict(set)
    by_cluster: dict[str, set[str]] = defaultdict(set)
    for rid, event in predicted.items():
        if rid in truth:
            by_event[event].add(rid)
            by_cluster[truth[rid]].add(rid)
    for _event, rids in sorted(by_event.items()):
        clusters = sorted({truth[r] for r in rids})
        if len(clusters) > 1:
            out.append(f"merged: {', '.join(sorted(rids))} (gold {', '.join(clusters)})")
    for cluster, rids in sorted(by_cluster.items()):
        events = {predicted[r] for r in rids}
        if len(events) > 1:
            parts = [sorted(r for r in rids if predicted[r] == e) for e in sorted(events)]
            out.append(f"split {cluster}: " + " | ".join(", ".join(p) for p in parts))
    return out
