"""The mentors service as a service definition: what it stores, serves and publishes.

Wiring only: each feature's repositories, its service, routers, consumers and jobs.
"""

from __future__ import annotations

from dataclasses import dataclass

from boyin_mentors.mentors import api as mentors_api
from boyin_mentors.mentors.consumers import TaxonomyConsumers
from boyin_mentors.mentors.repository import Mentors, Taxonomy
from boyin_mentors.mentors.service import MentorBook
from boyin_shared.bus import Subscription, handlers
from boyin_shared.service import Built, ServiceContext, ServiceDefinition


@dataclass
class MentorsState:
    """What the routers reach through ``request.app.state.service``: one service per
    feature."""

    mentors: MentorBook


async def build(ctx: ServiceContext) -> Built:
    mentors, taxonomy = Mentors(ctx.store, ctx.outbox), Taxonomy(ctx.store)
    await mentors.prepare()
    book = MentorBook(mentors, taxonomy)
    return Built(
        state=MentorsState(mentors=book),
        subscriptions=[
            Subscription("mentors.taxonomy", handlers(TaxonomyConsumers(taxonomy).handlers()))
        ],
        outbox_collections=[mentors.collection],
    )


definition = ServiceDefinition(
    name="mentors",
    title="Boyin mentors",
    description="Mentors recruited worldwide: their profiles, blind screening of projects "
    "and its aggregated result.",
    routers=[mentors_api.router],
    build=build,
)
