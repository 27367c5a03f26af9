"""The optimised rematch (blocks on threads, rough shortlist, statistics on column ranges)
against the straightforward path (``candidates`` without the lexical signal, every
candidate fused in full) on random pools with both languages, removed rows and random
facts; the language-pair priors of small language groups; the BLAS thread switch."""

from __future__ import annotations

import random

import numpy as np
import pytest

from boyin_matching.ranking import blas
from boyin_matching.ranking import shortlists as shortlists_module
from boyin_matching.ranking.matcher import Matcher
from boyin_matching.ranking.profiles import COUNTERPART, Profile
from boyin_matching.ranking.scorer import (
    CALIBRATION,
    MIN_FOR_STATS,
    SHRINK,
    lang_stats,
    language_priors,
)
from boyin_matching.ranking.shortlists import Counterparts
from tests.matching.test_ranking_support import matcher, profile, random_unit, unit

CODES = ("C33-L1", "C33-L2", "C33-N02", "C33-F5", "T416-DI", "T416-GL", "T416-LH")
STAGES = ("IDEA", "PROTOTYPE", "PILOT", "PRODUCT")
MODES = ("TECH_TRANSFER", "JOINT_RD", "INVESTMENT", "INCUBATION", "OFFSHORE_RD")
CHANNELS = ("PROJECT_COOPERATION", "PROJECT_LANDING", "JOB_SEEKING", "TALENT_RECRUITMENT")


def _details(channel: str, r: random.Random) -> dict[str, object]:
    if channel == "PROJECT_COOPERATION":
        return {
            "stage": r.choice(STAGES),
            "sought": r.sample(MODES, r.randint(0, 2)),
            "funding_sought_wan": r.randint(50, 3000),
        }
    if channel == "PROJECT_LANDING":
        return {
            "wanted_stage": r.choice(STAGES),
            "cooperation_modes": r.sample(MODES, r.randint(0, 2)),
            "budget_wan": r.randint(50, 3000),
        }
    if channel == "JOB_SEEKING":
        return {"work_mode": r.choice(("FULL_TIME", "PART_TIME", "FLEXIBLE"))}
    return {
        "work_mode": r.choice(("FULL_TIME", "PART_TIME", "FLEXIBLE")),
        "degree_required": r.choice(("MASTER", "PHD", "POSTDOC")),
    }


def random_market(sizes: dict[str, int], seed: int, removed: int = 7) -> Matcher:
    """Random vectors with some structure (a few themes), both languages (English a third,
    its vectors shifted as cross-lingual ones are), random codes and facts; every
    ``removed``-th profile is removed again, so the pools have dead rows."""
    r = random.Random(seed)
    rng = np.random.default_rng(seed)
    dim = 32
    themes = [random_unit(rng, dim) for _ in range(6)]
    shift = random_unit(rng, dim)
    profiles: list[Profile] = []
    vectors = []
    for channel, n in sizes.items():
        for i in range(n):
            en = r.random() < 0.35
            name = f"{channel}-{i}"
            profiles.append(
                profile(
                    name,
                    channel,
                    codes=r.sample(CODES, r.randint(1, 2)),
                    details=_details(channel, r),
                    editions=["2025"] if r.random() < 0.5 else [],
                    degree=r.choice((None, "MASTER", "PHD", "POSTDOC")),
                    zh=None if en else f"需求{name}",
                    en=f"demand {name}" if en else None,
                )
            )
            theme = themes[r.randrange(len(themes))]
            v = theme + 0.9 * rng.standard_normal(dim) / np.sqrt(dim) + (0.4 * shift if en else 0)
            vectors.append(unit(v))
    m = matcher(dim)
    m.add_many(profiles, np.stack(vectors))
    for p in profiles[::removed]:
        assert m.remove(p.demand_id)
    return m


SIZES = {
    "PROJECT_COOPERATION": 90,
    "PROJECT_LANDING": 110,
    "JOB_SEEKING": 40,
    "TALENT_RECRUITMENT": 30,
}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rematch_ranks_as_the_straightforward_path(seed: int) -> None:
    """With a shortlist as large as the pool, the optimised rematch (several blocks, on
    threads) returns exactly the rankings and scores of scoring every pair in full."""
    m = random_market(SIZES, seed)
    # the removals left the stored statistics stale; a first rematch refreshes them (the
    # first channel's lists use its counterparts' statistics as they were)
    for _ in m.rematch(k=1):
        pass
    lists = list(m.rematch(k=15, block_size=16, shortlist=1000))
    # every live profile once, channel after channel, in row order within a channel
    expected_order = [m.pools[ch].ids[r] for ch in CHANNELS for r in m.pools[ch].live_rows()]
    assert [q for q, _ in lists] == expected_order
    for query, ranked in lists:
        reference = m.candidates(query, k=15, use_lexical=False)
        assert [i for i, _ in ranked] == [c.demand_id for c in reference], query
        assert [s for _, s in ranked] == pytest.approx([c.score for c in reference], abs=1e-5)


