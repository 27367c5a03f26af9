"""Matching's stored state: published profiles with their vectors, the taxonomy tree, the
proposals, and a short change log the workers follow to keep their in-memory pools equal."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from boyin_matching.ranking.finishing import Candidate
from boyin_matching.ranking.profiles import Profile
from boyin_shared.clock import new_id, utcnow
from boyin_shared.store import AlreadyExists, Document, DocumentStore, Edit, Index, Update

F32 = NDArray[np.float32]


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
        for _ in range(10):
            current = await self.collection.get(profile.demand_id)
            if current is None:
                try:
                    await self.collection.insert(doc)
                    break
                except AlreadyExists:
                    continue
            if current["revision"] > profile.revision:
                return False
            if await self.collection.replace(doc, expected_rev=current["_rev"]):
                break
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

    async def since(self, after: str, limit: int = 1000) -> list[Document]:
        return await self.log.find({"_id": {"$gt": after}}, sort=[("_id", 1)], limit=limit)

    async def all(self) -> list[Document]:
        return await self.collection.find({})

    async def get(self, demand_id: str) -> tuple[Profile, F32] | None:
        doc = await self.collection.get(demand_id)
        return None if doc is None else profile_of(doc)


@dataclass
class Taxonomy:
    store: DocumentStore

    def __post_init__(self) -> None:
        self.collection = self.store.collection("taxonomy")

    async def put(self, code: str, parent: str | None, zh: str, en: str, version: int) -> None:
        doc = {"_id": code, "parent": parent, "zh": zh, "en": en, "version": version}
        current = await self.collection.get(code)
        if current is None:
            try:
                await self.collection.insert(doc)
            except AlreadyExists:
                await self.put(code, parent, zh, en, version)
        elif current["version"] <= version:
            await self.collection.replace(doc, expected_rev=current["_rev"])

    async def all(self) -> list[Document]:
        return await self.collection.find({})


PROPOSED, MUTUAL, DECLINED, WITHDRAWN = "PROPOSED", "MUTUAL", "DECLINED", "WITHDRAWN"


def match_id(supply_id: str, demand_id: str) -> str:
    return f"{supply_id}~{demand_id}"


#: why the system (not a person) withdrew a proposal: its ranking no longer lists it, or
#: one of its demands left the shelf ("rematch": the name superseded had before)
SYSTEM_WITHDRAWALS = ("superseded", "removed", "rematch")


def ranked_by(doc: Document) -> str | None:
    """The demand whose ranking proposed this match (None: an operator, or unknown)."""
    by = doc.get("ranked_by")
    return str(by) if by is not None else None


def untouched(doc: Document) -> bool:
    """Nobody has answered it and no operator has reviewed it."""
    return doc["review"] == "pending" and not doc["responses"]


def revivable(doc: Document) -> bool:
    """Withdrawn by the system, never answered or reviewed: a ranking that lists it again
    proposes it again."""
    return (
        doc["status"] == WITHDRAWN
        and doc.get("withdrawn_by") in SYSTEM_WITHDRAWALS
        and untouched(doc)
    )


def candidate_state(c: Candidate) -> dict[str, Any]:
    """A candidate's stored numbers. ``Finishing`` made every number but the score with 6
    decimals already (feedback only rescales the score): only the score is rounded here.
    The shared terms are not stored: an explanation takes them from the profiles when it
    is read (as the rest of its text)."""
    return {
        "score": round(c.score, 6),
        "forward": c.forward,
        "reverse": c.reverse,
        "cosine": c.cosine,
        "semantic_forward": c.semantic_forward,
        "semantic_reverse": c.semantic_reverse,
        "taxonomy": c.taxonomy,
        "lexical": c.lexical,
        "signals": dict(c.signals),
        "capped": c.capped,
    }


def candidate_of(doc: Document, demand_id: str) -> Candidate:
    return Candidate(
        demand_id=demand_id,
        score=doc["score"],
        forward=doc["forward"],
        reverse=doc["reverse"],
        cosine=doc["cosine"],
        semantic_forward=doc["semantic_forward"],
        semantic_reverse=doc["semantic_reverse"],
        taxonomy=doc["taxonomy"],
        lexical=doc["lexical"],
        signals=doc["signals"],
        shared_terms=tuple(doc.get("shared_terms", ())),
        capped=doc["capped"],
    )


@dataclass
class Proposals:
    """Proposed matches (one document per pair), and each demand's ranking: the match ids
    on its latest list, best first, whose document announces the newly listed ones."""

    store: DocumentStore

    def __post_init__(self) -> None:
        self.collection = self.store.collection("proposals")
        self.rankings = self.store.collection("rankings")

    async def prepare(self) -> None:
        await self.collection.ensure_indexes(
            [
                Index((("party_ids", 1), ("score", -1)), over_list=True),
                Index((("review", 1),)),
                Index((("ranked_by", 1), ("status", 1))),
            ]
        )

    async def of_demand(self, demand_id: str, limit: int = 50) -> list[Document]:
        """Open matches of a demand. A declined one stays on both lists: the side that said
        no can change its mind, and the other side is never told (it sees it as open)."""
        return await self.collection.find(
            {"party_ids": demand_id, "status": {"$in": [PROPOSED, MUTUAL, DECLINED]}},
            sort=[("score", -1)],
            limit=limit,
        )

    async def pending_review(self, limit: int = 100) -> list[Document]:
        return await self.collection.find(
            {"review": "pending", "status": PROPOSED}, sort=[("score", -1)], limit=limit
        )

    async def by_id(self, ids: Sequence[str]) -> dict[str, Document]:
        return {d["_id"]: d for d in await self.collection.get_many(ids)}

    async def open_ones_of(self, rankings: Sequence[str]) -> dict[str, Document]:
        """The open proposals these demands' rankings made."""
        docs = await self.collection.find(
            {"ranked_by": {"$in": list(rankings)}, "status": PROPOSED}
        )
        return {d["_id"]: d for d in docs}

    async def rankings_of(self, demand_ids: Sequence[str]) -> dict[str, Document]:
        return {d["_id"]: d for d in await self.rankings.get_many(demand_ids)}

    async def rescore(
        self,
        scored: Mapping[str, Mapping[str, Any]],
        superseded: Sequence[Document] = (),
        revived: Mapping[str, tuple[int, Mapping[str, Any]]] = {},
    ) -> int:
        """In one round trip: new scores (and what goes with them) for open proposals, one
        answered or reviewed meanwhile left as it is; the given ones withdrawn as
        superseded and the given withdrawn ones (id -> revision read, new fields) proposed
        again, each unless written since it was read. Returns how many were written."""
        now = utcnow().isoformat()
        return await self.collection.update_many(
            [
                Edit(mid, Update(set={**fields, "updated_at": now}), where={"status": PROPOSED})
                for mid, fields in scored.items()
            ]
            + [
                Edit(
                    doc["_id"],
                    Update(
                        set={"status": WITHDRAWN, "withdrawn_by": "superseded", "updated_at": now}
                    ),
                    where={"_rev": doc["_rev"]},
                )
                for doc in superseded
            ]
            + [
                Edit(mid, Update(set={**fields, "updated_at": now}), where={"_rev": rev})
                for mid, (rev, fields) in revived.items()
            ]
        )

    async def withdraw_all_of(self, demand_id: str) -> list[Document]:
        """Withdraw a demand's open and declined matches (it left the shelf); a mutual
        match is kept: it has happened. Returns the documents withdrawn, as they were."""
        withdrawn = []
        open_ = {"$in": [PROPOSED, DECLINED]}
        now = utcnow().isoformat()
        for doc in await self.collection.find({"party_ids": demand_id, "status": open_}):
            if await self.collection.update(
                doc["_id"],
                Update(set={"status": WITHDRAWN, "withdrawn_by": "removed", "updated_at": now}),
                where={"_rev": doc["_rev"]},
            ):
                withdrawn.append(doc)
        return withdrawn
