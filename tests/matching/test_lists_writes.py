"""Lists written by the lists feature: one announcement per list, each proposal announced once
across rematches and crashes, withdrawn ones proposed again, operators' own proposals."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from boyin_matching.lists import service as lists_module
from boyin_matching.lists.service import Lists
from boyin_matching.lists.writing import Writer
from boyin_matching.proposals.documents import from_doc
from boyin_matching.ranking import words
from boyin_shared.api.matching import MatchStatus
from boyin_shared.events import decode
from boyin_shared.identity import Actor, Role
from tests.matching.test_lists_rematch import Build, build, market, proposals

__all__ = ["build"]  # the fixture, used by name


async def announced(lists: Lists) -> Counter[str]:
    """How many times each match was announced: every event still in an outbox (no relay
    runs here), rankings' and proposals' alike."""
    out: Counter[str] = Counter()
    for collection in (lists.rankings.collection, lists.repository.collection):
        for doc in await collection.find({"_pending": True}):
            for raw in doc["_outbox"]:
                event = decode(raw)
                if event.type == "boyin.matching.matches.proposed":
                    out.update(p.match_id for p in event.data.proposals)  # type: ignore[attr-defined]
    return out


async def ranking_lists(lists: Lists) -> dict[str, list[str]]:
    return {d["_id"]: d["listed"] for d in await lists.rankings.collection.find({})}


async def test_each_list_is_one_event_and_each_proposal_is_announced_once(build: Build) -> None:
    lists = build(market(7))
    await lists.rematch()
    docs = await proposals(lists)
    rankings = await lists.rankings.collection.find({})
    # one event per list that proposes something (a demand's list may only hold pairs
    # its counterparts' lists proposed first)
    assert all(len(d["_outbox"]) <= 1 for d in rankings)
    assert sum(len(d["_outbox"]) for d in rankings) > len(rankings) / 2
    told = await announced(lists)
    assert told.keys() == docs.keys() and set(told.values()) == {1}
    for ranking in rankings:  # a list names its own demand's proposals only
        assert all(ranking["_id"] in mid.split("~") for mid in ranking["listed"])
    # again, on the same pool: the same lists (exposure control reads a snapshot made
    # before any cap, not the counts the first run left), so nothing is told again
    listed = await ranking_lists(lists)
    await lists.rematch()
    assert await announced(lists) == told
    assert await ranking_lists(lists) == listed


async def test_a_match_is_announced_each_time_it_is_opened_and_only_then(
    build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lists of 20, then 8 (superseding the rest of each earlier list), then 20 again
    (proposing superseded ones again): each match is announced as many times as a run
    opened it (absent or withdrawn before, open after), never for staying open."""
    lists = build(market(8))
    opened: Counter[str] = Counter()
    status: dict[str, str] = {}
    for size in (20, 8, 20):
        monkeypatch.setattr(lists_module, "PROPOSALS_PER_DEMAND", size)
        await lists.rematch()
        after = {m: d["status"] for m, d in (await proposals(lists)).items()}
        opened.update(
            m
            for m, s in after.items()
            if s == MatchStatus.PROPOSED and status.get(m) != MatchStatus.PROPOSED
        )
        status = after
    assert max(opened.values()) == 2  # some were superseded and opened again
    assert await announced(lists) == opened
    # every open proposal is on its ranking's list
    listed = {m for ms in (await ranking_lists(lists)).values() for m in ms}
    assert {m for m, s in status.items() if s == MatchStatus.PROPOSED} <= listed


