"""The vectorised scorer against the scalar signals the explanations use (they must tell the
same story as the ranking), and the fusion of signals."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from boyin_matching.ranking import codes
from boyin_matching.ranking import signals as sig
from boyin_matching.ranking.pool import Columns, Pool
from boyin_matching.ranking.profiles import Profile
from boyin_matching.ranking.scorer import WEIGHTS, fuse, harmonic, score_block, structured
from tests.matching.test_ranking_support import F32, profile, random_unit, tree

DIM = 16
EDITIONS = ("2024-spring", "2024-autumn", "2025-spring")
Check = Callable[[Profile, Profile], sig.Signal | None]


def _maybe(r: random.Random, details: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` most of the time; sometimes to None, sometimes not at all."""
    roll = r.random()
    if roll < 0.7:
        details[key] = value
    elif roll < 0.85:
        details[key] = None


def _subset(r: random.Random, options: tuple[str, ...], p: float) -> list[str]:
    return [o for o in options if r.random() < p]


def _money(r: random.Random) -> int:
    return r.choice([0, r.randint(1, 50), r.randint(1, 500), r.randint(100, 1000)])


def random_profile(r: random.Random, i: int, channel: str) -> Profile:
    details: dict[str, Any] = {}
    criteria: list[str] = []
    degree = None
    if channel == "PROJECT_COOPERATION":
        _maybe(r, details, "stage", r.choice(codes.STAGES))
        _maybe(r, details, "sought", _subset(r, codes.MODES, 0.3))
        _maybe(r, details, "funding_sought_wan", _money(r))
        criteria = _subset(r, codes.SUPPLIER_CRITERIA, 0.25)
    elif channel == "PROJECT_LANDING":
        _maybe(r, details, "wanted_stage", r.choice(codes.STAGES))
        _maybe(r, details, "cooperation_modes", _subset(r, codes.MODES, 0.3))
        _maybe(r, details, "budget_wan", _money(r))
        criteria = _subset(r, codes.DEMANDER_CRITERIA, 0.25)
    elif channel == "JOB_SEEKING":
        _maybe(r, details, "work_mode", r.choice(codes.WORK_MODES))
        degree = r.choice([*codes.DEGREES, None])
        # facts of other channels must not leak into this one's signals
        criteria = _subset(r, codes.SUPPLIER_CRITERIA, 0.2)
    else:
        _maybe(r, details, "work_mode", r.choice(codes.WORK_MODES))
        _maybe(r, details, "degree_required", r.choice(list(codes.DEGREES)))
        criteria = _subset(r, codes.DEMANDER_CRITERIA, 0.2)
    return profile(
        f"{channel[:3]}-{i}",
        channel,
        details=details,
        editions=_subset(r, EDITIONS, 0.4),
        criteria=criteria,
        degree=degree,
    )


def pools_of(supply_channel: str, demand_channel: str, n: int, seed: int) -> tuple[Pool, Pool]:
    r = random.Random(seed)
    rng = np.random.default_rng(seed)
    t = tree()
    columns = Columns()
    supply, demand = Pool(supply_channel, DIM, columns), Pool(demand_channel, DIM, columns)
    supplies = [random_profile(r, i, supply_channel) for i in range(n)]
    demands = [random_profile(r, i, demand_channel) for i in range(n + 3)]
    for p in supplies:
        supply.upsert(p, random_unit(rng, DIM), t)
    for p in demands:
        demand.upsert(p, random_unit(rng, DIM), t)
    return supply, demand


PROJECT_CHECKS: dict[str, Check] = {
    "modes": sig.modes,
    "stage": sig.stage,
    "budget": sig.budget,
    "eligibility": sig.eligibility,
    "edition": sig.editions,
}
JOB_CHECKS: dict[str, Check] = {
    "degree": sig.degree,
    "work_mode": sig.work_mode,
    "edition": sig.editions,
}


