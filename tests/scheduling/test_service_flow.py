"""The scheduling service end to end in one process (embedded bus and SQLite): an
operator sets up an edition and its agenda, participants sign up and request meetings,
mutual matches become meetings, the scheduler's draft is published, changes repair it,
and each participant's agenda exports to iCalendar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import icalendar

from boyin_scheduling.app import definition as scheduling
from boyin_scheduling.meetings.domain import meeting_of_match
from tests.apps import running
from tests.scheduling.support import (
    FIRST_DAY,
    announce_mutual_match,
    announce_organisation,
    announce_talent,
    at,
    edition_body,
    eventually,
    headers,
    known,
    organisation,
    talent,
)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def test_edition_to_published_schedule_and_calendar(tmp_path: Path) -> None:
    async with running([scheduling], tmp_path) as r:
        api = r.client("scheduling")
        edition = ok(await api.post("/editions", json=edition_body()), 201)
        eid = edition["id"]
        assert edition["status"] == "DRAFT" and edition["slots"] == 13 + 6
        t1 = await announce_talent(r, "李伟")
        t2 = await announce_talent(r, "Anna Berg", country="DE", timezone="Europe/Berlin")
        o1 = await announce_organisation(r, "重庆某研究院")
        for p in (t1, t2, o1):

            async def heard(p: str = p) -> bool:
                return await known(api, eid, p)

            await eventually(heard, what=f"{p} known")

        roadshow = ok(
            await api.post(
                f"/editions/{eid}/sessions",
                json={
                    "kind": "ROADSHOW",
                    "title": {"zh": "新材料路演", "en": "New materials roadshow"},
                    "start": at(FIRST_DAY, "09:00"),
                    "end": at(FIRST_DAY, "10:00"),
                    "room": "hall-a",
                    "capacity": 1,
                    "waitlist_limit": 1,
                    "presenters": [{"party_id": t1}],
                },
            ),
            201,
        )
        ok(await api.post(f"/editions/{eid}/open"))
        ok(await api.post(f"/editions/{eid}/agenda/publish"))
        signed = ok(
            await api.post(
                f"/sessions/{roadshow['id']}/sign-up", json={}, headers=headers(organisation(o1))
            )
        )
        assert signed["my_state"] == "CONFIRMED"

        match_id = await announce_mutual_match(r, t1, o1, score=0.9)
        direct = ok(
            await api.post(
                f"/editions/{eid}/meetings",
                json={"invitee_id": o1},
                headers=headers(talent(t2)),
            ),
            201,
        )
        assert direct["status"] == "REQUESTED" and direct["source"] == "DIRECT"
        answered = ok(
            await api.post(
                f"/meetings/{direct['id']}/answer",
                json={"accept": True},
                headers=headers(organisation(o1)),
            )
        )
        assert answered["status"] == "ACCEPTED"
        mid = meeting_of_match(match_id)

        async def exists() -> bool:
            return (await api.get(f"/meetings/{mid}")).status_code == 200

        await eventually(exists, what="meeting from the match")

        # a limit the LP meets on a loaded machine too (the solve ends when proven optimal)
        ok(await api.post(f"/editions/{eid}/schedule/solve", json={"time_limit_s": 20}), 202)

        async def drafted() -> bool:
            s = ok(await api.get(f"/editions/{eid}/schedule"))
            assert s["job"] != "FAILED", s
            return s["job"] == "IDLE" and s["draft"] is not None

        await eventually(drafted, timeout=30, what="draft")
        solved = ok(await api.get(f"/editions/{eid}/schedule"))
        # optimal first: the LP's solution is integral here, proven optimal (gap 0), and the
        # solve's last progress report says so
        assert solved["draft"]["solver"] == "lp-integral"
        assert solved["draft"]["optimal"] is True and solved["draft"]["gap"] == 0
        assert solved["progress"]["phase"] == "done"
        assert solved["progress"]["incumbent"] == solved["draft"]["objective"]
        assert solved["progress"]["bound"] == solved["draft"]["bound"]
        schedule = ok(await api.post(f"/editions/{eid}/schedule/publish"))
        assert schedule["version"] == 1 and schedule["published"]["scheduled"] == 2
        assert schedule["published"]["violations"] == 0

        async def placed() -> bool:
            m = ok(await api.get(f"/meetings/{mid}"))
            return m["place"] is not None

        await eventually(placed, what="meeting placed")
        meeting = ok(await api.get(f"/meetings/{mid}"))
        # the roadshow blocks the presenter and the organisation from 9 to 10
        assert meeting["place"]["start"] >= at(FIRST_DAY, "10:00")
        assert meeting["place"]["table"] is not None
        online = ok(await api.get(f"/meetings/{direct['id']}"))
        assert online["place"]["table"] is None  # Anna takes part from Berlin

        ics = await api.get(f"/editions/{eid}/agenda.ics", headers=headers(talent(t1)))
        assert ics.status_code == 200, ics.text
        cal = icalendar.Calendar.from_ical(ics.content)
        events = [c for c in cal.walk("VEVENT")]
        assert len(events) == 2  # the roadshow and the meeting
        tzids = {c["TZID"] for c in cal.walk("VTIMEZONE")}
        assert tzids == {"Asia/Shanghai"}
