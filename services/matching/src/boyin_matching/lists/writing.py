"""Writing ranked lists: what ``domain.plan`` says a batch of lists changes, read and
written in a few round trips (the proposals' insert and update, then the rankings with
their announcements), with the exposure counts kept equal to what is on offer."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from boyin_matching.lists.domain import Document, Pair, Ranked, WritePlan, listed, plan
from boyin_matching.lists.domain import ranking_state as list_state
from boyin_matching.lists.repository import Rankings
from boyin_matching.pool.service import Pool
from boyin_matching.proposals import documents as stored
from boyin_matching.proposals.domain import announcement, match_id
from boyin_matching.proposals.repository import ProposalRepository
from boyin_shared.clock import new_id, utcnow
from boyin_shared.events import Event
from boyin_shared.retry import AGAIN, Again, optimistic
from boyin_shared.store import AlreadyExists


@dataclass
class Writer:
    pool: Pool
    proposals: ProposalRepository
    rankings: Rankings

    def current(self, lists: Sequence[Ranked], removals: int) -> list[Ranked]:
        """Lists finished when the matcher had seen ``removals`` removals, without what was
        removed since: a ranked demand's whole list, a counterpart's pair (its exposure
        taken back)."""
        matcher = self.pool.matcher
        if matcher.removals == removals:
            return list(lists)
        out = []
        for ranked in lists:
            alive = matcher.profile(ranked.query.demand_id) is not None
            kept = []
            for pair in ranked.pairs:
                supply, demand, _ = pair
                if alive and matcher.profile(self._other(ranked, pair)) is not None:
                    kept.append(pair)
                    continue
                self.pool.exposure[supply.demand_id] -= 1
                self.pool.exposure[demand.demand_id] -= 1
            if alive:
                out.append(Ranked(ranked.query, kept))
        return out

    @staticmethod
    def _other(ranked: Ranked, pair: Pair) -> str:
        supply, demand, _ = pair
        return demand.demand_id if ranked.query.demand_id == supply.demand_id else supply.demand_id

    async def write(self, lists: Sequence[Ranked], removals: int) -> int:
        return await self.store(await self.plan(lists, removals))

    async def plan(
        self, lists: Sequence[Ranked], removals: int, pending: Collection[str] = ()
    ) -> WritePlan:
        """What writing these lists takes (``domain.plan``), from four reads: the
        rankings' documents, the stored proposals of their pairs, the open ones the
        rankings made, and the rankings of those proposals' other sides (``pending``:
        the rankings the same run writes later, see ``domain.plan``)."""
        current = self.current(lists, removals)
        ids = [r.query.demand_id for r in current]
        rankings = await self.rankings.of(ids)
        wanted = {match_id(s.demand_id, d.demand_id) for r in current for s, d, _ in r.pairs}
        existing = await self.proposals.open_ones_of(ids)  # most of the pairs, if not new
        existing.update(await self.proposals.by_id(sorted(wanted - existing.keys())))
        mine = set(ids)
        sides = {
            p
            for doc in existing.values()
            if stored.is_open(doc) and stored.ranked_by(doc) in mine
            for p in stored.demand_ids(doc)
        }
        # the lists of the other sides still on the shelf (a ranking's document outlives
        # its demand: a removed one's list no longer holds anything)
        others = {
            ranking: doc
            for ranking, doc in (await self.rankings.of(sorted(sides - mine))).items()
            if self.pool.profile(ranking) is not None
        }
        planned = plan(current, rankings, existing, utcnow().isoformat(), others, pending)
        self.pool.exposure.update(planned.exposure)
        return planned

    async def store(self, planned: WritePlan) -> int:
        """Write a plan: the proposals (one insert, one update), then the rankings with
        their announcements; how many pairs the lists hold."""
        lost = await self.proposals.insert_many(planned.fresh)
        # ^ proposed meanwhile by another ranking: it announces them
        wanted = len(planned.rescored) + len(planned.superseded) + len(planned.revived)
        rescored = await self.proposals.rescore(
            planned.rescored, planned.superseded, planned.revived
        )
        if rescored < wanted:
            back = await self.proposals.by_id(list(planned.revived))
            lost.update(
                mid
                for mid in planned.revived
                if mid not in back
                or not stored.is_open(back[mid])
                or stored.ranked_by(back[mid]) != planned.revived[mid][1]["ranked_by"]
            )
        for mid in lost:
            for party in planned.pair_of(mid):
                self.pool.exposure[party] -= 1
        await self._rankings(planned, lost)
        return sum(len(mids) for mids in planned.lists.values())

    async def settle_dropped(self, mids: Sequence[str]) -> None:
        """The proposals a rematch's lists dropped while their other side's list was
        still to be written (``WritePlan.deferred``), now that every list is: each one
        still open and untouched is handed over to a side on the shelf whose list holds
        it, or withdrawn as superseded if neither does."""
        docs = await self.proposals.by_id(sorted(set(mids)))
        docs = {m: d for m, d in docs.items() if stored.is_open(d) and stored.untouched(d)}
        sides = sorted({p for d in docs.values() for p in stored.demand_ids(d)})
        lists = {r: set(listed(doc)) for r, doc in (await self.rankings.of(sides)).items()}
        handed: dict[str, dict[str, Any]] = {}
        dropped: list[Document] = []
        for mid, doc in docs.items():
            holders = [
                p
                for p in stored.demand_ids(doc)
                if mid in lists.get(p, ()) and self.pool.profile(p) is not None
            ]
            if holders:
                if stored.ranked_by(doc) not in holders:
                    handed[mid] = {"ranked_by": holders[0]}
                continue
            dropped.append(doc)
        await self.proposals.rescore(handed, dropped)
        for doc in dropped:  # (one answered meanwhile is on offer no more all the same)
            for party in stored.demand_ids(doc):
                self.pool.exposure[party] -= 1

    async def _rankings(self, planned: WritePlan, lost: set[str]) -> None:
        """The rankings' new lists, each announcing what it listed first; one written
        meanwhile (another ranking of the same demand) is settled on its own."""
        now, write = utcnow().isoformat(), new_id("w_")
        new: list[tuple[str, dict[str, Any], list[Event]]] = []
        saves: list[tuple[Document, Mapping[str, Any], Sequence[Event]]] = []
        for ranking, mids in planned.lists.items():
            said = [mid for mid in planned.announce[ranking] if mid not in lost]
            events: list[Event] = [announcement(ranking, said, planned.parties)] if said else []
            state = list_state(mids, planned.best(mids), now, write)
            before = planned.rankings[ranking]
            if before is None:
                new.append((ranking, state, events))
            else:
                saves.append((before, state, events))
        taken = await self.rankings.add_many(new)
        if taken or await self.rankings.save_many(saves) < len(saves):
            writes = await self.rankings.writes(list(planned.lists))
            for ranking, mids in planned.lists.items():
                if writes.get(ranking) != write:
                    await self._settle(ranking, mids, planned)

    async def _settle(self, ranking: str, mids: Sequence[str], planned: WritePlan) -> None:
        """Write one ranking's list over a newer document of it: announce the open
        proposals this ranking made that it had not listed."""

        async def attempt() -> Again | None:
            before = await self.rankings.get(ranking)
            listed_before = set(listed(before))
            docs = await self.proposals.by_id(list(mids))
            said = [
                mid
                for mid in mids
                if mid not in listed_before
                and mid in docs
                and stored.is_open(docs[mid])
                and stored.ranked_by(docs[mid]) == ranking
            ]
            events: list[Event] = [announcement(ranking, said, planned.parties)] if said else []
            state = list_state(mids, planned.best(mids), utcnow().isoformat(), new_id("w_"))
            if before is None:
                try:
                    await self.rankings.add(ranking, state, events)
                except AlreadyExists:
                    return AGAIN
                return None
            return None if await self.rankings.save(before, state, events) else AGAIN

        await optimistic(
            attempt, exhausted=lambda: RuntimeError(f"the ranking of {ranking} keeps changing")
        )
