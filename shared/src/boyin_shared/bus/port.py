"""The event bus port.

Delivery is at least once: a consumer commits an event only after its handler
succeeded (or the event was dead-lettered), so handlers must be idempotent (see
:mod:`boyin_shared.outbox` for the inbox kept inside each aggregate document).
Events with the same ``subject`` keep their order.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from boyin_shared.events import Event

Handler = Callable[[Any], Awaitable[None]]


@dataclass(frozen=True)
class Subscription:
    """A consumer group and the handlers it runs, one per event class."""

    group: str
    handlers: Mapping[type[Event], Handler]
    #: attempts for a handler that raises a non-transient error before dead-lettering
    max_attempts: int = 5
    backoff_seconds: float = 0.05
    max_backoff_seconds: float = 5.0
    #: a new group starts at the end of the log (live feeds) instead of its beginning
    from_latest: bool = False

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(sorted({cls.topic for cls in self.handlers}))

    @property
    def dead_letter_topic(self) -> str:
        return dead_letter_topic(self.group)


def dead_letter_topic(group: str) -> str:
    return f"boyin.dlq.{group}"


class EventBus(Protocol):
    def subscribe(self, subscription: Subscription) -> None:
        """Register a consumer group; call before :meth:`start`."""
        ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def publish(self, events: Sequence[Event]) -> None:
        """Return once every event is durably stored by the bus; raise otherwise."""
        ...

    def is_ready(self) -> bool: ...
