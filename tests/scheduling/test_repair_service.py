"""After publication the planner repairs the timetable by itself: a new meeting takes a
free place, a cancellation lets a waiting meeting backfill, a newly blocked participant's
meeting moves — and nobody else moves; each move is one ``MeetingRescheduled`` (in-process
service, embedded bus and SQLite)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from boyin_scheduling.app import definition as scheduling
from boyin_shared.contracts.mentors import ConsultationBooked, ConsultationSnapshot
from tests.apps import Running, running
from tests.scheduling.support import (
    FAIR_FIRST,
    announce_organisation,
    announce_talent,
    at,
    events_by_meeting,
    fair_body,
    headers,
    meetings_of,
    of_type,
    ok,
    organisation,
    outbox_drained,
    places,
    scheduling_events,
    settled,
    solve_and_publish,
    state,
    talent,
    wait_known,
)


@dataclass
class Fair:
    r: Running
    api: httpx.AsyncClient
    edition_id: str
    talents: list[str]
    orgs: list[str]
    meetings: list[str]


async def open_fair(
    r: Running, body: dict[str, Any], pairs: list[tuple[int, int]], n_talents: int, n_orgs: int
) -> Fair:
    """An open edition, parties, and meetings an operator arranged between
    ``talents[i]`` and ``orgs[j]`` for each ``(i, j)`` of ``pairs``."""
    api = r.client("scheduling")
    eid = ok(await api.post("/editions", json=body), 201)["id"]
    ok(await api.post(f"/editions/{eid}/open"))
    talents = [await announce_talent(r, f"人才{i}") for i in range(n_talents)]
    orgs = [await announce_organisation(r, f"机构{j}") for j in range(n_orgs)]
    await wait_known(r, *talents, *orgs)
    meetings = []
    for i, j in pairs:
        m = ok(
            await api.post(
                f"/editions/{eid}/meetings",
                json={"requester_id": talents[i], "invitee_id": orgs[j]},
            ),
            201,
        )
        meetings.append(m["id"])
    return Fair(r, api, eid, talents, orgs, meetings)


@pytest.fixture
async def r(tmp_path: Path) -> AsyncIterator[Running]:
    async with running([scheduling], tmp_path) as r:
        yield r


async def published_fair(r: Running) -> Fair:
    """Eight meetings on a roomy grid (19 slots, 4 tables), published at version 1."""
    pairs = [(0, 0), (1, 0), (2, 0), (0, 1), (3, 1), (4, 2), (5, 2), (1, 2)]
    f = await open_fair(r, fair_body(), pairs, n_talents=7, n_orgs=3)
    schedule = await solve_and_publish(f.api, f.edition_id)
    assert schedule["version"] == 1 and schedule["published"]["scheduled"] == 8
    await outbox_drained(r)
    return f


async def test_a_meeting_accepted_after_publication_is_placed_and_nobody_moves(r: Running) -> None:
    f = await published_fair(r)
    before = places(await meetings_of(f.api, f.edition_id))
    assert len(before) == 8
    events_before = await scheduling_events(r)

    # talent 6 asks organisation 0; the organisation accepts
    new = ok(
        await f.api.post(
            f"/editions/{f.edition_id}/meetings",
            json={"invitee_id": f.orgs[0]},
            headers=headers(talent(f.talents[6])),
        ),
        201,
    )
    ok(
        await f.api.post(
            f"/meetings/{new['id']}/answer",
            json={"accept": True},
            headers=headers(organisation(f.orgs[0])),
        )
    )
    schedule = await settled(f.api, f.edition_id, version=2)
    assert schedule["published"]["scheduled"] == 9
    await outbox_drained(r)

    after = places(await meetings_of(f.api, f.edition_id))
    assert {m: p for m, p in after.items() if m != new["id"]} == before
    assert new["id"] in after
    # organisation 0 is not in two meetings at once
    busy = [p[0] for m, p in after.items() if m in (*f.meetings[:3], new["id"])]
    assert len(set(busy)) == 4

    fresh = (await scheduling_events(r))[len(events_before) :]
    assert events_by_meeting(fresh, "scheduled") == {new["id"]: 1}
    assert of_type(fresh, "meeting.rescheduled") == []
    [release] = of_type(fresh, "schedule.published")
    assert (release["data"]["version"], release["data"]["cause"]) == (2, "repair")


async def test_a_cancellation_frees_its_slot_for_a_waiting_meeting_and_nobody_else_moves(
    r: Running,
) -> None:
    # one table, three slots, four on-site meetings between different people: one waits
    body = fair_body(
        n_tables=1,
        first_day=FAIR_FIRST.isoformat(),
        last_day=FAIR_FIRST.isoformat(),
        days=[{"day": FAIR_FIRST.isoformat(), "start": "09:00", "end": "10:30"}],
    )
    f = await open_fair(r, body, [(0, 0), (1, 1), (2, 2), (3, 3)], n_talents=4, n_orgs=4)
    schedule = await solve_and_publish(f.api, f.edition_id)
    assert (schedule["published"]["scheduled"], schedule["published"]["unscheduled"]) == (3, 1)
    detail = ok(await f.api.get(f"/editions/{f.edition_id}/schedule/published"))
    [waiting] = [u["meeting_id"] for u in detail["unscheduled"]]
    assert detail["unscheduled"][0]["reason_zh"] and detail["unscheduled"][0]["reason_en"]
    await outbox_drained(r)
    before = places(await meetings_of(f.api, f.edition_id))
    assert waiting not in before and len(before) == 3
    events_before = await scheduling_events(r)

    cancelled = next(m for m in f.meetings if m != waiting)
    requester = ok(await f.api.get(f"/meetings/{cancelled}"))["requester_id"]
    gone = ok(
        await f.api.post(
            f"/meetings/{cancelled}/cancel",
            json={"reason": "flight cancelled"},
            headers=headers(talent(requester)),
        )
    )
    assert gone["status"] == "CANCELLED"
    assert (gone["place"]["slot_id"], gone["place"]["table"]) == before[cancelled]  # as it was
    await settled(f.api, f.edition_id, version=2)
    await outbox_drained(r)

    after = places(await meetings_of(f.api, f.edition_id))
    assert after[waiting] == before[cancelled]  # the freed slot and table
    assert cancelled not in after
    assert {m: p for m, p in after.items() if m != waiting} == {
        m: p for m, p in before.items() if m != cancelled
    }
    fresh = (await scheduling_events(r))[len(events_before) :]
    assert events_by_meeting(fresh, "cancelled") == {cancelled: 1}
    assert events_by_meeting(fresh, "scheduled") == {waiting: 1}
    assert of_type(fresh, "meeting.rescheduled") == []


async def test_a_blocked_window_over_a_meeting_moves_that_meeting_only(r: Running) -> None:
    f = await published_fair(r)
    meetings = await meetings_of(f.api, f.edition_id)
    before = places(meetings)
    target = f.meetings[3]  # talent 0 with organisation 1
    who = meetings[target]["requester_id"]
    place = meetings[target]["place"]
    events_before = await scheduling_events(r)

    declared = ok(
        await f.api.put(
            f"/editions/{f.edition_id}/attendance",
            json={
                "mode": "ON_SITE",
                "timezone": "Asia/Shanghai",
                "blocked": [{"start": place["start"], "end": place["end"]}],
            },
            headers=headers(talent(who)),
        )
    )
    assert declared["declared"] is True
    await settled(f.api, f.edition_id, version=2)
    await outbox_drained(r)

    after_meetings = await meetings_of(f.api, f.edition_id)
    after = places(after_meetings)
    assert {m: p for m, p in after.items() if m != target} == {
        m: p for m, p in before.items() if m != target
    }
    moved = after_meetings[target]["place"]
    assert moved is not None, "a free slot exists: the meeting is moved, not dropped"
    assert moved["slot_id"] != place["slot_id"]
    assert moved["schedule_version"] == 2
    # the talent's other meeting (with organisation 0) is at another time
    other = after_meetings[f.meetings[0]]["place"]
    assert other["slot_id"] != moved["slot_id"]

    fresh = (await scheduling_events(r))[len(events_before) :]
    assert events_by_meeting(fresh, "rescheduled") == {target: 1}
    assert of_type(fresh, "meeting.scheduled") == []
    [event] = of_type(fresh, "meeting.rescheduled")
    assert event["data"]["previous_place"]["slot_id"] == place["slot_id"]
    assert event["data"]["meeting"]["place"]["slot_id"] == moved["slot_id"]


async def test_a_consultation_booked_over_a_meeting_moves_that_meeting_only(r: Running) -> None:
    """Scheduling owns the agenda: a talent's consultation with a mentor (booked at the
    mentors service, told by its event) takes their time as a blocked window does."""
    f = await published_fair(r)
    meetings = await meetings_of(f.api, f.edition_id)
    before = places(meetings)
    target = f.meetings[3]  # talent 0 with organisation 1
    who, place = meetings[target]["requester_id"], meetings[target]["place"]
    booked = ConsultationBooked.create(
        subject="con_men_x_s",
        sequence=1,
        data=ConsultationSnapshot(
            consultation_id="con_men_x_s",
            mentor_id="men_x",
            party_id=who,
            edition_id=f.edition_id,
            slot_id=place["slot_id"],
            start=datetime.fromisoformat(place["start"]),
            end=datetime.fromisoformat(place["end"]),
            mode="ONLINE",
            status="BOOKED",
        ),
    )
    await r.bus.publish([booked, booked])  # a repeat changes nothing
    await settled(f.api, f.edition_id, version=2)
    await outbox_drained(r)

    after_meetings = await meetings_of(f.api, f.edition_id)
    after = places(after_meetings)
    assert {m: p for m, p in after.items() if m != target} == {
        m: p for m, p in before.items() if m != target
    }
    moved = after_meetings[target]["place"]
    assert moved is not None and moved["slot_id"] != place["slot_id"]
    fair = await state(r).planner.fair(f.edition_id)
    assert list(fair.consultations) == [who]


async def test_a_blocked_window_leaving_no_slot_unschedules_that_meeting_only(r: Running) -> None:
    f = await published_fair(r)
    meetings = await meetings_of(f.api, f.edition_id)
    before = places(meetings)
    target = f.meetings[4]  # talent 3's only meeting
    who = meetings[target]["requester_id"]
    events_before = await scheduling_events(r)
    ok(
        await f.api.put(
            f"/editions/{f.edition_id}/attendance",
            json={
                "mode": "ON_SITE",
                "timezone": "Asia/Shanghai",
                "blocked": [{"start": at(FAIR_FIRST, "00:00"), "end": "2030-12-14T00:00:00+08:00"}],
            },
            headers=headers(talent(who)),
        )
    )
    schedule = await settled(f.api, f.edition_id, version=2)
    assert (schedule["published"]["scheduled"], schedule["published"]["unscheduled"]) == (7, 1)
    await outbox_drained(r)
    after = places(await meetings_of(f.api, f.edition_id))
    assert target not in after
    assert after == {m: p for m, p in before.items() if m != target}
    fresh = (await scheduling_events(r))[len(events_before) :]
    assert events_by_meeting(fresh, "rescheduled") == {target: 1}
    [event] = of_type(fresh, "meeting.rescheduled")
    assert event["data"]["meeting"]["place"] is None
    assert event["data"]["previous_place"]["slot_id"] == before[target][0]


async def test_a_repair_with_nothing_changed_publishes_nothing(r: Running) -> None:
    f = await published_fair(r)
    before = places(await meetings_of(f.api, f.edition_id))
    events_before = await scheduling_events(r)
    schedule = ok(await f.api.post(f"/editions/{f.edition_id}/schedule/repair", json={}))
    assert (schedule["version"], schedule["pending"]) == (1, 0)
    await outbox_drained(r)
    assert places(await meetings_of(f.api, f.edition_id)) == before
    assert (await scheduling_events(r))[len(events_before) :] == []
