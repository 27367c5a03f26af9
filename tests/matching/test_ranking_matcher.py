"""The matcher on constructed vectors: the right partner first in both directions, removal,
exposure control, pair() against candidates(), the large-pool path and rematch()."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from boyin_matching.ranking import finishing as finishing_module
from boyin_matching.ranking import matcher as matcher_module
from boyin_matching.ranking.finishing import Candidate, exposure_cap
from boyin_matching.ranking.matcher import Matcher
from boyin_matching.ranking.profiles import COUNTERPART, Profile
from tests.matching.test_ranking_support import (
    DIM,
    F32,
    matcher,
    near,
    no_encode,
    profile,
    random_unit,
    unit,
)

PROJECTS = ("PROJECT_COOPERATION", "PROJECT_LANDING")
JOBS = ("JOB_SEEKING", "TALENT_RECRUITMENT")


@dataclass(frozen=True)
class Side:
    """Details (and the job seeker's degree) that fit the other side, or do not."""

    good: dict[str, Any]
    bad: dict[str, Any]
    good_degree: str | None = None
    bad_degree: str | None = None


SIDES: dict[str, Side] = {
    "PROJECT_COOPERATION": Side(
        {"stage": "PILOT", "sought": ["JOINT_RD", "INVESTMENT"], "funding_sought_wan": 100},
        {"stage": "IDEA", "sought": ["INCUBATION"], "funding_sought_wan": 5000},
    ),
    "PROJECT_LANDING": Side(
        {"wanted_stage": "PILOT", "cooperation_modes": ["JOINT_RD"], "budget_wan": 200},
        {"wanted_stage": "PRODUCT", "cooperation_modes": ["TECH_TRANSFER"], "budget_wan": 10},
    ),
    "JOB_SEEKING": Side(
        {"work_mode": "FULL_TIME"}, {"work_mode": "PART_TIME"}, "POSTDOC", "PHD_CANDIDATE"
    ),
    "TALENT_RECRUITMENT": Side(
        {"work_mode": "FULL_TIME", "degree_required": "PHD"},
        {"work_mode": "PART_TIME", "degree_required": "POSTDOC"},
    ),
}
BACKGROUND_CODES = ("C33-P2", "C33-F5", "T416-DI", "C33-N02", "T416-GL")


def _member(
    demand_id: str, channel: str, code: str, good: bool, *, capacity: int = 10, en: bool = False
) -> Profile:
    side = SIDES[channel]
    return profile(
        demand_id,
        channel,
        codes=[code],
        details=side.good if good else side.bad,
        degree=side.good_degree if good else side.bad_degree,
        capacity=capacity,
        en=f"demand {demand_id}" if en else None,
        editions=["2025"],
    )


def market(channels: tuple[str, str], seed: int) -> Matcher:
    """A query ``q`` and its ``right`` partner (close vectors, the same cluster, fitting
    details; the partner can take on one thing, so its exposure cap is 3) among decoys:
    ``twin`` has the partner's very vector but another cluster of the same group and details
    that do not fit, ``far`` fits but is a different idea in the same cluster; ``s-twin`` and
    ``s-far`` compete for the partner the same way on the query's side. Around them, 25
    profiles per side in five other clusters (a fifth in English)."""
    supply, demand = channels
    rng = np.random.default_rng(seed)
    centre = random_unit(rng)
    vq = near(centre, rng, 0.8)
    vr = near(vq, rng, 0.25)
    profiles: list[Profile] = [
        _member("q", supply, "C33-L1", True),
        _member("s-twin", supply, "C33-L2", False),
        _member("s-far", supply, "C33-L1", True),
        _member("right", demand, "C33-L1", True, capacity=1),
        _member("twin", demand, "C33-L2", False),
        _member("far", demand, "C33-L1", True),
    ]
    vectors = [vq, vq, near(centre, rng, 0.8), vr, vr, near(centre, rng, 0.8)]
    others = [random_unit(rng) for _ in BACKGROUND_CODES]
    for channel in channels:
        for i in range(25):
            k = i % len(BACKGROUND_CODES)
            profiles.append(
                _member(
                    f"bg-{channel}-{i}", channel, BACKGROUND_CODES[k], i % 3 != 0, en=i % 5 == 4
                )
            )
            vectors.append(near(others[k], rng, 1.0))
    m = matcher()
    m.add_many(profiles, np.stack(vectors))
    return m


def ids(candidates: Sequence[Candidate]) -> list[str]:
    return [c.demand_id for c in candidates]


@pytest.mark.parametrize("channels", [PROJECTS, JOBS], ids=["projects", "jobs"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_right_partner_comes_first_in_both_directions(
    channels: tuple[str, str], seed: int
) -> None:
    m = market(channels, seed)
    forward = m.candidates("q", k=10)
    assert forward[0].demand_id == "right", [(c.demand_id, round(c.score, 3)) for c in forward]
    backward = m.candidates("right", k=10)
    assert backward[0].demand_id == "q", [(c.demand_id, round(c.score, 3)) for c in backward]
    for result, query in ((forward, "q"), (backward, "right")):
        assert len(result) == 10
        scores = [c.score for c in result]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= c.score <= 1.0 for c in result)
        assert not any(c.capped for c in result)
        wanted = COUNTERPART[channels[0] if query == "q" else channels[1]]
        for c in result:
            other = m.profile(c.demand_id)
            assert other is not None and other.channel == wanted
    top = forward[0]
    assert top.taxonomy == 1.0
    assert all(v == 1.0 for v in top.signals.values())
    # the decoy with the partner's vector loses on the facts, not on meaning
    twin = next(c for c in m.candidates("q", k=100) if c.demand_id == "twin")
    assert twin.cosine == pytest.approx(top.cosine, abs=1e-6)
    assert twin.taxonomy == pytest.approx(0.6)
    assert twin.score < top.score


def test_a_removed_profile_leaves_the_results() -> None:
    m = market(PROJECTS, 0)
    assert m.remove("right") is True
    assert m.remove("right") is False
    assert m.profile("right") is None
    assert m.candidates("right") == []
    everything = m.candidates("q", k=1000)
    assert "right" not in ids(everything)
    assert len(everything) == len(m.pools["PROJECT_LANDING"]) == 27
    # the counterparts of the removed one no longer see it either
    for query in ("s-twin", "s-far", "bg-PROJECT_COOPERATION-0"):
        assert "right" not in ids(m.candidates(query, k=1000))
    assert m.candidates("never-published") == []
    # published again, it is back on top
    rng = np.random.default_rng(0)
    q = m.pools["PROJECT_COOPERATION"]
    m.add(
        _member("right", "PROJECT_LANDING", "C33-L1", True), near(q.vectors[q.rows["q"]], rng, 0.1)
    )
    assert m.candidates("q")[0].demand_id == "right"


def test_no_counterparts_means_no_candidates() -> None:
    m = matcher()
    m.add(
        _member("q", "PROJECT_COOPERATION", "C33-L1", True), random_unit(np.random.default_rng(0))
    )
    assert m.candidates("q") == []
    assert list(m.rematch()) == []


def test_exposure_cap() -> None:
    assert exposure_cap(_member("x", "PROJECT_LANDING", "C33", True, capacity=1)) == 3
    assert exposure_cap(_member("x", "PROJECT_LANDING", "C33", True, capacity=0)) == 3
    assert exposure_cap(_member("x", "PROJECT_LANDING", "C33", True, capacity=10)) == 30


def test_the_exposure_cap_demotes_and_marks_a_capped_candidate() -> None:
    m = market(PROJECTS, 0)
    free = m.candidates("q", k=10)
    assert free[0].demand_id == "right"
    below = m.candidates("q", k=10, exposure={"right": 2, "far": 29})  # caps are 3 and 30
    assert ids(below) == ids(free)
    assert not any(c.capped for c in below)
    capped = m.candidates("q", k=10, exposure={"right": 3})
    assert capped[0].demand_id != "right"
    held = next(c for c in capped if c.demand_id == "right")
    assert held.capped
    assert held.score == pytest.approx(free[0].score)  # the score itself is not changed
    assert [c.demand_id for c in capped if c.capped] == ["right"]
    # the list is ordered by the score, halved for the capped candidate
    keys = [c.score * (finishing_module.CAP_PENALTY if c.capped else 1.0) for c in capped]
    assert keys == sorted(keys, reverse=True)
    # a candidate with a larger capacity is held back only at its own cap
    far = m.candidates("q", k=10, exposure={"far": 30})
    assert [c.demand_id for c in far if c.capped] == ["far"]


@pytest.mark.parametrize("channels", [PROJECTS, JOBS], ids=["projects", "jobs"])
def test_pair_scores_as_candidates_does(channels: tuple[str, str]) -> None:
    m = market(channels, 1)
    for query in ("q", "right", "s-far", "bg-" + channels[1] + "-4"):
        for c in m.candidates(query, k=100):
            [p] = m.pair(query, c.demand_id)
            assert p.demand_id == c.demand_id
            for field in (
                "score",
                "forward",
                "reverse",
                "cosine",
                "semantic_forward",
                "semantic_reverse",
                "taxonomy",
                "lexical",
            ):
                assert getattr(p, field) == pytest.approx(getattr(c, field), abs=1e-5), (
                    query,
                    c.demand_id,
                    field,
                )
            assert p.signals.keys() == c.signals.keys()
            assert p.shared_terms == c.shared_terms
            assert not p.capped


def test_pair_of_a_removed_candidate_is_empty() -> None:
    m = market(PROJECTS, 0)
    m.remove("right")
    assert m.pair("q", "right") == []


def test_vector_of_averages_the_languages() -> None:
    asked: list[list[str]] = []
    basis = np.eye(DIM, dtype=np.float32)

    def encode(texts: Sequence[str]) -> F32:
        asked.append(list(texts))
        return basis[: len(texts)] * 3

    m = Matcher(encode, DIM)
    both = profile("b", "PROJECT_LANDING", zh="激光雷达", en="laser scanner")
    v = m.vector_of(both)
    assert asked == [["激光雷达", "laser scanner"]]
    np.testing.assert_allclose(v, unit(basis[0] + basis[1]), rtol=1e-6)
    m.add(both)
    row = m.pools["PROJECT_LANDING"].rows["b"]
    np.testing.assert_allclose(m.pools["PROJECT_LANDING"].vectors[row], v)


def clustered(seed: int, clusters: int, per: int, dim: int) -> tuple[list[Profile], F32]:
    """Pairs of a project and a demand around a common idea, ideas around cluster centres,
    one taxonomy code per cluster."""
    rng = np.random.default_rng(seed)
    codes = ["C33-L1", "C33-L2", "C33-L3", "C33-P1", "C33-P2", "C33-P3", "C33-F1", "C33-F5"]
    codes += ["C33-N02", "C33-N05", "T416-DI", "T416-LH"]
    profiles, vectors = [], []
    for k in range(clusters):
        centre = random_unit(rng, dim)
        for j in range(per):
            idea = near(centre, rng, 1.0)
            for channel in PROJECTS:
                profiles.append(
                    _member(f"{channel[8]}-{k}-{j}", channel, codes[k], True, en=j % 4 == 3)
                )
                vectors.append(near(idea, rng, 0.3))
    return profiles, np.stack(vectors)


def test_the_large_pool_path_agrees_with_the_exhaustive_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(matcher_module, "PREFILTER_FROM", 50)
    monkeypatch.setattr(matcher_module, "PREFILTER", 30)
    dim = 128  # larger than the 64 reduced dimensions: the first pass is approximate
    profiles, vectors = clustered(3, 10, 25, dim)
    m = matcher(dim)
    m.add_many(profiles, vectors)
    assert m.basis is not None
    assert m.basis.shape == (dim, 64)
    queries = [p.demand_id for p in profiles[::5]]
    assert {q[0] for q in queries} == {"C", "L"}  # both directions
    fast = {q: m.candidates(q, k=5) for q in queries}
    # the first pass really cut the pool
    assert len(m.candidates(queries[0], k=1000)) <= 30
    monkeypatch.setattr(matcher_module, "PREFILTER_FROM", 10**9)
    assert len(m.candidates(queries[0], k=1000)) == 250
    for q in queries:
        exact = m.candidates(q, k=5)
        assert fast[q][0].demand_id == exact[0].demand_id, q
        assert fast[q][0].score == pytest.approx(exact[0].score, abs=1e-5)
        partner = ("L" if q[0] == "C" else "C") + q[1:]
        assert exact[0].demand_id == partner
    # a profile added one by one after the fit gets its reduced vector too
    pool = m.pools["PROJECT_LANDING"]
    late = near(vectors[0], np.random.default_rng(9), 0.2)
    m.add(_member("late", "PROJECT_LANDING", "C33-L1", True), late)
    np.testing.assert_allclose(pool.reduced[pool.rows["late"]], late @ m.basis, atol=1e-5)


def test_pair_uses_the_sampled_statistics_of_the_large_pool_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(matcher_module, "PREFILTER_FROM", 50)
    monkeypatch.setattr(matcher_module, "PREFILTER", 30)
    monkeypatch.setattr(matcher_module, "STATS_SAMPLE", 60)  # a sample of the 150 live
    profiles, vectors = clustered(4, 6, 25, 128)
    m = matcher(128)
    m.add_many(profiles, vectors)
    for q in [p.demand_id for p in profiles[::15]]:
        for c in m.candidates(q, k=5):
            [p] = m.pair(q, c.demand_id)
            assert p.score == pytest.approx(c.score, abs=1e-5), (q, c.demand_id)
            assert p.semantic_forward == pytest.approx(c.semantic_forward, abs=1e-5)


def small_market() -> Matcher:
    m = market(PROJECTS, 4)
    rng = np.random.default_rng(4)
    jobs = []
    for i in range(12):
        for channel in JOBS:
            jobs.append(
                _member(f"{channel}-{i}", channel, ("C33-N02", "T416-DI")[i % 2], i % 4 != 0)
            )
    m.add_many(jobs, np.stack([random_unit(rng) for _ in jobs]))
    return m


def test_rematch_agrees_with_candidates_without_the_lexical_signal() -> None:
    m = small_market()
    lists = dict(m.rematch(k=10))
    everyone = {i for pool in m.pools.values() for i in pool.ids}
    assert set(lists) == everyone
    by_channel = {ch: 0 for ch in m.pools}
    for query, ranked in lists.items():
        got = m.profile(query)
        assert got is not None
        by_channel[got.channel] += 1
        expected = m.candidates(query, k=10, use_lexical=False)
        assert ranked, query
        assert ranked[0][0] == expected[0].demand_id, query
        assert ranked[0][1] == pytest.approx(expected[0].score, abs=1e-5)
        assert [i for i, _ in ranked] == ids(expected), query
        assert [s for _, s in ranked] == pytest.approx([c.score for c in expected], abs=1e-5)
    assert by_channel == {
        "PROJECT_COOPERATION": 28,
        "PROJECT_LANDING": 28,
        "JOB_SEEKING": 12,
        "TALENT_RECRUITMENT": 12,
    }


def test_rematch_leaves_out_removed_profiles() -> None:
    m = small_market()
    assert m.remove("right")
    assert m.remove("JOB_SEEKING-3")
    lists = dict(m.rematch(k=1000))
    assert "right" not in lists
    assert "JOB_SEEKING-3" not in lists
    for ranked in lists.values():
        names = [i for i, _ in ranked]
        assert "right" not in names
        assert "JOB_SEEKING-3" not in names
    assert len(lists["q"]) == 27
    assert len(lists["TALENT_RECRUITMENT-0"]) == 11


def test_add_without_a_vector_asks_the_encoder() -> None:
    m = Matcher(no_encode, DIM)
    with pytest.raises(AssertionError, match="must not be called"):
        m.add(profile("x", "PROJECT_LANDING"))
    assert m.profile("x") is None
