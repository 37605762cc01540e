"""Alert rules: what each condition picks, how a rules file is checked, what an alert says.

Delivery to a real file, webhook and SMTP server is tested end to end in tests/test_watch.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from marsad.errors import WatchError
from marsad.export.alerts import FileSink, distance_km, load_alerts, parse_alerts, payload, subject, summary
from marsad.model import Event, Source


def event(**kw: Any) -> dict[str, Any]:
    """An EVENT dict (docs/events.md), as the store gives it, of an attack in Maiduguri."""
    base = Event(
        event_id="e1",
        event_date="2026-12-07",
        date_precision="day",
        event_type="Violence against civilians",
        sub_event_type="Attack",
        actor1="Islamic State West Africa Province",
        actor2="Civilians (Nigeria)",
        location="Maiduguri",
        admin1="Borno",
        country="Nigeria",
        iso3="NGA",
        latitude=11.8469,
        longitude=13.1571,
        fatalities=3,
        sources=[Source("a1", "Loopback Wire", "police", "Gunmen killed three villagers.", 0, 30)],
        notes="Attack in Maiduguri; 3 killed.",
    ).to_dict()
    return {**base, **kw}


def rule(**kw: Any) -> Any:
    return parse_alerts({"alert": [{"name": "r", **kw}]}).rules[0]


def test_each_condition_picks_what_it_says() -> None:
    e = event()
    assert rule().matches(e)  # a rule with only a name matches everything
    assert rule(country="nigeria").matches(e) and rule(country=["Mali", "NGA"]).matches(e)
    assert not rule(country="Niger").matches(e)
    assert rule(admin1="BORNO").matches(e) and not rule(admin1="Yobe").matches(e)
    assert rule(event_types=["violence against civilians"]).matches(e)
    assert not rule(sub_event_types=["Abduction/forced disappearance"]).matches(e)
    assert rule(min_fatalities=3).matches(e) and not rule(min_fatalities=4).matches(e)
    assert rule(actors="Civilians (Nigeria)").matches(e) and not rule(actors="Al Shabaab").matches(e)
    # an alias in the rule is the canonical actor on the event
    isis = event(actor1="Islamic State", actor2=None)
    assert rule(actors="Daesh").matches(isis)
    # a box (min lon, min lat, max lon, max lat) and a radius around a point
    assert rule(bbox=[12.0, 11.0, 14.0, 12.5]).matches(e) and not rule(bbox=[0.0, 0.0, 1.0, 1.0]).matches(e)
    damaturu = (11.7470, 11.9608)
    km = distance_km(damaturu, (11.8469, 13.1571))
    assert 125 < km < 135  # Damaturu to Maiduguri
    assert rule(lat=damaturu[0], lon=damaturu[1], radius_km=140).matches(e)
    assert not rule(lat=damaturu[0], lon=damaturu[1], radius_km=120).matches(e)
    # an event with no point is outside every area
    assert not rule(bbox=[-180, -90, 180, 90]).matches(event(latitude=None, longitude=None))
    # every stated condition must hold
    assert not rule(country="Nigeria", min_fatalities=10).matches(e)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"alert": [{"name": "a", "colour": "red"}]}, "alert 1 (a): unknown key 'colour'"),
        ({"alert": [{"country": "Mali"}]}, "alert 1: every rule needs a name"),
        ({"alert": [{"name": "a"}, {"name": "a"}]}, "two rules are named 'a'"),
        ({"alert": [{"name": "a", "event_types": ["Bombing"]}]}, "'Bombing' is not in ACLED's taxonomy"),
        (
            {"alert": [{"name": "a", "lat": 1.0, "lon": 2.0}]},
            "a radius needs lat, lon and radius_km together",
        ),
        ({"alert": [{"name": "a", "bbox": [1, 2, 3]}]}, "bbox: give [min_lon, min_lat, max_lon, max_lat]"),
        ({"alert": [{"name": "a", "on": ["changed"]}]}, "on: 'changed' is not a trigger; use new, toll"),
        ({"alert": [{"name": "a", "min_fatalities": -1}]}, "min_fatalities: give a whole number"),
        ({"alert": []}, "no [[alert]] rule"),
        ({"alert": [{"name": "a"}], "delivery": {"webhook": "ftp://x"}}, "webhook: give an http(s) URL"),
        (
            {"alert": [{"name": "a"}], "delivery": {"email": {"host": "h"}}},
            "[delivery].email: from is required",
        ),
    ],
)
def test_a_wrong_rules_file_is_refused_with_where_and_why(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(WatchError) as info:
        parse_alerts(raw, where="rules.toml")
    assert message in str(info.value) and str(info.value).startswith("[E040] rules.toml: ")


def test_load_alerts_reads_toml_and_says_where_it_is_broken(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[[alert]]\nname = "x"\ncountry = "Mali"\n')
    assert load_alerts(path).rules[0].countries == ("Mali",)
    path.write_text('[[alert]\nname = "x"\n')
    with pytest.raises(WatchError, match=r"rules\.toml: not valid TOML"):
        load_alerts(path)


def test_what_an_alert_says() -> None:
    r = rule()
    alert = payload("abc", r, event(fatalities=7), kind="toll", previous=3, map_url="https://map.example.org")
    assert alert["url"] == "https://map.example.org/?event=e1"
    assert (alert["kind"], alert["previous_fatalities"], alert["fatalities"]) == ("toll", 3, 7)
    assert subject(alert) == "[marsad r] toll raised: Attack in Maiduguri, 7 killed"
    text = summary(alert)
    assert "Attack in Maiduguri, Borno, Nigeria on 2026-12-07: 7 killed (was 3)." in text
    assert '- Loopback Wire / police: "Gunmen killed three villagers."' in text


def test_the_file_sink_does_not_repeat_an_alert_already_at_its_end(tmp_path: Path) -> None:
    path = tmp_path / "alerts.jsonl"
    FileSink(str(path)).send({"alert_id": "a1"})
    again = FileSink(str(path))  # a restart, after a crash between writing and recording it
    again.send({"alert_id": "a1"})
    again.send({"alert_id": "a2"})
    assert [json.loads(line)["alert_id"] for line in path.read_text().splitlines()] == ["a1", "a2"]
