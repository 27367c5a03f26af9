"""Local search for the secondary objectives, never lowering the primary one.

* ``lift_minimums``: a participant below their minimum gets one of their waiting requests
  in place of a meeting of equal or lower priority whose two participants stay at or above
  their own minimums (the primary objective cannot drop).
* ``compact``: move single meetings to other open slots when that reduces idle gaps (both
  participants counted); the set of meetings, hence the primary objective, is unchanged.

Both are fast (well under a second for 5,000 requests) and work where the CP-SAT secondary
solve is too slow to make progress on 2 workers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from boyin_scheduling.solver.board import Board
from boyin_scheduling.solver.metrics import meetings_per_participant
from boyin_scheduling.solver.problem import Plan, Problem


@dataclass(frozen=True)
class PolishResult:
    plan: Plan
    swaps: int
    moves: int


def lift_minimums(
    board: Board, movable: Callable[[int], bool] = lambda m: True, max_tries: int = 2000
) -> int:
    p = board.problem
    counts = meetings_per_participant(p, board.plan)
    swaps = tries = 0
    for q in np.flatnonzero(counts < p.min_meetings).tolist():
        waiting = p.requests_of[q][board.plan[p.requests_of[q]] < 0]
        for r in waiting[np.argsort(-p.priority[waiting], kind="stable")].tolist():
            if counts[q] >= p.min_meetings[q] or tries >= max_tries:
                break
            tries += 1
            done = False
            for s in p.options[r].tolist():
                blocking = board.blocking(r, s, relocatable=False)
                if not blocking:
                    board.place(r, s)
                    done = True
                    break
                if len(blocking) != 1:
                    continue
                for m in blocking[0].tolist():
                    ma, mb = int(p.a[m]), int(p.b[m])
                    if (
                        movable(m)
                        and p.priority[m] <= p.priority[r]
                        and counts[ma] > p.min_meetings[ma]
                        and counts[mb] > p.min_meetings[mb]
                    ):
                        board.remove(m)
                        if board.fits(r, s):
                            board.place(r, s)
                            counts[ma] -= 1
                            counts[mb] -= 1
                            done = True
                            swaps += 1
                            break
                        board.place(m, s)
                if done:
                    break
            if done:
                counts[p.a[r]] += 1
                counts[p.b[r]] += 1
    return swaps


def compact(board: Board, movable: Callable[[int], bool] = lambda m: True, rounds: int = 3) -> int:
    moves = 0
    for _ in range(rounds):
        improved = 0
        for r in np.flatnonzero(board.plan >= 0).tolist():
            if not movable(r):
                continue
            here = board.remove(r)
            slots = board.open_slots(r)
            delta = board.gap_delta(r, slots)
            current = int(delta[np.searchsorted(slots, here)])
            best = int(np.argmin(delta))
            if delta[best] < current:
                board.place(r, int(slots[best]))
                improved += 1
            else:
                board.place(r, here)
        moves += improved
        if not improved:
            break
    return moves


def polish(
    problem: Problem, plan: Plan, movable: Callable[[int], bool] | None = None
) -> PolishResult:
    board = Board(problem, plan)
    ok = movable or (lambda m: True)
    swaps = lift_minimums(board, ok)
    moves = compact(board, ok)
    return PolishResult(plan=board.plan.copy(), swaps=swaps, moves=moves)
