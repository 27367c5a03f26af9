"""Scheduling and mentors together: a consultation takes its time from the edition's slot
grid, read through scheduling's HTTP API for the talent who books: not from a draft
edition, only a slot in the mentor's office hours (Tokyo, UTC+9, against the fair's
Chongqing, UTC+8)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import httpx

from boyin_mentors.app import mentors_definition
from boyin_mentors.consultations.slots import SchedulingSlots
from boyin_scheduling.app import definition as scheduling
from tests.apps import SECRET, as_actor, running
from tests.mentors.screening_support import FixedRelevance
from tests.mentors.support import MENTOR, TALENT, field_codes, ok, profile_body, refusal
from tests.scheduling.support import FIRST_DAY, edition_body


async def test_a_consultation_in_a_slot_of_schedulings_grid(tmp_path: Path) -> None:
    clients: list[httpx.AsyncClient] = []
    mentors = mentors_definition(
        lambda _: FixedRelevance(), lambda _: SchedulingSlots(lambda: clients[0], SECRET)
    )
    async with running([scheduling, mentors], tmp_path) as r:
        clients.append(r.client("scheduling"))
        api = r.client("mentors")
        # 10:00–11:00 in Tokyo on the fair's first day = 09:00–10:00 in Chongqing
        hours = [{"weekday": FIRST_DAY.weekday(), "start": "10:00", "end": "11:00"}]
        body = profile_body(timezone="Asia/Tokyo", availability=hours)
        m = ok(await api.post("/mentors/apply", json=body, headers=as_actor(MENTOR)), 201)
        ok(await api.post(f"/mentors/{m['id']}/approve"))

        edition = ok(await clients[0].post("/editions", json=edition_body()), 201)
        slots = ok(await clients[0].get(f"/editions/{edition['id']}/slots"))
        first, third = slots[0]["id"], slots[2]["id"]  # 09:00 and 10:00 in Chongqing
        path = f"/mentors/{m['id']}/consultations"
        booking = {"edition_id": edition["id"], "slot_id": first, "mode": "ONLINE"}
        talent = as_actor(TALENT)

        draft = refusal(
            await api.post(path, json=booking, headers=talent), 422, "VALIDATION_FAILED"
        )
        assert field_codes(draft) == {"slot_id": "UNKNOWN_SLOT"}  # a draft is not the talent's
        ok(await clients[0].post(f"/editions/{edition['id']}/open"))
        made = ok(await api.post(path, json=booking, headers=talent), 201)
        assert made["slot_id"] == first
        assert datetime.fromisoformat(made["start"]) == datetime.fromisoformat(slots[0]["start"])
        late = refusal(
            await api.post(path, json=booking | {"slot_id": third}, headers=talent),
            422,
            "VALIDATION_FAILED",
        )
        assert field_codes(late) == {"slot_id": "OUTSIDE_OFFICE_HOURS"}
