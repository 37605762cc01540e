"""Property tests: no input makes a reader raise, and Articles always carry clean text."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.model import Article, ReadError
from marsad.read import feed, html, jsonl, read_paths, read_text, text
from marsad.read.text import NoTextError

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
READERS: list[tuple[ModuleType, str]] = [
    (text, "x.txt"),
    (html, "x.html"),
    (jsonl, "x.json"),
    (jsonl, "x.jsonl"),
    (feed, "x.xml"),
]

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
field_names = st.sampled_from(
    jsonl.ID_FIELDS
    + jsonl.TEXT_FIELDS
    + jsonl.TITLE_FIELDS
    + jsonl.DATE_FIELDS
    + jsonl.PUBLISHER_FIELDS
    + jsonl.URL_FIELDS
    + ("other",)
)
records = st.dictionaries(field_names, json_values | st.text(max_size=200), max_size=6)
wire_words = st.sampled_from(
    [
        "BEIRUT",
        "(Reuters)",
        "-",
        "—",
        "date",
        "2018-06-10",
        "Wed",
        "05",
        "Apr",
        "2017",
        "(Zaman Al Wasl)-",
        "By",
        "Share",
        "this",
        "article",
        "Comments",
        "\n",
        "\n\n",
        "killed",
        "AP",
        "Published:",
        "\u00a0",
        "\t",
        "\r",
    ]
)


def _check(items: list[Article | ReadError]) -> None:
    for item in items:
        assert isinstance(item, Article | ReadError)
        if isinstance(item, Article):
            assert isinstance(item.text, str) and item.text.strip()
            assert item.text == item.text.strip() and "  " not in item.text
            assert item.article_id
            item.text.encode("utf-8")  # hashable as UTF-8
        else:
            assert item.reason and "\n" not in item.reason


@pytest.mark.parametrize(("reader", "name"), READERS)
@SETTINGS
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(reader: ModuleType, name: str, data: bytes) -> None:
    _check(list(reader.read(name, data, stem="x")))


@pytest.mark.parametrize(("reader", "name"), READERS)
@SETTINGS
@given(body=st.text(max_size=1000))
def test_arbitrary_text_never_raises(reader: ModuleType, name: str, body: str) -> None:
    _check(list(reader.read(name, body.encode("utf-8", "surrogatepass"), stem="x")))


@SETTINGS
@given(lines=st.lists(records | json_values, max_size=8), junk=st.lists(st.text(max_size=30), max_size=2))
def test_jsonl_with_arbitrary_records(lines: list[object], junk: list[str]) -> None:
    raw = "\n".join([json.dumps(r) for r in lines] + junk)
    items = list(jsonl.read("x.jsonl", raw.encode("utf-8", "surrogatepass"), stem="x"))
    _check(items)
    if len(lines) >= 2 and not junk:  # JSON Lines proper: one result per line, good or bad
        assert len(items) == len(lines)


@SETTINGS
@given(words=st.lists(wire_words | st.text(max_size=12), max_size=40))
def test_read_text_head_soup(words: list[str]) -> None:
    try:
        a = read_text(" ".join(words), article_id="x")
    except NoTextError:
        return
    _check([a])
    assert a == read_text(" ".join(words), article_id="x")  # deterministic


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=500), suffix=st.sampled_from([".txt", ".html", ".json", ".jsonl", ".rss", ""]))
def test_read_paths_on_arbitrary_files(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"f{suffix}"
    path.write_bytes(data)
    items = list(read_paths([str(path)]))
    assert items
    _check(items)
