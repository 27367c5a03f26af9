"""Use cases of the parties' names: record what the registry announces, look names up."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from boyin_agreements.agreements.terms import Text
from boyin_agreements.names.domain import PartyName
from boyin_agreements.names.repository import PartyNames


@dataclass
class Names:
    names: PartyNames

    async def record(self, party: PartyName) -> None:
        """Keep ``party`` unless a copy as new or newer is stored (repeats change nothing)."""
        await self.names.put_newer(party, lambda p: p.revision)

    async def of(self, ids: Iterable[str]) -> dict[str, Text]:
        """The names of the registered parties among ``ids``, by id."""
        found = await self.names.get_many(sorted(set(ids)))
        return {party_id: p.name for party_id, p in found.items()}
