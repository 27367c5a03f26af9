"""The scheduling service's client (:class:`Scheduling`, and :class:`SchedulingClient` over
HTTP): editions, sessions, attendance, meetings, the timetable, agendas."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel, TypeAdapter

from boyin_gateway.clients.base import Downstream, ServiceClient, seg
from boyin_shared.api.scheduling import (
    AgendaItemOut,
    AnswerIn,
    AttendanceOut,
    CancelIn,
    CheckInIn,
    EditionOut,
    LinkIn,
    MeetingOut,
    OutcomeIn,
    RepairIn,
    ScheduleOut,
    SessionOut,
    SessionSavedOut,
    SignUpIn,
    SignUpOut,
    SlotOut,
    SolveIn,
    TimetableDetailOut,
)

#: the body of a meeting's action: ``answer``, ``cancel``, ``video-link`` or ``outcome``
MeetingActionIn = AnswerIn | CancelIn | LinkIn | OutcomeIn
#: the body of a timetable's action: ``solve`` or ``repair`` (``publish`` has none)
ScheduleActionIn = SolveIn | RepairIn


class Scheduling(Downstream, Protocol):
    """The scheduling service as resolvers use it: editions, sessions, attendance, meetings, the timetable."""

    # -- editions --------------------------------------------------------------------

    async def editions(self) -> list[EditionOut]: ...

    async def edition(self, edition_id: str) -> EditionOut: ...

    async def create_edition(self, body: dict[str, Any]) -> EditionOut: ...

    async def edit_edition(self, edition_id: str, body: dict[str, Any]) -> EditionOut: ...

    async def edition_action(self, edition_id: str, action: str) -> EditionOut:
        """``open``, ``close`` or ``agenda/publish``."""
        ...

    async def slots(self, edition_id: str) -> list[SlotOut]: ...

    # -- sessions --------------------------------------------------------------------

    async def sessions(self, edition_id: str) -> list[SessionOut]: ...

    async def session(self, session_id: str) -> SessionOut: ...

    async def add_session(self, edition_id: str, body: dict[str, Any]) -> SessionSavedOut: ...

    async def edit_session(self, session_id: str, body: dict[str, Any]) -> SessionSavedOut: ...

    async def session_action(
        self, session_id: str, action: str, body: SignUpIn | None = None
    ) -> SessionOut:
        """``cancel``, ``sign-up`` or ``withdraw``."""
        ...

    async def sign_ups(self, session_id: str) -> list[SignUpOut]: ...

    # -- attendance ------------------------------------------------------------------

    async def attendance(self, edition_id: str, party_id: str | None) -> AttendanceOut: ...

    async def declare(
        self, edition_id: str, body: dict[str, Any], party_id: str | None
    ) -> AttendanceOut: ...

    async def rotate_calendar_token(self, edition_id: str) -> AttendanceOut: ...

    async def check_in(self, token: str) -> AttendanceOut: ...

    # -- meetings --------------------------------------------------------------------

    async def request_meeting(self, edition_id: str, body: dict[str, Any]) -> MeetingOut: ...

    async def edition_meetings(
        self, edition_id: str, *, status: str | None, after: str | None, limit: int
    ) -> list[MeetingOut]: ...

    async def my_meetings(
        self, *, edition_id: str | None, party_id: str | None, after: str | None, limit: int
    ) -> list[MeetingOut]: ...

    async def meeting(self, meeting_id: str) -> MeetingOut: ...

    async def meeting_action(
        self, meeting_id: str, action: str, body: MeetingActionIn, *, method: str = "POST"
    ) -> MeetingOut:
        """``answer``, ``cancel``, ``outcome`` (POST) or ``video-link`` (PUT)."""
        ...

    # -- the timetable ---------------------------------------------------------------

    async def schedule(self, edition_id: str) -> ScheduleOut: ...

    async def timetable(self, edition_id: str, which: str) -> TimetableDetailOut:
        """Every placement of the ``draft`` or ``published`` timetable."""
        ...

    async def schedule_action(
        self, edition_id: str, action: str, body: ScheduleActionIn | None = None
    ) -> ScheduleOut:
        """``solve``, ``publish`` or ``repair``."""
        ...

    # -- agendas ---------------------------------------------------------------------

    async def agenda(self, edition_id: str, party_id: str | None) -> list[AgendaItemOut]: ...


_EDITIONS = TypeAdapter(list[EditionOut])
_SLOTS = TypeAdapter(list[SlotOut])
_SESSIONS = TypeAdapter(list[SessionOut])
_SIGN_UPS = TypeAdapter(list[SignUpOut])
_MEETINGS = TypeAdapter(list[MeetingOut])
_AGENDA = TypeAdapter(list[AgendaItemOut])


def _params(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _json(body: BaseModel | None) -> dict[str, Any]:
    """A request model as its JSON: the fields it was given (the service fills in the rest)."""
    return body.model_dump(mode="json", exclude_unset=True) if body is not None else {}


class SchedulingClient(ServiceClient):
    """:class:`Scheduling` over HTTP."""

    # -- editions --------------------------------------------------------------------

    async def editions(self) -> list[EditionOut]:
        return _EDITIONS.validate_python(await self.request("GET", "/editions"))

    async def edition(self, edition_id: str) -> EditionOut:
        return EditionOut.model_validate(await self.request("GET", f"/editions/{seg(edition_id)}"))

    async def create_edition(self, body: dict[str, Any]) -> EditionOut:
        return EditionOut.model_validate(await self.request("POST", "/editions", json=body))

    async def edit_edition(self, edition_id: str, body: dict[str, Any]) -> EditionOut:
        return EditionOut.model_validate(
            await self.request("PUT", f"/editions/{seg(edition_id)}", json=body)
        )

    async def edition_action(self, edition_id: str, action: str) -> EditionOut:
        """``open``, ``close`` or ``agenda/publish``."""
        return EditionOut.model_validate(
            await self.request("POST", f"/editions/{seg(edition_id)}/{action}")
        )

    async def slots(self, edition_id: str) -> list[SlotOut]:
        return _SLOTS.validate_python(
            await self.request("GET", f"/editions/{seg(edition_id)}/slots")
        )

    # -- sessions --------------------------------------------------------------------

    async def sessions(self, edition_id: str) -> list[SessionOut]:
        return _SESSIONS.validate_python(
            await self.request("GET", f"/editions/{seg(edition_id)}/sessions")
        )

    async def session(self, session_id: str) -> SessionOut:
        return SessionOut.model_validate(await self.request("GET", f"/sessions/{seg(session_id)}"))

    async def add_session(self, edition_id: str, body: dict[str, Any]) -> SessionSavedOut:
        return SessionSavedOut.model_validate(
            await self.request("POST", f"/editions/{seg(edition_id)}/sessions", json=body)
        )

    async def edit_session(self, session_id: str, body: dict[str, Any]) -> SessionSavedOut:
        return SessionSavedOut.model_validate(
            await self.request("PUT", f"/sessions/{seg(session_id)}", json=body)
        )

    async def session_action(
        self, session_id: str, action: str, body: SignUpIn | None = None
    ) -> SessionOut:
        """``cancel``, ``sign-up`` or ``withdraw``."""
        return SessionOut.model_validate(
            await self.request("POST", f"/sessions/{seg(session_id)}/{action}", json=_json(body))
        )

    async def sign_ups(self, session_id: str) -> list[SignUpOut]:
        return _SIGN_UPS.validate_python(
            await self.request("GET", f"/sessions/{seg(session_id)}/sign-ups")
        )

    # -- attendance ------------------------------------------------------------------

    async def attendance(self, edition_id: str, party_id: str | None) -> AttendanceOut:
        return AttendanceOut.model_validate(
            await self.request(
                "GET",
                f"/editions/{seg(edition_id)}/attendance",
                params=_params(party_id=party_id),
            )
        )

    async def declare(
        self, edition_id: str, body: dict[str, Any], party_id: str | None
    ) -> AttendanceOut:
        return AttendanceOut.model_validate(
            await self.request(
                "PUT",
                f"/editions/{seg(edition_id)}/attendance",
                json=body,
                params=_params(party_id=party_id),
            )
        )

    async def rotate_calendar_token(self, edition_id: str) -> AttendanceOut:
        return AttendanceOut.model_validate(
            await self.request("POST", f"/editions/{seg(edition_id)}/attendance/calendar-token")
        )

    async def check_in(self, token: str) -> AttendanceOut:
        return AttendanceOut.model_validate(
            await self.request(
                "POST", "/check-in", json=_json(CheckInIn.model_construct(token=token))
            )
        )

    # -- meetings --------------------------------------------------------------------

    async def request_meeting(self, edition_id: str, body: dict[str, Any]) -> MeetingOut:
        return MeetingOut.model_validate(
            await self.request("POST", f"/editions/{seg(edition_id)}/meetings", json=body)
        )

    async def edition_meetings(
        self, edition_id: str, *, status: str | None, after: str | None, limit: int
    ) -> list[MeetingOut]:
        params = _params(status=status, after=after, limit=limit)
        return _MEETINGS.validate_python(
            await self.request("GET", f"/editions/{seg(edition_id)}/meetings", params=params)
        )

    async def my_meetings(
        self, *, edition_id: str | None, party_id: str | None, after: str | None, limit: int
    ) -> list[MeetingOut]:
        params = _params(edition_id=edition_id, party_id=party_id, after=after, limit=limit)
        return _MEETINGS.validate_python(await self.request("GET", "/meetings", params=params))

    async def meeting(self, meeting_id: str) -> MeetingOut:
        return MeetingOut.model_validate(await self.request("GET", f"/meetings/{seg(meeting_id)}"))

    async def meeting_action(
        self, meeting_id: str, action: str, body: MeetingActionIn, *, method: str = "POST"
    ) -> MeetingOut:
        """``answer``, ``cancel``, ``outcome`` (POST) or ``video-link`` (PUT)."""
        return MeetingOut.model_validate(
            await self.request(method, f"/meetings/{seg(meeting_id)}/{action}", json=_json(body))
        )

    # -- the timetable ---------------------------------------------------------------

    async def schedule(self, edition_id: str) -> ScheduleOut:
        return ScheduleOut.model_validate(
            await self.request("GET", f"/editions/{seg(edition_id)}/schedule")
        )

    async def timetable(self, edition_id: str, which: str) -> TimetableDetailOut:
        """Every placement of the ``draft`` or ``published`` timetable."""
        return TimetableDetailOut.model_validate(
            await self.request("GET", f"/editions/{seg(edition_id)}/schedule/{seg(which)}")
        )

    async def schedule_action(
        self, edition_id: str, action: str, body: ScheduleActionIn | None = None
    ) -> ScheduleOut:
        """``solve``, ``publish`` or ``repair``."""
        return ScheduleOut.model_validate(
            await self.request(
                "POST", f"/editions/{seg(edition_id)}/schedule/{action}", json=_json(body)
            )
        )

    # -- agendas ---------------------------------------------------------------------

    async def agenda(self, edition_id: str, party_id: str | None) -> list[AgendaItemOut]:
        path = f"/editions/{seg(edition_id)}/agenda"
        return await self.read(_AGENDA, "GET", path, params=_params(party_id=party_id))
