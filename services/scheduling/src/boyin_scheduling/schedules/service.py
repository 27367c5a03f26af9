"""Use cases of schedules, for staff: solve a draft, review it, publish it, repair the
published timetable now. The work itself is the planner's (``planner.Planner``)."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_scheduling.access import require_staff
from boyin_scheduling.schedules.domain import Schedule, Timetable
from boyin_scheduling.schedules.planner import Planner
from boyin_scheduling.schedules.solving import SolveOptions
from boyin_shared.errors import not_found
from boyin_shared.identity import Actor


@dataclass
class ScheduleService:
    planner: Planner

    async def solve(self, actor: Actor, edition_id: str, options: SolveOptions) -> Schedule:
        """Start computing a draft in the background."""
        require_staff(actor)
        return await self.planner.start_solve(edition_id, options)

    async def schedule(self, actor: Actor, edition_id: str) -> Schedule:
        require_staff(actor)
        return await self.planner.schedule(edition_id)

    async def timetable(self, actor: Actor, edition_id: str, which: str) -> Timetable:
        """The ``draft`` or the ``published`` timetable."""
        require_staff(actor)
        s = await self.planner.schedule(edition_id)
        table = {"draft": s.draft, "published": s.published}.get(which)
        if table is None:
            raise not_found("timetable", which, zh_kind="排程")
        return table

    async def publish(self, actor: Actor, edition_id: str) -> Schedule:
        require_staff(actor)
        return await self.planner.publish(edition_id)

    async def repair(self, actor: Actor, edition_id: str, *, move_placed: bool) -> Schedule:
        """Repair the published timetable now and tell every meeting its place."""
        require_staff(actor)
        await self.planner.reconcile(edition_id, move_placed=move_placed, force=True)
        while await self.planner.catch_up(edition_id):
            pass
        return await self.planner.schedule(edition_id)
