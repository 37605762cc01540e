"""marsad eval-linking, marsad event --format text, and sources in marsad events exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from link.linkdata import as_results

from marsad.cli import main
from marsad.link.evaluate import load_gold
from marsad.store import Store

GOLD = Path(__file__).parent / "data" / "linking_gold.jsonl"


def test_eval_linking_prints_pairwise_and_bcubed() -> None:
    result = CliRunner().invoke(main, ["eval-linking", str(GOLD)])
    assert result.exit_code == 0, result.output
    assert "pairwise  P" in result.output and "B-cubed   P" in result.output
    assert "hard negatives kept apart 25/25" in result.output
    as_json = json.loads(CliRunner().invoke(main, ["eval-linking", str(GOLD), "--json"]).output)
    assert as_json["bcubed"]["f1"] >= 0.9


def test_eval_linking_fails_when_a_hard_negative_is_merged(tmp_path: Path) -> None:
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    recs = [json.loads(line) for line in lines]
    for rec in recs:  # relabel the Saraqib shelling two days later as the first day's
        if rec["cluster"] == "n02b":
            rec["event_date"] = "2020-02-03"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval-linking", str(bad)])
    assert result.exit_code == 1 and "merged: n02" in result.output


def test_eval_linking_names_a_bad_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["eval-linking", str(bad)])
    assert result.exit_code == 1 and "bad.jsonl:1" in result.output


@pytest.fixture(scope="module")
def linked_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("cli") / "m.db")
    gold = [g for g in load_gold(GOLD) if g.cluster in ("c12", "c22", "n19b")]
    with Store(db) as store:
        store.add(as_results(gold))
    return db


def test_event_text_shows_reports_claims_and_why(linked_db: str) -> None:
    with Store(linked_db) as store:
        c12 = next(e for e in store.events() if e["n_sources"] == 5)
    result = CliRunner().invoke(main, ["event", c12["event_id"], "--db", linked_db, "--format", "text"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "(5 sources)" in out and out.count("  report ") == 5
    assert "why: founding report" in out and out.count("why: linked to") == 4
    assert "Shahada News Agency" in out and "Sources disagree on the death toll" in out
    as_json = json.loads(CliRunner().invoke(main, ["event", c12["event_id"], "--db", linked_db]).output)
    assert len(as_json["links"]) == 5 and all(link["explanation"] for link in as_json["links"])


def test_exports_carry_the_source_count_and_list(linked_db: str) -> None:
    lines = CliRunner().invoke(main, ["events", "--db", linked_db]).output.splitlines()
    counts = sorted(json.loads(line)["n_sources"] for line in lines)
    assert counts == [1, 4, 5]  # the mortar on the airport base stays its own event
    rows = list(
        csv.DictReader(
            io.StringIO(CliRunner().invoke(main, ["events", "--db", linked_db, "--format", "csv"]).output)
        )
    )
    sources = sorted(row["source"] for row in rows)
    assert "AFP; Hiiraan Online; Reuters; Shahada News Agency; Garowe Online" in sources or any(
        set(s.split("; ")) == {"AFP", "Hiiraan Online", "Reuters", "Shahada News Agency", "Garowe Online"}
        for s in sources
    )
