"""The extraction commands as a user runs them: output shape, exit codes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from marsad.cli import main

ARTICLE = (
    "date 2019-06-11 Beirut\n\nIslamic State fighters attacked an army post near Palmyra on Monday, killing "
    "four soldiers, the Syrian Observatory for Human Rights said.\n"
)


def _write(tmp_path: Path) -> Path:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    return good


def test_extract_prints_one_object_per_article(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", str(_write(tmp_path)), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.output.splitlines()]
    assert set(row) == {"article_id", "source_path", "publish_date", "title", "publisher", "events"}
    assert row["article_id"] == "good" and row["publish_date"] == "2019-06-11"
    (event,) = row["events"]
    assert (event["event_date"], event["fatalities"], event["actor1"]) == ("2019-06-10", 4, "Islamic State")


def test_bad_input_is_named_with_a_reason_and_the_rest_kept(tmp_path: Path) -> None:
    good = _write(tmp_path)
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 4)
    result = CliRunner().invoke(main, ["extract", str(tmp_path)])
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["article_id"] for r in rows] == [good.stem]
    errors = [line for line in result.stderr.splitlines() if line.startswith("marsad:")]
    assert (
        len(errors) == 2 and any("empty.txt" in e for e in errors) and any("binary.txt" in e for e in errors)
    )


def test_publish_date_override_and_json_format(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["extract", str(_write(tmp_path)), "--publish-date", "2019-06-20", "--format", "json"]
    )
    assert result.exit_code == 0
    (row,) = json.loads(result.output)
    assert row["events"][0]["event_date"] == "2019-06-17"  # the Monday before the 20th


def test_annotate_layers_with_offsets(tmp_path: Path) -> None:
    good = _write(tmp_path)
    result = CliRunner().invoke(main, ["annotate", str(good), "--format", "jsonl"])
    assert result.exit_code == 0
    (layers,) = [json.loads(line) for line in result.output.splitlines()]
    text = good.read_text(encoding="utf-8")
    body = text.split("\n", 2)[2]  # the reader drops the "date ..." metadata line
    for layer in ("places", "dates", "actors", "numbers"):
        assert layers[layer], layer
        for item in layers[layer]:
            assert body[item["start"] : item["end"]] == item["text"] or item["text"] in text
    assert {d["value"] for d in layers["dates"]} == {"2019-06-10"}
    assert any(
        p["text"] == "Palmyra" and p["name"] == "Tadmur" and p["admin1"] == "Homs" for p in layers["places"]
    )


def test_eval_scores_a_prediction_against_gold(tmp_path: Path) -> None:
    good = _write(tmp_path)
    pred = tmp_path / "pred.jsonl"
    pred.write_text(CliRunner().invoke(main, ["extract", str(good)]).output, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(
            {
                "id": "good",
                "publish_date": "2019-06-11",
                "not_before": "2019-06-01",
                "events": [
                    {
                        "event_date": "2019-06-10",
                        "event_type": "Battles",
                        "sub_event_types": ["Armed clash"],
                        "actors": ["Islamic State"],
                        "initiator": "Islamic State",
                        "location": {"name": "Palmyra", "lat": 34.56, "lon": 38.28},
                    }
                ],
                "fatalities_total": 4,
            }
        )
        + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["eval", str(gold), str(pred), "--json"])
    assert result.exit_code == 0
    score = json.loads(result.output)
    assert (score["tp"], score["fp"], score["fn"]) == (1, 0, 0)
    assert score["fields"]["fatalities_total"] == 1.0


def test_usage_errors_exit_2() -> None:
    result = CliRunner().invoke(main, ["extract", "--format", "xml", "x.txt"])
    assert result.exit_code == 2
