"""The registry's demand events: a published demand joins the pool and gets its list; one
that leaves the shelf (withdrawn, expired, back in review) leaves the pool, and its
matches are withdrawn."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_matching.lists.service import Lists
from boyin_matching.pool.domain import on_shelf, profile_of
from boyin_matching.pool.service import Parties
from boyin_shared.bus import Handler
from boyin_shared.contracts.registry import (
    DemandExpired,
    DemandPublished,
    DemandRejected,
    DemandReturned,
    DemandSubmitted,
    DemandUpdated,
    DemandWithdrawn,
)
from boyin_shared.events import Event

DEMAND_EVENTS: tuple[type[Event], ...] = (
    DemandPublished,
    DemandUpdated,
    DemandSubmitted,
    DemandReturned,
    DemandRejected,
    DemandWithdrawn,
    DemandExpired,
)


@dataclass
class DemandConsumers:
    lists: Lists
    parties: Parties

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
        if on_shelf(snapshot):
            degree = None
            if snapshot.owner_kind == "talent":
                degree = await self.parties.degree_of(snapshot.owner_id)
            await self.lists.published(profile_of(snapshot, degree))
        else:
            await self.lists.removed(snapshot.demand_id, snapshot.revision)

    def handlers(self) -> dict[type[Event], Handler]:
        return dict.fromkeys(DEMAND_EVENTS, self.on_demand)
