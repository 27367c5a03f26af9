"""The candidates ``Finishing`` makes against the arrays it ranks: the numbers a proposal
stores come rounded to 6 decimals exactly as Python's ``round`` rounds them, and the order
is that of the unrounded scores (halved for the capped)."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

from boyin_matching.ranking import lexical
from boyin_matching.ranking.finishing import (
    CAP_PENALTY,
    DECIMALS,
    Candidate,
    Finishing,
    exposure_cap,
)
from boyin_matching.ranking.matcher import Matcher
from boyin_matching.ranking.scorer import Block
from tests.matching.test_ranking_support import matcher, near, profile, random_unit

WORDS = ("battery", "lidar", "alloy", "sensor", "robot", "chip", "motor", "drone", "display")
ROUNDED = ("forward", "reverse", "cosine", "semantic_forward", "semantic_reverse", "lexical")


def bits(values: list[float]) -> list[int]:
    """The floats' bit patterns (tells -0.0 from 0.0)."""
    out: list[int] = np.array(values, np.float64).view(np.int64).tolist()
    return out


def test_numpy_rounds_float32_values_as_python_round_does() -> None:
    """Rounding float32 values as float64 arrays (``Finishing``'s way) gives the very
    floats ``round(float(x), 6)`` gives: x * 10**6 is exact in float64, rint rounds half to
    even as ``round`` does, and the division is correctly rounded. Checked on random values
    of every magnitude the scores take and on the float32 values at and next to the
    points halfway between two 6-decimal numbers."""
    rng = np.random.default_rng(0)
    uniform = rng.uniform(-1.0, 1.0, 200_000).astype(np.float32)
    tiny = (rng.uniform(-1.0, 1.0, 20_000) * 10.0 ** rng.integers(-12, 1, 20_000)).astype(
        np.float32
    )
    halfway = ((np.arange(0, 1_000_000, 7) + 0.5) / 10**DECIMALS).astype(np.float32)
    above = np.nextafter(halfway, np.float32(np.inf))
    below = np.nextafter(halfway, np.float32(-np.inf))
    # float32 values exactly halfway (odd multiples of 2**-7 are): half to even
    ties = (np.arange(1, 256, 2) / 128).astype(np.float32)
    special = np.array([0.0, -0.0, 1.0, -1.0, 5e-7, -5e-7, 1e-45], np.float32)
    x = np.concatenate([uniform, tiny, halfway, above, below, ties, special])
    x = np.concatenate([x, -x])
    assert ((ties.astype(np.float64) * 10**DECIMALS) % 1 == 0.5).all()
    ours = x.astype(np.float64).round(DECIMALS).tolist()
    pythons = [round(v, DECIMALS) for v in x.tolist()]
    assert bits(ours) == bits(pythons)


def market(seed: int) -> Matcher:
    """30 supplies and 60 demands on random vectors around four centres, English texts
    from a small vocabulary (so most pairs share terms), capacities 0 to 3 and 10."""
    rng = np.random.default_rng(seed)
    words = random.Random(seed)
    centres = [random_unit(rng) for _ in range(4)]
    profiles, vectors = [], []
    for channel, n in (("PROJECT_COOPERATION", 30), ("PROJECT_LANDING", 60)):
        for i in range(n):
            profiles.append(
                profile(
                    f"{channel[8]}{i}",
                    channel,
                    codes=[("C33-L1", "C33-L2", "T416-DI")[i % 3]],
                    en=" ".join(words.choices(WORDS, k=6)),
                    capacity=(0, 1, 2, 3, 10)[i % 5],
                    editions=["2025"] if i % 2 else [],
                )
            )
            vectors.append(near(centres[i % 4], rng, 1.5))
    m = matcher()
    m.add_many(profiles, np.stack(vectors))
    return m


