"""Event history (marsad.store.versions) on both backends, with the real extractor on real text.

Every transaction that adds, changes or deletes an event leaves a version: the dataset
rebuilt from the versions is the dataset, at every step; re-ingesting adds none; a new
version of an article gives versions whose field diffs are what changed; ``as_of`` a time
before an ingest is the dataset as it was then; and a merged event says where it went.
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

import marsad.api
from marsad.api import Observatory
from marsad.store import Store, changes
from marsad.store.engine import MIGRATIONS, lock
from marsad.store.schema import event_versions, events
from marsad.store.versions import DIFF_FIELDS

pytestmark = pytest.mark.usefixtures("cached_extractor")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"
WIRE = Path(__file__).resolve().parents[1] / "data" / "wire"
# what a version keeps of an EVENT dict: everything but the quotes (and the store's extras)
KEPT = ("event_id", *DIFF_FIELDS[:-1], "time_precision", "n_sources")


def kept(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["event_id"]: {k: e[k] for k in KEPT} for e in rows}


def version_count(obs: Observatory) -> int:
    with obs.store.engine.connect() as conn:
        return int(conn.scalar(sa.select(sa.func.count()).select_from(event_versions)) or 0)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The example articles in a folder of the test's own (their texts are edited below)."""
    folder = tmp_path / "articles"
    shutil.copytree(EXAMPLES, folder)
    return folder


@pytest.fixture
def obs(db_url: str) -> Any:
    o = Observatory(Store(db_url))
    yield o
    o.close()


def test_the_versions_rebuild_the_dataset_after_every_ingest(obs: Observatory, corpus: Path) -> None:
    # later reports first, so that earlier ones found the events anew (merges) and tolls change
    files = sorted(corpus.iterdir(), reverse=True)
    seen: set[str] = set()
    for path in files:
        obs.ingest([str(path)])
        now = obs.events()
        assert kept(obs.events(as_of=datetime.now(UTC))) == kept(now), path.name
        seen.update(e["event_id"] for e in now)
    gone = seen - {e["event_id"] for e in obs.events()}
    assert gone, "some events should have been merged into earlier-founded ones"
    for event_id in gone:
        last = obs.history(event_id)[-1]
        assert last["kind"] in ("merged", "deleted")
        hops = 0
        while last["kind"] == "merged" and obs.event(last["new"]) is None:  # merged again later
            last, hops = obs.history(last["new"])[-1], hops + 1
            assert hops < len(seen)
        assert last["kind"] == "deleted" or obs.event(last["new"]) is not None


