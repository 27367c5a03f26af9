"""The seeded benchmark generator: reproducible, and within the caps it promises."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from boyin_scheduling.solver.generator import FairConfig, generate_fair
from boyin_scheduling.solver.model import Kind, Mode
from boyin_scheduling.solver.problem import build_problem

CFG = FairConfig(
    seed=11,
    talents=60,
    organisations=20,
    requests=240,
    days=2,
    slots_per_day=8,
    tables=8,
    booths=2,
    cleared_tables=2,
    roadshows=3,
)


def test_the_same_seed_gives_the_same_fair() -> None:
    assert generate_fair(CFG) == generate_fair(CFG)
    other = generate_fair(replace(CFG, seed=12))
    assert other.instance.requests != generate_fair(CFG).instance.requests


def test_requests_respect_caps_and_modes() -> None:
    fair = generate_fair(CFG)
    inst = fair.instance
    problem = build_problem(inst)  # the generated instance passes every input check
    counts: dict[str, int] = {}
    for r in inst.requests:
        counts[r.a] = counts.get(r.a, 0) + 1
        counts[r.b] = counts.get(r.b, 0) + 1
        a = problem.participants[problem.participant_index[r.a]]
        assert a.kind is Kind.TALENT
        assert (r.mode is Mode.ONLINE) == a.online_only
    online_only = np.array([p.online_only for p in problem.participants])
    free = problem.available & np.where(online_only[:, None], problem.in_hours, True)
    for i, p in enumerate(problem.participants):
        assert counts.get(p.id, 0) <= free[i].sum() * p.representatives
        assert p.min_meetings <= counts.get(p.id, 0)
    assert problem.feasible.any(axis=1).all()
    assert len(inst.requests) + fair.dropped_requests == CFG.requests
    booths = {t.booth_of for t in inst.edition.tables if t.booth_of}
    assert len(booths) == CFG.booths
    assert len({s.tables for s in inst.edition.slots}) == 2  # cleared tables at the end
