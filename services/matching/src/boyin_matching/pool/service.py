"""The pool's use cases: keep the projection of the registry's parties, and the pool of
published demands every worker holds in memory.

Every worker keeps the whole pool in memory (vectors and facts as arrays, ``Matcher``)
and follows the shared change log, so any worker can match any new demand; Kafka's
consumer group decides which worker handles which demand (by partition), so each is
matched once.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from boyin_matching.pool.domain import Counterpart, DistrictSupply
from boyin_matching.pool.repository import Counterparts, DistrictSupplies, Profiles, Taxonomy
from boyin_matching.ranking.matcher import Matcher
from boyin_matching.ranking.profiles import Profile
from boyin_shared.errors import not_found
from boyin_shared.retry import AGAIN, Again, optimistic
from boyin_shared.store import AlreadyExists

F32 = NDArray[np.float32]


@dataclass
class Parties:
    """Matching's copy of the registry's parties: each counterpart as of its latest
    revision, and each district's organisations counted once per registration event."""

    counterparts: Counterparts
    supplies: DistrictSupplies

    async def registered(self, party: Counterpart) -> None:
        """A party registered or changed (an older revision, or a repeat, changes nothing)."""
        await self.counterparts.put_newer(party, lambda c: c.revision)

    async def count_organisation(self, district: str, event_id: str) -> None:
        """One more organisation in ``district`` (counted once per event: the inbox)."""

        async def attempt() -> Again | None:
            loaded = await self.supplies.get(district)
            if loaded is None:
                try:
                    await self.supplies.add(DistrictSupply(district, 1), consumed=event_id)
                    return None
                except AlreadyExists:
                    return AGAIN
            if loaded.applied(event_id):
                return None
            saved = await self.supplies.save(loaded, loaded.aggregate.plus_one(), consumed=event_id)
            return None if saved else AGAIN

        await optimistic(
            attempt,
            attempts=20,
            exhausted=lambda: RuntimeError(f"could not count organisation in {district}"),
        )

    async def counterpart(self, party_id: str) -> Counterpart:
        loaded = await self.counterparts.get(party_id)
        if loaded is None:
            raise not_found("counterpart", party_id, zh_kind="匹配对象")
        return loaded.aggregate

    async def degree_of(self, talent_id: str) -> str | None:
        loaded = await self.counterparts.get(talent_id)
        return loaded.aggregate.degree if loaded is not None else None

    async def districts(self) -> list[DistrictSupply]:
        return await self.supplies.all()


@dataclass
class Pool:
    """The published demands in memory (``matcher``), kept equal to the stored ones, and
    how many open proposals each demand is on (``exposure``: what the ranking holds a
    widely recommended counterpart back by)."""

    matcher: Matcher
    profiles: Profiles
    taxonomy: Taxonomy
    encode_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    exposure: Counter[str] = field(default_factory=Counter)
    _cursor: str = ""

    async def load(self, on_offer: list[str]) -> None:
        """Fill the in-memory pool from the store (at start-up); ``on_offer``: the demands
        of every open proposal."""
        for code, parent, zh, en in await self.taxonomy.all():
            self.matcher.tree.set(code, parent, zh, en)
        loaded = await self.profiles.all()
        if loaded:
            vectors = np.stack([v for _, v in loaded])
            self.matcher.add_many([p for p, _ in loaded], vectors)
        self._cursor = await self.profiles.latest_change()
        self.exposure.update(on_offer)

    async def sync(self) -> int:
        """Apply what other workers changed since the last sync."""
        applied = 0
        while changes := await self.profiles.since(self._cursor):
            for change_id, demand_id, removed in changes:
                self._cursor = change_id
                if removed:
                    self.matcher.remove(demand_id)
                else:
                    stored = await self.profiles.get(demand_id)
                    if stored is not None:
                        self.matcher.add(stored[0], stored[1])
                applied += 1
            if len(changes) < 1000:
                break
        return applied

    async def set_taxonomy(
        self, code: str, parent: str | None, zh: str, en: str, version: int
    ) -> None:
        await self.taxonomy.put(code, parent, zh, en, version)
        self.matcher.tree.set(code, parent, zh, en)

    async def vector(self, profile: Profile) -> F32:
        async with self.encode_lock:  # one encoding at a time: the model is CPU-bound
            return await asyncio.to_thread(self.matcher.vector_of, profile)

    async def publish(self, profile: Profile) -> bool:
        """A demand was published (or changed while published): store and index it.
        False for an older revision, or a repeat."""
        vector = await self.vector(profile)
        if not await self.profiles.put(profile, vector):
            return False
        await self.sync()
        self.matcher.add(profile, vector)
        return True

    async def drop(self, demand_id: str, revision: int) -> bool:
        """A demand left the shelf: forget it (False if a newer revision is stored)."""
        if not await self.profiles.drop(demand_id, revision):
            return False
        self.matcher.remove(demand_id)
        return True

    async def relevance(self, query: str, candidates: list[str]) -> list[float]:
        """Each candidate text's relevance to ``query``, as the ranking scores meaning."""
        async with self.encode_lock:
            scores = await asyncio.to_thread(self.matcher.relevance, query, candidates)
        return [round(float(x), 4) for x in scores]

    def profile(self, demand_id: str) -> Profile | None:
        return self.matcher.profile(demand_id)

    async def owner_of(self, demand_id: str) -> str | None:
        """The party that owns a demand in the pool, or stored (None: not on the shelf)."""
        profile = self.matcher.profile(demand_id)
        if profile is not None:
            return profile.owner_id
        stored = await self.profiles.get(demand_id)
        return stored[0].owner_id if stored else None
