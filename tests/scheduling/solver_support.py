"""Builders for small scheduling instances (no tests here)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from boyin_scheduling.solver.board import Board
from boyin_scheduling.solver.generator import FairConfig, generate_fair
from boyin_scheduling.solver.model import (
    Edition,
    Instance,
    Interval,
    Kind,
    Mode,
    Participant,
    Request,
    Session,
    Slot,
    Table,
)
from boyin_scheduling.solver.problem import Plan, Problem

SH = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 10, 31)


def at(hour: int, minute: int = 0, day: int = 0, first: date = DAY) -> datetime:
    """A time in Shanghai on day ``day`` (0-based) of an edition starting on ``first``."""
    start = datetime(first.year, first.month, first.day, hour, minute, tzinfo=SH)
    return start + timedelta(days=day)


def grid(
    n_slots: int = 4,
    n_tables: int = 2,
    days: int = 1,
    booths: dict[int, str] | None = None,
    sessions: tuple[Session, ...] = (),
    first: date = DAY,
) -> Edition:
    """``n_slots`` half-hour slots per day from 09:00 and tables 1..n_tables."""
    slots = tuple(
        Slot(
            id=f"d{d + 1}s{i + 1}",
            day=first + timedelta(days=d),
            start=at(9, 0, d, first) + timedelta(minutes=30 * i),
            end=at(9, 30, d, first) + timedelta(minutes=30 * i),
        )
        for d in range(days)
        for i in range(n_slots)
    )
    booths = booths or {}
    tables = tuple(Table(n, booths.get(n)) for n in range(1, n_tables + 1))
    return Edition(
        id="ed",
        first_day=first,
        last_day=first + timedelta(days=days - 1),
        slots=slots,
        tables=tables,
        sessions=sessions,
    )


def talent(pid: str, **kw: object) -> Participant:
    return Participant(pid, Kind.TALENT, name=f"Talent {pid}", **kw)  # type: ignore[arg-type]


def org(pid: str, **kw: object) -> Participant:
    return Participant(pid, Kind.ORGANISATION, name=f"Org {pid}", **kw)  # type: ignore[arg-type]


def request(
    rid: str, a: str, b: str, weight: int = 100, mode: Mode = Mode.ON_SITE, must: bool = False
) -> Request:
    return Request(rid, a, b, weight=weight, must_meet=must, mode=mode)


def small_fair(seed: int) -> Instance:
    cfg = FairConfig(
        seed=seed,
        talents=24,
        organisations=8,
        requests=60,
        days=1,
        slots_per_day=8,
        tables=4,
        booths=1,
        cleared_tables=1,
        roadshows=2,
    )
    return generate_fair(cfg).instance


def random_tiny(seed: int) -> Instance:
    """A tiny random instance for brute force: 3 slots, 1–2 tables, ≤ 7 requests."""
    rng = np.random.default_rng(seed)
    edition = grid(n_slots=3, n_tables=int(rng.integers(1, 3)))
    people = [talent(f"t{i}") for i in range(3)] + [
        org(f"o{i}", representatives=int(rng.integers(1, 3))) for i in range(2)
    ]
    blocked_people = []
    for p in people:
        if rng.random() < 0.4:
            i = int(rng.integers(0, 3))
            s = edition.slots[i]
            p = replace(p, blocked=(Interval(s.start, s.end),))
        blocked_people.append(p)
    pairs = list(itertools.product(range(3), range(3, 5)))
    rng.shuffle(pairs)
    n = int(rng.integers(4, 8))
    reqs = tuple(
        request(
            f"r{k}",
            blocked_people[a].id,
            blocked_people[b].id,
            weight=int(rng.integers(1, 10)),
            mode=Mode.ONLINE if rng.random() < 0.3 else Mode.ON_SITE,
        )
        for k, (a, b) in enumerate(pairs[:n])
    )
    return Instance(edition, tuple(blocked_people), reqs)


def brute_force(problem: Problem) -> int:
    """The best objective by trying every assignment (tiny instances only)."""
    choices = [[-1, *problem.options[r].tolist()] for r in range(problem.n_requests)]
    best = 0
    for combo in itertools.product(*choices):
        board = Board(problem)
        ok = True
        for r, s in enumerate(combo):
            if s < 0:
                continue
            if not board.fits(r, s):
                ok = False
                break
            board.place(r, s)
        if ok:
            best = max(best, board.objective())
    return best


def plan_of(problem: Problem, slots: dict[str, str]) -> Plan:
    plan = problem.empty_plan()
    for rid, sid in slots.items():
        plan[problem.request_index[rid]] = problem.slot_index[sid]
    return plan


def brute_force_lex(problem: Problem) -> tuple[int, int]:
    """(best objective, most meetings among the plans that reach it), tiny instances only."""
    choices = [[-1, *problem.options[r].tolist()] for r in range(problem.n_requests)]
    best = (0, 0)
    for combo in itertools.product(*choices):
        board = Board(problem)
        ok = True
        for r, s in enumerate(combo):
            if s < 0:
                continue
            if not board.fits(r, s):
                ok = False
                break
            board.place(r, s)
        if ok:
            best = max(best, (board.objective(), int((board.plan >= 0).sum())))
    return best
