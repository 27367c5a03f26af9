"""Changes after publication: add one meeting, or cancel one, without moving confirmed
meetings (unless asked to).

* ``add_meeting``: the new request goes into an open slot (fewest new idle gaps); failing
  that, one bounded local move shifts up to ``max_moves`` non-confirmed meetings that block
  it to other open slots. Everything else keeps its slot and its table.
* ``cancel_meeting``: frees the slot; waiting requests that can use exactly what was freed
  (same participants or, on site, the same table pool in that slot) are placed there, best
  priority first (``backfill``).
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from boyin_scheduling.core.board import Board
from boyin_scheduling.core.model import Request, Schedule
from boyin_scheduling.core.problem import Problem, with_request, without_request
from boyin_scheduling.core.tables import number_tables, plan_from_schedule, to_schedule
from boyin_shared.errors import Message


@dataclass(frozen=True)
class RepairResult:
    problem: Problem
    schedule: Schedule
    placed: bool
    #: requests whose meeting moved to another slot
    moved: tuple[str, ...] = ()
    #: waiting requests placed in what a cancellation freed
    backfilled: tuple[str, ...] = ()
    reason: Message | None = None
    seconds: float = 0.0


NO_COMMON_SLOT = Message(
    "双方没有共同可用的时段", "the two participants have no slot they can both attend"
)
NO_ROOM = Message(
    "所有可行时段都已排满，且无法在不改动已确认会谈的情况下腾出位置",
    "every feasible slot is taken and no room can be made without moving confirmed meetings",
)


def add_meeting(
    problem: Problem,
    schedule: Schedule,
    request: Request,
    *,
    confirmed: Collection[str] | None = None,
    move_confirmed: bool = False,
    max_moves: int = 2,
) -> RepairResult:
    """Schedule one more request. ``confirmed`` lists request ids that must not move (default:
    every published meeting); ``move_confirmed`` lifts that rule."""
    t0 = time.perf_counter()
    plan, tables = plan_from_schedule(problem, schedule)
    grown = with_request(problem, request)
    plan = np.append(plan, -1)
    r = grown.n_requests - 1
    board = Board(grown, plan)
    if confirmed is None:
        fixed = set(np.flatnonzero(plan >= 0).tolist())
    else:
        fixed = {grown.request_index[c] for c in confirmed if c in grown.request_index}

    moves: list[tuple[int, int, int]] = []
    placed = False
    reason: Message | None = None
    slots = board.open_slots(r)
    if slots.size:
        board.place(r, int(slots[int(np.argmin(board.gap_delta(r, slots)))]))
        placed = True
    elif not grown.feasible[r].any():
        reason = NO_COMMON_SLOT
    else:
        result = board.insert_with_moves(
            r, lambda m: move_confirmed or m not in fixed, max_moves=max_moves
        )
        placed = result is not None
        moves = result or []
        reason = None if placed else NO_ROOM
    moved_idx = {m for m, _, _ in moves}
    keep = {i: t for i, t in tables.items() if i not in moved_idx}
    new_schedule = to_schedule(grown, board.plan, number_tables(grown, board.plan, keep))
    return RepairResult(
        problem=grown,
        schedule=new_schedule,
        placed=placed,
        moved=tuple(grown.requests[m].id for m, _, _ in moves),
        reason=reason,
        seconds=time.perf_counter() - t0,
    )


def cancel_meeting(
    problem: Problem, schedule: Schedule, request_id: str, *, backfill: bool = True
) -> RepairResult:
    """Cancel a request (scheduled or not) and, if it had a slot, backfill what it freed."""
    t0 = time.perf_counter()
    plan, tables = plan_from_schedule(problem, schedule)
    shrunk = without_request(problem, request_id)
    r = problem.request_index[request_id]
    freed = int(plan[r])
    keep_idx = np.arange(problem.n_requests) != r
    plan = plan[keep_idx]
    tables = {(i if i < r else i - 1): t for i, t in tables.items() if i != r}
    board = Board(shrunk, plan)
    filled: list[int] = []
    if backfill and freed >= 0:
        a, b = int(problem.a[r]), int(problem.b[r])
        touched = (shrunk.a == a) | (shrunk.b == a) | (shrunk.a == b) | (shrunk.b == b)
        if problem.onsite[r]:
            touched |= shrunk.onsite & (shrunk.pool == problem.pool[r])
        waiting = np.flatnonzero(touched & (board.plan < 0) & shrunk.feasible[:, freed])
        for w in waiting[np.argsort(-shrunk.priority[waiting], kind="stable")].tolist():
            if board.fits(w, freed):
                board.place(w, freed)
                filled.append(w)
    new_schedule = to_schedule(shrunk, board.plan, number_tables(shrunk, board.plan, tables))
    return RepairResult(
        problem=shrunk,
        schedule=new_schedule,
        placed=False,
        backfilled=tuple(shrunk.requests[w].id for w in filled),
        seconds=time.perf_counter() - t0,
    )
