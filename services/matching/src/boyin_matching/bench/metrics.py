"""Ranking metrics (pure)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def precision_at_1(ranked: Sequence[str], right: str) -> float:
    return 1.0 if ranked and ranked[0] == right else 0.0


def recall_at(ranked: Sequence[str], right: str, k: int) -> float:
    return 1.0 if right in ranked[:k] else 0.0


def reciprocal_rank(ranked: Sequence[str], right: str) -> float:
    return 1.0 / (ranked.index(right) + 1) if right in ranked else 0.0


def ndcg_at(ranked: Sequence[str], gains: Mapping[str, float], k: int) -> float:
    dcg = sum(gains.get(x, 0.0) / math.log2(i + 2) for i, x in enumerate(ranked[:k]))
    ideal = sorted(gains.values(), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def gini(values: Sequence[float]) -> float:
    """0 when exposure is spread evenly, towards 1 when a few take it all."""
    xs = sorted(values)
    n = len(xs)
    total = sum(xs)
    if n == 0 or total == 0:
        return 0.0
    cumulative = sum((i + 1) * x for i, x in enumerate(xs))
    return (2 * cumulative) / (n * total) - (n + 1) / n


def auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """Probability that a random positive scores above a random negative."""
    if not positives or not negatives:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))
