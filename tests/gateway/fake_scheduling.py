"""The in-memory fake of the scheduling service (see ``tests/gateway/fakes.py``).

Scheduling's rules, in short: a draft edition (and a draft session) is seen by staff
only; a participant acts for its own party, staff for anyone they name; a meeting is its
two sides' and staff's (others are told it is not found); the invitee (or staff) answers
a request; an outcome is recorded once the meeting has begun. Staff-only operations are
not refused here: the gateway refuses them itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

import httpx

from boyin_gateway.clients import ServiceError
from boyin_gateway.clients.scheduling import MeetingActionIn, ScheduleActionIn
from boyin_shared.api.scheduling import (
    AgendaItemOut,
    AnswerIn,
    AttendanceOut,
    AvailabilityIO,
    EditionOut,
    LinkIn,
    MeetingOut,
    PlacementOut,
    ScheduleOut,
    SessionOut,
    SessionSavedOut,
    SignUpIn,
    SignUpOut,
    SlotOut,
    SolveProgressOut,
    TimetableDetailOut,
)
from boyin_shared.identity import Actor, Role
from tests.gateway.fake_records import (
    FIRST_DAY,
    RegistryData,
    SchedulingData,
    edition,
    meeting,
    new_id,
    refusal,
    session,
    timetable,
)


def _not_found(what: str) -> ServiceError:
    return refusal(404, "NOT_FOUND", f"未找到：{what}", f"not found: {what}")


def _forbidden(en: str = "sign in as a talent or an organisation to do this") -> ServiceError:
    return refusal(403, "FORBIDDEN", "无权执行此操作", en)


class FakeScheduling:
    """:class:`boyin_gateway.clients.Scheduling` in memory."""

    def __init__(
        self,
        data: SchedulingData,
        registry: RegistryData,
        actor: Actor,
        log: Callable[[str, dict[str, Any]], None],
    ) -> None:
        self.data = data
        self.registry = registry
        self.actor = actor
        self.calls = 0
        self._log = log

    def _called(self, method: str, **args: Any) -> None:
        self.calls += 1
        self._log(method, args)

    async def stream(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        self._called("stream", path=path)
        raise _not_found(path)

    # -- who ------------------------------------------------------------------------

    def _kind(self, party_id: str) -> str:
        if party_id in self.registry.organisations:
            return "organisation"
        if party_id in self.registry.talents:
            return "talent"
        raise refusal(422, "VALIDATION_FAILED", "参与方尚未登记", f"no registered party {party_id}")

    def _own(self) -> str:
        if self.actor.party_id is None or self.actor.role is Role.PUBLIC:
            raise _forbidden()
        return self.actor.party_id

    def _acting(self, party_id: str | None) -> str:
        """The caller's own party, or (staff only) the one named."""
        if party_id is not None and party_id != self.actor.party_id:
            if not self.actor.is_staff:
                raise _forbidden()
            self._kind(party_id)
            return party_id
        return self._own()

    # -- editions and sessions -------------------------------------------------------

    def _edition(self, edition_id: str) -> EditionOut:
        found = self.data.editions.get(edition_id)
        if found is None or (found.status == "DRAFT" and not self.actor.is_staff):
            raise _not_found(edition_id)
        return found

    async def editions(self) -> list[EditionOut]:
        self._called("editions")
        return [
            e for e in self.data.editions.values() if self.actor.is_staff or e.status != "DRAFT"
        ]

    async def edition(self, edition_id: str) -> EditionOut:
        self._called("edition", id=edition_id)
        return self._edition(edition_id)

    async def create_edition(self, body: dict[str, Any]) -> EditionOut:
        self._called("create_edition", body=body)
        made = edition(new_id("edi_"), "DRAFT")
        self.data.add(made)
        return made

    async def edit_edition(self, edition_id: str, body: dict[str, Any]) -> EditionOut:
        self._called("edit_edition", id=edition_id, body=body)
        return self._edition(edition_id)

    async def edition_action(self, edition_id: str, action: str) -> EditionOut:
        self._called("edition_action", id=edition_id, action=action)
        found = self._edition(edition_id)
        status = {"open": "OPEN", "close": "CLOSED"}.get(action, found.status)
        changed = found.model_copy(update={"status": status})
        self.data.add(changed)
        return changed

    async def slots(self, edition_id: str) -> list[SlotOut]:
        self._called("slots", edition_id=edition_id)
        self._edition(edition_id)
        start = datetime.combine(FIRST_DAY, time(10), UTC)
        return [SlotOut(id="slot_1", day=FIRST_DAY, start=start, end=start + timedelta(minutes=30))]

    def _session(self, session_id: str) -> SessionOut:
        found = self.data.sessions.get(session_id)
        if found is None or (found.status == "DRAFT" and not self.actor.is_staff):
            raise _not_found(session_id)
        signed = self.data.sign_ups.get(session_id, {})
        mine = signed.get(self.actor.party_id or "")
        return found.model_copy(update={"my_state": mine, "confirmed": len(signed)})

    async def sessions(self, edition_id: str) -> list[SessionOut]:
        self._called("sessions", edition_id=edition_id)
        self._edition(edition_id)
        ids = [s.id for s in self.data.sessions.values() if s.edition_id == edition_id]
        return [s for s in map(self._session_or_none, ids) if s is not None]

    def _session_or_none(self, session_id: str) -> SessionOut | None:
        try:
            return self._session(session_id)
        except ServiceError:
            return None

    async def session(self, session_id: str) -> SessionOut:
        self._called("session", id=session_id)
        return self._session(session_id)

    async def add_session(self, edition_id: str, body: dict[str, Any]) -> SessionSavedOut:
        self._called("add_session", edition_id=edition_id, body=body)
        self._edition(edition_id)
        made = session(new_id("ses_"), edition_id, "DRAFT")
        self.data.add(made)
        return SessionSavedOut.model_validate(made.model_dump())

    async def edit_session(self, session_id: str, body: dict[str, Any]) -> SessionSavedOut:
        self._called("edit_session", id=session_id, body=body)
        return SessionSavedOut.model_validate(self._session(session_id).model_dump())

    async def session_action(
        self, session_id: str, action: str, body: SignUpIn | None = None
    ) -> SessionOut:
        self._called("session_action", id=session_id, action=action, body=body)
        found = self._session(session_id)
        if action == "cancel":
            self.data.add(found.model_copy(update={"status": "CANCELLED"}))
            return self._session(session_id)
        party = self._acting(body.party_id if body else None)
        signed = self.data.sign_ups.setdefault(session_id, {})
        if action == "sign-up":
            signed[party] = "CONFIRMED"
        elif signed.pop(party, None) is None:
            raise refusal(409, "NOT_SIGNED_UP", "未报名", "not signed up")
        return self._session(session_id)

    async def sign_ups(self, session_id: str) -> list[SignUpOut]:
        self._called("sign_ups", id=session_id)
        self._session(session_id)
        signed = self.data.sign_ups.get(session_id, {})
        return [SignUpOut(party_id=p, state=s, at=datetime.now(UTC)) for p, s in signed.items()]

    # -- attendance ------------------------------------------------------------------

    def _attendance(self, edition_id: str, party_id: str | None) -> AttendanceOut:
        party = self._acting(party_id)
        kind = self._kind(party)
        self._edition(edition_id)
        key = (edition_id, party)
        if key not in self.data.attendances:
            self.data.attendances[key] = AttendanceOut(
                edition_id=edition_id,
                party_id=party,
                kind=kind,
                declared=False,
                availability=AvailabilityIO(mode="ON_SITE", timezone="Asia/Shanghai"),
                checked_in_at=None,
                checkin_token=new_id("chk_"),
                calendar_token=new_id("cal_"),
            )
        return self.data.attendances[key]

    async def attendance(self, edition_id: str, party_id: str | None) -> AttendanceOut:
        self._called("attendance", edition_id=edition_id, party_id=party_id)
        return self._attendance(edition_id, party_id)

    async def declare(
        self, edition_id: str, body: dict[str, Any], party_id: str | None
    ) -> AttendanceOut:
        self._called("declare", edition_id=edition_id, body=body, party_id=party_id)
        found = self._attendance(edition_id, party_id)
        availability = AvailabilityIO(mode=body["mode"], timezone=body["timezone"])
        changed = found.model_copy(update={"declared": True, "availability": availability})
        self.data.attendances[(edition_id, found.party_id)] = changed
        return changed

    async def rotate_calendar_token(self, edition_id: str) -> AttendanceOut:
        self._called("rotate_calendar_token", edition_id=edition_id)
        found = self._attendance(edition_id, None)
        changed = found.model_copy(update={"calendar_token": new_id("cal_")})
        self.data.attendances[(edition_id, found.party_id)] = changed
        return changed

    async def check_in(self, token: str) -> AttendanceOut:
        self._called("check_in", token=token)
        for key, found in self.data.attendances.items():
            if found.checkin_token == token:
                changed = found.model_copy(update={"checked_in_at": datetime.now(UTC)})
                self.data.attendances[key] = changed
                return changed
        raise _not_found(token)

    # -- meetings --------------------------------------------------------------------

    def _meeting(self, meeting_id: str) -> MeetingOut:
        found = self.data.meetings.get(meeting_id)
        sides = (found.requester_id, found.invitee_id) if found else ()
        if found is None or not (self.actor.is_staff or self.actor.party_id in sides):
            raise _not_found(meeting_id)
        return found

    async def request_meeting(self, edition_id: str, body: dict[str, Any]) -> MeetingOut:
        self._called("request_meeting", edition_id=edition_id, body=body)
        self._edition(edition_id)
        requester = self._acting(body.get("requester_id"))  # staff name the requester
        invitee = body["invitee_id"]
        made = meeting(
            new_id("mee_"),
            edition_id,
            (requester, self._kind(requester)),
            (invitee, self._kind(invitee)),
        )
        if self.actor.is_staff:
            made = made.model_copy(update={"status": "ACCEPTED", "source": "OPERATOR"})
        self.data.add(made)
        return made

    async def edition_meetings(
        self, edition_id: str, *, status: str | None, after: str | None, limit: int
    ) -> list[MeetingOut]:
        self._called("edition_meetings", edition_id=edition_id, after=after, limit=limit)
        found = [
            m
            for m in sorted(self.data.meetings.values(), key=lambda m: m.id)
            if m.edition_id == edition_id and status in (None, m.status)
        ]
        return [m for m in found if after is None or m.id > after][:limit]

    async def my_meetings(
        self, *, edition_id: str | None, party_id: str | None, after: str | None, limit: int
    ) -> list[MeetingOut]:
        self._called("my_meetings", edition_id=edition_id, party_id=party_id, limit=limit)
        party = self._acting(party_id)
        found = [
            m
            for m in sorted(self.data.meetings.values(), key=lambda m: m.id)
            if party in (m.requester_id, m.invitee_id) and edition_id in (None, m.edition_id)
        ]
        return [m for m in found if after is None or m.id > after][:limit]

    async def meeting(self, meeting_id: str) -> MeetingOut:
        self._called("meeting", id=meeting_id)
        return self._meeting(meeting_id)

    async def meeting_action(
        self, meeting_id: str, action: str, body: MeetingActionIn, *, method: str = "POST"
    ) -> MeetingOut:
        self._called("meeting_action", id=meeting_id, action=action, body=body)
        found = self._meeting(meeting_id)
        if isinstance(body, AnswerIn) and not (
            self.actor.is_staff or self.actor.party_id == found.invitee_id
        ):
            raise _forbidden("only the invitee answers a request")
        if action == "outcome":
            raise refusal(409, "NOT_STARTED", "会面尚未开始", "the meeting has not begun")
        if isinstance(body, AnswerIn):
            update: dict[str, Any] = {"status": "ACCEPTED" if body.accept else "DECLINED"}
        elif isinstance(body, LinkIn):
            update = {"video_link": body.video_link}
        else:
            update = {"status": "CANCELLED"}
        changed = found.model_copy(update=update)
        self.data.add(changed)
        return changed

    # -- the timetable ---------------------------------------------------------------

    def _schedule(self, edition_id: str) -> ScheduleOut:
        self._edition(edition_id)
        draft = self.data.timetables.get((edition_id, "draft"))
        published = self.data.timetables.get((edition_id, "published"))
        return ScheduleOut(
            edition_id=edition_id,
            version=1 if published else 0,
            published_at=None,
            job="IDLE",
            job_error=None,
            progress=SolveProgressOut(
                phase="done",
                incumbent=len(draft.placements),
                bound=len(draft.placements),
                gap=0.0,
                updated_at=datetime(2026, 12, 1, tzinfo=UTC),
            )
            if draft
            else None,
            draft=timetable(len(draft.placements)) if draft else None,
            published=timetable(len(published.placements)) if published else None,
            pending=0,
        )

    async def schedule(self, edition_id: str) -> ScheduleOut:
        self._called("schedule", edition_id=edition_id)
        return self._schedule(edition_id)

    async def timetable(self, edition_id: str, which: str) -> TimetableDetailOut:
        self._called("timetable", edition_id=edition_id, which=which)
        found = self.data.timetables.get((edition_id, which))
        if found is None:
            raise _not_found(which)
        return found

    async def schedule_action(
        self, edition_id: str, action: str, body: ScheduleActionIn | None = None
    ) -> ScheduleOut:
        self._called("schedule_action", edition_id=edition_id, action=action)
        self._edition(edition_id)
        if action == "solve":
            accepted = [
                m
                for m in self.data.meetings.values()
                if m.edition_id == edition_id and m.status == "ACCEPTED"
            ]
            placements = [
                PlacementOut(meeting_id=m.id, slot_id="slot_1", table=None) for m in accepted
            ]
            self.data.timetables[(edition_id, "draft")] = TimetableDetailOut(
                placements=placements, unscheduled=[]
            )
        elif action == "publish":
            draft = self.data.timetables.get((edition_id, "draft"))
            if draft is None:
                raise refusal(409, "NO_DRAFT", "没有草稿", "no draft timetable")
            self.data.timetables[(edition_id, "published")] = draft
        return self._schedule(edition_id)

    # -- agendas ---------------------------------------------------------------------

    async def agenda(self, edition_id: str, party_id: str | None) -> list[AgendaItemOut]:
        self._called("agenda", edition_id=edition_id, party_id=party_id)
        party = self._acting(party_id)
        self._edition(edition_id)
        return [
            AgendaItemOut(
                kind="SESSION",
                id=s.id,
                start=s.start,
                end=s.end,
                title=s.title,
                location=s.room,
                counterpart_id=None,
                state=self.data.sign_ups[s.id][party],
            )
            for s in self.data.sessions.values()
            if s.edition_id == edition_id and party in self.data.sign_ups.get(s.id, {})
        ]
