"""The pool: what matching knows of the registry (a projection fed by its events).

Registered parties that can be matched (counterparts), how many organisations each
district has, and the published demands as the ranking reads them (``Profile``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from boyin_matching.ranking.profiles import Profile
from boyin_shared.contracts.registry import DemandSnapshot

#: how many matches a demand can take on when it does not say (positions, for a job)
DEFAULT_CAPACITY = 10


@dataclass(frozen=True)
class Counterpart:
    """A registered party that can be matched: an organisation or a talent."""

    id: str
    kind: str  # "organisation" | "talent"
    name_zh: str | None
    name_en: str | None
    district_code: str | None
    taxonomy_codes: tuple[str, ...]
    revision: int
    degree: str | None = None


@dataclass(frozen=True)
class DistrictSupply:
    """How many organisations of a district are in the pool (for exposure balancing)."""

    id: str  # district code
    organisations: int

    def plus_one(self) -> DistrictSupply:
        return replace(self, organisations=self.organisations + 1)


def on_shelf(snapshot: DemandSnapshot) -> bool:
    """Whether a demand in this state is matched (published), or leaves the pool."""
    return snapshot.status == "PUBLISHED"


def _text(value: str | None) -> str | None:
    return value or None


def profile_of(snapshot: DemandSnapshot, degree: str | None) -> Profile:
    """A published demand as the ranking reads it (``degree``: its talent's, if any)."""
    d = snapshot
    positions = d.details.get("positions")
    capacity = positions if isinstance(positions, int) and positions > 0 else DEFAULT_CAPACITY
    return Profile(
        demand_id=d.demand_id,
        channel=d.channel,
        owner_kind=d.owner_kind,
        owner_id=d.owner_id,
        district_code=d.district_code,
        language=d.language,
        title_zh=_text(d.title.zh),
        title_en=_text(d.title.en),
        description_zh=_text(d.description.zh),
        description_en=_text(d.description.en),
        keywords=d.keywords,
        taxonomy_codes=d.taxonomy_codes,
        details=dict(d.details),
        editions=d.editions,
        criteria=frozenset(c.criterion for c in d.claims if c.review == "CONFIRMED"),
        revision=d.revision,
        capacity=capacity,
        degree=degree,
    )
