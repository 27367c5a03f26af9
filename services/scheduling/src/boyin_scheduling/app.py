"""The scheduling service definition: its features wired together (no logic here)."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_scheduling.attendance import api as attendance_api
from boyin_scheduling.attendance.repository import Attendances
from boyin_scheduling.attendance.service import AttendanceService
from boyin_scheduling.consultations.consumers import ConsultationProjection
from boyin_scheduling.consultations.repository import Consultations
from boyin_scheduling.editions import api as editions_api
from boyin_scheduling.editions.repository import Editions
from boyin_scheduling.editions.service import EditionService
from boyin_scheduling.meetings import api as meetings_api
from boyin_scheduling.meetings.consumers import MatchInbox
from boyin_scheduling.meetings.repository import Meetings, WaitingMatches
from boyin_scheduling.meetings.service import MeetingService
from boyin_scheduling.parties.consumers import PartyProjection
from boyin_scheduling.parties.repository import Parties
from boyin_scheduling.parties.service import PartyService
from boyin_scheduling.schedules import api as schedules_api
from boyin_scheduling.schedules.planner import Planner, Repos
from boyin_scheduling.schedules.repository import Schedules
from boyin_scheduling.schedules.service import ScheduleService
from boyin_scheduling.sessions import api as sessions_api
from boyin_scheduling.sessions.repository import Sessions
from boyin_scheduling.sessions.service import SessionService
from boyin_shared.bus import Subscription, handlers
from boyin_shared.service import Built, ServiceContext, ServiceDefinition, every

GROUP = "scheduling"


@dataclass
class SchedulingState:
    """What the routers reach through ``request.app.state.service``."""

    repos: Repos
    parties: PartyService
    editions: EditionService
    sessions: SessionService
    attendance: AttendanceService
    meetings: MeetingService
    schedules: ScheduleService
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
        consultations=Consultations(s, o),
    )
    for repo in (
        repos.editions,
        repos.sessions,
        repos.attendances,
        repos.meetings,
        repos.consultations,
    ):
        await repo.prepare()
    planner = Planner(repos)
    await planner.interrupted()
    kick = planner.kick
    parties = PartyService(repos.parties)
    editions = EditionService(repos.editions, kick)
    attendance = AttendanceService(
        repos.attendances,
        editions,
        parties,
        repos.sessions,
        repos.meetings,
        kick,
        consultations=repos.consultations,
    )
    sessions = SessionService(repos.sessions, editions, parties, attendance, kick)
    meetings = MeetingService(
        repos.meetings, WaitingMatches(s), editions, parties, attendance, kick
    )
    inbox = MatchInbox(meetings)
    state = SchedulingState(
        repos=repos,
        parties=parties,
        editions=editions,
        sessions=sessions,
        attendance=attendance,
        meetings=meetings,
        schedules=ScheduleService(planner),
        planner=planner,
        inbox=inbox,
    )
    return Built(
        state=state,
        subscriptions=[
            Subscription(
                GROUP,
                handlers(
                    PartyProjection(parties).handlers(),
                    inbox.handlers(),
                    ConsultationProjection(repos.consultations, kick).handlers(),
                ),
            )
        ],
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
    routers=[
        editions_api.router,
        sessions_api.router,
        meetings_api.router,
        attendance_api.router,
        schedules_api.router,
    ],
    build=build,
)
