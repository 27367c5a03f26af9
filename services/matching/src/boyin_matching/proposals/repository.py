"""Every query and write of the proposals collection (one document per pair: see
``documents`` for its shape).

A single proposal is read and written as the aggregate (``AggregateRepository``); the
rematch job reads and writes hundreds of thousands at a time as documents (``by_id``,
``open_ones_of``, ``insert_many``, ``rescore``), planned by ``lists.domain.plan``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from boyin_matching.proposals import documents
from boyin_matching.proposals.documents import State
from boyin_matching.proposals.domain import Agreement, MeetingOutcome, Proposal
from boyin_shared.api.matching import MatchStatus
from boyin_shared.clock import utcnow
from boyin_shared.outbox import Outbox
from boyin_shared.repository import AggregateRepository, Loaded
from boyin_shared.store import Document, DocumentStore, Edit, Index, Update

_PROPOSED = MatchStatus.PROPOSED.value
#: shown on both sides' lists: a declined one stays on them (the side that said no can
#: change its mind, and the other side is never told: it sees it as open)
_LISTED = [_PROPOSED, MatchStatus.MUTUAL.value, MatchStatus.DECLINED.value]
#: what a demand leaving the shelf withdraws (a mutual match has happened: it stays)
_OPEN = [_PROPOSED, MatchStatus.DECLINED.value]


class ProposalRepository(AggregateRepository[Proposal]):
    collection_name = "proposals"
    indexes = (
        Index((("party_ids", 1), ("score", -1)), over_list=True),
        Index((("review", 1),)),
        Index((("ranked_by", 1), ("status", 1))),
    )

    def __init__(self, store: DocumentStore, outbox: Outbox) -> None:
        super().__init__(store, outbox, to_state=documents.to_state, from_doc=documents.from_doc)

    # -- reading proposals -----------------------------------------------------------

    async def of_demand(self, demand_id: str, limit: int = 50) -> list[Proposal]:
        """The matches on a demand's list, best first."""
        docs = await self.collection.find(
            {"party_ids": demand_id, "status": {"$in": _LISTED}},
            sort=[("score", -1)],
            limit=limit,
        )
        return [self.from_doc(d) for d in docs]

    async def pending_review(self, limit: int = 100) -> list[Proposal]:
        docs = await self.collection.find(
            {"review": "pending", "status": _PROPOSED}, sort=[("score", -1)], limit=limit
        )
        return [self.from_doc(d) for d in docs]

    async def open_of_demand(self, demand_id: str) -> list[Loaded[Proposal]]:
        """A demand's proposals still open to an answer (proposed or declined)."""
        docs = await self.collection.find({"party_ids": demand_id, "status": {"$in": _OPEN}})
        return [Loaded(self.from_doc(d), d) for d in docs]

    async def on_offer(self) -> list[str]:
        """The demands of every open proposal, each demand once per proposal (what the
        exposure counts)."""
        docs = await self.collection.find({"status": _PROPOSED})
        return [demand for d in docs for demand in documents.demand_ids(d)]

    # -- what happened after: written beside the proposal ----------------------------

    async def record_meeting(self, mid: str, meeting: MeetingOutcome) -> None:
        """An annotation, not a domain change: it must not fail a concurrent answer (the
        revision stays), and the proposal's own saves leave it alone."""
        change = Update(set={"meeting": documents.meeting_state(meeting)}, bump_rev=False)
        await self.collection.update(mid, change)

    async def record_agreement(self, mid: str, agreement: Agreement) -> None:
        change = Update(set={"agreement": documents.agreement_state(agreement)}, bump_rev=False)
        await self.collection.update(mid, change)

    # -- the bulk path -----------------------------------------------------------------

    async def by_id(self, ids: Sequence[str]) -> dict[str, Document]:
        return {d["_id"]: d for d in await self.collection.get_many(ids)}

    async def open_ones_of(self, rankings: Sequence[str]) -> dict[str, Document]:
        """The open proposals these demands' rankings made."""
        docs = await self.collection.find(
            {"ranked_by": {"$in": list(rankings)}, "status": _PROPOSED}
        )
        return {d["_id"]: d for d in docs}

    async def insert_many(self, states: Mapping[str, State]) -> set[str]:
        """New proposals (match id -> stored state) in one round trip; returns the ids
        that existed already (left as they were)."""
        return await self.outbox.create_many(
            self.collection, [(mid, state, ()) for mid, state in states.items()]
        )

    async def rescore(
        self,
        scored: Mapping[str, Mapping[str, Any]],
        superseded: Sequence[Document] = (),
        revived: Mapping[str, tuple[int, Mapping[str, Any]]] = {},
    ) -> int:
        """In one round trip: new scores (and what goes with them) for open proposals, one
        answered or reviewed meanwhile left as it is; the given ones withdrawn as
        superseded and the given withdrawn ones (id -> revision read, new fields) proposed
        again, each unless written since it was read. Returns how many were written."""
        now = utcnow().isoformat()
        withdrawn = {**documents.superseded_state(), "updated_at": now}
        return await self.collection.update_many(
            [
                Edit(mid, Update(set={**fields, "updated_at": now}), where={"status": _PROPOSED})
                for mid, fields in scored.items()
            ]
            + [
                Edit(
                    documents.doc_id(doc),
                    Update(set=withdrawn),
                    where={"_rev": documents.revision(doc)},
                )
                for doc in superseded
            ]
            + [
                Edit(mid, Update(set={**fields, "updated_at": now}), where={"_rev": rev})
                for mid, (rev, fields) in revived.items()
            ]
        )
