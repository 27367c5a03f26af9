"""Every query and write of the rankings collection: each demand's latest list (the match
ids on it, best first), whose document announces the newly listed proposals (its outbox).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from boyin_shared.events import Event
from boyin_shared.outbox import Outbox
from boyin_shared.store import Document, DocumentStore

#: a ranking to write: (demand id, its state, the events it announces)
New = tuple[str, Mapping[str, Any], Sequence[Event]]
#: a ranking to write over: (its document as read, its new state, its events)
Over = tuple[Document, Mapping[str, Any], Sequence[Event]]


class Rankings:
    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        self.collection = store.collection("rankings")
        self.outbox = outbox

    async def below(self, score: float, limit: int = 500) -> list[Document]:
        """The rankings whose best score is below ``score`` (an empty list's is 0),
        the worst first."""
        return await self.collection.find({"best": {"$lt": score}}, sort=[("best", 1)], limit=limit)

    async def of(self, demand_ids: Sequence[str]) -> dict[str, Document]:
        return {d["_id"]: d for d in await self.collection.get_many(demand_ids)}

    async def writes(self, demand_ids: Sequence[str]) -> dict[str, str]:
        """Which write made each of these rankings' stored lists."""
        return {d["_id"]: d["write"] for d in await self.collection.get_many(demand_ids)}

    async def get(self, demand_id: str) -> Document | None:
        return await self.collection.get(demand_id)

    async def add_many(self, new: Sequence[New]) -> set[str]:
        """First lists, in one round trip; returns the demands that had one already."""
        return await self.outbox.create_many(self.collection, new)

    async def save_many(self, saves: Sequence[Over]) -> int:
        """Lists written over the ones read, in one round trip, each unless written since;
        returns how many were written."""
        return await self.outbox.save_many(self.collection, saves)

    async def add(self, demand_id: str, state: Mapping[str, Any], events: Sequence[Event]) -> None:
        """A first list. Raises ``AlreadyExists``."""
        await self.outbox.create(self.collection, demand_id, state, events)

    async def save(
        self, before: Document, state: Mapping[str, Any], events: Sequence[Event]
    ) -> bool:
        return await self.outbox.save(self.collection, before, state, events)
