"""The benchmark's ranking metrics on hand-computed values."""

from __future__ import annotations

import math

import pytest

from boyin_matching.bench.metrics import (
    auc,
    gini,
    ndcg_at,
    precision_at_1,
    recall_at,
    reciprocal_rank,
)

RANKED = ["a", "b", "c", "d"]


def test_precision_at_1() -> None:
    assert precision_at_1(RANKED, "a") == 1.0
    assert precision_at_1(RANKED, "b") == 0.0
    assert precision_at_1([], "a") == 0.0


def test_recall_at() -> None:
    assert recall_at(RANKED, "c", 3) == 1.0
    assert recall_at(RANKED, "c", 2) == 0.0
    assert recall_at(RANKED, "z", 10) == 0.0
    assert recall_at([], "a", 5) == 0.0


def test_reciprocal_rank() -> None:
    assert reciprocal_rank(RANKED, "a") == 1.0
    assert reciprocal_rank(RANKED, "c") == pytest.approx(1 / 3)
    assert reciprocal_rank(RANKED, "z") == 0.0


def test_ndcg_at() -> None:
    gains = {"a": 2.0, "b": 1.0}
    assert ndcg_at(["a", "b", "c"], gains, 10) == pytest.approx(1.0)
    # b first: (1 + 2/log2 3) / (2 + 1/log2 3)
    log3 = math.log2(3)
    assert ndcg_at(["b", "a"], gains, 2) == pytest.approx((1 + 2 / log3) / (2 + 1 / log3))
    assert ndcg_at(["b", "a"], gains, 2) == pytest.approx(0.85972, abs=1e-5)
    # only the first k count, against the ideal of k
    assert ndcg_at(["c", "a"], gains, 1) == 0.0
    assert ndcg_at(["c", "a"], gains, 2) == pytest.approx((2 / log3) / (2 + 1 / log3))
    assert ndcg_at(["b"], gains, 1) == pytest.approx(0.5)
    assert ndcg_at(["a"], {}, 5) == 0.0


def test_gini() -> None:
    assert gini([5, 5, 5, 5]) == pytest.approx(0.0)
    assert gini([0, 0, 0, 1]) == pytest.approx(0.75)  # one of four takes everything
    assert gini([1, 2, 3]) == pytest.approx(2 / 9)
    assert gini([3, 1, 2]) == pytest.approx(2 / 9)  # order does not matter
    assert gini([]) == 0.0
    assert gini([0, 0]) == 0.0


def test_auc() -> None:
    assert auc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert auc([0.1], [0.9]) == 0.0
    assert auc([0.5], [0.5]) == 0.5  # a tie counts half
    assert auc([0.1, 0.9], [0.5]) == 0.5
    assert auc([0.3, 0.6, 0.9], [0.2, 0.6]) == pytest.approx((1 + 1.5 + 2) / 6)
    assert math.isnan(auc([], [0.1]))
    assert math.isnan(auc([0.1], []))
