"""The ``parties`` collection: every query and write of scheduling's party copies."""

from __future__ import annotations

from boyin_scheduling import stored
from boyin_scheduling.parties.domain import PartyInfo
from boyin_shared.outbox import Outbox
from boyin_shared.repository import AggregateRepository
from boyin_shared.store import Document, DocumentStore


def party_state(p: PartyInfo) -> stored.Doc:
    return {
        "kind": p.kind,
        "name": stored.text(p.name),
        "timezone": p.timezone,
        "country": p.country,
        "revision": p.revision,
    }


def party_from(d: Document) -> PartyInfo:
    return PartyInfo(
        id=d["_id"],
        kind=d["kind"],
        name=stored.text_from(d["name"]),
        timezone=d.get("timezone"),
        country=d.get("country"),
        revision=d["revision"],
    )


class Parties(AggregateRepository[PartyInfo]):
    """Scheduling's own copy of the registry's talents and organisations (names, zones)."""

    collection_name = "parties"

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(store, outbox, to_state=party_state, from_doc=party_from)
