"""An edition's slot grid and the checks of what an operator sets (plain domain, no I/O)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from boyin_scheduling.editions.domain import (
    Break,
    Edition,
    EditionPlan,
    FairDay,
    Room,
    TableSpec,
    check_plan,
    grid,
)
from boyin_scheduling.rules import Text
from boyin_shared.api.scheduling import EditionStatus
from boyin_shared.errors import BoyinError, FieldError

D1 = date(2030, 12, 12)
D2 = date(2030, 12, 13)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def plan(**changes: object) -> EditionPlan:
    base = EditionPlan(
        name=Text("离岸创新创业项目洽谈会", "Offshore Innovation Fair"),
        timezone="Asia/Shanghai",
        first_day=D1,
        last_day=D2,
        slot_minutes=30,
        days=(
            FairDay(D1, time(9), time(17), (Break(time(12), time(13, 30)),)),
            FairDay(D2, time(9), time(12)),
        ),
        rooms=(Room("hall-a", Text("A 厅", "Hall A")),),
        tables=(TableSpec(1, "hall-a"), TableSpec(2, "hall-a"), TableSpec(3)),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def field_errors(p: EditionPlan) -> list[FieldError]:
    with pytest.raises(BoyinError) as caught:
        check_plan(p)
    assert caught.value.code == "VALIDATION_FAILED" and caught.value.status == 422
    return caught.value.fields


def only(p: EditionPlan) -> FieldError:
    [e] = field_errors(p)
    assert e.message.zh and e.message.en, e
    assert any("\u4e00" <= c <= "\u9fff" for c in e.message.zh), e.message.zh
    assert e.message.en.isascii(), e.message.en
    return e


# -- the grid --------------------------------------------------------------------------


def test_the_grid_leaves_out_breaks_and_stops_at_the_end_of_each_day() -> None:
    slots = grid(plan())
    ids = [s.id for s in slots]
    day1 = [f"2030-12-12T{h}" for h in ("09:00", "09:30", "10:00", "10:30", "11:00", "11:30")]
    day1 += [
        f"2030-12-12T{h}" for h in ("13:30", "14:00", "14:30", "15:00", "15:30", "16:00", "16:30")
    ]
    day2 = [f"2030-12-13T{h}" for h in ("09:00", "09:30", "10:00", "10:30", "11:00", "11:30")]
    assert ids == day1 + day2
    for s in slots:
        assert s.end - s.start == timedelta(minutes=30)
        assert s.start.tzinfo is not None and s.start.utcoffset() == timedelta(hours=8)
        assert s.day == s.start.date()
    # nothing overlaps the lunch break, nothing runs past the day's end
    lunch = (
        datetime(2030, 12, 12, 12, tzinfo=SHANGHAI),
        datetime(2030, 12, 12, 13, 30, tzinfo=SHANGHAI),
    )
    assert not [s for s in slots if s.start < lunch[1] and lunch[0] < s.end]
    assert slots[12].end == datetime(2030, 12, 12, 17, tzinfo=SHANGHAI)


def test_a_break_off_the_grid_resumes_when_it_ends_and_a_short_tail_is_dropped() -> None:
    day = FairDay(D1, time(9), time(11, 50), (Break(time(9, 40), time(10, 5)),))
    slots = grid(plan(days=(day,), last_day=D1))
    # 09:30 would overlap the break: the next slot starts when it is over; 11:35 would end
    # after 11:50
    assert [s.id for s in slots] == [
        "2030-12-12T09:00",
        "2030-12-12T10:05",
        "2030-12-12T10:35",
        "2030-12-12T11:05",
    ]


@pytest.mark.parametrize(("minutes", "count"), [(15, 12), (20, 9), (30, 6)])
def test_the_slot_length_sets_the_step(minutes: int, count: int) -> None:
    day = FairDay(D1, time(9), time(12))
    slots = grid(plan(days=(day,), last_day=D1, slot_minutes=minutes))
    assert len(slots) == count
    assert all(s.end - s.start == timedelta(minutes=minutes) for s in slots)
    assert slots[-1].end <= datetime(2030, 12, 12, 12, tzinfo=SHANGHAI)
    check_plan(plan(slot_minutes=minutes))  # 15 and 30 are both allowed


@pytest.mark.parametrize("minutes", [14, 31, 0, 60])
def test_a_slot_length_outside_15_to_30_minutes_is_refused(minutes: int) -> None:
    e = only(plan(slot_minutes=minutes))
    assert (e.field, e.code) == ("slot_minutes", "OUT_OF_RANGE")
    assert "15" in e.message.en and "30" in e.message.en


def test_slot_ids_are_stable_across_edits_that_keep_the_slot() -> None:
    before = Edition("ed_1", plan())
    longer_day2 = FairDay(D2, time(9), time(15))
    other_lunch = FairDay(D1, time(9), time(17), (Break(time(12, 30), time(13, 30)),))
    after, _ = before.open()
    after = after.edit(plan(days=(other_lunch, longer_day2)))
    assert after.revision == before.revision + 2 and after.status is EditionStatus.OPEN
    old = {s.id: (s.start, s.end) for s in before.slots()}
    new = {s.id: (s.start, s.end) for s in after.slots()}
    # every slot still there keeps its id and times; only 12:00 is new, later ones appear
    assert {k: v for k, v in old.items() if k in new} == {k: new[k] for k in old if k in new}
    assert set(old) - set(new) == set()
    assert set(new) - set(old) == {"2030-12-12T12:00"} | {
        f"2030-12-13T{h}" for h in ("12:00", "12:30", "13:00", "13:30", "14:00", "14:30")
    }
    # the days may come in any order
    assert grid(plan(days=tuple(reversed(plan().days)))) == before.slots()


def test_the_edition_spans_its_days_in_its_own_zone() -> None:
    e = Edition("ed_1", plan(timezone="Europe/Berlin"))
    assert e.starts() == datetime(2030, 12, 12, tzinfo=ZoneInfo("Europe/Berlin"))
    assert e.ends() == datetime(2030, 12, 14, tzinfo=ZoneInfo("Europe/Berlin"))
    assert e.within(datetime(2030, 12, 13, 23, 59, tzinfo=ZoneInfo("Europe/Berlin")))
    assert not e.within(datetime(2030, 12, 11, 23, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    core = e.to_core()
    assert core.slots == e.slots() and [t.number for t in core.tables] == [1, 2, 3]


# -- bad plans -------------------------------------------------------------------------


def test_a_day_given_twice_would_overlap_its_slots() -> None:
    days = (*plan().days, FairDay(D1, time(14), time(18)))
    e = only(plan(days=days))
    assert (e.field, e.code) == ("days.2.day", "OVERLAPPING_SLOTS")
    assert "2030-12-12" in e.message.en


def test_a_day_outside_the_editions_dates() -> None:
    days = (*plan().days, FairDay(date(2030, 12, 14), time(9), time(12)))
    e = only(plan(days=days))
    assert (e.field, e.code) == ("days.2.day", "OUTSIDE_EDITION")
    assert "2030-12-14" in e.message.zh and "2030-12-14" in e.message.en


def test_a_break_outside_its_day() -> None:
    day = FairDay(D2, time(9), time(12), (Break(time(11, 30), time(12, 30)),))
    e = only(plan(days=(plan().days[0], day)))
    assert (e.field, e.code) == ("days.1.breaks.0", "OUTSIDE_DAY")


def test_a_break_outside_its_day_is_named_by_its_position_in_the_input() -> None:
    """The field path points at the break as the operator gave it (the second one)."""
    day = FairDay(D1, time(9), time(17), (Break(time(13), time(14)), Break(time(7), time(8))))
    e = only(plan(days=(day, plan().days[1])))
    assert (e.field, e.code) == ("days.0.breaks.1", "OUTSIDE_DAY")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"days": (FairDay(D1, time(17), time(9)), FairDay(D2, time(9), time(12)))}, "days.0.end"),
        (
            {
                "days": (
                    FairDay(D1, time(9), time(17), (Break(time(13), time(12)),)),
                    FairDay(D2, time(9), time(12)),
                )
            },
            "days.0.breaks.0.end",
        ),
        ({"last_day": date(2030, 12, 11), "days": (FairDay(D1, time(9), time(12)),)}, "last_day"),
        ({"local_hours": (time(22), time(8))}, "local_hours"),
    ],
)
def test_an_end_before_its_start(changes: dict[str, object], field: str) -> None:
    errors = field_errors(plan(**changes))
    found = [e for e in errors if e.field == field]
    assert [e.code for e in found] == ["END_BEFORE_START"], errors
    assert found[0].message.zh and found[0].message.en


def test_duplicate_table_numbers() -> None:
    tables = (TableSpec(1, "hall-a"), TableSpec(2), TableSpec(1))
    e = only(plan(tables=tables))
    assert (e.field, e.code) == ("tables.2.number", "DUPLICATE")
    assert "1" in e.message.en


def test_a_table_in_an_unknown_room() -> None:
    tables = (TableSpec(1, "hall-a"), TableSpec(2, "hall-z"))
    e = only(plan(tables=tables))
    assert (e.field, e.code) == ("tables.1.room", "UNKNOWN_ROOM")
    assert "hall-z" in e.message.zh and "hall-z" in e.message.en


def test_every_bad_field_is_listed_at_once() -> None:
    bad = plan(
        name=Text(),
        timezone="Mars/Olympus",
        slot_minutes=45,
        days=(),
        rooms=(Room("r", Text("r")), Room("r", Text("r"))),
        tables=(TableSpec(0),),
    )
    got = {(e.field, e.code) for e in field_errors(bad)}
    assert got == {
        ("name", "REQUIRED"),
        ("timezone", "UNKNOWN_TIME_ZONE"),
        ("slot_minutes", "OUT_OF_RANGE"),
        ("days", "REQUIRED"),
        ("rooms", "DUPLICATE"),
        ("tables.0.number", "NOT_POSITIVE"),
    }


def test_days_that_leave_no_slot() -> None:
    e = only(plan(days=(FairDay(D1, time(9), time(9, 20)),), last_day=D1))
    assert (e.field, e.code) == ("days", "NO_SLOTS")


def test_a_closed_edition_cannot_be_edited_and_only_a_draft_opens() -> None:
    draft = Edition("ed_1", plan())
    opened, events = draft.open()
    assert [e.type for e in events] == ["boyin.scheduling.edition.opened"]
    with pytest.raises(BoyinError) as again:
        opened.open()
    assert again.value.code == "NOT_DRAFT" and again.value.status == 409
    closed, _ = opened.close()
    with pytest.raises(BoyinError) as edit:
        closed.edit(plan())
    assert edit.value.code == "EDITION_CLOSED"
    with pytest.raises(BoyinError) as refused:
        closed.require_open()
    assert refused.value.code == "EDITION_NOT_OPEN"
    # a bad edit changes nothing
    with pytest.raises(BoyinError):
        opened.edit(plan(slot_minutes=5))
    assert opened.plan == plan()
