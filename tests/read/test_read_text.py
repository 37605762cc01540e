"""read_text: what Article.text contains, boilerplate removal, normalisation."""

from __future__ import annotations

import pytest

from marsad.read import read_text
from marsad.read.boilerplate import BOILERPLATE_LINES, FOOTER_LINES, is_junk, strip_lines
from marsad.read.text import NoTextError

BODY = "Government shelling killed five civilians in the town on Tuesday, a monitoring group said."


@pytest.mark.parametrize(
    "junk",
    [
        "Please fill the fields below.",
        "Share this article",
        "Share on Facebook",
        "Share on WhatsApp",
        "Click here to read the full report",
        "Read more: Talks stall in Geneva",
        "Subscribe to our newsletter",
        "© 2019 Levant Wire. All rights reserved.",
        "Follow us on Twitter",
        "Advertisement",
        "Sign up for our daily briefing",
        "We use cookies to improve your experience on our website.",
        "Facebook Twitter WhatsApp Email",
        "Terms of Use Privacy Policy Cookie Policy",
    ],
)
def test_junk_lines_are_removed(junk: str) -> None:
    assert is_junk(junk)
    a = read_text(f"{junk}\n{BODY}\n{junk}\n{BODY}", article_id="x")
    assert junk not in a.text
    assert a.text == f"{BODY}\n{BODY}"


@pytest.mark.parametrize(
    "footer", ["Comments About This Article", "Related articles", "Comments", "Read Also"]
)
def test_footer_lines_cut_the_rest(footer: str) -> None:
    a = read_text(f"{BODY}\n{footer}\nTalks stall in Geneva\n{BODY}", article_id="x")
    assert a.text == BODY


def test_patterns_are_data() -> None:
    assert isinstance(BOILERPLATE_LINES, tuple) and all(isinstance(p, str) for p in BOILERPLATE_LINES)
    assert isinstance(FOOTER_LINES, tuple) and all(isinstance(p, str) for p in FOOTER_LINES)


def test_long_lines_are_never_junk() -> None:
    line = "Click here and you will see that " + BODY
    assert not is_junk(line)
    assert read_text(line, article_id="x").text == line


def test_sentence_mentioning_rights_is_kept() -> None:
    text = "The group said all rights reserved under the truce were ignored when jets struck on Monday."
    assert read_text(text, article_id="x").text == text


def test_footer_cuts_the_rest() -> None:
    text = f"{BODY}\n\nRelated\nTalks stall in Geneva\nWinter storm hits camps"
    assert read_text(text, article_id="x").text == BODY


def test_footer_word_before_any_body_does_not_cut() -> None:
    assert strip_lines(["Comments", BODY]) == [BODY]


def test_trailing_publisher_repeat_removed_only_when_it_matches() -> None:
    a = read_text(f"(Zaman Al Wasl)- {BODY}\nZaman A Wasl", article_id="x")
    assert a.text == f"(Zaman Al Wasl)- {BODY}"
    b = read_text(f"{BODY}\nHama Province", article_id="x", publisher="Zaman Al Wasl")
    assert b.text.endswith("Hama Province")


def test_whitespace_and_newlines_are_normalised() -> None:
    raw = "  Line one\t\t has  tabs.\r\n\r\n\r\n\r\nLine\u00a0two.\rLine three.\u2028"
    a = read_text(raw, article_id="x")
    assert a.text == "Line one has tabs.\n\nLine two.\nLine three."
    assert "  " not in a.text


def test_unicode_is_nfc_and_invisible_characters_go() -> None:
    a = read_text("Cafe\u0301 hit by\u200b shelling.\ufeff", article_id="x")
    assert a.text == "Caf\u00e9 hit by shelling."


def test_lone_surrogates_do_not_break_hashing() -> None:
    a = read_text("Shelling \ud800 resumed.", article_id="x")
    assert a.content_hash  # encodable as UTF-8


def test_title_line_repeated_at_top_is_dropped() -> None:
    a = read_text(f"Shelling kills five\n{BODY}", article_id="x", title="Shelling kills five")
    assert a.text == BODY
    assert a.title == "Shelling kills five"
    only = read_text("Shelling kills five", article_id="x", title="Shelling kills five")
    assert only.text == "Shelling kills five"


def test_metadata_arguments_are_cleaned() -> None:
    a = read_text(BODY, article_id="x", title="  A\n title ", publisher=" ", url=" https://x.example/a ")
    assert (a.title, a.publisher, a.url) == ("A title", None, "https://x.example/a")


def test_nothing_left_raises() -> None:
    with pytest.raises(NoTextError, match="no article text left"):
        read_text("Share this article\nAdvertisement\n\n", article_id="x")
    with pytest.raises(ValueError):
        read_text("date 2018-06-10 Beirut", article_id="x")


def test_same_input_same_article() -> None:
    text = f"BEIRUT (Reuters) - {BODY}\n\nShare this article\n{BODY}"
    assert read_text(text, article_id="x") == read_text(text, article_id="x")
