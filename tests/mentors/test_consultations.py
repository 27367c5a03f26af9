"""Consultations: a talent books a mentor in one of scheduling's slots that lies in the
mentor's office hours (their zone), each slot once; refusals are whole and bilingual;
the mentor records the outcome after it begins and guidance notes the team sees. Pure
domain first, then the service on the embedded store and bus with scheduling's slots
stood in for."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from boyin_mentors.app import mentors_definition
from boyin_mentors.consultations.domain import book, in_office_hours
from boyin_mentors.consultations.slots import SchedulingSlots
from boyin_mentors.mentors.domain import Mentor, register
from boyin_mentors.mentors.profile import WindowDraft
from boyin_shared import identity
from boyin_shared.api.mentors import ConsultationMode, ConsultationStatus
from boyin_shared.contracts.mentors import ConsultationBooked, ConsultationHeld
from boyin_shared.errors import BoyinError
from boyin_shared.identity import Actor, Role
from tests.apps import SECRET
from tests.mentors.consultation_support import FIRST, FixedSlots, grid
from tests.mentors.screening_support import FixedRelevance
from tests.mentors.support import (
    DRAFT,
    MENTOR,
    OPERATOR,
    OTHER_MENTOR,
    TALENT,
    bilingual,
    field_codes,
    mentors_service,
    ok,
    profile_body,
    refusal,
)

#: Tuesdays 09:00–10:00 in Berlin: s0 and s1 of the grid (16:00–17:00 in Chongqing)
HOURS = (WindowDraft(1, "09:00", "10:00"),)
BEFORE = FIRST - timedelta(days=1)


def approved() -> Mentor:
    draft = dataclasses.replace(DRAFT, availability=HOURS)
    mentor, _ = register(MENTOR, MENTOR.account_id, draft, set(), BEFORE)
    return mentor.approve(OPERATOR, BEFORE)[0]


def test_office_hours_are_the_mentors_in_their_zone() -> None:
    profile = approved().profile
    assert [in_office_hours(s, profile) for s in grid(4)] == [True, True, False, False]


def test_a_talent_books_a_slot_in_office_hours() -> None:
    made, events = book(
        TALENT, approved(), "2026", "s1", grid(), ConsultationMode.ONLINE, " pilot plant ", BEFORE
    )
    assert (made.party_id, made.slot.id, made.topic, made.status) == (
        "tal_1",
        "s1",
        "pilot plant",
        ConsultationStatus.BOOKED,
    )
    assert [type(e) for e in events] == [ConsultationBooked]


@pytest.mark.parametrize(
    ("slot", "now", "code"),
    [("s3", BEFORE, "OUTSIDE_OFFICE_HOURS"), ("s9", BEFORE, "UNKNOWN_SLOT"), ("s0", FIRST, "PAST")],
)
def test_a_slot_refused(slot: str, now: datetime, code: str) -> None:
    with pytest.raises(BoyinError) as caught:
        book(TALENT, approved(), "2026", slot, grid(), ConsultationMode.ONLINE, "", now)
    assert [(f.field, f.code) for f in caught.value.fields] == [("slot_id", code)]
    bilingual(caught.value)


def test_only_a_talent_books_and_only_an_approved_mentor() -> None:
    with pytest.raises(BoyinError) as caught:
        book(OTHER_MENTOR, approved(), "2026", "s0", grid(), ConsultationMode.ONLINE, "", BEFORE)
    assert caught.value.code == "FORBIDDEN"
    suspended, _ = approved().suspend(OPERATOR, BEFORE, "review")
    with pytest.raises(BoyinError) as caught:
        book(TALENT, suspended, "2026", "s0", grid(), ConsultationMode.ONLINE, "", BEFORE)
    assert caught.value.code == "MENTOR_NOT_APPROVED"


def test_the_outcome_after_it_begins_and_notes_by_the_mentor() -> None:
    made, _ = book(TALENT, approved(), "2026", "s0", grid(), ConsultationMode.ON_SITE, "", BEFORE)
    with pytest.raises(BoyinError) as caught:
        made.record_outcome(MENTOR, ConsultationStatus.HELD, BEFORE)
    assert caught.value.code == "TOO_EARLY"
    with pytest.raises(BoyinError) as caught:
        made.add_note(TALENT, "thanks", FIRST)
    assert caught.value.code == "FORBIDDEN"
    held, events = made.record_outcome(MENTOR, ConsultationStatus.HELD, FIRST)
    assert isinstance(events[0], ConsultationHeld) and held.status is ConsultationStatus.HELD
    with pytest.raises(BoyinError) as caught:
        held.record_outcome(OPERATOR, ConsultationStatus.MISSED, FIRST)
    assert caught.value.code == "ALREADY_RECORDED"
    noted, _ = held.add_note(MENTOR, "Talk to the Liangjiang pilot base.", FIRST)
    assert [n.text for n in noted.notes] == ["Talk to the Liangjiang pilot base."]


async def test_booking_through_the_api(tmp_path: Path) -> None:
    slots = FixedSlots(grid())
    definition = mentors_definition(lambda _: FixedRelevance(), lambda _: slots)
    async with mentors_service(tmp_path, [definition]) as s:
        hours = [{"weekday": 1, "start": "09:00", "end": "10:00"}]
        m = ok(
            await s.call(MENTOR, "POST", "/mentors/apply", profile_body(availability=hours)), 201
        )
        ok(await s.call(OPERATOR, "POST", f"/mentors/{m['id']}/approve"))
        path = f"/mentors/{m['id']}/consultations"
        body = {"edition_id": "2026", "slot_id": "s0", "topic": "landing in Chongqing"}
        made = ok(await s.call(TALENT, "POST", path, body), 201)
        assert (made["slot_id"], made["status"], made["mode"]) == ("s0", "BOOKED", "ONLINE")
        other = Actor("acc_t2", Role.TALENT, party_id="tal_2")
        refusal(await s.call(other, "POST", path, body), 409, "SLOT_TAKEN")
        error = refusal(
            await s.call(other, "POST", path, body | {"slot_id": "s5"}), 422, "VALIDATION_FAILED"
        )
        assert field_codes(error) == {"slot_id": "OUTSIDE_OFFICE_HOURS"}
        assert len(await s.until_published(ConsultationBooked, 1)) == 1

        assert [c["id"] for c in ok(await s.call(TALENT, "GET", "/consultations"))] == [made["id"]]
        assert ok(await s.call(other, "GET", "/consultations")) == []
        assert len(ok(await s.call(MENTOR, "GET", "/consultations"))) == 1
        refusal(await s.call(other, "GET", f"/consultations/{made['id']}"), 404, "NOT_FOUND")
        noted = ok(
            await s.call(
                MENTOR, "POST", f"/consultations/{made['id']}/notes", {"text": "Meet the fund."}
            )
        )
        assert [n["text"] for n in noted["notes"]] == ["Meet the fund."]
        seen = ok(await s.call(TALENT, "GET", f"/consultations/{made['id']}"))
        assert seen["notes"] == noted["notes"]  # the team sees the guidance

        slots.slots = None  # scheduling unavailable: refused, not guessed
        refusal(
            await s.call(other, "POST", path, body | {"slot_id": "s1"}),
            503,
            "SCHEDULING_UNAVAILABLE",
        )


async def test_the_slots_client_reads_schedulings_grid() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/editions/2026/slots":
            start, end = FIRST.isoformat(), (FIRST + timedelta(minutes=30)).isoformat()
            return httpx.Response(
                200, json=[{"id": "s0", "day": "2026-12-15", "start": start, "end": end}]
            )
        if request.url.path == "/editions/nope/slots":
            return httpx.Response(
                404, json={"error": {"code": "NOT_FOUND", "message": {"zh": "无", "en": "no"}}}
            )
        return httpx.Response(500)

    client = httpx.AsyncClient(base_url="http://scheduling", transport=httpx.MockTransport(answer))
    slots = SchedulingSlots(lambda: client, SECRET)
    assert [s.id for s in await slots.of("2026", TALENT) or []] == ["s0"]
    assert await slots.of("nope", TALENT) == []
    assert await slots.of("broken", TALENT) is None
    (asked,) = {identity.verify(r.headers[identity.HEADER], SECRET) for r in seen}
    assert asked == TALENT  # scheduling decides what the talent may see
    await client.aclose()
