"""What an ingest did, for the closing summary, the exit code and scripts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from marsad.model import ReadError


@dataclass
class IngestSummary:
    """Counts of one ingest; ``rejected`` keeps each bad input with its reason."""

    read: int = 0  # articles the readers produced
    duplicates: int = 0  # texts already stored by this or a newer extractor: skipped
    rejected: list[ReadError] = field(default_factory=list)
    articles: int = 0  # articles written: new texts, new versions and re-extractions
    new_versions: int = 0  # corrected texts that replaced an earlier version of a document
    reextracted: int = 0  # stored texts whose reports a newer extractor replaced
    reports: int = 0
    events: int = 0  # distinct events the stored reports are in after linking
    linked: int = 0  # stored reports that joined an event other articles also report
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 when every input was used, 1 when some were rejected (docs/events.md)."""
        return 1 if self.rejected else 0

    def merge(self, other: IngestSummary) -> None:
        """Add another summary's counts (e.g. one batch) to this one."""
        names = (
            "read",
            "duplicates",
            "articles",
            "new_versions",
            "reextracted",
            "reports",
            "events",
            "linked",
        )
        for name in names:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.rejected.extend(other.rejected)
        self.seconds += other.seconds

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["rejected"] = [{"source": r.source, "reason": r.reason} for r in self.rejected]
        d["seconds"] = round(self.seconds, 3)
        return d

    def __str__(self) -> str:
        parts = [
            f"read {self.read}",
            f"duplicates skipped {self.duplicates}",
            f"rejected {len(self.rejected)}",
            f"stored {self.articles} articles ({self.new_versions} new versions, "
            f"{self.reextracted} re-extracted), {self.reports} reports, {self.events} events "
            f"({self.linked} reports linked with other sources)",
            f"{self.seconds:.1f} s",
        ]
        return "; ".join(parts)
