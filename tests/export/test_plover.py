"""PLOVER export: every line meets the shipped JSON Schema; categories, modes and roles per sub-event type."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pandas as pd
import pytest

from marsad.api import Observatory
from marsad.export.plover import plover_record
from marsad.export.schema_check import SchemaError, validate
from marsad.knowledge.codes import load_codes
from marsad.knowledge.taxonomy import load_taxonomy

SCHEMA = load_codes().plover_schema


def export(obs: Observatory, **filters: object) -> tuple[list[dict[str, Any]], str, int]:
    out = io.StringIO()
    n = obs.export(out, format="plover", **filters)  # type: ignore[arg-type]
    text = out.getvalue()
    return [json.loads(line) for line in text.splitlines()], text, n


def test_every_line_validates_against_the_schema(obs: Observatory) -> None:
    records, _, n = export(obs)
    assert n == len(records) > 20
    for record in records:
        assert validate(record, SCHEMA) == [], record["id"]


def test_examples_open_in_pandas_with_plovers_fields(obs: Observatory) -> None:
    _, text, n = export(obs)
    df = pd.read_json(io.StringIO(text), lines=True, dtype={"id": str})
    assert len(df) == n
    for column in ("id", "date", "source", "recipient", "event", "mode", "context", "quad_code"):
        assert column in df.columns
    for column in ("event_scale", "event_loc", "dead", "injured", "event_text", "evidence"):
        assert column in df.columns
    assert set(df["quad_code"]) <= {1, 2, 3, 4}


def test_every_sub_event_type_has_its_category_mode_and_context(obs: Observatory) -> None:
    records, _, _ = export(obs)
    by_id = {r["id"]: r for r in records}
    codes = load_codes()
    seen = set()
    for event in obs.events():
        sub = codes.sub_types[event["sub_event_type"]]
        seen.add(sub.sub_event_type)
        if sub.plover is None:
            assert event["event_id"] not in by_id
            continue
        record = by_id[event["event_id"]]
        assert record["event"] == [sub.plover]
        assert (record["quad_code"], record["event_scale"]) == codes.plover_categories[sub.plover]
        assert (record["mode"], record["context"]) == (list(sub.plover_mode), list(sub.plover_context))
        assert record["acled_sub_event_type"] == sub.sub_event_type
    assert seen == {s.sub_event_type for s in load_taxonomy().sub_types}
    uncoded = {s for s in seen if codes.sub_types[s].plover is None}
    assert uncoded == {"Change to group/activity", "Disrupted weapons use", "Other"}


def test_battles_have_both_sides_as_sources_and_one_sided_violence_a_recipient(obs: Observatory) -> None:
    (battle,), _, _ = export(obs, country="Somalia", event_type="Battles")
    assert [a["actor_text"] for a in battle["source"]] == ["Al Shabaab", "Military Forces of Somalia"]
    assert battle["recipient"] == []
    assert [(a["code"], a["sector"]) for a in battle["source"]] == [("SOM", "REB"), ("SOM", "MIL")]
    (bombing,), _, _ = export(obs, sub_event_type="Suicide bomb", country="Somalia")
    assert [a["actor_text"] for a in bombing["source"]] == ["Al Shabaab"]
    assert [(a["code"], a["sector"]) for a in bombing["recipient"]] == [("SOM", "CVL")]
    assert bombing["mode"] == ["suicide-attack"] and bombing["dead"] >= 1
    assert bombing["event_loc"]["name"] == "Mogadishu" and bombing["event_loc"]["country code"] == "SO"
    quote = bombing["evidence"][0]
    assert quote["quote"] in bombing["event_text"] and quote["end"] > quote["start"]


def test_forces_firing_on_protesters_are_the_source(obs: Observatory) -> None:
    (record,), _, _ = export(obs, sub_event_type="Excessive force against protesters")
    assert [(a["actor_text"], a["sector"]) for a in record["source"]] == [
        ("Police Forces of Syria (2000-2024)", "COP")
    ]
    assert [a["actor_text"] for a in record["recipient"]] == ["Protesters (Syria)"]
    assert record["event"] == ["ASSAULT"]


def test_the_checker_finds_what_breaks_the_schema(obs: Observatory) -> None:
    good, _, _ = export(obs, limit=1)
    record = good[0]
    assert validate(record, SCHEMA) == []
    bad = copy.deepcopy(record)
    bad["event"] = ["FIGHT"]  # not a PLOVER category
    bad["quad_code"] = True  # a boolean is not an integer
    bad["source"][0]["sector"] = "INS"
    bad["surprise"] = 1
    del bad["id"]
    problems = "\n".join(validate(bad, SCHEMA))
    for expected in ("$.event[0]", "$.quad_code", "$.source[0].sector", "'surprise'", "required 'id'"):
        assert expected in problems
    assert validate({**record, "event_loc": {**record["event_loc"], "latitude": 91}}, SCHEMA)


def test_the_checker_refuses_schema_keywords_it_cannot_check() -> None:
    with pytest.raises(SchemaError, match="format"):
        validate("2020-01-01", {"type": "string", "format": "date"})


def test_an_event_plover_has_no_category_for_is_left_out() -> None:
    assert plover_record({"event_id": "x", "sub_event_type": "Disrupted weapons use"}) is None
