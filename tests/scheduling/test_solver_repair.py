"""Changes after publication keep confirmed meetings where they are."""

from __future__ import annotations

from collections.abc import Collection

import pytest

from boyin_scheduling.solver.greedy import solve_greedy
from boyin_scheduling.solver.model import Instance, Interval, Mode, Schedule
from boyin_scheduling.solver.problem import build_problem
from boyin_scheduling.solver.repair import NO_COMMON_SLOT, NO_ROOM, add_meeting, cancel_meeting
from boyin_scheduling.solver.tables import schedule_from_plan
from boyin_scheduling.solver.validate import validate_schedule
from boyin_shared.errors import BoyinError
from tests.scheduling.solver_support import grid, org, plan_of, request, small_fair, talent


def unchanged(before: Schedule, after: Schedule, except_: Collection[str] = ()) -> None:
    new = after.by_request
    for p in before.placements:
        if p.request_id not in except_:
            assert new[p.request_id] == p, p


def test_a_new_meeting_goes_into_a_free_slot_and_nothing_else_moves() -> None:
    problem = build_problem(small_fair(3))
    schedule = schedule_from_plan(problem, solve_greedy(problem).plan)
    # a brand-new pair among participants with time left
    talents = [p.id for p in problem.participants if p.id.startswith("t")]
    orgs = [p.id for p in problem.participants if p.id.startswith("o")]
    pairs = {(r.a, r.b) for r in problem.requests}
    placed_any = False
    for t in talents:
        for o in orgs:
            if (t, o) in pairs:
                continue
            mode = (
                Mode.ONLINE
                if problem.participants[problem.participant_index[t]].online_only
                else Mode.ON_SITE
            )
            result = add_meeting(problem, schedule, request("new", t, o, mode=mode))
            assert validate_schedule(result.problem.instance, result.schedule).ok
            unchanged(schedule, result.schedule)
            assert result.moved == ()
            assert result.seconds < 1.0
            if result.placed:
                assert result.schedule.get("new") is not None
                placed_any = True
                break
            assert result.reason in (NO_COMMON_SLOT, NO_ROOM)
            assert result.schedule.get("new") is None
            assert "new" in result.schedule.unscheduled
        if placed_any:
            break
    assert placed_any


def crowded() -> tuple[Instance, Schedule]:
    """Two slots, one table. r1 (t1–o1) sits in slot 1 but could go to slot 2; the new
    request t2–o2 can only use slot 1 (t2 is blocked in slot 2)."""
    edition = grid(n_slots=2, n_tables=1)
    s2 = edition.slots[1]
    inst = Instance(
        edition,
        (
            talent("t1"),
            talent("t2", blocked=(Interval(s2.start, s2.end),)),
            org("o1"),
            org("o2"),
        ),
        (request("r1", "t1", "o1"),),
    )
    problem = build_problem(inst)
    schedule = schedule_from_plan(problem, plan_of(problem, {"r1": "d1s1"}))
    return inst, schedule


def test_a_confirmed_meeting_is_not_moved_to_make_room() -> None:
    inst, schedule = crowded()
    problem = build_problem(inst)
    result = add_meeting(problem, schedule, request("new", "t2", "o2"))
    assert not result.placed
    assert result.reason == NO_ROOM
    assert result.reason.zh and result.reason.en
    unchanged(schedule, result.schedule)


def test_a_non_confirmed_meeting_moves_once_to_make_room() -> None:
    inst, schedule = crowded()
    problem = build_problem(inst)
    result = add_meeting(problem, schedule, request("new", "t2", "o2"), confirmed=())
    assert result.placed
    assert result.moved == ("r1",)
    assert result.schedule.by_request["r1"].slot_id == "d1s2"
    assert result.schedule.by_request["new"].slot_id == "d1s1"
    assert validate_schedule(result.problem.instance, result.schedule).ok
    # asked to move confirmed meetings: the same
    again = add_meeting(problem, schedule, request("new", "t2", "o2"), move_confirmed=True)
    assert again.placed and again.moved == ("r1",)


def test_no_common_slot_is_reported() -> None:
    inst, schedule = crowded()
    problem = build_problem(inst)
    edition = inst.edition
    blocked = (Interval(edition.slots[0].start, edition.slots[1].end),)
    inst2 = Instance(
        edition,
        (*inst.participants, talent("t3", blocked=blocked)),
        inst.requests,
    )
    problem = build_problem(inst2)
    result = add_meeting(problem, schedule, request("new", "t3", "o2"))
    assert not result.placed and result.reason == NO_COMMON_SLOT


def test_cancelling_backfills_the_freed_slot_and_keeps_the_rest() -> None:
    edition = grid(n_slots=1, n_tables=1)
    inst = Instance(
        edition,
        (talent("t1"), talent("t2"), talent("t3"), org("o1"), org("o2")),
        (
            request("keep", "t3", "o2", mode=Mode.ONLINE),
            request("gone", "t1", "o1", weight=100),
            request("waiting", "t2", "o1", weight=50),
        ),
    )
    problem = build_problem(inst)
    plan = solve_greedy(problem).plan
    schedule = schedule_from_plan(problem, plan)
    assert schedule.get("waiting") is None and schedule.get("gone") is not None
    result = cancel_meeting(problem, schedule, "gone")
    assert result.backfilled == ("waiting",)
    assert result.schedule.get("gone") is None
    assert result.schedule.by_request["waiting"].table == 1
    unchanged(schedule, result.schedule, {"gone"})
    assert validate_schedule(result.problem.instance, result.schedule).ok
    assert "gone" not in result.problem.request_index


def test_cancelling_an_unknown_request_is_an_error() -> None:
    inst, schedule = crowded()
    with pytest.raises(BoyinError) as info:
        cancel_meeting(build_problem(inst), schedule, "nope")
    assert info.value.fields[0].code == "UNKNOWN_REQUEST"


def test_repairs_on_a_generated_fair_keep_every_other_meeting() -> None:
    problem = build_problem(small_fair(2))
    schedule = schedule_from_plan(problem, solve_greedy(problem).plan)
    victim = schedule.placements[0].request_id
    result = cancel_meeting(problem, schedule, victim)
    unchanged(schedule, result.schedule, {victim})
    assert validate_schedule(result.problem.instance, result.schedule).ok
    assert result.seconds < 1.0
