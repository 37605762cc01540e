"""The confidence table (data/confidence.json): it loads, it is checked, and it backs off."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest

from marsad.errors import KnowledgeError
from marsad.knowledge.confidence import FIELDS, joint, load_confidence, parse_table


def _shipped() -> dict[str, Any]:
    text = resources.files("marsad.knowledge").joinpath("data", "confidence.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def test_the_shipped_table_validates_and_says_how_it_was_made() -> None:
    table = load_confidence()
    assert "bench/calibrate.py" in table.about
    for field in FIELDS:
        prior = table.priors[field]
        assert 0.0 <= prior.p <= 1.0 and prior.right <= prior.n
        assert prior.n > 0, f"{field}: the project's gold judged no value"
        assert all(0.0 <= c.p <= 1.0 for c in table.cells[field].values())


def test_an_unknown_path_backs_off_to_its_longest_known_prefix_then_the_prior() -> None:
    table = load_confidence()
    known = next(iter(table.cells["place"]))
    assert table.cell("place", f"{known}/never-seen") == table.cells["place"][known]
    assert table.cell("place", "no-such-mechanism") == table.priors["place"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["fields"].pop("date"), "must be exactly"),
        (lambda d: d["fields"]["place"]["prior"].update(p=1.2), "outside"),
        (lambda d: d["fields"]["actors"]["prior"].update(right=10**6), "more than n"),
        (
            lambda d: d["fields"]["event_type"]["evidence"].update({"a//b": {"p": 0.5, "n": 1, "right": 1}}),
            "bad",
        ),
        (lambda d: d.update(about=""), "about"),
    ],
)
def test_a_broken_table_is_refused(change: Any, message: str) -> None:
    data = copy.deepcopy(_shipped())
    change(data)
    with pytest.raises(KnowledgeError, match=message):
        parse_table(data)


def test_the_event_confidence_is_the_joint_of_type_place_and_date() -> None:
    assert joint({"event_type": 0.9, "place": 0.8, "date": 0.5, "actors": 0.1}) == 0.36
    assert joint({"event_type": 0.9, "place": 0.8}) is None
