"""The ``consultations`` collection: scheduling's copy of the mentors service's
consultations (whose time they take)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from boyin_scheduling import stored
from boyin_scheduling.consultations.domain import Consultation
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
    )


class Consultations(AggregateRepository[Consultation]):
    collection_name = "consultations"
    indexes = (Index((("edition_id", 1), ("party_id", 1))),)

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(store, outbox, to_state=consultation_state, from_doc=consultation_from)

    async def busy(self, edition_id: str) -> dict[str, tuple[tuple[datetime, datetime], ...]]:
        """Each participant's consultations at the edition, as the times they take."""
        taken: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
        for d in await self.collection.find({"edition_id": edition_id}, limit=100_000):
            taken[d["party_id"]].append(
                (datetime.fromisoformat(d["start"]), datetime.fromisoformat(d["end"]))
            )
        return {p: tuple(sorted(spans)) for p, spans in taken.items()}
