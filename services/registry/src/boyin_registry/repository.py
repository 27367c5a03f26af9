"""The registry's repositories: every query on its collections lives here."""

from __future__ import annotations

from boyin_registry import documents
from boyin_registry.domain.profiles import Organisation, Talent
from boyin_shared.outbox import Outbox
from boyin_shared.repository import AggregateRepository
from boyin_shared.store import DocumentStore, Index


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
