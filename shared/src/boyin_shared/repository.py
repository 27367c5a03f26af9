"""A repository of aggregates stored one document each, with their outbox and inbox.

Services give it the explicit mapping (``to_state``/``from_doc``) and add their own
queries in a subclass; every write goes through :class:`boyin_shared.outbox.Outbox`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from boyin_shared.events import Event
from boyin_shared.outbox import Outbox, already_applied
from boyin_shared.retry import AGAIN, ATTEMPTS, Again, optimistic
from boyin_shared.store import AlreadyExists, Collection, Document, DocumentStore, Index


class HasId(Protocol):
    @property
    def id(self) -> str: ...


A = TypeVar("A", bound=HasId)


@dataclass(frozen=True)
class Loaded(Generic[A]):
    """An aggregate and the document it was read from (for the optimistic write)."""

    aggregate: A
    doc: Document

    def applied(self, event_id: str) -> bool:
        return already_applied(self.doc, event_id)


class AggregateRepository(Generic[A]):
    collection_name: str
    indexes: Sequence[Index] = ()

    def __init__(
        self,
        store: DocumentStore,
        outbox: Outbox,
        *,
        to_state: Callable[[A], dict[str, Any]],
        from_doc: Callable[[Document], A],
    ) -> None:
        self.collection: Collection = store.collection(self.collection_name)
        self.outbox = outbox
        self._to_state = to_state
        self._from_doc = from_doc

    async def prepare(self) -> None:
        await self.collection.ensure_indexes(self.indexes)

    async def get(self, aggregate_id: str) -> Loaded[A] | None:
        doc = await self.collection.get(aggregate_id)
        return None if doc is None else Loaded(self._from_doc(doc), doc)

    async def get_many(self, ids: Sequence[str]) -> dict[str, A]:
        return {d["_id"]: self._from_doc(d) for d in await self.collection.get_many(ids)}

    async def add(
        self, aggregate: A, events: Sequence[Event] = (), *, consumed: str | None = None
    ) -> None:
        await self.outbox.create(
            self.collection, aggregate.id, self._to_state(aggregate), events, consumed=consumed
        )

    async def save(
        self,
        loaded: Loaded[A],
        aggregate: A,
        events: Sequence[Event] = (),
        *,
        consumed: str | None = None,
    ) -> bool:
        """Write ``aggregate`` over ``loaded``; False when someone else wrote it first."""
        return await self.outbox.save(
            self.collection, loaded.doc, self._to_state(aggregate), events, consumed=consumed
        )

    async def change(
        self,
        aggregate_id: str,
        mutate: Callable[[A], Awaitable[tuple[A, Sequence[Event]]]],
        *,
        attempts: int = ATTEMPTS,
    ) -> A | None:
        """Load, mutate and save, retrying a few times on a concurrent write."""

        async def attempt() -> A | Again | None:
            loaded = await self.get(aggregate_id)
            if loaded is None:
                return None
            new, events = await mutate(loaded.aggregate)
            return new if await self.save(loaded, new, events) else AGAIN

        return await optimistic(attempt, attempts=attempts)

    async def put_newer(
        self, aggregate: A, revision: Callable[[A], int], *, attempts: int = ATTEMPTS
    ) -> bool:
        """Store ``aggregate`` unless the stored one is as new or newer by ``revision`` (a
        projection of another service's data: repeats and late older events change
        nothing). True when it was written."""

        async def attempt() -> bool | Again:
            loaded = await self.get(aggregate.id)
            if loaded is None:
                try:
                    await self.add(aggregate)
                    return True
                except AlreadyExists:
                    return AGAIN
            if revision(loaded.aggregate) >= revision(aggregate):
                return False
            return True if await self.save(loaded, aggregate) else AGAIN

        return await optimistic(attempt, attempts=attempts)

    def from_doc(self, doc: Document) -> A:
        return self._from_doc(doc)
