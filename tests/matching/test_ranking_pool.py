"""The columnar pool: rows for profiles, growth, taxonomy bit sets and their limits."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from boyin_matching.ranking import codes
from boyin_matching.ranking.pool import REDUCED_DIM, Columns, Pool
from boyin_matching.ranking.profiles import Profile
from tests.matching.test_ranking_support import profile, random_unit, tree, unit

DIM = 8
PC = "PROJECT_COOPERATION"


def rich_profile(i: int) -> Profile:
    """A supply profile that sets every column to a value depending on ``i``."""
    zh = i % 2 == 0
    return profile(
        f"p{i}",
        PC,
        codes=[("C33-L1", "C33-P2", "T416-DI", f"LOCAL-{i % 7}")[i % 4]],
        details={
            "stage": codes.STAGES[i % 4],
            "wanted_stage": codes.STAGES[(i + 1) % 4],
            "sought": [codes.MODES[i % 5], codes.MODES[(i + 2) % 5]],
            "funding_sought_wan": i + 1,
            "work_mode": codes.WORK_MODES[i % 3],
        },
        editions=[f"ed-{i % 5}"],
        criteria=[codes.SUPPLIER_CRITERIA[i % 6]],
        degree=("PHD_CANDIDATE", "PHD", "POSTDOC")[i % 3],
        zh=f"项目{i}" if zh else None,
        en=None if zh else f"project {i}",
    )


def test_upsert_remove_and_alive() -> None:
    pool = Pool(PC, DIM, Columns())
    t = tree()
    rng = np.random.default_rng(0)
    assert len(pool) == 0
    assert pool.upsert(profile("a", PC), random_unit(rng, DIM), t) == 0
    assert pool.upsert(profile("b", PC), random_unit(rng, DIM), t) == 1
    assert pool.upsert(profile("c", PC), random_unit(rng, DIM), t) == 2
    assert len(pool) == 3
    assert pool.ids == ["a", "b", "c"]
    assert pool.remove("b") is True
    assert pool.remove("b") is False  # already gone
    assert pool.remove("never-seen") is False
    assert len(pool) == 2
    assert pool.live_rows().tolist() == [0, 2]
    assert pool.profiles[1] is None
    assert not pool.alive[1]


def test_reupsert_of_the_same_id_reuses_its_row() -> None:
    pool = Pool(PC, DIM, Columns())
    t = tree()
    rng = np.random.default_rng(1)
    pool.upsert(profile("x", PC), random_unit(rng, DIM), t)
    first = profile("a", PC, details={"stage": "IDEA", "funding_sought_wan": 10})
    second = profile("a", PC, details={"stage": "PRODUCT"}, en="now in English")
    v2 = random_unit(rng, DIM)
    row = pool.upsert(first, random_unit(rng, DIM), t)
    assert pool.upsert(second, v2, t) == row
    assert pool.size == 2
    assert len(pool) == 2
    assert pool.ids == ["x", "a"]
    assert pool.profiles[row] is second
    np.testing.assert_array_equal(pool.vectors[row], v2)
    assert pool.stage[row] == codes.STAGES.index("PRODUCT")
    assert math.isnan(pool.money[row])  # the old funding does not linger
    assert pool.lang[row] == codes.LANGUAGES.index("en")
    # removed, then published again: the same row comes back to life
    assert pool.remove("a")
    assert len(pool) == 1
    assert pool.upsert(first, v2, t) == row
    assert pool.alive[row]
    assert pool.size == 2
    assert pool.live_rows().tolist() == [0, 1]


def test_every_array_of_the_pool_is_a_listed_column() -> None:
    """``_ensure`` grows the arrays named in COLUMNS: an array left out would be lost."""
    pool = Pool(PC, DIM, Columns(), capacity=4)
    arrays = {name for name, value in vars(pool).items() if isinstance(value, np.ndarray)}
    assert arrays == set(Pool.COLUMNS)


def test_growth_beyond_the_initial_capacity_keeps_every_column() -> None:
    n = 600
    t = tree()
    rng = np.random.default_rng(2)
    small = Pool(PC, DIM, Columns())  # default capacity 256: doubles twice
    big = Pool(PC, DIM, Columns(), capacity=1024)  # never grows: the reference
    assert small.vectors.shape[0] < n
    vectors = [random_unit(rng, DIM) for _ in range(n)]
    for i in range(n):
        for pool in (small, big):
            row = pool.upsert(rich_profile(i), vectors[i], t)
            assert row == i
            pool.set_stats(row, np.array([i, -i], np.float32), np.array([1 + i, 2 + i], np.float32))
            pool.reduced[row] = np.full(REDUCED_DIM, i, np.float32)
    assert small.vectors.shape[0] >= n
    assert len(small) == n
    for name in Pool.COLUMNS:
        a, b = getattr(small, name)[:n], getattr(big, name)[:n]
        assert a.dtype == b.dtype, name
        np.testing.assert_array_equal(a, b, err_msg=name)
    # and the values themselves, for rows written before each doubling and after
    for i in (0, 1, 255, 256, 511, 512, 599):
        p = rich_profile(i)
        np.testing.assert_array_equal(small.vectors[i], vectors[i])
        assert small.alive[i]
        assert small.stage[i] == i % 4
        assert small.wanted_stage[i] == (i + 1) % 4
        assert small.modes[i] == (1 << (i % 5)) | (1 << ((i + 2) % 5))
        assert small.money[i] == i + 1
        assert small.degree[i] == codes.DEGREES[str(p.degree)]
        assert small.work[i] == i % 3
        assert small.criteria[i] == 1 << (i % 6)
        assert small.lang[i] == (0 if i % 2 == 0 else 1)
        assert small.editions[i] == 1 << small.columns.editions[f"ed-{i % 5}"]
        assert small.mu[i].tolist() == [i, -i]
        assert small.sd[i].tolist() == [1 + i, 2 + i]
        assert small.reduced[i, 0] == i
        leaf = small.columns.leaf[p.taxonomy_codes[0]]
        assert small.leaf[i].tolist() == [1 << leaf, 0]
        assert small.profiles[i] == p


def test_details_of_the_demand_side_and_missing_facts() -> None:
    pool = Pool("PROJECT_LANDING", DIM, Columns())
    t = tree()
    v = unit(np.ones(DIM))
    demand = profile(
        "d",
        "PROJECT_LANDING",
        details={
            "cooperation_modes": ["JOINT_RD", "NOT_A_MODE"],
            "sought": ["INVESTMENT"],  # a supply field: ignored on the demand side
            "budget_wan": 300,
            "funding_sought_wan": 5,
            "wanted_stage": "PILOT",
            "degree_required": "POSTDOC_IN_STATION",
        },
        criteria=["KEY_PLATFORMS", "BOTTLENECK_TECHNOLOGY"],  # the latter is a supplier's
        degree="PHD",  # only a job seeker's own degree counts
    )
    row = pool.upsert(demand, v, t)
    assert pool.modes[row] == 1 << codes.MODES.index("JOINT_RD")
    assert pool.money[row] == 300
    assert pool.wanted_stage[row] == codes.STAGES.index("PILOT")
    assert pool.stage[row] == -1
    assert pool.degree[row] == 3
    assert pool.criteria[row] == 1 << codes.DEMANDER_CRITERIA.index("KEY_PLATFORMS")
    bare: dict[str, Any] = {"budget_wan": 12.5, "cooperation_modes": "JOINT_RD"}
    row = pool.upsert(profile("e", "PROJECT_LANDING", details=bare), v, t)
    assert math.isnan(pool.money[row])  # only whole numbers of 10k CNY
    assert pool.modes[row] == 0  # a bare string is not a list of modes
    assert pool.work[row] == -1
    assert pool.wanted_stage[row] == -1
    assert pool.degree[row] == 0
    assert pool.criteria[row] == 0
    assert pool.editions[row] == 0


def test_taxonomy_bit_sets() -> None:
    t = tree()
    columns = Columns()
    pool = Pool(PC, DIM, columns)
    v = unit(np.ones(DIM))
    row = pool.upsert(profile("a", PC, codes=["C33-L1", "C33-P2", "MYSTERY"]), v, t)
    leaf = columns.leaf
    assert set(leaf) == {"C33-L1", "C33-P2", "MYSTERY"}
    expected_leaf = (1 << leaf["C33-L1"]) | (1 << leaf["C33-P2"]) | (1 << leaf["MYSTERY"])
    assert pool.leaf[row].tolist() == [expected_leaf, 0]
    # the unknown code has a leaf column, but no group and no system
    assert set(columns.group) == {"C33-L", "C33-P"}
    assert pool.group[row] == (1 << columns.group["C33-L"]) | (1 << columns.group["C33-P"])
    assert set(columns.root) == {"C33"}
    assert pool.root[row] == 1 << columns.root["C33"]
    # a second profile shares the columns; codes from 64 on go to the high word
    for i in range(70):
        columns.leaf.setdefault(f"filler-{i}", len(columns.leaf))
    row = pool.upsert(profile("b", PC, codes=["C33-L1", "T416-LH", "filler-66"]), v, t)
    hi = columns.leaf["T416-LH"] - 64
    assert hi >= 0
    assert pool.leaf[row].tolist() == [
        1 << leaf["C33-L1"],
        (1 << hi) | (1 << (columns.leaf["filler-66"] - 64)),
    ]
    assert pool.group[row] == (1 << columns.group["C33-L"]) | (1 << columns.group["T416-LH"])
    assert pool.root[row] == (1 << columns.root["C33"]) | (1 << columns.root["T416"])


def test_the_highest_bits_still_fit() -> None:
    t = tree()
    columns = Columns(
        leaf={f"x{i}": i for i in range(127)},
        group={f"g{i}": i for i in range(63)},
        root={f"r{i}": i for i in range(63)},
    )
    pool = Pool(PC, DIM, columns)
    row = pool.upsert(profile("a", PC, codes=["x0", "x63", "C33-L1"]), unit(np.ones(DIM)), t)
    assert columns.leaf["C33-L1"] == 127
    assert columns.group["C33-L"] == 63
    assert columns.root["C33"] == 63
    assert pool.leaf[row].tolist() == [1 | (1 << 63), 1 << 63]
    assert pool.group[row] == 1 << 63
    assert pool.root[row] == 1 << 63


@pytest.mark.parametrize("full", ["leaf", "group", "root"])
def test_bit_set_limit(full: str) -> None:
    t = tree()
    limit = Pool.MAX_CODES if full == "leaf" else Pool.MAX_GROUPS
    columns = Columns(**{full: {f"taken-{i}": i for i in range(limit)}})
    code = "one-more" if full == "leaf" else "C33-L1"  # a new code, group or system
    pool = Pool(PC, DIM, columns, capacity=2)
    v = unit(np.ones(DIM))
    pool.upsert(profile("a", PC), v, t)
    pool.upsert(profile("b", PC, codes=["taken-5"]), v, t)  # known columns are fine
    assert pool.vectors.shape[0] == 2  # the pool is full
    with pytest.raises(ValueError, match="bit sets"):
        pool.upsert(profile("too-many", PC, codes=[code]), v, t)
    # the rejected profile leaves no trace: no row, nothing to remove, and the pool works
    assert "too-many" not in pool.rows
    assert pool.size == 2
    assert pool.ids == ["a", "b"]
    assert pool.remove("too-many") is False
    assert len(pool) == 2
    assert pool.upsert(profile("c", PC), v, t) == 2
    assert pool.live_rows().tolist() == [0, 1, 2]
