"""Mutual matches from the matching service become accepted meetings of the open edition:
once each, however often they arrive, and late when no edition is open yet (in-process
service, embedded bus and SQLite)."""

from __future__ import annotations

from pathlib import Path

from boyin_scheduling.app import definition as scheduling
from boyin_scheduling.meetings.domain import meeting_of_match
from boyin_shared.clock import new_id
from boyin_shared.contracts.matching import MatchMutuallyAccepted, MatchParty, MutualMatch
from tests.apps import running
from tests.scheduling.support import (
    announce_mutual_match,
    announce_organisation,
    announce_talent,
    eventually,
    fair_body,
    headers,
    of_type,
    ok,
    scheduling_events,
    state,
    talent,
    wait_known,
)


def mutual(match_id: str, talent_id: str, org_id: str, score: float) -> MatchMutuallyAccepted:
    data = MutualMatch(
        match_id=match_id,
        first=MatchParty(party_kind="talent", party_id=talent_id, demand_id="d_1"),
        second=MatchParty(party_kind="organisation", party_id=org_id, demand_id="d_2"),
        score=score,
    )
    return MatchMutuallyAccepted.create(subject=match_id, data=data)


async def test_a_mutual_match_delivered_twice_makes_one_meeting(tmp_path: Path) -> None:
    async with running([scheduling], tmp_path) as r:
        api = r.client("scheduling")
        eid = ok(await api.post("/editions", json=fair_body()), 201)["id"]
        ok(await api.post(f"/editions/{eid}/open"))
        t = await announce_talent(r, "李伟")
        o = await announce_organisation(r, "重庆某研究院")
        await wait_known(r, t, o)
        match_id = new_id("m_")
        event = mutual(match_id, t, o, 0.87)
        # the same event twice (a redelivery), then the same match announced anew
        await r.bus.publish([event])
        await r.bus.publish([event])
        await r.bus.publish([mutual(match_id, t, o, 0.87)])
        marker = await announce_mutual_match(r, t, o, 0.5)  # a later, different match
        mid = meeting_of_match(match_id)

        async def both_there() -> bool:
            meetings = ok(await api.get(f"/editions/{eid}/meetings"))
            return {m["id"] for m in meetings} == {mid, meeting_of_match(marker)}

        await eventually(both_there, what="the meetings of both matches")
        meeting = ok(await api.get(f"/meetings/{mid}", headers=headers(talent(t))))
        assert (meeting["status"], meeting["source"], meeting["match_id"], meeting["weight"]) == (
            "ACCEPTED",
            "MATCH",
            match_id,
            87,
        )
        assert (meeting["requester_id"], meeting["invitee_id"]) == (t, o)

        async def accepted_published() -> bool:
            return len(of_type(await scheduling_events(r), "meeting.accepted")) >= 2

        await eventually(accepted_published, what="MeetingAccepted events")
        accepted = of_type(await scheduling_events(r), "meeting.accepted")
        assert sorted(e["subject"] for e in accepted) == sorted([mid, meeting_of_match(marker)])


async def test_a_match_with_no_open_edition_waits_until_one_opens(tmp_path: Path) -> None:
    async with running([scheduling], tmp_path) as r:
        api = r.client("scheduling")
        draft = ok(await api.post("/editions", json=fair_body()), 201)["id"]
        t = await announce_talent(r, "李伟")
        o = await announce_organisation(r, "重庆某研究院")
        await wait_known(r, t, o)
        match_id = await announce_mutual_match(r, t, o, 0.6)
        waiting = state(r).meetings.waiting

        async def parked() -> bool:
            return [m for m, _ in await waiting.listed()] == [match_id]

        await eventually(parked, what="the match waiting")
        assert ok(await api.get(f"/editions/{draft}/meetings")) == []

        ok(await api.post(f"/editions/{draft}/open"))
        mid = meeting_of_match(match_id)

        async def assigned() -> bool:
            return (await api.get(f"/meetings/{mid}")).status_code == 200

        # the inbox assigns waiting matches by itself (every few seconds)
        await eventually(assigned, timeout=15, what="the waiting match assigned")
        meeting = ok(await api.get(f"/meetings/{mid}"))
        assert (meeting["edition_id"], meeting["status"], meeting["weight"]) == (
            draft,
            "ACCEPTED",
            60,
        )
        assert await waiting.listed() == []
        # assigning again changes nothing
        assert await state(r).inbox.assign() == 0
        assert [m["id"] for m in ok(await api.get(f"/editions/{draft}/meetings"))] == [mid]


async def test_a_match_goes_to_the_open_edition_that_is_not_over(tmp_path: Path) -> None:
    async with running([scheduling], tmp_path) as r:
        api = r.client("scheduling")
        past = fair_body(
            first_day="2020-12-12",
            last_day="2020-12-12",
            days=[{"day": "2020-12-12", "start": "09:00", "end": "12:00"}],
        )
        old = ok(await api.post("/editions", json=past), 201)["id"]
        later = ok(await api.post("/editions", json=fair_body()), 201)["id"]
        for eid in (old, later):
            ok(await api.post(f"/editions/{eid}/open"))
        t = await announce_talent(r, "李伟")
        o = await announce_organisation(r, "重庆某研究院")
        await wait_known(r, t, o)
        mid = meeting_of_match(await announce_mutual_match(r, t, o))

        async def created() -> bool:
            return (await api.get(f"/meetings/{mid}")).status_code == 200

        await eventually(created, what="meeting from the match")
        assert ok(await api.get(f"/meetings/{mid}"))["edition_id"] == later
