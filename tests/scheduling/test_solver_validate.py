"""The validator catches each kind of conflict; table numbering respects booths."""

from __future__ import annotations

from dataclasses import replace

from boyin_scheduling.solver.greedy import solve_greedy
from boyin_scheduling.solver.model import Instance, Interval, Mode, Placement, Schedule, Slot
from boyin_scheduling.solver.problem import build_problem
from boyin_scheduling.solver.tables import number_tables, schedule_from_plan
from boyin_scheduling.solver.validate import ValidationReport, validate_schedule
from tests.scheduling.solver_support import grid, org, plan_of, request, talent


def fair() -> Instance:
    edition = grid(n_slots=3, n_tables=3, booths={3: "o2"})
    s3 = edition.slots[2]
    return Instance(
        edition,
        (
            talent("t1"),
            talent("t2", blocked=(Interval(s3.start, s3.end),)),
            talent("ny", online_only=True, timezone="America/New_York"),
            org("o1"),
            org("o2"),
        ),
        (
            request("a", "t1", "o1"),
            request("b", "t2", "o1"),
            request("c", "t1", "o2"),
            request("d", "ny", "o2", mode=Mode.ONLINE),
        ),
    )


def codes(report: ValidationReport) -> set[str]:
    return {v.code for v in report.violations}


def good() -> Schedule:
    return Schedule(
        (
            Placement("a", "d1s1", 1),
            Placement("b", "d1s2", 1),
            Placement("c", "d1s2", 3),
            Placement("d", "d1s1", None),
        )
    )


def test_a_good_schedule_passes() -> None:
    report = validate_schedule(fair(), good())
    assert report.ok, report.violations
    assert report.meetings == 4
    assert report.summary().startswith("OK")


def with_(schedule: Schedule, rid: str, **changes: object) -> Schedule:
    return Schedule(
        tuple(replace(p, **changes) if p.request_id == rid else p for p in schedule.placements)  # type: ignore[arg-type]
    )


def test_each_conflict_is_caught() -> None:
    inst = fair()
    cases = {
        "double_booked": with_(good(), "b", slot_id="d1s1", table=2),
        "table_double_booked": with_(good(), "b", slot_id="d1s1"),
        "unknown_table": with_(good(), "a", table=9),
        "booth_taken": with_(good(), "a", table=3),
        "booth_ignored": with_(good(), "c", table=2),
        "no_table": with_(good(), "a", table=None),
        "table_for_online": with_(good(), "d", table=2),
        "outside_local_hours": with_(good(), "d", slot_id="d1s3"),
        "blocked": with_(good(), "b", slot_id="d1s3"),
        "unknown_slot": with_(good(), "a", slot_id="d9s9"),
        "unknown_request": with_(good(), "a", request_id="zz"),
    }
    for code, schedule in cases.items():
        report = validate_schedule(inst, schedule)
        assert code in codes(report), (code, report.violations)
        assert not report.ok and code in report.summary()


def test_placed_twice_and_online_only_on_site() -> None:
    inst = fair()
    twice = Schedule((*good().placements, Placement("a", "d1s3", 2)))
    assert "placed_twice" in codes(validate_schedule(inst, twice))
    onsite = replace(
        inst, requests=(*inst.requests[:3], replace(inst.requests[3], mode=Mode.ON_SITE))
    )
    assert "online_only_on_site" in codes(validate_schedule(onsite, with_(good(), "d", table=2)))


def test_tables_not_set_up_and_slots_outside_the_dates() -> None:
    inst = fair()
    slots = list(inst.edition.slots)
    slots[0] = replace(slots[0], tables=frozenset({2, 3}))
    late = Slot("late", inst.edition.last_day.replace(day=28), slots[1].start, slots[1].end)
    edition = replace(inst.edition, slots=(*slots, late))
    report = validate_schedule(replace(inst, edition=edition), good())
    assert "table_not_set_up" in codes(report)
    moved = with_(good(), "c", slot_id="late")
    assert "outside_edition" in codes(validate_schedule(replace(inst, edition=edition), moved))


def test_representatives_allow_parallel_meetings() -> None:
    inst = fair()
    people = tuple(replace(p, representatives=2) if p.id == "o1" else p for p in inst.participants)
    inst2 = replace(inst, participants=people)
    parallel = with_(good(), "b", slot_id="d1s1", table=2)
    assert validate_schedule(inst2, parallel).ok


def test_numbering_puts_booth_meetings_at_the_booth() -> None:
    inst = fair()
    problem = build_problem(inst)
    plan = plan_of(problem, {"a": "d1s1", "b": "d1s2", "c": "d1s3", "d": "d1s2"})
    tables = number_tables(problem, plan)
    by_id = {problem.requests[r].id: t for r, t in tables.items()}
    assert by_id["c"] == 3  # o2's booth
    assert "d" not in by_id  # online
    assert validate_schedule(inst, schedule_from_plan(problem, plan)).ok


def test_organisations_keep_their_table_from_one_slot_to_the_next() -> None:
    inst = Instance(
        grid(n_slots=2, n_tables=2),
        (talent("t1"), talent("t2"), talent("t3"), org("o1"), org("o3")),
        (request("x", "t3", "o3"), request("a", "t1", "o1"), request("b", "t2", "o1")),
    )
    problem = build_problem(inst)
    plan = plan_of(problem, {"a": "d1s1", "x": "d1s2", "b": "d1s2"})
    tables = number_tables(problem, plan)
    by_id = {problem.requests[r].id: t for r, t in tables.items()}
    assert by_id == {"a": 1, "b": 1, "x": 2}


def test_kept_tables_stay() -> None:
    inst = fair()
    problem = build_problem(inst)
    plan = plan_of(problem, {"a": "d1s1", "b": "d1s2"})
    a, b = problem.request_index["a"], problem.request_index["b"]
    tables = number_tables(problem, plan, keep={a: 2, b: 3})  # 3 is a booth: not kept
    assert tables[a] == 2 and tables[b] != 3


def test_greedy_on_the_small_fair_numbers_tables_validly() -> None:
    problem = build_problem(fair())
    schedule = schedule_from_plan(problem, solve_greedy(problem).plan)
    assert validate_schedule(fair(), schedule).ok
    assert len(schedule) == 4
