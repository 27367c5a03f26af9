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


class DeadLetterSink(Protocol):
    """Where a service keeps its dead letters for an operator (its own database)."""

    async def keep(self, record: Mapping[str, Any]) -> None: ...


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
    #: where dead letters are kept for an operator to list and replay, besides the
    #: dead-letter topic (the service host gives every subscription its service's)
    dead_letters: DeadLetterSink | None = None

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(sorted({cls.topic for cls in self.handlers}))

    @property
    def dead_letter_topic(self) -> str:
        return dead_letter_topic(self.group)


class DuplicateHandler(ValueError):
    """Two handler tables of one consumer group claim the same event class."""


def handlers(*tables: Mapping[type[Event], Handler]) -> dict[type[Event], Handler]:
    """One consumer group's handler tables as one, refusing an event claimed twice.

    ``{**a, **b}`` would let ``b``'s handler replace ``a``'s without a word; this raises
    :class:`DuplicateHandler` naming the event and both handlers instead. An event that
    really needs two effects gets one handler that does both, or a second group."""
    merged: dict[type[Event], Handler] = {}
    for table in tables:
        for cls, handler in table.items():
            if cls in merged:
                fields = cls.model_fields
                raise DuplicateHandler(
                    f"{cls.__name__} ({fields['type'].default} "
                    f"v{fields['schemaversion'].default}) is handled by both "
                    f"{_name(merged[cls])} and {_name(handler)}"
                )
            merged[cls] = handler
    return merged


def _name(handler: Handler) -> str:
    return getattr(handler, "__qualname__", repr(handler))


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
