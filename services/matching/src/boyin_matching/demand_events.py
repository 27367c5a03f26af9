"""From the registry's demand events to matching's profiles."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_matching.engine import Engine
from boyin_matching.ranking.profiles import Profile
from boyin_matching.readmodel import Counterparts
from boyin_shared.bus import Handler
from boyin_shared.contracts.registry import (
    DemandExpired,
    DemandPublished,
    DemandRejected,
    DemandReturned,
    DemandSnapshot,
    DemandSubmitted,
    DemandUpdated,
    DemandWithdrawn,
    TaxonomyChanged,
)
from boyin_shared.events import Event

DEFAULT_CAPACITY = 10


def _text(value: str | None) -> str | None:
    return value or None


async def profile_of(snapshot: DemandSnapshot, counterparts: Counterparts) -> Profile:
    d = snapshot
    degree = None
    if d.owner_kind == "talent":
        talent = await counterparts.get(d.owner_id)
        degree = talent.aggregate.degree if talent is not None else None
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


@dataclass
class DemandProjection:
    engine: Engine
    counterparts: Counterparts

    async def on_demand(self, event: Event) -> None:
        assert isinstance(
            event,
            DemandPublished
            | DemandUpdated
            | DemandSubmitted
            | DemandReturned
            | DemandRejected
            | DemandWithdrawn
            | DemandExpired,
        )
        snapshot = event.data.demand
        if snapshot.status == "PUBLISHED":
            await self.engine.published(await profile_of(snapshot, self.counterparts))
        else:
            await self.engine.removed(snapshot.demand_id, snapshot.revision)

    async def on_taxonomy(self, event: TaxonomyChanged) -> None:
        d = event.data
        name_zh = d.name.zh or d.code
        name_en = d.name.en or d.code
        await self.engine.set_taxonomy(d.code, d.parent, name_zh, name_en, d.version)

    def handlers(self) -> dict[type[Event], Handler]:
        demand_events: tuple[type[Event], ...] = (
            DemandPublished,
            DemandUpdated,
            DemandSubmitted,
            DemandReturned,
            DemandRejected,
            DemandWithdrawn,
            DemandExpired,
        )
        out: dict[type[Event], Handler] = dict.fromkeys(demand_events, self.on_demand)
        out[TaxonomyChanged] = self.on_taxonomy
        return out
