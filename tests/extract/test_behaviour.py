"""The behavioural suite (tests/extract/behaviour.py) run through the real extractor: each
capability must stay at or above its floor in behaviour_floors.json, and the failures are
printed by capability so a regression says what broke."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from extract.behaviour import COUNTRIES, TEMPLATES, Case, cases, same_actor

from marsad.extract import Extractor
from marsad.knowledge.actors import load_actors
from marsad.knowledge.places import gazetteer
from marsad.model import Article, Event

FLOORS = json.loads((Path(__file__).parent / "behaviour_floors.json").read_text())


def _canonical() -> dict[str, str]:
    names: dict[str, str] = {}
    actors = load_actors()
    for _country, _cc, _towns, group in COUNTRIES:
        if group is None:
            continue
        hit = next(a for a in actors if group.lower() in {x.lower() for x in (a.name, *a.aliases)})
        names[group] = hit.name
    return names


@pytest.fixture(scope="module")
def results(extractor: Extractor) -> list[tuple[Case, list[Event]]]:
    suite = cases(_canonical())
    articles = [Article(article_id=str(i), text=c.text) for i, c in enumerate(suite)]
    by_id = {r.article.article_id: r.events for r in extractor.extract_many(articles)}
    return [(c, by_id[str(i)]) for i, c in enumerate(suite)]


def _best(case: Case, events: list[Event]) -> Event | None:
    typed = [e for e in events if e.sub_event_type in case.sub_event_types]
    return (typed or events or [None])[0]


def _town_ids(town: str, country_code: str) -> set[int]:
    return {p.geonameid for p in gazetteer().lookup(town) if p.country_code == country_code and p.geonameid}


CODES = {name: cc for name, cc, _towns, _group in COUNTRIES}


def check(case: Case, events: list[Event]) -> dict[str, bool]:
    """What the case checks, each true or false."""
    best = _best(case, events)
    out: dict[str, bool] = {}
    if "type" in case.checks:
        out["type"] = best is not None and best.sub_event_type in case.sub_event_types
    if "actor1" in case.checks and case.actor1 is not None:
        out["actor1"] = best is not None and same_actor(case.actor1, best.actor1)
    if "actor2" in case.checks and case.actor2 is not None:
        out["actor2"] = best is not None and same_actor(case.actor2, best.actor2)
    if "place" in case.checks:
        out["place"] = best is not None and best.geonameid in _town_ids(case.town, CODES[case.country])
    if "count" in case.checks and case.fatalities is not None:
        out["count"] = best is not None and best.fatalities == case.fatalities
    return out


def test_the_suite_is_large_and_wide() -> None:
    suite = cases(_canonical())
    assert len(suite) >= 2000
    assert len({c.country for c in suite}) >= 15
    forms = {(t.sub_event_types[0], t.form) for t in TEMPLATES}
    assert len({s for s, _ in forms}) >= 18 and {f for _, f in forms} == {
        "active",
        "passive",
        "nominal",
        "headline",
    }


def test_every_capability_holds_its_floor(results: list[tuple[Case, list[Event]]]) -> None:
    scores: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failures: dict[str, list[str]] = defaultdict(list)
    for case, events in results:
        for field, ok in check(case, events).items():
            name = f"{case.capability} / {field}"
            scores[name][0] += ok
            scores[name][1] += 1
            if not ok:
                best = _best(case, events)
                got = "no event"
                if best is not None:
                    got = f"{best.sub_event_type}; {best.actor1} v {best.actor2}; "
                    got += f"{best.location}; {best.fatalities}"
                failures[name].append(f"{case.text!r} -> {got}")
    report = []
    below = []
    for name in sorted(scores):
        hit, total = scores[name]
        floor = FLOORS.get(name, FLOORS["default"])
        report.append(f"{hit / total:5.2f} (floor {floor:.2f}) {name}: {hit}/{total}")
        if hit / total < floor:
            below.append(name)
            report.extend(f"      {line}" for line in failures[name][:5])
    print("\n".join(report))
    assert not below, "below the floor: " + "; ".join(below) + "\n" + "\n".join(report)
