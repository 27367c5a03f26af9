"""Use cases of the party copies: looking a party up for another feature, and recording
what the registry announces."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from boyin_scheduling.access import acting_party_id
from boyin_scheduling.parties.domain import PartyInfo
from boyin_scheduling.parties.repository import Parties
from boyin_scheduling.rules import error
from boyin_shared.errors import invalid
from boyin_shared.identity import Actor


@dataclass
class PartyService:
    parties: Parties

    async def known(self, party_id: str, field: str = "party_id") -> PartyInfo:
        """The registered party, or an input error on ``field``."""
        loaded = await self.parties.get(party_id)
        if loaded is None:
            raise invalid(
                [
                    error(
                        field,
                        "UNKNOWN_PARTICIPANT",
                        f"该人才或机构尚未在平台登记：{party_id}",
                        f"no registered talent or organisation {party_id}",
                    )
                ]
            )
        return loaded.aggregate

    async def acting(self, actor: Actor, party_id: str | None) -> PartyInfo:
        """The caller's own party, or (staff only) the one named."""
        return await self.known(acting_party_id(actor, party_id))

    async def find(self, party_id: str) -> PartyInfo | None:
        loaded = await self.parties.get(party_id)
        return None if loaded is None else loaded.aggregate

    async def many(self, ids: Sequence[str]) -> dict[str, PartyInfo]:
        """The known parties among ``ids``, by id."""
        return await self.parties.get_many(ids)

    async def record(self, party: PartyInfo) -> None:
        """Keep ``party`` unless a copy as new or newer is stored (repeats change nothing)."""
        await self.parties.put_newer(party, lambda p: p.revision)
