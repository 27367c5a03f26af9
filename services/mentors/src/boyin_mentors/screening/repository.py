"""Where screenings are kept: every query and write of the ``screenings`` collection (one
document per demand, with the outbox), and the explicit mapping of the aggregate."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from boyin_mentors.mentors.profile import Text
from boyin_mentors.screening.domain import OPEN, Assignment, Screening
from boyin_mentors.screening.routing import DemandBrief
from boyin_mentors.screening.rubric import CriterionResult, Result, Review, Score
from boyin_shared.api.mentors import AssignmentState, Criterion, ScreeningStatus
from boyin_shared.outbox import Outbox
from boyin_shared.repository import AggregateRepository
from boyin_shared.store import Document, DocumentStore, Index


def _at(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _demand_state(d: DemandBrief) -> dict[str, Any]:
    return {
        "demand_id": d.demand_id,
        "title": {"zh": d.title.zh, "en": d.title.en},
        "description": {"zh": d.description.zh, "en": d.description.en},
        "language": d.language,
        "taxonomy_codes": list(d.taxonomy_codes),
        "keywords": list(d.keywords),
        "owner_kind": d.owner_kind,
        "owner_id": d.owner_id,
        "co_applicants": list(d.co_applicants),
    }


def _demand_from(doc: dict[str, Any]) -> DemandBrief:
    return DemandBrief(
        demand_id=doc["demand_id"],
        title=Text(doc["title"].get("zh"), doc["title"].get("en")),
        description=Text(doc["description"].get("zh"), doc["description"].get("en")),
        language=doc["language"],
        taxonomy_codes=tuple(doc["taxonomy_codes"]),
        keywords=tuple(doc["keywords"]),
        owner_kind=doc["owner_kind"],
        owner_id=doc["owner_id"],
        co_applicants=tuple(doc["co_applicants"]),
    )


def screening_state(s: Screening) -> dict[str, Any]:
    r = s.result
    return {
        "demand": _demand_state(s.demand),
        # top level, for the indexes
        "demand_id": s.demand.demand_id,
        "owner_id": s.demand.owner_id,
        "status": s.status.value,
        "ranked_by": s.ranked_by,
        "mentor_ids": [a.mentor_id for a in s.active],
        "open_mentor_ids": list(s.open_mentors),
        "next_check": _iso(s.next_check),
        "assignments": [
            {
                "mentor_id": a.mentor_id,
                "state": a.state.value,
                "at": a.at.isoformat(),
                "due": a.due.isoformat(),
                "by": a.by,
                "relevance": a.relevance,
                "reminded_at": _iso(a.reminded_at),
                "escalated_at": _iso(a.escalated_at),
                "reason": a.reason,
            }
            for a in s.assignments
        ],
        "reviews": [
            {
                "mentor_id": v.mentor_id,
                "at": v.at.isoformat(),
                "scores": [
                    {"criterion": x.criterion.value, "score": x.score, "comment": x.comment}
                    for x in v.scores
                ],
            }
            for v in s.reviews
        ],
        "result": (
            {
                "reviews": r.reviews,
                "criteria": [
                    {"criterion": c.criterion.value, "mean": c.mean, "spread": c.spread}
                    for c in r.criteria
                ],
                "total_mean": r.total_mean,
                "total_spread": r.total_spread,
                "at": r.at.isoformat(),
            }
            if r
            else None
        ),
        "revision": s.revision,
    }


def screening_from(doc: Document) -> Screening:
    r = doc.get("result")
    return Screening(
        id=doc["_id"],
        demand=_demand_from(doc["demand"]),
        status=ScreeningStatus(doc["status"]),
        ranked_by=doc["ranked_by"],
        assignments=tuple(
            Assignment(
                mentor_id=a["mentor_id"],
                state=AssignmentState(a["state"]),
                at=datetime.fromisoformat(a["at"]),
                due=datetime.fromisoformat(a["due"]),
                by=a["by"],
                relevance=a.get("relevance"),
                reminded_at=_at(a.get("reminded_at")),
                escalated_at=_at(a.get("escalated_at")),
                reason=a.get("reason"),
            )
            for a in doc["assignments"]
        ),
        reviews=tuple(
            Review(
                v["mentor_id"],
                datetime.fromisoformat(v["at"]),
                tuple(
                    Score(Criterion(x["criterion"]), x["score"], x["comment"]) for x in v["scores"]
                ),
            )
            for v in doc["reviews"]
        ),
        result=(
            Result(
                reviews=r["reviews"],
                criteria=tuple(
                    CriterionResult(Criterion(c["criterion"]), c["mean"], c["spread"])
                    for c in r["criteria"]
                ),
                total_mean=r["total_mean"],
                total_spread=r["total_spread"],
                at=datetime.fromisoformat(r["at"]),
            )
            if r
            else None
        ),
        revision=doc["revision"],
    )


@dataclass(frozen=True)
class ScreeningQuery:
    status: ScreeningStatus | None = None
    mentor_id: str | None = None
    after: str | None = None
    limit: int = 50


def screening_id_of(demand_id: str) -> str:
    """One screening per demand: a redelivered event finds the first."""
    return f"scr_{demand_id}"


class Screenings(AggregateRepository[Screening]):
    collection_name = "screenings"
    indexes = (
        Index((("mentor_ids", 1), ("_id", 1)), over_list=True),
        Index((("open_mentor_ids", 1),), over_list=True),
        Index((("status", 1), ("_id", 1))),
        Index((("demand_id", 1),)),
        Index((("next_check", 1),)),
    )

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(store, outbox, to_state=screening_state, from_doc=screening_from)

    async def page(self, query: ScreeningQuery) -> list[Screening]:
        parts: list[dict[str, Any]] = []
        if query.status:
            parts.append({"status": query.status.value})
        if query.mentor_id:
            parts.append({"mentor_ids": query.mentor_id})
        if query.after:
            parts.append({"_id": {"$gt": query.after}})
        flt: dict[str, Any] = {"$and": parts} if parts else {}
        docs = await self.collection.find(flt, sort=[("_id", 1)], limit=query.limit)
        return [self.from_doc(d) for d in docs]

    async def open_loads(self) -> Counter[str]:
        """Each mentor's open reviews."""
        docs = await self.collection.find(
            {"status": {"$in": [s.value for s in OPEN]}}, limit=100_000
        )
        return Counter(m for d in docs for m in d["open_mentor_ids"])

    async def due(self, now: datetime, after: str | None, limit: int = 200) -> list[Screening]:
        """Screenings with a deadline (or an escalation) reached by ``now`` not yet told."""
        parts: list[dict[str, Any]] = [{"next_check": {"$lte": now.isoformat()}}]
        if after:
            parts.append({"_id": {"$gt": after}})
        docs = await self.collection.find({"$and": parts}, sort=[("_id", 1)], limit=limit)
        return [self.from_doc(d) for d in docs]

    async def overdue(self, now: datetime, limit: int = 200) -> list[Screening]:
        """Open screenings with a review past its deadline (the operators' list)."""
        docs = await self.collection.find(
            {"status": {"$in": [s.value for s in OPEN]}}, sort=[("_id", 1)], limit=100_000
        )
        found = [self.from_doc(d) for d in docs]
        late = [
            s
            for s in found
            if any(a.state is AssignmentState.OPEN and a.due <= now for a in s.assignments)
        ]
        return late[:limit]