def test_reingesting_the_same_articles_adds_no_version(
    obs: Observatory, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    obs.ingest([str(corpus)])
    count, before = version_count(obs), datetime.now(UTC)
    assert count >= len(obs.events())
    obs.ingest([str(corpus)])  # the same texts: duplicates
    monkeypatch.setattr(marsad.api, "extractor_version", lambda: "999.0")
    summary = obs.ingest([str(corpus)])  # a newer extractor re-extracts them, finding the same
    assert summary.reextracted == len(list(corpus.iterdir()))
    assert version_count(obs) == count
    assert obs.changes(since=before) == []


def test_a_new_version_of_an_article_gives_the_field_diffs(obs: Observatory, corpus: Path) -> None:
    obs.ingest([str(corpus / "01_ap_kharkiv_missile.txt"), str(corpus / "02_reuters_kharkiv_toll_rises.txt")])
    before = kept(obs.events())
    edited = corpus / "02_reuters_kharkiv_toll_rises.txt"
    text = edited.read_text(encoding="utf-8")
    assert "rose to nine" in text and "wounding 24" in text
    edited.write_text(text.replace("rose to nine", "rose to 14").replace("wounding 24", "wounding 40"))
    since = datetime.now(UTC)
    assert obs.ingest([str(edited)]).new_versions == 1
    after = kept(obs.events())
    differ = {
        e: sorted(k for k in KEPT if before[e][k] != after[e][k] and k in DIFF_FIELDS)
        for e in before.keys() & after.keys()
    }
    differ = {e: fields for e, fields in differ.items() if fields}
    assert differ, "the corrected toll should change the event"
    listed = {c["event_id"]: c for c in obs.changes(since=since)}
    for event_id, fields in differ.items():
        assert listed[event_id]["kind"] == "changed"
        assert sorted(listed[event_id]["fields"]) == fields
        newest = [h for h in obs.history(event_id) if datetime.fromisoformat(h["at"]) >= since]
        assert sorted(h["field"] for h in newest) == fields
        for h in newest:
            assert h["kind"] == "changed" and h["by"].startswith("marsad ") and h["why"] is None
            assert (h["old"], h["new"]) == (before[event_id][h["field"]], after[event_id][h["field"]])


def test_as_of_gives_the_dataset_before_later_ingests(obs: Observatory, corpus: Path) -> None:
    assert obs.events(as_of=datetime.now(UTC)) == []
    obs.ingest(
        [str(corpus / "02_reuters_kharkiv_toll_rises.txt"), str(corpus / "05_hiiraan_muqdisho_blast.txt")]
    )
    first, at_first = kept(obs.events()), datetime.now(UTC)
    obs.ingest([str(corpus)])  # the rest: new events, merges, changed tolls
    assert kept(obs.events()) != first
    assert kept(obs.events(as_of=at_first)) == first
    # a date is the end of that day; the day before holds nothing yet
    assert kept(obs.events(as_of=date.today() + timedelta(days=1))) == kept(obs.events())
    assert obs.events(as_of=date.today() - timedelta(days=1)) == []
    # the filters apply to the fields as they were
    [one] = [e for e in first.values() if e["country"]][:1]
    country = one["country"]
    assert set(kept(obs.events(as_of=at_first, country=country))) == {
        e for e, v in first.items() if v["country"] == country
    }
    assert obs.events(as_of=at_first, country=country, limit=0) == []


def test_an_analysts_change_is_theirs_with_the_reason(obs: Observatory, corpus: Path) -> None:
    obs.ingest([str(corpus / "04_afp_mogadishu_tea_shop_bombing.txt")])
    [event] = obs.events()
    since = datetime.now(UTC)
    with obs.store.engine.connect().execution_options(marsad_write=True) as conn:
        conn.info["marsad_user"], conn.info["marsad_reason"] = "amina", "hospital list"
        try:
            with conn.begin():
                lock(conn)
                where = events.c.event_id == event["event_id"]
                conn.execute(sa.update(events).where(where).values(fatalities=event["fatalities"] + 3))
                changes.stamp(conn, [event["event_id"]])
        finally:
            conn.info.pop("marsad_user"), conn.info.pop("marsad_reason")
    last = obs.history(event["event_id"])[-1]
    assert {k: last[k] for k in ("by", "why", "kind", "field", "old", "new")} == {
        "by": "amina",
        "why": "hospital list",
        "kind": "changed",
        "field": "fatalities",
        "old": event["fatalities"],
        "new": event["fatalities"] + 3,
    }
    [listed] = obs.changes(since=since)
    assert (listed["by"], listed["fields"]) == ("amina", ["fatalities"])


def test_a_merged_event_says_where_it_went(obs: Observatory, corpus: Path) -> None:
    obs.ingest([str(corpus / "02_reuters_kharkiv_toll_rises.txt")])
    [later] = obs.events()
    since = datetime.now(UTC)
    obs.ingest([str(corpus / "01_ap_kharkiv_missile.txt")])  # published first: founds the event anew
    assert obs.event(later["event_id"]) is None
    holder = next(e for e in obs.events() if e["n_sources"] == 2)
    kinds = [h["kind"] for h in obs.history(later["event_id"])]
    assert kinds == ["added", "merged"]
    assert obs.history(later["event_id"])[-1]["new"] == holder["event_id"]
    listed = {c["event_id"]: c for c in obs.changes(since=since)}
    assert listed[later["event_id"]]["kind"] == "deleted"
    assert listed[later["event_id"]]["merged_into"] == holder["event_id"]
    assert listed[holder["event_id"]]["kind"] == "added"
    # as of before the merge, the dataset had the later report's event
    assert set(kept(obs.events(as_of=since))) == {later["event_id"]}


def test_the_wire_reextracted_and_rebuilt_by_the_migration(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    obs = Observatory(Store(db_url))
    start = datetime.now(UTC)
    obs.ingest([str(WIRE)])
    count = version_count(obs)
    assert count == len(obs.events()) > 40  # one article, one event each: one version each
    monkeypatch.setattr(marsad.api, "extractor_version", lambda: "999.0")
    obs.ingest([str(WIRE)])
    assert version_count(obs) == count
    # a database from before change numbers and history (0004): 0005 numbers every event 0,
    # 0007 gives each one version, as it is, at the time its last article was read
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with obs.store.engine.connect().execution_options(marsad_write=True) as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
    obs.close()
    obs = Observatory(Store(db_url))
    assert version_count(obs) == count
    with obs.store.engine.connect() as conn:
        assert set(conn.scalars(sa.select(event_versions.c.change_seq))) == {0}
    assert kept(obs.events(as_of=datetime.now(UTC))) == kept(obs.events())
    assert obs.events(as_of=start) == []
    some = obs.events()[0]["event_id"]
    [added] = obs.history(some)
    assert added["kind"] == "added" and added["why"] == "recorded when marsad began keeping history"
    obs.close()


def test_a_later_machine_write_on_the_same_connection_is_the_machines(obs: Observatory, corpus: Path) -> None:
    obs.ingest([str(corpus / "04_afp_mogadishu_tea_shop_bombing.txt")])
    with obs.store.engine.connect() as conn:  # an analyst's write that leaves its name behind
        conn.info["marsad_user"], conn.info["marsad_reason"] = "amina", "checked"
    obs.ingest([str(corpus / "05_hiiraan_muqdisho_blast.txt")])
    for event in obs.events():
        assert {h["by"] for h in obs.history(event["event_id"])} == {
            f"marsad {marsad.api.extractor_version()}"
        }


def test_as_of_keeps_the_status_each_event_had_then(obs: Observatory, corpus: Path) -> None:
    obs.ingest([str(corpus)])
    before = datetime.now(UTC)
    rejected, kept_one = obs.events()[:2]
    obs.reject(rejected["event_id"], user="amina", reason="a duplicate of another report")
    obs.verify(kept_one["event_id"], user="amina")
    now = {e["event_id"]: e["status"] for e in obs.events(as_of=datetime.now(UTC), status="all")}
    assert (now[rejected["event_id"]], now[kept_one["event_id"]]) == ("rejected", "verified")
    # by default, as in a listing, the rejected are left out; before the rejection it was there
    assert rejected["event_id"] not in {e["event_id"] for e in obs.events(as_of=datetime.now(UTC))}
    then = {e["event_id"]: e["status"] for e in obs.events(as_of=before)}
    assert then[rejected["event_id"]] == then[kept_one["event_id"]] == "provisional"
    assert {e["event_id"] for e in obs.events(as_of=before, status="verified")} == set()
