"""Where agreements are kept: every query and write of the ``agreements`` collection, and
the explicit mapping between the aggregate and its stored document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from boyin_agreements.agreements.amounts import Amounts, Money, amount_field
from boyin_agreements.agreements.domain import (
    IMPLEMENTATION,
    Agreement,
    Confirmation,
    ConfirmationsReset,
)
from boyin_agreements.agreements.history import Transition
from boyin_agreements.agreements.milestones import FollowUp, Milestone
from boyin_agreements.agreements.parties import Origin, Party
from boyin_agreements.agreements.terms import Document, Terms, Text
from boyin_shared.api.agreements import (
    AgreementStage,
    AmountKind,
    CooperationType,
    DocumentKind,
    MilestoneKind,
    OriginKind,
    PartyRole,
)
from boyin_shared.identity import Actor, Role
from boyin_shared.outbox import Outbox
from boyin_shared.repository import AggregateRepository
from boyin_shared.store import Document as StoredDocument
from boyin_shared.store import DocumentStore, Index


def _at(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _text(t: Text) -> dict[str, Any]:
    return {"zh": t.zh, "en": t.en}


def _text_from(doc: dict[str, Any]) -> Text:
    return Text(doc.get("zh"), doc.get("en"))


def _terms_state(t: Terms) -> dict[str, Any]:
    return {
        "title": _text(t.title),
        "cooperation_type": t.cooperation_type.value if t.cooperation_type else None,
        "amounts": {
            kind.value: {"amount": str(m.amount), "currency": m.currency}
            for kind, m in t.amounts.items()
        },
        "district_code": t.district_code,
        "edition_id": t.edition_id,
        "documents": [
            {"attachment_id": d.attachment_id, "name": d.name, "kind": d.kind.value}
            for d in t.documents
        ],
    }


def _terms_from(doc: dict[str, Any]) -> Terms:
    amounts = {
        amount_field(AmountKind(kind)).removeprefix("amounts."): Money(
            Decimal(m["amount"]), m["currency"]
        )
        for kind, m in doc["amounts"].items()
    }
    kind = doc.get("cooperation_type")
    return Terms(
        title=_text_from(doc["title"]),
        cooperation_type=CooperationType(kind) if kind else None,
        amounts=Amounts(**amounts),
        district_code=doc.get("district_code"),
        edition_id=doc.get("edition_id"),
        documents=tuple(
            Document(d["attachment_id"], d["name"], DocumentKind(d["kind"]))
            for d in doc["documents"]
        ),
    )


def _milestone_state(m: Milestone) -> dict[str, Any]:
    return {
        "id": m.id,
        "kind": m.kind.value,
        "due": m.due.isoformat(),
        "label": m.label,
        "required": m.required,
        "reached_on": m.reached_on.isoformat() if m.reached_on else None,
        "reached_by": m.reached_by,
        "follow_ups": [{"at": f.at.isoformat(), "by": f.by, "note": f.note} for f in m.follow_ups],
        "overdue_announced": m.overdue_announced,
    }


def _milestone_from(doc: dict[str, Any]) -> Milestone:
    return Milestone(
        id=doc["id"],
        kind=MilestoneKind(doc["kind"]),
        due=date.fromisoformat(doc["due"]),
        label=doc.get("label"),
        required=doc["required"],
        reached_on=_day(doc.get("reached_on")),
        reached_by=doc.get("reached_by"),
        follow_ups=tuple(
            FollowUp(datetime.fromisoformat(f["at"]), f["by"], f["note"]) for f in doc["follow_ups"]
        ),
        overdue_announced=doc["overdue_announced"],
    )


def agreement_state(a: Agreement) -> dict[str, Any]:
    reset = a.confirmations_reset
    pending = [
        m.due.isoformat() for m in a.milestones if m.reached_on is None and not m.overdue_announced
    ]
    return {
        "parties": [
            {"kind": p.kind, "id": p.id, "role": p.role.value, "demand_id": p.demand_id}
            for p in a.parties
        ],
        "party_ids": list(a.party_ids),
        "origin": {
            "kind": a.origin.kind.value,
            "match_id": a.origin.match_id,
            "meeting_id": a.origin.meeting_id,
            "started_by": a.origin.started_by,
        },
        "terms": _terms_state(a.terms),
        # top level, for the indexes and the visibility filter
        "district_code": a.terms.district_code,
        "edition_id": a.terms.edition_id,
        "stage": a.stage.value,
        "history": [
            {
                "from": t.from_stage.value if t.from_stage else None,
                "to": t.to_stage.value,
                "by": t.by,
                "role": t.role.value,
                "at": t.at.isoformat(),
                "reason": t.reason,
            }
            for t in a.history
        ],
        "confirmations": [
            {"party_id": c.party_id, "by": c.by, "at": c.at.isoformat()} for c in a.confirmations
        ],
        "confirmations_reset": (
            {"at": reset.at.isoformat(), "by": reset.by, "parties": list(reset.parties)}
            if reset
            else None
        ),
        "milestones": [_milestone_state(m) for m in a.milestones],
        # the earliest due date not announced yet (what the overdue job looks for)
        "next_due": min(pending) if pending and a.stage in IMPLEMENTATION else None,
        "taxonomy_codes": list(a.taxonomy_codes),
        "signed_at": a.signed_at.isoformat() if a.signed_at else None,
        "revision": a.revision,
    }


def agreement_from(doc: StoredDocument) -> Agreement:
    o = doc["origin"]
    reset = doc.get("confirmations_reset")
    return Agreement(
        id=doc["_id"],
        parties=tuple(
            Party(p["kind"], p["id"], PartyRole(p["role"]), p.get("demand_id"))
            for p in doc["parties"]
        ),
        origin=Origin(
            OriginKind(o["kind"]), o.get("match_id"), o.get("meeting_id"), o.get("started_by")
        ),
        terms=_terms_from(doc["terms"]),
        stage=AgreementStage(doc["stage"]),
        history=tuple(
            Transition(
                AgreementStage(t["from"]) if t.get("from") else None,
                AgreementStage(t["to"]),
                t["by"],
                Role(t["role"]),
                datetime.fromisoformat(t["at"]),
                t.get("reason"),
            )
            for t in doc["history"]
        ),
        confirmations=tuple(
            Confirmation(c["party_id"], c["by"], datetime.fromisoformat(c["at"]))
            for c in doc["confirmations"]
        ),
        confirmations_reset=(
            ConfirmationsReset(
                datetime.fromisoformat(reset["at"]), reset["by"], tuple(reset["parties"])
            )
            if reset
            else None
        ),
        milestones=tuple(_milestone_from(m) for m in doc["milestones"]),
        taxonomy_codes=tuple(doc.get("taxonomy_codes", ())),
        signed_at=_at(doc.get("signed_at")),
        revision=doc["revision"],
    )


def visible_to(actor: Actor) -> dict[str, Any] | None:
    """What ``actor`` may list: staff all, district officers their district's, parties
    their own; None: nothing."""
    if actor.is_staff:
        return {}
    if actor.role is Role.DISTRICT_OFFICER:
        return {"district_code": actor.district_code} if actor.district_code else None
    if actor.party_id:
        return {"party_ids": actor.party_id}
    return None


@dataclass(frozen=True)
class AgreementQuery:
    stage: AgreementStage | None = None
    district_code: str | None = None
    edition_id: str | None = None
    party_id: str | None = None
    after: str | None = None
    limit: int = 50
    #: the agreements started from these matches (or the meetings they became)
    match_ids: tuple[str, ...] = ()


class Agreements(AggregateRepository[Agreement]):
    collection_name = "agreements"
    indexes = (
        Index((("party_ids", 1), ("_id", 1)), over_list=True),
        Index((("district_code", 1), ("_id", 1))),
        Index((("edition_id", 1), ("stage", 1))),
        Index((("stage", 1), ("_id", 1))),
        Index((("next_due", 1),)),
        Index((("origin.match_id", 1),)),
    )

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(store, outbox, to_state=agreement_state, from_doc=agreement_from)

    async def page(self, query: AgreementQuery, actor: Actor) -> list[Agreement]:
        scope = visible_to(actor)
        if scope is None:
            return []
        parts: list[dict[str, Any]] = [scope] if scope else []
        if query.stage:
            parts.append({"stage": query.stage.value})
        if query.district_code:
            parts.append({"district_code": query.district_code})
        if query.edition_id:
            parts.append({"edition_id": query.edition_id})
        if query.party_id:
            parts.append({"party_ids": query.party_id})
        if query.match_ids:
            parts.append({"origin.match_id": {"$in": list(query.match_ids)}})
        if query.after:
            parts.append({"_id": {"$gt": query.after}})
        flt: dict[str, Any] = {"$and": parts} if parts else {}
        docs = await self.collection.find(flt, sort=[("_id", 1)], limit=query.limit)
        return [self.from_doc(d) for d in docs]

    async def of_edition(
        self, edition_id: str, stages: tuple[AgreementStage, ...]
    ) -> list[Agreement]:
        """The agreements of an edition at one of ``stages``."""
        docs = await self.collection.find(
            {"edition_id": edition_id, "stage": {"$in": [s.value for s in stages]}},
            sort=[("_id", 1)],
            limit=5000,
        )
        return [self.from_doc(d) for d in docs]

    async def due(self, today: date, after: str | None, limit: int = 200) -> list[Agreement]:
        """Agreements with a milestone due before ``today`` not announced yet."""
        parts: list[dict[str, Any]] = [{"next_due": {"$lt": today.isoformat()}}]
        if after:
            parts.append({"_id": {"$gt": after}})
        docs = await self.collection.find({"$and": parts}, sort=[("_id", 1)], limit=limit)
        return [self.from_doc(d) for d in docs]
