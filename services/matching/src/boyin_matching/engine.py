"""Matching's use cases: keep the pool current, propose matches, record answers, rematch.

Every worker keeps the whole pool in memory (vectors and facts as arrays) and follows the
shared change log, so any worker can match any new demand; Kafka's consumer group decides
which worker handles which demand (by partition), so each is matched once.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from boyin_matching import listing
from boyin_matching.feedback import Feedback, Record, Screened, rerank
from boyin_matching.listing import Ranked, WritePlan
from boyin_matching.ranking.explain import Explanation, explain
from boyin_matching.ranking.finishing import Candidate
from boyin_matching.ranking.matcher import Matcher
from boyin_matching.ranking.profiles import Profile
from boyin_matching.repository import (
    DECLINED,
    MUTUAL,
    PROPOSED,
    Profiles,
    Proposals,
    Taxonomy,
    candidate_of,
    match_id,
    ranked_by,
    revivable,
)
from boyin_shared.clock import new_id, utcnow
from boyin_shared.contracts.matching import MatchMutuallyAccepted, MatchParty, MutualMatch
from boyin_shared.errors import BoyinError, Message, not_found
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role
from boyin_shared.outbox import Outbox
from boyin_shared.store import AlreadyExists, Document

log = logging.getLogger("boyin.matching")
F32 = NDArray[np.float32]

#: proposals kept per newly published demand
PROPOSALS_PER_DEMAND = 20
#: candidates ranked beyond the list, so that feedback can demote one out of it
FEEDBACK_MARGIN = 5


def _forbidden() -> BoyinError:
    return BoyinError(
        code="FORBIDDEN",
        message=Message("无权操作此匹配", "you may not act on this match"),
        status=403,
    )


@dataclass
class RematchJob:
    total: int = 0
    done: int = 0
    state: str = "idle"  # idle | running | done | failed
    error: str | None = None


@dataclass
class Engine:
    matcher: Matcher
    profiles: Profiles
    taxonomy: Taxonomy
    proposals: Proposals
    outbox: Outbox
    encode_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _cursor: str = ""
    _exposure: Counter[str] = field(default_factory=Counter)
    job: RematchJob = field(default_factory=RematchJob)
    feedback: Feedback | None = None

    # -- keeping the pool current ----------------------------------------------------

    async def load(self) -> None:
        """Fill the in-memory pool from the store (at start-up)."""
        for doc in await self.taxonomy.all():
            self.matcher.tree.set(doc["_id"], doc["parent"], doc["zh"], doc["en"])
        from boyin_matching.repository import profile_of

        loaded = [profile_of(d) for d in await self.profiles.all()]
        if loaded:
            vectors = np.stack([v for _, v in loaded])
            self.matcher.add_many([p for p, _ in loaded], vectors)
        latest = await self.profiles.log.find({}, sort=[("_id", -1)], limit=1)
        self._cursor = latest[0]["_id"] if latest else ""
        for doc in await self.proposals.collection.find({"status": PROPOSED}):
            for party in doc["party_ids"]:
                self._exposure[party] += 1

    async def sync(self) -> int:
        """Apply what other workers changed since the last sync."""
        applied = 0
        while entries := await self.profiles.since(self._cursor):
            for entry in entries:
                self._cursor = entry["_id"]
                if entry["op"] == "remove":
                    self.matcher.remove(entry["demand_id"])
                else:
                    stored = await self.profiles.get(entry["demand_id"])
                    if stored is not None:
                        self.matcher.add(stored[0], stored[1])
                applied += 1
            if len(entries) < 1000:
                break
        return applied

    async def set_taxonomy(
        self, code: str, parent: str | None, zh: str, en: str, version: int
    ) -> None:
        await self.taxonomy.put(code, parent, zh, en, version)
        self.matcher.tree.set(code, parent, zh, en)

    async def vector(self, profile: Profile) -> F32:
        async with self.encode_lock:  # one encoding at a time: the model is CPU-bound
            return await asyncio.to_thread(self.matcher.vector_of, profile)

    async def published(self, profile: Profile) -> list[Candidate]:
        """A demand was published (or changed while published): index it, propose matches."""
        vector = await self.vector(profile)
        if not await self.profiles.put(profile, vector):
            return []  # an older revision, or a repeat
        await self.sync()
        self.matcher.add(profile, vector)
        candidates = await self.ranked(profile.demand_id)
        await self._write([self._listed(profile, candidates)], self.matcher.removals)
        return candidates

    async def ranked(self, demand_id: str) -> list[Candidate]:
        """The demand's best candidates, each scaled by its owner's reliability and its
        mentors' screening (``feedback``): a few more are ranked so a demoted one can
        leave the list."""
        extra = FEEDBACK_MARGIN if self.feedback is not None else 0
        found = self.matcher.candidates(demand_id, PROPOSALS_PER_DEMAND + extra, self._exposure)
        if self.feedback is None:
            return found
        query = self.matcher.profile(demand_id)
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
            if (p := self.matcher.profile(c.demand_id)) is not None
        }

    async def removed(self, demand_id: str, revision: int) -> None:
        """A demand left the shelf (withdrawn, expired, back in review): forget it."""
        if await self.profiles.drop(demand_id, revision):
            self.matcher.remove(demand_id)
            for doc in await self.proposals.withdraw_all_of(demand_id):
                if doc["status"] == PROPOSED:  # it was on offer
                    for party in doc["party_ids"]:
                        self._exposure[party] -= 1

    # -- proposals -------------------------------------------------------------------

    def _sides(self, a: Profile, b: Profile) -> tuple[Profile, Profile]:
        return (a, b) if a.is_supply else (b, a)

    async def _propose_by_operator(self, query: Profile, c: Candidate, note: str) -> None:
        """An operator's proposal, announced on its own; one open already is rescored and
        confirmed with the operator's note, one the system withdrew is proposed again."""
        other = self.matcher.profile(c.demand_id)
        if other is None:
            return
        supply, demand = self._sides(query, other)
        mid = match_id(supply.demand_id, demand.demand_id)
        state = listing.proposal_state(
            supply, demand, c, now=utcnow().isoformat(), ranking=None, source="operator", note=note
        )
        said = {mid: (state["supply"], state["demand"], state["score"])}
        event = listing.announcement(query.demand_id, [mid], said, source="operator", subject=mid)
        for _ in range(10):
            existing = await self.proposals.collection.get(mid)
            if existing is None:
                try:
                    await self.outbox.create(self.proposals.collection, mid, state, [event])
                except AlreadyExists:
                    continue
                break
            if existing["status"] == PROPOSED:
                kept = {**state, "responses": existing["responses"]}
                if await self.outbox.save(self.proposals.collection, existing, kept):
                    return
            elif revivable(existing):
                if await self.outbox.save(self.proposals.collection, existing, state, [event]):
                    break
            else:
                return  # answered, or withdrawn by a person: its history stays
        else:
            raise BoyinError(
                code="CONCURRENT_CHANGE", message=Message("请重试", "retry"), status=409
            )
        for party in state["party_ids"]:
            self._exposure[party] += 1

    async def get(self, mid: str) -> Document:
        doc = await self.proposals.collection.get(mid)
        if doc is None:
            raise not_found("match", mid, zh_kind="匹配")
        return doc

    def _owns(self, actor: Actor, doc: Document, side: str) -> bool:
        return actor.party_id is not None and doc[side]["party_id"] == actor.party_id

    async def respond(self, actor: Actor, mid: str, interested: bool) -> Document:
        """One side says yes or no; both yes is a mutual match (announced, contacts open)."""
        for _ in range(10):
            doc = await self.get(mid)
            sides = [s for s in ("supply", "demand") if self._owns(actor, doc, s)]
            if not sides and not actor.is_staff:
                raise _forbidden()
            if doc["status"] not in (PROPOSED, DECLINED, MUTUAL):
                raise BoyinError(
                    code="MATCH_CLOSED",
                    message=Message("该匹配已失效", "this match is no longer open"),
                    status=409,
                )
            if doc["status"] == MUTUAL:
                return doc
            responses = dict(doc["responses"])
            for side in sides or ("supply", "demand"):
                responses[side] = "YES" if interested else "NO"
            events = []
            status = PROPOSED
            if responses.get("supply") == "YES" and responses.get("demand") == "YES":
                status = MUTUAL
                events.append(
                    MatchMutuallyAccepted.create(
                        subject=mid,
                        data=MutualMatch(
                            match_id=mid,
                            first=MatchParty(**doc["supply"]),
                            second=MatchParty(**doc["demand"]),
                            score=doc["score"],
                        ),
                    )
                )
            elif "NO" in responses.values():
                status = DECLINED
            change = {"responses": responses, "status": status, "updated_at": utcnow().isoformat()}
            if await self.outbox.save(self.proposals.collection, doc, change, events):
                return {**doc, **change}
        raise BoyinError(code="CONCURRENT_CHANGE", message=Message("请重试", "retry"), status=409)

    async def review(self, actor: Actor, mid: str, note: str | None, withdraw: bool) -> Document:
        """Operators confirm a proposal, annotate it, or take it back."""
        if actor.role not in (Role.OPERATOR, Role.ADMIN):
            raise _forbidden()
        doc = await self.get(mid)
        change: dict[str, Any] = {
            "review": "confirmed",
            "note": note,
            "reviewed_by": actor.account_id,
        }
        if withdraw:
            change["status"] = "WITHDRAWN"
        if not await self.outbox.save(self.proposals.collection, doc, change):
            raise BoyinError(
                code="CONCURRENT_CHANGE", message=Message("请重试", "retry"), status=409
            )
        return {**doc, **change}

    async def propose_by_hand(self, actor: Actor, a: str, b: str, note: str) -> Document:
        """An operator adds a match the engine did not propose (scored and explained all the same)."""
        if actor.role not in (Role.OPERATOR, Role.ADMIN):
            raise _forbidden()
        await self.sync()
        first, second = self.matcher.profile(a), self.matcher.profile(b)
        if first is None or second is None or first.counterpart_channel != second.channel:
            raise BoyinError(
                code="NOT_MATCHABLE",
                message=Message(
                    "两条需求须均已发布且渠道对应",
                    "both demands must be published, on matching channels",
                ),
                status=422,
            )
        [c] = self.matcher.pair(a, b)
        await self._propose_by_operator(first, c, note)
        supply, demand = self._sides(first, second)
        return await self.get(match_id(supply.demand_id, demand.demand_id))

    # -- reading ---------------------------------------------------------------------

    def explanation(self, doc: Document, viewer_demand: str) -> Explanation | None:
        supply_id, demand_id = doc["party_ids"]
        other_id = demand_id if viewer_demand == supply_id else supply_id
        query, other = self.matcher.profile(viewer_demand), self.matcher.profile(other_id)
        if query is None or other is None:
            return None
        c = candidate_of(doc, other_id)
        if c.lexical > 0:  # the terms of the profiles as they are now
            c = c._replace(shared_terms=self.matcher.shared_terms(viewer_demand, other_id))
        return explain(c, query, other, self.matcher.tree)

    # -- rematch ---------------------------------------------------------------------

    async def rematch(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Recompute every supply's list (after a model or taxonomy change) and write it as
        a newly published demand's list is written (``listing``: new pairs proposed, open
        ones rescored, the supply's earlier ones no longer listed superseded, one
        announcement per list). Returns how many proposals the supplies' lists hold.

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
        await self.sync()
        supply_ids = [
            pid
            for channel in ("PROJECT_COOPERATION", "JOB_SEEKING")
            for pid, row in self.matcher.pools[channel].rows.items()
            if self.matcher.pools[channel].alive[row]
        ]
        total = len(supply_ids)
        self.job = RematchJob(total=total, state="running")
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
                lists = dict(self.matcher.shortlists(k=REMATCH_SHORTLIST, queries=chunk))
                for first in range(0, len(chunk), REMATCH_BATCH):
                    batch = chunk[first : first + REMATCH_BATCH]
                    finished = self._finished(batch, lists, known)
                    removals = self.matcher.removals
                    written += await written_so_far()  # the batch before: then this one
                    plan = await self._plan(finished, removals)
                    writing = asyncio.create_task(self._store(plan))
                    self.job.done += len(batch)
                    await asyncio.sleep(0)  # its insert starts; the service answers
            written += await written_so_far()
        except BaseException as exc:
            if writing is not None:
                writing.cancel()
                with contextlib.suppress(BaseException):
                    await writing
            self.job.state, self.job.error = "failed", str(exc)
            raise
        finally:
            gc.unfreeze()
        self.job.state = "done"
        return written

    def _listed(self, query: Profile, candidates: Sequence[Candidate]) -> Ranked:
        """A finished list as pairs, each counted in the exposure as if new."""
        counterparts = self.matcher.pools[query.counterpart_channel]
        pairs = []
        exposure = self._exposure
        for c in candidates:
            other = counterparts.profile(c.demand_id)
            if other is None:
                continue
            supply, demand = self._sides(query, other)
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
        extra = FEEDBACK_MARGIN if known is not None else 0
        shortlists = [(q, lists.get(q, NOTHING)) for q in batch]
        out = []
        for query_id, pending in self.matcher.finish_many(shortlists, PROPOSALS_PER_DEMAND + extra):
            query = self.matcher.profile(query_id)
            if query is None or pending is None:
                continue
            finished = pending.candidates(self._exposure, with_terms=False)  # read: explanation
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
        if self.matcher.removals == removals:
            return list(lists)
        out = []
        for ranked in lists:
            alive = self.matcher.profile(ranked.query.demand_id) is not None
            kept = []
            for pair in ranked.pairs:
                supply, demand, _ = pair
                if alive and self.matcher.profile(self._other(ranked, pair)) is not None:
                    kept.append(pair)
                    continue
                self._exposure[supply.demand_id] -= 1
                self._exposure[demand.demand_id] -= 1
            if alive:
                out.append(Ranked(ranked.query, kept))
        return out

    @staticmethod
    def _other(ranked: Ranked, pair: listing.Pair) -> str:
        supply, demand, _ = pair
        return demand.demand_id if ranked.query.demand_id == supply.demand_id else supply.demand_id

    async def _write(self, lists: Sequence[Ranked], removals: int) -> int:
        return await self._store(await self._plan(lists, removals))

    async def _plan(self, lists: Sequence[Ranked], removals: int) -> WritePlan:
        """What writing these lists takes (``listing.plan``), from three reads: the
        rankings' documents, the stored proposals of their pairs, and the open ones the
        rankings made."""
        current = self._current(lists, removals)
        ids = [r.query.demand_id for r in current]
        rankings = await self.proposals.rankings_of(ids)
        wanted = {match_id(s.demand_id, d.demand_id) for r in current for s, d, _ in r.pairs}
        existing = await self.proposals.open_ones_of(ids)  # most of the pairs, if not new
        existing.update(await self.proposals.by_id(sorted(wanted - existing.keys())))
        plan = listing.plan(current, rankings, existing, utcnow().isoformat())
        self._exposure.update(plan.exposure)
        return plan

    async def _store(self, plan: WritePlan) -> int:
        """Write a plan: the proposals (one insert, one update), then the rankings with
        their announcements; how many pairs the lists hold."""
        clashes = await self.outbox.create_many(
            self.proposals.collection, [(mid, state, ()) for mid, state in plan.fresh.items()]
        )
        lost = set(clashes)  # proposed meanwhile by another ranking: it announces them
        wanted = len(plan.rescored) + len(plan.superseded) + len(plan.revived)
        if await self.proposals.rescore(plan.rescored, plan.superseded, plan.revived) < wanted:
            back = await self.proposals.by_id(list(plan.revived))
            lost.update(
                mid
                for mid in plan.revived
                if mid not in back
                or back[mid]["status"] != PROPOSED
                or back[mid].get("ranked_by") != plan.revived[mid][1]["ranked_by"]
            )
        for mid in lost:
            for party in plan.pair_of(mid):
                self._exposure[party] -= 1
        await self._rankings(plan, lost)
        return sum(len(mids) for mids in plan.lists.values())

    async def _rankings(self, plan: WritePlan, lost: set[str]) -> None:
        """The rankings' new lists, each announcing what it listed first; one written
        meanwhile (another ranking of the same demand) is settled on its own."""
        now, write = utcnow().isoformat(), new_id("w_")
        new: list[tuple[str, dict[str, Any], list[Event]]] = []
        saves: list[tuple[Document, Mapping[str, Any], Sequence[Event]]] = []
        for ranking, mids in plan.lists.items():
            said = [mid for mid in plan.announce[ranking] if mid not in lost]
            events: list[Event] = (
                [listing.announcement(ranking, said, plan.parties)] if said else []
            )
            state = listing.ranking_state(mids, now, write)
            before = plan.rankings[ranking]
            if before is None:
                new.append((ranking, state, events))
            else:
                saves.append((before, state, events))
        taken = await self.outbox.create_many(self.proposals.rankings, new)
        if taken or await self.outbox.save_many(self.proposals.rankings, saves) < len(saves):
            back = await self.proposals.rankings_of(list(plan.lists))
            for ranking, mids in plan.lists.items():
                if back.get(ranking, {}).get("write") != write:
                    await self._settle(ranking, mids, plan)

    async def _settle(self, ranking: str, mids: Sequence[str], plan: WritePlan) -> None:
        """Write one ranking's list over a newer document of it: announce the open
        proposals this ranking made that it had not listed."""
        for _ in range(10):
            before = (await self.proposals.rankings_of([ranking])).get(ranking)
            listed = set(before["listed"]) if before is not None else set()
            docs = await self.proposals.by_id(list(mids))
            said = [
                mid
                for mid in mids
                if mid not in listed
                and mid in docs
                and docs[mid]["status"] == PROPOSED
                and ranked_by(docs[mid]) == ranking
            ]
            events: list[Event] = (
                [listing.announcement(ranking, said, plan.parties)] if said else []
            )
            state = listing.ranking_state(mids, utcnow().isoformat(), new_id("w_"))
            if before is None:
                try:
                    await self.outbox.create(self.proposals.rankings, ranking, state, events)
                    return
                except AlreadyExists:
                    continue
            if await self.outbox.save(self.proposals.rankings, before, state, events):
                return
        raise RuntimeError(f"the ranking of {ranking} keeps changing")


#: rematch job: supplies ranked at a time (the event loop waits for each chunk), and the
#: shortlist of each that gets the lexical re-rank and exposure control
REMATCH_CHUNK = 1_000
REMATCH_SHORTLIST = 50
#: rematch job: supplies whose proposals are written together
REMATCH_BATCH = 100
NOTHING: NDArray[np.intp] = np.zeros(0, np.intp)
