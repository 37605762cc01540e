"""Export formats: JSONL lines, ACLED's CSV columns, valid GeoJSON, stats tables."""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

import pandas as pd
import pytest
from rich.console import Console

from marsad.export import ACLED_COLUMNS, acled_row, render_stats, write_csv, write_geojson, write_jsonl
from marsad.store.knowledge import inter_code


def event(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "event_id": "3f2a9c0d1e4b5a6c7d8e",
        "event_date": "2018-06-08",
        "date_precision": "day",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "Islamic State",
        "actor2": "Military Forces of Syria",
        "assoc_actor_1": [],
        "assoc_actor_2": ["Hezbollah", "Iranian forces"],
        "location": "Albu Kamal",
        "admin1": "Deir ez-Zor",
        "country": "Syria",
        "iso3": "SYR",
        "latitude": 34.4522,
        "longitude": 40.9186,
        "geonameid": 174186,
        "geo_precision": 1,
        "fatalities": 21,
        "fatalities_low": 21,
        "fatalities_high": 26,
        "fatalities_by_actor": {"Military Forces of Syria": 21},
        "wounded": None,
        "sources": [
            {
                "article_id": "a",
                "publisher": "SOHR",
                "claimant": "the Observatory",
                "quote": "21",
                "start": 0,
                "end": 2,
            },
            {
                "article_id": "b",
                "publisher": "Reuters",
                "claimant": None,
                "quote": "26",
                "start": 5,
                "end": 7,
            },
            {"article_id": "c", "publisher": "SOHR", "claimant": None, "quote": "x", "start": 1, "end": 2},
        ],
        "notes": "Islamic State attacked regime forces and allies in Albu Kamal.",
        "n_sources": 3,
    }
    base.update(kw)
    return base


CATEGORIES = {
    "Islamic State": "Rebel group",
    "Military Forces of Syria": "State forces",
    "Protesters (Syria)": "protesters",
    "Civilians (Syria)": "civilians",
}


def category(name: str) -> str:
    return CATEGORIES.get(name, "")


def test_jsonl_is_one_event_per_line_and_keeps_unicode() -> None:
    out = io.StringIO()
    assert write_jsonl([event(), event(event_id="b", location="البوكمال")], out) == 2
    lines = out.getvalue().splitlines()
    assert [json.loads(line)["event_id"] for line in lines] == ["3f2a9c0d1e4b5a6c7d8e", "b"]
    assert "البوكمال" in lines[1]
    assert list(json.loads(lines[0])) == list(event())  # key order kept


def test_csv_has_exactly_acleds_columns_in_order_and_opens_in_pandas() -> None:
    out = io.StringIO()
    write_csv([event(), event(event_id="e2", latitude=None, longitude=None)], out, categories=CATEGORIES)
    df = pd.read_csv(io.StringIO(out.getvalue()))
    assert list(df.columns) == list(ACLED_COLUMNS)
    assert len(df) == 2
    assert list(ACLED_COLUMNS) == [
        "event_id_cnty",
        "event_date",
        "year",
        "time_precision",
        "disorder_type",
        "event_type",
        "sub_event_type",
        "actor1",
        "assoc_actor_1",
        "inter1",
        "actor2",
        "assoc_actor_2",
        "inter2",
        "interaction",
        "civilian_targeting",
        "iso",
        "region",
        "country",
        "admin1",
        "admin2",
        "admin3",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "source",
        "source_scale",
        "notes",
        "fatalities",
        "tags",
        "timestamp",
    ]


def test_acled_row_maps_the_fields() -> None:
    row = acled_row(event(), category=category, timestamp=1528675200)
    assert row["event_id_cnty"] == "3f2a9c0d1e4b5a6c7d8e"
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2018-06-08", 2018, 1)
    assert row["disorder_type"] == "Political violence"
    assert (row["inter1"], row["inter2"], row["interaction"]) == (2, 1, 12)
    assert row["assoc_actor_2"] == "Hezbollah; Iranian forces"
    assert (row["iso"], row["region"], row["country"]) == (760, "Middle East", "Syria")
    assert row["source"] == "SOHR; Reuters"  # each publisher once, in order
    assert (row["fatalities"], row["timestamp"], row["civilian_targeting"]) == (21, 1528675200, "")
    assert (row["admin2"], row["admin3"], row["source_scale"], row["tags"]) == ("", "", "", "")


