"""Cancelling and moving a consultation: the pure rules first (who, when, a reason, a move
checked as a booking is), then the service on the embedded store and bus with scheduling
stood in for (the round trip into scheduling is ``tests/scheduling/test_consultation_agenda.py``)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import cast

import pytest

from boyin_mentors.app import mentors_definition
from boyin_mentors.consultations.booking import Booked, Busy, move
from boyin_mentors.consultations.domain import Consultation
from boyin_shared.api.mentors import ConsultationStatus
from boyin_shared.contracts.mentors import (
    ConsultationBooked,
    ConsultationCancelled,
    ConsultationMoved,
)
from boyin_shared.errors import BoyinError
from boyin_shared.identity import Actor, Role
from tests.mentors.consultation_support import FIRST, FixedScheduling, grid, schedule
from tests.mentors.screening_support import FixedRelevance
from tests.mentors.support import (
    MENTOR,
    OPERATOR,
    OTHER_MENTOR,
    TALENT,
    ShippedTaxonomy,
    bilingual,
    consultations_of_approved_mentor,
    field_codes,
    mentors_service,
    ok,
    refusal,
)
from tests.mentors.test_consultations import BEFORE, ON_SITE, ONLINE, approved, booking

STRANGER = Actor("acc_t2", Role.TALENT, party_id="tal_2")


def refusal_of(call: object) -> BoyinError:
    with pytest.raises(BoyinError) as caught:
        call()  # type: ignore[operator]
    bilingual(caught.value)
    return caught.value


def codes(error: BoyinError) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for f in error.fields:
        found.setdefault(f.field, set()).add(f.code)
    return found


@pytest.mark.parametrize(
    ("actor", "side"), [(TALENT, "TALENT"), (MENTOR, "MENTOR"), (OPERATOR, "OPERATOR")]
)
def test_cancelled_by_its_talent_its_mentor_or_staff(actor: Actor, side: str) -> None:
    made, _ = booking("s0")
    cancelled, events = made.cancel(actor, "  flight delayed ", BEFORE)
    assert (cancelled.status, cancelled.cancelled_by, cancelled.cancel_reason) == (
        ConsultationStatus.CANCELLED,
        side,
        "flight delayed",
    )
    assert cancelled.revision == made.revision + 1
    [event] = events
    assert isinstance(event, ConsultationCancelled)
    assert (event.sequence, event.data.reason, event.data.cancelled_by) == (
        2,
        "flight delayed",
        side,
    )
    # its keys are its own now: the talent's slot, the mentor's and the seat are free
    keys = {cancelled.talent_slot, cancelled.mentor_slot, cancelled.mentor_seat}
    assert keys == {f"cancelled|{made.id}"}
    assert made.mentor_slot not in keys and made.talent_slot not in keys


def test_a_cancellation_is_refused_naming_the_field() -> None:
    made, _ = booking("s0")
    assert refusal_of(lambda: made.cancel(STRANGER, "x", BEFORE)).code == "FORBIDDEN"
    assert refusal_of(lambda: made.cancel(OTHER_MENTOR, "x", BEFORE)).code == "FORBIDDEN"
    assert codes(refusal_of(lambda: made.cancel(TALENT, "  ", BEFORE))) == {"reason": {"REQUIRED"}}
    too_long = refusal_of(lambda: made.cancel(TALENT, "x" * 501, BEFORE))
    assert codes(too_long) == {"reason": {"TOO_LONG"}}
    begun = refusal_of(lambda: made.cancel(TALENT, "late", FIRST))
    assert (begun.code, begun.status) == ("ALREADY_BEGUN", 409)
    cancelled, _ = made.cancel(TALENT, "ill", BEFORE)
    assert refusal_of(lambda: cancelled.cancel(OPERATOR, "again", BEFORE)).code == "NOT_BOOKED"
    held, _ = made.record_outcome(MENTOR, ConsultationStatus.HELD, FIRST)
    assert refusal_of(lambda: held.cancel(OPERATOR, "x", BEFORE)).code == "NOT_BOOKED"


def moved(
    made: Consultation, slot: str, actor: Actor = TALENT, **kwargs: object
) -> tuple[Consultation, list[object]]:
    mentor = kwargs.pop("mentor", None) or approved()
    talent = kwargs.pop("talent", None) or schedule()
    booked = kwargs.pop("booked", None) or Booked(talent=[made], mentor=[made])
    now = kwargs.pop("now", BEFORE)
    changed, events = move(actor, made, mentor, slot, talent, booked, now)  # type: ignore[arg-type]
    return changed, list(events)


def test_moved_to_another_slot_in_office_hours() -> None:
    made, _ = booking("s0")
    after, events = moved(made, "s1", MENTOR)
    assert (after.id, after.slot.id, after.status, after.revision) == (
        made.id,
        "s1",
        ConsultationStatus.BOOKED,
        2,
    )
    # its own old slot is no obstacle, and it keeps its seat of the day
    assert after.seat == 1 and after.mentor_slot.endswith("|s1")
    [event] = events
    assert isinstance(event, ConsultationMoved)
    assert (event.data.from_slot_id, event.data.slot_id, event.sequence) == ("s0", "s1", 2)
    assert event.data.online_link == made.online_link and event.data.start == grid()[1].start


def test_a_move_is_checked_as_a_booking_is() -> None:
    made, _ = booking("s0", ON_SITE)
    assert codes(refusal_of(lambda: moved(made, "s3"))) == {"slot_id": {"OUTSIDE_OFFICE_HOURS"}}
    assert codes(refusal_of(lambda: moved(made, "s9"))) == {"slot_id": {"UNKNOWN_SLOT"}}
    assert codes(refusal_of(lambda: moved(made, "s0"))) == {"slot_id": {"SAME_SLOT"}}
    # the talent's agenda: a meeting then
    meeting = Busy(grid()[1].start, grid()[1].end, "MEETING")
    busy = refusal_of(lambda: moved(made, "s1", talent=schedule(busy=(meeting,))))
    assert codes(busy) == {"slot_id": {"TALENT_BUSY"}}
    # the mode: on site, for a talent who now takes part online
    online = refusal_of(lambda: moved(made, "s1", talent=schedule(mode=ONLINE)))
    assert codes(online) == {"mode": {"TALENT_ONLINE"}}
    # the mentor's day: full with another consultation (this one set aside)
    mentor = approved(max_consultations_per_day=1)
    other = dataclasses.replace(made, id="con_other", slot=grid()[1], party_id="tal_9")
    full = refusal_of(
        lambda: moved(made, "s1", mentor=mentor, booked=Booked(talent=[made], mentor=[made, other]))
    )
    assert codes(full) == {"slot_id": {"MENTOR_DAY_FULL"}}
    # a stranger may not; begun, it may not be moved
    assert refusal_of(lambda: moved(made, "s1", STRANGER)).code == "FORBIDDEN"
    assert refusal_of(lambda: moved(made, "s1", now=FIRST)).code == "ALREADY_BEGUN"


def test_a_cancelled_consultation_leaves_its_place_of_the_day() -> None:
    mentor = approved(max_consultations_per_day=1)
    first, _ = booking("s0", mentor=mentor)
    cancelled, _ = first.cancel(MENTOR, "ill", BEFORE)
    again, _ = booking("s1", mentor=mentor, booked=Booked(mentor=[cancelled]))
    assert again.seat == 1 and again.mentor_seat == first.mentor_seat


async def test_cancelling_and_moving_through_the_api(tmp_path: Path) -> None:
    talent = FixedScheduling(schedule())
    definition = mentors_definition(
        lambda _: FixedRelevance(), lambda _: talent, lambda _: ShippedTaxonomy()
    )
    async with mentors_service(tmp_path, [definition]) as s:
        path = await consultations_of_approved_mentor(s)
        body = {"edition_id": "2026", "slot_id": "s0", "topic": "landing"}
        made = ok(await s.call(TALENT, "POST", path, body), 201)
        other = ok(await s.call(STRANGER, "POST", path, body | {"slot_id": "s1"}), 201)

        # moved onto the other talent's slot of the mentor: refused whole, nothing written
        refusal(
            await s.call(TALENT, "POST", f"/consultations/{made['id']}/move", {"slot_id": "s1"}),
            409,
            "SLOT_TAKEN",
        )
        outside = refusal(
            await s.call(TALENT, "POST", f"/consultations/{made['id']}/move", {"slot_id": "s4"}),
            422,
            "VALIDATION_FAILED",
        )
        assert field_codes(outside) == {"slot_id": "OUTSIDE_OFFICE_HOURS"}
        assert ok(await s.call(TALENT, "GET", f"/consultations/{made['id']}"))["slot_id"] == "s0"

        # the mentor cancels the other one: its slot is free, and the talent moves there
        no_reason = refusal(
            await s.call(MENTOR, "POST", f"/consultations/{other['id']}/cancel", {"reason": ""}),
            422,
            "VALIDATION_FAILED",
        )
        assert field_codes(no_reason) == {"reason": "REQUIRED"}
        refusal(
            await s.call(TALENT, "POST", f"/consultations/{other['id']}/cancel", {"reason": "x"}),
            404,
            "NOT_FOUND",
        )
        gone = ok(
            await s.call(
                MENTOR, "POST", f"/consultations/{other['id']}/cancel", {"reason": "travelling"}
            )
        )
        assert (gone["status"], gone["cancelled_by"], gone["cancel_reason"]) == (
            "CANCELLED",
            "MENTOR",
            "travelling",
        )
        there = ok(
            await s.call(TALENT, "POST", f"/consultations/{made['id']}/move", {"slot_id": "s1"})
        )
        assert (there["id"], there["slot_id"], there["status"]) == (made["id"], "s1", "BOOKED")
        # the talent asked scheduling as itself; an operator moving asks for the talent
        assert talent.asked[-1:] == [(TALENT.account_id, None)]
        back = ok(
            await s.call(OPERATOR, "POST", f"/consultations/{made['id']}/move", {"slot_id": "s0"})
        )
        assert back["slot_id"] == "s0" and talent.asked[-1:] == [(OPERATOR.account_id, "tal_1")]
        # and the freed slot s1 can be booked again by the other talent
        again = ok(await s.call(STRANGER, "POST", path, body | {"slot_id": "s1"}), 201)
        assert again["id"] != other["id"]

        assert len(await s.until_published(ConsultationBooked, 3)) == 3
        assert len(await s.until_published(ConsultationCancelled, 1)) == 1
        moves = [cast(ConsultationMoved, e) for e in await s.until_published(ConsultationMoved, 2)]
        assert [(e.data.from_slot_id, e.data.slot_id) for e in moves] == [
            ("s0", "s1"),
            ("s1", "s0"),
        ]
        assert [e.sequence for e in moves] == [2, 3]
