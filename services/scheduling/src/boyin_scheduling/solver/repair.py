"""Changes after publication: add one meeting, or cancel one, without moving confirmed
meetings (unless asked to).

* ``add_meeting``: the new request goes into an open slot (fewest new idle gaps); failing
  that, one bounded local move shifts up to ``max_moves`` non-confirmed meetings that block
  it to other open slots. Everything else keeps its slot and its table.
* ``cancel_meeting``: frees the slot; waiting requests that can use exactly what was freed
  (same participants or, on site, the same table pool in that slot) are placed there, best
  priority first (``backfill``).
* ``place_waiting``: the service's repair after publication, for any set of changes at
  once: stale placements out, waiting requests into open slots, nobody else moved.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from boyin_scheduling.solver.board import Board
from boyin_scheduling.solver.greedy import greedy_order
from boyin_scheduling.solver.model import Request, Schedule
from boyin_scheduling.solver.problem import Problem, with_request, without_request
from boyin_scheduling.solver.tables import number_tables, plan_from_schedule, to_schedule
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


@dataclass(frozen=True)
class Reconciled:
    schedule: Schedule
    #: waiting requests that got a place
    placed: tuple[str, ...]
    #: placed requests that moved (only with ``move_placed``)
    moved: tuple[str, ...]
    #: placed requests that had to leave their slot (no longer feasible there) and got none
    dropped: tuple[str, ...]
    seconds: float


def place_waiting(
    problem: Problem,
    schedule: Schedule,
    *,
    first_slot: int = 0,
    move_placed: bool = False,
    max_moves: int = 2,
) -> Reconciled:
    """Bring a published ``schedule`` up to date with ``problem`` (which holds every current
    request) by single changes: placements that no longer fit their slot (the request was
    cancelled, a participant became unavailable, the mode changed) are taken out and
    placed again; then waiting requests take open slots, best priority first. Nothing else
    moves unless ``move_placed`` allows local moves of up to ``max_moves`` meetings. Only
    slots from ``first_slot`` on (not yet begun) receive meetings.
    """
    t0 = time.perf_counter()
    known = [pl for pl in schedule.placements if pl.request_id in problem.request_index]
    known = [pl for pl in known if pl.slot_id in problem.slot_index]
    plan, tables = plan_from_schedule(problem, Schedule(tuple(known)))
    # a placement stays only where its request may still be
    stale = [
        r
        for r in np.flatnonzero(plan >= 0).tolist()
        if not problem.feasible[r, plan[r]] and plan[r] >= first_slot
    ]
    before = plan.copy()
    for r in stale:
        plan[r] = -1
        tables.pop(r, None)
    feasible = problem.feasible.copy()
    feasible[:, :first_slot] = False
    future = dataclasses.replace(problem, feasible=feasible)
    board = Board(future, plan)
    # an over-full slot (capacity shrank) loses its lowest-priority meetings
    for r in np.argsort(problem.priority, kind="stable").tolist():
        s = int(board.plan[r])
        if s >= first_slot and not _within_capacity(board, r, s):
            board.remove(r)
            tables.pop(r, None)
    waiting = np.flatnonzero(board.plan < 0)
    order = greedy_order(problem)
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    moves: list[tuple[int, int, int]] = []
    for r in waiting[np.argsort(rank[waiting], kind="stable")].tolist():
        slots = board.open_slots(r)
        if slots.size:
            board.place(r, int(slots[int(np.argmin(board.gap_delta(r, slots)))]))
        elif move_placed and feasible[r].any():
            moves += board.insert_with_moves(r, lambda m: True, max_moves=max_moves) or []
    moved_idx = {m for m, _, _ in moves}
    keep = {i: t for i, t in tables.items() if i not in moved_idx and board.plan[i] >= 0}
    new = to_schedule(problem, board.plan, number_tables(problem, board.plan, keep))
    ids = problem.requests
    placed = [ids[r].id for r in np.flatnonzero((before < 0) & (board.plan >= 0)).tolist()]
    was = np.flatnonzero((before >= 0) & (board.plan != before)).tolist()
    return Reconciled(
        schedule=new,
        placed=tuple(placed),
        moved=tuple(ids[r].id for r in was if board.plan[r] >= 0),
        dropped=tuple(ids[r].id for r in was if board.plan[r] < 0),
        seconds=time.perf_counter() - t0,
    )


def _within_capacity(board: Board, r: int, s: int) -> bool:
    p = board.problem
    if board.load[p.a[r], s] > p.capacity[p.a[r]] or board.load[p.b[r], s] > p.capacity[p.b[r]]:
        return False
    if p.onsite[r]:
        k = int(p.pool[r])
        return bool(board.pool_load[k, s] <= p.pool_cap[k, s])
    return True
