"""Writing ranked lists: what a batch of rankings changes in the stored proposals.

A ranking is a demand's finished list of candidates (a newly published demand's, or a
supply's in the rematch job). Writing it:

* pairs new to the store are proposed;
* open proposals on it are rescored where their scores moved (their responses, review and
  note kept); answered ones are left as they are;
* proposals the system withdrew (superseded, or a demand left the shelf) and nobody
  answered or reviewed are proposed again;
* the open proposals this ranking made earlier that are not on its list are withdrawn as
  superseded, unless a side answered or an operator reviewed them (found by who made
  them, not by the ranking's stored list: a crash may have left some it never listed),
  or the other side's list holds them: then they are handed over to that side's ranking,
  whose list withdraws them if it drops them (when that list is written later in the
  same rematch, this is decided after it: a pair is not withdrawn and proposed again
  within one rematch);
* the ranking's own document keeps its list and announces, in one ``MatchesProposed``,
  the proposals it put on its list for the first time (one message per list, not one
  per pair). A proposal another demand's ranking made is announced by that ranking.

The proposals are written before the ranking, so a crash in between leaves proposals the
ranking has not listed yet: written again, the ranking announces them then.

Planning is plain Python over what was read; the lists service reads, then writes the plan.
Exposure (how many open lists each party is on) was counted for every pair as if new
while the lists were finished; the plan carries the corrections.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from boyin_matching.proposals import documents as stored
from boyin_matching.proposals.domain import Announced, match_id
from boyin_matching.ranking.finishing import Candidate
from boyin_matching.ranking.profiles import Profile
from boyin_shared.api.matching import JobState

#: a stored document (a proposal's, or a ranking's), as read
Document = dict[str, Any]
#: (supply, demand, candidate) of one list entry
Pair = tuple[Profile, Profile, Candidate]


@dataclass(frozen=True)
class Ranked:
    """One ranking's finished list: the ranked demand and its pairs, best first."""

    query: Profile
    pairs: Sequence[Pair]


@dataclass
class WritePlan:
    #: ranking (demand id) -> its match ids, best first
    lists: dict[str, list[str]] = field(default_factory=dict)
    #: ranking -> its rankings document as read (None: its first list)
    rankings: dict[str, Document | None] = field(default_factory=dict)
    #: new proposals' stored states
    fresh: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: open proposals' changed fields
    rescored: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: withdrawn proposals proposed again: id -> (revision read, changed fields)
    revived: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    #: open proposals no longer listed, as read
    superseded: list[Document] = field(default_factory=list)
    #: ranking -> the match ids it announces, if written as planned
    announce: dict[str, list[str]] = field(default_factory=dict)
    #: match id -> (supply party, demand party, score): what an announcement says
    parties: dict[str, Announced] = field(default_factory=dict)
    #: corrections to the exposure counted while the lists were finished
    exposure: Counter[str] = field(default_factory=Counter)
    #: open proposals a ranking dropped whose other side's list is written later in the
    #: same run: withdrawn after it unless that list holds them (``Writer.settle_dropped``)
    deferred: list[str] = field(default_factory=list)

    def pair_of(self, mid: str) -> tuple[str, str]:
        supply, demand, _ = self.parties[mid]
        return supply["demand_id"], demand["demand_id"]

    def best(self, mids: Sequence[str]) -> float:
        """The best score of a list (0 when empty)."""
        return max((self.parties[mid][2] for mid in mids), default=0.0)


def _entry(entries: dict[str, dict[str, Any]], p: Profile) -> dict[str, Any]:
    found = entries.get(p.demand_id)
    if found is None:
        found = entries[p.demand_id] = stored.party_entry(p)
    return found


def listed(ranking: Document | None) -> list[str]:
    """The match ids on a ranking's stored list (none before its first)."""
    return list(ranking["listed"]) if ranking is not None else []


