"""The scheduling service definition."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_scheduling.application import Scheduling
from boyin_scheduling.consumers import GROUP, MatchInbox, PartyProjection
from boyin_scheduling.edition_api import router as edition_router
from boyin_scheduling.meeting_api import router as meeting_router
from boyin_scheduling.planner import Planner, Repos
from boyin_scheduling.repository import (
    Attendances,
    Editions,
    Meetings,
    Parties,
    Schedules,
    Sessions,
)
from boyin_scheduling.schedule_api import router as schedule_router
from boyin_shared.bus import Subscription, handlers
from boyin_shared.service import Built, ServiceContext, ServiceDefinition, every


@dataclass
class SchedulingState:
    scheduling: Scheduling
    planner: Planner
    inbox: MatchInbox


async def build(ctx: ServiceContext) -> Built:
    s, o = ctx.store, ctx.outbox
    repos = Repos(
        editions=Editions(s, o),
        sessions=Sessions(s, o),
        attendances=Attendances(s, o),
        meetings=Meetings(s, o),
        schedules=Schedules(s, o),
        parties=Parties(s, o),
    )
    for repo in (repos.editions, repos.sessions, repos.attendances, repos.meetings):
        await repo.prepare()
    planner = Planner(repos)
    await planner.interrupted()
    inbox = MatchInbox(repos, s, planner)
    parties = PartyProjection(repos)
    state = SchedulingState(Scheduling(repos, planner), planner, inbox)
    return Built(
        state=state,
        subscriptions=[Subscription(GROUP, handlers(parties.handlers(), inbox.handlers()))],
        outbox_collections=[
            repos.editions.collection,
            repos.sessions.collection,
            repos.attendances.collection,
            repos.meetings.collection,
            repos.schedules.collection,
        ],
        background=[
            planner.run,
            every(5.0, inbox.assign, "assign waiting matches to the open edition"),
        ],
        on_stop=planner.stop,
    )


definition = ServiceDefinition(
    name="scheduling",
    title="Boyin scheduling",
    description="Fair editions, agenda sessions and automatically scheduled one-on-one meetings.",
    routers=[edition_router, meeting_router, schedule_router],
    build=build,
)
