"""The agreements service's client (:class:`Agreements`, and :class:`AgreementsClient` over
HTTP): agreements through their pipeline, milestones, the ceremony roster, support
policies and their evaluations, and the funnel report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import httpx
from pydantic import TypeAdapter

from boyin_gateway.clients.base import Downstream, ServiceClient, ServiceError, seg, sent
from boyin_shared.api.agreements import (
    AgreementOut,
    AgreementPage,
    EvaluationOut,
    PolicyOut,
    RosterIn,
    RosterRowOut,
)
from boyin_shared.api.errors import ErrorOut, MessageOut
from boyin_shared.api.reports import FunnelOut
from boyin_shared.identity import Actor


class Agreements(Downstream, Protocol):
    """The agreements service as resolvers use it. Bodies are the service's request
    models as JSON (``sent(Model.model_construct(...))``): the service validates them."""

    async def agreements(
        self,
        *,
        stage: str | None,
        district_code: str | None,
        edition_id: str | None,
        party_id: str | None,
        after: str | None,
        limit: int,
    ) -> AgreementPage: ...

    async def agreement(self, agreement_id: str) -> AgreementOut: ...

    async def of_matches(self, match_ids: Sequence[str]) -> list[AgreementOut]:
        """The agreements the caller may see started from these matches (at most one each,
        at most :data:`MAX_MATCHES` matches a call)."""
        ...

    async def start(self, body: dict[str, Any]) -> AgreementOut: ...

    async def agreement_action(
        self, agreement_id: str, action: str, body: dict[str, Any]
    ) -> AgreementOut:
        """``advance``, ``terminate``, ``confirm``, ``parties``, ``documents`` or
        ``milestones`` (POST), ``terms`` (PUT)."""
        ...

    async def remove_party(self, agreement_id: str, party_id: str) -> AgreementOut: ...

    async def remove_document(self, agreement_id: str, attachment_id: str) -> AgreementOut: ...

    async def milestone_action(
        self, agreement_id: str, milestone_id: str, action: str, body: dict[str, Any]
    ) -> AgreementOut:
        """``reached`` or ``follow-ups``."""
        ...

    async def roster(
        self, edition_id: str, order: Sequence[str] | None = None
    ) -> list[RosterRowOut]:
        """The ceremony's rows: in ``order`` (agreement ids), or every signed agreement in
        the order signed."""
        ...

    async def policies(self) -> list[PolicyOut]: ...

    async def evaluate(self, agreement_id: str, body: dict[str, Any]) -> EvaluationOut: ...

    async def evaluations(self, agreement_id: str) -> list[EvaluationOut]: ...

    async def funnel(self, params: dict[str, str]) -> FunnelOut:
        """``by`` and the filters (``edition``, ``district_code``, ``cluster``,
        ``channel``) as the service's query parameters."""
        ...


#: the matches whose agreements one call asks for (the service lists 200 at most)
MAX_MATCHES = 100

_ROSTER = TypeAdapter(list[RosterRowOut])
_POLICIES = TypeAdapter(list[PolicyOut])
_EVALUATIONS = TypeAdapter(list[EvaluationOut])


