"""The agreements service as a service definition: what it stores, serves and publishes.

Wiring only: each feature's repositories, its service, routers, consumers and jobs.
"""

from __future__ import annotations

from dataclasses import dataclass

from boyin_agreements.agreements import api as agreements_api
from boyin_agreements.agreements.consumers import OfferConsumers
from boyin_agreements.agreements.repository import Agreements
from boyin_agreements.agreements.service import AgreementCommands
from boyin_agreements.names.consumers import NameProjection
from boyin_agreements.names.repository import PartyNames
from boyin_agreements.names.service import Names
from boyin_agreements.policies import api as policies_api
from boyin_agreements.policies.repository import Evaluations, Policies
from boyin_agreements.policies.service import PolicyBook
from boyin_agreements.reports import api as reports_api
from boyin_agreements.reports.consumers import FunnelConsumers
from boyin_agreements.reports.repository import FunnelFacts
from boyin_agreements.reports.service import FunnelReports
from boyin_shared.bus import Subscription, handlers
from boyin_shared.service import Built, ServiceContext, ServiceDefinition, every

#: how often the overdue job looks for milestones that became overdue
OVERDUE_EVERY_SECONDS = 3600.0


@dataclass
class AgreementsState:
    """What the routers reach through ``request.app.state.service``: one service per
    feature."""

    agreements: AgreementCommands
    policies: PolicyBook
    reports: FunnelReports


async def build(ctx: ServiceContext) -> Built:
    agreements = Agreements(ctx.store, ctx.outbox)
    await agreements.prepare()
    party_names = PartyNames(ctx.store, ctx.outbox)
    await party_names.prepare()
    names = Names(party_names)
    commands = AgreementCommands(agreements, names)
    policies, evaluations = Policies(ctx.store), Evaluations(ctx.store)
    for repo in (policies, evaluations):
        await repo.prepare()
    book = PolicyBook(policies, evaluations, commands)
    await book.seed()
    facts = FunnelFacts(ctx.store)
    await facts.prepare()
    reports = FunnelReports(facts)
    return Built(
        state=AgreementsState(agreements=commands, policies=book, reports=reports),
        background=[
            every(OVERDUE_EVERY_SECONDS, commands.announce_overdue, "announce overdue milestones")
        ],
        subscriptions=[
            Subscription("agreements.offers", handlers(OfferConsumers(commands).handlers())),
            Subscription("agreements.names", handlers(NameProjection(names).handlers())),
            Subscription("agreements.funnel", handlers(FunnelConsumers(reports).handlers())),
        ],
        outbox_collections=[agreements.collection],
    )


definition = ServiceDefinition(
    name="agreements",
    title="Boyin agreements",
    description="Agreements from a mutual match to landing: stages, signing, milestones, "
    "the ceremony roster, the support policies each agreement can claim, and the funnel "
    "from published demands to landed agreements.",
    routers=[agreements_api.router, policies_api.router, reports_api.router],
    build=build,
)
