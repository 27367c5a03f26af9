"""The ``consultations`` collection: scheduling's copy of the mentors service's
consultations (whose time they take)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from boyin_scheduling import stored
from boyin_scheduling.consultations.domain import CANCELLED, Consultation
from boyin_shared.outbox import Outbox
from boyin_shared.repository import AggregateRepository
from boyin_shared.store import Document, DocumentStore, Index


def consultation_state(c: Consultation) -> stored.Doc:
    return {
        "edition_id": c.edition_id,
        "party_id": c.party_id,
        "start": c.start.isoformat(),
        "end": c.end.isoformat(),
        "status": c.status,
        "revision": c.revision,
        "mentor_id": c.mentor_id,
        "mode": c.mode,
        "online_link": c.online_link,
    }


def consultation_from(d: Document) -> Consultation:
    return Consultation(
        id=d["_id"],
        edition_id=d["edition_id"],
        party_id=d["party_id"],
        start=datetime.fromisoformat(d["start"]),
        end=datetime.fromisoformat(d["end"]),
        status=d["status"],
        revision=d["revision"],
        mentor_id=d.get("mentor_id"),
        mode=d.get("mode", "ON_SITE"),
        online_link=d.get("online_link"),
    )


class Consultations(AggregateRepository[Consultation]):
    collection_name = "consultations"
    indexes = (Index((("edition_id", 1), ("party_id", 1))),)

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(store, outbox, to_state=consultation_state, from_doc=consultation_from)

    async def busy(self, edition_id: str) -> dict[str, tuple[tuple[datetime, datetime], ...]]:
        """Each participant's consultations at the edition, as the times they take (a
        cancelled one takes none)."""
        taken: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
        for d in await self.collection.find({"edition_id": edition_id}, limit=100_000):
            if d["status"] == CANCELLED:
                continue
            taken[d["party_id"]].append(
                (datetime.fromisoformat(d["start"]), datetime.fromisoformat(d["end"]))
            )
        return {p: tuple(sorted(spans)) for p, spans in taken.items()}

    async def of_party(self, edition_id: str, party_id: str) -> list[Consultation]:
        """The participant's consultations at the edition (cancelled ones too: their
        calendar must learn of the cancellation)."""
        flt = {"edition_id": edition_id, "party_id": party_id}
        return [self.from_doc(d) for d in await self.collection.find(flt, limit=1000)]
