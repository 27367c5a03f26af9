"""Scheduling's repositories: every query on its collections lives here."""

from __future__ import annotations

from collections.abc import Sequence

from boyin_scheduling import documents
from boyin_scheduling.domain.attendance import Attendance
from boyin_scheduling.domain.editions import Edition
from boyin_scheduling.domain.meetings import Meeting, Status
from boyin_scheduling.domain.schedules import Schedule
from boyin_scheduling.domain.sessions import Session
from boyin_scheduling.fair import PartyInfo
from boyin_shared.outbox import Outbox
from boyin_shared.repository import AggregateRepository
from boyin_shared.store import DocumentStore, Index


class Editions(AggregateRepository[Edition]):
    collection_name = "editions"
    indexes = (Index((("status", 1), ("first_day", 1))),)

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(
            store, outbox, to_state=documents.edition_state, from_doc=documents.edition_from
        )

    async def listed(self, statuses: Sequence[str]) -> list[Edition]:
        docs = await self.collection.find(
            {"status": {"$in": list(statuses)}}, sort=[("first_day", -1)], limit=200
        )
        return [self.from_doc(d) for d in docs]


class Sessions(AggregateRepository[Session]):
    collection_name = "sessions"
    indexes = (
        Index((("edition_id", 1), ("start", 1))),
        Index((("people", 1),), over_list=True),
    )

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(
            store, outbox, to_state=documents.session_state, from_doc=documents.session_from
        )

    async def of_edition(
        self, edition_id: str, statuses: Sequence[str] | None = None
    ) -> list[Session]:
        flt: dict[str, object] = {"edition_id": edition_id}
        if statuses is not None:
            flt["status"] = {"$in": list(statuses)}
        docs = await self.collection.find(flt, sort=[("start", 1), ("_id", 1)])
        return [self.from_doc(d) for d in docs]

    async def of_party(self, edition_id: str, party_id: str) -> list[Session]:
        docs = await self.collection.find(
            {"edition_id": edition_id, "people": party_id}, sort=[("start", 1)]
        )
        return [self.from_doc(d) for d in docs]


class Attendances(AggregateRepository[Attendance]):
    collection_name = "attendance"
    indexes = (
        Index((("edition_id", 1), ("party_id", 1)), unique=True),
        Index((("checkin_token", 1),), unique=True),
        Index((("calendar_token", 1),), unique=True),
    )

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(
            store, outbox, to_state=documents.attendance_state, from_doc=documents.attendance_from
        )

    async def of_edition(self, edition_id: str) -> list[Attendance]:
        docs = await self.collection.find({"edition_id": edition_id})
        return [self.from_doc(d) for d in docs]

    async def by_token(self, field: str, token: str) -> Attendance | None:
        docs = await self.collection.find({field: token}, limit=1)
        return self.from_doc(docs[0]) if docs else None


class Meetings(AggregateRepository[Meeting]):
    collection_name = "meetings"
    indexes = (
        Index((("edition_id", 1), ("status", 1))),
        Index((("parties", 1), ("edition_id", 1)), over_list=True),
    )

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(
            store, outbox, to_state=documents.meeting_state, from_doc=documents.meeting_from
        )

    async def of_edition(
        self, edition_id: str, statuses: Sequence[Status] | None = None
    ) -> list[Meeting]:
        """Every meeting of the edition (one query: a fair has thousands, not millions)."""
        flt: dict[str, object] = {"edition_id": edition_id}
        if statuses is not None:
            values = [s.value for s in statuses]
            flt["status"] = values[0] if len(values) == 1 else {"$in": values}
        return [self.from_doc(d) for d in await self.collection.find(flt)]

    async def of_party(
        self,
        party_id: str,
        edition_id: str | None = None,
        *,
        after: str | None = None,
        limit: int = 100,
    ) -> list[Meeting]:
        flt: dict[str, object] = {"parties": party_id}
        if edition_id:
            flt["edition_id"] = edition_id
        if after:
            flt["_id"] = {"$gt": after}
        docs = await self.collection.find(flt, sort=[("_id", 1)], limit=limit)
        return [self.from_doc(d) for d in docs]

    async def page(
        self, edition_id: str, *, status: str | None, after: str | None, limit: int
    ) -> list[Meeting]:
        flt: dict[str, object] = {"edition_id": edition_id}
        if status:
            flt["status"] = status
        if after:
            flt["_id"] = {"$gt": after}
        docs = await self.collection.find(flt, sort=[("_id", 1)], limit=limit)
        return [self.from_doc(d) for d in docs]


class Schedules(AggregateRepository[Schedule]):
    collection_name = "schedules"

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(
            store, outbox, to_state=documents.schedule_state, from_doc=documents.schedule_from
        )


class Parties(AggregateRepository[PartyInfo]):
    """Scheduling's own copy of the registry's talents and organisations (names, zones)."""

    collection_name = "parties"

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(
            store, outbox, to_state=documents.party_state, from_doc=documents.party_from
        )
