"""Every bad input of the scheduling API is refused with its HTTP status, the field, a
code and a message in Chinese and English, and leaves nothing behind (in-process service,
embedded bus and SQLite)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.scheduling.support import (
    FAIR_FIRST,
    FAIR_LAST,
    at,
    fair_body,
    field_refusal,
    headers,
    of_type,
    ok,
    open_fair,
    organisation,
    refusal,
    scheduling_events,
    talent,
)
from tests.scheduling.support import OpenFair as Fair


@pytest.fixture
async def fair(tmp_path: Path) -> AsyncIterator[Fair]:
    async with open_fair(tmp_path) as f:
        yield f


def session_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "ROADSHOW",
        "title": {"zh": "新材料路演", "en": "New materials roadshow"},
        "start": at(FAIR_FIRST, "09:00"),
        "end": at(FAIR_FIRST, "10:00"),
        "room": "hall-a",
        "capacity": 1,
        "waitlist_limit": 0,
    }
    body.update(overrides)
    return body


async def published_session(f: Fair, **overrides: Any) -> dict[str, Any]:
    created = ok(
        await f.api.post(f"/editions/{f.edition_id}/sessions", json=session_body(**overrides)), 201
    )
    ok(await f.api.post(f"/editions/{f.edition_id}/agenda/publish"))
    return dict(ok(await f.api.get(f"/sessions/{created['id']}")))


# -- editions ----------------------------------------------------------------------------

DAY1 = {"day": FAIR_FIRST.isoformat(), "start": "09:00", "end": "17:00"}
DAY2 = {"day": FAIR_LAST.isoformat(), "start": "09:00", "end": "12:00"}


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"days": [DAY1, DAY2, {**DAY1, "start": "13:00"}]}, "days.2.day", "OVERLAPPING_SLOTS"),
        ({"days": [DAY1, {**DAY2, "day": "2030-12-15"}]}, "days.1.day", "OUTSIDE_EDITION"),
        (
            {"days": [{**DAY1, "breaks": [{"start": "16:30", "end": "17:30"}]}, DAY2]},
            "days.0.breaks.0",
            "OUTSIDE_DAY",
        ),
        ({"days": [DAY1, {**DAY2, "end": "08:00"}]}, "days.1.end", "END_BEFORE_START"),
        ({"slot_minutes": 10}, "slot_minutes", "OUT_OF_RANGE"),
        ({"slot_minutes": 45}, "slot_minutes", "OUT_OF_RANGE"),
        ({"tables": [{"number": 1, "room": "hall-z"}]}, "tables.0.room", "UNKNOWN_ROOM"),
        ({"tables": [{"number": 4}, {"number": 4}]}, "tables.1.number", "DUPLICATE"),
        ({"timezone": "Mars/Olympus"}, "timezone", "UNKNOWN_TIME_ZONE"),
        ({"last_day": "2030-12-11", "days": [DAY1]}, "last_day", "END_BEFORE_START"),
    ],
)
async def test_a_bad_edition_is_refused_and_not_created(
    fair: Fair, overrides: dict[str, Any], field: str, code: str
) -> None:
    before = ok(await fair.api.get("/editions"))
    field_refusal(await fair.api.post("/editions", json=fair_body(**overrides)), field, code)
    assert ok(await fair.api.get("/editions")) == before


async def test_a_bad_edit_leaves_the_edition_as_it_was(fair: Fair) -> None:
    before = ok(await fair.api.get(f"/editions/{fair.edition_id}"))
    response = await fair.api.put(f"/editions/{fair.edition_id}", json=fair_body(slot_minutes=40))
    field_refusal(response, "slot_minutes", "OUT_OF_RANGE")
    assert ok(await fair.api.get(f"/editions/{fair.edition_id}")) == before


async def test_a_malformed_body_names_the_field_in_both_languages(fair: Fair) -> None:
    body = fair_body()
    body["days"][0]["start"] = "nine o'clock"
    error = refusal(await fair.api.post("/editions", json=body), 422, "VALIDATION_FAILED")
    [f] = error["fields"]
    assert f["field"] == "days.0.start"
    assert f["message"]["zh"] and f["message"]["en"]


# -- sessions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        (
            {"start": "2030-12-14T09:00:00+08:00", "end": "2030-12-14T10:00:00+08:00"},
            "start",
            "OUTSIDE_EDITION",
        ),
        ({"room": "hall-z"}, "room", "UNKNOWN_ROOM"),
        ({"end": at(FAIR_FIRST, "08:00")}, "end", "END_BEFORE_START"),
        ({"capacity": 0}, "capacity", "NOT_POSITIVE"),
        (
            {"presenters": [{"party_id": "tal_nobody"}]},
            "presenters.0.party_id",
            "UNKNOWN_PARTICIPANT",
        ),
    ],
)
async def test_a_bad_session_is_refused_and_not_created(
    fair: Fair, overrides: dict[str, Any], field: str, code: str
) -> None:
    response = await fair.api.post(
        f"/editions/{fair.edition_id}/sessions", json=session_body(**overrides)
    )
    field_refusal(response, field, code)
    assert ok(await fair.api.get(f"/editions/{fair.edition_id}/sessions")) == []


async def test_a_naive_session_time_is_refused(fair: Fair) -> None:
    response = await fair.api.post(
        f"/editions/{fair.edition_id}/sessions", json=session_body(start="2030-12-12T09:00:00")
    )
    error = refusal(response, 422, "VALIDATION_FAILED")
    assert [f["field"] for f in error["fields"]] == ["start"]
    assert ok(await fair.api.get(f"/editions/{fair.edition_id}/sessions")) == []


async def test_a_sign_up_beyond_capacity_and_waiting_list_leaves_the_session_unchanged(
    fair: Fair,
) -> None:
    s = await published_session(fair, capacity=1, waitlist_limit=1)
    first = ok(
        await fair.api.post(
            f"/sessions/{s['id']}/sign-up", json={}, headers=headers(talent(fair.t1))
        )
    )
    assert first["my_state"] == "CONFIRMED"
    second = ok(
        await fair.api.post(
            f"/sessions/{s['id']}/sign-up", json={}, headers=headers(talent(fair.t2))
        )
    )
    assert second["my_state"] == "WAITLISTED"
    before = ok(await fair.api.get(f"/sessions/{s['id']}/sign-ups"))
    events_before = of_type(await scheduling_events(fair.r), "session.sign_up_changed")

    response = await fair.api.post(
        f"/sessions/{s['id']}/sign-up", json={}, headers=headers(organisation(fair.org))
    )
    error = refusal(response, 409, "SESSION_FULL")
    assert "1" in error["message"]["en"]
    assert ok(await fair.api.get(f"/sessions/{s['id']}/sign-ups")) == before
    after = ok(await fair.api.get(f"/sessions/{s['id']}"))
    assert (after["confirmed"], after["waiting"]) == (1, 1)
    assert of_type(await scheduling_events(fair.r), "session.sign_up_changed") == events_before


async def test_overlapping_sign_ups_are_refused(fair: Fair) -> None:
    morning = ok(
        await fair.api.post(f"/editions/{fair.edition_id}/sessions", json=session_body(capacity=5)),
        201,
    )
    overlapping = ok(
        await fair.api.post(
            f"/editions/{fair.edition_id}/sessions",
            json=session_body(
                title={"zh": "招聘会", "en": "Recruitment"},
                kind="RECRUITMENT",
                start=at(FAIR_FIRST, "09:30"),
                end=at(FAIR_FIRST, "11:00"),
                capacity=5,
            ),
        ),
        201,
    )
    later = ok(
        await fair.api.post(
            f"/editions/{fair.edition_id}/sessions",
            json=session_body(
                start=at(FAIR_FIRST, "10:00"), end=at(FAIR_FIRST, "11:00"), capacity=5
            ),
        ),
        201,
    )
    ok(await fair.api.post(f"/editions/{fair.edition_id}/agenda/publish"))
    me = headers(talent(fair.t1))
    ok(await fair.api.post(f"/sessions/{morning['id']}/sign-up", json={}, headers=me))

    error = refusal(
        await fair.api.post(f"/sessions/{overlapping['id']}/sign-up", json={}, headers=me),
        409,
        "SESSION_CLASH",
    )
    assert (
        "新材料路演" in error["message"]["zh"]
        and "New materials roadshow" in error["message"]["en"]
    )
    assert ok(await fair.api.get(f"/sessions/{overlapping['id']}"))["confirmed"] == 0
    # back to back is not a clash
    assert (
        ok(await fair.api.post(f"/sessions/{later['id']}/sign-up", json={}, headers=me))["my_state"]
        == "CONFIRMED"
    )


async def test_a_presenter_cannot_sign_up_for_an_overlapping_session(fair: Fair) -> None:
    await published_session(fair, presenters=[{"party_id": fair.t1}])
    other = ok(
        await fair.api.post(
            f"/editions/{fair.edition_id}/sessions",
            json=session_body(
                start=at(FAIR_FIRST, "09:30"), end=at(FAIR_FIRST, "10:30"), capacity=3
            ),
        ),
        201,
    )
    ok(await fair.api.post(f"/editions/{fair.edition_id}/agenda/publish"))
    response = await fair.api.post(
        f"/sessions/{other['id']}/sign-up", json={}, headers=headers(talent(fair.t1))
    )
    refusal(response, 409, "SESSION_CLASH")


async def test_capacity_below_the_confirmed_is_refused_and_kept(fair: Fair) -> None:
    s = await published_session(fair, capacity=2)
    for who in (fair.t1, fair.t2):
        ok(
            await fair.api.post(
                f"/sessions/{s['id']}/sign-up", json={}, headers=headers(talent(who))
            )
        )
    field_refusal(
        await fair.api.put(f"/sessions/{s['id']}", json=session_body(capacity=1)),
        "capacity",
        "BELOW_SIGN_UPS",
    )
    kept = ok(await fair.api.get(f"/sessions/{s['id']}"))
    assert (kept["capacity"], kept["confirmed"], kept["version"]) == (2, 2, 1)


# -- attendance --------------------------------------------------------------------------


def availability(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "mode": "ON_SITE",
        "timezone": "Asia/Shanghai",
        "arrival": at(FAIR_FIRST, "08:00"),
        "departure": at(FAIR_LAST, "12:00"),
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        (
            {"blocked": [{"start": at(FAIR_FIRST, "15:00"), "end": at(FAIR_FIRST, "14:00")}]},
            "blocked.0.end",
            "END_BEFORE_START",
        ),
        (
            {"arrival": at(FAIR_LAST, "10:00"), "departure": at(FAIR_FIRST, "10:00")},
            "departure",
            "END_BEFORE_START",
        ),
        ({"arrival": "2030-12-10T09:00:00+08:00"}, "arrival", "OUTSIDE_EDITION"),
        ({"representatives": 2}, "representatives", "TALENT_ALONE"),
        ({"min_meetings": 40}, "min_meetings", "OUT_OF_RANGE"),
    ],
)
async def test_a_bad_availability_is_refused_and_not_stored(
    fair: Fair, overrides: dict[str, Any], field: str, code: str
) -> None:
    me = headers(talent(fair.t1))
    url = f"/editions/{fair.edition_id}/attendance"
    field_refusal(await fair.api.put(url, json=availability(**overrides), headers=me), field, code)
    current = ok(await fair.api.get(url, headers=me))
    assert current["declared"] is False
    assert current["availability"]["blocked"] == [] and current["availability"]["arrival"] is None


async def test_an_organisation_may_send_several_representatives(fair: Fair) -> None:
    url = f"/editions/{fair.edition_id}/attendance"
    declared = ok(
        await fair.api.put(
            url, json=availability(representatives=3), headers=headers(organisation(fair.org))
        )
    )
    assert declared["declared"] is True and declared["availability"]["representatives"] == 3


# -- meetings ----------------------------------------------------------------------------


async def no_meetings(f: Fair) -> None:
    assert ok(await f.api.get(f"/editions/{f.edition_id}/meetings")) == []
    events = await scheduling_events(f.r)
    assert [e for e in events if e["type"].startswith("boyin.scheduling.meeting.")] == []


async def test_a_meeting_with_oneself_is_refused(fair: Fair) -> None:
    response = await fair.api.post(
        f"/editions/{fair.edition_id}/meetings",
        json={"invitee_id": fair.t1},
        headers=headers(talent(fair.t1)),
    )
    field_refusal(response, "invitee_id", "SAME_PARTICIPANT")
    response = await fair.api.post(
        f"/editions/{fair.edition_id}/meetings",
        json={"invitee_id": fair.org, "requester_id": fair.org},
    )
    field_refusal(response, "invitee_id", "SAME_PARTICIPANT")
    await no_meetings(fair)


async def test_a_meeting_with_someone_unknown_is_refused(fair: Fair) -> None:
    response = await fair.api.post(
        f"/editions/{fair.edition_id}/meetings",
        json={"invitee_id": "org_nobody"},
        headers=headers(talent(fair.t1)),
    )
    field_refusal(response, "invitee_id", "UNKNOWN_PARTICIPANT")
    await no_meetings(fair)


async def test_an_on_site_meeting_with_a_declared_online_participant_is_refused(fair: Fair) -> None:
    ok(
        await fair.api.put(
            f"/editions/{fair.edition_id}/attendance",
            json=availability(
                mode="ONLINE", timezone="Europe/Berlin", arrival=None, departure=None
            ),
            headers=headers(talent(fair.t2)),
        )
    )
    response = await fair.api.post(
        f"/editions/{fair.edition_id}/meetings",
        json={"invitee_id": fair.t2, "mode": "ON_SITE"},
        headers=headers(organisation(fair.org)),
    )
    error = field_refusal(response, "invitee_id", "ONLINE_ONLY")
    assert "王芳" in error["message"]["zh"]
    await no_meetings(fair)


async def test_an_on_site_meeting_with_a_talent_online_by_default_is_refused(fair: Fair) -> None:
    """Anna lives in Berlin and declared nothing: she takes part online (the default), so an
    on-site meeting with her is bad input just as if she had declared it."""
    response = await fair.api.post(
        f"/editions/{fair.edition_id}/meetings",
        json={"invitee_id": fair.abroad, "mode": "ON_SITE"},
        headers=headers(organisation(fair.org)),
    )
    field_refusal(response, "invitee_id", "ONLINE_ONLY")
    await no_meetings(fair)


async def test_a_second_open_request_between_the_same_two_is_refused(fair: Fair) -> None:
    me = headers(talent(fair.t1))
    url = f"/editions/{fair.edition_id}/meetings"
    ok(await fair.api.post(url, json={"invitee_id": fair.org}, headers=me), 201)
    refusal(
        await fair.api.post(url, json={"invitee_id": fair.org}, headers=me),
        409,
        "ALREADY_REQUESTED",
    )
    # nor the other way round
    refusal(
        await fair.api.post(
            url, json={"invitee_id": fair.t1}, headers=headers(organisation(fair.org))
        ),
        409,
        "ALREADY_REQUESTED",
    )
    assert len(ok(await fair.api.get(url))) == 1


async def test_a_bad_video_link_and_outcome_are_refused(fair: Fair) -> None:
    me = headers(talent(fair.t1))
    mid = ok(
        await fair.api.post(
            f"/editions/{fair.edition_id}/meetings", json={"invitee_id": fair.org}, headers=me
        ),
        201,
    )["id"]
    error = refusal(
        await fair.api.put(
            f"/meetings/{mid}/video-link", json={"video_link": "http://x"}, headers=me
        ),
        422,
        "VALIDATION_FAILED",
    )
    assert [f["field"] for f in error["fields"]] == ["video_link"]
    refusal(
        await fair.api.post(f"/meetings/{mid}/outcome", json={"held": True}, headers=me),
        409,
        "NOT_SCHEDULED",
    )
    assert ok(await fair.api.get(f"/meetings/{mid}", headers=me))["video_link"] is None


async def test_requests_need_an_open_edition(fair: Fair) -> None:
    draft = ok(await fair.api.post("/editions", json=fair_body()), 201)["id"]
    response = await fair.api.post(
        f"/editions/{draft}/meetings", json={"invitee_id": fair.org, "requester_id": fair.t1}
    )
    refusal(response, 409, "EDITION_NOT_OPEN")
    ok(await fair.api.post(f"/editions/{fair.edition_id}/close"))
    response = await fair.api.post(
        f"/editions/{fair.edition_id}/meetings",
        json={"invitee_id": fair.org},
        headers=headers(talent(fair.t1)),
    )
    refusal(response, 409, "EDITION_NOT_OPEN")
    await no_meetings(fair)
