"""The matching service's client (:class:`Matching`, and :class:`MatchingClient` over HTTP)."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import TypeAdapter

from boyin_gateway.clients.base import Downstream, ServiceClient, seg, sent
from boyin_shared.api.matching import (
    DistrictSupplyOut,
    JobOut,
    ManualIn,
    MatchOut,
    NoGoodMatchOut,
    RespondIn,
    ReviewIn,
)


class Matching(Downstream, Protocol):
    """The matching service as resolvers use it: supply, a demand's matches, answers, the
    review queue and operators' actions, the rematch job, the demands with no good match
    yet."""

    async def district_supply(self) -> list[DistrictSupplyOut]: ...

    async def matches(self, demand_id: str, limit: int) -> list[MatchOut]: ...

    async def respond(self, match_id: str, interested: bool) -> dict[str, Any]: ...

    async def review_queue(self) -> list[MatchOut]: ...

    async def review(self, match_id: str, *, note: str | None, withdraw: bool) -> MatchOut:
        """An operator confirms a proposal (with a note, or none) or withdraws it."""
        ...

    async def add_by_hand(self, demand_id: str, counterpart_demand_id: str, note: str) -> MatchOut:
        """An operator proposes a match no ranking proposed (seen from ``demand_id``)."""
        ...

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
        path = f"/demands/{seg(demand_id)}/matches"
        return await self.read(_MATCH_LIST, "GET", path, params={"limit": limit})

    async def respond(self, match_id: str, interested: bool) -> dict[str, Any]:
        body: dict[str, Any] = await self.request(
            "POST",
            f"/matches/{seg(match_id)}/respond",
            json=sent(RespondIn.model_construct(interested=interested)),
        )
        return body

    async def review_queue(self) -> list[MatchOut]:
        return _MATCH_LIST.validate_python(await self.request("GET", "/review-queue"))

    async def review(self, match_id: str, *, note: str | None, withdraw: bool) -> MatchOut:
        body = await self.request(
            "POST",
            f"/matches/{seg(match_id)}/review",
            json=sent(ReviewIn.model_construct(note=note, withdraw=withdraw)),
        )
        return MatchOut.model_validate(body)

    async def add_by_hand(self, demand_id: str, counterpart_demand_id: str, note: str) -> MatchOut:
        manual = ManualIn.model_construct(
            demand_id=demand_id, counterpart_demand_id=counterpart_demand_id, note=note
        )
        return MatchOut.model_validate(await self.request("POST", "/matches", json=sent(manual)))

    async def start_rematch(self) -> JobOut:
        return JobOut.model_validate(await self.request("POST", "/rematch"))

    async def rematch_job(self) -> JobOut:
        return JobOut.model_validate(await self.request("GET", "/rematch"))

    async def demands_without_good_match(self) -> list[NoGoodMatchOut]:
        return _NO_GOOD_MATCH_LIST.validate_python(
            await self.request("GET", "/review-queue/no-good-match")
        )
