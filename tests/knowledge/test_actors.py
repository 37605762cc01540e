"""The actor knowledge base: the shipped data is complete and consistent, and bad files fail loudly."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from marsad.errors import KnowledgeError
from marsad.knowledge.actors import (
    CATEGORIES,
    KINDS,
    Actor,
    load_actors,
    load_generic_terms,
)

MAIN_COUNTRIES = [
    "SY",
    "IQ",
    "YE",
    "LY",
    "SD",
    "SO",
    "ML",
    "BF",
    "NE",
    "NG",
    "AF",
    "PK",
    "IL",
    "PS",
    "LB",
    "UA",
    "RU",
    "MM",
    "CD",
    "ET",
]
# All-caps acronyms that two live actors legitimately share; the country of the article decides.
TOLERATED_SHARED_ACRONYMS = {"SNA"}  # Syrian National Army / Somali National Army
ACTOR_KEYS = {
    "id",
    "name",
    "category",
    "country",
    "aliases",
    "demonyms",
    "kinds",
    "affiliations",
    "umbrella",
    "valid_from",
    "valid_until",
}


@pytest.fixture(scope="module")
def actors() -> list[Actor]:
    return load_actors()


@pytest.fixture(scope="module")
def by_id(actors: list[Actor]) -> dict[str, Actor]:
    return {a.id: a for a in actors}


def overlaps(a: Actor, b: Actor) -> bool:
    starts = [d for d in (a.valid_from, b.valid_from) if d is not None]
    ends = [d for d in (a.valid_until, b.valid_until) if d is not None]
    return not starts or not ends or max(starts) < min(ends)


def who(actors: list[Actor], alias: str, on: date | None = None) -> list[str]:
    """Ids of the actors a spelling names (case-insensitive), optionally on a date."""
    key = alias.casefold()
    return [
        a.id
        for a in actors
        if key in {s.casefold() for s in (a.name, *a.aliases)} and (on is None or a.active_on(on))
    ]


def actor_line(**changes: Any) -> str:
    record: dict[str, Any] = {
        "id": "xx-test-militia",
        "name": "Test Militia (Nowhere)",
        "category": "Political militias",
        "country": "SY",
        "aliases": ["Test Militia"],
        "demonyms": [],
        "kinds": ["militia"],
        "affiliations": [],
        "umbrella": None,
        "valid_from": None,
        "valid_until": None,
    }
    record.update(changes)
    return json.dumps(record, ensure_ascii=False)


def write(tmp_path: Path, *lines: str, name: str = "overlay.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- the shipped data


def test_packaged_files_load_with_enough_entries(actors: list[Actor]) -> None:
    assert len(actors) >= 300
    assert len(load_generic_terms()) >= 60


def test_every_packaged_line_spells_out_every_key() -> None:
    text = resources.files("marsad.knowledge").joinpath("data/actors.jsonl").read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        assert set(json.loads(line)) == ACTOR_KEYS, f"line {number}"


def test_all_eight_categories_are_used(actors: list[Actor]) -> None:
    assert {a.category for a in actors} == set(CATEGORIES)
    assert len(CATEGORIES) == 8


@pytest.mark.parametrize("country", MAIN_COUNTRIES)
def test_every_covered_country_has_actors_of_its_own(actors: list[Actor], country: str) -> None:
    mine = [a for a in actors if a.country == country]
    assert len(mine) >= 5
    assert any(a.category == "State forces" for a in mine)
    assert any(a.category == "Civilians" for a in mine)
    assert any(a.category == "Protesters" for a in mine)


def test_no_spelling_names_two_actors_at_the_same_time(actors: list[Actor]) -> None:
    """A spelling may be reused only across a rename or change of government (disjoint windows)."""
    owners: dict[str, list[Actor]] = defaultdict(list)
    for actor in actors:
        for spelling in {s.casefold(): s for s in (actor.name, *actor.aliases)}.values():
            owners[spelling.casefold()].append(actor)
    clashes = []
    for spelling, group in owners.items():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if overlaps(a, b) and spelling.upper() not in TOLERATED_SHARED_ACRONYMS:
                    clashes.append((spelling, a.id, b.id))
                if not overlaps(a, b):
                    assert a.country == b.country, (spelling, a.id, b.id)
    assert clashes == []
    for acronym in TOLERATED_SHARED_ACRONYMS:
        assert acronym.isupper()
        assert len({a.country for a in owners[acronym.casefold()]}) == len(owners[acronym.casefold()])


def test_demonyms_belong_to_one_state_force_at_a_time(actors: list[Actor]) -> None:
    owners: dict[str, list[Actor]] = defaultdict(list)
    for actor in actors:
        for demonym in actor.demonyms:
            owners[demonym.casefold()].append(actor)
            assert actor.category == "State forces", actor.id
    for demonym, group in owners.items():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                assert not overlaps(a, b), (demonym, a.id, b.id)
    for demonym in ("iranian", "iranians", "turkish", "russian", "israeli", "syrian", "iraqi"):
        assert demonym in owners


def test_aliases_are_specific_not_generic(actors: list[Actor]) -> None:
    phrases = {t.phrase.casefold() for t in load_generic_terms()}
    spellings = {s.casefold() for a in actors for s in (a.name, *a.aliases)}
    assert phrases & spellings == set()
    for generic in (
        "the militants",
        "government forces",
        "the rebels",
        "the coalition",
        "militants",
        "rebels",
    ):
        assert generic not in spellings


def test_the_nusra_to_hts_renames_have_back_to_back_windows(by_id: dict[str, Actor]) -> None:
    chain = [by_id["sy-nusra"], by_id["sy-jfs"], by_id["sy-hts"]]
    assert [a.name for a in chain] == ["Jabhat al-Nusra", "Jabhat Fateh al-Sham", "Hayat Tahrir al-Sham"]
    for earlier, later in zip(chain, chain[1:], strict=False):
        assert earlier.valid_until is not None and later.valid_from is not None
        assert earlier.valid_until == later.valid_from
        assert not overlaps(earlier, later)
    assert chain[1].valid_from == date(2016, 7, 28)
    assert chain[2].valid_from == date(2017, 1, 28)
    for day in (date(2014, 5, 1), date(2016, 7, 28), date(2016, 12, 1), date(2017, 1, 28), date(2019, 1, 1)):
        assert sum(a.active_on(day) for a in chain) == 1, day


def test_active_on_is_a_half_open_window(by_id: dict[str, Actor]) -> None:
    old, new = by_id["sy-gov-forces"], by_id["sy-gov-2024"]
    assert old.active_on(None) and new.active_on(None)
    assert old.active_on(date(2018, 6, 9)) and not new.active_on(date(2018, 6, 9))
    assert not old.active_on(date(2024, 12, 8)) and new.active_on(date(2024, 12, 8))
    assert not old.active_on(date(2000, 7, 16)) and old.active_on(date(2000, 7, 17))
    assert by_id["sy-is"].active_on(date(1990, 1, 1))


def test_references_point_at_real_actors(actors: list[Actor], by_id: dict[str, Actor]) -> None:
    for actor in actors:
        assert set(actor.affiliations) <= by_id.keys(), actor.id
        assert actor.umbrella is None or actor.umbrella in by_id, actor.id
        assert set(actor.kinds) <= set(KINDS) and actor.kinds, actor.id


def test_pro_regime_means_the_syrian_state_and_its_allies(by_id: dict[str, Actor]) -> None:
    allies = set(by_id["sy-gov-forces"].affiliations)
    assert {"sy-ndf", "sy-liwa-quds", "lb-hezbollah", "ir-irgc", "ru-military"} <= allies
    assert "sy-gov-forces" in by_id["lb-hezbollah"].affiliations
    assert by_id["sy-ypg"].umbrella == "sy-sdf"
    assert by_id["iq-kh"].umbrella == "iq-pmf"
    assert by_id["sy-sultan-murad"].umbrella == "sy-sna"


@pytest.mark.parametrize(
    ("spelling", "on", "expected"),
    [
        ("Daesh", date(2018, 6, 9), "sy-is"),
        ("ISIS", date(2017, 12, 11), "sy-is"),
        ("IS", None, "sy-is"),
        ("Islamic State", None, "sy-is"),
        ("al-Quds Brigade", date(2017, 12, 11), "sy-liwa-quds"),
        ("Liwa al-Quds", date(2017, 12, 11), "sy-liwa-quds"),
        ("Assad army", date(2017, 12, 11), "sy-gov-forces"),
        ("Syrian army", date(2017, 12, 11), "sy-gov-forces"),
        ("Syrian army", date(2025, 3, 7), "sy-gov-2024"),
        ("Syrian Democratic Forces", None, "sy-sdf"),
        ("SDF", None, "sy-sdf"),
        ("YPG", None, "sy-ypg"),
        ("People's Protection Units", None, "sy-ypg"),
        ("Peshmerga", None, "iq-peshmerga"),
        ("Lebanese Hezbollah", None, "lb-hezbollah"),
        ("Iraqi army", date(2017, 12, 9), "iq-gov-forces"),
        ("Nusra Front", date(2015, 1, 1), "sy-nusra"),
        ("HTS", date(2020, 1, 1), "sy-hts"),
        ("Taliban", date(2019, 1, 1), "af-taliban"),
        ("Taliban", date(2023, 1, 1), "af-gov-2021"),
        ("Tatmadaw", date(2022, 1, 1), "mm-gov-2021"),
        ("Al-Quds Brigades", None, "ps-quds-brigades"),
        ("RSF", None, "sd-rsf"),
        ("ISWAP", None, "ng-iswap"),
        ("M23", None, "cd-m23"),
    ],
)
def test_news_spellings_name_the_right_actor(
    actors: list[Actor], spelling: str, on: date | None, expected: str
) -> None:
    found = who(actors, spelling, on)
    if on is None:
        assert expected in found
    else:
        assert found == [expected]


def test_generic_terms_cover_the_hard_cases() -> None:
    terms = {t.phrase.casefold(): t for t in load_generic_terms()}
    assert len(terms) == len(load_generic_terms())
    assert terms["pro-regime forces"].pro and "regime" in terms["pro-regime forces"].kinds
    assert terms["pro-government forces"].pro
    assert not terms["regime forces"].pro
    for phrase in (
        "militants",
        "extremists",
        "terrorist group",
        "rebels",
        "coalition",
        "kurdish militias",
        "civilians",
        "protesters",
        "settlers",
        "gunmen",
        "tribal fighters",
        "paramilitaries",
    ):
        assert phrase in terms, phrase
    assert not any(p.startswith("the ") for p in terms)
    assert "warplanes" not in terms and "pro-regime news feeds" not in terms


def test_packaged_loads_are_cached_but_callers_cannot_corrupt_them() -> None:
    first = load_actors()
    first.clear()
    again = load_actors()
    assert len(again) >= 300
    assert again[0] is load_actors()[0]


# ---------------------------------------------------------------- overlays


def test_overlay_replaces_same_id_and_adds_new_actors(tmp_path: Path) -> None:
    replaced = actor_line(
        id="sy-liwa-quds",
        name="Liwa al-Quds (renamed in overlay)",
        aliases=["al-Quds Brigade"],
        kinds=["militia"],
    )
    added = actor_line(affiliations=["sy-gov-forces"], valid_from="2019-01-01", valid_until="2020-01-01")
    loaded = {a.id: a for a in load_actors(write(tmp_path, replaced, "", added))}
    assert loaded["sy-liwa-quds"].name == "Liwa al-Quds (renamed in overlay)"
    assert loaded["xx-test-militia"].valid_from == date(2019, 1, 1)
    assert len(loaded) == len(load_actors()) + 1
    assert "xx-test-militia" not in {a.id for a in load_actors()}


def test_generic_overlay_replaces_same_phrase(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps({"phrase": "Regime Forces", "kinds": ["regime"], "pro": True}))
    terms = {t.phrase.casefold(): t for t in load_generic_terms(path)}
    assert terms["regime forces"].pro
    assert len(terms) == len(load_generic_terms())


# ---------------------------------------------------------------- strict errors name the file and line


def raises_at(path: Path, line: int, *words: str, generic: bool = False) -> str:
    loader = load_generic_terms if generic else load_actors
    with pytest.raises(KnowledgeError) as caught:
        loader(path)
    message = str(caught.value)
    assert f"{path}:{line}:" in message
    for word in words:
        assert word in message
    return message


def test_malformed_json_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, actor_line(), '{"id": "xx-broken", "name": ')
    raises_at(path, 2, "malformed JSON", "[E010]")


def test_unknown_category_names_the_field(tmp_path: Path) -> None:
    path = write(tmp_path, actor_line(category="Army"))
    raises_at(path, 1, "field category", "'Army'")


def test_dangling_affiliation_names_the_id(tmp_path: Path) -> None:
    path = write(tmp_path, actor_line(id="xx-a", name="A"), actor_line(affiliations=["xx-nowhere"]))
    raises_at(path, 2, "xx-nowhere", "field affiliations")


def test_a_demonym_cannot_go_to_two_actors(tmp_path: Path) -> None:
    path = write(tmp_path, actor_line(category="State forces", demonyms=["Iranian"]))
    raises_at(path, 1, "'Iranian'", "ir-military", "field demonyms")


def test_a_demonym_may_pass_to_a_successor_government(tmp_path: Path) -> None:
    successor = actor_line(
        category="State forces", demonyms=["Syrian"], valid_from="1990-01-01", valid_until="2000-07-17"
    )
    assert "xx-test-militia" in {a.id for a in load_actors(write(tmp_path, successor))}


@pytest.mark.parametrize(
    ("lines", "line", "words"),
    [
        ([actor_line(), actor_line(name="Other")], 2, ["duplicate actor id", "xx-test-militia"]),
        ([actor_line(name="Islamic State")], 1, ["duplicate name", "sy-is", "field name"]),
        ([actor_line(umbrella="xx-ghost")], 1, ["xx-ghost", "field umbrella"]),
        (
            [actor_line(id="xx-a", name="A", umbrella="xx-test-militia"), actor_line(umbrella="xx-a")],
            1,
            ["loops", "field umbrella"],
        ),
        ([actor_line(country="Syria")], 1, ["field country"]),
        ([actor_line(kinds=["goons"])], 1, ["unknown kind", "field kinds[0]"]),
        ([actor_line(valid_from="2020-01-01", valid_until="2019-01-01")], 1, ["field valid_until"]),
        ([actor_line(valid_from=1577836800)], 1, ["ISO date", "field valid_from"]),
        ([actor_line(aliases=["Test Militia", "test militia"])], 1, ["listed twice", "field aliases"]),
        ([actor_line(aliases=[" padded"])], 1, ["field aliases[0]"]),
        ([actor_line(affiliations=["xx-test-militia"])], 1, ["itself", "field affiliations"]),
        ([actor_line(colour="red")], 1, ["field colour"]),
        (["[1, 2]"], 1, ["expected a JSON object"]),
    ],
)
def test_other_schema_violations(tmp_path: Path, lines: list[str], line: int, words: list[str]) -> None:
    raises_at(write(tmp_path, *lines), line, *words)


def test_missing_required_field(tmp_path: Path) -> None:
    record = json.loads(actor_line())
    del record["category"]
    raises_at(write(tmp_path, json.dumps(record)), 1, "Field required", "field category")


def test_generic_term_errors(tmp_path: Path) -> None:
    ok = json.dumps({"phrase": "goons", "kinds": ["militia"], "pro": False})
    raises_at(
        write(tmp_path, ok, json.dumps({"phrase": "Goons", "kinds": ["militia"]})),
        2,
        "duplicate phrase",
        generic=True,
    )
    raises_at(
        write(tmp_path, ok, json.dumps({"phrase": "thugs", "kinds": []})), 2, "field kinds", generic=True
    )
    raises_at(
        write(tmp_path, json.dumps({"phrase": "thugs", "kinds": ["militia"], "pro": "yes"})),
        1,
        "field pro",
        generic=True,
    )


def test_unreadable_overlays_are_knowledge_errors(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="cannot read"):
        load_actors(tmp_path / "missing.jsonl")
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(actor_line().encode() + b"\n" + actor_line(name="Caf\xe9").encode("latin-1") + b"\n")
    raises_at(path, 2, "not UTF-8")
