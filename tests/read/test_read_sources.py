"""read_paths over paths: files, directories, globs, stdin, limits, and the ways they fail."""

from __future__ import annotations

import io
import os
import shutil
import sys
from pathlib import Path

import pytest

from marsad.model import Article, ReadError
from marsad.read import SUPPORTED_FORMATS, read_paths, sources

DATA = Path(__file__).parent / "data"
BODY = "Shelling killed two people in Jobar on Monday, the monitor said.\n"


def _write(path: Path, text: str = BODY) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _errors(items: list[Article | ReadError]) -> list[ReadError]:
    return [i for i in items if isinstance(i, ReadError)]


def test_public_api() -> None:
    import marsad.read

    assert sorted(marsad.read.__all__) == ["SUPPORTED_FORMATS", "read_paths", "read_text"]
    assert isinstance(SUPPORTED_FORMATS, tuple) and "jsonl" in SUPPORTED_FORMATS


def test_directory_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    _write(tmp_path / "b.txt")
    _write(tmp_path / "a.txt")
    _write(tmp_path / "sub" / "c.txt")
    _write(tmp_path / ".hidden.txt")
    _write(tmp_path / ".git" / "d.txt")
    items = list(read_paths([str(tmp_path)]))
    assert [i.article_id for i in items if isinstance(i, Article)] == ["a", "b", "c"]
    assert not _errors(items)


def test_glob(tmp_path: Path) -> None:
    _write(tmp_path / "one.txt")
    _write(tmp_path / "two.txt")
    _write(tmp_path / "three.md")
    items = list(read_paths([str(tmp_path / "*.txt")]))
    assert [i.article_id for i in items if isinstance(i, Article)] == ["one", "two"]


def test_glob_matching_nothing(tmp_path: Path) -> None:
    (item,) = list(read_paths([str(tmp_path / "*.nothing")]))
    assert isinstance(item, ReadError)
    assert "matched no files" in item.reason


def test_missing_path_and_the_run_goes_on(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.txt")
    items = list(read_paths([str(tmp_path / "missing.txt"), str(good)]))
    assert isinstance(items[0], ReadError) and "no such file" in items[0].reason
    assert isinstance(items[1], Article)


def test_a_lone_string_is_one_path(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.txt")
    assert [type(i) for i in read_paths(str(good))] == [Article]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_is_reported_not_followed(tmp_path: Path) -> None:
    _write(tmp_path / "root" / "a.txt")
    os.symlink(tmp_path / "root", tmp_path / "root" / "loop")
    os.symlink(tmp_path / "root" / "self", tmp_path / "root" / "self")
    items = list(read_paths([str(tmp_path / "root")]))
    assert [i.article_id for i in items if isinstance(i, Article)] == ["a"]
    reasons = " | ".join(e.reason for e in _errors(items))
    assert "symlink loop" in reasons


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_broken_symlink(tmp_path: Path) -> None:
    os.symlink(tmp_path / "gone.txt", tmp_path / "link.txt")
    (item,) = list(read_paths([str(tmp_path)]))
    assert isinstance(item, ReadError) and "broken symlink" in item.reason


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "secret.txt")
    real_open = open

    def deny(file: object, *args: object, **kwargs: object) -> object:
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", deny)
    (item,) = list(read_paths([str(path)]))
    assert isinstance(item, ReadError)
    assert item.reason == "permission denied; check the file's permissions"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads everything")
def test_permission_denied_for_real(tmp_path: Path) -> None:
    path = _write(tmp_path / "secret.txt")
    path.chmod(0)
    try:
        (item,) = list(read_paths([str(path)]))
    finally:
        path.chmod(0o644)
    assert isinstance(item, ReadError) and "permission denied" in item.reason


def test_size_limit(tmp_path: Path) -> None:
    path = _write(tmp_path / "big.txt", BODY * 10)
    (item,) = list(read_paths([str(path)], max_bytes=100))
    assert isinstance(item, ReadError)
    assert item.reason == "larger than 100 bytes (max_bytes=100); split it or raise the limit"
    stream = io.BytesIO(b"x" * 5_000_001)
    error = sources.load(
        sources.Input(source="-", stem="stdin", path=None), max_bytes=5_000_000, stdin=stream
    )
    assert isinstance(error, ReadError)
    assert error.reason == "larger than 5 MB (max_bytes=5000000); split it or raise the limit"


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_stdin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, BODY.encode())
    (item,) = list(read_paths(["-"]))
    assert isinstance(item, Article)
    assert (item.article_id, item.source_path) == ("stdin", "<stdin>")


def test_stdin_jsonl_is_sniffed(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, (DATA / "good" / "articles.jsonl").read_bytes())
    items = list(read_paths(["-"]))
    assert [i.article_id for i in items if isinstance(i, Article)] == ["wire-001", "wire-002", "stdin-3"]


def test_stdin_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, BODY.encode() * 10)
    (item,) = list(read_paths(["-"], max_bytes=50))
    assert isinstance(item, ReadError) and item.source == "<stdin>" and "larger than" in item.reason


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b'{"id": 1}', "jsonl"),
        (b"  [\n{}]", "jsonl"),
        (b"<!DOCTYPE html><html>", "html"),
        (b"<div><p>hi</p></div>", "html"),
        (b'<?xml version="1.0"?><rss version="2.0">', "feed"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        (b"BEIRUT (Reuters) - text", "text"),
        (b"\xef\xbb\xbf{}", "jsonl"),
        (b"", "text"),
    ],
)
def test_sniff(head: bytes, fmt: str) -> None:
    assert sources.sniff(head) == fmt


def test_extension_beats_sniffing(tmp_path: Path) -> None:
    assert sources.format_of("a.txt", b"<html>") == "text"
    assert sources.format_of("a.unknown", b"<html>") == "html"
    assert sources.format_of("-", b"{") == "jsonl"


def test_non_utf8_is_detected_and_decoded() -> None:
    items = list(read_paths([str(DATA / "bad" / "arabic_cp1256.txt"), str(DATA / "bad" / "latin1.txt")]))
    assert all(isinstance(i, Article) for i in items)
    arabic, latin = items
    assert isinstance(arabic, Article) and "المرصد السوري" in arabic.text
    assert isinstance(latin, Article) and "près du marché" in latin.text


def test_utf16_with_bom_is_text(tmp_path: Path) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes(BODY.encode("utf-16"))
    (item,) = list(read_paths([str(path)]))
    assert isinstance(item, Article) and item.text == BODY.strip()


def test_undetectable_charset() -> None:
    (item,) = list(read_paths([str(DATA / "bad" / "undetectable.txt")]))
    assert isinstance(item, ReadError)
    assert item.reason == "not UTF-8 and the charset could not be detected; convert it to UTF-8"


def test_whole_data_directory_never_raises_and_is_deterministic(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    first = list(read_paths([str(copy)]))
    second = list(read_paths([str(copy)]))
    assert first == second
    assert all(isinstance(i, Article | ReadError) for i in first)
    for item in first:
        if isinstance(item, ReadError):
            assert "\n" not in item.reason and item.reason
        else:
            assert item.text.strip() and item.text == item.text.strip()


def test_human_size() -> None:
    assert sources.human_size(5_000_000) == "5 MB"
    assert sources.human_size(1_500) == "1.5 kB"
    assert sources.human_size(10) == "10 bytes"
