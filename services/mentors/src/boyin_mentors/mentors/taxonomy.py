"""The registry's taxonomy (33618 and 416 codes), learned from the registry itself: its
HTTP API (``GET /reference/taxonomy``, asked as the service) for the whole of it, its
``TaxonomyChanged`` events (:mod:`.consumers`) for every change after. Never read from
the registry's collections.

A profile's codes are checked against what was learned; a code not known is asked for
again (it may have been added since), at most every :data:`REFRESH_SECONDS`. When nothing
is known and the registry does not answer, a profile is refused as unavailable, never
let through unchecked."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

import httpx

from boyin_mentors.mentors.profile import KnownCodes
from boyin_mentors.mentors.repository import Taxonomy
from boyin_mentors.peers import as_self
from boyin_shared.api.registry import TaxonomyOut
from boyin_shared.errors import BoyinError, FieldError, Message

log = logging.getLogger("boyin.mentors.taxonomy")
#: a code not known is asked of the registry again at most this often
REFRESH_SECONDS = 30.0


class TaxonomySource(Protocol):
    async def fetch(self) -> TaxonomyOut | None:
        """The registry's whole taxonomy, or None when it does not answer."""
        ...


@dataclass
class RegistryTaxonomy:
    """The registry's ``GET /reference/taxonomy``."""

    client: Callable[[], httpx.AsyncClient]
    secret: str

    async def fetch(self) -> TaxonomyOut | None:
        try:
            response = await self.client().get("/reference/taxonomy", headers=as_self(self.secret))
            response.raise_for_status()
        except httpx.HTTPError as failed:
            log.warning("the registry's taxonomy is unavailable: %s", failed)
            return None
        return TaxonomyOut.model_validate(response.json())


@dataclass
class LearnedTaxonomy:
    taxonomy: Taxonomy
    source: TaxonomySource
    clock: Callable[[], float] = time.monotonic
    _asked_at: list[float] = field(default_factory=list)
    #: one learning at a time, and no check while one is half-way
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def learn(self) -> bool:
        """Ask the registry for the whole taxonomy and keep it (a node changed by a later
        event than the answer's version stays as the event left it)."""
        async with self._lock:
            return await self._learn()

    async def _learn(self) -> bool:
        self._asked_at[:] = [self.clock()]
        answer = await self.source.fetch()
        if answer is None:
            return False
        for n in answer.nodes:
            await self.taxonomy.put(n.code, n.parent, n.kind == "retired", answer.version)
        return True

    async def codes_for(self, wanted: Iterable[str]) -> KnownCodes:
        """What is known, learned again first when one of ``wanted`` is not."""
        async with self._lock:
            known = await self.taxonomy.known()
            asked = {c.strip().upper() for c in wanted if c.strip()}
            missing = asked - known.active - known.retired
            if missing and self._may_ask(known) and await self._learn():
                known = await self.taxonomy.known()
        if not known.active and not known.retired:
            raise BoyinError(
                code="TAXONOMY_UNAVAILABLE",
                message=Message(
                    "暂时无法核对产业分类代码（登记处不可用），请稍后再试",
                    "the registry's taxonomy cannot be checked now; retry later",
                ),
                fields=[
                    FieldError("expertise_codes", "UNAVAILABLE", Message("暂不可用", "unavailable"))
                ],
                status=503,
            )
        return known

    def _may_ask(self, known: KnownCodes) -> bool:
        empty = not known.active and not known.retired
        return empty or not self._asked_at or self.clock() - self._asked_at[0] >= REFRESH_SECONDS
