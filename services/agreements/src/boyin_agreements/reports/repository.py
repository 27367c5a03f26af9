"""Where the funnel's facts are kept: one document per item (``demand:<id>``,
``match:<id>``, ``meeting:<id>``, ``agreement:<id>``), merged in place.

A write reads the item's fact, merges the new one into it and writes it back only if
nobody wrote in between (the store's revision check), else reads again: two consumers
(one per topic) writing the same item at once both end up in it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from boyin_agreements.reports.domain import (
    AgreementFact,
    DemandFact,
    Dims,
    Fact,
    MatchFact,
    MeetingFact,
    key_of,
    merge,
)
from boyin_shared.store import AlreadyExists, Document, DocumentStore, Index

#: how often a write is tried again after losing a race
_ATTEMPTS = 20


def _dims_state(d: Dims) -> dict[str, list[str]]:
    return {
        "editions": sorted(d.editions),
        "districts": sorted(d.districts),
        "clusters": sorted(d.clusters),
        "channels": sorted(d.channels),
    }


def _dims_from(state: dict[str, list[str]]) -> Dims:
    return Dims(
        frozenset(state["editions"]),
        frozenset(state["districts"]),
        frozenset(state["clusters"]),
        frozenset(state["channels"]),
    )


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _time_from(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def fact_state(fact: Fact) -> dict[str, Any]:
    match fact:
        case DemandFact():
            return {
                "kind": "demand",
                "id": fact.demand_id,
                "revision": fact.revision,
                "own": _dims_state(fact.own),
                "published": fact.published,
            }
        case MatchFact():
            return {
                "kind": "match",
                "id": fact.match_id,
                "demand_ids": sorted(fact.demand_ids),
                "proposed": fact.proposed,
                "mutual_at": _time(fact.mutual_at),
            }
        case MeetingFact():
            return {
                "kind": "meeting",
                "id": fact.meeting_id,
                "match_id": fact.match_id,
                "own": _dims_state(fact.own),
                "held": fact.held,
            }
        case AgreementFact():
            return {
                "kind": "agreement",
                "id": fact.agreement_id,
                "revision": fact.revision,
                "match_id": fact.match_id,
                "meeting_id": fact.meeting_id,
                "demand_ids": sorted(fact.demand_ids),
                "own": _dims_state(fact.own),
                "contract_values": {c: str(v) for c, v in sorted(fact.contract_values.items())},
                "signed_at": _time(fact.signed_at),
                "landed": fact.landed,
            }


def fact_from(s: Document) -> Fact:
    match s["kind"]:
        case "demand":
            return DemandFact(s["id"], s["revision"], _dims_from(s["own"]), s["published"])
        case "match":
            return MatchFact(
                s["id"], frozenset(s["demand_ids"]), s["proposed"], _time_from(s["mutual_at"])
            )
        case "meeting":
            return MeetingFact(s["id"], s["match_id"], _dims_from(s["own"]), s["held"])
    return AgreementFact(
        agreement_id=s["id"],
        revision=s["revision"],
        match_id=s["match_id"],
        meeting_id=s["meeting_id"],
        demand_ids=frozenset(s["demand_ids"]),
        own=_dims_from(s["own"]),
        contract_values={c: Decimal(v) for c, v in s["contract_values"].items()},
        signed_at=_time_from(s["signed_at"]),
        landed=s["landed"],
    )


class LostRace(Exception):
    """A fact could not be written: others kept writing the same item."""


class FunnelFacts:
    """The funnel's facts, one per item."""

    def __init__(self, store: DocumentStore) -> None:
        self.collection = store.collection("report_facts")

    async def prepare(self) -> None:
        await self.collection.ensure_indexes([Index((("kind", 1),))])

    async def record(self, fact: Fact) -> Fact:
        """Merge ``fact`` into the item's stored fact; returns what is stored now."""
        key = key_of(fact)
        for _ in range(_ATTEMPTS):
            doc = await self.collection.get(key)
            if doc is None:
                try:
                    await self.collection.insert({"_id": key, **fact_state(fact)})
                except AlreadyExists:
                    continue
                return fact
            stored = fact_from(doc)
            merged = merge(stored, fact)
            if merged == stored:
                return stored  # nothing new (a redelivery)
            state = {"_id": key, "_rev": doc["_rev"], **fact_state(merged)}
            if await self.collection.replace(state, expected_rev=doc["_rev"]):
                return merged
        raise LostRace(key)

    async def every(self) -> list[Fact]:
        docs = await self.collection.find({}, sort=[("_id", 1)])
        return [fact_from(d) for d in docs]
