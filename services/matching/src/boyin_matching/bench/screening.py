"""The mentors' screening signal on the labelled set (part of ``bench quality``).

A screened project's scores are scaled by ``feedback.domain.Screened.factor``: a mean of 100
adds 10%, 60 ("sound") changes nothing, 0 takes 15% (docs/matching.md). The labelled set
has no mentors' scores, so the bench asks what the signal can cost: every project
(``PROJECT_COOPERATION``) gets a screening whose mean is drawn uniformly from 40 to 100 (a
rubric mean of 2 to 5, times 20), independent of whether it is the right partner, in
``SEEDS`` draws; precision@1 in both directions is compared with no screening at all. Noise
of the full range the rubric allows is the worst an uninformative screening can do; a
screening that agrees with the right partners can only help it.
"""

from __future__ import annotations

import random
import statistics
from typing import Any

from boyin_matching.bench import metrics
from boyin_matching.feedback.domain import Screened, rerank
from boyin_matching.ranking.matcher import Matcher

SEEDS = 5
Queries = dict[str, list[tuple[str, str, dict[str, float]]]]


def _p1(
    m: Matcher, queries: list[tuple[str, str, dict[str, float]]], screened: dict[str, Screened]
) -> float:
    hits = []
    for query, right, _ in queries:
        found = m.candidates(query, k=10_000)
        ranked = rerank((query, query), found, {}, {}, k=len(found), screenings=screened)
        hits.append(metrics.precision_at_1([c.demand_id for c in ranked], right))
    return statistics.fmean(hits) if hits else float("nan")


def run(m: Matcher, data: dict[str, Any], groups: Queries) -> None:
    projects = [i["id"] for i in data["items"] if i["kind"] == "PROJECT_COOPERATION"]
    print(
        f"\n== mentors' screening as noise ({len(projects)} projects screened, mean 40-100, "
        f"{SEEDS} draws)"
    )
    print(f"{'direction':32} {'none':>6} {'min':>6} {'mean':>6} {'max':>6}")
    for group in ("supply→demand, all", "demand→supply, all"):
        plain = _p1(m, groups[group], {})
        noisy = []
        for seed in range(SEEDS):
            draw = random.Random(seed)
            screened = {p: Screened(p, draw.uniform(40, 100), 2) for p in projects}
            noisy.append(_p1(m, groups[group], screened))
        print(
            f"{group:32} {plain:6.3f} {min(noisy):6.3f} {statistics.fmean(noisy):6.3f}"
            f" {max(noisy):6.3f}"
        )
