"""The two canonical seed articles, scored by the project's official scorer.

The seeds and their gold live in ../shared (beside the repository), never in it."""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path

import pytest

from marsad.extract import Extractor
from marsad.model import ArticleResult
from marsad.read import read_paths

SHARED = Path(__file__).resolve().parents[3] / "shared"
pytestmark = pytest.mark.skipif(
    not (SHARED / "seeds").is_dir(), reason="../shared/seeds is not beside the repo"
)


def _scorer():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("score_events", SHARED / "tools" / "score_events.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def _predict(extractor: Extractor, overrides: dict[str, date]) -> list[dict]:  # type: ignore[type-arg]
    rows = []
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        stem = path.stem
        (article,) = [a for a in read_paths([str(path)], publish_date=overrides.get(stem))]
        rows.append(ArticleResult(article, extractor.extract(article)).to_dict())  # type: ignore[arg-type]
    return rows


def _gold() -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in (SHARED / "gold" / "seeds.jsonl").read_text().splitlines() if line]


def test_seeds_reach_the_issue_floors(extractor: Extractor) -> None:
    result = _scorer().score(_gold(), _predict(extractor, {}))
    assert result["f1"] >= 0.9
    assert result["totals"]["background"] == 0
    assert result["fields_mean"] >= 0.9
    for key, value in result["fields"].items():
        assert value >= 0.9, key


def test_seeds_with_supplied_publish_date(extractor: Extractor) -> None:
    rows = _predict(extractor, {"003_56dc01280dc948e5": date(2017, 12, 12)})
    result = _scorer().score(_gold(), rows, supplied_dates=True)
    assert result["f1"] >= 0.9
    assert result["fields_mean"] >= 0.9
    assert result["fields"]["event_date"] == 1.0


def test_seed_counts_are_not_double_counted(extractor: Extractor) -> None:
    rows = {r["article_id"]: r for r in _predict(extractor, {})}
    first = rows["000_ce7c9310039fc31c"]["events"]
    # 30 pro-regime fighters (16 troops + 14 foreigners is a breakdown) and 21 IS fighters
    assert sum(e["fatalities"] for e in first) == 51
    by_side: dict[str, int] = {}
    for e in first:
        for k, v in e["fatalities_by_actor"].items():
            by_side[k] = by_side.get(k, 0) + v
    assert sorted(by_side.values()) == [21, 30]
    second = rows["003_56dc01280dc948e5"]["events"]
    assert [e["event_date"] for e in second] == [None]  # no publish date: never a guess
    assert second[0]["wounded"] == 14


def test_every_event_shows_its_evidence(extractor: Extractor) -> None:
    for row in _predict(extractor, {}):
        text = (SHARED / "seeds" / f"{row['article_id']}.txt").read_text(encoding="utf-8")
        for event in row["events"]:
            assert event["sources"]
            for source in event["sources"]:
                assert source["quote"] in text or source["quote"] in " ".join(text.split())
