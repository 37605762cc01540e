"""From command-line paths to checked bytes: expansion, size limit, sniffing and charset.

Everything here turns trouble into a :class:`ReadError` value instead of raising, so
one bad path never stops a run (docs/events.md, "Bad input"). The readers only ever see
bytes that exist and fit under the size limit; :func:`decode` gives them text or a
one-line reason.
"""

from __future__ import annotations

import errno
import glob
import hashlib
import os
import re
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from marsad.model import ReadError

SUPPORTED_FORMATS: tuple[str, ...] = ("text", "html", "json", "jsonl", "rss", "atom")

STDIN = "-"
STDIN_SOURCE = "<stdin>"

#: Format names the readers claim (see each reader's ``FORMATS``), by file extension.
FORMAT_BY_EXTENSION: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonlines": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
}

#: Bytes a reader may look at to choose a format.
HEAD_BYTES = 4096

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ", "xz-compressed data"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_GLOB_CHARS = re.compile(r"[*?\[]")

NOT_UTF8 = "not UTF-8 and the charset could not be detected; convert it to UTF-8"


def one_line(message: str) -> str:
    """Squash a message to one line: errors are printed one per line on stderr."""
    return " ".join(str(message).split())


MAX_ID = 200  # characters of an article id; longer ones keep their start and gain a hash


def cap_id(raw: str, limit: int = MAX_ID) -> str:
    """An id of at most ``limit`` characters: long ones keep their start plus a hash of the
    whole, so they stay distinct (a database index cannot hold a 3,000-character key)."""
    if len(raw) <= limit:
        return raw
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{raw[: limit - 13]}-{digest}"


def web_url(value: object) -> str | None:
    """An article's URL if it is an http(s) address, else None.

    A ``javascript:`` or ``data:`` "link" in a feed or a record would otherwise be shown
    as the article's link; nothing but the web's own schemes is kept.
    """
    if not isinstance(value, str):
        return None
    url = value.strip()
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    return url if scheme in ("http", "https") and url[len(scheme) :].startswith("://") else None


def human_size(n: int) -> str:
    """``5_000_000`` -> ``"5 MB"``: sizes in messages people read."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def formats_phrase() -> str:
    """The supported formats as a phrase for 'what to do' hints."""
    return ", ".join(SUPPORTED_FORMATS)


@dataclass(frozen=True)
class Input:
    """One thing to read: a file, or standard input when ``path`` is ``None``."""

    source: str  # how messages and Article.source_path name it
    stem: str  # the default article id
    path: str | None  # None means standard input


# --------------------------------------------------------------------------- expansion


def expand(paths: Iterable[str]) -> Iterator[Input | ReadError]:
    """Each path as files to read, in a stable order, or a reason it gives none."""
    if isinstance(paths, str | bytes):  # a lone path would otherwise be read letter by letter
        paths = [os.fsdecode(paths)]
    for raw in paths:
        path = os.fsdecode(raw)
        if path == STDIN:
            yield Input(source=STDIN_SOURCE, stem="stdin", path=None)
        elif os.path.lexists(path):
            yield from _expand_existing(path)
        elif _GLOB_CHARS.search(path):
            yield from _expand_glob(path)
        else:
            yield ReadError(path, "no such file or directory; check the path")


def _expand_glob(pattern: str) -> Iterator[Input | ReadError]:
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        yield ReadError(pattern, "the glob matched no files; check the pattern")
        return
    for match in matches:
        yield from _expand_existing(match)


def _expand_existing(path: str) -> Iterator[Input | ReadError]:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        yield ReadError(path, "broken symlink (its target does not exist); fix or remove the link")
        return
    except OSError as exc:
        yield _os_error(path, exc)
        return
    if stat.S_ISDIR(info.st_mode):
        found = False
        for item in _walk(path, ancestors=(), seen=set()):
            found = True
            yield item
        if not found:
            yield ReadError(path, "an empty directory (no files; hidden names are skipped); nothing to read")
    else:
        # A named FIFO or device (``<(cat a.txt)``) is read like a file, up to the size limit
        # (a FIFO nobody writes into is refused after a wait: see _read_pipe).
        yield Input(source=path, stem=Path(path).stem or "article", path=path)


def _walk(
    directory: str, ancestors: tuple[tuple[int, int], ...], seen: set[tuple[int, int]]
) -> Iterator[Input | ReadError]:
    """Files under ``directory``, sorted, hidden names skipped, each directory once.

    ``ancestors`` catches symlinks that point back up (a loop, reported); ``seen``
    skips a directory reached a second time through another link (not an error).
    """
    try:
        info = os.stat(directory)
    except OSError as exc:
        yield _os_error(directory, exc)
        return
    key = (info.st_dev, info.st_ino)
    if key in ancestors:
        yield ReadError(directory, "symlink loop (it leads back to a parent directory); skipped")
        return
    if key in seen:
        return
    seen.add(key)
    try:
        with os.scandir(directory) as it:
            names = sorted(entry.name for entry in it if not entry.name.startswith("."))
    except OSError as exc:
        yield _os_error(directory, exc)
        return
    for name in names:
        child = os.path.join(directory, name)
        try:
            child_info = os.stat(child)
        except FileNotFoundError:
            yield ReadError(child, "broken symlink (its target does not exist); fix or remove the link")
            continue
        except OSError as exc:
            yield _os_error(child, exc)
            continue
        if stat.S_ISDIR(child_info.st_mode):
            yield from _walk(child, ancestors + (key,), seen)
        elif stat.S_ISREG(child_info.st_mode):
            yield Input(source=child, stem=Path(child).stem or "article", path=child)
        else:
            yield ReadError(child, "not a regular file (a socket, FIFO or device); skipped")


def _os_error(path: str, exc: OSError) -> ReadError:
    if isinstance(exc, PermissionError):
        return ReadError(path, "permission denied; check the file's permissions")
    if exc.errno == errno.ELOOP:  # a symlink that points to itself
        return ReadError(path, "symlink loop; fix or remove the link")
    reason = exc.strerror or type(exc).__name__
    return ReadError(path, one_line(f"could not be read ({reason}); check the path"))


# --------------------------------------------------------------------------- loading


def load(item: Input, *, max_bytes: int, stdin: BinaryIO | None = None) -> bytes | ReadError:
    """The bytes of one input, never more than ``max_bytes`` (larger inputs are refused)."""
    too_large = ReadError(
        item.source,
        f"larger than {human_size(max_bytes)} (max_bytes={max_bytes}); split it or raise the limit",
    )
    try:
        if item.path is None:
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(max_bytes + 1)
        elif stat.S_ISFIFO(os.stat(item.path).st_mode):
            data = _read_pipe(item, max_bytes)
            if isinstance(data, ReadError):
                return data
        else:
            if os.path.isfile(item.path) and os.path.getsize(item.path) > max_bytes:
                return too_large
            with open(item.path, "rb") as handle:
                data = handle.read(max_bytes + 1)
    except IsADirectoryError:
        return ReadError(item.source, "is a directory that could not be listed; check the path")
    except OSError as exc:
        return _os_error(item.source, exc)
    except (ValueError, AttributeError):  # stdin closed or not a byte stream
        return ReadError(item.source, "standard input could not be read; pipe a file into it")
    if len(data) > max_bytes:
        return too_large
    return data


#: Seconds to wait for a program to start writing into a named pipe given by name.
PIPE_WAIT = 3.0


def _read_pipe(item: Input, max_bytes: int) -> bytes | ReadError:
    """A named pipe's bytes, if a program writes into it; never a hang on one nobody opens.

    Opening a FIFO for reading blocks until a writer comes, and a writer may never come
    (``mkfifo p; marsad ingest p``). It is opened without blocking instead: a pipe with
    a writer (``<(zcat feed.xml.gz)``) is then read as usual; one that has had no writer
    for ``PIPE_WAIT`` seconds is refused with a reason.
    """
    assert item.path is not None
    fd = os.open(item.path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        deadline = time.monotonic() + PIPE_WAIT
        first, writer = b"", False
        while not writer:
            try:
                first = os.read(fd, 65536)
            except BlockingIOError:  # a writer holds it open: it is just slow
                writer = True
                break
            writer = bool(first)
            if writer or time.monotonic() >= deadline:
                break
            time.sleep(0.05)  # EOF with no data: no writer (yet)
        if not writer:
            return ReadError(
                item.source,
                f"a named pipe that no program wrote into within {PIPE_WAIT:g} s; skipped "
                "(start the writer first, or pipe into - instead)",
            )
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            return first + handle.read(max_bytes + 1 - len(first))
    finally:
        if fd >= 0:
            os.close(fd)


# --------------------------------------------------------------------------- sniffing


def format_of(path: str, head: bytes) -> str:
    """The format to read ``path`` as: its extension if marsad knows it, else its content."""
    known = FORMAT_BY_EXTENSION.get(Path(path).suffix.lower()) if path not in (STDIN, STDIN_SOURCE) else None
    return known or sniff(head)


def sniff(head: bytes) -> str:
    """Guess a format from the first bytes: markup, JSON, or else text."""
    for bom, _ in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            if bom != b"\xef\xbb\xbf":
                return "text"  # UTF-16/32: only the text reader decodes those
            break
    start = head.lstrip()[:512].lower()
    if start.startswith((b"{", b"[")):
        return "jsonl"
    if start.startswith((b"<!doctype html", b"<html")):
        return "html"
    if start.startswith(b"<"):
        if re.search(rb"<(rss|feed|rdf:rdf)\b", start):
            return "feed"
        if re.search(rb"<(html|head|body|div|p|article)\b", start):
            return "html"
        if start.startswith(b"<?xml"):
            return "feed"
    return "text"


# --------------------------------------------------------------------------- checking


def binary_kind(data: bytes) -> str | None:
    """What binary data looks like ("a PNG image"), or ``None`` if it may be text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    if b"\x00" in data[:65536]:
        return "NUL bytes"
    return None


def precheck(source: str, data: bytes) -> ReadError | None:
    """The checks every format shares before decoding: empty, blank, binary."""
    if not data:
        return ReadError(source, "empty file (0 bytes); give a file with article text")
    kind = binary_kind(data)
    if kind:
        return ReadError(source, f"binary data ({kind}), not text; give one of: {formats_phrase()}")
    if not data.strip():
        return ReadError(source, "only whitespace, no text; give a file with article text")
    return None


def decode(source: str, data: bytes) -> str | ReadError:
    """Text from bytes: UTF-8 (or a BOM's charset), else a charset detected with confidence."""
    problem = precheck(source, data)
    if problem is not None:
        return problem
    text = _decode(data)
    if text is None:
        return ReadError(source, NOT_UTF8)
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 20):
        return ReadError(
            source, f"binary data (control characters), not text; give one of: {formats_phrase()}"
        )
    if not text.strip():
        return ReadError(source, "only whitespace, no text; give a file with article text")
    return text


def _decode(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    import charset_normalizer  # imported late: only non-UTF-8 input pays for it

    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    # Confident: little mess, and the letters look like some language. Short junk such as
    # b"\x81\x8d\x8f" decodes in many code pages with no language at all, and is refused.
    if best is None or best.percent_chaos > 10.0 or best.percent_coherence < 10.0:
        return None
    # Western text often fits cp1250 as well as cp1252 ("près" vs "prčs"); cp1252 is by far
    # the likelier in news archives, so it wins a near tie.
    for match in matches:
        if (
            match.encoding == "cp1252"
            and match.percent_chaos <= best.percent_chaos + 0.5
            and match.percent_coherence >= best.percent_coherence - 10.0
        ):
            return str(match)
    return str(best)
