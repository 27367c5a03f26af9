"""GraphQL types of meetings and of the timetable the scheduler computes for them,
derived from the scheduling service's API models (``boyin_shared.api.scheduling``) as
``schedule_types`` derives the editions': each class holds only what its model does not
say, and its resolver fields."""

from __future__ import annotations

from typing import Annotated

import strawberry

from boyin_gateway.clients import ServiceError
from boyin_gateway.demand_types import Party
from boyin_gateway.derived import derived, shown_as
from boyin_gateway.schedule_enums import (
    MeetingOutcome,
    MeetingSource,
    MeetingStatus,
    Mode,
    SolveJob,
)
from boyin_gateway.schedule_types import party_of
from boyin_gateway.types import (
    Conflict,
    Forbidden,
    InvalidInput,
    LocalizedText,
    NotFound,
    PageInfo,
    described_field,
)
from boyin_shared.api.scheduling import (
    MeetingOut,
    PlacementOut,
    PlaceOut,
    ScheduleOut,
    SolveProgressOut,
    TimetableOut,
    UnscheduledOut,
)

# -- meetings ---------------------------------------------------------------------------


@derived(
    PlaceOut,
    name="MeetingPlace",
    description="When and where a meeting is held (no table: online).",
)
class MeetingPlace:
    pass


def _other_side(meeting: MeetingOut, me: str | None) -> tuple[str, str] | None:
    """The side of ``meeting`` that is not ``me`` (id, kind); None for neither side."""
    if me == meeting.requester_id:
        return meeting.invitee_id, meeting.invitee_kind
    if me == meeting.invitee_id:
        return meeting.requester_id, meeting.requester_kind
    return None


@derived(
    MeetingOut,
    name="Meeting",
    description="A one-on-one meeting between a talent and an organisation.",
)
class Meeting:
    id: strawberry.ID
    source: MeetingSource
    status: MeetingStatus
    mode: Mode | None
    outcome: MeetingOutcome | None

    @strawberry.field
    async def requester(
        self, root: strawberry.Parent[MeetingOut], info: strawberry.Info
    ) -> Party | None:
        return await party_of(info, root.requester_id, root.requester_kind)

    @strawberry.field
    async def invitee(
        self, root: strawberry.Parent[MeetingOut], info: strawberry.Info
    ) -> Party | None:
        return await party_of(info, root.invitee_id, root.invitee_kind)

    @described_field("The side that is not the caller (null for staff, who are neither).")
    def counterpart_id(
        self, root: strawberry.Parent[MeetingOut], info: strawberry.Info
    ) -> str | None:
        other = _other_side(root, info.context.actor.party_id)
        return other[0] if other else None

    @described_field("The other side's profile (batched per request).")
    async def counterpart(
        self, root: strawberry.Parent[MeetingOut], info: strawberry.Info
    ) -> Party | None:
        other = _other_side(root, info.context.actor.party_id)
        return await party_of(info, *other) if other else None


@strawberry.type
class MeetingEdge:
    cursor: str
    node: Meeting


@strawberry.type(description="A page of meetings (Relay-style cursors, 100 at most).")
class MeetingConnection:
    edges: list[MeetingEdge]
    page_info: PageInfo


def meeting_page(meetings: list[MeetingOut], first: int) -> MeetingConnection:
    """``meetings`` asked for with ``first + 1``: one more means another page."""
    edges = [MeetingEdge(cursor=m.id, node=shown_as(Meeting, m)) for m in meetings[:first]]
    return MeetingConnection(
        edges=edges,
        page_info=PageInfo.of([m.id for m in meetings], first),
    )


# -- the timetable ----------------------------------------------------------------------
# A timetable's placements are read by the edition and which timetable they belong to,
# which the service's answer does not repeat: the gateway's answers carry them along.


class TimetableOf(TimetableOut):
    """A timetable with what it is the timetable of (to read its placements by)."""

    edition_id: str
    #: ``draft`` or ``published``
    which: str


class PlacementOf(PlacementOut):
    """A placement with its edition (to read its meeting by)."""

    edition_id: str


class UnscheduledOf(UnscheduledOut):
    """A meeting left out, with its edition (to read the meeting by)."""

    edition_id: str


