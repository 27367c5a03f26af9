"""GraphQL documents and steps of the scheduling tests (all through /graphql)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from tests.gateway.support import PROBLEM, assert_bilingual, staff_token
from tests.gateway.test_registry_flow import register_organisation, register_talent
from tests.graphql_ws import Subscription, subscribe
from tests.platform_harness import graphql, http_client
from tests.scheduling.support import FIRST_DAY, LAST_DAY, at, edition_body

#: the test fair is always three weeks ahead (as in tests/scheduling), so it has not begun

EDITION_FIELDS = "id status name { zh en } timezone firstDay lastDay slotCount agendaVersion"
EDITION_RESULT = f"__typename ... on FairEdition {{ {EDITION_FIELDS} }} {PROBLEM}"
SESSION_FIELDS = "id editionId kind status title { zh en } start end room confirmed myState"
SESSION_RESULT = f"__typename ... on AgendaSession {{ {SESSION_FIELDS} }} {PROBLEM}"
ATTENDANCE_FIELDS = """
editionId partyId kind declared checkInToken calendarPath calendarUrl agendaIcsPath
checkInQrPath checkedInAt
availability { mode timezone arrival departure blocked { start end } representatives }
"""
ATTENDANCE_RESULT = f"__typename ... on Attendance {{ {ATTENDANCE_FIELDS} }} {PROBLEM}"
MEETING_FIELDS = """
id editionId requesterId inviteeId status source mode counterpartId
place { slotId start end table scheduleVersion }
"""
MEETING_RESULT = f"__typename ... on Meeting {{ {MEETING_FIELDS} }} {PROBLEM}"
SCHEDULE_FIELDS = """
editionId version job jobError pending
progress { phase incumbent bound gap }
draft { scheduled unscheduled objective bound ratio gap optimal violations }
published { scheduled unscheduled placements { meetingId slotId table } }
"""
SCHEDULE_RESULT = f"__typename ... on Schedule {{ {SCHEDULE_FIELDS} }} {PROBLEM}"

CREATE_EDITION = f"""
mutation($input: FairEditionInput!) {{ createEdition(input: $input) {{ {EDITION_RESULT} }} }}"""
UPDATE_EDITION = f"""
mutation($id: ID!, $input: FairEditionInput!) {{
  updateEdition(id: $id, input: $input) {{ {EDITION_RESULT} }}
}}"""
OPEN_EDITION = f"mutation($id: ID!) {{ openEdition(id: $id) {{ {EDITION_RESULT} }} }}"
CLOSE_EDITION = f"mutation($id: ID!) {{ closeEdition(id: $id) {{ {EDITION_RESULT} }} }}"
PUBLISH_AGENDA = f"mutation($id: ID!) {{ publishAgenda(id: $id) {{ {EDITION_RESULT} }} }}"
ADD_SESSION = f"""
mutation($editionId: ID!, $input: AgendaSessionInput!) {{
  addSession(editionId: $editionId, input: $input) {{ {SESSION_RESULT} }}
}}"""
UPDATE_SESSION = f"""
mutation($id: ID!, $input: AgendaSessionInput!) {{
  updateSession(id: $id, input: $input) {{ {SESSION_RESULT} }}
}}"""
CANCEL_SESSION = f"mutation($id: ID!) {{ cancelSession(id: $id) {{ {SESSION_RESULT} }} }}"
SIGN_UP = f"""
mutation($sessionId: ID!, $partyId: ID) {{
  signUpForSession(sessionId: $sessionId, partyId: $partyId) {{ {SESSION_RESULT} }}
}}"""
WITHDRAW = f"""
mutation($sessionId: ID!, $partyId: ID) {{
  withdrawSignUp(sessionId: $sessionId, partyId: $partyId) {{ {SESSION_RESULT} }}
}}"""
DECLARE = f"""
mutation($editionId: ID!, $input: AvailabilityInput!, $partyId: ID) {{
  declareAvailability(editionId: $editionId, input: $input, partyId: $partyId) {{
    {ATTENDANCE_RESULT}
  }}
}}"""
ROTATE = f"""
mutation($editionId: ID!) {{ rotateCalendarToken(editionId: $editionId) {{ {ATTENDANCE_RESULT} }} }}"""
CHECK_IN = f"mutation($code: String!) {{ checkIn(token: $code) {{ {ATTENDANCE_RESULT} }} }}"
REQUEST_MEETING = f"""
mutation($editionId: ID!, $input: MeetingRequestInput!) {{
  requestMeeting(editionId: $editionId, input: $input) {{ {MEETING_RESULT} }}
}}"""
ANSWER_MEETING = f"""
mutation($id: ID!, $accept: Boolean!, $reason: String) {{
  answerMeeting(id: $id, accept: $accept, reason: $reason) {{ {MEETING_RESULT} }}
}}"""
CANCEL_MEETING = f"""
mutation($id: ID!, $reason: String) {{ cancelMeeting(id: $id, reason: $reason) {{ {MEETING_RESULT} }} }}"""
SET_VIDEO_LINK = f"""
mutation($id: ID!, $videoLink: String) {{
  setVideoLink(id: $id, videoLink: $videoLink) {{ {MEETING_RESULT} }}
}}"""
RECORD_OUTCOME = f"""
mutation($id: ID!, $held: Boolean!, $absent: [String!]) {{
  recordMeetingOutcome(id: $id, held: $held, absent: $absent) {{ {MEETING_RESULT} }}
}}"""
SOLVE = f"""
mutation($editionId: ID!) {{
  solveSchedule(editionId: $editionId, timeLimitS: 2) {{ {SCHEDULE_RESULT} }}
}}"""
PUBLISH_SCHEDULE = f"""
mutation($editionId: ID!) {{ publishSchedule(editionId: $editionId) {{ {SCHEDULE_RESULT} }} }}"""
REPAIR_SCHEDULE = f"""
mutation($editionId: ID!) {{ repairSchedule(editionId: $editionId) {{ {SCHEDULE_RESULT} }} }}"""

FAIR_EDITIONS = f"{{ fairEditions {{ {EDITION_FIELDS} }} }}"
FAIR_EDITION = f"""
query($id: ID!) {{
  fairEdition(id: $id) {{
    {EDITION_FIELDS}
    slots {{ id start end }}
    sessions {{ {SESSION_FIELDS} }}
  }}
}}"""
SESSION = f"query($id: ID!) {{ session(id: $id) {{ {SESSION_FIELDS} }} }}"
SIGN_UPS = "query($id: ID!) { session(id: $id) { id signUps { partyId state } } }"
MY_ATTENDANCE = f"""
query($editionId: ID!, $partyId: ID) {{
  myAttendance(editionId: $editionId, partyId: $partyId) {{ {ATTENDANCE_RESULT} }}
}}"""
MY_AGENDA = f"""
query($editionId: ID!) {{
  myAgenda(editionId: $editionId) {{
    __typename
    ... on Agenda {{ editionId icsPath items {{ kind id start end state counterpartId
                                              counterpart {{ __typename }} }} }}
    {PROBLEM}
  }}
}}"""
MY_MEETINGS = f"""
query($editionId: ID, $first: Int, $after: String) {{
  myMeetings(editionId: $editionId, first: $first, after: $after) {{
    edges {{ cursor node {{ {MEETING_FIELDS} }} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}"""
EDITION_MEETINGS = f"""
query($editionId: ID!, $first: Int) {{
  editionMeetings(editionId: $editionId, first: $first) {{
    __typename
    ... on MeetingConnection {{
      edges {{ node {{ {MEETING_FIELDS} }} }} pageInfo {{ hasNextPage endCursor }}
    }}
    {PROBLEM}
  }}
}}"""
MEETING = f"query($id: ID!) {{ meeting(id: $id) {{ {MEETING_FIELDS} }} }}"
SCHEDULE = f"query($editionId: ID!) {{ schedule(editionId: $editionId) {{ {SCHEDULE_RESULT} }} }}"

MY_SCHEDULE = """
subscription {
  mySchedule {
    __typename
    ... on MeetingNews { meetingId change status myRole counterpartId
                         place { start end table } }
    ... on SessionNews { sessionId change changed }
  }
}"""


def edition_input(tables: int = 4, **overrides: Any) -> dict[str, Any]:
    """The scheduling tests' edition (``edition_body``) as GraphQL input."""
    body = {_camel(k): v for k, v in edition_body(tables).items()}
    body.update(overrides)
    return body


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def session_input(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "ROADSHOW",
        "title": {"zh": "新材料路演", "en": "New materials roadshow"},
        "start": at(FIRST_DAY, "09:00"),
        "end": at(FIRST_DAY, "10:00"),
        "room": "hall-a",
        "capacity": 50,
    }
    body.update(overrides)
    return body


async def result(url: str, token: str | None, document: str, **variables: Any) -> dict[str, Any]:
    """The one top-level field a document asks for."""
    data = await graphql(url, document, token, **variables)
    (value,) = data.values()
    assert isinstance(value, dict), data
    return value


async def ok(url: str, token: str | None, document: str, kind: str, **variables: Any) -> Any:
    """The field's result, which must be of type ``kind``."""
    value = await result(url, token, document, **variables)
    assert value["__typename"] == kind, value
    return value


async def prepared_edition(url: str, staff: str, *, sessions: int = 1) -> tuple[str, list[str]]:
    """An edition with ``sessions`` sessions (an hour each from 9:00 on day one), opened
    and its agenda published."""
    edition = await ok(url, staff, CREATE_EDITION, "FairEdition", input=edition_input())
    ids = []
    for n in range(sessions):
        start, end = f"{9 + 2 * n:02d}:00", f"{10 + 2 * n:02d}:00"
        created = await ok(
            url,
            staff,
            ADD_SESSION,
            "AgendaSession",
            editionId=edition["id"],
            input=session_input(start=at(FIRST_DAY, start), end=at(FIRST_DAY, end)),
        )
        ids.append(created["id"])
    await ok(url, staff, OPEN_EDITION, "FairEdition", id=edition["id"])
    published = await ok(url, staff, PUBLISH_AGENDA, "FairEdition", id=edition["id"])
    assert published["status"] == "OPEN" and published["agendaVersion"] == 1, published
    return str(edition["id"]), ids


async def until_known(url: str, token: str, edition_id: str) -> None:
    """Scheduling learns of a registered party from the registry's events: wait for it."""
    for _ in range(300):
        found = await result(url, token, MY_ATTENDANCE, editionId=edition_id)
        if found["__typename"] == "Attendance":
            return
        assert found["__typename"] == "InvalidInput", found
        await asyncio.sleep(0.1)
    raise AssertionError("scheduling never heard of the participant")


class ScheduleJobFailed(AssertionError):
    """The scheduler's background job failed."""


async def solved_and_published(url: str, staff: str, edition_id: str) -> dict[str, Any]:
    """Solve (in the background), wait for the draft, publish it."""
    started = await ok(url, staff, SOLVE, "Schedule", editionId=edition_id)
    assert started["job"] in ("RUNNING", "IDLE"), started
    for _ in range(600):
        schedule = await ok(url, staff, SCHEDULE, "Schedule", editionId=edition_id)
        if schedule["job"] == "FAILED":
            raise ScheduleJobFailed(schedule)
        if schedule["job"] == "IDLE" and schedule["draft"] is not None:
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("no draft timetable")
    # the last progress report is the draft's own result
    progress, draft = schedule["progress"], schedule["draft"]
    assert progress["phase"] == "done", progress
    assert progress["incumbent"] == draft["objective"] <= progress["bound"] == draft["bound"]
    assert progress["gap"] == draft["gap"] and draft["optimal"] == (draft["gap"] == 0)
    published: dict[str, Any] = await ok(
        url, staff, PUBLISH_SCHEDULE, "Schedule", editionId=edition_id
    )
    return published


PIPELINE = "subscription { pipelineEvents { type subject } }"


async def next_where(
    feed: Subscription, field: str, wanted: Callable[[dict[str, Any]], bool]
) -> list[dict[str, Any]]:
    """The feed's items up to and including the first ``wanted`` one."""
    seen = []
    while True:
        item = (await feed.next(timeout=30))[field]
        seen.append(item)
        if wanted(item):
            return seen


async def meeting_flow(url: str) -> None:
    """An operator prepares and opens an edition; a talent (online, from Berlin) and an
    organisation registered through the registry sign up and agree a meeting; the
    operator solves and publishes the timetable. The talent hears of its meeting's place
    live, and its calendar feed (no sign-in) has the meeting in the talent's time zone."""
    operator = await staff_token(url, "ops@sched.example", "OPERATOR")
    edition_id, (session_id,) = await prepared_edition(url, operator)
    talent_id, talent = await register_talent(url, "anna.berg@sched.example.de", "Anna Berg")
    org_id, org = await register_organisation(url, "org@sched.example", 801)
    await until_known(url, talent, edition_id)
    await until_known(url, org, edition_id)

    signed = await ok(url, talent, SIGN_UP, "AgendaSession", sessionId=session_id)
    assert signed["myState"] == "CONFIRMED" and signed["confirmed"] == 1, signed
    edition = (await graphql(url, FAIR_EDITION, talent, id=edition_id))["fairEdition"]
    assert edition["slotCount"] == len(edition["slots"]) == 13 + 6
    assert [s["myState"] for s in edition["sessions"]] == ["CONFIRMED"]

    async with (
        subscribe(url, MY_SCHEDULE, talent) as feed,
        subscribe(url, PIPELINE, operator) as pipeline,
    ):
        await asyncio.sleep(1.0)  # the subscriptions are registered
        requested = await ok(
            url,
            talent,
            REQUEST_MEETING,
            "Meeting",
            editionId=edition_id,
            input={"inviteeId": org_id, "note": "谈谈中试合作"},
        )
        assert requested["status"] == "REQUESTED" and requested["counterpartId"] == org_id
        accepted = await ok(url, org, ANSWER_MEETING, "Meeting", id=requested["id"], accept=True)
        assert accepted["status"] == "ACCEPTED" and accepted["counterpartId"] == talent_id

        published = await solved_and_published(url, operator, edition_id)
        assert published["version"] == 1, published
        assert published["published"]["scheduled"] == 1, published
        (placement,) = published["published"]["placements"]
        assert placement["meetingId"] == requested["id"]

        news = await next_where(feed, "mySchedule", lambda n: n.get("change") == "SCHEDULED")
        # the feed also carries the talent's session news (its sign-up's confirmation
        # may arrive after the feed opened): the meeting's own news, in order
        meeting_news = [n for n in news if n["__typename"] == "MeetingNews"]
        assert [n["change"] for n in meeting_news] == ["REQUESTED", "ACCEPTED", "SCHEDULED"], news
        scheduled = meeting_news[-1]
        assert scheduled["__typename"] == "MeetingNews"
        assert scheduled["meetingId"] == requested["id"] and scheduled["myRole"] == "REQUESTER"
        assert scheduled["counterpartId"] == org_id
        assert scheduled["place"]["table"] is None  # online: the talent is in Berlin
        events = await next_where(
            pipeline,
            "pipelineEvents",
            lambda e: e["type"] == "boyin.scheduling.schedule.published",
        )
        assert "boyin.scheduling.meeting.accepted" in {e["type"] for e in events}

    meeting = (await graphql(url, MEETING, talent, id=requested["id"]))["meeting"]
    assert meeting["place"] is not None and meeting["place"]["slotId"] == placement["slotId"]
    start = datetime.fromisoformat(meeting["place"]["start"])

    attendance = await ok(url, talent, MY_ATTENDANCE, "Attendance", editionId=edition_id)
    assert attendance["availability"]["mode"] == "ONLINE"
    assert attendance["calendarUrl"] == url + attendance["calendarPath"]
    async with http_client() as anonymous:
        feed_response = await anonymous.get(attendance["calendarUrl"])
        assert feed_response.status_code == 200, feed_response.text
        assert feed_response.headers["content-type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(feed_response.content)
        # the signed-in downloads need the token
        refused = await anonymous.get(url + attendance["agendaIcsPath"])
        assert refused.status_code == 401, refused.text
        headers = {"authorization": f"Bearer {talent}"}
        own = await anonymous.get(url + attendance["agendaIcsPath"], headers=headers)
        assert own.status_code == 200, own.text
        # the same calendar; DTSTAMP is when each copy was made (RFC 5545 with METHOD)
        assert undated(own.content) == undated(feed_response.content)
        qr = await anonymous.get(url + attendance["checkInQrPath"], headers=headers)
        assert qr.status_code == 200, qr.text
        assert qr.headers["content-type"].startswith("image/svg+xml") and b"<svg" in qr.content
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {"Europe/Berlin"}
    starts = {str(e["UID"]): e.decoded("DTSTART") for e in calendar.walk("VEVENT")}
    (meeting_start,) = [s for s in starts.values() if s == start]
    assert getattr(meeting_start.tzinfo, "key", None) == "Europe/Berlin", meeting_start
    assert meeting_start.astimezone(ZoneInfo("Europe/Berlin")).hour == meeting_start.hour
    assert len(starts) == 2  # the roadshow and the meeting

    agenda = await ok(url, talent, MY_AGENDA, "Agenda", editionId=edition_id)
    assert [i["kind"] for i in agenda["items"]] == ["SESSION", "MEETING"]
    assert agenda["items"][1]["counterpart"] == {"__typename": "Organisation"}

    # A new calendar address replaces the old one
    rotated = await ok(url, talent, ROTATE, "Attendance", editionId=edition_id)
    assert rotated["calendarUrl"] != attendance["calendarUrl"]
    async with http_client() as anonymous:
        gone = await anonymous.get(attendance["calendarUrl"])
        assert gone.status_code == 404 and gone.json()["error"]["code"] == "NOT_FOUND"
        assert (await anonymous.get(rotated["calendarUrl"])).status_code == 200

    # Bad input comes back typed, in Chinese and English
    window = await ok(
        url,
        talent,
        DECLARE,
        "InvalidInput",
        editionId=edition_id,
        input={
            "mode": "ONLINE",
            "timezone": "Europe/Berlin",
            "arrival": at(LAST_DAY, "10:00"),
            "departure": at(FIRST_DAY, "10:00"),
        },
    )
    assert [(f["field"], f["code"]) for f in window["fields"]] == [
        ("departure", "END_BEFORE_START")
    ], window
    assert_bilingual(window)


def undated(ics: bytes) -> list[bytes]:
    """An iCalendar file's lines without DTSTAMP, the moment that copy was produced."""
    return [line for line in ics.splitlines() if not line.startswith(b"DTSTAMP")]
