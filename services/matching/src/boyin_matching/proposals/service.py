"""Proposals' use cases: each side's answers, operators' review and their own proposals,
reading a demand's matches and the review queue, and who may do each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from boyin_matching.feedback.domain import Known
from boyin_matching.feedback.repository import FeedbackRepository
from boyin_matching.pool.service import Pool
from boyin_matching.proposals.domain import (
    REMOVED,
    SIDES,
    Agreement,
    MeetingOutcome,
    Proposal,
    announced,
    announcement,
    match_id,
    sides,
)
from boyin_matching.proposals.repository import ProposalRepository
from boyin_matching.ranking.explain import Explanation, explain
from boyin_matching.ranking.finishing import Candidate
from boyin_matching.ranking.profiles import Profile
from boyin_shared.api.matching import ProposalSource
from boyin_shared.clock import utcnow
from boyin_shared.errors import BoyinError, Message, forbidden, not_found
from boyin_shared.identity import Actor, Role
from boyin_shared.repository import Loaded
from boyin_shared.retry import AGAIN, Again, optimistic
from boyin_shared.store import AlreadyExists


def operator(actor: Actor) -> bool:
    return actor.role in (Role.OPERATOR, Role.ADMIN)


def staff_only() -> BoyinError:
    return forbidden(Message("仅限工作人员", "staff only"))


def _not_yours() -> BoyinError:
    return forbidden(Message("无权操作此匹配", "you may not act on this match"))


def _may_see(actor: Actor, owner_id: str | None) -> bool:
    return actor.is_staff or (owner_id is not None and actor.party_id == owner_id)


@dataclass
class Proposals:
    repository: ProposalRepository
    pool: Pool
    feedback: FeedbackRepository | None = None

    # -- reading ---------------------------------------------------------------------

    async def _load(self, mid: str) -> Loaded[Proposal]:
        loaded = await self.repository.get(mid)
        if loaded is None:
            raise not_found("match", mid, zh_kind="匹配")
        return loaded

    async def get(self, mid: str) -> Proposal:
        return (await self._load(mid)).aggregate

    async def of_demand(self, actor: Actor, demand_id: str, limit: int) -> list[Proposal]:
        """The demand's matches, best first, for its owner and staff. A declined one stays
        on both lists (see ``ProposalRepository.of_demand``)."""
        owner = await self.pool.owner_of(demand_id)
        if owner is None:
            return []  # not (or no longer) on the shelf: nothing to show, nothing revealed
        if not _may_see(actor, owner):
            raise not_found("demand", demand_id, zh_kind="需求")
        return await self.repository.of_demand(demand_id, limit)

    async def review_queue(self, actor: Actor) -> list[Proposal]:
        """Proposals no operator has looked at yet, best first."""
        if not operator(actor):
            raise staff_only()
        return await self.repository.pending_review()

    def explanation(self, p: Proposal, viewer_demand: str) -> Explanation | None:
        """Why the match is proposed, as ``viewer_demand``'s side reads it, from the two
        profiles as they are now (None: one left the pool)."""
        supply_id, demand_id = p.party_ids
        other_id = demand_id if viewer_demand == supply_id else supply_id
        query, other = self.pool.profile(viewer_demand), self.pool.profile(other_id)
        if query is None or other is None:
            return None
        c = p.scores.candidate(other_id)
        if c.lexical > 0:  # the terms of the profiles as they are now
            c = c._replace(shared_terms=self.pool.matcher.shared_terms(viewer_demand, other_id))
        return explain(c, query, other, self.pool.matcher.tree)

    async def known(self, actor: Actor, proposals: Sequence[Proposal]) -> Known:
        """Mentors' screening of the demands of these proposals (for everyone) and, for
        operators, their parties' attendance records."""
        if self.feedback is None:
            return {}, {}
        parties = [p.side(s) for p in proposals for s in SIDES]
        screenings = await self.feedback.screenings(party.demand_id for party in parties)
        if not operator(actor):
            return {}, screenings
        records = await self.feedback.records(party.party_id for party in parties)
        return records, screenings

    # -- answers and reviews ---------------------------------------------------------

    async def respond(self, actor: Actor, mid: str, interested: bool) -> Proposal:
        """One side says yes or no (staff answer for both); both yes is a mutual match."""

        async def attempt() -> Proposal | Again:
            loaded = await self._load(mid)
            p = loaded.aggregate
            own = p.sides_of(actor.party_id)
            if not own and not actor.is_staff:
                raise _not_yours()
            answered, events = p.respond(own or SIDES, interested, utcnow().isoformat())
            if answered is p:
                return p
            return answered if await self.repository.save(loaded, answered, events) else AGAIN

        return await optimistic(attempt)

    async def review(self, actor: Actor, mid: str, note: str | None, withdraw: bool) -> Proposal:
        """Operators confirm a proposal, annotate it, or take it back."""
        if not operator(actor):
            raise _not_yours()

        async def attempt() -> Proposal | Again:
            loaded = await self._load(mid)
            reviewed, events = loaded.aggregate.review_by(actor.account_id, note, withdraw)
            return reviewed if await self.repository.save(loaded, reviewed, events) else AGAIN

        return await optimistic(attempt)

    # -- operators' own proposals ----------------------------------------------------

    async def propose_by_hand(self, actor: Actor, a: str, b: str, note: str) -> Proposal:
        """An operator adds a match no ranking proposed (scored and explained all
        the same)."""
        if not operator(actor):
            raise _not_yours()
        await self.pool.sync()
        first, second = self.pool.profile(a), self.pool.profile(b)
        if first is None or second is None or first.counterpart_channel != second.channel:
            raise BoyinError(
                code="NOT_MATCHABLE",
                message=Message(
                    "两条需求须均已发布且渠道对应",
                    "both demands must be published, on matching channels",
                ),
                status=422,
            )
        [c] = self.pool.matcher.pair(a, b)
        await self._propose_by_operator(first, c, note)
        supply, demand = sides(first, second)
        return await self.get(match_id(supply.demand_id, demand.demand_id))

    async def _propose_by_operator(self, query: Profile, c: Candidate, note: str) -> None:
        """An operator's proposal, announced on its own; one open already is rescored and
        confirmed with the operator's note, one the system withdrew is proposed again
        (``Proposal.offered_by_operator``). One announced is on offer: counted in the
        exposure."""
        other = self.pool.profile(c.demand_id)
        if other is None:
            return
        supply, demand = sides(query, other)
        offer = Proposal.proposed(
            supply,
            demand,
            c,
            now=utcnow().isoformat(),
            ranking=None,
            source=ProposalSource.OPERATOR,
            note=note,
        )
        event = announcement(
            query.demand_id,
            [offer.id],
            {offer.id: announced(offer)},
            source=ProposalSource.OPERATOR,
            subject=offer.id,
        )

        async def attempt() -> bool | Again:
            loaded = await self.repository.get(offer.id)
            if loaded is None:
                try:
                    await self.repository.add(offer, [event])
                except AlreadyExists:
                    return AGAIN
                return True
            outcome = loaded.aggregate.offered_by_operator(offer, event)
            if outcome is None:
                return False  # answered, or withdrawn by a person: its history stays
            offered, events = outcome
            if not await self.repository.save(loaded, offered, events):
                return AGAIN
            return bool(events)

        if await optimistic(attempt):
            for party in offer.party_ids:
                self.pool.exposure[party] += 1

    # -- the system's withdrawals, and what happened after a match -----------------

    async def withdraw_all_of(self, demand_id: str) -> list[Proposal]:
        """A demand left the shelf: withdraw its open and declined matches (a mutual match
        is kept: it has happened). Returns the proposals withdrawn, as they were; one
        written meanwhile is left as it is."""
        withdrawn = []
        now = utcnow().isoformat()
        for loaded in await self.repository.open_of_demand(demand_id):
            p = loaded.aggregate
            gone, events = p.withdraw(REMOVED, now)
            if await self.repository.save(loaded, gone, events):
                withdrawn.append(p)
        return withdrawn

    async def record_meeting(self, mid: str, meeting: MeetingOutcome) -> None:
        await self.repository.record_meeting(mid, meeting)

    async def record_agreement(self, mid: str, agreement: Agreement) -> None:
        await self.repository.record_agreement(mid, agreement)
