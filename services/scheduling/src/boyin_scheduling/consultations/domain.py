"""A consultation as scheduling keeps it (pure): whose time it takes, when, at which
edition, and its revision (the mentors service's sequence)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Consultation:
    id: str
    edition_id: str
    party_id: str
    start: datetime
    end: datetime
    status: str
    revision: int
