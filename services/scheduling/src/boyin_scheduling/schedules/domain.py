"""An edition's timetables: the draft an operator reviews, and the published one.

Publishing makes the draft version ``version + 1``; a repair after publication (a meeting
added or cancelled) publishes the next version directly, moving nobody who was placed.
Each meeting then catches up with the published version on its own (``Meeting.placed``),
so publishing is one write and a crash halfway through the catch-up resumes it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from boyin_scheduling.rules import refuse
from boyin_shared.api.scheduling import JobState
from boyin_shared.contracts.scheduling import SchedulePublished, ScheduleRelease
from boyin_shared.errors import Message
from boyin_shared.events import Event


@dataclass(frozen=True)
class Placed:
    meeting_id: str
    slot_id: str
    table: int | None


@dataclass(frozen=True)
class Timetable:
    placements: tuple[Placed, ...]
    #: accepted meetings without a place, with the reason where one is known
    unscheduled: tuple[str, ...] = ()
    reasons: dict[str, Message] = field(default_factory=dict)
    objective: int = 0
    #: a proven upper bound on the objective (the LP's; None: not computed)
    bound: float | None = None
    greedy_objective: int | None = None
    #: the path that produced it: lp-integral, lp-rounded+cpsat, greedy+cpsat, greedy, repair
    solver: str = "greedy"
    seconds: float = 0.0
    computed_at: datetime | None = None
    #: the validator's verdict on this timetable against the instance it was made for
    violations: int = 0
    #: digest of the inputs (meetings, availability, sessions, grid) it was made for
    fingerprint: str = ""

    @property
    def gap(self) -> float | None:
        """(bound − objective) / bound: 0 is proven optimal; above 0, the distance to a
        bound (the optimum lies between the objective and the bound)."""
        if self.bound is None:
            return None
        if self.bound <= 0:
            return 0.0
        return round(max(0.0, (self.bound - self.objective) / self.bound), 8)

    def by_meeting(self) -> dict[str, Placed]:
        return {p.meeting_id: p for p in self.placements}


@dataclass(frozen=True)
class SolveProgress:
    """Where a solve stands: its phase, the best objective so far, the best proven bound."""

    phase: str
    incumbent: int | None
    bound: int | None
    updated_at: datetime

    @property
    def gap(self) -> float | None:
        if self.incumbent is None or self.bound is None:
            return None
        return 0.0 if self.bound <= 0 else max(0.0, (self.bound - self.incumbent) / self.bound)


@dataclass(frozen=True)
class Schedule:
    id: str  # the edition's id
    draft: Timetable | None = None
    published: Timetable | None = None
    version: int = 0
    published_at: datetime | None = None
    job: JobState = "IDLE"
    job_error: str | None = None
    job_started_at: datetime | None = None
    #: the running (or last) solve's phase, incumbent and bound
    progress: SolveProgress | None = None
    #: meetings whose place changed in a published version and that have not caught up yet
    pending: tuple[str, ...] = ()
    revision: int = 1

    def solving(self, now: datetime) -> Schedule:
        return dataclasses.replace(
            self,
            job="RUNNING",
            job_error=None,
            job_started_at=now,
            progress=None,
            revision=self.revision + 1,
        )

    def progressed(self, progress: SolveProgress) -> Schedule:
        """A running solve found a better incumbent or bound, or moved to another phase."""
        if self.job != "RUNNING":
            return self
        return dataclasses.replace(self, progress=progress, revision=self.revision + 1)

    def drafted(self, draft: Timetable) -> Schedule:
        return dataclasses.replace(
            self, draft=draft, job="IDLE", job_error=None, revision=self.revision + 1
        )

    def failed(self, message: str) -> Schedule:
        return dataclasses.replace(
            self, job="FAILED", job_error=message, revision=self.revision + 1
        )

    def publish(self, now: datetime) -> tuple[Schedule, list[Event]]:
        if self.draft is None:
            raise refuse(
                "NO_DRAFT", "还没有可发布的排程草稿", "there is no draft schedule to publish"
            )
        if self.draft.violations:
            raise refuse(
                "DRAFT_INVALID",
                "排程草稿存在冲突，不能发布",
                "the draft schedule has conflicts and cannot be published",
            )
        return self._release(self.draft, now, "solve", draft=None)

    def repaired(self, timetable: Timetable, now: datetime) -> tuple[Schedule, list[Event]]:
        return self._release(timetable, now, "repair", draft=self.draft)

    def _release(
        self,
        timetable: Timetable,
        now: datetime,
        cause: Literal["solve", "repair"],
        *,
        draft: Timetable | None,
    ) -> tuple[Schedule, list[Event]]:
        new = dataclasses.replace(
            self,
            published=timetable,
            draft=draft,
            version=self.version + 1,
            published_at=now,
            pending=tuple(
                dict.fromkeys([*self.pending, *changed_meetings(self.published, timetable)])
            ),
            revision=self.revision + 1,
        )
        event = SchedulePublished.create(
            subject=self.id,
            sequence=new.version,
            data=ScheduleRelease(
                edition_id=self.id,
                version=new.version,
                scheduled=len(timetable.placements),
                unscheduled=len(timetable.unscheduled),
                objective=timetable.objective,
                bound=timetable.bound,
                cause=cause,
            ),
        )
        return new, [event]

    def caught_up(self, meeting_ids: set[str]) -> Schedule:
        return dataclasses.replace(
            self,
            pending=tuple(m for m in self.pending if m not in meeting_ids),
            revision=self.revision + 1,
        )

    def refreshed(self, fingerprint: str) -> Schedule:
        """The published timetable still fits inputs that changed in ways it ignores."""
        assert self.published is not None
        return dataclasses.replace(
            self,
            published=dataclasses.replace(self.published, fingerprint=fingerprint),
            revision=self.revision + 1,
        )


def changed_meetings(before: Timetable | None, after: Timetable) -> list[str]:
    """Meetings placed differently in ``after`` than in ``before`` (added, moved, removed)."""
    old = {p.meeting_id: (p.slot_id, p.table) for p in (before.placements if before else ())}
    new = {p.meeting_id: (p.slot_id, p.table) for p in after.placements}
    return [m for m in dict.fromkeys([*old, *new]) if old.get(m) != new.get(m)]
