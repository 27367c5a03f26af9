"""Ranked lists' use cases: a newly published demand's list, a demand leaving the shelf,
and the rematch job that recomputes every supply's list.

A list is written as ``domain`` says (``plan``: new pairs proposed, open ones rescored,
the ranking's earlier ones no longer listed superseded, one announcement per list).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from boyin_matching.feedback.domain import Record, Screened, rerank
from boyin_matching.feedback.repository import FeedbackRepository
from boyin_matching.lists.domain import (
    Document,
    Pair,
    Ranked,
    RematchJob,
    WritePlan,
    listed,
    plan,
)
from boyin_matching.lists.domain import ranking_state as list_state
from boyin_matching.lists.repository import Rankings
from boyin_matching.pool.service import Pool
from boyin_matching.proposals import documents as stored
from boyin_matching.proposals.domain import announcement, match_id, sides
from boyin_matching.proposals.repository import ProposalRepository
from boyin_matching.proposals.service import Proposals, operator, staff_only
from boyin_matching.ranking.finishing import Candidate
from boyin_matching.ranking.profiles import Profile
from boyin_shared.api.matching import JobState, MatchStatus
from boyin_shared.clock import new_id, utcnow
from boyin_shared.events import Event
from boyin_shared.identity import Actor
from boyin_shared.retry import AGAIN, Again, optimistic
from boyin_shared.store import AlreadyExists

#: proposals kept per newly published demand
PROPOSALS_PER_DEMAND = 20
#: candidates ranked beyond the list, so that feedback can demote one out of it
FEEDBACK_MARGIN = 5
#: rematch job: supplies ranked at a time (the event loop waits for each chunk), and the
#: shortlist of each that gets the lexical re-rank and exposure control
REMATCH_CHUNK = 1_000
REMATCH_SHORTLIST = 50
#: rematch job: supplies whose proposals are written together
REMATCH_BATCH = 100
NOTHING: NDArray[np.intp] = np.zeros(0, np.intp)


@dataclass
class Lists:
    pool: Pool
    proposals: Proposals
    rankings: Rankings
    feedback: FeedbackRepository | None = None
    job: RematchJob = field(default_factory=RematchJob)
    #: the running rematch job's task (cancelled when the service stops)
    tasks: set[asyncio.Task[int]] = field(default_factory=set)

    @property
    def repository(self) -> ProposalRepository:
        return self.proposals.repository

    # -- a demand's list -----------------------------------------------------------

    async def published(self, profile: Profile) -> list[Candidate]:
        """A demand was published (or changed while published): index it, propose matches."""
        if not await self.pool.publish(profile):
            return []  # an older revision, or a repeat
        candidates = await self.ranked(profile.demand_id)
        await self._write([self._listed(profile, candidates)], self.pool.matcher.removals)
        return candidates

    async def ranked(self, demand_id: str) -> list[Candidate]:
        """The demand's best candidates, each scaled by its owner's reliability and its
        mentors' screening (``feedback``): a few more are ranked so a demoted one can
        leave the list."""
        matcher = self.pool.matcher
        extra = FEEDBACK_MARGIN if self.feedback is not None else 0
        found = matcher.candidates(demand_id, PROPOSALS_PER_DEMAND + extra, self.pool.exposure)
        if self.feedback is None:
            return found
        query = matcher.profile(demand_id)
        if query is None:
            return found
        owners = self._owners(found)
        records = await self.feedback.records([query.owner_id, *owners.values()])
        screenings = await self.feedback.screenings([demand_id, *owners])
        return rerank(
            (demand_id, query.owner_id), found, owners, records, PROPOSALS_PER_DEMAND, screenings
        )

    def _owners(self, found: Sequence[Candidate]) -> dict[str, str]:
        return {
            c.demand_id: p.owner_id
            for c in found
            if (p := self.pool.matcher.profile(c.demand_id)) is not None
        }

    async def removed(self, demand_id: str, revision: int) -> None:
        """A demand left the shelf (withdrawn, expired, back in review): forget it, and
        withdraw its matches."""
        if await self.pool.drop(demand_id, revision):
            for p in await self.proposals.withdraw_all_of(demand_id):
                if p.status is MatchStatus.PROPOSED:  # it was on offer
                    for party in p.party_ids:
                        self.pool.exposure[party] -= 1

    # -- the rematch job -----------------------------------------------------------

    def start_rematch(self, actor: Actor) -> RematchJob:
        """Start the job in the background unless it runs already (operators only)."""
        if not operator(actor):
            raise staff_only()
        if self.job.state is not JobState.RUNNING:
            task = asyncio.create_task(self.rematch())
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
        return self.job

    async def stop(self) -> None:
        for task in list(self.tasks):
            task.cancel()

    async def rematch(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Recompute every supply's list (after a model or taxonomy change) and write it as
        a newly published demand's list is written. Returns how many proposals the
        supplies' lists hold.

        REMATCH_CHUNK supplies at a time are ranked by ``Matcher.shortlists`` (blocks of
        queries against the whole other side, a shortlist of REMATCH_SHORTLIST each), read
        to the end without awaiting anything: the generator computes blocks ahead on
        threads, so the matcher must not change meanwhile, and nothing else runs on the
        event loop until it is done (a chunk takes about 0.2 s on 10,000 counterparts).
        Then REMATCH_BATCH supplies' shortlists are finished together as a newly published
        demand's ranking is (``Matcher.finish_many``: lexical re-rank, exposure control,
        each list made in turn) and written at once (``_plan``: two reads; ``_store``:
        the proposals' insert and update, then the rankings'). Each batch's insert runs
        on the database's thread while the next batch is finished here (a single SQL
        statement, which does not wait for this thread's interpreter lock row by row).

        Between batches the service answers, and ``sync``/``published`` may change the
        pool: a supply removed meanwhile is skipped, a counterpart removed meanwhile is
        left out. The feedback (reliability, mentors' screening) known when the job starts
        applies. Exposure counts every pair of a list as new while its batch is finished
        (so a popular counterpart is capped within the batch too) and are corrected when
        the batch is planned and written: a pair proposed before was counted then, an
        answered one is not on offer."""
        await self.pool.sync()
        matcher = self.pool.matcher
        supply_ids = [
            pid
            for channel in ("PROJECT_COOPERATION", "JOB_SEEKING")
            for pid, row in matcher.pools[channel].rows.items()
            if matcher.pools[channel].alive[row]
        ]
        total = len(supply_ids)
        self.job = RematchJob(total=total, state=JobState.RUNNING)
        written = 0
        known = await self.feedback.everything() if self.feedback is not None else None
        writing: asyncio.Task[int] | None = None
        reported = 0

        async def written_so_far() -> int:
            nonlocal writing, reported
            if writing is None:
                return 0
            count, writing = await writing, None
            for _ in range(reported, self.job.done):
                reported += 1
                if progress is not None:
                    progress(reported, total)
            return count

        # The pool's millions of long-lived objects (profiles, term weights) stay out of
        # the collections the job's garbage sets off (they took a fifth of its time).
        gc.freeze()
        try:
            for start in range(0, total, REMATCH_CHUNK):
                chunk = supply_ids[start : start + REMATCH_CHUNK]
                lists = dict(matcher.shortlists(k=REMATCH_SHORTLIST, queries=chunk))
                for first in range(0, len(chunk), REMATCH_BATCH):
                    batch = chunk[first : first + REMATCH_BATCH]
                    finished = self._finished(batch, lists, known)
                    removals = matcher.removals
                    written += await written_so_far()  # the batch before: then this one
                    planned = await self._plan(finished, removals)
                    writing = asyncio.create_task(self._store(planned))
                    self.job.done += len(batch)
                    await asyncio.sleep(0)  # its insert starts; the service answers
            written += await written_so_far()
        except BaseException as exc:
            if writing is not None:
                writing.cancel()
                with contextlib.suppress(BaseException):
                    await writing
            self.job.state, self.job.error = JobState.FAILED, str(exc)
            raise
        finally:
            gc.unfreeze()
        self.job.state = JobState.DONE
        return written

    # -- making lists --------------------------------------------------------------

    def _listed(self, query: Profile, candidates: Sequence[Candidate]) -> Ranked:
        """A finished list as pairs, each counted in the exposure as if new."""
        counterparts = self.pool.matcher.pools[query.counterpart_channel]
        pairs = []
        exposure = self.pool.exposure
        for c in candidates:
            other = counterparts.profile(c.demand_id)
            if other is None:
                continue
            supply, demand = sides(query, other)
            pairs.append((supply, demand, c))
            exposure[query.demand_id] += 1
            exposure[other.demand_id] += 1
        return Ranked(query, pairs)

    def _finished(
        self,
        batch: Sequence[str],
        lists: Mapping[str, NDArray[np.intp]],
        known: tuple[dict[str, Record], dict[str, Screened]] | None,
    ) -> list[Ranked]:
        """Supplies' rematch shortlists finished (scored together, each list made in turn
        with the exposure counts the lists before it left)."""
        matcher = self.pool.matcher
        extra = FEEDBACK_MARGIN if known is not None else 0
        shortlists = [(q, lists.get(q, NOTHING)) for q in batch]
        out = []
        for query_id, pending in matcher.finish_many(shortlists, PROPOSALS_PER_DEMAND + extra):
            query = matcher.profile(query_id)
            if query is None or pending is None:
                continue
            # without terms: the explanation reads them when it is shown
            finished = pending.candidates(self.pool.exposure, with_terms=False)
            if known is not None:  # the same feedback a newly published demand's list gets
                records, screenings = known
                owners = self._owners(finished)
                finished = rerank(
                    (query_id, query.owner_id),
                    finished,
                    owners,
                    records,
                    PROPOSALS_PER_DEMAND,
                    screenings,
                )
            out.append(self._listed(query, finished))
        return out

    def _current(self, lists: Sequence[Ranked], removals: int) -> list[Ranked]:
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

    # -- writing lists -------------------------------------------------------------

    async def _write(self, lists: Sequence[Ranked], removals: int) -> int:
        return await self._store(await self._plan(lists, removals))

    async def _plan(self, lists: Sequence[Ranked], removals: int) -> WritePlan:
        """What writing these lists takes (``domain.plan``), from three reads: the
        rankings' documents, the stored proposals of their pairs, and the open ones the
        rankings made."""
        current = self._current(lists, removals)
        ids = [r.query.demand_id for r in current]
        rankings = await self.rankings.of(ids)
        wanted = {match_id(s.demand_id, d.demand_id) for r in current for s, d, _ in r.pairs}
        existing = await self.repository.open_ones_of(ids)  # most of the pairs, if not new
        existing.update(await self.repository.by_id(sorted(wanted - existing.keys())))
        planned = plan(current, rankings, existing, utcnow().isoformat())
        self.pool.exposure.update(planned.exposure)
        return planned

    async def _store(self, planned: WritePlan) -> int:
        """Write a plan: the proposals (one insert, one update), then the rankings with
        their announcements; how many pairs the lists hold."""
        lost = await self.repository.insert_many(planned.fresh)
        # ^ proposed meanwhile by another ranking: it announces them
        wanted = len(planned.rescored) + len(planned.superseded) + len(planned.revived)
        rescored = await self.repository.rescore(
            planned.rescored, planned.superseded, planned.revived
        )
        if rescored < wanted:
            back = await self.repository.by_id(list(planned.revived))
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

    async def _rankings(self, planned: WritePlan, lost: set[str]) -> None:
        """The rankings' new lists, each announcing what it listed first; one written
        meanwhile (another ranking of the same demand) is settled on its own."""
        now, write = utcnow().isoformat(), new_id("w_")
        new: list[tuple[str, dict[str, Any], list[Event]]] = []
        saves: list[tuple[Document, Mapping[str, Any], Sequence[Event]]] = []
        for ranking, mids in planned.lists.items():
            said = [mid for mid in planned.announce[ranking] if mid not in lost]
            events: list[Event] = [announcement(ranking, said, planned.parties)] if said else []
            state = list_state(mids, now, write)
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
            docs = await self.repository.by_id(list(mids))
            said = [
                mid
                for mid in mids
                if mid not in listed_before
                and mid in docs
                and stored.is_open(docs[mid])
                and stored.ranked_by(docs[mid]) == ranking
            ]
            events: list[Event] = [announcement(ranking, said, planned.parties)] if said else []
            state = list_state(mids, utcnow().isoformat(), new_id("w_"))
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
