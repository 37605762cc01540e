"""marsad: an open-source conflict observatory.

``import marsad`` stays light: ``marsad.open`` loads the store (SQLAlchemy) on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "open"]

if TYPE_CHECKING:
    from marsad.api import open


def __getattr__(name: str) -> Any:
    if name == "open":
        from marsad.api import open

        return open
    raise AttributeError(f"module 'marsad' has no attribute {name!r}")
