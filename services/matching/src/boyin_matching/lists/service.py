"""Ranked lists' use cases: a newly published demand's list, a demand leaving the shelf,
and the rematch job that recomputes every list, which also settles the lists once the
pool has been quiet for a moment (so what a party sees does not depend on the order the
demands came in: ``docs/matching.md``, "Settling").

A list is written as ``domain`` says (``plan``: new pairs proposed, open ones rescored,
the ranking's earlier ones no longer listed superseded, one announcement per list).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray
from prometheus_client import Counter, Gauge

from boyin_matching.feedback.domain import Record, Screened, rerank
from boyin_matching.feedback.repository import FeedbackRepository
from boyin_matching.lists.domain import Ranked, RematchJob, WritePlan
from boyin_matching.lists.repository import Rankings
from boyin_matching.lists.writing import Writer
from boyin_matching.pool.service import Pool
from boyin_matching.proposals.domain import sides
from boyin_matching.proposals.repository import ProposalRepository
from boyin_matching.proposals.service import Proposals, operator, staff_only
from boyin_matching.ranking.finishing import Candidate
from boyin_matching.ranking.profiles import COUNTERPART, Profile
from boyin_matching.ranking.scorer import NO_GOOD_MATCH
from boyin_matching.ranking.shortlists import popularity
from boyin_shared import heap
from boyin_shared.api.matching import JobState, MatchStatus
from boyin_shared.identity import Actor
from boyin_shared.propagation import TRACER

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
#: the pools in the order a rematch ranks them; the statistics of the second of each pair
#: are refreshed first (ranking a pool refreshes its own, which its counterpart then reads)
RANKED: Final = tuple(COUNTERPART)
REFRESHED_FIRST: Final = ("PROJECT_LANDING", "TALENT_RECRUITMENT")
PROGRESS = Gauge("boyin_rematch_progress_ratio", "Share of the running rematch job's lists done")
RUNS = Counter("boyin_rematch_runs_total", "Rematch jobs finished", ["outcome"])


@dataclass
class Lists:
    pool: Pool
    proposals: Proposals
    rankings: Rankings
    feedback: FeedbackRepository | None = None
    job: RematchJob = field(default_factory=RematchJob)
    #: seconds of quiet after a change of the pool before every list is settled (a
    #: rematch); None: only when asked (``settle``, an operator's rematch)
    settle_after: float | None = None
    #: the running rematch job's task and the settling timer (cancelled when the service stops)
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    _dirty: bool = False
    _settling: bool = False
    #: one rematch at a time
    _running: asyncio.Lock = field(default_factory=asyncio.Lock)
    _timer: asyncio.Task[int] | None = None

    @property
    def repository(self) -> ProposalRepository:
        return self.proposals.repository

    def __post_init__(self) -> None:
        self.writer = Writer(self.pool, self.proposals.repository, self.rankings)

    # -- a demand's list -----------------------------------------------------------

    async def published(self, profile: Profile) -> list[Candidate]:
        """A demand was published (or changed while published): index it, propose matches."""
        if not await self.pool.publish(profile):
            return []  # an older revision, or a repeat
        candidates = await self.ranked(profile.demand_id)
        await self.writer.write([self._listed(profile, candidates)], self.pool.matcher.removals)
        self._changed()
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
            await self._withdraw(demand_id)
            self._changed()

    async def _withdraw(self, demand_id: str) -> None:
        for p in await self.proposals.withdraw_all_of(demand_id):
            if p.status is MatchStatus.PROPOSED:  # it was on offer
                for party in p.party_ids:
                    self.pool.exposure[party] -= 1

    async def without_a_good_match(self, actor: Actor) -> list[tuple[Profile, float | None]]:
        """Published demands whose list has no good match yet (its best score is below
        NO_GOOD_MATCH, or it has none), the worst first, each with its best score (None:
        nobody to propose); operators only."""
        if not operator(actor):
            raise staff_only()
        out = []
        for doc in await self.rankings.below(NO_GOOD_MATCH):
            profile = self.pool.profile(doc["_id"])
            if profile is not None:
                out.append((profile, float(doc["best"]) if doc["listed"] else None))
        return out

    # -- settling ------------------------------------------------------------------

    def _changed(self) -> None:
        """The pool changed: every list is settled once it has been quiet for
        ``settle_after`` seconds (a change while it settles makes it settle again)."""
        self._dirty = True
        if self.settle_after is None:
            return
        if self._timer is not None and not self._timer.done():
            if self._settling:
                return  # it sees ``_dirty`` when done
            self._timer.cancel()
        self._timer = self._spawn(self._settle_later(self.settle_after))

    async def _settle_later(self, delay: float) -> int:
        await asyncio.sleep(delay)
        self._settling = True
        try:
            return await self.settle()
        finally:
            self._settling = False

    async def settle(self) -> int:
        """Rematch every list until the pool did not change meanwhile (after an operator's
        rematch that is running); returns what the last one wrote."""
        written = 0
        while self._dirty:
            self._dirty = False
            written = await self.rematch()
        return written

    def _spawn(self, work: Coroutine[Any, Any, int]) -> asyncio.Task[int]:
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    # -- the rematch job -----------------------------------------------------------

    def start_rematch(self, actor: Actor) -> RematchJob:
        """Start the job in the background unless it runs already (operators only)."""
        if not operator(actor):
            raise staff_only()
        if self.job.state is not JobState.RUNNING:
            self._spawn(self.rematch())
        return self.job

    async def stop(self) -> None:
        for task in list(self.tasks):
            task.cancel()

    async def rematch(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Recompute every list, both sides' (after a model or taxonomy change, and to
        settle the lists when the pool has changed), and write each as a newly published
        demand's list is written. Returns how many proposals the lists hold.

        The matcher is settled first (``Matcher.settle``: priors, TF-IDF vectors and the
        statistics of the pools ranked second made from the pool as it is), so every
        pair is scored as the library scores it on this pool, whatever order the demands
        came in. Then REMATCH_CHUNK demands at a time are ranked by ``Matcher.shortlists``
        (blocks of queries against the whole other side, a shortlist of REMATCH_SHORTLIST
        each; their own statistics refreshed on the way), read to the end without awaiting
        anything: the generator computes blocks ahead on threads, so the matcher must not
        change meanwhile (a chunk takes about 0.2 s on 10,000 counterparts). Exposure
        control reads one snapshot (``popularity``: how many of these lists' best
        PROPOSALS_PER_DEMAND hold each party, before any cap), not counts that grow list by
        list, so which party is held back does not depend on the order either. Then
        REMATCH_BATCH shortlists are finished together as a newly published demand's
        ranking is (``Matcher.finish_many``: lexical re-rank, exposure control) and written
        at once (``Writer.plan``: two reads; ``Writer.store``: the proposals' insert and update, then
        the rankings'). Each batch's insert runs on the database's thread while the next
        batch is finished here.

        Between chunks and batches the service answers, and ``sync``/``published`` may
        change the pool: a demand removed meanwhile is skipped, a counterpart removed
        meanwhile left out (one published meanwhile is ranked by the next settling). The
        feedback (reliability, mentors' screening) known when the job starts applies.
        ``pool.exposure`` (what a newly published demand's list is capped by) counts every
        pair of a list as new while its batch is finished and is corrected when the batch
        is planned and written: a pair proposed before was counted then, an answered one
        is not on offer."""
        async with self._running:
            with TRACER.start_as_current_span("rematch") as span:
                try:
                    written = await self._rematch(progress)
                except BaseException:
                    RUNS.labels("failed").inc()
                    raise
                RUNS.labels("done").inc()
                span.set_attribute("boyin.rematch.demands", self.job.total)
                span.set_attribute("boyin.rematch.proposals", written)
                return written

    async def _rematch(self, progress: Callable[[int, int], None] | None) -> int:
        self.job = RematchJob(state=JobState.RUNNING)
        try:
            await self.pool.sync()
        except BaseException as exc:
            self.job.state, self.job.error = JobState.FAILED, str(exc)
            raise
        matcher = self.pool.matcher
        for _ in matcher.settling(stats_of=REFRESHED_FIRST):
            await asyncio.sleep(0)  # the service answers
        query_ids = [
            pid
            for channel in RANKED
            for pid in sorted(
                matcher.pools[channel].ids[r] for r in matcher.pools[channel].live_rows()
            )
        ]
        total = len(query_ids)
        self.job.total = total
        PROGRESS.set(0.0)
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
        heap.freeze()
        try:
            lists: dict[str, NDArray[np.intp]] = {}
            for start in range(0, total, REMATCH_CHUNK):
                chunk = query_ids[start : start + REMATCH_CHUNK]
                lists.update(matcher.shortlists(k=REMATCH_SHORTLIST, queries=chunk))
                await asyncio.sleep(0)  # the service answers
            caps = popularity(matcher.pools, lists, PROPOSALS_PER_DEMAND)
            pending = set(query_ids)
            deferred: list[str] = []
            for first in range(0, total, REMATCH_BATCH):
                batch = query_ids[first : first + REMATCH_BATCH]
                pending.difference_update(batch)
                finished = self._finished(batch, lists, known, caps)
                removals = matcher.removals
                written += await written_so_far()  # the batch before: then this one
                planned = await self.writer.plan(finished, removals, pending)
                deferred.extend(planned.deferred)
                writing = asyncio.create_task(self._stored(planned, removals))
                self.job.done += len(batch)
                PROGRESS.set(self.job.done / total)
                await asyncio.sleep(0)  # its insert starts; the service answers
            written += await written_so_far()
            await self.writer.settle_dropped(deferred)
        except BaseException as exc:
            if writing is not None:
                writing.cancel()
                with contextlib.suppress(BaseException):
                    await writing
            self.job.state, self.job.error = JobState.FAILED, str(exc)
            raise
        finally:
            heap.thaw()
        self.job.state = JobState.DONE
        return written

    async def _stored(self, planned: WritePlan, removals: int) -> int:
        """``Writer.store``, then, if a demand left the pool while it was written (after
        ``removed`` withdrew its proposals), the proposals of it this batch wrote are
        withdrawn too."""
        count = await self.writer.store(planned)
        matcher = self.pool.matcher
        if matcher.removals != removals:
            involved = {party for mid in planned.parties for party in planned.pair_of(mid)}
            for demand_id in sorted(involved):
                if matcher.profile(demand_id) is None:
                    await self._withdraw(demand_id)
        return count

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
        caps: Mapping[str, int],
    ) -> list[Ranked]:
        """Rematch shortlists finished (scored together, each list capped by the
        exposure snapshot ``caps``)."""
        matcher = self.pool.matcher
        extra = FEEDBACK_MARGIN if known is not None else 0
        shortlists = [(q, lists.get(q, NOTHING)) for q in batch]
        out = []
        for query_id, pending in matcher.finish_many(shortlists, PROPOSALS_PER_DEMAND + extra):
            query = matcher.profile(query_id)
            if query is None or pending is None:
                continue
            # without terms: the explanation reads them when it is shown
            finished = pending.candidates(caps, with_terms=False)
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