@pytest.mark.parametrize(
    ("event_type", "disorder"),
    [
        ("Battles", "Political violence"),
        ("Explosions/Remote violence", "Political violence"),
        ("Violence against civilians", "Political violence"),
        ("Protests", "Demonstrations"),
        ("Riots", "Demonstrations"),
        ("Strategic developments", "Strategic developments"),
        (None, ""),
    ],
)
def test_disorder_type(event_type: str | None, disorder: str) -> None:
    assert acled_row(event(event_type=event_type))["disorder_type"] == disorder


def test_sole_actor_interaction_and_civilian_targeting() -> None:
    protest = acled_row(
        event(actor1="Protesters (Syria)", actor2=None, event_type="Protests"), category=category
    )
    assert (protest["inter1"], protest["inter2"], protest["interaction"]) == (6, "", 60)
    attack = acled_row(
        event(actor2="Civilians (Syria)", event_type="Violence against civilians"), category=category
    )
    assert (attack["interaction"], attack["civilian_targeting"]) == (27, "Civilian targeting")
    unknown = acled_row(event(actor1="Someone new"), category=category)
    assert (unknown["inter1"], unknown["interaction"]) == ("", "")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("State forces", 1),
        ("rebel group", 2),
        ("Political militias", 3),
        ("identity militia", 4),
        ("Rioters", 5),
        ("protesters", 6),
        ("Civilians", 7),
        ("External/Other forces", 8),
        ("external forces", 8),
        ("", None),
        (None, None),
    ],
)
def test_inter_codes(name: str | None, code: int | None) -> None:
    assert inter_code(name) == code


def test_time_precision_and_missing_values() -> None:
    row = acled_row(event(event_date=None, date_precision=None, iso3=None, country=None, latitude=None))
    assert (row["event_date"], row["year"], row["time_precision"], row["iso"], row["latitude"]) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert acled_row(event(date_precision="month"))["time_precision"] == 3
    assert acled_row(event(date_precision="week"))["time_precision"] == 2


def test_csv_quotes_commas_and_newlines() -> None:
    out = io.StringIO()
    write_csv([event(notes='He said, "we\nwill return".')], out)
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["notes"] == 'He said, "we\nwill return".'


def check_geojson(doc: dict[str, Any]) -> None:
    """RFC 7946's rules for what marsad writes: a FeatureCollection of Point features."""
    assert doc["type"] == "FeatureCollection" and isinstance(doc["features"], list)
    for feature in doc["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        assert isinstance(feature.get("id"), str | int)
        geometry = feature["geometry"]
        if geometry is None:
            continue
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]
        assert all(isinstance(v, float | int) and math.isfinite(v) for v in (lon, lat))
        assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_geojson_is_a_valid_feature_collection_of_points() -> None:
    out = io.StringIO()
    n = write_geojson([event(), event(event_id="e2", latitude=None, longitude=None)], out)
    doc = json.loads(out.getvalue())
    check_geojson(doc)
    assert n == 2
    first, unlocated = doc["features"]
    assert first["geometry"] == {"type": "Point", "coordinates": [40.9186, 34.4522]}  # lon, lat
    assert first["properties"]["event_id"] == first["id"]
    assert unlocated["geometry"] is None  # kept: a map skips it, a count does not lose it


def test_empty_geojson_is_valid() -> None:
    out = io.StringIO()
    write_geojson([], out)
    assert json.loads(out.getvalue()) == {"type": "FeatureCollection", "features": []}


def test_stats_tables_render() -> None:
    stats = {
        "by_month": [
            {"key": "2018-06", "events": 2, "fatalities": 21},
            {"key": None, "events": 1, "fatalities": 0},
        ],
        "by_country": [{"key": "Syria", "events": 3, "fatalities": 21}],
        "by_actor": [{"key": f"Actor {i}", "events": 30 - i, "fatalities": i} for i in range(25)],
        "by_type": [{"key": "Battles", "events": 3, "fatalities": 21}],
    }
    console = Console(record=True, width=100)
    for table in render_stats(stats, top=20):
        console.print(table)
    text = console.export_text()
    for expected in (
        "by month",
        "2018-06",
        "(unknown)",
        "by country",
        "Syria",
        "by actor",
        "(5 more)",
        "Battles",
    ):
        assert expected in text
    assert "Actor 24" not in text
