"""Use cases of attendance: a participant's availability (with the defaults until they
declare it), check-in, the calendar token, and their agenda and calendar feed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from boyin_scheduling.access import require_staff
from boyin_scheduling.attendance.agenda import AgendaItem, agenda, agenda_ics
from boyin_scheduling.attendance.domain import (
    Attendance,
    Availability,
    attendance_id,
    check_availability,
    default_availability,
)
from boyin_scheduling.attendance.repository import Attendances
from boyin_scheduling.consultations.repository import Consultations
from boyin_scheduling.editions.service import EditionService
from boyin_scheduling.meetings.repository import Meetings
from boyin_scheduling.mutations import with_events, without_events
from boyin_scheduling.parties.domain import PartyInfo
from boyin_scheduling.parties.service import PartyService
from boyin_scheduling.rules import refuse
from boyin_scheduling.sessions.repository import Sessions
from boyin_shared.api.scheduling import EditionStatus
from boyin_shared.clock import utcnow
from boyin_shared.errors import not_found
from boyin_shared.identity import Actor
from boyin_shared.store import AlreadyExists


@dataclass(frozen=True)
class CalendarFile:
    """An agenda as an iCalendar file."""

    filename: str
    data: bytes


@dataclass
class AttendanceService:
    attendances: Attendances
    editions: EditionService
    parties: PartyService
    #: an agenda lists the participant's sessions, meetings and consultations
    sessions: Sessions
    meetings: Meetings
    #: tells the planner that something a timetable depends on changed
    kick: Callable[[], None]
    consultations: Consultations | None = None
    clock: Callable[[], datetime] = utcnow

    async def attendance(
        self, actor: Actor, edition_id: str, party_id: str | None = None
    ) -> Attendance:
        """The participant's attendance (created with the defaults on first sight)."""
        party = await self.parties.acting(actor, party_id)
        edition = await self.editions.edition(actor, edition_id)
        loaded = await self.attendances.get(attendance_id(edition.id, party.id))
        if loaded is not None:
            return loaded.aggregate
        fresh = Attendance.new(
            edition.id,
            party.id,
            party.kind,
            default_availability(party.kind, party.timezone, party.country),
        )
        try:
            await self.attendances.add(fresh)
            return fresh
        except AlreadyExists:
            again = await self.attendances.get(fresh.id)
            assert again is not None
            return again.aggregate

    async def availability(self, edition_id: str, party: PartyInfo) -> Availability:
        """What ``party`` declared for the edition, or the default."""
        att = await self.attendances.get(attendance_id(edition_id, party.id))
        declared = att.aggregate.availability if att is not None else None
        return declared or default_availability(party.kind, party.timezone, party.country)

    async def declare(
        self, actor: Actor, edition_id: str, availability: Availability, party_id: str | None = None
    ) -> Attendance:
        current = await self.attendance(actor, edition_id, party_id)
        edition = await self.editions.load(edition_id)
        if edition.status is EditionStatus.CLOSED:
            raise refuse("EDITION_CLOSED", "该届展会已结束", "the edition is closed")
        check_availability(availability, edition.starts(), edition.ends(), current.kind)
        changed = await self.attendances.change(
            current.id, lambda a: without_events(a.declare(availability))
        )
        assert changed is not None
        self.kick()
        return changed

    async def rotate_calendar(self, actor: Actor, edition_id: str) -> Attendance:
        current = await self.attendance(actor, edition_id)
        changed = await self.attendances.change(
            current.id, lambda a: without_events(a.rotate_calendar_token())
        )
        assert changed is not None
        return changed

    async def check_in(self, actor: Actor, token: str) -> Attendance:
        require_staff(actor)
        found = await self.attendances.by_token("checkin_token", token)
        if found is None:
            raise not_found("check-in code", "…", zh_kind="签到码")
        edition = await self.editions.load(found.edition_id)
        now = self.clock()
        opens, closes = edition.starts(), edition.ends()
        changed = await self.attendances.change(
            found.id, lambda a: with_events(a.check_in(now, opens, closes))
        )
        assert changed is not None
        return changed

    # -- agendas -------------------------------------------------------------------

    async def agenda(
        self, actor: Actor, edition_id: str, party_id: str | None = None
    ) -> list[AgendaItem]:
        """The caller's sessions, meetings and consultations in time order (staff:
        anyone's)."""
        return await self._items(await self.attendance(actor, edition_id, party_id))

    async def calendar(self, actor: Actor, edition_id: str) -> CalendarFile:
        """The caller's agenda as an iCalendar file."""
        return await self._ics(actor, await self.attendance(actor, edition_id))

    async def feed(self, actor: Actor, token: str) -> CalendarFile:
        """The subscribable feed: the secret token is the only credential."""
        found = await self.attendances.by_token("calendar_token", token)
        if found is None:
            raise not_found("calendar", "…", zh_kind="日历")
        return await self._ics(actor, found)

    async def _items(self, attendance: Attendance) -> list[AgendaItem]:
        sessions = await self.sessions.of_party(attendance.edition_id, attendance.party_id)
        meetings = await self.meetings.of_party(
            attendance.party_id, attendance.edition_id, limit=1000
        )
        others = {p for m in meetings for p in m.parties}
        parties = await self.parties.many(sorted(others))
        edition = await self.editions.load(attendance.edition_id)
        consultations = (
            await self.consultations.of_party(attendance.edition_id, attendance.party_id)
            if self.consultations is not None
            else []
        )
        return agenda(
            attendance.party_id, sessions, meetings, parties, edition.plan.rooms, consultations
        )

    async def _ics(self, actor: Actor, attendance: Attendance) -> CalendarFile:
        edition = await self.editions.edition(actor, attendance.edition_id)
        party = await self.parties.find(attendance.party_id)
        who = party.name.best() if party else attendance.party_id
        data = agenda_ics(
            edition,
            await self._items(attendance),
            attendance.availability.timezone,
            now=self.clock(),
            name=f"{edition.plan.name.best()} — {who}",
        )
        return CalendarFile(f"{edition.id}.ics", data)
