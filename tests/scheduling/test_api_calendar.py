"""A participant's calendar follows their meetings: one stable UID per meeting, the
schedule version as SEQUENCE, and a cancelled meeting kept as STATUS:CANCELLED so a
subscribed calendar removes it (in-process service, embedded bus and SQLite)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import icalendar

from boyin_scheduling.app import definition as scheduling
from boyin_scheduling.solver.ics import meeting_uid
from tests.apps import running
from tests.scheduling.support import (
    announce_organisation,
    announce_talent,
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
        assert after[uid].decoded("sequence") >= placed.decoded("sequence")
