"""A consultation as scheduling keeps it (pure): whose time it takes, when, at which
edition, with which mentor, how (on site or online, the link), its status (a cancelled
one takes no time) and its revision (the mentors service's sequence)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class Consultation:
    id: str
    edition_id: str
    party_id: str
    start: datetime
    end: datetime
    status: str
    revision: int
    mentor_id: str | None = None
    mode: str = "ON_SITE"
    online_link: str | None = None

    @property
    def takes_time(self) -> bool:
        """A cancelled consultation frees the talent's time."""
        return self.status != CANCELLED