def test_shortlists_are_the_rematch_lists_as_rows() -> None:
    """The job's ``shortlists`` (counterpart rows) are ``rematch``'s lists (ids), query
    by query, for the queries asked only."""
    m = random_market(SIZES, 4)
    for _ in m.rematch(k=1):  # statistics refreshed, as above
        pass
    queries = [m.pools[ch].ids[r] for ch in CHANNELS for r in m.pools[ch].live_rows()[::3]]
    want = list(m.rematch(k=12, queries=queries))
    got = list(m.shortlists(k=12, queries=queries))
    assert [q for q, _ in got] == [q for q, _ in want] and len(got) == len(queries)
    for (query, rows), (_, ranked) in zip(got, want, strict=True):
        other = m.pools[COUNTERPART[next(c for c in CHANNELS if query in m.pools[c].rows)]]
        assert [other.ids[r] for r in rows.tolist()] == [i for i, _ in ranked], query


@pytest.mark.parametrize("seed", [0, 1])
def test_the_rematch_shortlist_keeps_the_exact_top(seed: int) -> None:
    """A shortlist smaller than the pool (the rough score picks it): the scores are the
    exact ones of those candidates, and the exact top 10 is (almost) all found."""
    m = random_market({"PROJECT_COOPERATION": 120, "PROJECT_LANDING": 160}, seed)
    for _ in m.rematch(k=1):
        pass
    found = total = 0
    for query, ranked in m.rematch(k=10, block_size=32, shortlist=40):
        reference = m.candidates(query, k=1000, use_lexical=False)
        exact = {c.demand_id: c.score for c in reference}
        assert len(ranked) == 10
        assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)
        for other, score in ranked:
            assert score == pytest.approx(exact[other], abs=1e-5), (query, other)
        top = {c.demand_id for c in reference[:10]}
        found += len(top & {i for i, _ in ranked})
        total += 10
    assert found / total >= 0.97


def test_rematch_refreshes_the_statistics_as_indexing_does() -> None:
    m = random_market(SIZES, 3)
    for p in m.pools.values():
        rows = p.live_rows()
        p.mu[rows] = 0.0
        p.sd[rows] = 0.0
    for _ in m.rematch(k=5, block_size=8):
        pass
    got = {ch: (p.mu.copy(), p.sd.copy()) for ch, p in m.pools.items()}
    for ch, p in m.pools.items():
        rows = p.live_rows()
        m._refresh_stats(p, rows)
        np.testing.assert_allclose(got[ch][0][rows], p.mu[rows], atol=1e-5)
        np.testing.assert_allclose(got[ch][1][rows], p.sd[rows], atol=1e-5)
        assert (p.sd[rows] > 0).all()


def test_counterpart_statistics_equal_lang_stats() -> None:
    m = random_market(SIZES, 4)
    pool, other = m.pools["PROJECT_LANDING"], m.pools["PROJECT_COOPERATION"]
    side = Counterparts(other)
    assert (other.lang[side.cols[: side.split]] == 0).all()
    assert (other.lang[side.cols[side.split :]] == 1).all()
    qrows = pool.live_rows()[:20]
    prior = m.prior(pool, qrows)
    cos = pool.vectors[qrows] @ side.vectors.T
    mu, sd = side.stats(cos, prior)
    full = pool.vectors[qrows] @ other.vectors[: other.size].T
    ref_mu, ref_sd = lang_stats(full, other.lang[: other.size], other.alive[: other.size], prior)
    np.testing.assert_allclose(mu, ref_mu, atol=1e-6)
    np.testing.assert_allclose(sd, ref_sd, atol=1e-6)


def test_rematch_of_nothing_and_k_zero() -> None:
    m = random_market({"PROJECT_COOPERATION": 10, "PROJECT_LANDING": 12}, 5)
    assert all(ranked == [] for _, ranked in m.rematch(k=0))
    assert list(matcher().rematch()) == []


# -- statistics of small language groups -----------------------------------------------


def test_a_large_language_group_keeps_its_own_statistics() -> None:
    rng = np.random.default_rng(0)
    cos = rng.normal(0.3, 0.1, (3, 200)).astype(np.float32)
    lang = np.array([0] * 150 + [1] * 50, np.int8)
    alive = np.ones(200, bool)
    prior = (np.full((3, 2), 0.9, np.float32), np.full((3, 2), 0.5, np.float32))
    mu, sd = lang_stats(cos, lang, alive, prior)
    np.testing.assert_allclose(mu[:, 0], cos[:, :150].mean(axis=1), atol=1e-5)
    np.testing.assert_allclose(mu[:, 1], cos[:, 150:].mean(axis=1), atol=1e-5)
    np.testing.assert_allclose(sd[:, 1], cos[:, 150:].std(axis=1), atol=1e-5)


