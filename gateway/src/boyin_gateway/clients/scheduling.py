"""The scheduling service's client (:class:`Scheduling`, and :class:`SchedulingClient` over
HTTP): editions, sessions, attendance, meetings, the timetable, agendas."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import TypeAdapter

from boyin_gateway.clients.base import Downstream, ServiceClient, seg
from boyin_gateway.dto import (
    AgendaItemDto,
    AttendanceDto,
    EditionDto,
    MeetingDto,
    ScheduleDto,
    SessionDto,
    SignUpDto,
    SlotDto,
    TimetableDetailDto,
)


class Scheduling(Downstream, Protocol):
    """The scheduling service as resolvers use it: editions, sessions, attendance, meetings, the timetable."""

    # -- editions --------------------------------------------------------------------

    async def editions(self) -> list[EditionDto]: ...

    async def edition(self, edition_id: str) -> EditionDto: ...

    async def create_edition(self, body: dict[str, Any]) -> EditionDto: ...

    async def edit_edition(self, edition_id: str, body: dict[str, Any]) -> EditionDto: ...

    async def edition_action(self, edition_id: str, action: str) -> EditionDto:
        """``open``, ``close`` or ``agenda/publish``."""
        ...

    async def slots(self, edition_id: str) -> list[SlotDto]: ...

    # -- sessions --------------------------------------------------------------------

    async def sessions(self, edition_id: str) -> list[SessionDto]: ...

    async def session(self, session_id: str) -> SessionDto: ...

    async def add_session(self, edition_id: str, body: dict[str, Any]) -> SessionDto: ...

    async def edit_session(self, session_id: str, body: dict[str, Any]) -> SessionDto: ...

    async def session_action(
        self, session_id: str, action: str, body: dict[str, Any] | None = None
    ) -> SessionDto:
        """``cancel``, ``sign-up`` or ``withdraw``."""
        ...

    async def sign_ups(self, session_id: str) -> list[SignUpDto]: ...

    # -- attendance ------------------------------------------------------------------

    async def attendance(self, edition_id: str, party_id: str | None) -> AttendanceDto: ...

    async def declare(
        self, edition_id: str, body: dict[str, Any], party_id: str | None
    ) -> AttendanceDto: ...

    async def rotate_calendar_token(self, edition_id: str) -> AttendanceDto: ...

    async def check_in(self, token: str) -> AttendanceDto: ...

    # -- meetings --------------------------------------------------------------------

    async def request_meeting(self, edition_id: str, body: dict[str, Any]) -> MeetingDto: ...

    async def edition_meetings(
        self, edition_id: str, *, status: str | None, after: str | None, limit: int
    ) -> list[MeetingDto]: ...

    async def my_meetings(
        self, *, edition_id: str | None, party_id: str | None, after: str | None, limit: int
    ) -> list[MeetingDto]: ...

    async def meeting(self, meeting_id: str) -> MeetingDto: ...

    async def meeting_action(
        self, meeting_id: str, action: str, body: dict[str, Any], *, method: str = "POST"
    ) -> MeetingDto:
        """``answer``, ``cancel``, ``outcome`` (POST) or ``video-link`` (PUT)."""
        ...

    # -- the timetable ---------------------------------------------------------------

    async def schedule(self, edition_id: str) -> ScheduleDto: ...

    async def timetable(self, edition_id: str, which: str) -> TimetableDetailDto:
        """Every placement of the ``draft`` or ``published`` timetable."""
        ...

    async def schedule_action(
        self, edition_id: str, action: str, body: dict[str, Any] | None = None
    ) -> ScheduleDto:
        """``solve``, ``publish`` or ``repair``."""
        ...

    # -- agendas ---------------------------------------------------------------------

    async def agenda(self, edition_id: str, party_id: str | None) -> list[AgendaItemDto]: ...


_EDITIONS = TypeAdapter(list[EditionDto])
_SLOTS = TypeAdapter(list[SlotDto])
_SESSIONS = TypeAdapter(list[SessionDto])
_SIGN_UPS = TypeAdapter(list[SignUpDto])
_MEETINGS = TypeAdapter(list[MeetingDto])
_AGENDA = TypeAdapter(list[AgendaItemDto])


def _params(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


class SchedulingClient(ServiceClient):
    """:class:`Scheduling` over HTTP."""

    # -- editions --------------------------------------------------------------------

    async def editions(self) -> list[EditionDto]:
        return _EDITIONS.validate_python(await self.request("GET", "/editions"))

    async def edition(self, edition_id: str) -> EditionDto:
        return EditionDto.model_validate(await self.request("GET", f"/editions/{seg(edition_id)}"))

    async def create_edition(self, body: dict[str, Any]) -> EditionDto:
        return EditionDto.model_validate(await self.request("POST", "/editions", json=body))

    async def edit_edition(self, edition_id: str, body: dict[str, Any]) -> EditionDto:
        return EditionDto.model_validate(
            await self.request("PUT", f"/editions/{seg(edition_id)}", json=body)
        )

    async def edition_action(self, edition_id: str, action: str) -> EditionDto:
        """``open``, ``close`` or ``agenda/publish``."""
        return EditionDto.model_validate(
            await self.request("POST", f"/editions/{seg(edition_id)}/{action}")
        )

    async def slots(self, edition_id: str) -> list[SlotDto]:
        return _SLOTS.validate_python(
            await self.request("GET", f"/editions/{seg(edition_id)}/slots")
        )

    # -- sessions --------------------------------------------------------------------

    async def sessions(self, edition_id: str) -> list[SessionDto]:
        return _SESSIONS.validate_python(
            await self.request("GET", f"/editions/{seg(edition_id)}/sessions")
        )

    async def session(self, session_id: str) -> SessionDto:
        return SessionDto.model_validate(await self.request("GET", f"/sessions/{seg(session_id)}"))

    async def add_session(self, edition_id: str, body: dict[str, Any]) -> SessionDto:
        return SessionDto.model_validate(
            await self.request("POST", f"/editions/{seg(edition_id)}/sessions", json=body)
        )

    async def edit_session(self, session_id: str, body: dict[str, Any]) -> SessionDto:
        return SessionDto.model_validate(
            await self.request("PUT", f"/sessions/{seg(session_id)}", json=body)
        )

    async def session_action(
        self, session_id: str, action: str, body: dict[str, Any] | None = None
    ) -> SessionDto:
        """``cancel``, ``sign-up`` or ``withdraw``."""
        return SessionDto.model_validate(
            await self.request("POST", f"/sessions/{seg(session_id)}/{action}", json=body or {})
        )

    async def sign_ups(self, session_id: str) -> list[SignUpDto]:
        return _SIGN_UPS.validate_python(
            await self.request("GET", f"/sessions/{seg(session_id)}/sign-ups")
        )

    # -- attendance ------------------------------------------------------------------

    async def attendance(self, edition_id: str, party_id: str | None) -> AttendanceDto:
        return AttendanceDto.model_validate(
            await self.request(
                "GET",
                f"/editions/{seg(edition_id)}/attendance",
                params=_params(party_id=party_id),
            )
        )

    async def declare(
        self, edition_id: str, body: dict[str, Any], party_id: str | None
    ) -> AttendanceDto:
        return AttendanceDto.model_validate(
            await self.request(
                "PUT",
                f"/editions/{seg(edition_id)}/attendance",
                json=body,
                params=_params(party_id=party_id),
            )
        )

    async def rotate_calendar_token(self, edition_id: str) -> AttendanceDto:
        return AttendanceDto.model_validate(
            await self.request("POST", f"/editions/{seg(edition_id)}/attendance/calendar-token")
        )

    async def check_in(self, token: str) -> AttendanceDto:
        return AttendanceDto.model_validate(
            await self.request("POST", "/check-in", json={"token": token})
        )

    # -- meetings --------------------------------------------------------------------

    async def request_meeting(self, edition_id: str, body: dict[str, Any]) -> MeetingDto:
        return MeetingDto.model_validate(
            await self.request("POST", f"/editions/{seg(edition_id)}/meetings", json=body)
        )

    async def edition_meetings(
        self, edition_id: str, *, status: str | None, after: str | None, limit: int
    ) -> list[MeetingDto]:
        params = _params(status=status, after=after, limit=limit)
        return _MEETINGS.validate_python(
            await self.request("GET", f"/editions/{seg(edition_id)}/meetings", params=params)
        )

    async def my_meetings(
        self, *, edition_id: str | None, party_id: str | None, after: str | None, limit: int
    ) -> list[MeetingDto]:
        params = _params(edition_id=edition_id, party_id=party_id, after=after, limit=limit)
        return _MEETINGS.validate_python(await self.request("GET", "/meetings", params=params))

    async def meeting(self, meeting_id: str) -> MeetingDto:
        return MeetingDto.model_validate(await self.request("GET", f"/meetings/{seg(meeting_id)}"))

    async def meeting_action(
        self, meeting_id: str, action: str, body: dict[str, Any], *, method: str = "POST"
    ) -> MeetingDto:
        """``answer``, ``cancel``, ``outcome`` (POST) or ``video-link`` (PUT)."""
        return MeetingDto.model_validate(
            await self.request(method, f"/meetings/{seg(meeting_id)}/{action}", json=body)
        )

    # -- the timetable ---------------------------------------------------------------

    async def schedule(self, edition_id: str) -> ScheduleDto:
        return ScheduleDto.model_validate(
            await self.request("GET", f"/editions/{seg(edition_id)}/schedule")
        )

    async def timetable(self, edition_id: str, which: str) -> TimetableDetailDto:
        """Every placement of the ``draft`` or ``published`` timetable."""
        return TimetableDetailDto.model_validate(
            await self.request("GET", f"/editions/{seg(edition_id)}/schedule/{seg(which)}")
        )

    async def schedule_action(
        self, edition_id: str, action: str, body: dict[str, Any] | None = None
    ) -> ScheduleDto:
        """``solve``, ``publish`` or ``repair``."""
        return ScheduleDto.model_validate(
            await self.request(
                "POST", f"/editions/{seg(edition_id)}/schedule/{action}", json=body or {}
            )
        )

    # -- agendas ---------------------------------------------------------------------

    async def agenda(self, edition_id: str, party_id: str | None) -> list[AgendaItemDto]:
        return _AGENDA.validate_python(
            await self.request(
                "GET", f"/editions/{seg(edition_id)}/agenda", params=_params(party_id=party_id)
            )
        )