def plan(
    lists: Sequence[Ranked],
    rankings: Mapping[str, Document],
    existing: Mapping[str, Document],
    now: str,
    others: Mapping[str, Document] = {},
    pending: Collection[str] = (),
) -> WritePlan:
    """The writes of these lists, given their rankings' documents, the stored proposals
    of their pairs and every open one their rankings made (by match id), the rankings'
    documents of the other sides of those (``others``), and the rankings whose lists
    are written later in the same run (``pending``: the rematch job's)."""
    # the stored shape's readers and builders, as locals: called for every pair
    is_open, ranked_by, revivable = stored.is_open, stored.ranked_by, stored.revivable
    differs, fresh_state, scored_state = stored.differs, stored.fresh_state, stored.scored_state
    out = WritePlan()
    entries: dict[str, dict[str, str]] = {}  # a profile's party entry, made once
    made: dict[str, list[Document]] = {}  # ranking -> the open proposals it made
    for doc in existing.values():
        if is_open(doc) and (by := ranked_by(doc)) is not None:
            made.setdefault(by, []).append(doc)
    for ranked in lists:
        ranking = ranked.query.demand_id
        before = rankings.get(ranking)
        listed_before = set(listed(before))
        mids: list[str] = []
        announce: list[str] = []
        for supply, demand, c in ranked.pairs:
            mid = match_id(supply.demand_id, demand.demand_id)
            mids.append(mid)
            if mid in out.parties:  # on an earlier list of this batch: planned there
                out.exposure[supply.demand_id] -= 1
                out.exposure[demand.demand_id] -= 1
                continue
            sides = (_entry(entries, supply), _entry(entries, demand))
            held = existing.get(mid)
            if held is None:
                out.fresh[mid] = state = fresh_state(
                    supply, demand, c, now=now, ranking=ranking, parties=sides
                )
                out.parties[mid] = (sides[0], sides[1], state["score"])
                announce.append(mid)
                continue
            scored = scored_state(c, *sides)
            out.parties[mid] = (sides[0], sides[1], scored["score"])
            if revivable(held):
                out.revived[mid] = (stored.revision(held), stored.revived_state(scored, ranking))
                announce.append(mid)
                continue
            # on offer already (counted when it was proposed), or answered (not on offer)
            out.exposure[supply.demand_id] -= 1
            out.exposure[demand.demand_id] -= 1
            if not is_open(held):
                continue
            if differs(held, scored):
                out.rescored[mid] = scored
            if mid not in listed_before and ranked_by(held) == ranking:
                announce.append(mid)  # proposed by this ranking, which never listed it
        out.lists[ranking] = mids
        out.rankings[ranking] = before
        out.announce[ranking] = announce
    for ranking, mids in out.lists.items():
        kept = set(mids)
        for doc in sorted(made.get(ranking, ()), key=stored.doc_id):
            mid = stored.doc_id(doc)
            if mid in kept or not stored.untouched(doc):
                continue
            other = next(p for p in stored.demand_ids(doc) if p != ranking)
            if other in out.lists:
                handed = mid in out.lists[other]
            else:
                handed = mid in listed(others.get(other))
            if handed:
                # on its other side's list: handed over, so that list withdraws it if it
                # drops it (neither side's list withdraws what the other one lists)
                out.rescored.setdefault(mid, {})["ranked_by"] = other
                continue
            if other in pending:  # decided once the other side's list is written
                out.deferred.append(mid)
                continue
            out.superseded.append(doc)
            for p in stored.demand_ids(doc):
                out.exposure[p] -= 1
    return out


def ranking_state(mids: Sequence[str], best: float, now: str, write: str) -> dict[str, Any]:
    """A ranking's stored state: its list, its best score (0 when empty: what the
    operators' queue of demands with no good match reads), when, and which write made
    it."""
    return {"listed": list(mids), "best": best, "updated_at": now, "write": write}


@dataclass
class RematchJob:
    """The progress of the full re-match job, as operators poll it."""

    total: int = 0
    done: int = 0
    state: JobState = JobState.IDLE
    error: str | None = None
