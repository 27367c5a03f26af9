"""What scheduling knows of a registered talent or organisation (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_scheduling.rules import Text


@dataclass(frozen=True)
class PartyInfo:
    """What scheduling knows of a registered talent or organisation (from registry events)."""

    id: str
    kind: str  # "talent" | "organisation"
    name: Text
    timezone: str | None = None
    country: str | None = None
    revision: int = 0
