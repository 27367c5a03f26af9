"""The ``editions`` collection: every query and write of editions, and the explicit
mapping between an edition and its stored document."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

from boyin_scheduling import stored
from boyin_scheduling.editions.domain import (
    Break,
    Edition,
    EditionPlan,
    FairDay,
    Room,
    TableSpec,
)
from boyin_shared.api.scheduling import EditionStatus
from boyin_shared.outbox import Outbox
from boyin_shared.repository import AggregateRepository
from boyin_shared.store import Document, DocumentStore, Index


def plan_state(p: EditionPlan) -> stored.Doc:
    return {
        "name": stored.text(p.name),
        "timezone": p.timezone,
        "first_day": p.first_day.isoformat(),
        "last_day": p.last_day.isoformat(),
        "slot_minutes": p.slot_minutes,
        "days": [
            {
                "day": d.day.isoformat(),
                "start": d.start.isoformat(),
                "end": d.end.isoformat(),
                "breaks": [
                    {"start": b.start.isoformat(), "end": b.end.isoformat()} for b in d.breaks
                ],
            }
            for d in p.days
        ],
        "rooms": [
            {"id": r.id, "name": stored.text(r.name), "venue": stored.text(r.venue)}
            for r in p.rooms
        ],
        "tables": [{"number": t.number, "room": t.room, "booth_of": t.booth_of} for t in p.tables],
        "local_hours": [p.local_hours[0].isoformat(), p.local_hours[1].isoformat()],
        "code": p.code,
    }


def plan_from(d: stored.Doc) -> EditionPlan:
    return EditionPlan(
        name=stored.text_from(d["name"]),
        timezone=d["timezone"],
        first_day=date.fromisoformat(d["first_day"]),
        last_day=date.fromisoformat(d["last_day"]),
        slot_minutes=d["slot_minutes"],
        days=tuple(
            FairDay(
                day=date.fromisoformat(x["day"]),
                start=time.fromisoformat(x["start"]),
                end=time.fromisoformat(x["end"]),
                breaks=tuple(
                    Break(time.fromisoformat(b["start"]), time.fromisoformat(b["end"]))
                    for b in x["breaks"]
                ),
            )
            for x in d["days"]
        ),
        rooms=tuple(
            Room(r["id"], stored.text_from(r["name"]), stored.text_from(r.get("venue")))
            for r in d["rooms"]
        ),
        tables=tuple(TableSpec(t["number"], t.get("room"), t.get("booth_of")) for t in d["tables"]),
        local_hours=(
            time.fromisoformat(d["local_hours"][0]),
            time.fromisoformat(d["local_hours"][1]),
        ),
        code=d.get("code"),  # editions stored before codes have none
    )


def edition_state(e: Edition) -> stored.Doc:
    return {
        "plan": plan_state(e.plan),
        "status": e.status.value,
        "agenda_version": e.agenda_version,
        "first_day": e.plan.first_day.isoformat(),
        "revision": e.revision,
    }


def edition_from(d: Document) -> Edition:
    return Edition(
        id=d["_id"],
        plan=plan_from(d["plan"]),
        status=EditionStatus(d["status"]),
        agenda_version=d["agenda_version"],
        revision=d["revision"],
    )


class Editions(AggregateRepository[Edition]):
    collection_name = "editions"
    indexes = (Index((("status", 1), ("first_day", 1))),)

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(store, outbox, to_state=edition_state, from_doc=edition_from)

    async def listed(self, statuses: Sequence[str]) -> list[Edition]:
        docs = await self.collection.find(
            {"status": {"$in": list(statuses)}}, sort=[("first_day", -1)], limit=200
        )
        return [self.from_doc(d) for d in docs]
