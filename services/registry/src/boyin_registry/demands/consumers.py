"""Events demands act on: the mentors' aggregated screening of a demand, kept beside it
for its reviewers (idempotent: a repeat or an older result changes nothing)."""

from __future__ import annotations

from boyin_registry.demands.screening import CriterionResult, ScreeningResult
from boyin_registry.demands.service import DemandScreenings
from boyin_shared.bus import Subscription
from boyin_shared.contracts.mentors import ScreeningAggregated


def subscription(screenings: DemandScreenings) -> Subscription:
    async def on_aggregated(event: ScreeningAggregated) -> None:
        d = event.data
        await screenings.record(
            ScreeningResult(
                demand_id=d.demand_id,
                reviews=d.reviews,
                criteria=tuple(CriterionResult(c.criterion, c.mean, c.spread) for c in d.criteria),
                total_mean=d.total_mean,
                total_spread=d.total_spread,
                score=d.score,
                aggregated_at=event.time,
            )
        )

    return Subscription("registry.screenings", {ScreeningAggregated: on_aggregated})
