"""Analysts' edits that last (marsad.store.review), on SQLite and PostgreSQL, on real text.

The bundled example articles tell three events from several sources each (a missile strike on
Kharkiv by AP, Reuters and TASS; a bombing in Mogadishu by AFP, Hiiraan and Garowe Online; an
attack on El Geneina by AFP and Radio Dabanga), with tolls that differ between sources. They
are ingested a few at a time, edited in between, ingested again, re-extracted by a "newer"
extractor, and the analysts' values must hold.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

import marsad
from marsad.api import Observatory
from marsad.errors import EditError, EventNotFound

EXAMPLES = Path(marsad.__file__).resolve().parent.parent / "examples" / "articles"
KHARKIV = ("01_ap_kharkiv_missile", "02_reuters_kharkiv_toll_rises", "03_tass_kharkov_strike")
MOGADISHU = ("04_afp_mogadishu_tea_shop_bombing", "05_hiiraan_muqdisho_blast", "06_garowe_mogadisho_toll")
GENEINA = ("07_afp_el_geneina_attack", "08_dabanga_geneina_toll")

pytestmark = pytest.mark.usefixtures("cached_extractor")


def files(*names: str) -> list[str]:
    return [str(EXAMPLES / f"{name}.txt") for name in names]


def holding(obs: Observatory, article_id: str, *, status: str = "all") -> dict[str, Any]:
    """The event (full detail) a report of this article is in, where the article's toll was told."""
    found = [e for e in obs.events(status=status) if any(s["article_id"] == article_id for s in e["sources"])]
    assert found, f"no event from {article_id}"
    best = max(found, key=lambda e: (e["fatalities"], e["n_sources"]))
    detail = obs.event(best["event_id"])
    assert detail is not None
    return detail


def articles_of(event: dict[str, Any]) -> set[str]:
    return {r["article_id"] for r in event["reports"]}


@pytest.fixture
def obs(db_url: str) -> Any:
    with marsad.open(db_url) as o:
        yield o


def newer_extractor(monkeypatch: pytest.MonkeyPatch, version: str) -> None:
    """Make the next ingest re-extract every stored text (as an upgraded marsad would)."""
    monkeypatch.setattr("marsad.api.extractor_version", lambda: version)


def test_an_edit_survives_ingest_of_the_same_and_of_new_articles(
    obs: Observatory, monkeypatch: pytest.MonkeyPatch
) -> None:
    obs.ingest(files(KHARKIV[1]))
    before = holding(obs, KHARKIV[1])
    assert before["status"] == "provisional" and not before["flagged"]
    toll = before["fatalities"] + 6  # the analyst's own count, not any source's
    edited = obs.edit(before["event_id"], {"fatalities": str(toll)}, user="amina", reason="hospital list")
    assert (edited["fatalities"], edited["status"], edited["flagged"]) == (toll, "edited", False)

    summary = obs.ingest(files(KHARKIV[1]))  # the same article: nothing to do
    assert summary.duplicates == 1 and holding(obs, KHARKIV[1])["fatalities"] == toll
    newer_extractor(monkeypatch, "999.0")  # the same article re-extracted and re-linked
    summary = obs.ingest(files(KHARKIV[1]))
    assert summary.reextracted == 1
    again = holding(obs, KHARKIV[1])
    assert (again["event_id"], again["fatalities"], again["status"]) == (before["event_id"], toll, "edited")

    obs.ingest([str(EXAMPLES)])  # new articles: two more sources of the same strike join it
    after = holding(obs, KHARKIV[1])
    assert articles_of(after) == set(KHARKIV)
    assert after["fatalities"] == toll and after["status"] == "edited"
    # the machine alone gives the most conservative figure: never the analyst's here
    machine = min(r["fatalities"] for r in after["reports"] if r["fatalities"])
    assert machine != toll
    # the new reports give other tolls: the event is flagged, the reason names field and value
    assert after["flagged"]
    reason = after["flag_reason"]
    assert "\n" not in reason and "fatalities: " in reason
    newcomers = [r for r in after["reports"] if r["article_id"] != KHARKIV[1] and r["fatalities"]]
    assert newcomers and all(
        f"{r['fatalities']} (" in reason and r["article_id"] in reason for r in newcomers
    )
    assert obs.edits(after["event_id"])[0]["user"] == "amina"