@pytest.mark.parametrize(
    ("supply_channel", "demand_channel", "checks"),
    [
        ("PROJECT_COOPERATION", "PROJECT_LANDING", PROJECT_CHECKS),
        ("JOB_SEEKING", "TALENT_RECRUITMENT", JOB_CHECKS),
    ],
    ids=["projects", "jobs"],
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_structured_agrees_with_the_scalar_signals(
    supply_channel: str, demand_channel: str, checks: dict[str, Check], seed: int
) -> None:
    supply, demand = pools_of(supply_channel, demand_channel, 40, seed)
    applied: dict[str, int] = dict.fromkeys(checks, 0)
    scores: dict[str, set[float]] = {name: set() for name in checks}
    for query, other, query_is_supply in ((supply, demand, True), (demand, supply, False)):
        qrows = np.arange(query.size)
        by_slice = structured(query, qrows, other, slice(0, other.size))
        by_index = structured(query, qrows, other, np.arange(other.size))
        for name, check in checks.items():
            score, applies = by_slice[name]
            assert score.shape == applies.shape == (query.size, other.size)
            np.testing.assert_array_equal(score, by_index[name][0])
            np.testing.assert_array_equal(applies, by_index[name][1])
            for i in range(query.size):
                for j in range(other.size):
                    a, b = query.profiles[i], other.profiles[j]
                    assert a is not None and b is not None
                    s, d = (a, b) if query_is_supply else (b, a)
                    expected = check(s, d)
                    context = f"{name}: {s.details} {s.criteria} {s.degree} {s.editions} / {d.details} {d.criteria} {d.editions}"
                    assert bool(applies[i, j]) == (expected is not None), context
                    if expected is not None:
                        assert score[i, j] == pytest.approx(expected.score, abs=1e-6), context
                        applied[name] += 1
                        scores[name].add(round(expected.score, 3))
    # the random profiles exercised each signal, with more than one outcome
    for name in checks:
        assert applied[name] > 50, name
        assert len(scores[name]) >= 2, (name, scores[name])


def test_structured_budget_edge_cases() -> None:
    t = tree()
    columns = Columns()
    supply, demand = (
        Pool("PROJECT_COOPERATION", DIM, columns),
        Pool("PROJECT_LANDING", DIM, columns),
    )
    v = random_unit(np.random.default_rng(0), DIM)
    sought = [None, 0, 100, 100, 100, 100]
    offered = [50, 50, 0, 50, 100, 250]
    expected = [None, None, 0.0, 0.5, 1.0, 1.0]
    for i, (s, o) in enumerate(zip(sought, offered, strict=True)):
        supply.upsert(profile(f"s{i}", supply.channel, details={"funding_sought_wan": s}), v, t)
        demand.upsert(profile(f"d{i}", demand.channel, details={"budget_wan": o}), v, t)
    out = structured(supply, np.arange(supply.size), demand, np.arange(demand.size))
    score, applies = out["budget"]
    for i, e in enumerate(expected):
        assert bool(applies[i, i]) == (e is not None)
        if e is not None:
            assert score[i, i] == e
        a, b = supply.profiles[i], demand.profiles[i]
        assert a is not None and b is not None
        scalar = sig.budget(a, b)
        assert (scalar is None) == (e is None)
        assert scalar is None or scalar.score == e


def test_block_taxonomy_agrees_with_the_tree() -> None:
    t = tree()
    r = random.Random(5)
    rng = np.random.default_rng(5)
    known = list(t.parents)
    choices = [*known, "MYSTERY-1", "MYSTERY-2"]
    columns = Columns()
    supply, demand = (
        Pool("PROJECT_COOPERATION", DIM, columns),
        Pool("PROJECT_LANDING", DIM, columns),
    )
    for pool in (supply, demand):
        for i in range(30):
            picked = r.sample(choices, r.choice([0, 1, 1, 2, 3]))
            pool.upsert(
                profile(f"{pool.channel}-{i}", pool.channel, codes=picked), random_unit(rng, DIM), t
            )
    block = score_block(supply, np.arange(supply.size), demand, slice(0, demand.size))
    seen = set()
    for i, a in enumerate(supply.profiles):
        for j, b in enumerate(demand.profiles):
            assert a is not None and b is not None
            expected = t.best(a.taxonomy_codes, b.taxonomy_codes)[0]
            assert block.taxonomy[i, j] == pytest.approx(expected), (
                a.taxonomy_codes,
                b.taxonomy_codes,
            )
            seen.add(expected)
    assert seen == {0.0, 0.25, 0.6, 1.0}


def _one(x: float) -> F32:
    return np.array([x], np.float32)


def _signal(score: float, applies: bool) -> tuple[F32, np.ndarray[Any, np.dtype[np.bool_]]]:
    return _one(score), np.array([applies])


def test_fuse_renormalises_over_the_signals_that_apply() -> None:
    sem, tax = _one(0.8), _one(0.6)
    w = WEIGHTS["PROJECT_COOPERATION"]
    base = (w["semantic"] * 0.8 + w["taxonomy"] * 0.6) / (w["semantic"] + w["taxonomy"])
    assert fuse("PROJECT_COOPERATION", sem, tax, {})[0] == pytest.approx(base)
    # a signal that does not apply changes nothing, whatever its score
    for score in (0.0, 0.5, 1.0):
        out = fuse("PROJECT_COOPERATION", sem, tax, {"modes": _signal(score, False)})
        assert out[0] == pytest.approx(base)
    # one that applies joins the weighted mean
    out = fuse("PROJECT_COOPERATION", sem, tax, {"modes": _signal(0.0, True)})
    expected = (w["semantic"] * 0.8 + w["taxonomy"] * 0.6) / (
        w["semantic"] + w["taxonomy"] + w["modes"]
    )
    assert out[0] == pytest.approx(expected)
    # a signal this viewer does not weigh is ignored
    out = fuse("PROJECT_COOPERATION", sem, tax, {"degree": _signal(0.0, True)})
    assert out[0] == pytest.approx(base)
    # the lexical signal, when given, always applies
    out = fuse("PROJECT_COOPERATION", sem, tax, {}, _one(0.1))
    expected = (w["semantic"] * 0.8 + w["taxonomy"] * 0.6 + w["lexical"] * 0.1) / (
        w["semantic"] + w["taxonomy"] + w["lexical"]
    )
    assert out[0] == pytest.approx(expected)


@pytest.mark.parametrize("viewer", list(WEIGHTS))
def test_fuse_is_a_weighted_mean(viewer: str) -> None:
    rng = np.random.default_rng(len(viewer))
    n = 200
    names = ["modes", "stage", "budget", "eligibility", "degree", "work_mode", "edition"]
    signals = {name: (rng.random(n).astype(np.float32), rng.random(n) < 0.5) for name in names}
    sem, tax, lex = (rng.random(n).astype(np.float32) for _ in range(3))
    out = fuse(viewer, sem, tax, signals, lex)
    w = WEIGHTS[viewer]
    for k in range(n):
        parts = [(w["semantic"], sem[k]), (w["taxonomy"], tax[k]), (w["lexical"], lex[k])]
        parts += [(w[m], s[k]) for m, (s, a) in signals.items() if m in w and a[k]]
        expected = sum(wt * x for wt, x in parts) / sum(wt for wt, _ in parts)
        assert out[k] == pytest.approx(expected, abs=1e-6)
    # the mean of equal scores is that score
    same = {name: (np.full(n, 0.3, np.float32), a) for name, (_, a) in signals.items()}
    flat = np.full(n, 0.3, np.float32)
    np.testing.assert_allclose(fuse(viewer, flat, flat, same, flat), 0.3, rtol=1e-6)
    assert out.dtype == np.float32


def test_weights_of_each_view_sum_to_one() -> None:
    for viewer, weights in WEIGHTS.items():
        assert sum(weights.values()) == pytest.approx(1.0), viewer


def test_harmonic() -> None:
    rng = np.random.default_rng(3)
    a = rng.random(1000).astype(np.float32)
    b = rng.random(1000).astype(np.float32)
    h = harmonic(a, b)
    np.testing.assert_allclose(h, harmonic(b, a))
    lo = np.minimum(a, b)
    assert np.all(h <= 2 * lo + 1e-6)
    assert np.all(h >= lo - 1e-6)
    assert np.all(h <= (a + b) / 2 + 1e-6)
    np.testing.assert_allclose(harmonic(a, a), a, rtol=1e-5, atol=1e-6)
    zeros = np.zeros(1000, np.float32)
    np.testing.assert_array_equal(harmonic(a, zeros), 0.0)
    np.testing.assert_array_equal(harmonic(zeros, b), 0.0)
    np.testing.assert_array_equal(harmonic(zeros, zeros), 0.0)
    assert harmonic(_one(1.0), _one(0.5))[0] == pytest.approx(2 / 3)
    assert h.dtype == np.float32
