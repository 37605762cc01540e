"""Metadata heads: each form the read stage promises to understand, and what it keeps."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from marsad.model import Article
from marsad.read import read_paths, read_text
from marsad.read.dateline import parse_date, publisher_name

DATA = Path(__file__).parent / "data"


def _one(path: Path, **kwargs: object) -> Article:
    (item,) = list(read_paths([str(path)], **kwargs))  # type: ignore[arg-type]
    assert isinstance(item, Article), item
    return item


def test_date_line_gives_date_and_dateline_and_is_removed() -> None:
    a = read_text(" date 2018-06-10 Beirut/Istanbul\n\nDaesh attacked the town on Friday.", article_id="x")
    assert a.publish_date == date(2018, 6, 10)
    assert a.dateline == "Beirut/Istanbul"
    assert a.text == "Daesh attacked the town on Friday."


def test_date_line_running_on_into_text_keeps_the_text() -> None:
    a = read_text("date 2018-06-10 Daesh attacked the town on Friday, the monitor said.", article_id="x")
    assert a.publish_date == date(2018, 6, 10)
    assert a.dateline is None
    assert a.text == "Daesh attacked the town on Friday, the monitor said."


def test_date_line_from_file() -> None:
    a = _one(DATA / "good" / "date_head.txt")
    assert a.publish_date == date(2019, 2, 14)
    assert a.dateline == "Beirut/Amman"
    assert not a.text.startswith("date")


@pytest.mark.parametrize(
    ("text", "place", "publisher"),
    [
        ("BEIRUT (Reuters) - Warplanes struck the town on Tuesday.", "BEIRUT", "Reuters"),
        ("ALEPPO, Syria (AP) — A car bomb exploded on Sunday.", "ALEPPO", "AP"),
        ("DAMASCUS, June 3 (Reuters) - Mortars hit the capital on Monday.", "DAMASCUS", "Reuters"),
        ("RAS AL-AIN, Syria (AFP) - Shelling resumed on Friday.", "RAS AL-AIN", "AFP"),
        ("BEIRUT — Air strikes killed 12 people on Monday.", "BEIRUT", None),
        ("Muqdisho (Hiiraan Online) - A blast hit a tea shop on Sunday.", "Muqdisho", "Hiiraan Online"),
        ("El Geneina, West Darfur (Dabanga) – Gunmen raided the camp.", "El Geneina", "Dabanga"),
    ],
)
def test_wire_datelines(text: str, place: str, publisher: str | None) -> None:
    a = read_text(text, article_id="x")
    assert a.dateline == place
    assert a.publisher == publisher
    assert a.text == text  # the head stays: offsets and the first sentence are untouched
    assert a.publish_date is None  # "June 3" has no year: no date is invented


def test_wire_dateline_after_a_title_line() -> None:
    a = read_text("Car bomb kills six\nALEPPO, Syria (AP) — A car bomb exploded on Sunday.", article_id="x")
    assert (a.dateline, a.publisher) == ("ALEPPO", "AP")


def test_title_case_words_before_a_parenthesis_are_not_always_datelines() -> None:
    for text in ("The Army (SAA) - shelled the town.", "Fighters (pictured) - crossed the river."):
        a = read_text(text, article_id="x")
        assert (a.dateline, a.publisher) == (None, None), text


def test_acronyms_are_not_datelines() -> None:
    a = read_text("ISIS (Daesh) - fighters attacked the town on Friday.", article_id="x")
    assert a.dateline is None
    assert a.publisher is None
    assert read_text("ISIS fighters — attacked the town.", article_id="x").dateline is None


def test_parenthesised_publisher() -> None:
    a = read_text("(Zaman Al Wasl)- ISIS fighters recaptured 6 villages on Tuesday.", article_id="x")
    assert a.publisher == "Zaman Al Wasl"
    assert a.publish_date is None
    assert a.text.startswith("(Zaman Al Wasl)- ISIS")


def test_zaman_file_drops_footer_and_sign_off() -> None:
    a = _one(DATA / "good" / "zaman_head.txt")
    assert a.publisher == "Zaman Al Wasl"
    assert a.text.endswith("on the Damascus highway in response.")
    assert "Zaman A Wasl" not in a.text and "Comments" not in a.text and "Please fill" not in a.text


def test_weekday_leading_date() -> None:
    a = _one(DATA / "good" / "wed_head.txt")
    assert a.publish_date == date(2017, 4, 5)
    assert a.text.startswith("Wed 05 Apr 2017 Mortar fire")


def test_weekday_leading_date_with_time() -> None:
    a = _one(DATA / "good" / "fri_at_head.txt")
    assert a.publish_date == date(2017, 4, 7)
    assert a.text.startswith("Fri 07 Apr 2017 at 0914 Governor")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Published February 18 2015 The army captured several villages.", date(2015, 2, 18)),
        ("Posted on April 19 2017 by a staff writer. Six were killed.", date(2017, 4, 19)),
        ("Date of publication 10 July 2016 At least 29 rebels were killed.", date(2016, 7, 10)),
        ("27 Jul 2016 At least 48 people died.", date(2016, 7, 27)),
        ("Wednesday 30 November 2016 14:28 Dozens were killed.", date(2016, 11, 30)),
        ("24.08.2013 State media accused rebels.", date(2013, 8, 24)),
        ("Last updated at Apr 152017 A car bomb killed 43 people.", date(2017, 4, 15)),
    ],
)
def test_other_leading_dates(text: str, expected: date) -> None:
    assert read_text(text, article_id="x").publish_date == expected


def test_glued_date_then_caps_dateline() -> None:
    a = read_text("Last updated at Jul 012016 BEIRUT At least 70 fighters were killed.", article_id="x")
    assert a.publish_date == date(2016, 7, 1)
    assert a.dateline == "BEIRUT"


def test_weekday_stamp_after_headline() -> None:
    a = read_text("Car bomb kills 10 in Homs AFP Sunday 25 May 2014 Ten people were killed.", article_id="x")
    assert a.publish_date == date(2014, 5, 25)


@pytest.mark.parametrize("lead", ["on", "late", "early on", "since"])
def test_event_date_in_a_sentence_is_not_a_publish_date(lead: str) -> None:
    a = read_text(f"Rebels attacked {lead} Monday 3 Oct 2016 near Hama, the monitor said.", article_id="x")
    assert a.publish_date is None


def test_published_line_and_byline_are_metadata() -> None:
    a = _one(DATA / "good" / "published_byline.txt")
    assert a.publish_date == date(2019, 3, 12)
    assert a.publisher == "Reuters"
    assert a.text.startswith("Turkish-backed fighters")
    assert "All rights reserved" not in a.text


def test_byline_with_a_job_title_names_no_publisher() -> None:
    a = read_text("By Jane Doe, Staff Reporter\nShelling killed two people on Monday.", article_id="x")
    assert a.publisher is None
    assert a.text == "Shelling killed two people on Monday."


def test_trailing_signature_gives_publisher() -> None:
    a = _one(DATA / "good" / "signature.txt")
    assert a.publisher == "AP"
    assert a.text.endswith("retook the area.—AP")  # inside a sentence line: kept (whole lines only)


@pytest.mark.parametrize(("tail", "publisher"), [("- REUTERS", "Reuters"), ("—AP", "AP"), ("– AFP", "AFP")])
def test_trailing_signature_alone_on_its_line_is_removed(tail: str, publisher: str) -> None:
    a = read_text(f"Shelling killed two people on Monday.\n{tail}", article_id="x")
    assert a.publisher == publisher
    assert a.text == "Shelling killed two people on Monday."


def test_head_publisher_beats_signature_and_argument_beats_both() -> None:
    text = "BEIRUT (Reuters) - Shelling killed two people.\nThe army denied it.—AP"
    assert read_text(text, article_id="x").publisher == "Reuters"
    assert read_text(text, article_id="x", publisher="Levant Wire").publisher == "Levant Wire"


def test_no_date_is_invented() -> None:
    for text in ["On Friday, rebels attacked.", "June 3 rebels attacked.", "Tuesday: clashes resumed."]:
        assert read_text(text, article_id="x").publish_date is None


def test_impossible_dates_give_none() -> None:
    assert read_text("date 2018-02-30 Beirut\n\nClashes resumed.", article_id="x").publish_date is None
    assert read_text("31 Apr 2017 Clashes resumed.", article_id="x").publish_date is None


def test_publish_date_override_wins_everywhere() -> None:
    override = date(2020, 1, 2)
    a = read_text("date 2018-06-10 Beirut\n\nClashes.", article_id="x", publish_date=override)
    assert a.publish_date == override
    for name in ["date_head.txt", "wed_head.txt", "articles.jsonl", "feed_rss.xml", "article.html"]:
        items = list(read_paths([str(DATA / "good" / name)], publish_date=override))
        assert items and all(isinstance(a, Article) and a.publish_date == override for a in items)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-06-10", date(2018, 6, 10)),
        ("2018-06-10T12:30:00Z", date(2018, 6, 10)),
        ("Mon, 06 May 2019 14:20:00 GMT", date(2019, 5, 6)),
        ("12 March 2019", date(2019, 3, 12)),
        ("March 12, 2019", date(2019, 3, 12)),
        ("Tuesday", None),
        ("June 3", None),
        ("", None),
        ("not a date", None),
        (20180610, None),
        (None, None),
    ],
)
def test_parse_date(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected


def test_publisher_names_are_tidied() -> None:
    assert publisher_name("REUTERS") == "Reuters"
    assert publisher_name("AFP") == "AFP"
    assert publisher_name(" Zaman Al Wasl ") == "Zaman Al Wasl"
    assert publisher_name(" -- ") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Shells kill 4 in Homs city 12 March 2017 Homs SANA-Terrorists fired shells on a school.",
            date(2017, 3, 12),
        ),
        (
            "Blast kills 9 near Hama World News 0915 03.05.2017(updated 1102 03.05.2017) Nine people died.",
            date(2017, 5, 3),
        ),
    ],
)
def test_bare_date_stamp_after_headline(text: str, expected: date) -> None:
    assert read_text(text, article_id="x").publish_date == expected


@pytest.mark.parametrize("lead", ["on", "since", "of", "the"])
def test_bare_date_in_a_sentence_is_not_a_publish_date(lead: str) -> None:
    text = f"Rebels recalled the attack {lead} 3 October 2016 near Hama, the monitor said."
    assert read_text(text, article_id="x").publish_date is None