def _params(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


class AgreementsClient(ServiceClient):
    """:class:`Agreements` over HTTP."""

    async def agreements(
        self,
        *,
        stage: str | None,
        district_code: str | None,
        edition_id: str | None,
        party_id: str | None,
        after: str | None,
        limit: int,
    ) -> AgreementPage:
        params = _params(
            stage=stage,
            district_code=district_code,
            edition_id=edition_id,
            party_id=party_id,
            after=after,
            limit=limit,
        )
        return AgreementPage.model_validate(await self.request("GET", "/agreements", params=params))

    async def agreement(self, agreement_id: str) -> AgreementOut:
        return AgreementOut.model_validate(
            await self.request("GET", f"/agreements/{seg(agreement_id)}")
        )

    async def of_matches(self, match_ids: Sequence[str]) -> list[AgreementOut]:
        params = {"match_id": list(match_ids), "limit": MAX_MATCHES}
        page = AgreementPage.model_validate(await self.request("GET", "/agreements", params=params))
        return page.items

    async def start(self, body: dict[str, Any]) -> AgreementOut:
        return AgreementOut.model_validate(await self.request("POST", "/agreements", json=body))

    async def agreement_action(
        self, agreement_id: str, action: str, body: dict[str, Any]
    ) -> AgreementOut:
        """``advance``, ``terminate``, ``confirm``, ``parties``, ``documents`` or
        ``milestones`` (POST), ``terms`` (PUT)."""
        method = "PUT" if action == "terms" else "POST"
        return AgreementOut.model_validate(
            await self.request(method, f"/agreements/{seg(agreement_id)}/{action}", json=body)
        )

    async def remove_party(self, agreement_id: str, party_id: str) -> AgreementOut:
        path = f"/agreements/{seg(agreement_id)}/parties/{seg(party_id)}"
        return AgreementOut.model_validate(await self.request("DELETE", path))

    async def remove_document(self, agreement_id: str, attachment_id: str) -> AgreementOut:
        path = f"/agreements/{seg(agreement_id)}/documents/{seg(attachment_id)}"
        return AgreementOut.model_validate(await self.request("DELETE", path))

    async def milestone_action(
        self, agreement_id: str, milestone_id: str, action: str, body: dict[str, Any]
    ) -> AgreementOut:
        """``reached`` or ``follow-ups``."""
        path = f"/agreements/{seg(agreement_id)}/milestones/{seg(milestone_id)}/{action}"
        return AgreementOut.model_validate(await self.request("POST", path, json=body))

    async def roster(
        self, edition_id: str, order: Sequence[str] | None = None
    ) -> list[RosterRowOut]:
        path = f"/editions/{seg(edition_id)}/roster"
        if order is None:
            return _ROSTER.validate_python(await self.request("GET", path))
        body = sent(RosterIn.model_construct(order=list(order)))
        return _ROSTER.validate_python(await self.request("POST", path, json=body))

    async def policies(self) -> list[PolicyOut]:
        return _POLICIES.validate_python(await self.request("GET", "/policies"))

    async def evaluate(self, agreement_id: str, body: dict[str, Any]) -> EvaluationOut:
        return EvaluationOut.model_validate(
            await self.request("POST", f"/agreements/{seg(agreement_id)}/evaluations", json=body)
        )

    async def evaluations(self, agreement_id: str) -> list[EvaluationOut]:
        return _EVALUATIONS.validate_python(
            await self.request("GET", f"/agreements/{seg(agreement_id)}/evaluations")
        )

    async def funnel(self, params: dict[str, str]) -> FunnelOut:
        return FunnelOut.model_validate(await self.request("GET", "/reports/funnel", params=params))


#: the answer of every call where no agreements service is configured
NOT_CONFIGURED = ErrorOut(
    code="SERVICE_UNAVAILABLE",
    message=MessageOut(
        zh="协议服务未配置（BOYIN_SERVICE_URLS 中没有 agreements）",
        en="the agreements service is not configured (no agreements in BOYIN_SERVICE_URLS)",
    ),
)


class NoAgreements(AgreementsClient):
    """:class:`Agreements` where ``BOYIN_SERVICE_URLS`` names no agreements service: every
    call is refused with ``SERVICE_UNAVAILABLE`` (a 503 :class:`ServiceError`, so a result
    union answers it as a problem the caller can read, a read ``null``); the rest of the
    gateway works on."""

    def __init__(self, actor: Actor) -> None:
        self.calls = 0

    async def request(self, method: str, path: str, **kwargs: Any) -> Any:
        self.calls += 1
        raise ServiceError(503, NOT_CONFIGURED)

    async def stream(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        self.calls += 1
        raise ServiceError(503, NOT_CONFIGURED)
