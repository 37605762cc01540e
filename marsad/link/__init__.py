"""link: reports of one event from many sources become one event, with every claim kept.

``link_reports`` links a batch; ``Linker`` (and ``relink``, which the store uses) links
incrementally with the same result. See docs/linking.md for the rules.
"""

from marsad.link.cluster import LinkedEvent
from marsad.link.linker import Linker, link_reports, relink
from marsad.link.report import Report

__all__ = ["LinkedEvent", "Linker", "Report", "link_reports", "relink"]
