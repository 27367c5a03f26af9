"""Bad input is refused with the field, a code and a message in both languages."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from boyin_scheduling.solver.model import (
    Instance,
    Interval,
    Mode,
    Placement,
    Schedule,
    Session,
    Slot,
    Table,
)
from boyin_scheduling.solver.problem import build_problem, with_request
from boyin_scheduling.solver.tables import plan_from_schedule
from boyin_shared.errors import BoyinError, FieldError
from tests.scheduling.solver_support import at, grid, org, request, talent


def base() -> Instance:
    return Instance(
        grid(n_slots=4, n_tables=2),
        (talent("t1"), talent("t2", online_only=True, timezone="Asia/Tokyo"), org("o1")),
        (request("r1", "t1", "o1"), request("r2", "t2", "o1", mode=Mode.ONLINE)),
    )


def refused(instance: Instance) -> list[FieldError]:
    with pytest.raises(BoyinError) as info:
        build_problem(instance)
    error = info.value
    assert error.code == "VALIDATION_FAILED"
    assert error.status == 422
    for f in error.fields:
        assert f.message.zh and f.message.en and f.code and f.field
    return error.fields


def only(fields: list[FieldError], code: str) -> FieldError:
    hits = [f for f in fields if f.code == code]
    assert len(hits) == 1, fields
    return hits[0]


def test_the_base_instance_is_accepted() -> None:
    problem = build_problem(base())
    assert problem.n_requests == 2
    assert problem.feasible.any(axis=1).all()


def test_overlapping_slots() -> None:
    inst = base()
    slots = list(inst.edition.slots)
    slots[2] = replace(slots[2], start=slots[1].start + timedelta(minutes=10))
    fields = refused(replace(inst, edition=replace(inst.edition, slots=tuple(slots))))
    hit = only(fields, "OVERLAP")
    assert hit.field == "edition.slots.2.start"
    assert "overlaps" in hit.message.en and "重叠" in hit.message.zh


def test_a_slot_outside_the_editions_dates() -> None:
    inst = base()
    late = Slot("late", inst.edition.last_day + timedelta(days=3), at(9, 0, 3), at(9, 30, 3))
    edition = replace(inst.edition, slots=(*inst.edition.slots, late))
    hit = only(refused(replace(inst, edition=edition)), "OUTSIDE_EDITION")
    assert hit.field == "edition.slots.4.day"
    assert "outside the edition" in hit.message.en


def test_a_slot_whose_day_does_not_match_its_time() -> None:
    inst = base()
    slots = list(inst.edition.slots)
    slots[0] = replace(slots[0], day=slots[0].day + timedelta(days=1))
    edition = replace(inst.edition, slots=tuple(slots), last_day=slots[0].day)
    assert only(refused(replace(inst, edition=edition)), "DAY_MISMATCH").field == (
        "edition.slots.0.day"
    )


def test_a_table_that_does_not_exist() -> None:
    inst = base()
    slots = list(inst.edition.slots)
    slots[1] = replace(slots[1], tables=frozenset({1, 7}))
    hit = only(
        refused(replace(inst, edition=replace(inst.edition, slots=tuple(slots)))),
        "UNKNOWN_TABLE",
    )
    assert hit.field == "edition.slots.1.tables"
    assert "7" in hit.message.en


def test_a_placement_at_a_table_that_does_not_exist_or_in_an_unknown_slot() -> None:
    problem = build_problem(base())
    schedule = Schedule((Placement("r1", "d1s1", 9), Placement("r2", "d9s9", None)))
    with pytest.raises(BoyinError) as info:
        plan_from_schedule(problem, schedule)
    codes = {(f.field, f.code) for f in info.value.fields}
    assert codes == {
        ("schedule.placements.0.table", "UNKNOWN_TABLE"),
        ("schedule.placements.1.slot_id", "OUTSIDE_EDITION"),
    }


def test_a_booth_of_nobody_or_of_a_talent() -> None:
    inst = base()
    tables = (Table(1, booth_of="ghost"), Table(2, booth_of="t1"))
    fields = refused(replace(inst, edition=replace(inst.edition, tables=tables)))
    assert only(fields, "UNKNOWN_PARTICIPANT").field == "edition.tables.0.booth_of"
    assert only(fields, "NOT_AN_ORGANISATION").field == "edition.tables.1.booth_of"


def test_availability_ending_before_it_starts() -> None:
    inst = base()
    t1 = replace(inst.participants[0], arrival=at(12), departure=at(10))
    o1 = replace(inst.participants[2], blocked=(Interval(at(11), at(10, 30)),))
    fields = refused(replace(inst, participants=(t1, inst.participants[1], o1)))
    codes = {(f.field, f.code) for f in fields}
    assert ("participants.0.departure", "END_BEFORE_START") in codes
    assert ("participants.2.blocked.0.end", "END_BEFORE_START") in codes


def test_times_without_a_time_zone_and_unknown_zones() -> None:
    inst = base()
    naive = datetime(2026, 10, 31, 10, 0)
    t1 = replace(inst.participants[0], arrival=naive, timezone="Mars/Olympus")
    fields = refused(replace(inst, participants=(t1, *inst.participants[1:])))
    assert only(fields, "NAIVE_DATETIME").field == "participants.0.arrival"
    assert only(fields, "UNKNOWN_TIME_ZONE").field == "participants.0.timezone"


def test_bad_requests_are_all_reported_at_once() -> None:
    inst = base()
    requests = (
        request("r1", "t1", "nobody"),
        request("r2", "t2", "o1"),  # t2 is online only, the request on site
        request("r3", "o1", "o1"),
        request("r3", "t1", "o1", weight=-1),
    )
    fields = refused(replace(inst, requests=requests))
    codes = {(f.field, f.code) for f in fields}
    assert codes == {
        ("requests.0.b", "UNKNOWN_PARTICIPANT"),
        ("requests.1.mode", "ONLINE_ONLY"),
        ("requests.2.b", "SAME_PARTICIPANT"),
        ("requests.3", "DUPLICATE"),
        ("requests.3.weight", "NEGATIVE"),
    }


def test_an_added_request_is_checked_like_the_others() -> None:
    problem = build_problem(base())
    with pytest.raises(BoyinError) as info:
        with_request(problem, request("r1", "t1", "ghost"))
    codes = {(f.field, f.code) for f in info.value.fields}
    assert codes == {("request.b", "UNKNOWN_PARTICIPANT"), ("request.id", "DUPLICATE")}


def test_an_unknown_session() -> None:
    inst = base()
    t1 = replace(inst.participants[0], sessions=("keynote",))
    hit = only(refused(replace(inst, participants=(t1, *inst.participants[1:]))), "UNKNOWN_SESSION")
    assert hit.field == "participants.0.sessions.0"


def test_availability_sessions_and_local_hours_decide_the_feasible_slots() -> None:
    edition = grid(n_slots=4, n_tables=1, sessions=(Session("roadshow", at(9, 30), at(10, 0)),))
    inst = Instance(
        edition,
        (
            talent("late", arrival=at(9, 30)),
            talent("early", departure=at(10, 0)),
            talent("presenter", sessions=("roadshow",)),
            talent("busy", blocked=(Interval(at(10, 15), at(10, 45)),)),
            talent("sf", online_only=True, timezone="America/Los_Angeles"),
            org("o1"),
        ),
        (
            request("r-late", "late", "o1"),
            request("r-early", "early", "o1"),
            request("r-presenter", "presenter", "o1"),
            request("r-busy", "busy", "o1"),
            request("r-sf", "sf", "o1", mode=Mode.ONLINE),
        ),
    )
    problem = build_problem(inst)
    # slots: 09:00, 09:30, 10:00, 10:30 in Shanghai; San Francisco is 15 h behind (PDT)
    # on 31 Oct: 18:00, 18:30, 19:00, 19:30 the day before, all within 08:00-22:00
    assert problem.feasible.tolist() == [
        [False, True, True, True],
        [True, True, False, False],
        [True, False, True, True],
        [True, True, False, False],
        [True, True, True, True],
    ]
