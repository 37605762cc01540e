"""CAMEO export: GDELT's columns; every sub-event type's code, root, quad class and Goldstein value."""

from __future__ import annotations

import io

import pandas as pd

from marsad.api import Observatory
from marsad.export.cameo import CAMEO_COLUMNS, cameo_row
from marsad.knowledge.codes import load_codes
from marsad.knowledge.taxonomy import load_taxonomy

CODES = {"EventCode": str, "EventBaseCode": str, "EventRootCode": str, "GLOBALEVENTID": str}


def read(obs: Observatory, **filters: object) -> tuple[pd.DataFrame, int]:
    out = io.StringIO()
    n = obs.export(out, format="cameo", **filters)  # type: ignore[arg-type]
    return pd.read_csv(io.StringIO(out.getvalue()), dtype=CODES, keep_default_na=False), n


def test_examples_open_in_pandas_with_gdelts_columns(obs: Observatory) -> None:
    df, n = read(obs)
    assert list(df.columns) == list(CAMEO_COLUMNS)
    assert len(df) == n
    coded = [e for e in obs.events() if load_taxonomy().get(e["sub_event_type"]).cameo]
    assert sorted(df["GLOBALEVENTID"]) == sorted(e["event_id"] for e in coded)
    assert n < len(obs.events())  # 'Disrupted weapons use' in the examples has no CAMEO verb


def test_every_sub_event_type_has_its_code_root_quad_class_and_goldstein(obs: Observatory) -> None:
    df, _ = read(obs)
    rows = {r["GLOBALEVENTID"]: r for r in df.to_dict("records")}
    codes = load_codes()
    seen = set()
    for event in obs.events():
        sub = load_taxonomy().get(event["sub_event_type"])
        seen.add(sub.sub_event_type)
        if sub.cameo is None:
            assert event["event_id"] not in rows
            continue
        row = rows[event["event_id"]]
        assert row["EventCode"] == sub.cameo
        assert row["EventBaseCode"] == sub.cameo[:3] and row["EventRootCode"] == sub.cameo[:2]
        assert row["QuadClass"] == codes.cameo_roots[sub.cameo[:2]][1]
        assert row["GoldsteinScale"] == codes.goldstein[sub.cameo]
    assert seen == {s.sub_event_type for s in load_taxonomy().sub_types}  # one event of each type


def test_codes_of_the_field_for_known_cases(obs: Observatory) -> None:
    df, _ = read(obs)
    by_sub = {r["EventCode"]: r for r in df.to_dict("records")}
    # standard CAMEO: 194 artillery, 1831 suicide bombing, 2041 chemical weapons, 057 sign agreement
    assert by_sub["1831"]["GoldsteinScale"] == -10.0 and by_sub["1831"]["QuadClass"] == 4
    assert by_sub["057"]["GoldsteinScale"] == 8.0 and by_sub["057"]["QuadClass"] == 1
    assert by_sub["0874"]["GoldsteinScale"] == 10.0 and by_sub["0874"]["QuadClass"] == 2
    assert by_sub["2041"]["EventRootCode"] == "20"


def test_actors_are_country_and_role_codes(obs: Observatory) -> None:
    df, _ = read(obs, country="Ukraine", event_type="Explosions/Remote violence", min_fatalities=1)
    (row,) = df.to_dict("records")
    assert (row["Actor1Code"], row["Actor1CountryCode"], row["Actor1Type1Code"]) == ("RUSMIL", "RUS", "MIL")
    assert (row["Actor2Code"], row["Actor2Name"]) == ("UKRCVL", "Civilians (Ukraine)")
    assert (row["EventCode"], row["ActionGeo_CountryCode"], row["ActionGeo_Type"]) == ("194", "UP", 4)
    assert row["NumArticles"] == 3 and row["SOURCEURL"] == ""  # the examples are files without URLs
    assert row["SQLDATE"] == 20240314 and row["MonthYear"] == 202403


def test_the_forces_act_when_they_fire_on_protesters(obs: Observatory) -> None:
    df, _ = read(obs, sub_event_type="Excessive force against protesters")
    (row,) = df.to_dict("records")
    assert (row["Actor1Code"], row["Actor1Name"]) == ("SYRCOP", "Police Forces of Syria (2000-2024)")
    assert (row["Actor2Code"], row["EventCode"], row["GoldsteinScale"]) == ("SYRCVL", "175", -9.0)
    assert row["SOURCEURL"].startswith("https://example.org/synthetic-")


def test_an_event_without_a_cameo_verb_has_no_row() -> None:
    assert cameo_row({"event_id": "x", "sub_event_type": "Other"}) is None
    assert cameo_row({"event_id": "x", "sub_event_type": None}) is None
