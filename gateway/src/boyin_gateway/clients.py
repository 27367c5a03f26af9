"""HTTP clients of the services; the gateway owns no business data."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, TypeAdapter

from boyin_gateway.dto import (
    AgendaItemDto,
    AttachmentDto,
    AttendanceDto,
    AuditEntryDto,
    CriterionDto,
    DemandDto,
    DemandPageDto,
    DistrictSupplyDto,
    EditionDto,
    ErrorDto,
    ImportDto,
    MatchDto,
    MeetingDto,
    NamedDto,
    NoticeDto,
    OrganisationDto,
    OrganisationPageDto,
    ScheduleDto,
    SessionDto,
    SignUpDto,
    SlotDto,
    TalentDto,
    TalentPageDto,
    TaxonomyDto,
    TextDto,
    TimetableDetailDto,
)
from boyin_shared import identity, tracing
from boyin_shared.identity import Actor

M = TypeVar("M", bound=BaseModel)


def _seg(value: str) -> str:
    """One path segment: an id may not reach another route (``d1/publish?``)."""
    return quote(value, safe="")


class ServiceError(Exception):
    """An expected failure a service reported (validation, conflict, not found)."""

    def __init__(self, status: int, error: ErrorDto) -> None:
        super().__init__(f"{status} {error.code}: {error.message.en}")
        self.status = status
        self.error = error


class ServiceUnavailable(Exception):
    """The service did not answer or failed unexpectedly (masked in GraphQL responses)."""


class ServiceClient:
    """Calls one service on behalf of one caller (the identity travels signed)."""

    def __init__(self, pool: httpx.AsyncClient, secret: str, actor: Actor) -> None:
        self._http = pool
        self._identity = identity.issue(actor, secret)
        #: downstream calls made, for tests that count N+1 queries
        self.calls = 0

    def _headers(self, extra: Any) -> dict[str, str]:
        headers = dict(extra or {})
        headers[identity.HEADER] = self._identity
        ctx = tracing.current()
        if ctx is not None:
            headers["traceparent"] = ctx.child().traceparent
        return headers

    async def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """The JSON the service answered (None for an empty answer, e.g. 204)."""
        self.calls += 1
        headers = self._headers(kwargs.pop("headers", None))
        try:
            response = await self._http.request(method, path, headers=headers, **kwargs)
        except httpx.TransportError as exc:
            raise ServiceUnavailable(str(exc)) from exc
        if response.status_code >= 500:
            raise ServiceUnavailable(f"{method} {path}: {response.status_code}")
        if response.status_code >= 400:
            raise _error(method, path, response)
        return response.json() if response.content else None

    async def stream(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send a request and return the response unread (a file to pass on); the caller
        closes it. Failures are raised as :meth:`request` raises them."""
        self.calls += 1
        headers = self._headers(kwargs.pop("headers", None))
        request = self._http.build_request(method, path, headers=headers, **kwargs)
        try:
            response = await self._http.send(request, stream=True)
        except httpx.TransportError as exc:
            raise ServiceUnavailable(str(exc)) from exc
        if response.status_code < 400:
            return response
        try:
            await response.aread()
        except httpx.TransportError as exc:
            raise ServiceUnavailable(str(exc)) from exc
        finally:
            await response.aclose()
        if response.status_code >= 500:
            raise ServiceUnavailable(f"{method} {path}: {response.status_code}")
        raise _error(method, path, response)


def _error(method: str, path: str, response: httpx.Response) -> Exception:
    """The service's expected failure; an answer not in the platform's error shape (a
    route the service does not have, a proxy's page) is a fault, not the caller's."""
    try:
        return ServiceError(response.status_code, ErrorDto.model_validate(response.json()["error"]))
    except (ValueError, KeyError, TypeError):
        if response.status_code == 404:  # no such route: an id that names no resource
            return ServiceError(404, _NO_SUCH_PATH)
        return ServiceUnavailable(f"{method} {path}: {response.status_code} without an error")


_NO_SUCH_PATH = ErrorDto(code="NOT_FOUND", message=TextDto(zh="未找到", en="not found"))


_ORG_LIST = TypeAdapter(list[OrganisationDto])
_SUPPLY_LIST = TypeAdapter(list[DistrictSupplyDto])
_NAMED_LIST = TypeAdapter(list[NamedDto])
_CRITERIA = TypeAdapter(list[CriterionDto])
_AUDIT = TypeAdapter(list[AuditEntryDto])

#: a file to send on: (name, content, content type), as httpx takes it
FilePart = tuple[str, Any, str]


