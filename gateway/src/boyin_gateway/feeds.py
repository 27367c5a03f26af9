"""Live feeds: the gateway listens to the platform's events and fans them out to the
GraphQL subscriptions of the people allowed to see them.

Each subscriber has a bounded queue: a slow subscriber loses its oldest items (and is told
how many) instead of holding anyone else up.

A subscriber's feed lasts as long as its sign-in: the session is checked again before each
item is delivered, and the feed ends when the access token it was opened with expires, even
if nothing is delivered meanwhile (``SessionEnded``; the client signs in again or refreshes
and subscribes anew).
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from graphql import GraphQLError
from prometheus_client import Gauge

import boyin_shared.contracts  # noqa: F401  (registers every contract in the catalogue)
from boyin_shared.bus import Subscription
from boyin_shared.events import CATALOG, Event

T = TypeVar("T")


def feed_events() -> tuple[type[Event], ...]:
    """Every event of the platform: each contract of the catalogue (every version), so a
    new contract reaches the feeds (the operators' ``pipelineEvents`` shows them all)
    without anyone listing it here."""
    return tuple(dict.fromkeys(CATALOG.values()))


SUBSCRIBERS = Gauge("boyin_feed_subscribers", "Open GraphQL subscriptions to the live feeds")

#: items a subscriber's queue holds before its oldest are dropped
QUEUE_BOUND = 200


@dataclass(eq=False)  # each listener is its own (hashable by identity)
class Listener(Generic[T]):
    """One subscriber: a filter that turns an event into its items (none, one or several),
    and a queue bounded per item."""

    select: Callable[[Event], Iterable[T]]
    queue: asyncio.Queue[T] = field(default_factory=lambda: asyncio.Queue(maxsize=QUEUE_BOUND))
    dropped: int = 0
    session: Session | None = None

    def offer(self, event: Event) -> None:
        for item in self.select(event):
            if self.queue.full():
                with contextlib.suppress(asyncio.QueueEmpty):
                    self.queue.get_nowait()
                self.dropped += 1
            self.queue.put_nowait(item)

    async def __aiter__(self) -> AsyncIterator[T]:
        session = self.session
        while True:
            if session is None:
                yield await self.queue.get()
                continue
            left = session.expires_at - time.time()
            if left <= 0:
                raise SessionEnded
            try:
                item = await asyncio.wait_for(self.queue.get(), timeout=left)
            except TimeoutError:
                raise SessionEnded from None
            if not await session.live():
                raise SessionEnded
            yield item


class SessionEnded(GraphQLError):
    """The subscriber signed out, or the token its feed was opened with expired: the feed's
    last message, an error the caller reads (``SESSION_ENDED``), not a masked fault."""

    def __init__(self) -> None:
        super().__init__(
            "The session has ended; sign in again and subscribe anew.",
            extensions={
                "code": "SESSION_ENDED",
                "message": {
                    "zh": "登录已结束，请重新登录后再订阅",
                    "en": "the session has ended; sign in again and subscribe anew",
                },
            },
        )


@dataclass(frozen=True)
class Session:
    """The sign-in a feed belongs to: when its token expires (epoch seconds), and whether it
    is still signed in."""

    expires_at: float
    live: Callable[[], Awaitable[bool]]


@dataclass
class Feeds:
    listeners: set[Listener[object]] = field(default_factory=set)
    delivered: int = 0
    #: told of every event before the subscribers (what the gateway keeps, e.g. reference
    #: data, forgets what an event changed)
    watchers: list[Callable[[Event], None]] = field(default_factory=list)

    async def on_event(self, event: Event) -> None:
        self.delivered += 1
        for watch in self.watchers:
            watch(event)
        for listener in list(self.listeners):
            listener.offer(event)

    def listen(
        self, select: Callable[[Event], T | None], session: Session | None = None
    ) -> contextlib.AbstractAsyncContextManager[Listener[T]]:
        """Listen for one item (or None) per event, while ``session`` lasts (None: for ever)."""

        def one(event: Event) -> tuple[T, ...]:
            item = select(event)
            return () if item is None else (item,)

        return self.listen_many(one, session)

    @contextlib.asynccontextmanager
    async def listen_many(
        self, select: Callable[[Event], Iterable[T]], session: Session | None = None
    ) -> AsyncIterator[Listener[T]]:
        """Listen for any number of items per event (e.g. one per proposal of a list)."""
        listener: Listener[T] = Listener(select, session=session)
        self.listeners.add(listener)  # type: ignore[arg-type]
        SUBSCRIBERS.inc()
        try:
            yield listener
        finally:
            self.listeners.discard(listener)  # type: ignore[arg-type,unused-ignore]
            SUBSCRIBERS.dec()

    def subscription(self) -> Subscription:
        """Each gateway instance its own group, starting at the end: feeds are live only."""
        group = f"gateway.feeds.{secrets.token_hex(6)}"
        return Subscription(group, dict.fromkeys(feed_events(), self.on_event), from_latest=True)
