"""The registry as a service definition: what it stores, serves and publishes."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_registry.api import router
from boyin_registry.application import Registry
from boyin_registry.attachments import Attachments, LocalFileStore
from boyin_registry.attachments_api import router as attachments_router
from boyin_registry.demand_api import router as demand_router
from boyin_registry.demand_commands import DemandCommands
from boyin_registry.import_api import router as import_router
from boyin_registry.importing import Importer
from boyin_registry.privacy import AuditLog, Disclosures
from boyin_registry.reference_api import router as reference_router
from boyin_registry.repository import Demands, Organisations, Talents
from boyin_registry.taxonomy import ReferenceData
from boyin_shared.clock import utcnow
from boyin_shared.service import Built, ServiceContext, ServiceDefinition, every


@dataclass
class RegistryState:
    """What the registry's routers reach through ``request.app.state.service``."""

    registry: Registry
    demands: DemandCommands
    attachments: Attachments
    imports: Importer


async def build(ctx: ServiceContext) -> Built:
    organisations = Organisations(ctx.store, ctx.outbox)
    talents = Talents(ctx.store, ctx.outbox)
    demands = Demands(ctx.store, ctx.outbox)
    for repo in (organisations, talents, demands):
        await repo.prepare()
    demand_commands = DemandCommands(demands, organisations, talents)
    reference = ReferenceData(ctx.store, ctx.outbox)
    await reference.prepare()
    disclosures = Disclosures(ctx.store)
    attachments = Attachments(
        ctx.store,
        LocalFileStore(ctx.settings.files_dir or ctx.settings.data_dir / "files"),
        ctx.settings.max_upload_mb * 1024 * 1024,
    )
    await attachments.prepare()
    audit = AuditLog(ctx.store)
    await audit.prepare()
    imports = Importer(demand_commands, reference.current, ctx.store)
    return Built(
        state=RegistryState(
            registry=Registry(organisations, talents, reference, disclosures, audit),
            demands=demand_commands,
            imports=imports,
            attachments=attachments,
        ),
        background=[
            every(3600, lambda: demand_commands.expire_due(utcnow().date()), "expire demands")
        ],
        subscriptions=[disclosures.subscription()],
        outbox_collections=[organisations.collection, talents.collection, demands.collection],
        on_stop=imports.stop,
    )


definition = ServiceDefinition(
    name="registry",
    title="Boyin registry",
    description="Talents, organisations, their demands and the reference data.",
    routers=[router, demand_router, reference_router, attachments_router, import_router],
    build=build,
)
