"""Where demands are kept: every query and write of the ``demands`` collection and of
``demand_refs`` (spreadsheet keys bound to demands), and the explicit mapping between the
aggregate and its stored document."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from boyin_registry.attachments.domain import Attachment
from boyin_registry.demands.domain import (
    Demand,
    DemandContent,
    Details,
    JobSeeking,
    ProjectCooperation,
    ProjectLanding,
    TalentRecruitment,
    Transition,
    details_state,
)
from boyin_registry.demands.eligibility import Claim
from boyin_registry.demands.screening import CriterionResult, ScreeningResult
from boyin_registry.profiles.repository import bilingual_from, bilingual_state
from boyin_shared.api.registry import (
    Channel,
    ClaimReview,
    CooperationMode,
    Criterion,
    Degree,
    IpStatus,
    Stage,
    Status,
    WorkMode,
)
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role
from boyin_shared.outbox import Outbox, state_of
from boyin_shared.repository import AggregateRepository, Loaded
from boyin_shared.retry import AGAIN, Again, optimistic
from boyin_shared.store import AlreadyExists, Document, DocumentStore, Index


def details_from(channel: Channel, doc: dict[str, Any]) -> Details:
    if channel is Channel.PROJECT_COOPERATION:
        return ProjectCooperation(
            stage=Stage(doc["stage"]),
            trl=doc["trl"],
            ip_status=IpStatus(doc["ip_status"]),
            sought=tuple(CooperationMode(m) for m in doc["sought"]),
            funding_sought_wan=doc.get("funding_sought_wan"),
            team_size=doc.get("team_size", 1),
        )
    if channel is Channel.JOB_SEEKING:
        start = doc.get("earliest_start")
        return JobSeeking(
            desired_role=doc["desired_role"],
            work_mode=WorkMode(doc["work_mode"]),
            earliest_start=date.fromisoformat(start) if start else None,
            salary_min_wan=doc.get("salary_min_wan"),
            salary_max_wan=doc.get("salary_max_wan"),
        )
    if channel is Channel.PROJECT_LANDING:
        stage = doc.get("wanted_stage")
        return ProjectLanding(
            cooperation_modes=tuple(CooperationMode(m) for m in doc["cooperation_modes"]),
            budget_wan=doc.get("budget_wan"),
            facilities=doc.get("facilities"),
            policies=doc.get("policies"),
            wanted_stage=Stage(stage) if stage else None,
        )
    return TalentRecruitment(
        positions=doc["positions"],
        degree_required=Degree(doc["degree_required"]),
        work_mode=WorkMode(doc["work_mode"]),
        package=doc.get("package"),
        location_district=doc.get("location_district"),
    )


def _claim_state(c: Claim) -> dict[str, Any]:
    return {
        "criterion": c.criterion.value,
        "evidence": c.evidence,
        "evidence_file": c.evidence_file,
        "review": c.review.value,
        "reviewed_by": c.reviewed_by,
        "reviewed_at": c.reviewed_at.isoformat() if c.reviewed_at else None,
        "review_note": c.review_note,
    }


def _claim_from(doc: dict[str, Any]) -> Claim:
    at = doc.get("reviewed_at")
    return Claim(
        criterion=Criterion(doc["criterion"]),
        evidence=doc.get("evidence"),
        evidence_file=doc.get("evidence_file"),
        review=ClaimReview(doc["review"]),
        reviewed_by=doc.get("reviewed_by"),
        reviewed_at=datetime.fromisoformat(at) if at else None,
        review_note=doc.get("review_note"),
    )


def demand_state(d: Demand) -> dict[str, Any]:
    c = d.content
    return {
        "channel": d.channel.value,
        "owner_id": d.owner_id,
        "district_code": d.district_code,
        "status": d.status.value,
        "title": bilingual_state(c.title),
        "description": bilingual_state(c.description),
        "language": c.language,
        "taxonomy_codes": list(c.taxonomy_codes),
        "keywords": list(c.keywords),
        "editions": list(c.editions),
        "claims": [_claim_state(x) for x in c.claims],
        "details": details_state(c.details),
        "attachment_ids": [a.id for a in c.attachments],
        "attachments": [
            {
                "id": a.id,
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
            }
            for a in c.attachments
        ],
        "expires_on": c.expires_on.isoformat() if c.expires_on else None,
        "history": [
            {
                "to": t.to.value,
                "by": t.by,
                "role": t.role,
                "at": t.at.isoformat(),
                "reason": t.reason,
            }
            for t in d.history
        ],
        "revision": d.revision,
        "published_revision": d.published_revision,
        "external_ref": d.external_ref,
        "created_at": d.created_at.isoformat(),
        "updated_at": d.updated_at.isoformat(),
    }


def demand_from(doc: dict[str, Any]) -> Demand:
    channel = Channel(doc["channel"])
    expires = doc.get("expires_on")
    return Demand(
        id=doc["_id"],
        channel=channel,
        owner_id=doc["owner_id"],
        district_code=doc.get("district_code"),
        content=DemandContent(
            title=bilingual_from(doc["title"]),
            description=bilingual_from(doc["description"]),
            taxonomy_codes=tuple(doc["taxonomy_codes"]),
            keywords=tuple(doc["keywords"]),
            editions=tuple(doc["editions"]),
            claims=tuple(_claim_from(x) for x in doc["claims"]),
            details=details_from(channel, doc["details"]),
            attachments=tuple(Attachment(**a) for a in doc.get("attachments", [])),
            expires_on=date.fromisoformat(expires) if expires else None,
        ),
        status=Status(doc["status"]),
        history=tuple(
            Transition(
                Status(t["to"]),
                t["by"],
                t["role"],
                datetime.fromisoformat(t["at"]),
                t.get("reason"),
            )
            for t in doc["history"]
        ),
        revision=doc["revision"],
        created_at=datetime.fromisoformat(doc["created_at"]),
        updated_at=datetime.fromisoformat(doc["updated_at"]),
        external_ref=doc.get("external_ref"),
        published_revision=doc.get("published_revision"),
    )


@dataclass(frozen=True)
class DemandQuery:
    channel: str | None = None
    status: str | None = None
    district_code: str | None = None
    taxonomy_code: str | None = None
    language: str | None = None
    edition: str | None = None
    owner_id: str | None = None
    after: str | None = None
    limit: int = 50


def visible_to(actor: Actor) -> dict[str, Any]:
    """What ``actor`` may list: staff all, district officers their district, others what is
    published plus their own."""
    if actor.is_staff:
        return {}
    if actor.role is Role.DISTRICT_OFFICER:
        return {"district_code": actor.district_code or "-"}
    if actor.party_id and actor.role in (Role.TALENT, Role.ORGANISATION):
        return {"$or": [{"status": "PUBLISHED"}, {"owner_id": actor.party_id}]}
    return {"status": "PUBLISHED"}


#: what :meth:`Demands.loaded_many` keeps of a document: what ``Outbox.save`` reads of it
_KEPT = ("_id", "_rev", "_oseq", "_inbox")


def _written_over(read: Document, state: Mapping[str, Any], now: Document | None) -> bool:
    """Whether ``now`` is ``read`` with ``state`` written over it and nothing since (one
    write since the read, and it wrote this state)."""
    if now is None or now.get("_rev") != read["_rev"] + 1:
        return False
    written = state_of(now)
    return all(written.get(k) == v for k, v in json.loads(json.dumps(state)).items())


class Demands(AggregateRepository[Demand]):
    collection_name = "demands"
    indexes = (
        Index((("status", 1), ("_id", 1))),
        Index((("district_code", 1), ("_id", 1))),
        Index((("owner_id", 1),)),
    )

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(store, outbox, to_state=demand_state, from_doc=demand_from)
        #: external reference (spreadsheet key) -> demand id; ``_id`` is the key itself,
        #: so claiming a key is one atomic insert
        self.refs = store.collection("demand_refs")

    async def page(self, query: DemandQuery, actor: Actor) -> list[Demand]:
        parts: list[dict[str, Any]] = []
        scope = visible_to(actor)
        if scope:
            parts.append(scope)
        for key in ("channel", "status", "district_code", "language", "owner_id"):
            value = getattr(query, key)
            if value:
                parts.append({key: value})
        if query.taxonomy_code:
            parts.append({"taxonomy_codes": query.taxonomy_code})
        if query.edition:
            parts.append({"editions": query.edition})
        if query.after:
            parts.append({"_id": {"$gt": query.after}})
        flt: dict[str, Any] = {"$and": parts} if parts else {}
        docs = await self.collection.find(flt, sort=[("_id", 1)], limit=query.limit)
        return [self.from_doc(d) for d in docs]

    async def changed_since(self, cursor: str | None, actor: Actor, limit: int) -> list[Demand]:
        """Demands changed after ``cursor`` ("<updated_at>|<id>"), oldest change first."""
        parts: list[dict[str, Any]] = []
        scope = visible_to(actor)
        if scope:
            parts.append(scope)
        if cursor:
            at, _, last = cursor.partition("|")
            parts.append(
                {"$or": [{"updated_at": {"$gt": at}}, {"updated_at": at, "_id": {"$gt": last}}]}
            )
        flt: dict[str, Any] = {"$and": parts} if parts else {}
        docs = await self.collection.find(flt, sort=[("updated_at", 1), ("_id", 1)], limit=limit)
        return [self.from_doc(d) for d in docs]

    async def due(self, today: date, limit: int = 200) -> list[Demand]:
        docs = await self.collection.find(
            {"status": "PUBLISHED", "expires_on": {"$lt": today.isoformat()}},
            sort=[("_id", 1)],
            limit=limit,
        )
        return [self.from_doc(d) for d in docs]

    async def bound_ids(self, refs: Sequence[str]) -> dict[str, str]:
        """The demand id each of ``refs`` is bound to (unbound ones are left out)."""
        if not refs:
            return {}
        return {str(d["_id"]): str(d["demand_id"]) for d in await self.refs.get_many(list(refs))}

    async def bind_refs(self, bindings: Mapping[str, str]) -> dict[str, str]:
        """Bind each external reference to its demand id unless it is bound already, in one
        insert (each binding on its own; one more read when some were bound already).
        Returns the id each reference is bound to now."""
        if not bindings:
            return {}
        taken = await self.refs.insert_many(
            [{"_id": ref, "demand_id": demand_id} for ref, demand_id in bindings.items()]
        )
        bound = {ref: demand_id for ref, demand_id in bindings.items() if ref not in taken}
        return bound | await self.bound_ids(taken)

    async def loaded_many(self, ids: Sequence[str]) -> dict[str, Loaded[Demand]]:
        """The demands of ``ids`` that exist, each with what a guarded write over it needs
        of the document it was read from: its id and bookkeeping, not its state (an import
        keeps thousands of them while it runs)."""
        if not ids:
            return {}
        return {
            d["_id"]: Loaded(demand_from(d), {k: d[k] for k in _KEPT if k in d})
            for d in await self.collection.get_many(ids)
        }

    async def add_many(self, created: Sequence[tuple[Demand, Sequence[Event]]]) -> set[str]:
        """Insert new demands, each with its first events in its own outbox, in one insert;
        returns the ids that existed already (those are left as they were)."""
        if not created:
            return set()
        return await self.outbox.create_many(
            self.collection, [(d.id, demand_state(d), events) for d, events in created]
        )

    async def save_many(
        self, saves: Sequence[tuple[Loaded[Demand], Demand, Sequence[Event]]]
    ) -> set[str]:
        """Write changed demands (each as read, as changed, the change's events) together,
        each only if nobody wrote it since it was read. Returns the ids not written; which
        they are is read back only when some were not."""
        if not saves:
            return set()
        states = [(loaded.doc, demand_state(after), events) for loaded, after, events in saves]
        if await self.outbox.save_many(self.collection, states) == len(states):
            return set()
        now = {
            d["_id"]: d for d in await self.collection.get_many([d["_id"] for d, _, _ in states])
        }
        return {
            doc["_id"]
            for doc, state, _ in states
            if not _written_over(doc, state, now.get(doc["_id"]))
        }

    async def carrying(self, attachment_id: str, limit: int) -> list[Demand]:
        """Demands (at most ``limit``) that carry an attachment."""
        docs = await self.collection.find({"attachment_ids": attachment_id}, limit=limit)
        return [self.from_doc(d) for d in docs]


class ScreeningResults:
    """The mentors' aggregated screening of each demand (``demand_screenings``), a
    projection of the mentors service's events: a repeat or an older result changes
    nothing."""

    def __init__(self, store: DocumentStore) -> None:
        self.collection = store.collection("demand_screenings")

    async def put(self, r: ScreeningResult) -> bool:
        doc: dict[str, Any] = {
            "_id": r.demand_id,
            "reviews": r.reviews,
            "criteria": [
                {"criterion": c.criterion, "mean": c.mean, "spread": c.spread} for c in r.criteria
            ],
            "total_mean": r.total_mean,
            "total_spread": r.total_spread,
            "score": r.score,
            "aggregated_at": r.aggregated_at.isoformat(),
        }

        async def attempt() -> bool | Again:
            current = await self.collection.get(r.demand_id)
            if current is None:
                try:
                    await self.collection.insert(doc)
                    return True
                except AlreadyExists:
                    return AGAIN
            if datetime.fromisoformat(current["aggregated_at"]) >= r.aggregated_at:
                return False
            ok = await self.collection.replace(doc, expected_rev=current["_rev"])
            return True if ok else AGAIN

        return await optimistic(attempt)

    async def get(self, demand_id: str) -> ScreeningResult | None:
        doc = await self.collection.get(demand_id)
        if doc is None:
            return None
        return ScreeningResult(
            demand_id=doc["_id"],
            reviews=doc["reviews"],
            criteria=tuple(
                CriterionResult(c["criterion"], c["mean"], c["spread"]) for c in doc["criteria"]
            ),
            total_mean=doc["total_mean"],
            total_spread=doc["total_spread"],
            score=doc["score"],
            aggregated_at=datetime.fromisoformat(doc["aggregated_at"]),
        )
