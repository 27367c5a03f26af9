"""GraphQL of one-on-one meetings (requests, answers, outcomes) and of the timetable the
scheduler computes for them (solve, review, publish, repair; staff only)."""

from __future__ import annotations

import strawberry

from boyin_gateway.clients import ServiceError
from boyin_gateway.context import Context
from boyin_gateway.errors import answered, problem
from boyin_gateway.permissions import staff_field, staff_mutation
from boyin_gateway.schedule_types import (
    EditionMeetingsResult,
    Meeting,
    MeetingConnection,
    MeetingRequestInput,
    MeetingResult,
    MeetingStatus,
    Schedule,
    ScheduleResult,
    body_of,
)
from boyin_gateway.schema.editions import participant
from boyin_gateway.types import PageInfo, described_field, described_mutation

Info = strawberry.Info[Context, None]
MAX_PAGE = 100


def _first(first: int) -> int:
    return max(1, min(first, MAX_PAGE))


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
        size = _first(first)
        client = await participant(info)
        try:
            dtos = await client.my_meetings(
                edition_id=str(edition_id) if edition_id else None,
                party_id=str(party_id) if party_id else None,
                after=after,
                limit=size + 1,
            )
        except ServiceError:
            return _EMPTY
        return MeetingConnection.of(dtos, size)

    @staff_field("Every meeting of an edition, optionally of one status (staff).")
    async def edition_meetings(
        self,
        info: Info,
        edition_id: strawberry.ID,
        status: MeetingStatus | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> EditionMeetingsResult:
        size = _first(first)
        try:
            dtos = await info.context.scheduling.edition_meetings(
                str(edition_id),
                status=status.value if status else None,
                after=after,
                limit=size + 1,
            )
        except ServiceError as exc:
            return problem(exc)
        return MeetingConnection.of(dtos, size)

    @described_field("A meeting of the caller's (staff: any).")
    async def meeting(self, info: Info, id: strawberry.ID) -> Meeting | None:
        try:
            return Meeting.of(await (await participant(info)).meeting(str(id)))
        except ServiceError:
            return None

    @staff_field("An edition's timetable: the draft, the published one and their placements.")
    async def schedule(self, info: Info, edition_id: strawberry.ID) -> ScheduleResult:
        return await answered(info.context.scheduling.schedule(str(edition_id)), Schedule.of)


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
        return await answered(client.request_meeting(str(edition_id), body_of(input)), Meeting.of)

    @described_mutation("Accept or decline a meeting request (the invitee, or staff).")
    async def answer_meeting(
        self, info: Info, id: strawberry.ID, accept: bool, reason: str | None = None
    ) -> MeetingResult:
        client = await participant(info)
        body = {"accept": accept, "reason": reason}
        return await answered(client.meeting_action(str(id), "answer", body), Meeting.of)

    @described_mutation("Cancel a meeting (either side, or staff).")
    async def cancel_meeting(
        self, info: Info, id: strawberry.ID, reason: str | None = None
    ) -> MeetingResult:
        client = await participant(info)
        return await answered(
            client.meeting_action(str(id), "cancel", {"reason": reason}), Meeting.of
        )

    @described_mutation("Set (or, with null, remove) an online meeting's https video link.")
    async def set_video_link(
        self, info: Info, id: strawberry.ID, video_link: str | None = None
    ) -> MeetingResult:
        client = await participant(info)
        body = {"video_link": video_link}
        return await answered(
            client.meeting_action(str(id), "video-link", body, method="PUT"), Meeting.of
        )

    @described_mutation(
        "Whether a meeting was held once it has begun; a no-show names who was absent."
    )
    async def record_meeting_outcome(
        self, info: Info, id: strawberry.ID, held: bool, absent: list[str] | None = None
    ) -> MeetingResult:
        client = await participant(info)
        body = {"held": held, "absent": absent or []}
        return await answered(client.meeting_action(str(id), "outcome", body), Meeting.of)

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
        body = {"time_limit_s": time_limit_s, "lp_bound": lp_bound}
        return await answered(
            info.context.scheduling.schedule_action(str(edition_id), "solve", body), Schedule.of
        )

    @staff_mutation("Publish the draft timetable: every meeting gets its place.")
    async def publish_schedule(self, info: Info, edition_id: strawberry.ID) -> ScheduleResult:
        return await answered(
            info.context.scheduling.schedule_action(str(edition_id), "publish"), Schedule.of
        )

    @staff_mutation(
        "Repair the published timetable now (movePlaced: move up to two placed meetings "
        "per new one to make room)."
    )
    async def repair_schedule(
        self, info: Info, edition_id: strawberry.ID, move_placed: bool = False
    ) -> ScheduleResult:
        body = {"move_placed": move_placed}
        return await answered(
            info.context.scheduling.schedule_action(str(edition_id), "repair", body), Schedule.of
        )