def test_an_earlier_report_founding_the_event_anew_keeps_the_edit(obs: Observatory) -> None:
    obs.ingest(files(KHARKIV[1]))
    first = holding(obs, KHARKIV[1])
    obs.edit(first["event_id"], {"actor2": "Civilians (Ukraine)", "wounded": 30}, user="amina")
    obs.ingest(files(KHARKIV[0]))  # AP published first: its report founds the event, a new id
    after = holding(obs, KHARKIV[1])
    assert after["event_id"] != first["event_id"] and obs.event(first["event_id"]) is None
    assert (after["actor2"], after["wounded"], after["status"]) == ("Civilians (Ukraine)", 30, "edited")


def test_a_report_that_agrees_does_not_flag(obs: Observatory) -> None:
    with marsad.open(":memory:") as scratch:  # what Radio Dabanga's article says, read aside
        scratch.ingest(files(GENEINA[1]))
        told = holding(scratch, GENEINA[1])
    obs.ingest(files(GENEINA[0]))
    event = holding(obs, GENEINA[0])
    assert told["fatalities"] != event["fatalities"]  # the two sources differ on the toll
    obs.edit(event["event_id"], {"fatalities": told["fatalities"]}, user="amina", reason="Dabanga's count")
    obs.ingest(files(GENEINA[1]))  # Dabanga arrives and agrees with the analyst
    after = holding(obs, GENEINA[0])
    assert articles_of(after) == set(GENEINA) and after["fatalities"] == told["fatalities"]
    assert "fatalities" not in (after["flag_reason"] or "")


def test_a_verified_event_is_flagged_by_a_contradicting_report(obs: Observatory) -> None:
    obs.ingest(files(MOGADISHU[0]))
    event = holding(obs, MOGADISHU[0])
    verified = obs.verify(event["event_id"], user="amina", reason="checked with the hospital")
    assert (verified["status"], verified["flagged"]) == ("verified", False)
    obs.ingest(files(*MOGADISHU[1:]))
    after = holding(obs, MOGADISHU[0])
    assert articles_of(after) == set(MOGADISHU)
    assert after["fatalities"] == event["fatalities"] and after["status"] == "verified"
    higher = {r["fatalities"] for r in after["reports"] if r["fatalities"] != event["fatalities"]}
    assert higher and after["flagged"] and "fatalities" in after["flag_reason"]
    # verifying again (the analyst has seen the new reports) clears the flag
    again = obs.verify(after["event_id"], user="amina")
    assert (again["status"], again["flagged"], again["flag_reason"]) == ("verified", False, None)


