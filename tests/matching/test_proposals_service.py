"""Proposals' use cases on a store: who may answer and review, the one concurrent-change
error, feedback written beside a proposal surviving its saves, withdrawals."""

from __future__ import annotations

from typing import Any

import pytest

from boyin_matching.lists.service import Lists
from boyin_matching.proposals.domain import MeetingOutcome, Proposal
from boyin_shared.api.matching import Answer, MatchStatus
from boyin_shared.contracts.matching import MatchMutuallyAccepted
from boyin_shared.errors import BoyinError
from boyin_shared.events import decode
from boyin_shared.identity import Actor, Role
from boyin_shared.repository import Loaded
from boyin_shared.retry import concurrent_change
from tests.matching.test_lists_rematch import Build, build, market

__all__ = ["build"]  # the fixture, used by name

OPERATOR = Actor(account_id="acc_op", role=Role.OPERATOR)


async def a_proposal(build: Build) -> tuple[Lists, Proposal]:
    lists = build(market(13))
    await lists.rematch()
    [p] = await lists.repository.pending_review(limit=1)
    return lists, p


def member(party_id: str) -> Actor:
    return Actor(account_id=f"acc_{party_id}", role=Role.ORGANISATION, party_id=party_id)


async def test_each_side_answers_for_itself_and_both_yes_is_announced(build: Build) -> None:
    lists, p = await a_proposal(build)
    svc = lists.proposals
    with pytest.raises(BoyinError) as raised:
        await svc.respond(member("someone else"), p.id, True)
    assert (raised.value.code, raised.value.status) == ("FORBIDDEN", 403)
    one = await svc.respond(member(p.supply.party_id), p.id, True)
    assert one.status is MatchStatus.PROPOSED and dict(one.responses) == {"supply": Answer.YES}
    both = await svc.respond(member(p.demand.party_id), p.id, True)
    assert both.status is MatchStatus.MUTUAL
    doc = await lists.repository.collection.get(p.id)
    assert doc is not None and doc["responses"] == {"supply": "YES", "demand": "YES"}
    [raw] = doc["_outbox"]
    event = decode(raw)
    assert event.type == "boyin.matching.match.mutually_accepted"
    # each side carries the editions its demand names (scheduling meets the match there)
    assert isinstance(event, MatchMutuallyAccepted)
    named = [
        lists.pool.matcher.profile(p.supply.demand_id),
        lists.pool.matcher.profile(p.demand.demand_id),
    ]
    assert named[0] and named[1] and (named[0].editions or named[1].editions)  # seed 13: named
    assert [tuple(x.editions) for x in named if x] == [
        event.data.first.editions,
        event.data.second.editions,
    ]
    # a mutual match is kept when its demand leaves the shelf
    assert await svc.withdraw_all_of(p.supply.demand_id)
    assert (await svc.get(p.id)).status is MatchStatus.MUTUAL


async def test_staff_answer_for_both_sides(build: Build) -> None:
    lists, p = await a_proposal(build)
    declined = await lists.proposals.respond(OPERATOR, p.id, False)
    assert declined.status is MatchStatus.DECLINED
    assert dict(declined.responses) == {"supply": Answer.NO, "demand": Answer.NO}


async def test_only_operators_review(build: Build) -> None:
    lists, p = await a_proposal(build)
    with pytest.raises(BoyinError) as raised:
        await lists.proposals.review(member(p.supply.party_id), p.id, "mine", False)
    assert raised.value.code == "FORBIDDEN"
    reviewed = await lists.proposals.review(OPERATOR, p.id, "checked", True)
    assert (reviewed.note, reviewed.reviewed_by, reviewed.status) == (
        "checked",
        "acc_op",
        MatchStatus.WITHDRAWN,
    )
    with pytest.raises(BoyinError) as closed:
        await lists.proposals.respond(member(p.supply.party_id), p.id, True)
    assert closed.value.code == "MATCH_CLOSED"


async def test_a_write_that_keeps_losing_is_the_one_concurrent_change_error(
    build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    lists, p = await a_proposal(build)
    tries = 0

    async def loses(*args: Any, **kwargs: Any) -> bool:
        nonlocal tries
        tries += 1
        return False

    monkeypatch.setattr(lists.repository, "save", loses)
    with pytest.raises(BoyinError) as raised:
        await lists.proposals.respond(member(p.supply.party_id), p.id, True)
    assert raised.value == concurrent_change() and tries == 10


async def test_feedback_written_meanwhile_survives_a_save(
    build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Feedback writes a meeting beside a proposal without bumping its revision, between
    an answer's read and its write: the answer's save leaves it."""
    lists, p = await a_proposal(build)
    repository = lists.repository
    read = repository.get
    meeting = MeetingOutcome("mt_1", "HELD", ())

    async def read_then_feedback(mid: str) -> Loaded[Proposal] | None:
        loaded = await read(mid)
        await lists.proposals.record_meeting(mid, meeting)
        return loaded

    monkeypatch.setattr(repository, "get", read_then_feedback)
    answered = await lists.proposals.respond(member(p.supply.party_id), p.id, True)
    assert answered.meeting is None  # read before the meeting was written
    monkeypatch.undo()
    stored = await lists.proposals.get(p.id)
    assert stored.meeting == meeting and dict(stored.responses) == {"supply": Answer.YES}
