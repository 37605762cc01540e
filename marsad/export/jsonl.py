"""JSONL: one EVENT object per line, the default export and the reproducibility check."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any


def dumps(event: dict[str, Any]) -> str:
    """One line, keys in EVENT order, UTF-8 kept readable (Arabic names stay Arabic)."""
    return json.dumps(event, ensure_ascii=False, allow_nan=False)


def write_jsonl(events: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """Write events one per line; returns how many."""
    n = 0
    for event in events:
        out.write(dumps(event) + "\n")
        n += 1
    return n
