"""The matching service definition."""

from __future__ import annotations

from boyin_matching.api import router
from boyin_matching.consumers import RegistryProjection
from boyin_matching.readmodel import Counterparts, DistrictSupplies
from boyin_shared.service import Built, ServiceContext, ServiceDefinition


async def build(ctx: ServiceContext) -> Built:
    counterparts = Counterparts(ctx.store, ctx.outbox)
    supplies = DistrictSupplies(ctx.store, ctx.outbox)
    await counterparts.prepare()
    projection = RegistryProjection(counterparts, supplies)
    return Built(state=projection, subscriptions=[projection.subscription()])


definition = ServiceDefinition(
    name="matching",
    title="Boyin matching",
    description="Reciprocal, explainable matching of demands (read model of the registry).",
    routers=[router],
    build=build,
)
