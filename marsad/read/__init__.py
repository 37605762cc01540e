"""The read stage: any input -> :class:`~marsad.model.Article` or :class:`~marsad.model.ReadError`.

Paths may be files, directories (read recursively, sorted, hidden names skipped), globs
or ``-`` for standard input. Each file goes to the first reader whose ``can_read``
accepts it (extension first, then a sniff of its first bytes): ``text``, ``html``,
``jsonl`` (JSON and JSON Lines) or ``feed`` (RSS/Atom). Bad input never raises: it
becomes a ReadError with a one-line reason, and the run goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from marsad.model import Article, ReadError
from marsad.read import feed, html, jsonl, sources, text
from marsad.read.sources import SUPPORTED_FORMATS
from marsad.read.text import read_text

__all__ = ["SUPPORTED_FORMATS", "read_paths", "read_text"]

#: Tried in order; ``text`` last, as it takes whatever the others do not.
_READERS = (feed, html, jsonl, text)


def read_paths(
    paths: Iterable[str], *, publish_date: date | None = None, max_bytes: int = 5_000_000
) -> Iterator[Article | ReadError]:
    """Articles from every path, in order, with a ReadError for each input that gives none.

    ``publish_date`` overrides the date of every article (for corpora whose dates are
    known from elsewhere); ``max_bytes`` refuses larger files before reading them.
    """
    for item in sources.expand(paths):
        if isinstance(item, ReadError):
            yield item
            continue
        data = sources.load(item, max_bytes=max_bytes)
        if isinstance(data, ReadError):
            yield data
            continue
        head = data[: sources.HEAD_BYTES]
        name = item.path if item.path is not None else sources.STDIN
        reader = next((r for r in _READERS if r.can_read(name, head)), text)
        try:
            yield from reader.read(item.source, data, stem=item.stem, publish_date=publish_date)
        except Exception as exc:  # a reader bug must cost one input, not the run
            detail = sources.one_line(f"{type(exc).__name__}: {exc}")[:200]
            yield ReadError(
                item.source, f"could not be read ({detail}); this is a bug in marsad, please report it"
            )
