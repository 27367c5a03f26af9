"""Planning the write of ranked lists (``lists.domain.plan``): plain Python over what was read."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from boyin_matching.lists.domain import Ranked, plan, ranking_state
from boyin_matching.proposals.documents import fresh_state
from boyin_matching.proposals.domain import announcement, match_id
from boyin_matching.ranking.profiles import Profile
from boyin_shared.api.matching import MatchStatus
from boyin_shared.contracts.matching import MatchesProposed
from boyin_shared.store import Document
from tests.matching.test_ranking_support import candidate, profile

PROPOSED, DECLINED, WITHDRAWN = (
    s.value for s in (MatchStatus.PROPOSED, MatchStatus.DECLINED, MatchStatus.WITHDRAWN)
)
NOW = "2026-11-27T20:00:00+00:00"
SUPPLY = replace(profile("p1", "PROJECT_COOPERATION"), owner_kind="talent")
LANDINGS = [
    replace(profile(f"l{i}", "PROJECT_LANDING"), owner_kind="organisation") for i in range(6)
]


def ranked(query: Profile, others: list[Profile], scores: list[float]) -> Ranked:
    pairs = []
    for other, score in zip(others, scores, strict=True):
        supply, demand = (query, other) if query.is_supply else (other, query)
        pairs.append((supply, demand, candidate(other.demand_id, score)))
    return Ranked(query, pairs)


def stored(
    supply: Profile, demand: Profile, score: float, ranking: str | None, **changes: Any
) -> Document:
    c = candidate(demand.demand_id, score)
    doc = fresh_state(supply, demand, c, now=NOW, ranking=ranking)
    return {**doc, "_id": match_id(supply.demand_id, demand.demand_id), "_rev": 1, **changes}


def test_a_first_list_proposes_and_announces_every_pair() -> None:
    out = plan([ranked(SUPPLY, LANDINGS[:3], [0.9, 0.8, 0.7])], {}, {}, NOW)
    mids = [match_id("p1", f"l{i}") for i in range(3)]
    assert out.lists == {"p1": mids}
    assert list(out.fresh) == mids and out.announce == {"p1": mids}
    assert out.fresh[mids[0]]["ranked_by"] == "p1"  # the supply's own ranking
    assert out.rankings == {"p1": None}
    assert not (out.rescored or out.revived or out.superseded)
    assert not +out.exposure  # nothing to take back: every pair is new


def test_a_demands_list_is_the_demands_own() -> None:
    landing = LANDINGS[0]
    supplies = [profile(f"p{i}", "PROJECT_COOPERATION") for i in range(2)]
    out = plan([ranked(landing, supplies, [0.9, 0.8])], {}, {}, NOW)
    mid = match_id("p0", "l0")
    assert out.fresh[mid]["ranked_by"] == "l0"  # the landing's own ranking
    assert out.fresh[mid]["supply"]["demand_id"] == "p0"


def test_stored_pairs_are_rescored_revived_or_left_and_only_this_rankings_new_ones_told() -> None:
    l0, l1, l2, l3, l4, l5 = LANDINGS
    existing = {
        d["_id"]: d
        for d in (
            stored(SUPPLY, l0, 0.9, "p1"),  # open, listed before, same score: nothing
            stored(SUPPLY, l1, 0.1, "p1"),  # open, listed before, score moved: rescored
            stored(SUPPLY, l2, 0.7, "l2"),  # the landing's own ranking made it: not told
            stored(SUPPLY, l3, 0.6, "p1", status=DECLINED, responses={"demand": "NO"}),
            stored(SUPPLY, l4, 0.5, "p1", status=WITHDRAWN, withdrawn_by="superseded"),
            stored(SUPPLY, l5, 0.4, "p1"),  # made by this ranking, never listed: a crash
        )
    }
    before = {"p1": {"_id": "p1", "listed": [match_id("p1", "l0"), match_id("p1", "l1")]}}
    out = plan([ranked(SUPPLY, LANDINGS, [0.9, 0.85, 0.7, 0.6, 0.5, 0.4])], before, existing, NOW)
    mid = {d.demand_id: match_id("p1", d.demand_id) for d in LANDINGS}
    assert not out.fresh
    assert set(out.rescored) == {mid["l1"]} and out.rescored[mid["l1"]]["score"] == 0.85
    rev, fields = out.revived[mid["l4"]]
    assert rev == 1 and fields["status"] == PROPOSED and fields["withdrawn_by"] is None
    assert out.announce == {"p1": [mid["l4"], mid["l5"]]}
    # taken back: every pair already counted (open) or not on offer (answered); the
    # revived one becomes open, so it keeps the count it was given
    assert out.exposure["p1"] == -5
    assert all(out.exposure[f"l{i}"] == -1 for i in (0, 1, 2, 3, 5))
    assert out.exposure["l4"] == 0


def test_pairs_that_left_the_list_are_superseded_unless_answered_reviewed_or_not_its_own() -> None:
    l0, l1, l2, l3, l4, _ = LANDINGS
    docs = [
        stored(SUPPLY, l1, 0.8, "p1"),  # left the list: superseded
        stored(SUPPLY, l2, 0.7, "p1", responses={"supply": "YES"}),  # answered: kept
        stored(SUPPLY, l3, 0.6, "p1", review="confirmed"),  # reviewed: kept
        stored(SUPPLY, l4, 0.5, "l4"),  # the landing's ranking made it: kept
    ]
    existing = {d["_id"]: d for d in docs}
    before = {"p1": {"_id": "p1", "listed": sorted(existing)}}
    out = plan([ranked(SUPPLY, [l0], [0.9])], before, existing, NOW)
    assert [d["_id"] for d in out.superseded] == [match_id("p1", "l1")]
    assert out.exposure["l1"] == -1 and out.exposure["p1"] == -1
    assert out.lists == {"p1": [match_id("p1", "l0")]}


def test_a_pair_on_two_lists_of_one_batch_is_planned_once() -> None:
    l0 = LANDINGS[0]
    out = plan([ranked(SUPPLY, [l0], [0.9]), ranked(l0, [SUPPLY], [0.9])], {}, {}, NOW)
    mid = match_id("p1", "l0")
    assert out.lists == {"p1": [mid], "l0": [mid]}
    assert list(out.fresh) == [mid] and out.announce == {"p1": [mid], "l0": []}
    assert out.exposure == {"p1": -1, "l0": -1}  # the second count taken back


def test_the_announcement_holds_the_list_in_one_event() -> None:
    out = plan([ranked(SUPPLY, LANDINGS[:3], [0.9, 0.8, 0.7])], {}, {}, NOW)
    event = announcement("p1", out.announce["p1"], out.parties)
    assert isinstance(event, MatchesProposed) and event.subject == "p1"
    assert event.data.source == "auto" and event.data.demand_id == "p1"
    assert [p.match_id for p in event.data.proposals] == out.announce["p1"]
    assert event.data.proposals[0].supply.demand_id == "p1"
    assert event.data.proposals[0].demand.party_id == LANDINGS[0].owner_id
    assert event.data.proposals[0].score == 0.9
    assert out.best(out.lists["p1"]) == 0.9
    assert out.best([]) == 0.0
    assert ranking_state(out.lists["p1"], 0.9, NOW, "w1") == {
        "listed": out.lists["p1"],
        "best": 0.9,
        "updated_at": NOW,
        "write": "w1",
    }
