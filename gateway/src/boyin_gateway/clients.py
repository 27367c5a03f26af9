"""HTTP clients of the services; the gateway owns no business data."""

from __future__ import annotations

from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

from boyin_gateway.dto import (
    DemandDto,
    DemandPageDto,
    DistrictSupplyDto,
    ErrorDto,
    MatchDto,
    OrganisationDto,
    OrganisationPageDto,
    TalentDto,
    TalentPageDto,
)
from boyin_shared import identity, tracing
from boyin_shared.identity import Actor

M = TypeVar("M", bound=BaseModel)


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

    async def request(self, method: str, path: str, **kwargs: Any) -> Any:
        self.calls += 1
        headers = dict(kwargs.pop("headers", {}) or {})
        headers[identity.HEADER] = self._identity
        ctx = tracing.current()
        if ctx is not None:
            headers["traceparent"] = ctx.child().traceparent
        try:
            response = await self._http.request(method, path, headers=headers, **kwargs)
        except httpx.TransportError as exc:
            raise ServiceUnavailable(str(exc)) from exc
        if response.status_code >= 500:
            raise ServiceUnavailable(f"{method} {path}: {response.status_code}")
        body = response.json()
        if response.status_code >= 400:
            raise ServiceError(response.status_code, ErrorDto.model_validate(body["error"]))
        return body


_ORG_LIST = TypeAdapter(list[OrganisationDto])
_SUPPLY_LIST = TypeAdapter(list[DistrictSupplyDto])


class RegistryClient(ServiceClient):
    async def organisation(self, org_id: str) -> OrganisationDto | None:
        try:
            return OrganisationDto.model_validate(
                await self.request("GET", f"/organisations/{org_id}")
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
            return DemandDto.model_validate(await self.request("GET", f"/demands/{demand_id}"))
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
            await self.request("PUT", f"/demands/{demand_id}", json=body)
        )

    async def demand_action(
        self, demand_id: str, action: str, body: dict[str, Any] | None = None
    ) -> DemandDto:
        return DemandDto.model_validate(
            await self.request("POST", f"/demands/{demand_id}/{action}", json=body or {})
        )

    async def talent(self, talent_id: str) -> TalentDto | None:
        try:
            return TalentDto.model_validate(await self.request("GET", f"/talents/{talent_id}"))
        except ServiceError as exc:
            if exc.status == 404:
                return None
            raise


_MATCH_LIST = TypeAdapter(list[MatchDto])


class MatchingClient(ServiceClient):
    async def district_supply(self) -> list[DistrictSupplyDto]:
        return _SUPPLY_LIST.validate_python(await self.request("GET", "/pool/districts"))

    async def matches(self, demand_id: str, limit: int) -> list[MatchDto]:
        body = await self.request("GET", f"/demands/{demand_id}/matches", params={"limit": limit})
        return _MATCH_LIST.validate_python(body)

    async def respond(self, match_id: str, interested: bool) -> dict[str, Any]:
        body: dict[str, Any] = await self.request(
            "POST", f"/matches/{match_id}/respond", json={"interested": interested}
        )
        return body

    async def review_queue(self) -> list[MatchDto]:
        return _MATCH_LIST.validate_python(await self.request("GET", "/review-queue"))
