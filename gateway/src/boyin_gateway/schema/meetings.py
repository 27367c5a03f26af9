"""GraphQL of one-on-one meetings (requests, answers, outcomes) and of the timetable the
scheduler computes for them (solve, review, publish, repair; staff only)."""

from __future__ import annotations

import strawberry

from boyin_gateway import paging
from boyin_gateway.clients import ServiceError
from boyin_gateway.context import Context
from boyin_gateway.derived import showing, shown_as
from boyin_gateway.errors import answered, problem
from boyin_gateway.meeting_types import (
    EditionMeetingsResult,
    Meeting,
    MeetingConnection,
    MeetingResult,
    Schedule,
    ScheduleResult,
    meeting_page,
)
from boyin_gateway.permissions import staff_field, staff_mutation
from boyin_gateway.schedule_enums import MeetingStatus
from boyin_gateway.schedule_inputs import MeetingRequestInput, body_of
from boyin_gateway.schema.editions import participant
from boyin_gateway.types import PageInfo, described_field, described_mutation
from boyin_shared.api.scheduling import (
    AnswerIn,
    CancelIn,
    LinkIn,
    OutcomeIn,
    RepairIn,
    SolveIn,
)

Info = strawberry.Info[Context, None]
MAX_PAGE = 100

# The bodies of the actions are the service's request models, built unvalidated
# (model_construct): the service validates them, and its refusal is the caller's InvalidInput.


_EMPTY = MeetingConnection(edges=[], page_info=PageInfo(has_next_page=False, end_cursor=None))


@strawberry.type
class MeetingQuery:
    @described_field(
        "The signed-in participant's meetings (staff: a participant's, with partyId); "
        "empty for anyone else."
    )
    async def my_meetings(
        self,
        info: Info,
        edition_id: strawberry.ID | None = None,
        party_id: strawberry.ID | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> MeetingConnection:
        size = paging.page_size(first, MAX_PAGE)
        after = paging.cursor(after, "mt_")
        client = await participant(info)
        try:
            meetings = await client.my_meetings(
                edition_id=str(edition_id) if edition_id else None,
                party_id=str(party_id) if party_id else None,
                after=after,
                limit=size + 1,
            )
        except ServiceError:
            return _EMPTY
        return meeting_page(meetings, size)

    @staff_field("Every meeting of an edition, optionally of one status (staff).")
    async def edition_meetings(
        self,
        info: Info,
        edition_id: strawberry.ID,
        status: MeetingStatus | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> EditionMeetingsResult:
        try:
            size = paging.page_size(first, MAX_PAGE)
            after = paging.cursor(after, "mt_")
        except paging.PagingError as refused:
            return paging.refused(refused)
        try:
            meetings = await info.context.scheduling.edition_meetings(
                str(edition_id),
                status=status.value if status else None,
                after=after,
                limit=size + 1,
            )
        except ServiceError as exc:
            return problem(exc)
        return meeting_page(meetings, size)

    @described_field("A meeting of the caller's (staff: any).")
    async def meeting(self, info: Info, id: strawberry.ID) -> Meeting | None:
        try:
            return shown_as(Meeting, await (await participant(info)).meeting(str(id)))
        except ServiceError:
            return None

    @staff_field("An edition's timetable: the draft, the published one and their placements.")
    async def schedule(self, info: Info, edition_id: strawberry.ID) -> ScheduleResult:
        return await answered(info.context.scheduling.schedule(str(edition_id)), showing(Schedule))


@strawberry.type
class MeetingMutation:
    @described_mutation(
        "Ask another participant for a meeting (REQUESTED until they answer); staff "
        "arrange one between two participants (ACCEPTED at once)."
    )
    async def request_meeting(
        self, info: Info, edition_id: strawberry.ID, input: MeetingRequestInput
    ) -> MeetingResult:
        client = await participant(info)
        return await answered(
            client.request_meeting(str(edition_id), body_of(input)), showing(Meeting)
        )

    @described_mutation("Accept or decline a meeting request (the invitee, or staff).")
    async def answer_meeting(
        self, info: Info, id: strawberry.ID, accept: bool, reason: str | None = None
    ) -> MeetingResult:
        client = await participant(info)
        body = AnswerIn.model_construct(accept=accept, reason=reason)
        return await answered(client.meeting_action(str(id), "answer", body), showing(Meeting))

    @described_mutation("Cancel a meeting (either side, or staff).")
    async def cancel_meeting(
        self, info: Info, id: strawberry.ID, reason: str | None = None
    ) -> MeetingResult:
        client = await participant(info)
        return await answered(
            client.meeting_action(str(id), "cancel", CancelIn.model_construct(reason=reason)),
            showing(Meeting),
        )

    @described_mutation("Set (or, with null, remove) an online meeting's https video link.")
    async def set_video_link(
        self, info: Info, id: strawberry.ID, video_link: str | None = None
    ) -> MeetingResult:
        client = await participant(info)
        body = LinkIn.model_construct(video_link=video_link)
        return await answered(
            client.meeting_action(str(id), "video-link", body, method="PUT"), showing(Meeting)
        )

    @described_mutation(
        "Whether a meeting was held once it has begun; a no-show names who was absent."
    )
    async def record_meeting_outcome(
        self, info: Info, id: strawberry.ID, held: bool, absent: list[str] | None = None
    ) -> MeetingResult:
        client = await participant(info)
        body = OutcomeIn.model_construct(held=held, absent=absent or [])
        return await answered(client.meeting_action(str(id), "outcome", body), showing(Meeting))

    @staff_mutation(
        "Compute a draft timetable in the background (poll `schedule` until its job is IDLE)."
    )
    async def solve_schedule(
        self,
        info: Info,
        edition_id: strawberry.ID,
        time_limit_s: float = 10.0,
        lp_bound: bool = True,
    ) -> ScheduleResult:
        body = SolveIn.model_construct(time_limit_s=time_limit_s, lp_bound=lp_bound)
        return await answered(
            info.context.scheduling.schedule_action(str(edition_id), "solve", body),
            showing(Schedule),
        )

    @staff_mutation("Publish the draft timetable: every meeting gets its place.")
    async def publish_schedule(self, info: Info, edition_id: strawberry.ID) -> ScheduleResult:
        return await answered(
            info.context.scheduling.schedule_action(str(edition_id), "publish"), showing(Schedule)
        )

    @staff_mutation(
        "Repair the published timetable now (movePlaced: move up to two placed meetings "
        "per new one to make room)."
    )
    async def repair_schedule(
        self, info: Info, edition_id: strawberry.ID, move_placed: bool = False
    ) -> ScheduleResult:
        body = RepairIn.model_construct(move_placed=move_placed)
        return await answered(
            info.context.scheduling.schedule_action(str(edition_id), "repair", body),
            showing(Schedule),
        )
