"""UCDP GED export: GED's columns, type of violence from sides and event type, deaths by side, precisions."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pytest

from marsad.api import Observatory
from marsad.export.ucdp import UCDP_COLUMNS, date_range, ucdp_row
from marsad.knowledge.taxonomy import load_taxonomy

FILLED = (
    "type_of_violence",
    "side_a",
    "side_b",
    "best",
    "low",
    "high",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "where_prec",
    "date_prec",
    "event_clarity",
    "number_of_sources",
    "source_article",
    "source_headline",
    "source_date",
)


def read(obs: Observatory, **filters: object) -> tuple[pd.DataFrame, int]:
    out = io.StringIO()
    n = obs.export(out, format="ucdp", **filters)  # type: ignore[arg-type]
    return pd.read_csv(io.StringIO(out.getvalue()), dtype={"id": str}, keep_default_na=False), n


def rows(obs: Observatory, **filters: object) -> list[dict[str, Any]]:
    return read(obs, **filters)[0].to_dict("records")


def test_examples_open_in_pandas_with_geds_columns(obs: Observatory) -> None:
    df, n = read(obs)
    assert list(df.columns) == list(UCDP_COLUMNS)
    assert set(FILLED) <= set(df.columns)
    assert len(df) == n > 0
    four = df[["deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"]].sum(axis=1)
    assert (four == df["best"]).all()  # UCDP's four death counts always add up to best
    assert ((df["low"] <= df["best"]) & (df["best"] <= df["high"])).all()
    assert set(df["type_of_violence"]) <= {1, 2, 3}


def test_every_event_type_is_in_or_out_of_ucdps_scope(obs: Observatory) -> None:
    exported = {r["id"] for r in rows(obs)}
    seen = set()
    for event in obs.events():
        seen.add(event["sub_event_type"])
        lethal_violence = event["event_type"] in (
            "Battles",
            "Explosions/Remote violence",
            "Violence against civilians",
        )
        assert (event["event_id"] in exported) == (lethal_violence and event["fatalities"] >= 1)
    assert seen == {s.sub_event_type for s in load_taxonomy().sub_types}


def test_type_of_violence_and_sides(obs: Observatory) -> None:
    exported = {r["id"]: r for r in rows(obs)}
    by_sub = {e["sub_event_type"]: exported.get(e["event_id"]) for e in obs.events(country="Syria")}

    def row(sub: str) -> dict[str, Any]:
        found = by_sub[sub]
        assert found is not None, sub
        return found

    # synthetic events: Islamic State against the Syrian army, the army on civilians, IS on civilians
    for sub in ("Government regains territory", "Non-state actor overtakes territory"):
        assert (row(sub)["type_of_violence"], row(sub)["side_a"], row(sub)["side_b"]) == (
            1,
            "Government of Syria",
            "Islamic State",
        )
    for sub in ("Sexual violence", "Abduction/forced disappearance"):
        assert (row(sub)["type_of_violence"], row(sub)["side_a"], row(sub)["side_b"]) == (
            3,
            "Islamic State",
            "Civilians",
        )
    air = row("Air/drone strike")
    assert (air["type_of_violence"], air["side_a"]) == (3, "Government of Syria")
    assert (air["deaths_civilians"], air["deaths_unknown"], air["best"], air["high"]) == (1, 1, 2, 5)
    # riots and strategic developments are outside UCDP's definitions, lethal or not
    outside = [
        e for e in obs.events() if e["sub_event_type"] in ("Mob violence", "Looting/property destruction")
    ]
    assert outside and all(exported.get(e["event_id"]) is None for e in outside)


def test_examples_state_based_and_one_sided(obs: Observatory) -> None:
    (kharkiv,) = rows(obs, country="Ukraine", min_fatalities=1)
    # a Russian missile strike on Kharkiv that killed civilians, with Ukraine's forces on the other side
    assert (kharkiv["type_of_violence"], kharkiv["side_a"], kharkiv["side_b"]) == (
        1,
        "Government of Russia",
        "Government of Ukraine",
    )
    assert kharkiv["deaths_civilians"] == kharkiv["best"] >= 1
    assert kharkiv["number_of_sources"] == 3 and kharkiv["source_office"] == "AP; Reuters; TASS"
    assert len(kharkiv["source_date"].split("; ")) == 3
    assert (kharkiv["where_prec"], kharkiv["date_prec"], kharkiv["event_clarity"]) == (1, 1, 1)
    assert (kharkiv["region"], kharkiv["geom_wkt"]) == ("Europe", "POINT (36.2548 49.9818)")
    (bombing,) = rows(obs, sub_event_type="Suicide bomb", country="Somalia")
    assert (bombing["type_of_violence"], bombing["side_a"], bombing["side_b"]) == (
        3,
        "Al Shabaab",
        "Civilians",
    )
    assert bombing["region"] == "Africa"


def test_synthetic_articles_give_headlines_and_dates(obs: Observatory) -> None:
    (row,) = rows(obs, sub_event_type="Grenade")
    assert row["source_headline"].startswith("Headline ")
    assert row["source_article"] == f"Test Wire, {row['source_date']}, {row['source_headline']}"


@pytest.mark.parametrize(
    ("precision", "start", "end"),
    [
        ("day", "2024-03-14", "2024-03-14"),
        ("week", "2024-03-11", "2024-03-17"),
        ("month", "2024-02-01", "2024-02-29"),
        ("year", "2024-01-01", "2024-12-31"),
    ],
)
def test_date_ranges(precision: str, start: str, end: str) -> None:
    value = "2024-02-14" if precision == "month" else "2024-03-14"
    first, last = date_range(value, precision)
    assert (first.isoformat(), last.isoformat()) == (start, end)


def _event(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "event_id": "x",
        "event_date": "2018-06",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Islamic State",
        "actor2": "Military Forces of Syria (2000-2024)",
        "fatalities": 10,
        "fatalities_by_actor": {"Military Forces of Syria (2000-2024)": 7, "Islamic State": 5},
        "sources": [],
        "country": "Syria",
        "iso3": "SYR",
        "admin1": "Deir ez-Zor",
        "geo_precision": 3,
    }
    base.update(kw)
    if base["event_date"] == "2018-06":
        base["event_date"], base["date_precision"] = "2018-06-01", "month"
    return base


def test_deaths_by_side_raise_best_and_precisions_follow_marsads() -> None:
    row = ucdp_row(_event())
    assert row is not None
    # the government is side_a: its 7 dead are deaths_a, Islamic State's 5 deaths_b; best rises to 12
    assert (row["deaths_a"], row["deaths_b"], row["deaths_unknown"], row["best"]) == (7, 5, 0, 12)
    assert (row["where_prec"], row["date_prec"], row["event_clarity"]) == (4, 4, 2)
    assert (row["date_start"], row["date_end"], row["region"]) == ("2018-06-01", "2018-06-30", "Middle East")
    rebels = ucdp_row(_event(actor2="Hayat Tahrir al-Sham", fatalities_by_actor={}))
    assert rebels is not None and (rebels["type_of_violence"], rebels["deaths_unknown"]) == (2, 10)
    alone = ucdp_row(_event(actor2=None, fatalities_by_actor={}))
    assert alone is not None and (alone["type_of_violence"], alone["side_a"]) == ("", "")
    assert ucdp_row(_event(fatalities=0, fatalities_by_actor={})) is None