class RegistryClient(ServiceClient):
    async def organisation(self, org_id: str) -> OrganisationDto | None:
        try:
            return OrganisationDto.model_validate(
                await self.request("GET", f"/organisations/{_seg(org_id)}")
            )
        except ServiceError as exc:
            if exc.status == 404:
                return None
            raise

    async def organisations(
        self, *, district_code: str | None, after: str | None, limit: int
    ) -> OrganisationPageDto:
        params: dict[str, str | int] = {"limit": limit}
        if district_code:
            params["district_code"] = district_code
        if after:
            params["after"] = after
        return OrganisationPageDto.model_validate(
            await self.request("GET", "/organisations", params=params)
        )

    async def register_organisation(self, body: dict[str, Any]) -> OrganisationDto:
        return OrganisationDto.model_validate(
            await self.request("POST", "/organisations", json=body)
        )

    async def organisations_by_id(self, ids: list[str]) -> list[OrganisationDto]:
        body = await self.request("GET", "/organisations", params={"ids": ids})
        return OrganisationPageDto.model_validate(body).items

    async def talents_by_id(self, ids: list[str]) -> list[TalentDto]:
        return TalentPageDto.model_validate(
            await self.request("GET", "/talents", params={"ids": ids})
        ).items

    async def register_talent(self, body: dict[str, Any]) -> TalentDto:
        return TalentDto.model_validate(await self.request("POST", "/talents", json=body))

    async def demand(self, demand_id: str) -> DemandDto | None:
        try:
            return DemandDto.model_validate(
                await self.request("GET", f"/demands/{_seg(demand_id)}")
            )
        except ServiceError as exc:
            if exc.status == 404:
                return None
            raise

    async def demands(self, params: dict[str, Any]) -> DemandPageDto:
        clean = {k: v for k, v in params.items() if v is not None}
        return DemandPageDto.model_validate(await self.request("GET", "/demands", params=clean))

    async def create_demand(self, body: dict[str, Any]) -> DemandDto:
        return DemandDto.model_validate(await self.request("POST", "/demands", json=body))

    async def edit_demand(self, demand_id: str, body: dict[str, Any]) -> DemandDto:
        return DemandDto.model_validate(
            await self.request("PUT", f"/demands/{_seg(demand_id)}", json=body)
        )

    async def demand_action(
        self, demand_id: str, action: str, body: dict[str, Any] | None = None
    ) -> DemandDto:
        return DemandDto.model_validate(
            await self.request("POST", f"/demands/{_seg(demand_id)}/{action}", json=body or {})
        )

    async def talent(self, talent_id: str) -> TalentDto | None:
        try:
            return TalentDto.model_validate(
                await self.request("GET", f"/talents/{_seg(talent_id)}")
            )
        except ServiceError as exc:
            if exc.status == 404:
                return None
            raise

    async def update_organisation(self, org_id: str, body: dict[str, Any]) -> OrganisationDto:
        return OrganisationDto.model_validate(
            await self.request("PUT", f"/organisations/{_seg(org_id)}", json=body)
        )

    async def expire_due(self) -> int:
        body = await self.request("POST", "/demands/expire-due")
        return int(body["expired"])

    # -- reference data ------------------------------------------------------------------

    async def districts(self) -> list[NamedDto]:
        return _NAMED_LIST.validate_python(await self.request("GET", "/reference/districts"))

    async def editions(self) -> list[NamedDto]:
        return _NAMED_LIST.validate_python(await self.request("GET", "/reference/editions"))

    async def criteria(self) -> list[CriterionDto]:
        return _CRITERIA.validate_python(await self.request("GET", "/reference/criteria"))

    async def taxonomy(self) -> TaxonomyDto:
        return TaxonomyDto.model_validate(await self.request("GET", "/reference/taxonomy"))

    async def add_taxonomy_code(self, body: dict[str, Any]) -> None:
        await self.request("POST", "/reference/taxonomy", json=body)

    async def rename_taxonomy_code(self, code: str, body: dict[str, Any]) -> None:
        await self.request("PUT", f"/reference/taxonomy/{_seg(code)}", json=body)

    async def retire_taxonomy_code(self, code: str) -> None:
        await self.request("POST", f"/reference/taxonomy/{_seg(code)}/retire")

    # -- privacy -------------------------------------------------------------------------

    async def privacy_notice(self) -> NoticeDto:
        return NoticeDto.model_validate(await self.request("GET", "/privacy/notice"))

    async def personal_data(self, talent_id: str) -> dict[str, Any]:
        body: dict[str, Any] = await self.request(
            "GET", f"/talents/{_seg(talent_id)}/personal-data"
        )
        return body

    async def erase_talent(self, talent_id: str) -> TalentDto:
        return TalentDto.model_validate(await self.request("DELETE", f"/talents/{_seg(talent_id)}"))

    async def audit_of(self, party_id: str) -> list[AuditEntryDto]:
        body = await self.request("GET", f"/parties/{_seg(party_id)}/audit")
        return _AUDIT.validate_python(body)

    # -- files and imports ---------------------------------------------------------------

    async def upload_attachment(self, file: FilePart) -> AttachmentDto:
        return AttachmentDto.model_validate(
            await self.request("POST", "/attachments", files={"file": file})
        )

    async def start_import(self, file: FilePart) -> ImportDto:
        return ImportDto.model_validate(
            await self.request("POST", "/imports", files={"file": file})
        )

    async def import_job(self, job_id: str, *, errors_offset: int, errors_limit: int) -> ImportDto:
        params = {"errors_offset": errors_offset, "errors_limit": errors_limit}
        return ImportDto.model_validate(
            await self.request("GET", f"/imports/{_seg(job_id)}", params=params)
        )

    async def resume_import(self, job_id: str) -> ImportDto:
        return ImportDto.model_validate(
            await self.request("POST", f"/imports/{_seg(job_id)}/resume")
        )


