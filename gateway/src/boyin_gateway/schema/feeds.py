"""GraphQL subscriptions (graphql-transport-ws): live feeds for investors, districts,
participants and operators, each filtered by what the subscriber may see.

Authenticate with the connection parameters: ``{"authorization": "Bearer <access token>"}``.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Annotated, cast

import strawberry

from boyin_gateway.context import Context
from boyin_gateway.derived import derived, shown_as
from boyin_gateway.permissions import (
    DistrictOfficers,
    InvestorsAndStaff,
    OwnParties,
    Participants,
    Staff,
    guard,
    sees_district,
)
from boyin_gateway.registry_enums import Channel, MatchStatus, Stage, Status
from boyin_gateway.schedule_enums import MeetingOutcome, MeetingStatus, SessionStatus
from boyin_gateway.types import LocalizedText
from boyin_shared.contracts.common import LocalizedText as TextData
from boyin_shared.contracts.matching import (
    MatchesProposed,
    MatchMutuallyAccepted,
    MatchParty,
    MatchProposed,
)
from boyin_shared.contracts.registry import DemandPublished, DemandSnapshot
from boyin_shared.contracts.scheduling import (
    MeetingChange,
    MeetingPlace,
    SessionChanged,
    SessionSignUpChanged,
)
from boyin_shared.events import Event

Info = strawberry.Info[Context, None]


def _text(t: TextData) -> LocalizedText:
    return LocalizedText(zh=t.zh, en=t.en)


@strawberry.type
class ProjectPublished:
    demand_id: str
    title: LocalizedText
    taxonomy_codes: list[str]
    stage: Stage | None
    funding_sought_wan: int | None
    language: str
    published_at: datetime


@strawberry.type
class DemandChange:
    demand_id: str
    change: str  # the event: published, updated, withdrawn, ...
    channel: Channel
    status: Status
    district_code: str | None
    title: LocalizedText
    at: datetime


@strawberry.type
class MatchNews:
    match_id: str
    kind: MatchStatus  # PROPOSED or MUTUAL
    my_demand_id: str
    counterpart_demand_id: str
    score: float
    at: datetime


def _match_news(
    party: str | None,
    match_id: str,
    kind: MatchStatus,
    sides: tuple[MatchParty, MatchParty],
    score: float,
    at: datetime,
) -> MatchNews | None:
    """The match as the subscriber sees it, if ``party`` is one of its two sides."""
    for mine, other in (sides, sides[::-1]):
        if party is not None and mine.party_id == party:
            return MatchNews(
                match_id=match_id,
                kind=kind,
                my_demand_id=mine.demand_id,
                counterpart_demand_id=other.demand_id,
                score=score,
                at=at,
            )
    return None


@derived(
    MeetingPlace,
    name="MeetingSlot",
    description="When and where a meeting is held (no table: online).",
)
class MeetingSlot:
    pass


def _slot(place: MeetingPlace | None) -> MeetingSlot | None:
    return shown_as(MeetingSlot, place) if place is not None else None


@strawberry.type(description="A change to one of the subscriber's meetings.")
class MeetingNews:
    meeting_id: str
    #: the event: REQUESTED, ACCEPTED, DECLINED, CANCELLED, SCHEDULED, RESCHEDULED, HELD, NO_SHOW
    change: str
    edition_id: str
    status: MeetingStatus
    outcome: MeetingOutcome | None
    #: REQUESTER or INVITEE: the subscriber's side
    my_role: str
    counterpart_id: str
    counterpart_kind: str
    place: MeetingSlot | None
    previous_place: MeetingSlot | None
    reason: str | None
    by_role: str
    at: datetime


@strawberry.type(description="A change to a session the subscriber presents, joined or waits for.")
class SessionNews:
    session_id: str
    #: CHANGED (``changed`` names the fields), or the subscriber's sign-up:
    #: CONFIRMED, WAITLISTED, PROMOTED, CANCELLED
    change: str
    edition_id: str
    changed: list[str]
    title: LocalizedText | None
    start: datetime | None
    end: datetime | None
    room: str | None
    status: SessionStatus | None
    at: datetime


ScheduleNews = Annotated[MeetingNews | SessionNews, strawberry.union("ScheduleNews")]


def _meeting_news(event: Event, party: str | None) -> MeetingNews | None:
    data = getattr(event, "data", None)
    if party is None or not isinstance(data, MeetingChange):  # a meeting's event
        return None
    m = data.meeting
    if party == m.requester.party_id:
        mine, other = "REQUESTER", m.invitee
    elif party == m.invitee.party_id:
        mine, other = "INVITEE", m.requester
    else:
        return None
    return MeetingNews(
        meeting_id=m.meeting_id,
        change=_change(event).upper(),
        edition_id=m.edition_id,
        status=MeetingStatus(m.status),
        outcome=MeetingOutcome(m.outcome) if m.outcome else None,
        my_role=mine,
        counterpart_id=other.party_id,
        counterpart_kind=other.party_kind,
        place=_slot(m.place),
        previous_place=_slot(data.previous_place),
        reason=data.reason,
        by_role=data.by_role,
        at=event.time,
    )


def _session_news(event: Event, party: str | None) -> SessionNews | None:
    if party is None:
        return None
    if isinstance(event, SessionChanged) and party in event.data.affected:
        s = event.data.session
        return SessionNews(
            session_id=s.session_id,
            change="CHANGED",
            edition_id=s.edition_id,
            changed=list(event.data.changed),
            title=_text(s.title),
            start=s.start,
            end=s.end,
            room=s.room,
            status=SessionStatus(s.status),
            at=event.time,
        )
    if isinstance(event, SessionSignUpChanged) and event.data.party_id == party:
        return SessionNews(
            session_id=event.data.session_id,
            change=event.data.state,
            edition_id=event.data.edition_id,
            changed=[],
            title=None,
            start=None,
            end=None,
            room=None,
            status=None,
            at=event.time,
        )
    return None


@strawberry.type
class PipelineEvent:
    id: str
    type: str
    source: str
    subject: str
    time: datetime


@strawberry.input
class ProjectFilter:
    taxonomy_codes: list[str] | None = None
    stages: list[Stage] | None = None
    min_funding_wan: int | None = None
    max_funding_wan: int | None = None

    def accepts(self, d: DemandSnapshot) -> bool:
        funding = d.details.get("funding_sought_wan")
        amount = funding if isinstance(funding, int) else None
        if self.taxonomy_codes and not set(self.taxonomy_codes) & set(d.taxonomy_codes):
            return False
        if self.stages and d.details.get("stage") not in self.stages:
            return False
        if self.min_funding_wan is not None and (amount is None or amount < self.min_funding_wan):
            return False
        return not (
            self.max_funding_wan is not None and (amount is None or amount > self.max_funding_wan)
        )


def _stage(value: object) -> Stage | None:
    """A project's stage as its details give it (None when they give none)."""
    return Stage(value) if isinstance(value, str) and value in Stage.__members__ else None