async def _meeting_of_edition(
    info: strawberry.Info, edition_id: str, meeting_id: str
) -> Meeting | None:
    try:
        meetings = await info.context.loaders.edition_meetings.load(edition_id)
    except ServiceError:
        return None
    found = meetings.get(meeting_id)
    return shown_as(Meeting, found) if found else None


@derived(
    PlacementOut,
    name="Placement",
    description="A meeting the timetable gives a slot (and a table on site).",
)
class Placement:
    @described_field("The meeting (all of the edition's are read in a few calls).")
    async def meeting(
        self, root: strawberry.Parent[PlacementOf], info: strawberry.Info
    ) -> Meeting | None:
        return await _meeting_of_edition(info, root.edition_id, root.meeting_id)


@derived(
    UnscheduledOut,
    name="UnscheduledMeeting",
    description="A meeting the timetable could not place, and why.",
    exclude=["reason_zh", "reason_en"],
)
class UnscheduledMeeting:
    @strawberry.field
    def reason(self, root: strawberry.Parent[UnscheduledOut]) -> LocalizedText:
        return LocalizedText(zh=root.reason_zh, en=root.reason_en)

    @strawberry.field
    async def meeting(
        self, root: strawberry.Parent[UnscheduledOf], info: strawberry.Info
    ) -> Meeting | None:
        return await _meeting_of_edition(info, root.edition_id, root.meeting_id)


@derived(
    TimetableOut,
    name="Timetable",
    description="A computed timetable: its score against the upper bound.",
)
class Timetable:
    ratio: float | None = strawberry.field(description="objective / bound (1.0: optimal).")

    @described_field("Every placed meeting.")
    async def placements(
        self, root: strawberry.Parent[TimetableOf], info: strawberry.Info
    ) -> list[Placement]:
        detail = await info.context.loaders.timetables.load((root.edition_id, root.which))
        return [
            shown_as(Placement, PlacementOf.model_construct(**dict(p), edition_id=root.edition_id))
            for p in detail.placements
        ]

    @described_field("The accepted meetings left out, with the reason in zh and en.")
    async def unscheduled_meetings(
        self, root: strawberry.Parent[TimetableOf], info: strawberry.Info
    ) -> list[UnscheduledMeeting]:
        detail = await info.context.loaders.timetables.load((root.edition_id, root.which))
        return [
            shown_as(
                UnscheduledMeeting,
                UnscheduledOf.model_construct(**dict(u), edition_id=root.edition_id),
            )
            for u in detail.unscheduled
        ]


def _timetable(edition_id: str, which: str, found: TimetableOut | None) -> Timetable | None:
    if found is None:
        return None
    of = TimetableOf.model_construct(**dict(found), edition_id=edition_id, which=which)
    return shown_as(Timetable, of)


@derived(
    SolveProgressOut,
    name="SolveProgress",
    description="Where a solve stands: its phase, the incumbent, the bound and the gap.",
)
class SolveProgress:
    pass


@derived(
    ScheduleOut,
    name="Schedule",
    description="An edition's meeting timetable: the draft and the published one.",
    exclude=["draft", "published"],
    order=[
        "edition_id",
        "version",
        "published_at",
        "job",
        "job_error",
        "progress",
        "draft",
        "published",
    ],
)
class Schedule:
    job: SolveJob
    pending: int = strawberry.field(
        description="Meetings still catching up with the latest published version."
    )

    @strawberry.field
    def draft(self, root: strawberry.Parent[ScheduleOut]) -> Timetable | None:
        return _timetable(root.edition_id, "draft", root.draft)

    @strawberry.field
    def published(self, root: strawberry.Parent[ScheduleOut]) -> Timetable | None:
        return _timetable(root.edition_id, "published", root.published)


# -- results ----------------------------------------------------------------------------

MeetingResult = Annotated[
    Meeting | InvalidInput | Conflict | NotFound | Forbidden, strawberry.union("MeetingResult")
]
ScheduleResult = Annotated[
    Schedule | InvalidInput | Conflict | NotFound | Forbidden, strawberry.union("ScheduleResult")
]
EditionMeetingsResult = Annotated[
    MeetingConnection | InvalidInput | Conflict | NotFound | Forbidden,
    strawberry.union("EditionMeetingsResult"),
]
