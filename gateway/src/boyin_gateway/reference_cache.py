"""The registry's reference data kept in the gateway: districts, editions, criteria and the
industry taxonomy are read by nearly every page and change only when an operator edits
the taxonomy (a quarter of the read load went to reading them through the gateway).

What is kept is one version of the reference data: the taxonomy's, which every change
bumps and announces (``TaxonomyChanged``); a taxonomy older than one already read is not
kept. The gateway's live feeds hear every event
(:meth:`ReferenceCache.on_event`); a change empties the cache, and an answer read while a
change arrived is not kept (it may predate the change). A change made through this gateway
empties it at once (:meth:`ReferenceCache.changed`); one made elsewhere as soon as its
event arrives, as every other read model the events feed. Should events stop arriving
(the bus away), nothing is kept longer than ``max_age`` seconds.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from boyin_gateway.clients import Registry
from boyin_shared.api.registry import CriterionOut, NamedOut, TaxonomyOut
from boyin_shared.contracts.registry import TaxonomyChanged
from boyin_shared.events import Event

T = TypeVar("T")

#: the longest anything is kept without an event saying it is still current
MAX_AGE_SECONDS = 60.0


@dataclass
class ReferenceCache:
    max_age: float = MAX_AGE_SECONDS
    #: the newest taxonomy version read (None: none yet); an older answer is not kept
    version: int | None = None
    #: changes heard so far: an answer read across a change is not kept
    changes: int = 0
    #: answers read from the registry (the rest came from the cache)
    reads: int = 0
    _kept: dict[str, tuple[float, Any]] = field(default_factory=dict)

    def on_event(self, event: Event) -> None:
        """The bus's events (every one the gateway's feeds hear): a taxonomy change empties
        the cache (only the event's type is read)."""
        if isinstance(event, TaxonomyChanged):
            self.changed()

    def changed(self) -> None:
        """The reference data changed: forget what is kept."""
        self.changes += 1
        self._kept.clear()

    async def districts(self, registry: Registry) -> list[NamedOut]:
        return await self._get("districts", registry.districts)

    async def editions(self, registry: Registry) -> list[NamedOut]:
        return await self._get("editions", registry.editions)

    async def criteria(self, registry: Registry) -> list[CriterionOut]:
        return await self._get("criteria", registry.criteria)

    async def taxonomy(self, registry: Registry) -> TaxonomyOut:
        return await self._get("taxonomy", registry.taxonomy)

    async def _get(self, key: str, read: Callable[[], Awaitable[T]]) -> T:
        kept = self._kept.get(key)
        now = time.monotonic()
        if kept is not None and now - kept[0] < self.max_age:
            found: T = kept[1]
            return found
        changes = self.changes
        self.reads += 1
        value = await read()
        if isinstance(value, TaxonomyOut):
            if self.version is not None and value.version < self.version:
                return value  # older than one already read (another replica lagging): not kept
            self.version = value.version
        if changes == self.changes:  # no change arrived while it was read
            self._kept[key] = (now, value)
        return value
