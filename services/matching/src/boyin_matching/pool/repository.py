"""Every query and write of the pool's collections: the counterparts and district
counts (projections of the registry's parties), the published profiles with their
vectors and the change log the workers follow to keep their in-memory pools equal, and
the taxonomy tree."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from boyin_matching.pool.domain import Counterpart, DistrictSupply
from boyin_matching.ranking.profiles import Profile
from boyin_shared.clock import new_id, utcnow
from boyin_shared.outbox import Outbox
from boyin_shared.repository import AggregateRepository
from boyin_shared.retry import AGAIN, Again, optimistic
from boyin_shared.store import AlreadyExists, Document, DocumentStore, Index

F32 = NDArray[np.float32]

# -- registered parties --------------------------------------------------------------------


def _counterpart_state(c: Counterpart) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "name_zh": c.name_zh,
        "name_en": c.name_en,
        "district_code": c.district_code,
        "taxonomy_codes": list(c.taxonomy_codes),
        "revision": c.revision,
        "degree": c.degree,
    }


def _counterpart_from(doc: Document) -> Counterpart:
    return Counterpart(
        id=doc["_id"],
        kind=doc["kind"],
        name_zh=doc["name_zh"],
        name_en=doc["name_en"],
        district_code=doc["district_code"],
        taxonomy_codes=tuple(doc["taxonomy_codes"]),
        revision=doc["revision"],
        degree=doc.get("degree"),
    )


class Counterparts(AggregateRepository[Counterpart]):
    collection_name = "counterparts"
    indexes = (Index((("kind", 1), ("district_code", 1))),)

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(store, outbox, to_state=_counterpart_state, from_doc=_counterpart_from)


class DistrictSupplies(AggregateRepository[DistrictSupply]):
    collection_name = "district_supply"

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(
            store,
            outbox,
            to_state=lambda s: {"organisations": s.organisations},
            from_doc=lambda d: DistrictSupply(d["_id"], d["organisations"]),
        )

    async def all(self) -> list[DistrictSupply]:
        return [self.from_doc(d) for d in await self.collection.find(sort=[("_id", 1)])]


# -- published profiles --------------------------------------------------------------------


def pack(vector: F32) -> str:
    """A vector as base64 float16 (1 KB for 512 dimensions)."""
    return base64.b64encode(vector.astype(np.float16).tobytes()).decode()


def unpack(text: str) -> F32:
    out: F32 = np.frombuffer(base64.b64decode(text), np.float16).astype(np.float32)
    return out


def profile_doc(p: Profile, vector: F32) -> Document:
    return {
        "_id": p.demand_id,
        "channel": p.channel,
        "owner_kind": p.owner_kind,
        "owner_id": p.owner_id,
        "district_code": p.district_code,
        "language": p.language,
        "title": {"zh": p.title_zh, "en": p.title_en},
        "description": {"zh": p.description_zh, "en": p.description_en},
        "keywords": list(p.keywords),
        "taxonomy_codes": list(p.taxonomy_codes),
        "details": dict(p.details),
        "editions": list(p.editions),
        "criteria": sorted(p.criteria),
        "revision": p.revision,
        "capacity": p.capacity,
        "degree": p.degree,
        "vector": pack(vector),
    }


def profile_of(doc: Document) -> tuple[Profile, F32]:
    profile = Profile(
        demand_id=doc["_id"],
        channel=doc["channel"],
        owner_kind=doc["owner_kind"],
        owner_id=doc["owner_id"],
        district_code=doc.get("district_code"),
        language=doc["language"],
        title_zh=doc["title"]["zh"],
        title_en=doc["title"]["en"],
        description_zh=doc["description"]["zh"],
        description_en=doc["description"]["en"],
        keywords=tuple(doc["keywords"]),
        taxonomy_codes=tuple(doc["taxonomy_codes"]),
        details=doc["details"],
        editions=tuple(doc["editions"]),
        criteria=frozenset(doc["criteria"]),
        revision=doc["revision"],
        capacity=doc.get("capacity", 10),
        degree=doc.get("degree"),
    )
    return profile, unpack(doc["vector"])


#: a change to the published profiles: (log entry id, demand id, removed)
Change = tuple[str, str, bool]


@dataclass
class Profiles:
    """Published profiles, and the change log the workers replay."""

    store: DocumentStore

    def __post_init__(self) -> None:
        self.collection = self.store.collection("profiles")
        self.log = self.store.collection("profile_log")

    async def put(self, profile: Profile, vector: F32) -> bool:
        """Store a published revision (again, if repeated); False if a newer one is stored."""
        doc = profile_doc(profile, vector)

        async def attempt() -> bool | Again:
            current = await self.collection.get(profile.demand_id)
            if current is None:
                try:
                    await self.collection.insert(doc)
                    return True
                except AlreadyExists:
                    return AGAIN
            if current["revision"] > profile.revision:
                return False
            return (
                True if await self.collection.replace(doc, expected_rev=current["_rev"]) else AGAIN
            )

        if not await optimistic(
            attempt, exhausted=lambda: RuntimeError(f"could not store {profile.demand_id}")
        ):
            return False
        await self._logged(profile.demand_id, "upsert")
        return True

    async def drop(self, demand_id: str, revision: int) -> bool:
        current = await self.collection.get(demand_id)
        if current is None or current["revision"] > revision:
            return False
        await self.collection.delete(demand_id)
        await self._logged(demand_id, "remove")
        return True

    async def _logged(self, demand_id: str, op: str) -> None:
        await self.log.insert(
            {"_id": new_id(), "demand_id": demand_id, "op": op, "at": utcnow().isoformat()}
        )

    async def since(self, after: str, limit: int = 1000) -> list[Change]:
        """The changes logged after ``after``, oldest first."""
        entries = await self.log.find({"_id": {"$gt": after}}, sort=[("_id", 1)], limit=limit)
        return [(e["_id"], e["demand_id"], e["op"] == "remove") for e in entries]

    async def latest_change(self) -> str:
        """The id of the latest change logged ("" when none is)."""
        latest = await self.log.find({}, sort=[("_id", -1)], limit=1)
        return str(latest[0]["_id"]) if latest else ""

    async def all(self) -> list[tuple[Profile, F32]]:
        return [profile_of(d) for d in await self.collection.find({})]

    async def get(self, demand_id: str) -> tuple[Profile, F32] | None:
        doc = await self.collection.get(demand_id)
        return None if doc is None else profile_of(doc)


# -- the taxonomy tree -----------------------------------------------------------------------

#: one node of the tree: (code, parent, name in Chinese, name in English)
Node = tuple[str, str | None, str, str]


@dataclass
class Taxonomy:
    store: DocumentStore

    def __post_init__(self) -> None:
        self.collection = self.store.collection("taxonomy")

    async def put(self, code: str, parent: str | None, zh: str, en: str, version: int) -> None:
        """Store a node unless a later version of it is stored."""
        doc = {"_id": code, "parent": parent, "zh": zh, "en": en, "version": version}

        async def attempt() -> Again | None:
            current = await self.collection.get(code)
            if current is None:
                try:
                    await self.collection.insert(doc)
                    return None
                except AlreadyExists:
                    return AGAIN
            if current["version"] > version:
                return None
            return (
                None if await self.collection.replace(doc, expected_rev=current["_rev"]) else AGAIN
            )

        await optimistic(attempt, exhausted=lambda: RuntimeError(f"could not store {code}"))

    async def all(self) -> list[Node]:
        return [(d["_id"], d["parent"], d["zh"], d["en"]) for d in await self.collection.find({})]
