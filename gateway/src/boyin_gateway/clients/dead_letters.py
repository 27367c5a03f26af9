"""Each service's dead letters (the events its consumers gave up on): read and replayed by
operators through the same routes on every service (``boyin_shared.dead_letters``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from boyin_gateway.clients.base import Downstream, ServiceClient, seg
from boyin_shared.api.dead_letters import DeadLetterOut, DeadLetterPage, DeadLetterStatus


class ServiceName(StrEnum):
    """The services that consume events."""

    REGISTRY = "registry"
    MATCHING = "matching"
    SCHEDULING = "scheduling"
    AGREEMENTS = "agreements"
    MENTORS = "mentors"


class DeadLetterDesk(Downstream, Protocol):
    """One service's dead letters as resolvers use them."""

    async def dead_letters(
        self, *, status: DeadLetterStatus | None, after: str | None, limit: int
    ) -> DeadLetterPage: ...

    async def replay_dead_letter(self, letter_id: str) -> DeadLetterOut: ...


class DeadLettersClient(ServiceClient):
    async def dead_letters(
        self, *, status: DeadLetterStatus | None, after: str | None, limit: int
    ) -> DeadLetterPage:
        params: dict[str, str | int] = {"limit": limit}
        if status is not None:
            params["status"] = status.value
        if after is not None:
            params["after"] = after
        return DeadLetterPage.model_validate(
            await self.request("GET", "/dead-letters", params=params)
        )

    async def replay_dead_letter(self, letter_id: str) -> DeadLetterOut:
        return DeadLetterOut.model_validate(
            await self.request("POST", f"/dead-letters/{seg(letter_id)}/replay")
        )
