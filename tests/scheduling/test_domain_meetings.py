"""Meeting requests: who may answer, cancel and record an outcome, and how a place given
by the scheduler turns into events (plain domain, no I/O)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from boyin_scheduling.meetings.domain import Meeting, Party, Place
from boyin_shared.api.scheduling import MeetingOutcome, MeetingSource, MeetingStatus
from boyin_shared.contracts.scheduling import MeetingChange
from boyin_shared.errors import BoyinError
from boyin_shared.identity import Actor, Role

TZ = ZoneInfo("Asia/Shanghai")
NINE = datetime(2030, 12, 12, 9, tzinfo=TZ)
TALENT = Actor(account_id="acc_t", role=Role.TALENT, party_id="tal_1")
ORG = Actor(account_id="acc_o", role=Role.ORGANISATION, party_id="org_1")
STRANGER = Actor(account_id="acc_x", role=Role.TALENT, party_id="tal_9")
OPERATOR = Actor(account_id="acc_op", role=Role.OPERATOR)


def request(status: MeetingStatus = MeetingStatus.REQUESTED) -> Meeting:
    return Meeting(
        id="mt_1",
        edition_id="ed_1",
        requester=Party("talent", "tal_1"),
        invitee=Party("organisation", "org_1"),
        source=MeetingSource.DIRECT,
        status=status,
    )


def place(hour: int = 9, table: int | None = 3, version: int = 1) -> Place:
    start = NINE.replace(hour=hour)
    return Place(f"2030-12-12T{hour:02d}:00", start, start + timedelta(minutes=30), table, version)


def scheduled(hour: int = 9) -> Meeting:
    m, _ = request(MeetingStatus.ACCEPTED).placed(place(hour), 1)
    return m


def refused(code: str, status: int = 409) -> pytest.RaisesExc[BoyinError]:
    return pytest.raises(BoyinError, check=lambda e: (e.code, e.status) == (code, status))


# -- answers -----------------------------------------------------------------------------


def test_only_the_invitee_answers() -> None:
    with refused("FORBIDDEN", 403):
        request().answer(TALENT, True, None)
    with refused("FORBIDDEN", 403):
        request().answer(STRANGER, True, None)
    m, [event] = request().answer(ORG, True, "gladly")
    assert m.status is MeetingStatus.ACCEPTED and m.revision == 2
    assert event.type == "boyin.scheduling.meeting.accepted" and event.sequence == 2
    assert isinstance(event.data, MeetingChange)
    assert (event.data.by_role, event.data.reason) == ("ORGANISATION", "gladly")


def test_staff_may_answer_for_the_invitee() -> None:
    m, [event] = request().answer(OPERATOR, False, None)
    assert m.status is MeetingStatus.DECLINED and event.type == "boyin.scheduling.meeting.declined"


def test_an_answer_is_given_once() -> None:
    accepted, _ = request().answer(ORG, True, None)
    same, events = accepted.answer(ORG, True, None)
    assert same is accepted and events == []
    with pytest.raises(BoyinError) as again:
        accepted.answer(ORG, False, None)
    assert again.value.code == "ALREADY_ANSWERED"
    assert again.value.message.zh and "accepted" in again.value.message.en


# -- cancelling ---------------------------------------------------------------------------


def test_either_side_or_staff_cancels_and_the_place_is_kept_for_the_calendars() -> None:
    # the timetable frees the slot (repair); the meeting remembers where it was, so
    # agendas and calendar feeds can show it as cancelled
    for actor in (TALENT, ORG, OPERATOR):
        m, [event] = scheduled().cancel(actor, "ill")
        assert m.status is MeetingStatus.CANCELLED and m.place == scheduled().place
        assert event.type == "boyin.scheduling.meeting.cancelled"
        assert isinstance(event.data, MeetingChange) and event.data.reason == "ill"
    with refused("FORBIDDEN", 403):
        scheduled().cancel(STRANGER, None)


def test_cancelling_twice_is_harmless_but_declined_or_finished_meetings_stay() -> None:
    cancelled, _ = request().cancel(TALENT, None)
    again, events = cancelled.cancel(TALENT, None)
    assert again is cancelled and events == []
    declined, _ = request().answer(ORG, False, None)
    with refused("CANNOT_CANCEL"):
        declined.cancel(TALENT, None)
    held, _ = scheduled().record_outcome(ORG, True, (), NINE)
    with refused("CANNOT_CANCEL"):
        held.cancel(OPERATOR, None)


# -- outcomes -----------------------------------------------------------------------------


def test_an_outcome_only_after_the_meeting_began() -> None:
    with refused("NOT_SCHEDULED"):
        request(MeetingStatus.ACCEPTED).record_outcome(ORG, True, (), NINE)
    m = scheduled(10)
    with refused("NOT_STARTED"):
        m.record_outcome(ORG, True, (), NINE.replace(hour=9, minute=59))
    held, [event] = m.record_outcome(ORG, True, (), NINE.replace(hour=10))
    assert held.outcome is MeetingOutcome.HELD and event.type == "boyin.scheduling.meeting.held"
    with refused("FORBIDDEN", 403):
        m.record_outcome(STRANGER, True, (), NINE.replace(hour=11))


def test_a_no_show_names_the_absent_side() -> None:
    m = scheduled()
    later = NINE + timedelta(hours=1)
    with refused("BAD_OUTCOME"):
        m.record_outcome(TALENT, False, (), later)
    with refused("BAD_OUTCOME"):
        m.record_outcome(TALENT, False, ("tal_9",), later)
    with refused("BAD_OUTCOME"):
        m.record_outcome(TALENT, True, ("org_1",), later)
    absent, [event] = m.record_outcome(TALENT, False, ("org_1",), later)
    assert absent.outcome is MeetingOutcome.NO_SHOW and absent.absent == ("org_1",)
    assert event.type == "boyin.scheduling.meeting.no_show"
    assert isinstance(event.data, MeetingChange) and event.data.absent == ("org_1",)
    same, none = absent.record_outcome(OPERATOR, False, ("org_1",), later)
    assert same is absent and none == []


# -- places ---------------------------------------------------------------------------------


def test_placed_says_scheduled_then_rescheduled_then_nothing_for_the_same_place() -> None:
    m = request(MeetingStatus.ACCEPTED)
    first, [e1] = m.placed(place(9, 3, 1), 1)
    assert e1.type == "boyin.scheduling.meeting.scheduled"
    assert first.place == place(9, 3, 1) and first.synced_version == 1
    assert isinstance(e1.data, MeetingChange)
    assert e1.data.meeting.place is not None and e1.data.meeting.place.table == 3
    assert e1.data.previous_place is None and e1.data.by_role == "SERVICE"

    moved, [e2] = first.placed(place(10, 3, 2), 2)
    assert e2.type == "boyin.scheduling.meeting.rescheduled"
    assert isinstance(e2.data, MeetingChange)
    assert (
        e2.data.previous_place is not None and e2.data.previous_place.slot_id == "2030-12-12T09:00"
    )
    assert e2.data.meeting.place is not None and e2.data.meeting.place.slot_id == "2030-12-12T10:00"
    assert e1.sequence is not None and e2.sequence == moved.revision > e1.sequence

    same, none = moved.placed(place(10, 3, 3), 3)
    assert none == [] and same.synced_version == 3 and same.revision == moved.revision
    again, none = same.placed(place(10, 3, 3), 3)
    assert none == [] and again == same


def test_another_table_in_the_same_slot_is_a_move() -> None:
    first, _ = request(MeetingStatus.ACCEPTED).placed(place(9, 3), 1)
    _, [event] = first.placed(place(9, 4, 2), 2)
    assert event.type == "boyin.scheduling.meeting.rescheduled"


def test_losing_the_place_is_a_reschedule_without_a_place() -> None:
    first, _ = request(MeetingStatus.ACCEPTED).placed(place(), 1)
    dropped, [event] = first.placed(None, 2)
    assert dropped.place is None and event.type == "boyin.scheduling.meeting.rescheduled"
    assert isinstance(event.data, MeetingChange) and event.data.meeting.place is None
    never, none = request(MeetingStatus.ACCEPTED).placed(None, 2)
    assert none == [] and never.synced_version == 2


@pytest.mark.parametrize(
    "status", [MeetingStatus.REQUESTED, MeetingStatus.DECLINED, MeetingStatus.CANCELLED]
)
def test_only_an_accepted_meeting_gets_a_place(status: MeetingStatus) -> None:
    m, events = request(status).placed(place(), 4)
    assert events == [] and m.place is None and m.synced_version == 4


def test_a_finished_meeting_keeps_its_place() -> None:
    held, _ = scheduled().record_outcome(ORG, True, (), NINE)
    kept, events = held.placed(place(11, 1, 2), 2)
    assert events == [] and kept.place == held.place


def test_creation_events_follow_the_source() -> None:
    [requested] = request().created(TALENT)
    assert requested.type == "boyin.scheduling.meeting.requested"
    match = dataclasses.replace(
        request(MeetingStatus.ACCEPTED), source=MeetingSource.MATCH, match_id="m_1"
    )
    [accepted] = match.created(OPERATOR)
    assert accepted.type == "boyin.scheduling.meeting.accepted"
    assert isinstance(accepted.data, MeetingChange) and accepted.data.meeting.match_id == "m_1"