def test_a_small_language_group_is_pooled_with_the_prior() -> None:
    cos = np.array([[0.5] * 30 + [0.4, 0.6, 0.5, 0.5]], np.float32)
    lang = np.array([0] * 30 + [1] * 4, np.int8)
    alive = np.ones(34, bool)
    prior = (np.array([[0.2, 0.1]], np.float32), np.array([[0.1, 0.05]], np.float32))
    mu, sd = lang_stats(cos, lang, alive, prior)
    n = 4
    expect_mu = (n * 0.5 + SHRINK * 0.1) / (n + SHRINK)
    assert mu[0, 1] == pytest.approx(expect_mu, abs=1e-6)
    var = (n * (0.005 + (0.5 - expect_mu) ** 2) + SHRINK * (0.05**2 + (0.1 - expect_mu) ** 2)) / (
        n + SHRINK
    )
    assert sd[0, 1] == pytest.approx(np.sqrt(var), abs=1e-5)
    # no candidate of a language at all: the prior itself; without a prior, the calibration
    mu, sd = lang_stats(cos[:, :30], lang[:30], alive[:30], prior)
    assert (mu[0, 1], sd[0, 1]) == pytest.approx((0.1, 0.05))
    mu, sd = lang_stats(cos[:, :30], lang[:30], alive[:30])
    assert (mu[0, 1], sd[0, 1]) == pytest.approx(CALIBRATION)
    assert n < MIN_FOR_STATS


def test_language_priors_see_lower_cross_lingual_cosines() -> None:
    rng = np.random.default_rng(1)
    dim = 32
    topic, zh_dir, en_dir = (random_unit(rng, dim) for _ in range(3))

    def side(n: int, lang: int) -> np.ndarray:
        base = topic + 0.8 * (zh_dir if lang == 0 else en_dir)
        return np.stack([unit(base + rng.standard_normal(dim) * 0.3) for _ in range(n)])

    q = np.concatenate([side(30, 0), side(10, 1)]).astype(np.float32)
    c = np.concatenate([side(25, 0), side(5, 1)]).astype(np.float32)
    q_lang = np.array([0] * 30 + [1] * 10, np.int8)
    c_lang = np.array([0] * 25 + [1] * 5, np.int8)
    mu, sd = language_priors(q, q_lang, c, c_lang)
    assert mu[0, 0] > mu[0, 1] and mu[1, 1] > mu[1, 0]
    assert (sd > 0).all()
    # no English query, or a single English candidate: the calibration for those pairs
    mu, sd = language_priors(q[:30], q_lang[:30], c[:26], c_lang[:26])
    np.testing.assert_allclose(mu[1], CALIBRATION[0])
    np.testing.assert_allclose(sd[1], CALIBRATION[1])
    np.testing.assert_allclose((mu[0, 1], sd[0, 1]), CALIBRATION)
    assert mu[0, 0] != CALIBRATION[0]


def test_priors_are_refitted_when_a_side_grows() -> None:
    m = random_market({"PROJECT_COOPERATION": 30, "PROJECT_LANDING": 30}, 6, removed=1000)
    pool = m.pools["PROJECT_COOPERATION"]
    rows = pool.live_rows()[:1]
    m.prior(pool, rows)
    fitted = m._priors["PROJECT_COOPERATION"][0]
    rng = np.random.default_rng(6)
    for i in range(5):  # within a tenth (or 10): not refitted
        m.add(profile(f"x{i}", "PROJECT_LANDING"), random_unit(rng, 32))
    m.prior(pool, rows)
    assert m._priors["PROJECT_COOPERATION"][0] == fitted
    for i in range(5, 20):
        m.add(profile(f"x{i}", "PROJECT_LANDING"), random_unit(rng, 32))
    m.prior(pool, rows)
    assert m._priors["PROJECT_COOPERATION"][0] != fitted
    assert COUNTERPART["PROJECT_COOPERATION"] == "PROJECT_LANDING"


# -- BLAS threads --------------------------------------------------------------------


def test_single_threaded_blas_is_restored() -> None:
    before = blas.threads()
    with blas.single_threaded():
        assert blas.threads() in (None, 1)
        with blas.single_threaded():
            assert blas.threads() in (None, 1)
        assert blas.threads() in (None, 1)
    assert blas.threads() == before


def test_rematch_threads_setting_does_not_change_results(monkeypatch: pytest.MonkeyPatch) -> None:
    m = random_market(SIZES, 7)
    for _ in m.rematch(k=1, block_size=8):  # statistics fresh after the removals
        pass
    two = list(m.rematch(k=8, block_size=8))
    monkeypatch.setattr(shortlists_module, "REMATCH_THREADS", 1)
    one = list(m.rematch(k=8, block_size=8))
    assert one == two