def unrounded(f: Finishing, i: int, col: int) -> dict[str, Any]:
    """A candidate's numbers as ``Finishing`` holds them, as Python floats."""
    arrays = {
        "score": f.final,
        "forward": f.forward,
        "reverse": f.reverse,
        "cosine": f.cosine,
        "semantic_forward": f.semantic_forward,
        "semantic_reverse": f.semantic_reverse,
        "taxonomy": f.taxonomy,
        "lexical": f.lexical,
    }
    # float32, so rounding them as float64 arrays is exact (see the test above)
    assert all(a.dtype == np.float32 for a in arrays.values())
    return {name: float(a[i, col]) for name, a in arrays.items()}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_candidates_carry_rounded_numbers_in_the_order_of_the_unrounded_scores(
    seed: int,
) -> None:
    m = market(seed)
    supplies = m.pools["PROJECT_COOPERATION"].ids
    demands = m.pools["PROJECT_LANDING"].ids
    rng = random.Random(seed)
    # exposure around the caps (3 for capacities 0 and 1, then 6, 9 and 30)
    exposure = {d: rng.choice((0, 2, 3, 5, 6, 9, 30)) for d in demands}
    shortlists = [(s, rng.sample(demands, 40)) for s in supplies]
    checked = rounded_away = held = 0
    for _, pending in m.finish_many(shortlists, k=25):
        assert pending is not None
        f, i = pending.finishing, pending.i
        got = pending.candidates(exposure)
        ids, profiles = f.other.ids, f.other.profiles
        # the reference recipe: ranked by the unrounded score, halved for the capped
        cols = [col for col in range(f.rows.shape[1]) if f.valid[i, col]]
        capped = {}
        for col in cols:
            p = profiles[int(f.rows[i, col])]
            assert p is not None
            capped[col] = exposure.get(p.demand_id, 0) >= exposure_cap(p)
        rank = {col: float(f.final[i, col]) * (CAP_PENALTY if capped[col] else 1.0) for col in cols}
        order = sorted(cols, key=lambda col: -rank[col])[:25]
        assert [c.demand_id for c in got] == [ids[int(f.rows[i, col])] for col in order]
        assert f.terms is not None
        query_terms = f.terms(f.query.ids[int(f.qrows[i])])[0]
        for c, col in zip(got, order, strict=True):
            raw = unrounded(f, i, col)
            for name in ROUNDED:
                assert getattr(c, name) == round(raw[name], 6), name
                assert round(getattr(c, name), 6) == getattr(c, name)  # stored as it is
                rounded_away += getattr(c, name) != raw[name]
            assert c.score == raw["score"]  # unrounded: the feedback scales it
            assert c.taxonomy == raw["taxonomy"]
            assert c.signals == {
                n: float(s[i, col]) for n, (s, a) in f.signals.items() if a[i, col]
            }
            assert list(c.signals) == [n for n, (_, a) in f.signals.items() if a[i, col]]
            assert c.capped == capped[col]
            shared = lexical.shared_terms(query_terms, f.terms(c.demand_id)[0])
            assert c.shared_terms == (tuple(shared) if raw["lexical"] > 0 else ())
            checked += 1
            held += c.capped
    assert checked == 30 * 25
    assert rounded_away > checked  # the float32 values do have more than 6 decimals
    assert 0 < held < checked


def test_near_ties_are_ranked_by_the_unrounded_score() -> None:
    """Scores that differ only past the 6th decimal keep their order (and exact ties
    the order of the columns)."""
    m = market(0)
    query, other = m.pools["PROJECT_COOPERATION"], m.pools["PROJECT_LANDING"]
    n = 12
    # semantic levels 1e-7 apart around 0.7, in a shuffled column order
    levels = (0.7 + 1e-7 * np.array([3, 0, 7, 1, 5, 5, 2, 9, 4, 8, 6, 11])).astype(np.float32)
    sem = levels[None, :]
    shape = (1, n)
    block = Block(
        cosine=sem.copy(),
        semantic_forward=sem,
        semantic_reverse=sem,
        taxonomy=np.ones(shape, np.float32),
        signals={},
        forward=sem,
        reverse=sem,
        reciprocal=sem,
        query_mu=np.zeros((1, 2), np.float32),
        query_sd=np.ones((1, 2), np.float32),
    )
    rows = np.arange(n, dtype=np.intp)[None, :]
    f = Finishing(query, np.array([0], np.intp), other, rows, np.ones(shape, bool), block, n, None)
    got = f.candidates(0)
    final = f.final[0].tolist()
    expected = sorted(range(n), key=lambda c: -final[c])
    assert [c.demand_id for c in got] == [other.ids[c] for c in expected]
    scores = [c.score for c in got]
    assert scores == sorted(scores, reverse=True)
    assert len({round(s, 6) for s in scores}) < len(set(scores))  # rounding would tie them
    for c, col in zip(got, expected, strict=True):
        assert c.score == final[col]
        assert c.forward == round(float(f.forward[0, col]), 6)


def test_a_candidate_is_an_immutable_named_tuple() -> None:
    c = Candidate("d", 0.5, 0.4, 0.6, 0.3, 0.7, 0.8, 1.0, 0.2, {}, ("lidar",), False)
    assert c._fields == (
        "demand_id",
        "score",
        "forward",
        "reverse",
        "cosine",
        "semantic_forward",
        "semantic_reverse",
        "taxonomy",
        "lexical",
        "signals",
        "shared_terms",
        "capped",
    )
    with pytest.raises(AttributeError):
        c.score = 1.0  # type: ignore[misc]
    d = c._replace(score=0.25)
    assert (d.score, d.demand_id, c.score) == (0.25, "d", 0.5)


def test_candidates_without_terms_differ_in_nothing_else() -> None:
    m = market(3)
    query, demands = m.pools["PROJECT_COOPERATION"].ids[0], m.pools["PROJECT_LANDING"].ids
    [(_, pending)] = m.finish_many([(query, demands[:80])], k=25)
    assert pending is not None
    exposure = {demands[3]: 100}
    full = pending.candidates(exposure)
    bare = pending.candidates(exposure, with_terms=False)
    assert any(c.shared_terms for c in full)
    assert all(c.shared_terms == () for c in bare)
    assert [c._replace(shared_terms=()) for c in full] == bare
    for c in full:
        assert c.shared_terms == m.shared_terms(query, c.demand_id) or (
            c.lexical == 0 and not c.shared_terms
        )
