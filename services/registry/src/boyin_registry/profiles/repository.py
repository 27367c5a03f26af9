"""The registry's repositories: every query on its collections lives here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from boyin_registry import documents
from boyin_registry.domain.demands import Demand
from boyin_registry.domain.profiles import Organisation, Talent
from boyin_shared.identity import Actor, Role
from boyin_shared.outbox import Outbox
from boyin_shared.repository import AggregateRepository
from boyin_shared.store import AlreadyExists, DocumentStore, Index


class Organisations(AggregateRepository[Organisation]):
    collection_name = "organisations"
    indexes = (
        Index((("credit_code", 1),), unique=True),
        Index((("district_code", 1), ("_id", 1))),
    )

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(
            store,
            outbox,
            to_state=documents.organisation_state,
            from_doc=documents.organisation_from,
        )

    async def page(
        self, *, district_code: str | None = None, after: str | None = None, limit: int = 50
    ) -> list[Organisation]:
        flt: dict[str, object] = {}
        if district_code:
            flt["district_code"] = district_code
        if after:
            flt["_id"] = {"$gt": after}
        docs = await self.collection.find(flt, sort=[("_id", 1)], limit=limit)
        return [self.from_doc(d) for d in docs]


class Talents(AggregateRepository[Talent]):
    collection_name = "talents"
    indexes = (Index((("contact.email", 1),), unique=True),)

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(
            store, outbox, to_state=documents.talent_state, from_doc=documents.talent_from
        )

    async def page(self, *, after: str | None = None, limit: int = 50) -> list[Talent]:
        flt: dict[str, object] = {"_id": {"$gt": after}} if after else {}
        docs = await self.collection.find(flt, sort=[("_id", 1)], limit=limit)
        return [self.from_doc(d) for d in docs]


@dataclass(frozen=True)
class DemandQuery:
    channel: str | None = None
    status: str | None = None
    district_code: str | None = None
    taxonomy_code: str | None = None
    language: str | None = None
    edition: str | None = None
    owner_id: str | None = None
    after: str | None = None
    limit: int = 50


def visible_to(actor: Actor) -> dict[str, Any]:
    """What ``actor`` may list: staff all, district officers their district, others what is
    published plus their own."""
    if actor.is_staff:
        return {}
    if actor.role is Role.DISTRICT_OFFICER:
        return {"district_code": actor.district_code or "-"}
    if actor.party_id and actor.role in (Role.TALENT, Role.ORGANISATION):
        return {"$or": [{"status": "PUBLISHED"}, {"owner_id": actor.party_id}]}
    return {"status": "PUBLISHED"}


class Demands(AggregateRepository[Demand]):
    collection_name = "demands"
    indexes = (
        Index((("status", 1), ("_id", 1))),
        Index((("district_code", 1), ("_id", 1))),
        Index((("owner_id", 1),)),
    )

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(
            store, outbox, to_state=documents.demand_state, from_doc=documents.demand_from
        )
        #: external reference (spreadsheet key) -> demand id; ``_id`` is the key itself,
        #: so claiming a key is one atomic insert
        self.refs = store.collection("demand_refs")

    async def page(self, query: DemandQuery, actor: Actor) -> list[Demand]:
        parts: list[dict[str, Any]] = []
        scope = visible_to(actor)
        if scope:
            parts.append(scope)
        for key in ("channel", "status", "district_code", "language", "owner_id"):
            value = getattr(query, key)
            if value:
                parts.append({key: value})
        if query.taxonomy_code:
            parts.append({"taxonomy_codes": query.taxonomy_code})
        if query.edition:
            parts.append({"editions": query.edition})
        if query.after:
            parts.append({"_id": {"$gt": query.after}})
        flt: dict[str, Any] = {"$and": parts} if parts else {}
        docs = await self.collection.find(flt, sort=[("_id", 1)], limit=query.limit)
        return [self.from_doc(d) for d in docs]

    async def changed_since(self, cursor: str | None, actor: Actor, limit: int) -> list[Demand]:
        """Demands changed after ``cursor`` ("<updated_at>|<id>"), oldest change first."""
        parts: list[dict[str, Any]] = []
        scope = visible_to(actor)
        if scope:
            parts.append(scope)
        if cursor:
            at, _, last = cursor.partition("|")
            parts.append(
                {"$or": [{"updated_at": {"$gt": at}}, {"updated_at": at, "_id": {"$gt": last}}]}
            )
        flt: dict[str, Any] = {"$and": parts} if parts else {}
        docs = await self.collection.find(flt, sort=[("updated_at", 1), ("_id", 1)], limit=limit)
        return [self.from_doc(d) for d in docs]

    async def due(self, today: date, limit: int = 200) -> list[Demand]:
        docs = await self.collection.find(
            {"status": "PUBLISHED", "expires_on": {"$lt": today.isoformat()}},
            sort=[("_id", 1)],
            limit=limit,
        )
        return [self.from_doc(d) for d in docs]

    async def id_for_ref(self, ref: str) -> str | None:
        doc = await self.refs.get(ref)
        return None if doc is None else str(doc["demand_id"])

    async def claim_ref(self, ref: str, demand_id: str) -> str:
        """Bind ``ref`` to ``demand_id`` unless it is bound already; returns the bound id."""
        try:
            await self.refs.insert({"_id": ref, "demand_id": demand_id})
            return demand_id
        except AlreadyExists:
            existing = await self.id_for_ref(ref)
            assert existing is not None
            return existing
