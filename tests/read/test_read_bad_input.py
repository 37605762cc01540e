"""The bad inputs every reader must turn into one clear ReadError (DESIGN.md, "Bad input").

``BadInputTests`` is a mixin: each reader's test class sets ``reader`` and ``name`` and
inherits the shared cases, the way csvkit's ``EmptyFileTests`` runs against every tool.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from marsad.model import Article, ReadError
from marsad.read import feed, html, jsonl, read_paths, text

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad"


class BadInputTests:
    reader: ModuleType
    name: str  # a file name with the reader's extension

    def read_bytes(self, data: bytes) -> list[Article | ReadError]:
        items = list(self.reader.read(self.name, data, stem="sample"))
        assert all(isinstance(i, Article | ReadError) for i in items)
        return items

    def only_error(self, data: bytes) -> ReadError:
        items = self.read_bytes(data)
        assert len(items) == 1 and isinstance(items[0], ReadError), items
        error = items[0]
        assert error.source == self.name
        assert error.reason and "\n" not in error.reason
        return error

    def test_empty(self) -> None:
        assert self.only_error(b"").reason.startswith("empty file")

    def test_whitespace_only(self) -> None:
        assert self.only_error(b"  \n\t \r\n").reason.startswith("only whitespace")

    def test_png(self) -> None:
        error = self.only_error((BAD / "image.png").read_bytes())
        assert error.reason.startswith("binary data (a PNG image), not text; give one of:")

    def test_nul_bytes(self) -> None:
        assert "binary data" in self.only_error(b"some text\x00\x00\x01 more").reason

    def test_pdf(self) -> None:
        assert "a PDF document" in self.only_error(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n").reason

    def test_can_read_own_extension(self) -> None:
        assert self.reader.can_read(self.name, b"")


class TextBad(BadInputTests):
    """Charset trouble is checked here and for html/json, which decode text themselves."""

    reader = text
    name = "sample.txt"

    def test_undetectable_charset(self) -> None:
        reason = self.only_error((BAD / "undetectable.txt").read_bytes()).reason
        assert reason == "not UTF-8 and the charset could not be detected; convert it to UTF-8"

    def test_control_characters(self) -> None:
        assert "control characters" in self.only_error(bytes(range(1, 9)) * 50).reason

    def test_only_boilerplate(self) -> None:
        reason = self.only_error((BAD / "junk_only.txt").read_bytes()).reason
        assert reason.startswith("no article text left after removing page boilerplate")


class TestText(TextBad):
    pass


class TestHtml(TextBad):
    reader = html
    name = "sample.html"

    def test_only_boilerplate(self) -> None:
        error = self.only_error(b"<html><body><nav>Home</nav><p>Share this article</p></body></html>")
        assert "no article text" in error.reason


class TestJson(TextBad):
    reader = jsonl
    name = "sample.json"

    def test_only_boilerplate(self) -> None:
        reason = self.only_error(b'{"id": "j", "text": "Advertisement\\nShare on Facebook"}').reason
        assert reason.startswith("(id j): no article text left")


class TestJsonl(TextBad):
    reader = jsonl
    name = "sample.jsonl"

    def test_only_boilerplate(self) -> None:
        reason = self.only_error(b'{"id": "j", "text": "Advertisement"}\n').reason
        assert reason.startswith("line 1 (id j): no article text left")


class TestFeed(BadInputTests):
    reader = feed
    name = "sample.rss"

    def test_not_xml(self) -> None:
        assert "not a readable RSS/Atom feed" in self.only_error((BAD / "not_a_feed.xml").read_bytes()).reason


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty file"),
        ("blank.txt", "only whitespace"),
        ("image.png", "binary data (a PNG image)"),
        ("image_named.txt", "binary data (a PNG image)"),
        ("undetectable.txt", "not UTF-8 and the charset could not be detected"),
        ("not_a_feed.xml", "not a readable RSS/Atom feed"),
        ("junk_only.txt", "no article text left"),
        ("broken.json", "line 4: malformed JSON"),
    ],
)
def test_real_bad_files(name: str, reason: str) -> None:
    items = list(read_paths([str(BAD / name)]))
    assert len(items) == 1 and isinstance(items[0], ReadError)
    assert items[0].source == str(BAD / name)
    assert items[0].reason.startswith(reason)


def test_bad_files_do_not_stop_the_run() -> None:
    items = list(read_paths([str(BAD), str(DATA / "good" / "wed_head.txt")]))
    assert isinstance(items[-1], Article) and items[-1].article_id == "wed_head"
    assert sum(isinstance(i, ReadError) for i in items) >= 8


def test_a_reader_bug_becomes_a_read_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(text, "read", boom)
    path = tmp_path / "a.txt"
    path.write_text("Shelling killed two.")
    (error,) = list(read_paths([str(path)]))
    assert isinstance(error, ReadError)
    assert error.reason == (
        "could not be read (RuntimeError: boom second line); this is a bug in marsad, please report it"
    )


def test_a_named_pipe_nobody_writes_into_is_refused_not_waited_for(tmp_path: Path, monkeypatch) -> None:
    """Issue 20.18: a FIFO named on the command line must not hang the run."""
    import os
    import subprocess
    import time

    from marsad.read import read_paths, sources

    monkeypatch.setattr(sources, "PIPE_WAIT", 0.5)  # the wait for a writer, shortened for the test
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    [item] = list(read_paths([str(fifo)]))
    assert time.monotonic() - started < 30  # a hang guard, not a speed test
    assert isinstance(item, ReadError) and "named pipe that no program wrote into" in item.reason
    writer = subprocess.Popen(["sh", "-c", f"sleep 0.2; echo 'Five people were killed in Raqqa.' > '{fifo}'"])
    [article] = list(read_paths([str(fifo)]))
    writer.wait()
    assert isinstance(article, Article) and article.text.startswith("Five people")
