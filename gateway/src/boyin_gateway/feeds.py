"""Live feeds: the gateway listens to the platform's events and fans them out to the
GraphQL subscriptions of the people allowed to see them.

Each subscriber has a bounded queue: a slow subscriber loses its oldest items (and is told
how many) instead of holding anyone else up.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import boyin_shared.contracts  # noqa: F401  (registers every contract in the catalogue)
from boyin_shared.bus import Subscription
from boyin_shared.events import CATALOG, Event

T = TypeVar("T")


def feed_events() -> tuple[type[Event], ...]:
    """Every event of the platform: each contract of the catalogue (every version), so a
    new contract reaches the feeds (the operators' ``pipelineEvents`` shows them all)
    without anyone listing it here."""
    return tuple(dict.fromkeys(CATALOG.values()))


#: items a subscriber's queue holds before its oldest are dropped
QUEUE_BOUND = 200


@dataclass(eq=False)  # each listener is its own (hashable by identity)
class Listener(Generic[T]):
    """One subscriber: a filter that turns an event into its items (none, one or several),
    and a queue bounded per item."""

    select: Callable[[Event], Iterable[T]]
    queue: asyncio.Queue[T] = field(default_factory=lambda: asyncio.Queue(maxsize=QUEUE_BOUND))
    dropped: int = 0

    def offer(self, event: Event) -> None:
        for item in self.select(event):
            if self.queue.full():
                with contextlib.suppress(asyncio.QueueEmpty):
                    self.queue.get_nowait()
                self.dropped += 1
            self.queue.put_nowait(item)

    async def __aiter__(self) -> AsyncIterator[T]:
        while True:
            yield await self.queue.get()


@dataclass
class Feeds:
    listeners: set[Listener[object]] = field(default_factory=set)
    delivered: int = 0

    async def on_event(self, event: Event) -> None:
        self.delivered += 1
        for listener in list(self.listeners):
            listener.offer(event)

    def listen(
        self, select: Callable[[Event], T | None]
    ) -> contextlib.AbstractAsyncContextManager[Listener[T]]:
        """Listen for one item (or None) per event."""

        def one(event: Event) -> tuple[T, ...]:
            item = select(event)
            return () if item is None else (item,)

        return self.listen_many(one)

    @contextlib.asynccontextmanager
    async def listen_many(
        self, select: Callable[[Event], Iterable[T]]
    ) -> AsyncIterator[Listener[T]]:
        """Listen for any number of items per event (e.g. one per proposal of a list)."""
        listener: Listener[T] = Listener(select)
        self.listeners.add(listener)  # type: ignore[arg-type]
        try:
            yield listener
        finally:
            self.listeners.discard(listener)  # type: ignore[arg-type,unused-ignore]

    def subscription(self) -> Subscription:
        """Each gateway instance its own group, starting at the end: feeds are live only."""
        group = f"gateway.feeds.{secrets.token_hex(6)}"
        return Subscription(group, dict.fromkeys(feed_events(), self.on_event), from_latest=True)
