"""Matching's use cases: keep the pool current, propose matches, record answers, rematch.

Every worker keeps the whole pool in memory (vectors and facts as arrays) and follows the
shared change log, so any worker can match any new demand; Kafka's consumer group decides
which worker handles which demand (by partition), so each is matched once.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from boyin_matching.core.explain import Explanation, explain
from boyin_matching.core.finishing import Candidate
from boyin_matching.core.matcher import Matcher
from boyin_matching.core.profiles import Profile
from boyin_matching.feedback import Feedback, Record, Screened, rerank
from boyin_matching.repository import (
    DECLINED,
    MUTUAL,
    PROPOSED,
    Profiles,
    Proposals,
    Taxonomy,
    candidate_of,
    candidate_state,
    match_id,
    replaceable,
)
from boyin_shared.clock import utcnow
from boyin_shared.contracts.matching import (
    MatchMutuallyAccepted,
    MatchParty,
    MatchProposed,
    MutualMatch,
    Proposal,
)
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
        for c in candidates:
            await self._propose(profile, c)
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
            await self.proposals.withdraw_all_of(demand_id)

    # -- proposals -------------------------------------------------------------------

    def _sides(self, a: Profile, b: Profile) -> tuple[Profile, Profile]:
        return (a, b) if a.is_supply else (b, a)

    async def _propose(
        self, query: Profile, c: Candidate, *, source: str = "auto", note: str | None = None
    ) -> None:
        other = self.matcher.profile(c.demand_id)
        if other is None:
            return
        supply, demand = self._sides(query, other)
        mid = match_id(supply.demand_id, demand.demand_id)
        origin = "supply" if query is supply else "demand"
        state = _proposal(supply, demand, c, source=source, note=note, origin=origin)
        try:
            await self.outbox.create(
                self.proposals.collection, mid, state, [_announcement(mid, state)]
            )
        except AlreadyExists:
            existing = await self.proposals.collection.get(mid)
            if existing is None or existing["status"] != PROPOSED:
                return  # answered matches keep their history
            await self.outbox.save(
                self.proposals.collection, existing, {**state, "responses": existing["responses"]}
            )
            return
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
        await self._propose(first, c, source="operator", note=note)
        supply, demand = self._sides(first, second)
        return await self.get(match_id(supply.demand_id, demand.demand_id))

    # -- reading ---------------------------------------------------------------------

    def explanation(self, doc: Document, viewer_demand: str) -> Explanation | None:
        supply_id, demand_id = doc["party_ids"]
        other_id = demand_id if viewer_demand == supply_id else supply_id
        query, other = self.matcher.profile(viewer_demand), self.matcher.profile(other_id)
        if query is None or other is None:
            return None
        return explain(candidate_of(doc, other_id), query, other, self.matcher.tree)

    # -- rematch ---------------------------------------------------------------------

    async def rematch(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Recompute every supply's proposals (after a model or taxonomy change); answered
        ones stay as they are, open ones are rescored in place (their responses, review
        and note kept), new ones are proposed and announced, and the supply's earlier
        proposals that left its list are withdrawn as superseded unless answered or
        reviewed. Returns how many proposals the supplies' lists hold.

        REMATCH_CHUNK supplies at a time are ranked by ``Matcher.rematch`` (blocks of
        queries against the whole other side, a shortlist of REMATCH_SHORTLIST each), read
        to the end without awaiting anything: the generator computes blocks ahead on
        threads, so the matcher must not change meanwhile, and nothing else runs on the
        event loop until it is done (a chunk takes about 0.2 s on 10,000 counterparts).
        Then REMATCH_BATCH supplies' shortlists are finished together as a newly published
        demand's ranking is (``Matcher.finish_many``: lexical re-rank, exposure control,
        each list made in turn) and their proposals written at once (``_plan``: one read;
        ``_store``: one insert, one update),
        yielding to the event loop between batches, so the service answers and
        ``sync``/``published`` may change the pool between them: a supply removed
        meanwhile is skipped, a counterpart removed meanwhile is left out. The feedback
        (reliability, mentors' screening) known when the job starts applies.

        Exposure counts every pair of a list as new while its batch is finished (so a
        popular counterpart is capped within the batch too) and are corrected when the
        batch is written: a pair proposed before was counted then, an answered one is not
        on offer."""
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
        # The pool's millions of long-lived objects (profiles, term weights) stay out of
        # the collections the job's garbage sets off (they took a fifth of its time).
        gc.freeze()
        try:
            for start in range(0, total, REMATCH_CHUNK):
                chunk = supply_ids[start : start + REMATCH_CHUNK]
                lists = dict(self.matcher.rematch(k=REMATCH_SHORTLIST, queries=chunk))
                for first in range(0, len(chunk), REMATCH_BATCH):
                    batch = chunk[first : first + REMATCH_BATCH]
                    # Written before the next batch is finished: overlapping the two on
                    # the database's thread made both slower (the thread's Python waits
                    # for the interpreter lock while this one finishes).
                    written += await self._store(
                        await self._plan(batch, self._finished(batch, lists, known))
                    )
                    for _ in batch:
                        self.job.done += 1
                        if progress is not None:
                            progress(self.job.done, total)
                    await asyncio.sleep(0)  # let the service answer while the job runs
        except Exception as exc:
            self.job.state, self.job.error = "failed", str(exc)
            raise
        finally:
            gc.unfreeze()
        self.job.state = "done"
        return written

    def _finished(
        self,
        batch: Sequence[str],
        lists: Mapping[str, list[tuple[str, float]]],
        known: tuple[dict[str, Record], dict[str, Screened]] | None,
    ) -> list[list[tuple[Profile, Profile, Candidate]]]:
        """Supplies' rematch shortlists finished (scored together, each list made in turn
        with the exposure counts the lists before it left): their (supply, demand,
        candidate) pairs, each counted in the exposure as if new."""
        extra = FEEDBACK_MARGIN if known is not None else 0
        shortlists = [(q, [i for i, _ in lists.get(q, [])]) for q in batch]
        out = []
        for query_id, pending in self.matcher.finish_many(shortlists, PROPOSALS_PER_DEMAND + extra):
            query = self.matcher.profile(query_id)
            if query is None or pending is None:
                continue
            finished = pending.candidates(self._exposure)
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
            pairs = []
            for c in finished:
                other = self.matcher.profile(c.demand_id)
                if other is None:
                    continue
                supply, demand = self._sides(query, other)
                pairs.append((supply, demand, c))
                self._exposure[supply.demand_id] += 1
                self._exposure[demand.demand_id] += 1
            out.append(pairs)
        return out

    async def _plan(
        self, supplies: Sequence[str], lists: Sequence[list[tuple[Profile, Profile, Candidate]]]
    ) -> WritePlan:
        """What writing a batch of supplies' lists takes: new pairs proposed and
        announced, open ones rescored where their scores changed, answered ones left
        alone; the supplies' earlier proposals no longer on their lists withdrawn as
        superseded, unless a side answered or an operator reviewed them (one read)."""
        pairs = {
            match_id(supply.demand_id, demand.demand_id): (supply, demand, c)
            for found in lists
            for supply, demand, c in found
        }
        existing = await self.proposals.of_supplies(list(supplies))
        plan = WritePlan(
            pairs={mid: (s.demand_id, d.demand_id) for mid, (s, d, _) in pairs.items()}
        )
        now = utcnow().isoformat()
        for mid, (supply, demand, c) in pairs.items():
            doc = existing.get(mid)
            if doc is None:
                state = _proposal(supply, demand, c, now=now)
                plan.fresh.append((mid, state, [_announcement(mid, state)]))
                continue
            self._exposure[supply.demand_id] -= 1  # counted when first proposed, or answered
            self._exposure[demand.demand_id] -= 1
            scored = {**candidate_state(c), "supply": _party(supply), "demand": _party(demand)}
            if doc["status"] == PROPOSED and any(doc.get(k) != v for k, v in scored.items()):
                plan.rescored[mid] = scored
        for mid, doc in existing.items():
            if mid not in pairs and replaceable(doc):
                plan.superseded.append(doc)
                for party in doc["party_ids"]:
                    self._exposure[party] -= 1
        return plan

    async def _store(self, plan: WritePlan) -> int:
        """Write a planned batch (one insert, one update); how many pairs it holds."""
        for mid in await self.outbox.create_many(self.proposals.collection, plan.fresh):
            for party in plan.pairs[mid]:  # proposed meanwhile by a newly published demand
                self._exposure[party] -= 1
        await self.proposals.rescore(plan.rescored, plan.superseded)
        return len(plan.pairs)