def _change(event: Event) -> str:
    return event.type.rsplit(".", 1)[-1]


@strawberry.type
class FeedSubscription:
    @strawberry.subscription(extensions=guard(InvestorsAndStaff()))  # type: ignore[untyped-decorator]
    async def new_projects(
        self, info: Info, filter: ProjectFilter | None = None
    ) -> AsyncGenerator[ProjectPublished, None]:
        """Projects as they are published, matching the investor's filter."""
        wanted = filter or ProjectFilter()

        def select(event: Event) -> ProjectPublished | None:
            if not isinstance(event, DemandPublished):
                return None
            d = event.data.demand
            if d.channel != "PROJECT_COOPERATION" or not wanted.accepts(d):
                return None
            funding = d.details.get("funding_sought_wan")
            stage = d.details.get("stage")
            return ProjectPublished(
                demand_id=d.demand_id,
                title=_text(d.title),
                taxonomy_codes=list(d.taxonomy_codes),
                stage=_stage(stage),
                funding_sought_wan=funding if isinstance(funding, int) else None,
                language=d.language,
                published_at=event.time,
            )

        async with info.context.listen(select) as listener:
            async for item in listener:
                yield item

    @strawberry.subscription(extensions=guard(DistrictOfficers()))  # type: ignore[untyped-decorator]
    async def district_demands(self, info: Info) -> AsyncGenerator[DemandChange, None]:
        """New and changed demands of the officer's district (staff: every district)."""
        actor = info.context.actor

        def select(event: Event) -> DemandChange | None:
            demand = getattr(getattr(event, "data", None), "demand", None)
            if not isinstance(demand, DemandSnapshot):
                return None
            if not sees_district(actor, demand.district_code):
                return None
            return DemandChange(
                demand_id=demand.demand_id,
                change=_change(event),
                channel=Channel(demand.channel),
                status=Status(demand.status),
                district_code=demand.district_code,
                title=_text(demand.title),
                at=event.time,
            )

        async with info.context.listen(select) as listener:
            async for item in listener:
                yield item

    @strawberry.subscription(extensions=guard(Participants()))  # type: ignore[untyped-decorator]
    async def my_matches(self, info: Info) -> AsyncGenerator[MatchNews, None]:
        """New matches and mutual matches of the subscriber's own demands."""
        party = info.context.actor.party_id

        def select(event: Event) -> list[MatchNews]:
            if isinstance(event, MatchesProposed):  # a list: the subject is not a match
                found = [
                    _match_news(
                        party,
                        p.match_id,
                        MatchStatus.PROPOSED,
                        (p.supply, p.demand),
                        p.score,
                        event.time,
                    )
                    for p in event.data.proposals
                ]
            elif isinstance(event, MatchProposed):
                d = event.data
                sides = (d.supply, d.demand)
                found = [
                    _match_news(
                        party, event.subject, MatchStatus.PROPOSED, sides, d.score, event.time
                    )
                ]
            elif isinstance(event, MatchMutuallyAccepted):
                m = event.data
                sides = (m.first, m.second)
                found = [
                    _match_news(
                        party, event.subject, MatchStatus.MUTUAL, sides, m.score, event.time
                    )
                ]
            else:
                return []
            return [news for news in found if news is not None]

        async with info.context.listen_many(select) as listener:
            async for item in listener:
                yield item

    @strawberry.subscription(extensions=guard(OwnParties()))  # type: ignore[untyped-decorator]
    async def my_schedule(self, info: Info) -> AsyncGenerator[ScheduleNews, None]:
        """Changes to the subscriber's meetings (requested, answered, cancelled, placed,
        moved, held) and to the sessions they present, joined or wait for."""
        party = info.context.actor.party_id

        def select(event: Event) -> MeetingNews | SessionNews | None:
            return _meeting_news(event, party) or _session_news(event, party)

        async with info.context.listen(select) as listener:
            async for item in listener:
                yield cast(MeetingNews | SessionNews, item)

    @strawberry.subscription(extensions=guard(Staff()))  # type: ignore[untyped-decorator]
    async def pipeline_events(self, info: Info) -> AsyncGenerator[PipelineEvent, None]:
        """Every event of the platform (registry, matching and scheduling), for the
        operators' dashboards."""

        def select(event: Event) -> PipelineEvent:
            return PipelineEvent(
                id=event.id,
                type=event.type,
                source=event.source,
                subject=event.subject,
                time=event.time,
            )

        async with info.context.listen(select) as listener:
            async for item in listener:
                yield item
