"""Use cases of editions: who may see and change an edition, loading and saving it with
its events. A change to the grid kicks the planner (``kick``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from boyin_scheduling.access import require_staff
from boyin_scheduling.editions.domain import Edition, EditionPlan, check_plan
from boyin_scheduling.editions.repository import Editions
from boyin_scheduling.mutations import with_events, without_events
from boyin_shared.api.scheduling import EditionStatus
from boyin_shared.clock import new_id
from boyin_shared.errors import not_found
from boyin_shared.events import Event
from boyin_shared.identity import Actor


@dataclass
class EditionService:
    editions: Editions
    #: tells the planner that something a timetable depends on changed
    kick: Callable[[], None]

    async def load(self, edition_id: str) -> Edition:
        """The edition in any state (for the other features' use cases)."""
        loaded = await self.editions.get(edition_id)
        if loaded is None:
            raise not_found("edition", edition_id, zh_kind="展会")
        return loaded.aggregate

    async def edition(self, actor: Actor, edition_id: str) -> Edition:
        """The edition as ``actor`` may see it (a draft is staff's only)."""
        edition = await self.load(edition_id)
        if edition.status is EditionStatus.DRAFT and not actor.is_staff:
            raise not_found("edition", edition_id, zh_kind="展会")
        return edition

    async def listed(self, actor: Actor) -> list[Edition]:
        statuses = [
            s.value for s in EditionStatus if actor.is_staff or s is not EditionStatus.DRAFT
        ]
        return await self.editions.listed(statuses)

    async def next_open(self, now: datetime) -> Edition | None:
        """The open edition that ends first among those not over yet (the next fair)."""
        editions = [
            e for e in await self.editions.listed([EditionStatus.OPEN.value]) if e.ends() > now
        ]
        return min(editions, key=lambda e: e.plan.last_day, default=None)

    async def create(self, actor: Actor, plan: EditionPlan) -> Edition:
        require_staff(actor)
        check_plan(plan)
        edition = Edition(id=new_id("ed_"), plan=plan)
        await self.editions.add(edition)
        return edition

    async def edit(self, actor: Actor, edition_id: str, plan: EditionPlan) -> Edition:
        require_staff(actor)
        edition = await self.change(edition_id, lambda e: without_events(e.edit(plan)))
        self.kick()
        return edition

    async def open(self, actor: Actor, edition_id: str) -> Edition:
        require_staff(actor)
        return await self.change(edition_id, lambda e: with_events(e.open()))

    async def close(self, actor: Actor, edition_id: str) -> Edition:
        require_staff(actor)
        return await self.change(edition_id, lambda e: with_events(e.close()))

    async def change(
        self, edition_id: str, mutate: Callable[[Edition], Awaitable[tuple[Edition, list[Event]]]]
    ) -> Edition:
        """Load, change and save the edition (retrying a concurrent write)."""
        changed = await self.editions.change(edition_id, mutate)
        if changed is None:
            raise not_found("edition", edition_id, zh_kind="展会")
        return changed
