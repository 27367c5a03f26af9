"""The registry as a service definition: what it stores, serves and publishes."""

from __future__ import annotations

from boyin_registry.api import router
from boyin_registry.application import Registry
from boyin_registry.reference import shipped
from boyin_registry.repository import Organisations, Talents
from boyin_shared.service import Built, ServiceContext, ServiceDefinition


async def build(ctx: ServiceContext) -> Built:
    organisations = Organisations(ctx.store, ctx.outbox)
    talents = Talents(ctx.store, ctx.outbox)
    for repo in (organisations, talents):
        await repo.prepare()
    return Built(
        state=Registry(organisations, talents, shipped()),
        outbox_collections=[organisations.collection, talents.collection],
    )


definition = ServiceDefinition(
    name="registry",
    title="Boyin registry",
    description="Talents, organisations, their demands and the reference data.",
    routers=[router],
    build=build,
)
