"""The mentors service as a service definition: what it stores, serves and publishes.

Wiring only: each feature's repositories, its service, routers, consumers and jobs.
The features ask other services' HTTP APIs (:mod:`.peers`): mentors learn the registry's
taxonomy from its ``/reference/taxonomy``, screening ranks mentors with matching's
``/relevance``, consultations take their times from scheduling's slots and check the
talent's agenda there. :func:`mentors_definition` takes stand-ins for them (tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from boyin_mentors.consultations import api as consultations_api
from boyin_mentors.consultations.repository import Consultations
from boyin_mentors.consultations.scheduling import Scheduling, SchedulingAgenda
from boyin_mentors.consultations.service import ConsultationDesk
from boyin_mentors.mentors import api as mentors_api
from boyin_mentors.mentors.consumers import TaxonomyConsumers
from boyin_mentors.mentors.repository import Mentors, Taxonomy
from boyin_mentors.mentors.service import MentorBook
from boyin_mentors.mentors.taxonomy import LearnedTaxonomy, RegistryTaxonomy, TaxonomySource
from boyin_mentors.peers import PeerClient
from boyin_mentors.screening import api as screening_api
from boyin_mentors.screening.consumers import DemandConsumers
from boyin_mentors.screening.relevance import MatchingRelevance, Relevance
from boyin_mentors.screening.repository import Screenings
from boyin_mentors.screening.service import ScreeningDesk
from boyin_shared.bus import Subscription, handlers
from boyin_shared.service import Built, ServiceContext, ServiceDefinition, every

#: how often the overdue job looks for reviews past their deadline
OVERDUE_EVERY_SECONDS = 3600.0
#: how often the whole taxonomy is asked of the registry again (its events keep it
#: current in between; the first time at start)
TAXONOMY_EVERY_SECONDS = 6 * 3600.0


@dataclass
class MentorsState:
    """What the routers reach through ``request.app.state.service``: one service per
    feature."""

    mentors: MentorBook
    screening: ScreeningDesk
    consultations: ConsultationDesk


def mentors_definition(
    relevance: Callable[[ServiceContext], Relevance] | None = None,
    scheduling: Callable[[ServiceContext], Scheduling] | None = None,
    taxonomy_source: Callable[[ServiceContext], TaxonomySource] | None = None,
) -> ServiceDefinition:
    """The service; ``relevance``, ``scheduling`` and ``taxonomy_source`` replace
    matching's, scheduling's and the registry's HTTP APIs (tests)."""

    async def build(ctx: ServiceContext) -> Built:
        urls, secret = ctx.settings.service_urls, ctx.settings.identity_secret()
        peers = [PeerClient(urls.get(name)) for name in ("matching", "scheduling", "registry")]
        asked = relevance(ctx) if relevance else MatchingRelevance(peers[0], secret)
        agenda = scheduling(ctx) if scheduling else SchedulingAgenda(peers[1], secret)
        source = taxonomy_source(ctx) if taxonomy_source else RegistryTaxonomy(peers[2], secret)

        mentors, taxonomy = Mentors(ctx.store, ctx.outbox), Taxonomy(ctx.store)
        learned = LearnedTaxonomy(taxonomy, source)
        screenings = Screenings(ctx.store, ctx.outbox)
        consultations = Consultations(ctx.store, ctx.outbox)
        for repo in (mentors, screenings, consultations):
            await repo.prepare()
        desk = ScreeningDesk(screenings, mentors, taxonomy, asked)

        async def close() -> None:
            for peer in peers:
                await peer.aclose()

        return Built(
            state=MentorsState(
                mentors=MentorBook(mentors, learned),
                screening=desk,
                consultations=ConsultationDesk(consultations, mentors, agenda),
            ),
            subscriptions=[
                Subscription(
                    "mentors",
                    handlers(
                        TaxonomyConsumers(taxonomy).handlers(), DemandConsumers(desk).handlers()
                    ),
                )
            ],
            outbox_collections=[
                mentors.collection,
                screenings.collection,
                consultations.collection,
            ],
            background=[
                every(OVERDUE_EVERY_SECONDS, desk.announce_overdue, "announce overdue reviews"),
                every(TAXONOMY_EVERY_SECONDS, learned.learn, "learn the registry's taxonomy"),
            ],
            on_stop=close,
        )

    return ServiceDefinition(
        name="mentors",
        title="Boyin mentors",
        description="Mentors recruited worldwide: their profiles, conflict-aware routing of "
        "submitted projects, blind screening against a rubric and its aggregated result, and "
        "consultations in scheduling's slots within a mentor's office hours.",
        routers=[mentors_api.router, screening_api.router, consultations_api.router],
        build=build,
    )


definition = mentors_definition()
