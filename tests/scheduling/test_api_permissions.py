"""Who may do what through the scheduling API: staff set up editions and schedules,
participants see open editions and their own meetings only, only the invitee answers
(in-process service, embedded bus and SQLite)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from boyin_shared.identity import Actor, Role
from tests.scheduling.support import (
    FAIR_FIRST,
    at,
    fair_body,
    headers,
    ok,
    open_fair,
    organisation,
    refusal,
    state,
    talent,
)
from tests.scheduling.support import OpenFair as Fair

VISITOR = Actor(account_id="anonymous", role=Role.PUBLIC)


@pytest.fixture
async def fair(tmp_path: Path) -> AsyncIterator[Fair]:
    async with open_fair(tmp_path) as f:
        yield f


def as_(actor: Actor) -> dict[str, str]:
    return headers(actor)


async def test_only_staff_set_up_editions(fair: Fair) -> None:
    me = as_(talent(fair.t1))
    before = ok(await fair.api.get("/editions"))
    refusal(await fair.api.post("/editions", json=fair_body(), headers=me), 403, "FORBIDDEN")
    refusal(
        await fair.api.post("/editions", json=fair_body(), headers=as_(organisation(fair.org))),
        403,
        "FORBIDDEN",
    )
    assert ok(await fair.api.get("/editions")) == before
    eid = fair.edition_id
    refusal(
        await fair.api.put(f"/editions/{eid}", json=fair_body(slot_minutes=15), headers=me),
        403,
        "FORBIDDEN",
    )
    refusal(await fair.api.post(f"/editions/{eid}/close", headers=me), 403, "FORBIDDEN")
    refusal(await fair.api.post(f"/editions/{eid}/agenda/publish", headers=me), 403, "FORBIDDEN")
    session = {
        "kind": "OTHER",
        "title": {"en": "x"},
        "start": at(FAIR_FIRST, "09:00"),
        "end": at(FAIR_FIRST, "10:00"),
    }
    refusal(
        await fair.api.post(f"/editions/{eid}/sessions", json=session, headers=me), 403, "FORBIDDEN"
    )
    edition = ok(await fair.api.get(f"/editions/{eid}", headers=me))
    assert (edition["status"], edition["slot_minutes"]) == ("OPEN", 30)
    assert ok(await fair.api.get(f"/editions/{eid}/sessions")) == []


async def test_only_staff_solve_review_publish_and_repair(fair: Fair) -> None:
    me = as_(organisation(fair.org))
    eid = fair.edition_id
    refusal(
        await fair.api.post(f"/editions/{eid}/schedule/solve", json={}, headers=me),
        403,
        "FORBIDDEN",
    )
    refusal(await fair.api.get(f"/editions/{eid}/schedule", headers=me), 403, "FORBIDDEN")
    refusal(await fair.api.get(f"/editions/{eid}/schedule/draft", headers=me), 403, "FORBIDDEN")
    refusal(await fair.api.post(f"/editions/{eid}/schedule/publish", headers=me), 403, "FORBIDDEN")
    refusal(
        await fair.api.post(f"/editions/{eid}/schedule/repair", json={}, headers=me),
        403,
        "FORBIDDEN",
    )
    refusal(await fair.api.get(f"/editions/{eid}/meetings", headers=me), 403, "FORBIDDEN")
    schedule = ok(await fair.api.get(f"/editions/{eid}/schedule"))
    assert (schedule["job"], schedule["version"], schedule["draft"]) == ("IDLE", 0, None)


async def test_draft_editions_and_sessions_are_hidden_from_participants(fair: Fair) -> None:
    draft = ok(
        await fair.api.post("/editions", json=fair_body(name={"zh": "筹备中", "en": "Next"})), 201
    )
    session = ok(
        await fair.api.post(
            f"/editions/{fair.edition_id}/sessions",
            json={
                "kind": "OPENING",
                "title": {"zh": "开幕式", "en": "Opening"},
                "start": at(FAIR_FIRST, "09:00"),
                "end": at(FAIR_FIRST, "09:30"),
            },
        ),
        201,
    )
    for who in (talent(fair.t1), organisation(fair.org), VISITOR):
        me = as_(who)
        listed = [e["id"] for e in ok(await fair.api.get("/editions", headers=me))]
        assert listed == [fair.edition_id]
        refusal(await fair.api.get(f"/editions/{draft['id']}", headers=me), 404, "NOT_FOUND")
        refusal(await fair.api.get(f"/editions/{draft['id']}/slots", headers=me), 404, "NOT_FOUND")
        refusal(
            await fair.api.get(f"/editions/{draft['id']}/sessions", headers=me), 404, "NOT_FOUND"
        )
        refusal(await fair.api.get(f"/sessions/{session['id']}", headers=me), 404, "NOT_FOUND")
        assert ok(await fair.api.get(f"/editions/{fair.edition_id}/sessions", headers=me)) == []
    refusal(
        await fair.api.get(f"/editions/{draft['id']}/attendance", headers=as_(talent(fair.t1))),
        404,
        "NOT_FOUND",
    )
    # staff see both; opening and publishing make them visible
    assert len(ok(await fair.api.get("/editions"))) == 2
    ok(await fair.api.post(f"/editions/{draft['id']}/open"))
    ok(await fair.api.post(f"/editions/{fair.edition_id}/agenda/publish"))
    me = as_(talent(fair.t1))
    assert len(ok(await fair.api.get("/editions", headers=me))) == 2
    assert ok(await fair.api.get(f"/sessions/{session['id']}", headers=me))["status"] == "PUBLISHED"


async def test_a_participant_sees_only_their_own_meetings(fair: Fair) -> None:
    url = f"/editions/{fair.edition_id}/meetings"
    mid = ok(
        await fair.api.post(url, json={"invitee_id": fair.org}, headers=as_(talent(fair.t1))), 201
    )["id"]
    stranger = as_(talent(fair.t2))
    refusal(await fair.api.get(f"/meetings/{mid}", headers=stranger), 404, "NOT_FOUND")
    assert ok(await fair.api.get("/meetings", headers=stranger)) == []
    refusal(
        await fair.api.get("/meetings", params={"party_id": fair.t1}, headers=stranger),
        403,
        "FORBIDDEN",
    )
    refusal(
        await fair.api.get(
            f"/editions/{fair.edition_id}/agenda", params={"party_id": fair.t1}, headers=stranger
        ),
        403,
        "FORBIDDEN",
    )
    refusal(
        await fair.api.get(
            f"/editions/{fair.edition_id}/attendance",
            params={"party_id": fair.t1},
            headers=stranger,
        ),
        403,
        "FORBIDDEN",
    )
    refusal(await fair.api.get(f"/meetings/{mid}", headers=as_(VISITOR)), 404, "NOT_FOUND")
    # both sides and staff see it
    for who in (as_(talent(fair.t1)), as_(organisation(fair.org))):
        assert ok(await fair.api.get(f"/meetings/{mid}", headers=who))["id"] == mid
        assert [m["id"] for m in ok(await fair.api.get("/meetings", headers=who))] == [mid]
    assert [m["id"] for m in ok(await fair.api.get("/meetings", params={"party_id": fair.t1}))] == [
        mid
    ]


async def test_only_the_invitee_answers_a_request(fair: Fair) -> None:
    url = f"/editions/{fair.edition_id}/meetings"
    mid = ok(
        await fair.api.post(url, json={"invitee_id": fair.org}, headers=as_(talent(fair.t1))), 201
    )["id"]
    # someone else's request does not even exist for a stranger
    refusal(
        await fair.api.post(
            f"/meetings/{mid}/answer", json={"accept": True}, headers=as_(talent(fair.t2))
        ),
        404,
        "NOT_FOUND",
    )
    # the requester cannot accept their own request
    refusal(
        await fair.api.post(
            f"/meetings/{mid}/answer", json={"accept": True}, headers=as_(talent(fair.t1))
        ),
        403,
        "FORBIDDEN",
    )
    refusal(
        await fair.api.post(f"/meetings/{mid}/cancel", json={}, headers=as_(talent(fair.t2))),
        404,
        "NOT_FOUND",
    )
    assert ok(await fair.api.get(f"/meetings/{mid}"))["status"] == "REQUESTED"
    answered = ok(
        await fair.api.post(
            f"/meetings/{mid}/answer", json={"accept": False}, headers=as_(organisation(fair.org))
        )
    )
    assert answered["status"] == "DECLINED"


async def test_participants_do_not_set_priorities_or_act_for_others(fair: Fair) -> None:
    url = f"/editions/{fair.edition_id}/meetings"
    me = as_(talent(fair.t1))
    for body in (
        {"invitee_id": fair.org, "weight": 90},
        {"invitee_id": fair.org, "must_meet": True},
        {"invitee_id": fair.org, "requester_id": fair.t2},
    ):
        refusal(await fair.api.post(url, json=body, headers=me), 403, "FORBIDDEN")
    refusal(
        await fair.api.post(url, json={"invitee_id": fair.org}, headers=as_(VISITOR)),
        403,
        "FORBIDDEN",
    )
    assert ok(await fair.api.get(url)) == []
    # staff arrange one between two others: accepted at once, with its priority
    arranged = ok(
        await fair.api.post(
            url,
            json={"invitee_id": fair.org, "requester_id": fair.t2, "weight": 90, "must_meet": True},
        ),
        201,
    )
    assert (arranged["status"], arranged["source"], arranged["weight"], arranged["must_meet"]) == (
        "ACCEPTED",
        "OPERATOR",
        90,
        True,
    )


async def test_participants_sign_up_only_themselves_and_staff_check_in(fair: Fair) -> None:
    session = ok(
        await fair.api.post(
            f"/editions/{fair.edition_id}/sessions",
            json={
                "kind": "RECRUITMENT",
                "title": {"zh": "招聘会", "en": "Recruitment"},
                "start": at(FAIR_FIRST, "14:00"),
                "end": at(FAIR_FIRST, "15:00"),
                "capacity": 10,
            },
        ),
        201,
    )
    ok(await fair.api.post(f"/editions/{fair.edition_id}/agenda/publish"))
    me = as_(talent(fair.t1))
    refusal(
        await fair.api.post(
            f"/sessions/{session['id']}/sign-up", json={"party_id": fair.t2}, headers=me
        ),
        403,
        "FORBIDDEN",
    )
    refusal(await fair.api.get(f"/sessions/{session['id']}/sign-ups", headers=me), 403, "FORBIDDEN")
    refusal(
        await fair.api.post(f"/sessions/{session['id']}/sign-up", json={}, headers=as_(VISITOR)),
        403,
        "FORBIDDEN",
    )
    assert ok(await fair.api.get(f"/sessions/{session['id']}/sign-ups")) == []
    # staff sign someone up
    signed = ok(
        await fair.api.post(f"/sessions/{session['id']}/sign-up", json={"party_id": fair.t2})
    )
    assert signed["confirmed"] == 1

    attendance = ok(await fair.api.get(f"/editions/{fair.edition_id}/attendance", headers=me))
    token = attendance["checkin_token"]
    refusal(await fair.api.post("/check-in", json={"token": token}, headers=me), 403, "FORBIDDEN")
    assert (
        ok(await fair.api.get(f"/editions/{fair.edition_id}/attendance", headers=me))[
            "checked_in_at"
        ]
        is None
    )
    # days before the fair the venue takes no check-in
    before = refusal(
        await fair.api.post("/check-in", json={"token": token}), 409, "CHECK_IN_TOO_EARLY"
    )
    assert FAIR_FIRST.isoformat() in before["message"]["en"]
    # on the first day's morning (fair time) it does
    morning = datetime.combine(FAIR_FIRST, time(7, 30), ZoneInfo("Asia/Shanghai"))
    state(fair.r).attendance.clock = lambda: morning
    assert ok(await fair.api.post("/check-in", json={"token": token}))["checked_in_at"] is not None


async def test_the_calendar_feed_needs_its_secret_token(fair: Fair) -> None:
    me = as_(talent(fair.t1))
    attendance = ok(await fair.api.get(f"/editions/{fair.edition_id}/attendance", headers=me))
    feed = await fair.api.get(f"/calendar/{attendance['calendar_token']}.ics", headers=as_(VISITOR))
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    refusal(await fair.api.get("/calendar/not-a-token.ics", headers=as_(VISITOR)), 404, "NOT_FOUND")
    rotated = ok(
        await fair.api.post(f"/editions/{fair.edition_id}/attendance/calendar-token", headers=me)
    )
    assert rotated["calendar_token"] != attendance["calendar_token"]
    old = await fair.api.get(f"/calendar/{attendance['calendar_token']}.ics", headers=as_(VISITOR))
    refusal(old, 404, "NOT_FOUND")
