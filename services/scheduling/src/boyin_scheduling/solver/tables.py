"""Table numbers for a plan, and the plan ↔ schedule conversions.

The solvers only decide slots (tables of one pool are interchangeable); here each on-site
meeting of a slot gets a table of its pool that is set up in that slot: fixed booths go to
their organisation's meetings, the rest to the common tables. Kept tables (published
meetings that did not move) stay; an organisation keeps the table it had in the previous
slot of the day when it is free (fewer walks); otherwise the lowest free number.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from boyin_scheduling.solver.model import Kind, Placement, Schedule
from boyin_scheduling.solver.problem import Plan, Problem
from boyin_shared.errors import FieldError, Message, invalid


def seated(problem: Problem, r: int) -> int:
    """The participant who stays at the table (the organisation, else ``a``)."""
    a, b = int(problem.a[r]), int(problem.b[r])
    if problem.participants[a].kind is Kind.ORGANISATION:
        return a
    return b if problem.participants[b].kind is Kind.ORGANISATION else a


def number_tables(
    problem: Problem, plan: Plan, keep: Mapping[int, int] | None = None
) -> dict[int, int]:
    """Table number of every scheduled on-site request (by request index).

    ``keep`` maps request indices to tables they must keep when still valid (same pool, set
    up in the slot, not taken twice). Raises ``ValueError`` if a pool is over capacity.
    """
    keep = keep or {}
    tables: dict[int, int] = {}
    last_table: dict[int, int] = {}  # participant -> table in the previous slot of the day
    placed = np.flatnonzero((plan >= 0) & problem.onsite)
    by_slot: dict[int, list[int]] = {}
    for r in placed.tolist():
        by_slot.setdefault(int(plan[r]), []).append(r)
    for s in range(problem.n_slots):
        if not problem.follows[s]:
            last_table.clear()
        meetings = by_slot.get(s, [])
        taken: set[int] = set()
        pending: list[int] = []
        for r in meetings:
            t = keep.get(r)
            if t is not None and t in problem.pool_tables[problem.pool[r]][s] and t not in taken:
                tables[r] = t
                taken.add(t)
            else:
                pending.append(r)
        # organisations that stay at the table they had in the previous slot
        rest = []
        for r in pending:
            previous = last_table.get(seated(problem, r))
            if previous in problem.pool_tables[problem.pool[r]][s] and previous not in taken:
                assert previous is not None
                tables[r] = previous
                taken.add(previous)
            else:
                rest.append(r)
        for r in rest:
            k = int(problem.pool[r])
            free = [t for t in problem.pool_tables[k][s] if t not in taken]
            if not free:
                raise ValueError(f"pool {k} is over capacity in slot {problem.slots[s].id}")
            tables[r] = free[0]
            taken.add(free[0])
        last_table.update({seated(problem, r): tables[r] for r in meetings})
    return tables


def to_schedule(problem: Problem, plan: Plan, tables: Mapping[int, int]) -> Schedule:
    placements = []
    for r in np.flatnonzero(plan >= 0).tolist():
        placements.append(
            Placement(
                request_id=problem.requests[r].id,
                slot_id=problem.slots[int(plan[r])].id,
                table=tables.get(r) if problem.onsite[r] else None,
            )
        )
    unscheduled = tuple(problem.requests[r].id for r in np.flatnonzero(plan < 0).tolist())
    return Schedule(tuple(placements), unscheduled)


def schedule_from_plan(
    problem: Problem, plan: Plan, keep: Mapping[int, int] | None = None
) -> Schedule:
    """Number the tables of ``plan`` and return the full schedule."""
    return to_schedule(problem, plan, number_tables(problem, plan, keep))


def plan_from_schedule(problem: Problem, schedule: Schedule) -> tuple[Plan, dict[int, int]]:
    """The plan and the tables (by request index) of a published schedule.

    Raises ``invalid`` for placements naming an unknown request or slot (a meeting outside
    the edition), or a table that does not exist.
    """
    plan = problem.empty_plan()
    tables: dict[int, int] = {}
    numbers = {t.number for t in problem.instance.edition.tables}
    errors: list[FieldError] = []
    for i, placement in enumerate(schedule.placements):
        f = f"schedule.placements.{i}"
        r = problem.request_index.get(placement.request_id)
        s = problem.slot_index.get(placement.slot_id)
        if r is None:
            errors.append(
                FieldError(
                    f"{f}.request_id",
                    "UNKNOWN_REQUEST",
                    Message(
                        f"会谈请求不存在：{placement.request_id}",
                        f"no such request: {placement.request_id}",
                    ),
                )
            )
        if s is None:
            errors.append(
                FieldError(
                    f"{f}.slot_id",
                    "OUTSIDE_EDITION",
                    Message(
                        f"时段 {placement.slot_id} 不属于本届展会",
                        f"slot {placement.slot_id} is not part of this edition",
                    ),
                )
            )
        if placement.table is not None and placement.table not in numbers:
            errors.append(
                FieldError(
                    f"{f}.table",
                    "UNKNOWN_TABLE",
                    Message(
                        f"桌号不存在：{placement.table}",
                        f"table {placement.table} does not exist",
                    ),
                )
            )
        if r is not None and s is not None:
            plan[r] = s
            if placement.table is not None:
                tables[r] = placement.table
    if errors:
        raise invalid(errors)
    return plan, tables
