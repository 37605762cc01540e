"""marsad verify / edit / reject / merge / split / review and --status, through the command line.

The example articles are ingested with the real extractor (cached per session); an analyst
works on them from the shell, and `marsad ingest` afterwards must keep what they did.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import marsad
from marsad.cli import main

EXAMPLES = Path(marsad.__file__).resolve().parent.parent / "examples" / "articles"
COMMANDS = ["verify", "edit", "reject", "merge", "split", "review"]

pytestmark = pytest.mark.usefixtures("cached_extractor")


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)


def events(db: str, *extra: str) -> list[dict[str, Any]]:
    result = run("events", "--db", db, *extra)
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def detail(db: str, event_id: str) -> dict[str, Any]:
    result = run("event", event_id, "--db", db)
    assert result.exit_code == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def by_article(db: str, article: str, *extra: str) -> dict[str, Any]:
    found = [e for e in events(db, *extra) if any(s["article_id"] == article for s in e["sources"])]
    assert found
    return detail(db, max(found, key=lambda e: (e["fatalities"], e["n_sources"]))["event_id"])


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "m.db")
    result = run("ingest", str(EXAMPLES), "--db", path, "--no-progress")
    assert result.exit_code == 0, result.stderr
    return path


@pytest.mark.parametrize("command", COMMANDS)
def test_every_review_command_has_help_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example: marsad " + command in result.stdout
    assert "--db" in result.stdout and "--user" in result.stdout


def test_edit_from_the_shell_survives_a_new_ingest(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    event = by_article(db, "07_afp_el_geneina_attack")
    toll = event["fatalities"] + 3
    result = run(
        "edit", event["event_id"], "--set", f"fatalities={toll}", "--set", "actor2=Civilians (Sudan)",
        "--reason", "the hospital's list", "--user", "amina", "--db", db,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{event['event_id']} [edited] ") and f"{toll} killed" in result.stdout
    monkeypatch.setattr("marsad.api.extractor_version", lambda: "999.0")  # re-extract everything
    assert run("ingest", str(EXAMPLES), "--db", db, "--no-progress").exit_code == 0
    after = by_article(db, "07_afp_el_geneina_attack")
    assert (after["fatalities"], after["actor2"], after["status"]) == (toll, "Civilians (Sudan)", "edited")


def test_the_user_defaults_to_the_login_name(db: str) -> None:
    from marsad.api import open as open_db

    event = by_article(db, "04_afp_mogadishu_tea_shop_bombing")
    result = run("verify", event["event_id"], "--db", db, env={"LOGNAME": "halima", "USER": "halima"})
    assert result.exit_code == 0, result.stderr
    with open_db(db) as obs:
        assert [e["user"] for e in obs.edits(event["event_id"])] == ["halima"]


def test_reject_hides_the_event_from_listings_and_exports(db: str) -> None:
    event = by_article(db, "03_tass_kharkov_strike")
    before = len(events(db))
    assert run("reject", event["event_id"], "--user", "amina", "--db", db).exit_code == 0
    assert event["event_id"] not in {e["event_id"] for e in events(db)} and len(events(db)) == before - 1
    assert [e["event_id"] for e in events(db, "--status", "rejected")] == [event["event_id"]]
    assert len(events(db, "--status", "all")) == before
    csv_out = run("events", "--db", db, "--format", "csv").stdout
    assert event["event_id"] not in csv_out
    bad = run("events", "--db", db, "--status", "hidden")
    assert bad.exit_code == 2 and bad.stderr.startswith("marsad: --status: 'hidden' is not a status")


def test_merge_and_split_from_the_shell(db: str) -> None:
    bombing = by_article(db, "04_afp_mogadishu_tea_shop_bombing")
    garowe = [r["report_id"] for r in bombing["reports"] if r["article_id"] == "06_garowe_mogadisho_toll"]
    result = run("split", bombing["event_id"], "--reports", ",".join(garowe), "--user", "amina",
                 "--format", "json", "--db", db)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rest, off = (json.loads(line) for line in result.stdout.splitlines())
    assert {r["article_id"] for r in off["reports"]} == {"06_garowe_mogadisho_toll"}
    assert "06_garowe_mogadisho_toll" not in {r["article_id"] for r in rest["reports"]}
    result = run("merge", rest["event_id"], off["event_id"], "--user", "amina", "--db", db)
    assert result.exit_code == 0, result.stderr
    merged = by_article(db, "06_garowe_mogadisho_toll")
    assert {r["article_id"] for r in merged["reports"]} == {r["article_id"] for r in bombing["reports"]}


def test_errors_are_one_line_with_their_code(db: str) -> None:
    event = by_article(db, "01_ap_kharkiv_missile")
    for args, start in [
        (("verify", "no-such-id"), "marsad: [E060] no event 'no-such-id'"),
        (("edit", event["event_id"], "--set", "fatalities=lots"), "marsad: [E061] fatalities: 'lots'"),
        (("edit", event["event_id"], "--set", "colour=red"), "marsad: [E061] 'colour' cannot be edited"),
        (
            ("split", event["event_id"], "--reports", "x1"),
            "marsad: [E061] split: report 'x1' is not in event",
        ),
    ]:
        result = run(*args, "--user", "amina", "--db", db)
        assert result.exit_code == 1 and result.stderr.startswith(start), result.stderr
        assert result.stderr.count("\n") == 1
    result = run("edit", event["event_id"], "--set", "fatalities", "--user", "amina", "--db", db)
    assert result.exit_code == 2 and "is not FIELD=VALUE" in result.stderr


def test_review_goes_through_the_queue_from_stdin(db: str) -> None:
    from marsad.api import open as open_db

    with open_db(db) as obs:
        queue = obs.review_queue(limit=3)
    assert len(queue) == 3
    first, second, third = (e["event_id"] for e in queue)
    # edit the first (a bad value first: asked again), skip the second, reject the third
    answers = "e\nfatalities=many\n\nz\ne\nwounded=4\n\nchecked\ns\nr\nduplicate\n"
    result = run("review", "--limit", "3", "--user", "amina", "--db", db, input=answers)
    assert result.exit_code == 0, result.stderr
    assert "fatalities: 'many' is not a whole number" in result.stderr
    out = result.stdout
    assert out.index(first) < out.index(second) < out.index(third)
    assert "evidence:" in out and '"' in out  # the quotes are shown
    assert out.rstrip().endswith("verified 0, edited 1, rejected 1, skipped 1")
    edited = detail(db, first)
    assert (edited["status"], edited["wounded"]) == ("edited", 4)
    assert detail(db, second)["status"] == "provisional"
    assert detail(db, third)["status"] == "rejected"
    # q stops at once
    result = run("review", "--user", "amina", "--db", db, input="q\n")
    assert result.exit_code == 0 and result.stdout.rstrip().endswith(
        "verified 0, edited 0, rejected 0, skipped 0"
    )
