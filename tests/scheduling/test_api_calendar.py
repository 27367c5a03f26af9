"""A participant's calendar follows their meetings and sessions: one stable UID per
meeting, a SEQUENCE that grows with every change (so a cancellation outranks what was
published before), a cancelled meeting kept as STATUS:CANCELLED so a subscribed calendar
removes it, and a session's room by its name (in-process service, embedded bus and
SQLite)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import icalendar

from boyin_scheduling.app import definition as scheduling
from boyin_scheduling.solver.ics import meeting_uid
from tests.apps import running
from tests.scheduling.support import (
    FAIR_FIRST,
    announce_organisation,
    announce_talent,
    at,
    fair_body,
    headers,
    ok,
    organisation,
    settled,
    solve_and_publish,
    talent,
    wait_known,
)


def vevents(data: bytes) -> dict[str, icalendar.Component]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


async def test_a_cancelled_meeting_stays_in_the_feed_as_cancelled(tmp_path: Path) -> None:
    async with running([scheduling], tmp_path) as r:
        api = r.client("scheduling")
        eid = ok(await api.post("/editions", json=fair_body()), 201)["id"]
        ok(await api.post(f"/editions/{eid}/open"))
        t = await announce_talent(r, "李伟")
        o = await announce_organisation(r, "重庆某研究院")
        await wait_known(r, t, o)
        mid = ok(
            await api.post(f"/editions/{eid}/meetings", json={"requester_id": t, "invitee_id": o}),
            201,
        )["id"]
        await solve_and_publish(api, eid)
        me = headers(talent(t))
        feed = ok(await api.get(f"/editions/{eid}/attendance", headers=me))["calendar_token"]
        uid = meeting_uid(eid, mid)

        placed = vevents((await api.get(f"/calendar/{feed}.ics")).content)[uid]
        assert str(placed["status"]) == "CONFIRMED"
        place = ok(await api.get(f"/meetings/{mid}", headers=me))["place"]
        assert placed.decoded("dtstart") == datetime.fromisoformat(place["start"])

        ok(await api.post(f"/meetings/{mid}/cancel", json={}, headers=headers(organisation(o))))
        await settled(api, eid, version=2)
        after = vevents((await api.get(f"/calendar/{feed}.ics")).content)
        assert uid in after, "a cancelled meeting should stay in the feed (STATUS:CANCELLED)"
        assert str(after[uid]["status"]) == "CANCELLED"
        assert after[uid].decoded("sequence") > placed.decoded("sequence")


async def test_a_cancellation_outranks_every_sequence_the_meeting_was_published_with(
    tmp_path: Path,
) -> None:
    async with running([scheduling], tmp_path) as r:
        api = r.client("scheduling")
        eid = ok(await api.post("/editions", json=fair_body()), 201)["id"]
        ok(await api.post(f"/editions/{eid}/open"))
        t, t2 = await announce_talent(r, "李伟"), await announce_talent(r, "王芳")
        o = await announce_organisation(r, "重庆某研究院")
        await wait_known(r, t, t2, o)
        mid = ok(
            await api.post(f"/editions/{eid}/meetings", json={"requester_id": t, "invitee_id": o}),
            201,
        )["id"]
        await solve_and_publish(api, eid)
        me = headers(talent(t))
        feed = ok(await api.get(f"/editions/{eid}/attendance", headers=me))["calendar_token"]
        uid = meeting_uid(eid, mid)
        published = [vevents((await api.get(f"/calendar/{feed}.ics")).content)[uid]]
        # another meeting: the timetable is repaired and published again (version 2)
        ok(
            await api.post(f"/editions/{eid}/meetings", json={"requester_id": t2, "invitee_id": o}),
            201,
        )
        await settled(api, eid, version=2)
        published.append(vevents((await api.get(f"/calendar/{feed}.ics")).content)[uid])
        # the cancellation moves the timetable to version 3
        ok(await api.post(f"/meetings/{mid}/cancel", json={}, headers=me))
        await settled(api, eid, version=3)
        cancelled = vevents((await api.get(f"/calendar/{feed}.ics")).content)[uid]
        assert str(cancelled["status"]) == "CANCELLED"
        before = max(int(e.decoded("sequence")) for e in published)
        assert int(cancelled.decoded("sequence")) > before


async def test_a_sessions_location_is_its_rooms_name(tmp_path: Path) -> None:
    async with running([scheduling], tmp_path) as r:
        api = r.client("scheduling")
        rooms = [
            {"id": "hall-a", "name": {"zh": "A 厅", "en": "Hall A"}},
            {
                "id": "hall-b",
                "name": {"zh": "B 厅", "en": "Hall B"},
                "venue": {"zh": "重庆国际博览中心", "en": "Chongqing Expo Centre"},
            },
        ]
        eid = ok(await api.post("/editions", json=fair_body(rooms=rooms)), 201)["id"]
        ok(await api.post(f"/editions/{eid}/open"))
        t = await announce_talent(r, "李伟")
        await wait_known(r, t)
        ids = []
        for room, hm in (("hall-a", "10:00"), ("hall-b", "14:00")):
            body = {
                "kind": "RECRUITMENT",
                "title": {"zh": "招聘会", "en": "Recruitment"},
                "start": at(FAIR_FIRST, hm),
                "end": at(FAIR_FIRST, hm.replace(":00", ":45")),
                "room": room,
            }
            ids.append(ok(await api.post(f"/editions/{eid}/sessions", json=body), 201)["id"])
        ok(await api.post(f"/editions/{eid}/agenda/publish"))
        me = headers(talent(t))
        for sid in ids:
            ok(await api.post(f"/sessions/{sid}/sign-up", json={}, headers=me))
        feed = ok(await api.get(f"/editions/{eid}/attendance", headers=me))["calendar_token"]
        events = vevents((await api.get(f"/calendar/{feed}.ics")).content)
        a, b = (events[meeting_uid(eid, sid)] for sid in ids)
        assert str(a["location"]) == "A 厅 / Hall A"
        assert str(b["location"]) == "B 厅（重庆国际博览中心） / Hall B (Chongqing Expo Centre)"
        agenda = ok(await api.get(f"/editions/{eid}/agenda", headers=me))
        assert [i["location"] for i in agenda] == [str(a["location"]), str(b["location"])]
        # a cancelled session outranks the SEQUENCE it was published with
        ok(await api.post(f"/sessions/{ids[0]}/cancel"))
        gone = vevents((await api.get(f"/calendar/{feed}.ics")).content)[meeting_uid(eid, ids[0])]
        assert str(gone["status"]) == "CANCELLED"
        assert int(gone.decoded("sequence")) > int(a.decoded("sequence"))
