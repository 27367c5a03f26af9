"""An instance compiled to index arrays: which slots each request can take, and the
capacities the solvers share.

Slots are indexed in time order. On-site meetings draw on a *pool* of tables: pool 0 is the
common tables, pool k ≥ 1 the fixed booth of one organisation; ``pool_cap[k, s]`` is how
many of the pool's tables are set up in slot s. Tables are interchangeable inside a pool, so
the solvers decide slots only and ``tables.number_tables`` numbers them afterwards.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, time
from functools import cached_property
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from boyin_scheduling.solver.checks import check_instance, check_request
from boyin_scheduling.solver.model import Instance, Mode, Participant, Request, Slot
from boyin_shared.errors import FieldError, Message, invalid

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
#: slot index of each request, -1 when it is not scheduled
Plan = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Problem:
    instance: Instance
    slots: tuple[Slot, ...]
    slot_index: dict[str, int]
    #: day number (0 = first day of the edition) of each slot
    day: IntArray
    #: True when slot s-1 is on the same day as slot s (they are neighbours for idle gaps)
    follows: BoolArray
    participants: tuple[Participant, ...]
    participant_index: dict[str, int]
    #: meetings a participant can hold at once (representatives)
    capacity: IntArray
    #: present and free: arrival/departure, blocked spans, sessions [P, S]
    available: BoolArray
    #: the slot falls within the participant's local hours in their own time zone [P, S]
    in_hours: BoolArray
    min_meetings: IntArray
    requests: tuple[Request, ...]
    request_index: dict[str, int]
    a: IntArray
    b: IntArray
    priority: IntArray
    must_meet: BoolArray
    onsite: BoolArray
    #: the table pool of an on-site request, -1 when online
    pool: IntArray
    #: owner of each pool: None for the common tables, else the organisation with the booth
    pool_owner: tuple[str | None, ...]
    #: table numbers of each pool set up in each slot: pool_tables[k][s]
    pool_tables: tuple[tuple[tuple[int, ...], ...], ...]
    pool_cap: IntArray
    #: the slots each request may take [R, S]
    feasible: BoolArray

    @property
    def n_slots(self) -> int:
        return len(self.slots)

    @property
    def n_requests(self) -> int:
        return len(self.requests)

    @property
    def n_participants(self) -> int:
        return len(self.participants)

    @cached_property
    def options(self) -> tuple[IntArray, ...]:
        """The feasible slot indices of each request."""
        return tuple(np.flatnonzero(row).astype(np.int64) for row in self.feasible)

    @cached_property
    def requests_of(self) -> tuple[IntArray, ...]:
        """The request indices each participant takes part in."""
        both = np.concatenate([self.a, self.b])
        reqs = np.concatenate([np.arange(self.n_requests)] * 2)
        order = np.argsort(both, kind="stable")
        starts = np.searchsorted(both[order], np.arange(self.n_participants + 1))
        return tuple(reqs[order[starts[p] : starts[p + 1]]] for p in range(self.n_participants))

    @cached_property
    def pool_of_participant(self) -> dict[str, int]:
        return {owner: k for k, owner in enumerate(self.pool_owner) if owner is not None}

    def empty_plan(self) -> Plan:
        return np.full(self.n_requests, -1, np.int64)

    def objective(self, plan: Plan) -> int:
        return int(self.priority[plan >= 0].sum())


def _local_hours_ok(slot: Slot, tz: ZoneInfo, hours: tuple[time, time]) -> bool:
    start, end = slot.start.astimezone(tz), slot.end.astimezone(tz)
    lo, hi = hours
    return start.time() >= lo and end.date() == start.date() and end.time() <= hi


def _participant_masks(
    p: Participant,
    slots: tuple[Slot, ...],
    sessions: dict[str, tuple[datetime, datetime]],
    hours: tuple[time, time],
) -> tuple[list[bool], list[bool]]:
    tz = ZoneInfo(p.timezone)
    busy = [*((b.start, b.end) for b in p.blocked), *(sessions[s] for s in p.sessions)]
    available, in_hours = [], []
    for slot in slots:
        ok = (p.arrival is None or p.arrival <= slot.start) and (
            p.departure is None or slot.end <= p.departure
        )
        ok = ok and not any(start < slot.end and slot.start < end for start, end in busy)
        available.append(ok)
        in_hours.append(_local_hours_ok(slot, tz, hours))
    return available, in_hours


def _request_row(
    index: dict[str, int], booths: dict[str, int], r: Request
) -> tuple[int, int, bool, int]:
    """(a, b, on site, pool) of one request."""
    a, b = index[r.a], index[r.b]
    onsite = r.mode is Mode.ON_SITE
    pool = -1
    if onsite:
        pool = booths.get(r.a, booths.get(r.b, 0))
    return a, b, onsite, pool


def build_problem(instance: Instance) -> Problem:
    """Check ``instance`` (raising one ``invalid`` error listing every bad field) and compile it."""
    errors = check_instance(instance)
    if errors:
        raise invalid(errors)
    edition = instance.edition
    slots = tuple(sorted(edition.slots, key=lambda s: s.start))
    n_slots = len(slots)
    day = np.array([(s.day - edition.first_day).days for s in slots], np.int64)
    follows = np.zeros(n_slots, np.bool_)
    follows[1:] = day[1:] == day[:-1]

    participants = instance.participants
    p_index = {p.id: i for i, p in enumerate(participants)}
    sessions = {s.id: (s.start, s.end) for s in edition.sessions}
    available = np.zeros((len(participants), n_slots), np.bool_)
    in_hours = np.zeros((len(participants), n_slots), np.bool_)
    for i, p in enumerate(participants):
        av, hr = _participant_masks(p, slots, sessions, edition.local_hours)
        available[i], in_hours[i] = av, hr

    # table pools: 0 = common tables, then one per organisation with a booth
    owners: list[str | None] = [None]
    booth_pool: dict[str, int] = {}
    for t in sorted(edition.tables, key=lambda t: t.number):
        if t.booth_of is not None and t.booth_of not in booth_pool:
            booth_pool[t.booth_of] = len(owners)
            owners.append(t.booth_of)
    all_numbers = sorted(t.number for t in edition.tables)
    pool_of_table = {
        t.number: (0 if t.booth_of is None else booth_pool[t.booth_of]) for t in edition.tables
    }
    pool_tables: list[list[tuple[int, ...]]] = [[] for _ in owners]
    for slot in slots:
        open_tables = all_numbers if slot.tables is None else sorted(slot.tables)
        per_pool: list[list[int]] = [[] for _ in owners]
        for n in open_tables:
            per_pool[pool_of_table[n]].append(n)
        for k, numbers in enumerate(per_pool):
            pool_tables[k].append(tuple(numbers))
    pool_cap = np.array([[len(ts) for ts in row] for row in pool_tables], np.int64).reshape(
        len(owners), n_slots
    )

    rows = [_request_row(p_index, booth_pool, r) for r in instance.requests]
    n_req = len(rows)
    a = np.array([row[0] for row in rows], np.int64).reshape(n_req)
    b = np.array([row[1] for row in rows], np.int64).reshape(n_req)
    onsite = np.array([row[2] for row in rows], np.bool_).reshape(n_req)
    pool = np.array([row[3] for row in rows], np.int64).reshape(n_req)
    feasible = _feasible(available, in_hours, pool_cap, a, b, onsite, pool)
    return Problem(
        instance=instance,
        slots=slots,
        slot_index={s.id: i for i, s in enumerate(slots)},
        day=day,
        follows=follows,
        participants=participants,
        participant_index=p_index,
        capacity=np.array([p.representatives for p in participants], np.int64),
        available=available,
        in_hours=in_hours,
        min_meetings=np.array([p.min_meetings for p in participants], np.int64),
        requests=instance.requests,
        request_index={r.id: i for i, r in enumerate(instance.requests)},
        a=a,
        b=b,
        priority=np.array([r.priority for r in instance.requests], np.int64).reshape(n_req),
        must_meet=np.array([r.must_meet for r in instance.requests], np.bool_).reshape(n_req),
        onsite=onsite,
        pool=pool,
        pool_owner=tuple(owners),
        pool_tables=tuple(tuple(row) for row in pool_tables),
        pool_cap=pool_cap,
        feasible=feasible,
    )


def _feasible(
    available: BoolArray,
    in_hours: BoolArray,
    pool_cap: IntArray,
    a: IntArray,
    b: IntArray,
    onsite: BoolArray,
    pool: IntArray,
) -> BoolArray:
    both = available[a] & available[b]
    online_ok = in_hours[a] & in_hours[b]
    table_ok = pool_cap[np.maximum(pool, 0)] > 0
    result: BoolArray = both & np.where(onsite[:, None], table_ok, online_ok)
    return result


def with_request(problem: Problem, request: Request) -> Problem:
    """``problem`` with one more request appended (checked like the others)."""
    participants = {p.id: p for p in problem.participants}
    errors = check_request(request, participants, "request")
    if request.id in problem.request_index:
        errors.append(_duplicate_request(request.id))
    if errors:
        raise invalid(errors)
    ra, rb, ron, rpool = _request_row(
        problem.participant_index, problem.pool_of_participant, request
    )
    row = _feasible(
        problem.available,
        problem.in_hours,
        problem.pool_cap,
        np.array([ra]),
        np.array([rb]),
        np.array([ron]),
        np.array([rpool]),
    )
    requests = (*problem.requests, request)
    return dataclasses.replace(
        problem,
        instance=dataclasses.replace(problem.instance, requests=requests),
        requests=requests,
        request_index={**problem.request_index, request.id: len(problem.requests)},
        a=np.append(problem.a, ra),
        b=np.append(problem.b, rb),
        priority=np.append(problem.priority, request.priority),
        must_meet=np.append(problem.must_meet, request.must_meet),
        onsite=np.append(problem.onsite, ron),
        pool=np.append(problem.pool, rpool),
        feasible=np.vstack([problem.feasible, row]),
    )


def _duplicate_request(request_id: str) -> FieldError:
    return FieldError(
        "request.id",
        "DUPLICATE",
        Message(f"会谈请求重复：{request_id}", f"duplicate request: {request_id}"),
    )


def without_request(problem: Problem, request_id: str) -> Problem:
    """``problem`` without one request (cancelled); later requests shift down by one."""
    r = problem.request_index.get(request_id)
    if r is None:
        raise invalid(
            [
                FieldError(
                    "request_id",
                    "UNKNOWN_REQUEST",
                    Message(f"会谈请求不存在：{request_id}", f"no such request: {request_id}"),
                )
            ]
        )
    keep = np.arange(problem.n_requests) != r
    requests = tuple(q for i, q in enumerate(problem.requests) if i != r)
    return dataclasses.replace(
        problem,
        instance=dataclasses.replace(problem.instance, requests=requests),
        requests=requests,
        request_index={q.id: i for i, q in enumerate(requests)},
        a=problem.a[keep],
        b=problem.b[keep],
        priority=problem.priority[keep],
        must_meet=problem.must_meet[keep],
        onsite=problem.onsite[keep],
        pool=problem.pool[keep],
        feasible=problem.feasible[keep],
    )