def test_merge_and_split_survive_reingest_and_new_reports(
    obs: Observatory, monkeypatch: pytest.MonkeyPatch
) -> None:
    obs.ingest(files(*KHARKIV[:2], *MOGADISHU))
    kharkiv = holding(obs, KHARKIV[0])
    mogadishu = holding(obs, MOGADISHU[0])
    assert articles_of(kharkiv) == set(KHARKIV[:2]) and articles_of(mogadishu) == set(MOGADISHU)
    # split Garowe Online's report off the bombing; merge the bombing's rest into the strike
    garowe = [r["report_id"] for r in mogadishu["reports"] if r["article_id"] == MOGADISHU[2]]
    rest, off = obs.split(mogadishu["event_id"], garowe, user="amina", reason="another blast")
    assert articles_of(obs.event(rest["event_id"]) or {}) == set(MOGADISHU[:2])
    assert articles_of(obs.event(off["event_id"]) or {}) == {MOGADISHU[2]}
    assert rest["status"] == off["status"] == "edited"
    merged = obs.merge(kharkiv["event_id"], rest["event_id"], user="amina", reason="test of a merge")
    merged_detail = obs.event(merged["event_id"]) or {}
    assert articles_of(merged_detail) == {*KHARKIV[:2], *MOGADISHU[:2]}
    assert any("analyst's merge" in link["explanation"] for link in merged_detail["links"])

    def state() -> list[tuple[frozenset[str], str]]:
        found = []
        for e in obs.events(status="all"):
            detail = obs.event(e["event_id"]) or {}
            found.append((frozenset(articles_of(detail)), detail["status"]))
        return sorted(found, key=lambda s: sorted(s[0]))

    held = state()
    newer_extractor(monkeypatch, "999.1")
    obs.ingest(files(*KHARKIV[:2], *MOGADISHU))  # re-extracted, re-linked: the same events
    assert state() == held
    obs.ingest(files(KHARKIV[2]))  # a new report of the strike joins the merged event
    grown = holding(obs, KHARKIV[2])
    assert articles_of(grown) == {*KHARKIV, *MOGADISHU[:2]}
    assert articles_of(holding(obs, MOGADISHU[2])) == {MOGADISHU[2]}


def test_rejected_events_are_left_out_unless_asked_for(
    obs: Observatory, monkeypatch: pytest.MonkeyPatch
) -> None:
    obs.ingest([str(EXAMPLES)])
    total = obs.count_events()
    target = holding(obs, GENEINA[0])
    rejected = obs.reject(target["event_id"], user="amina", reason="not in our scope")
    assert rejected["status"] == "rejected"
    ids = {e["event_id"] for e in obs.events()}
    assert target["event_id"] not in ids and obs.count_events() == total - 1
    assert [e["event_id"] for e in obs.events(status="rejected")] == [target["event_id"]]
    assert len(obs.events(status="all")) == total
    assert obs.count_events(status="provisional,rejected") == total
    out = io.StringIO()
    obs.export(out, format="jsonl")
    assert target["event_id"] not in out.getvalue()
    out = io.StringIO()
    obs.export(out, format="csv", status="rejected")
    assert target["event_id"] in out.getvalue()
    by_type = {row["key"]: row["events"] for row in obs.stats()["by_type"]}
    assert sum(by_type.values()) == total - 1
    newer_extractor(monkeypatch, "999.2")
    obs.ingest([str(EXAMPLES)])  # re-extraction does not bring it back
    assert holding(obs, GENEINA[0])["status"] == "rejected"
    assert target["event_id"] not in {e["event_id"] for e in obs.events()}
    with pytest.raises(ValueError, match=r"^status: 'published' is not a status; use one of: provisional"):
        obs.events(status="published")


def test_the_review_queue_puts_flagged_then_large_tolls_first(obs: Observatory) -> None:
    obs.ingest(files(KHARKIV[1], *MOGADISHU, *GENEINA))
    small = min((e for e in obs.events() if e["fatalities"]), key=lambda e: e["fatalities"])
    obs.verify(small["event_id"], user="amina")
    queue = obs.review_queue(limit=50)
    assert small["event_id"] not in [e["event_id"] for e in queue]  # verified: done
    tolls = [e["fatalities"] for e in queue]
    assert tolls == sorted(tolls, reverse=True)
    assert all(e["review_reasons"] and e["claims"] for e in queue)  # with its evidence
    disagree = [e for e in queue if any(r.startswith("sources disagree on") for r in e["review_reasons"])]
    assert disagree and all("Sources disagree on" in e["notes"] for e in disagree)
    # a contradicting report puts the verified event back in the queue, first
    kharkiv = holding(obs, KHARKIV[1])
    obs.verify(kharkiv["event_id"], user="amina")
    obs.ingest(files(KHARKIV[0]))
    first = obs.review_queue(limit=1)[0]
    assert articles_of(first) >= {KHARKIV[0], KHARKIV[1]} and first["flagged"]
    assert first["review_reasons"][0].startswith("flagged: ")


