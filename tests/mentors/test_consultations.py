"""Consultations: a talent books a mentor in one of scheduling's slots that lies in the
mentor's office hours (their zone), when the talent is free (their meetings, sessions and
blocked windows in scheduling, their other consultations), in a mode that fits (on site
only at the fair, online only with the mentor's link) and under the mentor's daily cap;
each slot of a mentor and of a talent once; refusals are whole, bilingual and name the
field; the mentor records the outcome after it begins and guidance notes the team sees.
Pure domain first, then the service on the embedded store and bus with scheduling stood
in for."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest

from boyin_mentors.app import MentorsState, mentors_definition
from boyin_mentors.consultations.booking import (
    Booked,
    BookingRequest,
    Busy,
    TalentSchedule,
    book,
    in_office_hours,
)
from boyin_mentors.consultations.domain import Consultation
from boyin_mentors.consultations.scheduling import SchedulingAgenda
from boyin_mentors.mentors.domain import Mentor, register
from boyin_mentors.mentors.profile import WindowDraft
from boyin_mentors.peers import PeerClient
from boyin_shared.api.mentors import ConsultationMode, ConsultationStatus
from boyin_shared.contracts.mentors import ConsultationBooked, ConsultationHeld
from boyin_shared.errors import BoyinError
from boyin_shared.identity import Actor, Role
from tests.apps import SECRET
from tests.mentors.consultation_support import FIRST, FixedScheduling, grid, schedule
from tests.mentors.screening_support import FixedRelevance
from tests.mentors.support import (
    DRAFT,
    KNOWN,
    MENTOR,
    OFFICE_HOURS,
    OPERATOR,
    OTHER_MENTOR,
    TALENT,
    ShippedTaxonomy,
    bilingual,
    consultations_of_approved_mentor,
    field_codes,
    mentors_service,
    ok,
    profile_body,
    refusal,
)

#: Tuesdays 09:00–10:00 in Berlin: s0 and s1 of the grid (16:00–17:00 in Chongqing)
HOURS = (WindowDraft(1, "09:00", "10:00"),)
BEFORE = FIRST - timedelta(days=1)
ONLINE, ON_SITE = ConsultationMode.ONLINE, ConsultationMode.ON_SITE
NOTHING_BOOKED = Booked()


def approved(**changes: Any) -> Mentor:
    draft = dataclasses.replace(DRAFT, availability=HOURS, **changes)
    mentor, _ = register(MENTOR, MENTOR.account_id, draft, KNOWN, BEFORE)
    return mentor.approve(OPERATOR, BEFORE)[0]


def booking(
    slot: str = "s0",
    mode: ConsultationMode = ONLINE,
    *,
    mentor: Mentor | None = None,
    talent: TalentSchedule | None = None,
    booked: Booked = NOTHING_BOOKED,
    now: datetime = BEFORE,
    topic: str = "",
) -> tuple[Consultation, object]:
    return book(
        TALENT,
        mentor or approved(),
        BookingRequest("2026", slot, mode, topic),
        talent or schedule(),
        booked,
        now,
    )


def refused(**kwargs: object) -> dict[str, set[str]]:
    """The fields and codes of a booking refused."""
    with pytest.raises(BoyinError) as caught:
        booking(**kwargs)  # type: ignore[arg-type]
    bilingual(caught.value)
    found: dict[str, set[str]] = {}
    for f in caught.value.fields:
        found.setdefault(f.field, set()).add(f.code)
    return found


def test_office_hours_are_the_mentors_in_their_zone() -> None:
    profile = approved().profile
    assert [in_office_hours(s, profile) for s in grid(4)] == [True, True, False, False]


def test_a_talent_books_a_slot_in_office_hours() -> None:
    made, events = booking("s1", topic=" pilot plant ")
    assert (made.party_id, made.slot.id, made.topic, made.status) == (
        "tal_1",
        "s1",
        "pilot plant",
        ConsultationStatus.BOOKED,
    )
    # online: the mentor's link; both zones kept, each shown their own
    assert made.online_link == "https://meet.example.org/weber"
    assert (made.mentor_timezone, made.talent_timezone) == ("Europe/Berlin", "Asia/Shanghai")
    assert isinstance(events, list) and [type(e) for e in events] == [ConsultationBooked]
    assert events[0].data.online_link == made.online_link
    on_site, _ = booking("s1", ON_SITE)
    assert on_site.online_link is None


@pytest.mark.parametrize(
    ("slot", "now", "code"),
    [("s3", BEFORE, "OUTSIDE_OFFICE_HOURS"), ("s9", BEFORE, "UNKNOWN_SLOT"), ("s0", FIRST, "PAST")],
)
def test_a_slot_refused(slot: str, now: datetime, code: str) -> None:
    assert refused(slot=slot, now=now) == {"slot_id": {code}}


def test_the_talent_is_free_then() -> None:
    s0 = grid()[0]
    meeting = Busy(s0.start, s0.end, "MEETING")
    session = Busy(s0.start - timedelta(hours=1), s0.start + timedelta(minutes=10), "SESSION")
    assert refused(talent=schedule(busy=(meeting, session))) == {"slot_id": {"TALENT_BUSY"}}
    blocked = Busy(s0.start, s0.end, "BLOCKED")
    assert refused(talent=schedule(busy=(blocked,))) == {"slot_id": {"TALENT_BUSY"}}
    # another mentor's consultation of the team's at the same time
    other, _ = booking("s0", mentor=approved())
    elsewhere = dataclasses.replace(other, id="con_men_x_s0", mentor_id="men_x")
    assert refused(booked=Booked(talent=[elsewhere])) == {"slot_id": {"TALENT_BUSY"}}
    # a meeting just before, or a held consultation, takes nothing
    before = Busy(s0.start - timedelta(minutes=30), s0.start, "MEETING")
    held = dataclasses.replace(elsewhere, status=ConsultationStatus.HELD)
    booking(talent=schedule(busy=(before,)), booked=Booked(talent=[held]))


def test_the_mode_fits_the_talent_and_the_mentor() -> None:
    assert refused(mode=ON_SITE, talent=schedule(mode=ONLINE)) == {"mode": {"TALENT_ONLINE"}}
    arriving_later = schedule(arrival=grid()[1].start)
    assert refused(mode=ON_SITE, talent=arriving_later) == {"slot_id": {"NOT_AT_THE_FAIR"}}
    gone = schedule(departure=grid()[0].start)
    assert refused(mode=ON_SITE, talent=gone) == {"slot_id": {"NOT_AT_THE_FAIR"}}
    booking(mode=ONLINE, talent=arriving_later)  # online from wherever they are
    no_link = approved(online_link=None)
    assert refused(mentor=no_link) == {"mode": {"NO_ONLINE_LINK"}}
    booking(mode=ON_SITE, mentor=no_link)
    assert refused(talent=schedule(participant=False)) == {"edition_id": {"NOT_A_PARTICIPANT"}}


def test_the_mentors_daily_cap_in_their_zone() -> None:
    mentor = approved(max_consultations_per_day=1)
    first, _ = booking("s0", mentor=mentor)
    assert refused(slot="s1", mentor=mentor, booked=Booked(mentor=[first])) == {
        "slot_id": {"MENTOR_DAY_FULL"}
    }
    # the next day (in Berlin) is another day
    next_week = dataclasses.replace(
        first,
        slot=dataclasses.replace(first.slot, start=FIRST - timedelta(days=1)),
    )
    assert booking("s1", mentor=mentor, booked=Booked(mentor=[next_week]))[0].seat == 1
    # a day's places are numbered: the second that day takes the second seat
    roomier = approved(max_consultations_per_day=2)
    second, _ = booking("s1", mentor=roomier, booked=Booked(mentor=[first]))
    assert (second.seat, first.seat) == (2, 1)
    assert second.mentor_seat == f"{roomier.id}|2026-12-15|2"


def test_every_problem_at_once() -> None:
    busy = Busy(grid()[3].start, grid()[3].end, "MEETING")
    assert refused(
        slot="s3",
        mentor=approved(online_link=None),
        talent=schedule(busy=(busy,)),
        topic="x" * 2001,
    ) == {
        "slot_id": {"OUTSIDE_OFFICE_HOURS", "TALENT_BUSY"},
        "mode": {"NO_ONLINE_LINK"},
        "topic": {"TOO_LONG"},
    }


def test_only_a_talent_books_and_only_an_approved_mentor() -> None:
    with pytest.raises(BoyinError) as caught:
        book(
            OTHER_MENTOR,
            approved(),
            BookingRequest("2026", "s0", ONLINE),
            schedule(),
            Booked(),
            BEFORE,
        )
    assert caught.value.code == "FORBIDDEN"
    suspended, _ = approved().suspend(OPERATOR, BEFORE, "review")
    with pytest.raises(BoyinError) as caught:
        booking(mentor=suspended)
    assert caught.value.code == "MENTOR_NOT_APPROVED"


def test_the_outcome_after_it_begins_and_notes_by_the_mentor() -> None:
    made, _ = booking("s0", ON_SITE)
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
    talent = FixedScheduling(schedule())
    definition = mentors_definition(
        lambda _: FixedRelevance(), lambda _: talent, lambda _: ShippedTaxonomy()
    )
    async with mentors_service(tmp_path, [definition]) as s:
        path = await consultations_of_approved_mentor(s)
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

        # the team is booked then: another mentor is refused, and nothing is written
        second = ok(
            await s.call(
                OTHER_MENTOR, "POST", "/mentors/apply", profile_body(availability=OFFICE_HOURS)
            ),
            201,
        )
        ok(await s.call(OPERATOR, "POST", f"/mentors/{second['id']}/approve"))
        busy = refusal(
            await s.call(TALENT, "POST", f"/mentors/{second['id']}/consultations", body),
            422,
            "VALIDATION_FAILED",
        )
        assert field_codes(busy) == {"slot_id": "TALENT_BUSY"}
        assert len(ok(await s.call(OPERATOR, "GET", "/consultations"))) == 1
        # each side sees the time in their own zone: 09:00 in Berlin, 16:00 in Chongqing
        assert (made["mentor_timezone"], made["talent_timezone"]) == (
            "Europe/Berlin",
            "Asia/Shanghai",
        )
        assert made["mentor_start"].startswith("2026-12-15T09:00:00+01:00")
        assert made["talent_start"].startswith("2026-12-15T16:00:00+08:00")
        assert made["online_link"] == "https://meet.example.org/weber"

        talent.answer = None  # scheduling unavailable: refused, not guessed
        refusal(
            await s.call(other, "POST", path, body | {"slot_id": "s1"}),
            503,
            "SCHEDULING_UNAVAILABLE",
        )


async def test_without_scheduling_a_booking_is_not_guessed() -> None:
    peer = PeerClient(None)  # no address: nothing answers
    assert await SchedulingAgenda(peer, SECRET).for_booking("2026", TALENT) is None
    await peer.aclose()


async def test_the_last_place_of_a_mentors_day_goes_once(tmp_path: Path) -> None:
    """Two bookings racing for a mentor's last place that day: the one that writes second
    finds the seat taken (unique), checks again and is refused; nothing half-written."""
    talent = FixedScheduling(schedule())
    definition = mentors_definition(
        lambda _: FixedRelevance(), lambda _: talent, lambda _: ShippedTaxonomy()
    )
    async with mentors_service(tmp_path, [definition]) as s:
        hours = [{"weekday": 1, "start": "09:00", "end": "10:00"}]
        body = profile_body(availability=hours, max_consultations_per_day=1)
        m = ok(await s.call(MENTOR, "POST", "/mentors/apply", body), 201)
        ok(await s.call(OPERATOR, "POST", f"/mentors/{m['id']}/approve"))
        desk = cast(MentorsState, s.r.hosts["mentors"].app.state.service).consultations
        # the rival's write lands between this booking's reads and its own write (its
        # record unseen by the reads: booked under another account id)
        rival = Consultation(
            id="con_rival",
            mentor_id=m["id"],
            mentor_account_id="acc_unseen",
            party_id="tal_9",
            edition_id="2026",
            slot=grid()[1],
            mode=ONLINE,
            topic="",
            mentor_timezone="Europe/Berlin",
        )
        await desk.consultations.add(rival, [])
        path = f"/mentors/{m['id']}/consultations"
        refusal(
            await s.call(TALENT, "POST", path, {"edition_id": "2026", "slot_id": "s0"}),
            409,
            "MENTOR_DAY_FULL",
        )
        assert [c["id"] for c in ok(await s.call(OPERATOR, "GET", "/consultations"))] == [
            "con_rival"
        ]
