"""The mentors' aggregated screening of a demand, as the registry keeps it beside the
demand for its reviewers and owner (pure): never the individual reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CriterionResult:
    criterion: str
    mean: float
    spread: int


@dataclass(frozen=True)
class ScreeningResult:
    demand_id: str
    reviews: int
    criteria: tuple[CriterionResult, ...]
    total_mean: float
    total_spread: int
    #: the total's mean on a 0–100 scale
    score: int
    #: when the mentors service aggregated it (a later one replaces an earlier)
    aggregated_at: datetime