def test_edits_set_who_and_why_on_the_connection_while_stamping(
    obs: Observatory, monkeypatch: pytest.MonkeyPatch
) -> None:
    import marsad.store.changes as changes

    obs.ingest(files(GENEINA[0]))
    seen: list[tuple[Any, Any]] = []
    real = changes.stamp

    def stamp(conn: Any, event_ids: Any) -> None:
        event_ids = list(event_ids)
        if event_ids:
            seen.append((conn.info.get("marsad_user"), conn.info.get("marsad_reason")))
        real(conn, event_ids)

    monkeypatch.setattr(changes, "stamp", stamp)
    event = holding(obs, GENEINA[0])
    obs.edit(event["event_id"], {"fatalities": 40}, user="amina", reason="Dabanga's count")
    assert ("amina", "Dabanga's count") in seen
    seen.clear()
    obs.verify(event["event_id"], user="omar", reason="seen")
    obs.verify(event["event_id"], user="omar", reason="seen twice")  # no value changes: still recorded
    assert seen == [("omar", "seen"), ("omar", "seen twice")]
    seen.clear()
    obs.ingest(files(GENEINA[1]))  # the machine's own write after it: nobody's name
    assert seen and all(s == (None, None) for s in seen)


def test_errors_are_one_line_and_change_nothing(obs: Observatory) -> None:
    obs.ingest(files(*MOGADISHU))
    event = holding(obs, MOGADISHU[0])
    cases: list[tuple[type[Exception], str, Any]] = [
        (EventNotFound, r"^\[E060\] no event 'nope'", lambda: obs.verify("nope", user="amina")),
        (EditError, r"^\[E061\] 'colour' cannot be edited; editable: event_date",
         lambda: obs.edit(event["event_id"], {"colour": "red"}, user="amina")),
        (EditError, r"^\[E061\] fatalities: 'many' is not a whole number",
         lambda: obs.edit(event["event_id"], {"fatalities": "many"}, user="amina")),
        (EditError, r"^\[E061\] event_type: 'Bombing' is not an ACLED event type",
         lambda: obs.edit(event["event_id"], {"event_type": "Bombing"}, user="amina")),
        (EditError, r"^\[E061\] sub_event_type: 'Armed clash' is not a kind of 'Protests'",
         lambda: obs.edit(event["event_id"], {"event_type": "Protests", "sub_event_type": "Armed clash"},
                          user="amina")),
        (EditError, r"^\[E061\] event_date: '2024-13-01' is not a date",
         lambda: obs.edit(event["event_id"], {"event_date": "2024-13-01"}, user="amina")),
        (EditError, r"^\[E061\] merge: give another event",
         lambda: obs.merge(event["event_id"], event["event_id"], user="amina")),
        (EventNotFound, r"^\[E060\] no event 'gone'",
         lambda: obs.merge(event["event_id"], "gone", user="amina")),
        (EditError, r"^\[E061\] split: name some but not all",
         lambda: obs.split(event["event_id"], [r["report_id"] for r in event["reports"]], user="amina")),
        (EditError, r"^\[E061\] split: report 'r-x' is not in event",
         lambda: obs.split(event["event_id"], ["r-x"], user="amina")),
        (EditError, r"^\[E061\] user: say who", lambda: obs.reject(event["event_id"], user=" ")),
        (EditError, r"^\[E061\] reason: control characters",
         lambda: obs.reject(event["event_id"], user="amina", reason="a\nb")),
    ]  # fmt: skip
    for kind, pattern, call in cases:
        with pytest.raises(kind, match=pattern) as info:
            call()
        assert "\n" not in str(info.value)
    assert obs.event(event["event_id"]) == event  # nothing was recorded or changed
    assert obs.edits(event["event_id"]) == []


