"""Where consultations are kept: the ``consultations`` collection (one document each, with
the outbox) and the explicit mapping of the aggregate."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from boyin_mentors.consultations.domain import Consultation, Note, Slot
from boyin_shared.api.mentors import ConsultationMode, ConsultationStatus
from boyin_shared.identity import Actor
from boyin_shared.outbox import Outbox
from boyin_shared.repository import AggregateRepository
from boyin_shared.store import Document, DocumentStore, Index


def consultation_state(c: Consultation) -> dict[str, Any]:
    return {
        "mentor_id": c.mentor_id,
        "mentor_account_id": c.mentor_account_id,
        "party_id": c.party_id,
        "edition_id": c.edition_id,
        "slot": {"id": c.slot.id, "start": c.slot.start.isoformat(), "end": c.slot.end.isoformat()},
        "mode": c.mode.value,
        "topic": c.topic,
        "mentor_timezone": c.mentor_timezone,
        "talent_timezone": c.talent_timezone,
        "online_link": c.online_link,
        "talent_slot": c.talent_slot,
        "mentor_slot": c.mentor_slot,
        "seat": c.seat,
        "mentor_seat": c.mentor_seat,
        "status": c.status.value,
        "notes": [{"by": n.by, "at": n.at.isoformat(), "text": n.text} for n in c.notes],
        "revision": c.revision,
        "cancelled_by": c.cancelled_by,
        "cancel_reason": c.cancel_reason,
    }


def consultation_from(doc: Document) -> Consultation:
    s = doc["slot"]
    return Consultation(
        id=doc["_id"],
        mentor_id=doc["mentor_id"],
        mentor_account_id=doc["mentor_account_id"],
        party_id=doc["party_id"],
        edition_id=doc["edition_id"],
        slot=Slot(s["id"], datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"])),
        mode=ConsultationMode(doc["mode"]),
        topic=doc["topic"],
        mentor_timezone=doc.get("mentor_timezone", "Asia/Shanghai"),
        talent_timezone=doc.get("talent_timezone", "Asia/Shanghai"),
        online_link=doc.get("online_link"),
        seat=doc.get("seat", 1),
        status=ConsultationStatus(doc["status"]),
        notes=tuple(
            Note(n["by"], datetime.fromisoformat(n["at"]), n["text"]) for n in doc["notes"]
        ),
        revision=doc["revision"],
        cancelled_by=doc.get("cancelled_by"),
        cancel_reason=doc.get("cancel_reason"),
    )


class Consultations(AggregateRepository[Consultation]):
    collection_name = "consultations"
    indexes = (
        Index((("mentor_account_id", 1), ("_id", 1))),
        Index((("party_id", 1), ("_id", 1))),
        # a talent is booked once per slot (two mentors at once refused, races included)
        Index((("talent_slot", 1),), unique=True),
        # a mentor once per slot (a cancelled one holds a key of its own)
        Index((("mentor_slot", 1),), unique=True),
        # and a mentor's day's seats once each (a race for the last one: one gets it)
        Index((("mentor_seat", 1),), unique=True),
    )

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(store, outbox, to_state=consultation_state, from_doc=consultation_from)

    async def of(self, actor: Actor, limit: int = 200) -> list[Consultation]:
        """The caller's: staff every one, a mentor theirs, a talent its team's."""
        if actor.is_staff:
            flt: dict[str, Any] = {}
        elif actor.party_id:
            flt = {"party_id": actor.party_id}
        else:
            flt = {"mentor_account_id": actor.account_id}
        docs = await self.collection.find(flt, sort=[("_id", 1)], limit=limit)
        return [self.from_doc(d) for d in docs]

    async def booked_by(self, party_id: str, limit: int = 500) -> list[Consultation]:
        """The team's consultations still to be held."""
        flt = {"party_id": party_id, "status": ConsultationStatus.BOOKED.value}
        return [self.from_doc(d) for d in await self.collection.find(flt, limit=limit)]

    async def of_mentor(self, account_id: str, limit: int = 2000) -> list[Consultation]:
        """Every consultation of the mentor (their load, day by day)."""
        docs = await self.collection.find({"mentor_account_id": account_id}, limit=limit)
        return [self.from_doc(d) for d in docs]

    async def holds(self, field: str, key: str) -> bool:
        """Whether a consultation holds ``key`` in the unique ``field``."""
        return bool(await self.collection.find({field: key}, limit=1))
