"""Registry, scheduling and mentors together: a consultation takes its time from the
edition's slot grid and is checked against the talent's agenda, both read through
scheduling's HTTP API for the talent who books (no second scheduler): not from a draft
edition, not over a session they present at or a window they blocked, online for a talent
who takes part online, in the mentor's office hours (Tokyo, UTC+9, against the fair's
Chongqing, UTC+8), each side shown the time in their own zone (the talent in Berlin);
scheduling learns of the consultation from its event and blocks the talent's time."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from boyin_mentors.app import mentors_definition
from boyin_mentors.consultations.scheduling import SchedulingAgenda
from boyin_mentors.mentors.taxonomy import RegistryTaxonomy
from boyin_registry.app import definition as registry
from boyin_scheduling.app import definition as scheduling
from tests.apps import SECRET, as_actor, running
from tests.mentors.screening_support import FixedRelevance
from tests.mentors.support import MENTOR, field_codes, ok, profile_body, refusal
from tests.processes import poll
from tests.registry.support import talent_body, talent_member
from tests.scheduling.support import FIRST_DAY, at, edition_body, state


def berlin(at: datetime) -> str:
    """``at`` as an iCalendar local time in Berlin."""
    return f"{at.astimezone(ZoneInfo('Europe/Berlin')):%Y%m%dT%H%M%S}"


async def test_a_consultation_in_schedulings_grid_and_the_talents_agenda(tmp_path: Path) -> None:
    clients: dict[str, httpx.AsyncClient] = {}
    mentors = mentors_definition(
        lambda _: FixedRelevance(),
        lambda _: SchedulingAgenda(lambda: clients["scheduling"], SECRET),
        lambda _: RegistryTaxonomy(lambda: clients["registry"], SECRET),
    )
    async with running([registry, scheduling, mentors], tmp_path) as r:
        clients |= {name: r.client(name) for name in ("registry", "scheduling")}
        api, sched = r.client("mentors"), clients["scheduling"]
        # 10:00–12:00 in Tokyo on the fair's first day = 09:00–11:00 in Chongqing
        hours = [{"weekday": FIRST_DAY.weekday(), "start": "10:00", "end": "12:00"}]
        body = profile_body(timezone="Asia/Tokyo", availability=hours)
        m = ok(await api.post("/mentors/apply", json=body, headers=as_actor(MENTOR)), 201)
        ok(await api.post(f"/mentors/{m['id']}/approve"))

        # a talent in Berlin (abroad: online by default), known to scheduling by the
        # registry's event
        party = ok(await clients["registry"].post("/talents", json=talent_body()), 201)["id"]
        talent = as_actor(talent_member(party))
        edition = ok(await sched.post("/editions", json=edition_body()), 201)
        eid = edition["id"]

        async def known() -> bool:
            seen = await sched.get(f"/editions/{eid}/attendance", params={"party_id": party})
            return seen.status_code == 200

        await poll("the talent known to scheduling", known)
        slots = [s["id"] for s in ok(await sched.get(f"/editions/{eid}/slots"))]
        path = f"/mentors/{m['id']}/consultations"
        booking = {"edition_id": eid, "slot_id": slots[1], "mode": "ONLINE"}

        draft = refusal(
            await api.post(path, json=booking, headers=talent), 422, "VALIDATION_FAILED"
        )
        assert field_codes(draft) == {"slot_id": "UNKNOWN_SLOT"}  # a draft is not the talent's

        pitch = {
            "kind": "ROADSHOW",
            "title": {"zh": "电池路演", "en": "Battery roadshow"},
            "start": at(FIRST_DAY, "09:00"),
            "end": at(FIRST_DAY, "09:30"),
            "capacity": 10,
            "waitlist_limit": 0,
            "presenters": [{"party_id": party}],
        }
        ok(await sched.post(f"/editions/{eid}/sessions", json=pitch), 201)
        ok(await sched.post(f"/editions/{eid}/open"))
        ok(await sched.post(f"/editions/{eid}/agenda/publish"))
        blocked = {
            "mode": "ONLINE",
            "timezone": "Europe/Berlin",
            "blocked": [{"start": at(FIRST_DAY, "10:00"), "end": at(FIRST_DAY, "10:30")}],
        }
        ok(await sched.put(f"/editions/{eid}/attendance", json=blocked, headers=talent))

        for slot, mode, field, code in (
            (slots[0], "ONLINE", "slot_id", "TALENT_BUSY"),  # they present then
            (slots[2], "ONLINE", "slot_id", "TALENT_BUSY"),  # they blocked it
            (slots[1], "ON_SITE", "mode", "TALENT_ONLINE"),  # they take part online
            (slots[4], "ONLINE", "slot_id", "OUTSIDE_OFFICE_HOURS"),  # 12:00 in Tokyo
        ):
            wanted = booking | {"slot_id": slot, "mode": mode}
            error = refusal(
                await api.post(path, json=wanted, headers=talent), 422, "VALIDATION_FAILED"
            )
            assert field_codes(error) == {field: code}, (slot, mode)
        assert ok(await api.get("/consultations")) == []  # nothing half-written

        made = ok(await api.post(path, json=booking, headers=talent), 201)
        assert made["slot_id"] == slots[1] and made["party_id"] == party
        assert made["online_link"] == "https://meet.example.org/weber"
        start, end = datetime.fromisoformat(made["start"]), datetime.fromisoformat(made["end"])
        assert start == datetime.fromisoformat(at(FIRST_DAY, "09:30"))
        mentor_start = datetime.fromisoformat(made["mentor_start"])
        talent_start = datetime.fromisoformat(made["talent_start"])
        assert (made["mentor_timezone"], mentor_start.hour, mentor_start.minute) == (
            "Asia/Tokyo",
            10,
            30,
        )
        assert (made["talent_timezone"], talent_start.hour, talent_start.minute) == (
            "Europe/Berlin",
            2,
            30,
        )

        # scheduling learns of it (ConsultationBooked): its planner places no meeting then
        async def learned() -> object:
            fair = await state(r).planner.fair(eid)
            return fair.consultations.get(party)

        assert await poll("scheduling told of the consultation", learned) == ((start, end),)

        # ... lists it in the talent's agenda and calendar: the consultation's stable UID,
        # the talent's zone, the mentor's link
        uid = f"UID:{eid}.{made['id']}@boyin"

        async def consultation_item() -> dict[str, object]:
            items = ok(await sched.get(f"/editions/{eid}/agenda", headers=talent))
            [item] = [i for i in items if i["kind"] == "CONSULTATION"]
            return dict(item)

        item = await consultation_item()
        assert (item["id"], item["state"], item["mentor_id"], item["url"]) == (
            made["id"],
            "CONFIRMED",
            m["id"],
            "https://meet.example.org/weber",
        )
        assert datetime.fromisoformat(str(item["start"])) == start

        async def calendar() -> str:
            response = await sched.get(f"/editions/{eid}/agenda.ics", headers=talent)
            assert response.status_code == 200
            return response.text.replace("\r\n ", "")

        ics = await calendar()
        assert uid in ics and f"DTSTART;TZID=Europe/Berlin:{berlin(start)}" in ics
        assert "URL:https://meet.example.org/weber" in ics and "BEGIN:VTIMEZONE" in ics

        # moved by the talent to 10:30 (11:30 in Tokyo): scheduling moves the blocked time,
        # the calendar updates the same event
        later = ok(
            await api.post(
                f"/consultations/{made['id']}/move", json={"slot_id": slots[3]}, headers=talent
            )
        )
        new_start = datetime.fromisoformat(later["start"])
        new_end = datetime.fromisoformat(later["end"])
        assert new_start == datetime.fromisoformat(at(FIRST_DAY, "10:30"))

        async def moved_there() -> bool:
            return await learned() == ((new_start, new_end),)

        await poll("scheduling told of the move", moved_there)
        ics = await calendar()
        assert ics.count(uid) == 1 and "SEQUENCE:2" in ics
        assert f"DTSTART;TZID=Europe/Berlin:{berlin(new_start)}" in ics

        # cancelled by the mentor: the time is free again, the calendar cancels the event
        cancelled = ok(
            await api.post(
                f"/consultations/{made['id']}/cancel",
                json={"reason": "在东京有事 / called away in Tokyo"},
                headers=as_actor(MENTOR),
            )
        )
        assert cancelled["status"] == "CANCELLED"

        async def freed() -> bool:
            fair = await state(r).planner.fair(eid)
            return party not in fair.consultations

        await poll("scheduling told of the cancellation", freed)
        assert (await consultation_item())["state"] == "CANCELLED"
        ics = await calendar()
        assert "STATUS:CANCELLED" in ics and "SEQUENCE:3" in ics and ics.count(uid) == 1