def test_a_rejected_event_reaches_the_live_stream_as_removed(obs: Observatory) -> None:
    obs.ingest(files(*GENEINA))
    event = holding(obs, GENEINA[0])
    _, cursor = obs.store.changes()
    obs.reject(event["event_id"], user="amina")
    found, after = obs.store.changes(cursor)
    assert [(c["kind"], c["event"]["event_id"]) for c in found] == [("removed", event["event_id"])]
    assert after.seq > cursor.seq
    shown, _ = obs.store.changes(cursor, status="rejected")  # a reader of rejected events gets it
    assert [(c["kind"], c["event"]["status"]) for c in shown] == [("updated", "rejected")]


def test_migration_0006_goes_down_and_up_keeping_the_events(db_url: str) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    from marsad.store.engine import MIGRATIONS

    with marsad.open(db_url) as obs:
        obs.ingest([str(EXAMPLES)])
        before = sorted((e["event_id"], e["fatalities"]) for e in obs.events())
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with obs.store.engine.connect().execution_options(marsad_write=True) as conn, conn.begin():
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0005")
        with obs.store.engine.connect() as conn:
            assert "status" not in {c["name"] for c in inspect(conn).get_columns("events")}
            assert not inspect(conn).has_table("event_edits")
    with marsad.open(db_url) as obs:  # opening migrates up again: every event provisional
        assert sorted((e["event_id"], e["fatalities"]) for e in obs.events()) == before
        assert {e["status"] for e in obs.events(status="all")} == {"provisional"}
        event = obs.events()[0]
        assert obs.reject(event["event_id"], user="amina")["status"] == "rejected"


def test_an_edit_stays_with_the_rest_when_its_founding_report_is_split_off(obs: Observatory) -> None:
    obs.ingest(files(*MOGADISHU))
    bombing = holding(obs, MOGADISHU[0])
    founder = bombing["reports"][0]  # the first published: the event's id is its
    assert founder["article_id"] == MOGADISHU[0]
    obs.edit(bombing["event_id"], {"wounded": 33}, user="amina")
    rest, off = obs.split(
        bombing["event_id"], [founder["report_id"]], user="amina", reason="AFP told another"
    )
    assert off["event_id"] == bombing["event_id"] and rest["event_id"] != bombing["event_id"]
    assert rest["wounded"] == 33 and off["wounded"] != 33  # the edited event is the rest
    assert rest["status"] == off["status"] == "edited"
    assert [e["kind"] for e in obs.edits(rest["event_id"])] == ["edit", "split"]
    assert [e["kind"] for e in obs.edits(off["event_id"])] == ["split"]


def test_a_verified_events_unknowns_are_filled_by_new_reports_and_flagged(obs: Observatory) -> None:
    obs.ingest(files(GENEINA[0]))
    event = holding(obs, GENEINA[0])
    assert event["wounded"] is None  # AFP gives no wounded
    obs.verify(event["event_id"], user="amina")
    obs.ingest(files(GENEINA[1]))
    after = holding(obs, GENEINA[0])
    [dabanga] = [r for r in after["reports"] if r["article_id"] == GENEINA[1]]
    assert dabanga["wounded"] and after["wounded"] == dabanga["wounded"]  # the new figure is taken
    assert f"wounded: unknown when verified; new report says {dabanga['wounded']} (" in after["flag_reason"]
    assert after["fatalities"] == event["fatalities"] and after["status"] == "verified"


def test_the_notes_say_what_an_analyst_corrected(obs: Observatory) -> None:
    obs.ingest(files(*GENEINA))
    event = holding(obs, GENEINA[0])
    toll = event["fatalities"] + 1
    edited = obs.edit(event["event_id"], {"fatalities": toll}, user="amina")
    assert edited["notes"].startswith(event["notes"])
    assert edited["notes"].endswith(f"Corrected by an analyst: fatalities {event['fatalities']} to {toll}.")
    mine = obs.edit(event["event_id"], {"notes": "RSF fighters attacked the town."}, user="amina")
    assert mine["notes"] == "RSF fighters attacked the town."  # the analyst's own notes, as written
