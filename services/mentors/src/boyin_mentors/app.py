"""The mentors service as a service definition: what it stores, serves and publishes.

Wiring only: each feature's repositories, its service, routers, consumers and jobs.
Routing asks matching for relevance through its HTTP API (:mod:`.screening.relevance`):
:func:`mentors_definition` takes how to reach it, so tests can point it at an
in-process matching.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from boyin_mentors.mentors import api as mentors_api
from boyin_mentors.mentors.consumers import TaxonomyConsumers
from boyin_mentors.mentors.repository import Mentors, Taxonomy
from boyin_mentors.mentors.service import MentorBook
from boyin_mentors.screening import api as screening_api
from boyin_mentors.screening.consumers import DemandConsumers
from boyin_mentors.screening.relevance import MatchingClient, MatchingRelevance, Relevance
from boyin_mentors.screening.repository import Screenings
from boyin_mentors.screening.service import ScreeningDesk
from boyin_shared.bus import Subscription, handlers
from boyin_shared.service import Built, ServiceContext, ServiceDefinition, every

#: how often the overdue job looks for reviews past their deadline
OVERDUE_EVERY_SECONDS = 3600.0


@dataclass
class MentorsState:
    """What the routers reach through ``request.app.state.service``: one service per
    feature."""

    mentors: MentorBook
    screening: ScreeningDesk


def matching_relevance(ctx: ServiceContext) -> tuple[Relevance, Callable[[], Awaitable[None]]]:
    """Matching's ``/relevance`` at its URL in ``BOYIN_SERVICE_URLS``, and how to close
    its client."""
    client = MatchingClient(ctx.settings.service_urls.get("matching"))
    return MatchingRelevance(client, ctx.settings.identity_secret()), client.aclose


async def _nothing() -> None:
    return None


def mentors_definition(
    relevance: Callable[[ServiceContext], Relevance] | None = None,
) -> ServiceDefinition:
    """The service; ``relevance`` replaces matching's HTTP API (tests)."""

    async def build(ctx: ServiceContext) -> Built:
        asked, close = (relevance(ctx), _nothing) if relevance else matching_relevance(ctx)
        mentors, taxonomy = Mentors(ctx.store, ctx.outbox), Taxonomy(ctx.store)
        screenings = Screenings(ctx.store, ctx.outbox)
        for repo in (mentors, screenings):
            await repo.prepare()
        desk = ScreeningDesk(screenings, mentors, taxonomy, asked)
        return Built(
            state=MentorsState(mentors=MentorBook(mentors, taxonomy), screening=desk),
            subscriptions=[
                Subscription(
                    "mentors.registry",
                    handlers(
                        TaxonomyConsumers(taxonomy).handlers(), DemandConsumers(desk).handlers()
                    ),
                )
            ],
            outbox_collections=[mentors.collection, screenings.collection],
            background=[
                every(OVERDUE_EVERY_SECONDS, desk.announce_overdue, "announce overdue reviews")
            ],
            on_stop=close,
        )

    return ServiceDefinition(
        name="mentors",
        title="Boyin mentors",
        description="Mentors recruited worldwide: their profiles, conflict-aware routing of "
        "submitted projects, blind screening against a rubric and its aggregated result.",
        routers=[mentors_api.router, screening_api.router],
        build=build,
    )


definition = mentors_definition()
