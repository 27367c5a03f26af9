"""The ``party_names`` collection: the agreements service's copy of the registry's names."""

from __future__ import annotations

from typing import Any

from boyin_agreements.agreements.terms import Text
from boyin_agreements.names.domain import PartyName
from boyin_shared.outbox import Outbox
from boyin_shared.repository import AggregateRepository
from boyin_shared.store import Document, DocumentStore


def name_state(p: PartyName) -> dict[str, Any]:
    return {"name": {"zh": p.name.zh, "en": p.name.en}, "revision": p.revision}


def name_from(d: Document) -> PartyName:
    return PartyName(d["_id"], Text(d["name"].get("zh"), d["name"].get("en")), d["revision"])


class PartyNames(AggregateRepository[PartyName]):
    collection_name = "party_names"

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(store, outbox, to_state=name_state, from_doc=name_from)
