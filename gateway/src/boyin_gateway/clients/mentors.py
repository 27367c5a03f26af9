"""The mentors service's client (:class:`Mentors`, and :class:`MentorsClient` over HTTP):
mentors and their profiles, the screening queue and rubric, the routing board, a
demand's aggregated result, and consultations."""

from __future__ import annotations

from typing import Any, Protocol

import httpx
from pydantic import TypeAdapter

from boyin_gateway.clients.base import Downstream, ServiceClient, ServiceError, seg
from boyin_shared.api.errors import ErrorOut, MessageOut
from boyin_shared.api.mentors import (
    ConsultationOut,
    MentorDetailOut,
    MentorOut,
    MentorPage,
    ResultOut,
    ScreeningOut,
    ScreeningPage,
    TaskOut,
)
from boyin_shared.identity import Actor


class Mentors(Downstream, Protocol):
    """The mentors service as resolvers use it. Bodies are the service's request models
    as JSON: the service validates them."""

    async def my_mentor(self) -> MentorDetailOut: ...

    async def mentor(self, mentor_id: str) -> MentorDetailOut: ...

    async def mentors(self, *, status: str | None, after: str | None, limit: int) -> MentorPage: ...

    async def apply(self, body: dict[str, Any]) -> MentorDetailOut: ...

    async def invite(self, body: dict[str, Any]) -> MentorDetailOut: ...

    async def update_profile(self, mentor_id: str, body: dict[str, Any]) -> MentorDetailOut: ...

    async def decide(self, mentor_id: str, action: str, body: dict[str, Any]) -> MentorOut:
        """``approve``, ``suspend`` or ``retire``."""
        ...

    async def queue(self) -> list[TaskOut]: ...

    async def task(self, screening_id: str) -> TaskOut: ...

    async def submit_review(self, screening_id: str, body: dict[str, Any]) -> TaskOut: ...

    async def screenings(
        self, *, status: str | None, after: str | None, limit: int
    ) -> ScreeningPage: ...

    async def screening(self, screening_id: str) -> ScreeningOut: ...

    async def reassign(self, screening_id: str, body: dict[str, Any]) -> ScreeningOut: ...

    async def overdue(self) -> list[ScreeningOut]: ...

    async def screening_result(self, demand_id: str) -> ResultOut: ...

    async def consultations(self) -> list[ConsultationOut]: ...

    async def book(self, mentor_id: str, body: dict[str, Any]) -> ConsultationOut: ...

    async def consultation_action(
        self, consultation_id: str, action: str, body: dict[str, Any]
    ) -> ConsultationOut:
        """``cancel``, ``move``, ``outcome`` or ``notes``."""
        ...


_TASKS = TypeAdapter(list[TaskOut])
_SCREENINGS = TypeAdapter(list[ScreeningOut])
_CONSULTATIONS = TypeAdapter(list[ConsultationOut])


def _params(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


class MentorsClient(ServiceClient):
    """:class:`Mentors` over HTTP."""

    async def my_mentor(self) -> MentorDetailOut:
        return MentorDetailOut.model_validate(await self.request("GET", "/mentors/me"))

    async def mentor(self, mentor_id: str) -> MentorDetailOut:
        return MentorDetailOut.model_validate(
            await self.request("GET", f"/mentors/{seg(mentor_id)}")
        )

    async def mentors(self, *, status: str | None, after: str | None, limit: int) -> MentorPage:
        params = _params(status=status, after=after, limit=limit)
        return MentorPage.model_validate(await self.request("GET", "/mentors", params=params))

    async def apply(self, body: dict[str, Any]) -> MentorDetailOut:
        return MentorDetailOut.model_validate(
            await self.request("POST", "/mentors/apply", json=body)
        )

    async def invite(self, body: dict[str, Any]) -> MentorDetailOut:
        return MentorDetailOut.model_validate(
            await self.request("POST", "/mentors/invite", json=body)
        )

    async def update_profile(self, mentor_id: str, body: dict[str, Any]) -> MentorDetailOut:
        path = f"/mentors/{seg(mentor_id)}/profile"
        return MentorDetailOut.model_validate(await self.request("PUT", path, json=body))

    async def decide(self, mentor_id: str, action: str, body: dict[str, Any]) -> MentorOut:
        path = f"/mentors/{seg(mentor_id)}/{action}"
        return MentorOut.model_validate(await self.request("POST", path, json=body))

    async def queue(self) -> list[TaskOut]:
        return _TASKS.validate_python(await self.request("GET", "/queue"))

    async def task(self, screening_id: str) -> TaskOut:
        return TaskOut.model_validate(await self.request("GET", f"/queue/{seg(screening_id)}"))

    async def submit_review(self, screening_id: str, body: dict[str, Any]) -> TaskOut:
        path = f"/queue/{seg(screening_id)}/review"
        return TaskOut.model_validate(await self.request("POST", path, json=body))

    async def screenings(
        self, *, status: str | None, after: str | None, limit: int
    ) -> ScreeningPage:
        params = _params(status=status, after=after, limit=limit)
        return ScreeningPage.model_validate(await self.request("GET", "/screenings", params=params))

    async def screening(self, screening_id: str) -> ScreeningOut:
        return ScreeningOut.model_validate(
            await self.request("GET", f"/screenings/{seg(screening_id)}")
        )

    async def reassign(self, screening_id: str, body: dict[str, Any]) -> ScreeningOut:
        path = f"/screenings/{seg(screening_id)}/reassign"
        return ScreeningOut.model_validate(await self.request("POST", path, json=body))

    async def overdue(self) -> list[ScreeningOut]:
        return _SCREENINGS.validate_python(await self.request("GET", "/screenings/overdue"))

    async def screening_result(self, demand_id: str) -> ResultOut:
        path = f"/demands/{seg(demand_id)}/screening-result"
        return ResultOut.model_validate(await self.request("GET", path))

    async def consultations(self) -> list[ConsultationOut]:
        return _CONSULTATIONS.validate_python(await self.request("GET", "/consultations"))

    async def book(self, mentor_id: str, body: dict[str, Any]) -> ConsultationOut:
        path = f"/mentors/{seg(mentor_id)}/consultations"
        return ConsultationOut.model_validate(await self.request("POST", path, json=body))

    async def consultation_action(
        self, consultation_id: str, action: str, body: dict[str, Any]
    ) -> ConsultationOut:
        path = f"/consultations/{seg(consultation_id)}/{action}"
        return ConsultationOut.model_validate(await self.request("POST", path, json=body))


#: the answer of every call where no mentors service is configured
NOT_CONFIGURED = ErrorOut(
    code="SERVICE_UNAVAILABLE",
    message=MessageOut(
        zh="导师服务未配置（BOYIN_SERVICE_URLS 中没有 mentors）",
        en="the mentors service is not configured (no mentors in BOYIN_SERVICE_URLS)",
    ),
)


class NoMentors(MentorsClient):
    """:class:`Mentors` where ``BOYIN_SERVICE_URLS`` names no mentors service: every call
    is refused with ``SERVICE_UNAVAILABLE`` (a 503 :class:`ServiceError`: a result union
    answers it as a problem, a read ``null``); the rest of the gateway works on."""

    def __init__(self, actor: Actor) -> None:
        self.calls = 0

    async def request(self, method: str, path: str, **kwargs: Any) -> Any:
        self.calls += 1
        raise ServiceError(503, NOT_CONFIGURED)

    async def stream(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        self.calls += 1
        raise ServiceError(503, NOT_CONFIGURED)
