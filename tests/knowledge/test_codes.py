"""The export code files: the CAMEO Goldstein table, PLOVER's vocabulary, UCDP's codes, checked strictly."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from marsad.errors import KnowledgeError
from marsad.knowledge import codes as codes_module
from marsad.knowledge.codes import build_codes, load_codes, parse_goldstein
from marsad.knowledge.taxonomy import load_taxonomy


def test_goldstein_values_are_the_standard_table() -> None:
    g = load_codes().goldstein
    # values from the CAMEO codebook's Goldstein scale
    assert (g["190"], g["1831"], g["141"], g["057"], g["0874"], g["173"]) == (
        -10.0,
        -10.0,
        -6.5,
        8.0,
        10.0,
        -5.0,
    )
    assert g["010"] == 0.0 and g["10"] == -5.0  # "010" and "10" are different codes
    assert len(g) > 300


def test_every_code_marsad_emits_has_a_goldstein_value_and_a_quad_class() -> None:
    codes = load_codes()
    for sub in load_taxonomy().sub_types:
        if sub.cameo is not None:
            assert sub.cameo in codes.goldstein
            assert codes.quad_class(sub.cameo) in (1, 2, 3, 4)
        if sub.plover is not None:
            assert sub.plover in codes.plover_categories
    assert codes.quad_class("190") == 4 and codes.quad_class("057") == 1 and codes.quad_class("0874") == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code\tvalue\n01\t0.0\n", "header"),
        ("code\tgoldstein\n01\t0.0\n01\t1.0\n", "listed twice"),
        ("code\tgoldstein\n01\t0.0\n1x\t1.0\n", "not 2 to 4 digits"),
        ("code\tgoldstein\n01\t11\n", "outside -10..10"),
        ("code\tgoldstein\n01\tabc\n", "not a number"),
        ("code\tgoldstein\n190\t-10\n", "before its root"),
        ("code\tgoldstein\n01 0.0\n", "2 tab-separated"),
    ],
)
def test_goldstein_loader_is_strict(text: str, message: str) -> None:
    with pytest.raises(KnowledgeError, match=message):
        parse_goldstein(text, "t.tsv")


def _files() -> tuple[dict[str, float], dict[str, Any], dict[str, Any]]:
    c = load_codes()
    return (
        dict(c.goldstein),
        copy.deepcopy(codes_module._json("export_codes.json")),
        copy.deepcopy(c.plover_schema),
    )


def test_a_sub_event_type_without_roles_is_refused() -> None:
    g, data, schema = _files()
    del data["sub_event_types"]["Grenade"]
    with pytest.raises(KnowledgeError, match="missing \\['Grenade'\\]"):
        build_codes(g, data, schema)


def test_a_mode_of_another_category_is_refused() -> None:
    g, data, schema = _files()
    data["sub_event_types"]["Peaceful protest"]["plover_mode"] = ["firearms"]
    with pytest.raises(KnowledgeError, match="not a mode of PROTEST"):
        build_codes(g, data, schema)


def test_a_code_without_goldstein_value_is_refused() -> None:
    g, data, schema = _files()
    del g["1831"]
    with pytest.raises(KnowledgeError, match="Suicide bomb: CAMEO code 1831 has no Goldstein value"):
        build_codes(g, data, schema)


def test_an_unknown_sector_or_ucdp_role_is_refused() -> None:
    g, data, schema = _files()
    data["categories"]["Rebel groups"]["plover"] = "INS"
    with pytest.raises(KnowledgeError, match="categories.Rebel groups"):
        build_codes(g, data, schema)
    g, data, schema = _files()
    data["categories"]["Rebel groups"]["ucdp"] = "rebels"
    with pytest.raises(KnowledgeError, match="categories.Rebel groups"):
        build_codes(g, data, schema)
