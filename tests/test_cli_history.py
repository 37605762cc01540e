"""marsad event ID --history, marsad events --as-of and marsad changes --since (CliRunner),
on the example articles read by the real extractor."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import marsad
from marsad.cli import main
from marsad.export import ACLED_COLUMNS
from marsad.export.history import CHANGE_COLUMNS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"
LATER = "02_reuters_kharkiv_toll_rises.txt"  # published after 01: 01 founds the event anew
EARLIER = "01_ap_kharkiv_missile.txt"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def ids(jsonl: str) -> list[str]:
    return [json.loads(line)["event_id"] for line in jsonl.splitlines() if line.strip()]


@pytest.fixture
def story(tmp_path: Path, cached_extractor: None) -> dict[str, Any]:
    """A database through three ingests: a later report, the earlier one (a merge), then a
    corrected version of the later report; with the time and the event ids after the first."""
    for name in (LATER, EARLIER):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    db = str(tmp_path / "m.db")
    assert run("ingest", str(tmp_path / LATER), "--db", db, "--no-progress").exit_code == 0
    first = ids(run("events", "--db", db).stdout)
    at = datetime.now(UTC).isoformat()
    assert run("ingest", str(tmp_path / EARLIER), "--db", db, "--no-progress").exit_code == 0
    text = (tmp_path / LATER).read_text(encoding="utf-8")
    (tmp_path / LATER).write_text(text.replace("rose to nine", "rose to 14"), encoding="utf-8")
    assert run("ingest", str(tmp_path / LATER), "--db", db, "--no-progress").exit_code == 0
    return {"db": db, "at": at, "first": first}


def test_changes_in_every_format_agree_with_the_api(story: dict[str, Any]) -> None:
    db, at = story["db"], story["at"]
    with marsad.open(db) as obs:
        expected = obs.changes(since=datetime.fromisoformat(at))
    assert {c["kind"] for c in expected} >= {"added", "deleted"}
    result = run("changes", "--since", at, "--db", db, "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == expected
    rows = list(
        csv.DictReader(io.StringIO(run("changes", "--since", at, "--db", db, "--format", "csv").stdout))
    )
    assert tuple(rows[0]) == CHANGE_COLUMNS
    assert [(r["event_id"], r["change"]) for r in rows] == [(c["event_id"], c["kind"]) for c in expected]
    [gone] = [r for r in rows if r["change"] == "deleted"]
    assert gone["event_id"] in story["first"] and gone["merged_into"]
    table = run("changes", "--since", at, "--db", db).stdout
    assert "merged" in table and all(c["event_id"] in table for c in expected)
    # since a date before everything: every event now, added; nothing deleted that anyone saw
    everything = json.loads(run("changes", "--since", "2000-01-01", "--db", db, "--format", "json").stdout)
    assert {c["kind"] for c in everything} == {"added"}
    assert sorted(c["event_id"] for c in everything) == sorted(ids(run("events", "--db", db).stdout))


def test_history_of_a_merged_event_and_of_the_one_it_went_into(story: dict[str, Any]) -> None:
    db = story["db"]
    [merged] = story["first"]
    found = json.loads(run("event", merged, "--history", "--db", db, "--format", "json").stdout)
    assert [h["kind"] for h in found] == ["added", "merged"]
    holder = found[-1]["new"]
    assert holder in ids(run("events", "--db", db).stdout)
    table = run("event", merged, "--history", "--db", db)
    assert table.exit_code == 0 and "merged" in table.stdout and "added" in table.stdout
    changes = json.loads(run("event", holder, "--history", "--db", db, "--format", "json").stdout)
    assert changes[0]["kind"] == "added"
    changed = [h for h in changes if h["kind"] == "changed"]
    assert changed, "the corrected toll changes the event"
    with marsad.open(db) as obs:
        now = obs.event(holder)
        assert now is not None and changes == obs.history(holder)
    for field in {h["field"] for h in changed}:
        assert [h for h in changed if h["field"] == field][-1]["new"] == now[field]


def test_as_of_gives_the_dataset_before_the_later_ingests(story: dict[str, Any]) -> None:
    db, at = story["db"], story["at"]
    result = run("events", "--db", db, "--as-of", at)
    assert result.exit_code == 0 and ids(result.stdout) == story["first"]
    assert ids(run("events", "--db", db).stdout) != story["first"]
    assert ids(run("events", "--db", db, "--as-of", at, "--country", "Ukraine").stdout) == story["first"]
    assert ids(run("events", "--db", db, "--as-of", at, "--country", "Somalia").stdout) == []
    rows = list(csv.reader(io.StringIO(run("events", "--db", db, "--as-of", at, "--format", "csv").stdout)))
    assert tuple(rows[0]) == ACLED_COLUMNS and len(rows) == 1 + len(story["first"])
    assert ids(run("events", "--db", db, "--as-of", "2000-01-01").stdout) == []


def test_history_usage_errors(story: dict[str, Any]) -> None:
    db = story["db"]
    result = CliRunner().invoke(main, ["events", "--db", db, "--as-of", "yesterday"])
    assert result.exit_code == 2 and "--as-of" in result.output and "YYYY-MM-DD" in result.output
    assert CliRunner().invoke(main, ["changes", "--db", db]).exit_code == 2  # --since is required
    result = CliRunner().invoke(main, ["event", "nope", "--history", "--db", db])
    assert result.exit_code == 1 and "no event 'nope'" in result.stderr
    result = CliRunner().invoke(main, ["event", story["first"][0], "--db", db, "--format", "table"])
    assert result.exit_code == 2 and "--history" in result.stderr