async def test_a_crash_between_the_proposals_and_the_rankings_loses_no_announcement(
    build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The proposals of a batch are written, then the process dies before its rankings
    are: the job run again announces each open proposal once, and withdraws those of
    the crashed batch its new lists leave out (the exposure counts have moved since, so
    lists differ)."""
    monkeypatch.setattr(lists_module, "REMATCH_BATCH", 20)
    lists = build(market(9))
    real = Writer._rankings
    calls = 0

    async def dies_on_the_third(self: Writer, *args: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise ConnectionError("killed")
        await real(self, *args)

    monkeypatch.setattr(Writer, "_rankings", dies_on_the_third)
    with pytest.raises(ConnectionError):
        await lists.rematch()
    assert lists.job.state == "failed"
    written = await proposals(lists)
    told = await announced(lists)
    assert set(written) - set(told)  # proposals written, not yet announced
    monkeypatch.setattr(Writer, "_rankings", real)
    await lists.rematch()
    docs = await proposals(lists)
    told = await announced(lists)
    assert set(told.values()) == {1}
    assert {m for m, d in docs.items() if d["status"] == MatchStatus.PROPOSED} <= told.keys()
    # the crashed batch's proposals the new lists left out were never told: superseded
    untold = [d for m, d in docs.items() if m not in told]
    assert all(d["withdrawn_by"] == "superseded" for d in untold)


async def test_proposals_withdrawn_with_a_demand_are_proposed_again_when_listed(
    build: Build,
) -> None:
    lists = build(market(10))
    await lists.rematch()
    before = await proposals(lists)
    landing = next(iter(before.values()))["demand"]["demand_id"]
    answered = next(m for m, d in before.items() if d["demand"]["demand_id"] == landing)
    assert await lists.repository.outbox.save(
        lists.repository.collection, before[answered], {"responses": {"supply": "NO"}}
    )
    withdrawn = {p.id for p in await lists.proposals.withdraw_all_of(landing)}
    assert withdrawn == {m for m, d in before.items() if d["demand"]["demand_id"] == landing}
    told = await announced(lists)
    await lists.rematch()  # the landing is still in the pool: back on the lists it makes
    after = await proposals(lists)
    listed = {m for ms in (await ranking_lists(lists)).values() for m in ms}
    revived = (withdrawn - {answered}) & listed
    assert revived and all(after[m]["status"] == MatchStatus.PROPOSED for m in revived)
    left = withdrawn - listed  # no longer on a list: still withdrawn
    assert all(after[m]["status"] == MatchStatus.WITHDRAWN for m in left | {answered})
    again = (await announced(lists)) - told
    assert {m: n for m, n in again.items() if m in before} == dict.fromkeys(revived, 1)


async def test_an_operators_proposal_is_announced_on_its_own(build: Build) -> None:
    lists = build(market(11))
    operator = Actor(account_id="op", role=Role.OPERATOR)
    supply, landing = "PROJECT_COOPERATION-1", "PROJECT_LANDING-3"
    p = await lists.proposals.propose_by_hand(operator, supply, landing, "met at the fair")
    doc = await lists.repository.collection.get(p.id)
    assert doc is not None
    assert (doc["source"], doc["review"], doc["note"]) == (
        "operator",
        "confirmed",
        "met at the fair",
    )
    assert doc["ranked_by"] is None
    [raw] = doc["_outbox"]
    event = decode(raw)
    assert event.type == "boyin.matching.matches.proposed" and event.subject == doc["_id"]
    assert event.data.source == "operator"  # type: ignore[attr-defined]
    assert [p.match_id for p in event.data.proposals] == [doc["_id"]]  # type: ignore[attr-defined]
    # the rematch leaves it (an operator's, reviewed) and does not tell it again
    await lists.rematch()
    assert (await proposals(lists))[doc["_id"]]["status"] == MatchStatus.PROPOSED
    assert (await announced(lists))[doc["_id"]] == 1


async def test_a_stored_proposal_is_explained_with_the_terms_its_profiles_share(
    build: Build,
) -> None:
    """Lists are stored without their shared terms (the job does not compute them); the
    explanation read later takes them from the two profiles, as ``candidates`` would."""
    lists = build(market(12))
    await lists.rematch()
    docs = await proposals(lists)
    doc = next(d for d in docs.values() if d["lexical"] > 0)
    assert "shared_terms" not in doc
    supply, demand = doc["party_ids"]
    found = {c.demand_id: c for c in lists.pool.matcher.candidates(supply, 200)}
    assert found[demand].shared_terms  # what the interactive ranking shows for the pair
    a, b = (lists.pool.matcher.profile(d) for d in (supply, demand))
    assert a is not None and b is not None
    shown = words.shown(found[demand].shared_terms, a.all_text(), b.all_text())
    assert shown
    for viewer in (supply, demand):
        explanation = lists.proposals.explanation(from_doc(doc), viewer)
        assert explanation is not None
        [lexical] = [r for r in explanation.reasons if r.signal == "lexical"]
        assert lexical.message.en == "Both mention: " + ", ".join(shown) + "."
    plain = next(d for d in docs.values() if d["lexical"] == 0)
    explanation = lists.proposals.explanation(from_doc(plain), plain["party_ids"][0])
    assert explanation is not None
    assert not [r for r in explanation.reasons if r.signal == "lexical"]
