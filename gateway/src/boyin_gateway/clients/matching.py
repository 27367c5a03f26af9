"""The matching service's client (:class:`Matching`, and :class:`MatchingClient` over HTTP)."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import TypeAdapter

from boyin_gateway.clients.base import Downstream, ServiceClient, seg, sent
from boyin_shared.api.matching import (
    DistrictSupplyOut,
    JobOut,
    MatchOut,
    NoGoodMatchOut,
    RespondIn,
)


class Matching(Downstream, Protocol):
    """The matching service as resolvers use it: supply, a demand's matches, answers, the
    review queue, the rematch job, the demands with no good match yet."""

    async def district_supply(self) -> list[DistrictSupplyOut]: ...

    async def matches(self, demand_id: str, limit: int) -> list[MatchOut]: ...

    async def respond(self, match_id: str, interested: bool) -> dict[str, Any]: ...

    async def review_queue(self) -> list[MatchOut]: ...

    async def start_rematch(self) -> JobOut: ...

    async def rematch_job(self) -> JobOut: ...

    async def demands_without_good_match(self) -> list[NoGoodMatchOut]: ...


_SUPPLY_LIST = TypeAdapter(list[DistrictSupplyOut])
_MATCH_LIST = TypeAdapter(list[MatchOut])
_NO_GOOD_MATCH_LIST = TypeAdapter(list[NoGoodMatchOut])


class MatchingClient(ServiceClient):
    """:class:`Matching` over HTTP."""

    async def district_supply(self) -> list[DistrictSupplyOut]:
        return _SUPPLY_LIST.validate_python(await self.request("GET", "/pool/districts"))

    async def matches(self, demand_id: str, limit: int) -> list[MatchOut]:
        body = await self.request(
            "GET", f"/demands/{seg(demand_id)}/matches", params={"limit": limit}
        )
        return _MATCH_LIST.validate_python(body)

    async def respond(self, match_id: str, interested: bool) -> dict[str, Any]:
        body: dict[str, Any] = await self.request(
            "POST",
            f"/matches/{seg(match_id)}/respond",
            json=sent(RespondIn.model_construct(interested=interested)),
        )
        return body

    async def review_queue(self) -> list[MatchOut]:
        return _MATCH_LIST.validate_python(await self.request("GET", "/review-queue"))

    async def start_rematch(self) -> JobOut:
        return JobOut.model_validate(await self.request("POST", "/rematch"))

    async def rematch_job(self) -> JobOut:
        return JobOut.model_validate(await self.request("GET", "/rematch"))

    async def demands_without_good_match(self) -> list[NoGoodMatchOut]:
        return _NO_GOOD_MATCH_LIST.validate_python(
            await self.request("GET", "/review-queue/no-good-match")
        )
