"""Use cases of editions: who may see and change an edition, loading and saving it with
its events. A change to the grid kicks the planner (``kick``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from boyin_scheduling.access import require_staff
from boyin_scheduling.editions.domain import Edition, EditionPlan, check_plan, for_match
from boyin_scheduling.editions.repository import Editions
from boyin_scheduling.mutations import with_events, without_events
from boyin_scheduling.rules import error
from boyin_shared.api.scheduling import EditionStatus
from boyin_shared.clock import new_id
from boyin_shared.errors import invalid, not_found
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

    async def for_match(self, codes: Sequence[str], now: datetime) -> Edition | None:
        """Where a mutual match naming the edition ``codes`` meets (``domain.for_match``)."""
        live = [EditionStatus.DRAFT.value, EditionStatus.OPEN.value]
        return for_match(await self.editions.listed(live), codes, now)

    async def _check_code(self, plan: EditionPlan, edition_id: str | None) -> None:
        """One edition per registry edition code (it says where demands' meetings go)."""
        if plan.code is None:
            return
        every = await self.editions.listed([s.value for s in EditionStatus])
        other = next((e for e in every if e.plan.code == plan.code and e.id != edition_id), None)
        if other is not None:
            raise invalid(
                [
                    error(
                        "code",
                        "EDITION_CODE_TAKEN",
                        f"届次代码 {plan.code} 已用于展会 {other.id}",
                        f"edition code {plan.code} belongs to edition {other.id}",
                    )
                ]
            )

    async def create(self, actor: Actor, plan: EditionPlan) -> Edition:
        require_staff(actor)
        check_plan(plan)
        await self._check_code(plan, None)
        edition = Edition(id=new_id("ed_"), plan=plan)
        await self.editions.add(edition)
        return edition

    async def edit(self, actor: Actor, edition_id: str, plan: EditionPlan) -> Edition:
        require_staff(actor)
        await self._check_code(plan, edition_id)
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
