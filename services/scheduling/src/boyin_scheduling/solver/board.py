"""A mutable working timetable shared by the greedy solver and repair.

It keeps, next to the plan (slot of each request), how many meetings each participant has
in each slot and how many tables of each pool are taken, so that "can r go in slot s" and
"how many idle gaps would that create" are a few array look-ups.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from boyin_scheduling.solver.problem import BoolArray, IntArray, Plan, Problem


class Board:
    def __init__(self, problem: Problem, plan: Plan | None = None) -> None:
        self.problem = problem
        n_days = int(problem.day.max()) + 1 if problem.n_slots else 0
        self.plan: Plan = problem.empty_plan()
        # one spare column (always 0) so that s - 1 and s + 1 can be read at the edges
        self.load = np.zeros((problem.n_participants, problem.n_slots + 1), np.int64)
        self.pool_load = np.zeros_like(problem.pool_cap)
        self.day_count = np.zeros((problem.n_participants, n_days), np.int64)
        self.follows = problem.follows
        self.leads = np.append(problem.follows[1:], False)  # slot s + 1 is on s's day
        if plan is not None:
            for r in np.flatnonzero(plan >= 0):
                self.place(int(r), int(plan[r]))

    # -- state -------------------------------------------------------------------------
    def place(self, r: int, s: int) -> None:
        p = self.problem
        a, b = p.a[r], p.b[r]
        self.plan[r] = s
        self.load[a, s] += 1
        self.load[b, s] += 1
        d = p.day[s]
        self.day_count[a, d] += 1
        self.day_count[b, d] += 1
        if p.onsite[r]:
            self.pool_load[p.pool[r], s] += 1

    def remove(self, r: int) -> int:
        p = self.problem
        s = int(self.plan[r])
        a, b = p.a[r], p.b[r]
        self.plan[r] = -1
        self.load[a, s] -= 1
        self.load[b, s] -= 1
        d = p.day[s]
        self.day_count[a, d] -= 1
        self.day_count[b, d] -= 1
        if p.onsite[r]:
            self.pool_load[p.pool[r], s] -= 1
        return s

    def objective(self) -> int:
        return self.problem.objective(self.plan)

    # -- queries -----------------------------------------------------------------------
    def open_slots(self, r: int) -> IntArray:
        """Slots where r could go now without moving anything."""
        p = self.problem
        a, b = p.a[r], p.b[r]
        n = p.n_slots
        ok: BoolArray = (
            p.feasible[r] & (self.load[a, :n] < p.capacity[a]) & (self.load[b, :n] < p.capacity[b])
        )
        if p.onsite[r]:
            k = p.pool[r]
            ok &= self.pool_load[k] < p.pool_cap[k]
        return np.flatnonzero(ok)

    def fits(self, r: int, s: int) -> bool:
        p = self.problem
        a, b = p.a[r], p.b[r]
        if not p.feasible[r, s]:
            return False
        if self.load[a, s] >= p.capacity[a] or self.load[b, s] >= p.capacity[b]:
            return False
        return not (p.onsite[r] and self.pool_load[p.pool[r], s] >= p.pool_cap[p.pool[r], s])

    def gap_delta(self, r: int, slots: IntArray) -> IntArray:
        """Change in idle gaps (empty runs between two meetings of one day) for both
        participants if r went in each of ``slots``: +1 if it lands apart from that day's
        meetings, 0 next to one or on an empty day, -1 if it fills a one-slot hole."""
        p = self.problem
        total = np.zeros(slots.size, np.int64)
        days = p.day[slots]
        for q in (p.a[r], p.b[r]):
            busy = self.load[q] > 0
            left = busy[slots - 1] & self.follows[slots]
            right = busy[slots + 1] & self.leads[slots]
            here = busy[slots]  # a representative already meets here: no new gap
            has_day = self.day_count[q, days] > 0
            total += np.where(here, 0, has_day.astype(np.int64) - left - right)
        return total

    def meetings_at(self, q: int, s: int) -> IntArray:
        reqs = self.problem.requests_of[q]
        here: IntArray = reqs[self.plan[reqs] == s]
        return here

    def pool_meetings_at(self, k: int, s: int) -> IntArray:
        p = self.problem
        return np.flatnonzero((self.plan == s) & p.onsite & (p.pool == k))

    # -- local moves -------------------------------------------------------------------
    def insert_with_moves(
        self,
        r: int,
        movable: Callable[[int], bool],
        *,
        max_moves: int = 2,
        candidates: int = 40,
        choose: Callable[[int, IntArray], int] | None = None,
    ) -> list[tuple[int, int, int]] | None:
        """Place r, moving up to ``max_moves`` movable meetings to other open slots.

        Returns the moves made as (request, from slot, to slot), or None (board unchanged)
        when no such move exists. ``choose(m, slots)`` picks m's new slot (default: fewest
        new gaps).
        """
        p = self.problem
        pick = choose or self._fewest_gaps
        for s in p.options[r].tolist():
            moves = self._clear(r, s, movable, max_moves, candidates, pick, [])
            if moves is not None:
                self.place(r, s)
                return moves
        return None

    def _fewest_gaps(self, m: int, slots: IntArray) -> int:
        return int(slots[int(np.argmin(self.gap_delta(m, slots)))])

    def blocking(self, r: int, s: int, relocatable: bool = True) -> list[IntArray]:
        """For each capacity r would exceed in s, the meetings whose removal relieves it
        (for the tables, with ``relocatable``: only those that could take a free table of
        the pool in another slot)."""
        p = self.problem
        out = []
        for q in (int(p.a[r]), int(p.b[r])):
            if self.load[q, s] >= p.capacity[q]:
                out.append(self.meetings_at(q, s))
        if p.onsite[r]:
            k = int(p.pool[r])
            if self.pool_load[k, s] >= p.pool_cap[k, s]:
                here = self.pool_meetings_at(k, s)
                if relocatable:
                    room = self.pool_load[k] < p.pool_cap[k]
                    room[s] = False
                    here = here[p.feasible[here][:, room].any(axis=1)]
                out.append(here)
        return out

    def _clear(
        self,
        r: int,
        s: int,
        movable: Callable[[int], bool],
        budget: int,
        candidates: int,
        pick: Callable[[int, IntArray], int],
        done: list[tuple[int, int, int]],
    ) -> list[tuple[int, int, int]] | None:
        blocking = self.blocking(r, s)
        if not blocking:
            return list(done)
        if budget == 0:
            return None
        if len(blocking) > budget or any(c.size == 0 for c in blocking):
            return None
        blocking.sort(key=len)
        moved = {m for m, _, _ in done}
        for m in blocking[0][:candidates].tolist():
            if m in moved or not movable(m):
                continue
            self.remove(m)
            slots = self.open_slots(m)
            slots = slots[slots != s]
            if slots.size:
                to = pick(m, slots)
                self.place(m, to)
                result = self._clear(
                    r, s, movable, budget - 1, candidates, pick, [*done, (m, s, to)]
                )
                if result is not None:
                    return result
                self.remove(m)
            self.place(m, s)
        return None