@dataclass
class WritePlan:
    pairs: dict[str, tuple[str, str]]  # match id -> (supply, demand) demand ids
    fresh: list[tuple[str, dict[str, Any], list[Event]]] = field(default_factory=list)
    rescored: dict[str, dict[str, Any]] = field(default_factory=dict)
    superseded: list[Document] = field(default_factory=list)


#: rematch job: supplies ranked at a time (the event loop waits for each chunk), and the
#: shortlist of each that gets the lexical re-rank and exposure control
REMATCH_CHUNK = 1_000
REMATCH_SHORTLIST = 50
#: rematch job: supplies whose proposals are written together
REMATCH_BATCH = 100


def _proposal(
    supply: Profile,
    demand: Profile,
    c: Candidate,
    *,
    source: str = "auto",
    note: str | None = None,
    now: str | None = None,
    origin: str = "supply",
) -> dict[str, Any]:
    """A new proposal's stored state; ``origin``: whose ranking proposed it."""
    return {
        **candidate_state(c),
        "supply": _party(supply),
        "demand": _party(demand),
        "party_ids": [supply.demand_id, demand.demand_id],
        "status": PROPOSED,
        "responses": {},
        "source": source,
        "review": "confirmed" if source == "operator" else "pending",
        "note": note,
        "origin": origin,
        "updated_at": now or utcnow().isoformat(),
    }


def _announcement(mid: str, state: dict[str, Any]) -> MatchProposed:
    """The event that tells of a new proposal (``state`` from ``_proposal``)."""
    data = {"match_id": mid, "score": state["score"]}
    return MatchProposed.create(
        subject=mid,
        data=Proposal.model_validate(
            {**data, "supply": state["supply"], "demand": state["demand"]}
        ),
    )


def _party(p: Profile) -> dict[str, str]:
    return {"party_kind": p.owner_kind, "party_id": p.owner_id, "demand_id": p.demand_id}


def profiles_of(docs: Sequence[Document]) -> list[Profile]:
    from boyin_matching.repository import profile_of

    return [profile_of(d)[0] for d in docs]
