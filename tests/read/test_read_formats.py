"""Each reader on real sample files: ids, metadata and bodies."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from marsad.model import Article, ReadError
from marsad.read import feed, html, jsonl, read_paths, text

DATA = Path(__file__).parent / "data"
GOOD = DATA / "good"
BAD = DATA / "bad"


def _read(*names: str, folder: Path = GOOD) -> list[Article | ReadError]:
    return list(read_paths([str(folder / n) for n in names]))


def _articles(items: list[Article | ReadError]) -> list[Article]:
    assert all(isinstance(i, Article) for i in items), items
    return [i for i in items if isinstance(i, Article)]


@pytest.mark.parametrize(
    ("name", "reader"),
    [
        ("a.txt", text),
        ("a.html", html),
        ("a.htm", html),
        ("a.json", jsonl),
        ("a.jsonl", jsonl),
        ("a.ndjson", jsonl),
        ("a.xml", feed),
        ("a.rss", feed),
        ("a.atom", feed),
    ],
)
def test_can_read_by_extension(name: str, reader: object) -> None:
    readers = [text, html, jsonl, feed]
    assert [r for r in readers if r.can_read(name, b"")] == [reader]


def test_text_file_id_is_stem() -> None:
    (a,) = _articles(_read("beirut_reuters.txt"))
    assert a.article_id == "beirut_reuters"
    assert a.source_path == str(GOOD / "beirut_reuters.txt")
    assert "Share" not in a.text and "Related" not in a.text and "Aid convoy" not in a.text


def test_text_without_extension() -> None:
    (a,) = _articles(_read("wire_noext"))
    assert (a.article_id, a.dateline, a.publisher) == ("wire_noext", "HOMS", "AP")


def test_html_page() -> None:
    (a,) = _articles(_read("article.html"))
    assert a.article_id == "article"
    assert a.title == "Shelling kills five in Maarat al-Numan"
    assert a.publish_date == date(2019, 3, 12)
    assert a.publisher == "Levant Wire"
    assert a.dateline == "IDLIB"
    assert a.text.startswith("IDLIB, Syria (AP) — Government shelling")
    junk = ["Home", "Sign in", "cookies", "Related", "Talks stall", "Facebook", "Subscribe", "reserved"]
    assert not [j for j in junk if j in a.text]


def test_html_fragment_too_short_for_trafilatura_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "short.html"
    path.write_text("<html><body><p>Shelling killed two.</p></body></html>", encoding="utf-8")
    (a,) = _articles(list(read_paths([str(path)])))
    assert a.text == "Shelling killed two."


def test_html_without_text(tmp_path: Path) -> None:
    path = tmp_path / "nav.html"
    path.write_text("<html><body><nav><a href='/'>Home</a></nav><script>x=1</script></body></html>")
    (e,) = list(read_paths([str(path)]))
    assert isinstance(e, ReadError) and "no article text" in e.reason


def test_html_to_text() -> None:
    markup = "<p>One &amp; two</p><script>bad()</script><ul><li>three</li></ul>four<br>five"
    assert html.html_to_text(markup).split() == ["One", "&", "two", "three", "four", "five"]
    assert html.html_to_text("<<<>>></p></div><") is not None


def test_jsonl_records() -> None:
    a, b, c = _articles(_read("articles.jsonl"))
    assert (a.article_id, a.title, a.publish_date, a.publisher, a.url) == (
        "wire-001",
        "Drone strike near Idlib",
        date(2018, 9, 4),
        "Levant Wire",
        "https://levantwire.example/a1",
    )
    assert (b.article_id, b.publish_date, b.publisher) == ("wire-002", date(2018, 9, 4), "Euphrates Monitor")
    assert b.text.startswith("Turkish artillery")  # from "body"
    assert (c.article_id, c.url) == ("articles-3", "https://example.org/c3")  # <stem>-<line>


def test_jsonl_malformed_line_two_and_the_others_read() -> None:
    items = _read("bad_line2.jsonl", folder=BAD)
    assert [type(i) for i in items] == [Article, ReadError, Article]
    error = items[1]
    assert isinstance(error, ReadError)
    assert error.reason == "line 2: malformed JSON (Expecting ',' delimiter); the other lines were read"
    assert [i.article_id for i in items if isinstance(i, Article)] == ["ok-1", "ok-3"]


def test_jsonl_records_without_text() -> None:
    items = _read("no_text.jsonl", folder=BAD)
    assert all(isinstance(i, ReadError) for i in items)
    reasons = [i.reason for i in items if isinstance(i, ReadError)]
    assert reasons[0].startswith("line 1 (id nt-1): record has no text")
    assert reasons[1].startswith("line 2 (id nt-2): record has no text")
    assert reasons[2].startswith("line 3: a list, not an article object")


def test_json_list_object_and_wrapper() -> None:
    a, b = _articles(_read("articles.json"))
    assert (a.article_id, a.publish_date, a.title) == ("arr-1", date(2017, 10, 2), "Clashes in Hama")
    assert b.article_id == "articles-2"
    (w,) = _articles(_read("wrapped.json"))
    assert w.article_id == "wrap-1"
    (s,) = _articles(_read("single.json"))
    assert (s.article_id, s.title, s.dateline) == ("single", "Blast in Qamishli", "QAMISHLI")


def test_json_malformed_whole_file() -> None:
    (e,) = _read("broken.json", folder=BAD)
    assert isinstance(e, ReadError)
    assert e.reason.startswith("line 4: malformed JSON (Expecting ',' delimiter)")


def test_json_file_holding_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "lines.json"
    path.write_text('{"id": "a", "text": "One killed."}\n{"id": "b", "text": "Two killed."}\n')
    assert [a.article_id for a in _articles(list(read_paths([str(path)])))] == ["a", "b"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("42", "JSON holds a number"),
        ("[]", "an empty JSON list"),
        ('"text"', "JSON holds a string"),
        ("[1]", "record 1: a number, not an article object"),
        ("[" * 100_000, "nested too deeply"),
        ('{"id": 1, "text": ' + "9" * 5000 + "}", "malformed JSON"),
    ],
)
def test_json_odd_documents(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "odd.json"
    path.write_text(content)
    items = list(read_paths([str(path)]))
    assert items and all(isinstance(i, ReadError) for i in items)
    assert reason in items[0].reason  # type: ignore[union-attr]


def test_json_field_variants(tmp_path: Path) -> None:
    records = [
        {"id": 7, "text": ["First paragraph.", "Second paragraph."], "date": "Mon, 06 May 2019 14:20:00 GMT"},
        {"id": True, "content": "<p>Shelling <b>killed</b> two.</p><p>Share this article</p>"},
        {"id": "  ", "text": "x", "publish_date": "not a date", "title": 5, "source": {"name": "odd"}},
    ]
    path = tmp_path / "v.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records))
    a, b, c = _articles(list(read_paths([str(path)])))
    assert (a.article_id, a.publish_date) == ("7", date(2019, 5, 6))
    assert a.text == "First paragraph.\n\nSecond paragraph."
    assert (b.article_id, b.text) == ("v-2", "Shelling killed two.")
    assert (c.article_id, c.publish_date, c.title, c.publisher) == ("v-3", None, None, None)


def test_rss_feed() -> None:
    a, b = _articles(_read("feed_rss.xml"))
    assert a.article_id == "lw-2019-0506-01"
    assert (a.title, a.publish_date) == ("Air strike hits Idlib market", date(2019, 5, 6))
    assert a.publisher == "Levant Wire"  # the channel's title
    assert a.url == "https://levantwire.example/news/2019/05/06/idlib-market"
    assert a.text == (
        "An air strike hit a market in Idlib city on Monday, killing seven people, rescuers said.\n"
        "\nThe White Helmets said the toll could rise."
    )
    assert b.article_id == "levantwire.example-news-2019-05-07-kobani"  # no guid: the link, sanitised


def test_atom_feed() -> None:
    a, b = _articles(_read("feed_atom.atom"))
    assert a.article_id == "euphrates.example-2018-azaz-car-bomb"
    assert (a.publish_date, a.dateline, a.publisher) == (date(2018, 11, 1), "AZAZ", "Euphrates Monitor")
    assert "Share this article" not in a.text
    assert (b.article_id, b.publish_date) == ("euphrates.example-manbij-protest", date(2018, 11, 2))


def test_feed_that_is_not_xml() -> None:
    (e,) = _read("not_a_feed.xml", folder=BAD)
    assert isinstance(e, ReadError)
    assert e.reason.startswith("not a readable RSS/Atom feed (")
    assert e.reason.endswith("check that it is well-formed XML")


def test_feed_with_no_entries(tmp_path: Path) -> None:
    path = tmp_path / "empty.rss"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>')
    (e,) = list(read_paths([str(path)]))
    assert isinstance(e, ReadError) and "no entries" in e.reason


def test_feed_bytes_are_never_taken_for_a_file_name(tmp_path: Path) -> None:
    target = tmp_path / "feed.xml"
    target.write_text((GOOD / "feed_rss.xml").read_text())
    items = list(feed.read("x.xml", str(target).encode(), stem="x"))
    assert len(items) == 1 and isinstance(items[0], ReadError)


def test_safe_id() -> None:
    assert feed.safe_id("https://x.org/a/b?c=1") == "x.org-a-b-c-1"
    assert feed.safe_id("tag:x.org,2018:a b") == "x.org-2018-a-b"
    assert feed.safe_id("///") is None
    long = feed.safe_id("https://x.org/" + "a" * 300)
    assert long is not None and len(long) <= 100
    assert long != feed.safe_id("https://x.org/" + "a" * 299)


def test_jsonl_long_ids_are_capped_and_stay_distinct(tmp_path: Path) -> None:
    """Issue 20.11: a 3,000-character record id is cut to a bounded, still distinct id."""
    path = tmp_path / "long.jsonl"
    rows = [{"id": "x" * 3000 + tail, "text": f"Text {tail}."} for tail in ("a", "b")]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    a, b = _articles(list(read_paths([str(path)])))
    assert len(a.article_id) <= 200 and len(b.article_id) <= 200
    assert a.article_id != b.article_id and a.article_id.startswith("xxxx")


def test_only_web_links_are_kept_as_urls(tmp_path: Path) -> None:
    """Issue 20.13: a feed <link> or a JSONL url of javascript:... is no article link."""
    rows = [
        {"id": "a", "text": "Text a.", "url": "javascript:alert(document.domain)"},
        {"id": "b", "text": "Text b.", "url": " JavaScript:alert(1)"},
        {"id": "c", "text": "Text c.", "link": "data:text/html,<script>alert(1)</script>"},
        {"id": "d", "text": "Text d.", "url": "https://example.org/d"},
        {"id": "e", "text": "Text e.", "url": "HTTP://example.org/e"},
    ]
    path = tmp_path / "links.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    urls = [a.url for a in _articles(list(read_paths([str(path)])))]
    assert urls == [None, None, None, "https://example.org/d", "HTTP://example.org/e"]
    feed_path = tmp_path / "feed.xml"
    feed_path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>x</title><guid>g1</guid><link>javascript:alert(1)</link>"
        "<description>Five people were killed in Raqqa.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    [entry] = _articles(list(read_paths([str(feed_path)])))
    assert entry.url is None and entry.text.startswith("Five people")
