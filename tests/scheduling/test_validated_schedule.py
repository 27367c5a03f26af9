"""A medium fair set up entirely through the API and the bus (40 talents, some online from
abroad; 15 organisations sending several representatives; 150 mutual matches; sessions
with sign-ups; availability gaps) is solved and published; the schedule the meetings end
up with is proven conflict-free by the independent validator on the instance rebuilt from
the service's stored aggregates, and every placed meeting's agenda .ics reads back with
the participant's zone and the exact start (in-process service, embedded bus and SQLite)."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from boyin_scheduling.app import definition as scheduling
from boyin_scheduling.meetings.domain import meeting_of_match
from boyin_scheduling.schedules.fair import build_instance
from boyin_scheduling.solver.ics import meeting_uid
from boyin_scheduling.solver.model import Placement, Schedule
from boyin_scheduling.solver.validate import validate_schedule
from tests.apps import running
from tests.scheduling.support import (
    FAIR_FIRST,
    FAIR_LAST,
    announce_mutual_match,
    announce_organisation,
    announce_talent,
    at,
    eventually,
    fair_body,
    headers,
    meetings_of,
    ok,
    organisation,
    settled,
    state,
    talent,
    wait_known,
)

N_TALENTS, N_ORGS, N_MEETINGS = 40, 15, 150
ABROAD = {i: ("DE", "Europe/Berlin") for i in range(0, 6)} | {
    i: ("US", "America/New_York") for i in range(6, 9)
}


def presenters(session: dict[str, Any]) -> list[str]:
    return [str(p["party_id"]) for p in session.get("presenters", [])]


async def test_a_medium_fair_gets_a_validator_proven_schedule_and_calendars(tmp_path: Path) -> None:
    rng = random.Random(20301212)
    async with running([scheduling], tmp_path) as r:
        api = r.client("scheduling")
        eid = ok(await api.post("/editions", json=fair_body(n_tables=10)), 201)["id"]
        ok(await api.post(f"/editions/{eid}/open"))

        talents = []
        for i in range(N_TALENTS):
            country, zone = ABROAD.get(i, ("CN", "Asia/Shanghai"))
            talents.append(await announce_talent(r, f"人才{i}", country=country, timezone=zone))
        orgs = [await announce_organisation(r, f"重庆机构{j}") for j in range(N_ORGS)]
        await wait_known(r, *talents, *orgs)

        # -- availability: organisations send 1–3 people, some with gaps; some talents
        # arrive late, leave early or are busy for a while
        attendance = f"/editions/{eid}/attendance"
        for j, o in enumerate(orgs):
            body: dict[str, Any] = {"mode": "ON_SITE", "representatives": 1 + j % 3}
            if j % 4 == 0:
                body["blocked"] = [
                    {"start": at(FAIR_FIRST, "13:30"), "end": at(FAIR_FIRST, "15:00")}
                ]
            ok(await api.put(attendance, json=body, headers=headers(organisation(o))))
        for i in range(12, N_TALENTS, 3):
            body = {"mode": "ON_SITE"}
            if i % 2:
                body["arrival"] = at(FAIR_FIRST, "13:30")
            else:
                body["departure"] = at(FAIR_LAST, "10:00")
                body["blocked"] = [
                    {"start": at(FAIR_FIRST, "09:00"), "end": at(FAIR_FIRST, "10:30")}
                ]
            ok(await api.put(attendance, json=body, headers=headers(talent(talents[i]))))

        # -- the agenda: presenters and sign-ups block their time
        sessions = [
            {
                "kind": "ROADSHOW",
                "title": {"zh": "新材料路演", "en": "New materials roadshow"},
                "start": at(FAIR_FIRST, "09:00"),
                "end": at(FAIR_FIRST, "10:00"),
                "room": "hall-a",
                "capacity": 8,
                "waitlist_limit": 4,
                "presenters": [{"party_id": t} for t in talents[10:13]],
            },
            {
                "kind": "RECRUITMENT",
                "title": {"zh": "招聘会", "en": "Recruitment session"},
                "start": at(FAIR_FIRST, "14:00"),
                "end": at(FAIR_FIRST, "15:00"),
                "capacity": 10,
                "presenters": [{"party_id": o} for o in orgs[:2]],
            },
            {
                "kind": "FIELD_VISIT",
                "title": {"zh": "两江新区参观", "en": "Liangjiang visit"},
                "start": at(FAIR_LAST, "09:00"),
                "end": at(FAIR_LAST, "11:00"),
                "departure": at(FAIR_LAST, "08:45"),
                "capacity": 5,
                "waitlist_limit": 5,
            },
        ]
        session_ids = [
            ok(await api.post(f"/editions/{eid}/sessions", json=s), 201)["id"] for s in sessions
        ]
        ok(await api.post(f"/editions/{eid}/agenda/publish"))
        sign_ups = {
            session_ids[0]: talents[13:23],
            session_ids[1]: talents[23:31],
            session_ids[2]: [*talents[31:40], orgs[5]],
        }
        for sid, people in sign_ups.items():
            for p in people:
                who = organisation(p) if p in orgs else talent(p)
                ok(await api.post(f"/sessions/{sid}/sign-up", json={}, headers=headers(who)))

        # -- 150 mutual matches between different pairs
        pairs = rng.sample([(t, o) for t in range(N_TALENTS) for o in range(N_ORGS)], N_MEETINGS)
        match_ids = [
            await announce_mutual_match(r, talents[t], orgs[o], round(rng.uniform(0.5, 1.0), 3))
            for t, o in pairs
        ]
        expected = {meeting_of_match(m) for m in match_ids}

        async def all_meetings() -> bool:
            return set(await meetings_of(api, eid)) == expected

        await eventually(all_meetings, timeout=30, what="150 meetings")

        # -- solve, publish, and wait until every meeting has its place
        ok(await api.post(f"/editions/{eid}/schedule/solve", json={"time_limit_s": 2}), 202)

        async def drafted() -> bool:
            s = ok(await api.get(f"/editions/{eid}/schedule"))
            assert s["job"] != "FAILED", s
            return bool(s["job"] == "IDLE" and s["draft"] is not None)

        await eventually(drafted, timeout=90, what="draft")
        draft = ok(await api.get(f"/editions/{eid}/schedule"))["draft"]
        assert draft["violations"] == 0
        assert draft["bound"] is not None and draft["objective"] <= draft["bound"] + 1e-6
        ok(await api.post(f"/editions/{eid}/schedule/publish"))
        schedule = await settled(api, eid, version=1)
        published = schedule["published"]
        assert published["scheduled"] + published["unscheduled"] == N_MEETINGS
        assert published["scheduled"] >= 120, published

        # -- the schedule as the meetings hold it, proven on the instance rebuilt from the
        # stored aggregates
        meetings = await meetings_of(api, eid)
        placed = {mid: m["place"] for mid, m in meetings.items() if m["place"] is not None}
        assert len(placed) == published["scheduled"]
        assert all(p["schedule_version"] == 1 for p in placed.values())
        detail = ok(await api.get(f"/editions/{eid}/schedule/published"))
        assert {p["meeting_id"]: (p["slot_id"], p["table"]) for p in detail["placements"]} == {
            mid: (p["slot_id"], p["table"]) for mid, p in placed.items()
        }
        fair = await state(r).planner.fair(eid)
        instance = build_instance(fair)
        assert len(instance.requests) == N_MEETINGS and len(instance.participants) == 55
        as_held = Schedule(
            tuple(Placement(mid, p["slot_id"], p["table"]) for mid, p in sorted(placed.items())),
            tuple(sorted(set(meetings) - set(placed))),
        )
        report = validate_schedule(instance, as_held)
        assert report.ok, report.summary()

        # the rules the validator proves, seen from the API as well: online meetings have
        # no table and fall in the talent's local day
        slots = {s.id: s for s in instance.edition.slots}
        for mid, p in placed.items():
            m = meetings[mid]
            t_index = talents.index(m["requester_id"])
            assert slots[p["slot_id"]].start == datetime.fromisoformat(p["start"])
            if t_index in ABROAD:
                assert p["table"] is None
                local = datetime.fromisoformat(p["start"]).astimezone(ZoneInfo(ABROAD[t_index][1]))
                assert time(8) <= local.time() <= time(21, 30)
            else:
                assert p["table"] is not None
        online = [mid for mid, p in placed.items() if p["table"] is None]
        assert online, "some online meetings are placed"

        # -- every placed meeting in both participants' calendars, at its start, in
        # their own zone
        people = sorted(
            {
                pid
                for mid in placed
                for pid in (meetings[mid]["requester_id"], meetings[mid]["invitee_id"])
            }
        )
        # SEQUENCE is the meeting's revision (it grows with every change), the same in
        # both participants' files
        revisions: dict[str, int] = {}
        for mid in placed:
            stored = await state(r).repos.meetings.get(mid)
            assert stored is not None
            revisions[mid] = stored.aggregate.revision
        for pid in people:
            who = talent(pid) if pid in talents else organisation(pid)
            response = await api.get(f"/editions/{eid}/agenda.ics", headers=headers(who))
            assert response.status_code == 200, response.text
            cal = icalendar.Calendar.from_ical(response.content)
            by_uid = {str(e["uid"]): e for e in cal.walk("VEVENT")}
            zone = "Asia/Shanghai"
            if pid in talents and talents.index(pid) in ABROAD:
                zone = ABROAD[talents.index(pid)][1]
            assert {str(c["TZID"]) for c in cal.walk("VTIMEZONE")} == {zone}
            mine = [
                mid
                for mid in placed
                if pid in (meetings[mid]["requester_id"], meetings[mid]["invitee_id"])
            ]
            for mid in mine:
                event = by_uid[meeting_uid(eid, mid)]
                start = event.decoded("dtstart")
                assert start == datetime.fromisoformat(placed[mid]["start"]), mid
                assert str(start.tzinfo) == zone
                assert event["dtstart"].params["TZID"] == zone
                assert event.decoded("dtend") - start == timedelta(minutes=30)
                assert event.decoded("sequence") == revisions[mid], mid
            sessions_in = [u for u in by_uid if not any(u == meeting_uid(eid, m) for m in mine)]
            signed_up = sum(1 for ps in sign_ups.values() if pid in ps)
            presenting = sum(1 for s in sessions if pid in presenters(s))
            assert len(sessions_in) == signed_up + presenting, (pid, sessions_in)