_MATCH_LIST = TypeAdapter(list[MatchDto])


class MatchingClient(ServiceClient):
    async def district_supply(self) -> list[DistrictSupplyDto]:
        return _SUPPLY_LIST.validate_python(await self.request("GET", "/pool/districts"))

    async def matches(self, demand_id: str, limit: int) -> list[MatchDto]:
        body = await self.request(
            "GET", f"/demands/{_seg(demand_id)}/matches", params={"limit": limit}
        )
        return _MATCH_LIST.validate_python(body)

    async def respond(self, match_id: str, interested: bool) -> dict[str, Any]:
        body: dict[str, Any] = await self.request(
            "POST", f"/matches/{_seg(match_id)}/respond", json={"interested": interested}
        )
        return body

    async def review_queue(self) -> list[MatchDto]:
        return _MATCH_LIST.validate_python(await self.request("GET", "/review-queue"))


_EDITIONS = TypeAdapter(list[EditionDto])
_SLOTS = TypeAdapter(list[SlotDto])
_SESSIONS = TypeAdapter(list[SessionDto])
_SIGN_UPS = TypeAdapter(list[SignUpDto])
_MEETINGS = TypeAdapter(list[MeetingDto])
_AGENDA = TypeAdapter(list[AgendaItemDto])


def _params(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


class SchedulingClient(ServiceClient):
    """The scheduling service: editions, sessions, attendance, meetings, the timetable."""

    # -- editions --------------------------------------------------------------------

    async def editions(self) -> list[EditionDto]:
        return _EDITIONS.validate_python(await self.request("GET", "/editions"))

    async def edition(self, edition_id: str) -> EditionDto:
        return EditionDto.model_validate(await self.request("GET", f"/editions/{_seg(edition_id)}"))

    async def create_edition(self, body: dict[str, Any]) -> EditionDto:
        return EditionDto.model_validate(await self.request("POST", "/editions", json=body))

    async def edit_edition(self, edition_id: str, body: dict[str, Any]) -> EditionDto:
        return EditionDto.model_validate(
            await self.request("PUT", f"/editions/{_seg(edition_id)}", json=body)
        )

    async def edition_action(self, edition_id: str, action: str) -> EditionDto:
        """``open``, ``close`` or ``agenda/publish``."""
        return EditionDto.model_validate(
            await self.request("POST", f"/editions/{_seg(edition_id)}/{action}")
        )

    async def slots(self, edition_id: str) -> list[SlotDto]:
        return _SLOTS.validate_python(
            await self.request("GET", f"/editions/{_seg(edition_id)}/slots")
        )

    # -- sessions --------------------------------------------------------------------

    async def sessions(self, edition_id: str) -> list[SessionDto]:
        return _SESSIONS.validate_python(
            await self.request("GET", f"/editions/{_seg(edition_id)}/sessions")
        )

    async def session(self, session_id: str) -> SessionDto:
        return SessionDto.model_validate(await self.request("GET", f"/sessions/{_seg(session_id)}"))

    async def add_session(self, edition_id: str, body: dict[str, Any]) -> SessionDto:
        return SessionDto.model_validate(
            await self.request("POST", f"/editions/{_seg(edition_id)}/sessions", json=body)
        )

    async def edit_session(self, session_id: str, body: dict[str, Any]) -> SessionDto:
        return SessionDto.model_validate(
            await self.request("PUT", f"/sessions/{_seg(session_id)}", json=body)
        )

    async def session_action(
        self, session_id: str, action: str, body: dict[str, Any] | None = None
    ) -> SessionDto:
        """``cancel``, ``sign-up`` or ``withdraw``."""
        return SessionDto.model_validate(
            await self.request("POST", f"/sessions/{_seg(session_id)}/{action}", json=body or {})
        )

    async def sign_ups(self, session_id: str) -> list[SignUpDto]:
        return _SIGN_UPS.validate_python(
            await self.request("GET", f"/sessions/{_seg(session_id)}/sign-ups")
        )

    # -- attendance ------------------------------------------------------------------

    async def attendance(self, edition_id: str, party_id: str | None) -> AttendanceDto:
        return AttendanceDto.model_validate(
            await self.request(
                "GET",
                f"/editions/{_seg(edition_id)}/attendance",
                params=_params(party_id=party_id),
            )
        )

    async def declare(
        self, edition_id: str, body: dict[str, Any], party_id: str | None
    ) -> AttendanceDto:
        return AttendanceDto.model_validate(
            await self.request(
                "PUT",
                f"/editions/{_seg(edition_id)}/attendance",
                json=body,
                params=_params(party_id=party_id),
            )
        )

    async def rotate_calendar_token(self, edition_id: str) -> AttendanceDto:
        return AttendanceDto.model_validate(
            await self.request("POST", f"/editions/{_seg(edition_id)}/attendance/calendar-token")
        )

    async def check_in(self, token: str) -> AttendanceDto:
        return AttendanceDto.model_validate(
            await self.request("POST", "/check-in", json={"token": token})
        )

    # -- meetings --------------------------------------------------------------------

    async def request_meeting(self, edition_id: str, body: dict[str, Any]) -> MeetingDto:
        return MeetingDto.model_validate(
            await self.request("POST", f"/editions/{_seg(edition_id)}/meetings", json=body)
        )

    async def edition_meetings(
        self, edition_id: str, *, status: str | None, after: str | None, limit: int
    ) -> list[MeetingDto]:
        params = _params(status=status, after=after, limit=limit)
        return _MEETINGS.validate_python(
            await self.request("GET", f"/editions/{_seg(edition_id)}/meetings", params=params)
        )

    async def my_meetings(
        self, *, edition_id: str | None, party_id: str | None, after: str | None, limit: int
    ) -> list[MeetingDto]:
        params = _params(edition_id=edition_id, party_id=party_id, after=after, limit=limit)
        return _MEETINGS.validate_python(await self.request("GET", "/meetings", params=params))

    async def meeting(self, meeting_id: str) -> MeetingDto:
        return MeetingDto.model_validate(await self.request("GET", f"/meetings/{_seg(meeting_id)}"))

    async def meeting_action(
        self, meeting_id: str, action: str, body: dict[str, Any], *, method: str = "POST"
    ) -> MeetingDto:
        """``answer``, ``cancel``, ``outcome`` (POST) or ``video-link`` (PUT)."""
        return MeetingDto.model_validate(
            await self.request(method, f"/meetings/{_seg(meeting_id)}/{action}", json=body)
        )

    # -- the timetable ---------------------------------------------------------------

    async def schedule(self, edition_id: str) -> ScheduleDto:
        return ScheduleDto.model_validate(
            await self.request("GET", f"/editions/{_seg(edition_id)}/schedule")
        )

    async def timetable(self, edition_id: str, which: str) -> TimetableDetailDto:
        """Every placement of the ``draft`` or ``published`` timetable."""
        return TimetableDetailDto.model_validate(
            await self.request("GET", f"/editions/{_seg(edition_id)}/schedule/{_seg(which)}")
        )

    async def schedule_action(
        self, edition_id: str, action: str, body: dict[str, Any] | None = None
    ) -> ScheduleDto:
        """``solve``, ``publish`` or ``repair``."""
        return ScheduleDto.model_validate(
            await self.request(
                "POST", f"/editions/{_seg(edition_id)}/schedule/{action}", json=body or {}
            )
        )

    # -- agendas ---------------------------------------------------------------------

    async def agenda(self, edition_id: str, party_id: str | None) -> list[AgendaItemDto]:
        return _AGENDA.validate_python(
            await self.request(
                "GET", f"/editions/{_seg(edition_id)}/agenda", params=_params(party_id=party_id)
            )
        )
