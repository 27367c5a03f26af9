"""The ``attendance`` collection: every query and write of attendances, and the explicit
mapping between an attendance and its stored document."""

from __future__ import annotations

from typing import Literal

from boyin_scheduling import stored
from boyin_scheduling.attendance.domain import Attendance, Availability, Span
from boyin_shared.api.scheduling import Mode
from boyin_shared.outbox import Outbox
from boyin_shared.repository import AggregateRepository
from boyin_shared.store import Document, DocumentStore, Index


def availability_state(a: Availability) -> stored.Doc:
    return {
        "mode": a.mode.value,
        "timezone": a.timezone,
        "arrival": stored.dt(a.arrival),
        "departure": stored.dt(a.departure),
        "blocked": [{"start": stored.dt(b.start), "end": stored.dt(b.end)} for b in a.blocked],
        "representatives": a.representatives,
        "min_meetings": a.min_meetings,
    }


def availability_from(d: stored.Doc) -> Availability:
    return Availability(
        mode=Mode(d["mode"]),
        timezone=d["timezone"],
        arrival=stored.dt_from(d.get("arrival")),
        departure=stored.dt_from(d.get("departure")),
        blocked=tuple(
            Span(stored.req_dt(b["start"]), stored.req_dt(b["end"])) for b in d["blocked"]
        ),
        representatives=d["representatives"],
        min_meetings=d["min_meetings"],
    )


def attendance_state(a: Attendance) -> stored.Doc:
    return {
        "edition_id": a.edition_id,
        "party_id": a.party_id,
        "kind": a.kind,
        "availability": availability_state(a.availability),
        "checkin_token": a.checkin_token,
        "calendar_token": a.calendar_token,
        "declared": a.declared,
        "checked_in_at": stored.dt(a.checked_in_at),
        "revision": a.revision,
    }


def attendance_from(d: Document) -> Attendance:
    return Attendance(
        id=d["_id"],
        edition_id=d["edition_id"],
        party_id=d["party_id"],
        kind=d["kind"],
        availability=availability_from(d["availability"]),
        checkin_token=d["checkin_token"],
        calendar_token=d["calendar_token"],
        declared=d["declared"],
        checked_in_at=stored.dt_from(d.get("checked_in_at")),
        revision=d["revision"],
    )


class Attendances(AggregateRepository[Attendance]):
    collection_name = "attendance"
    indexes = (
        Index((("edition_id", 1), ("party_id", 1)), unique=True),
        Index((("checkin_token", 1),), unique=True),
        Index((("calendar_token", 1),), unique=True),
    )

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(store, outbox, to_state=attendance_state, from_doc=attendance_from)

    async def of_edition(self, edition_id: str) -> list[Attendance]:
        docs = await self.collection.find({"edition_id": edition_id})
        return [self.from_doc(d) for d in docs]

    async def by_token(
        self, field: Literal["checkin_token", "calendar_token"], token: str
    ) -> Attendance | None:
        docs = await self.collection.find({field: token}, limit=1)
        return self.from_doc(docs[0]) if docs else None
