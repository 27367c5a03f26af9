"""GraphQL of mentors, screening and consultations: a mentor's record, queue and rubric
form; the operators' mentors, decisions, routing board, reassignment and overdue list; a
demand's aggregated result for its owner; consultations booked, held and noted. The mentors service decides who sees what (a mentor only
their own assignments, blind; the owner only the aggregate); the gateway keeps the
staff-only fields and the mentor-only ones to their roles before any call."""

from __future__ import annotations

from typing import Any, ClassVar

import strawberry

from boyin_gateway import paging
from boyin_gateway.clients import sent
from boyin_gateway.context import Context
from boyin_gateway.derived import showing, showing_each
from boyin_gateway.errors import answered, forbidden, found
from boyin_gateway.mentor_types import (
    Consultation,
    ConsultationResult,
    Mentor,
    MentorDecisionResult,
    MentorProfileInput,
    MentorRecord,
    MentorResult,
    MentorsResult,
    RubricScoreInput,
    Screening,
    ScreeningResult,
    ScreeningResultOrProblem,
    ScreeningsResult,
    ScreeningTask,
    ScreeningTaskResult,
    mentor_page,
    screening_page,
)
from boyin_gateway.permissions import (
    Allowed,
    SignedIn,
    guarded_field,
    guarded_mutation,
    nothing,
    staff_field,
    staff_mutation,
)
from boyin_gateway.schedule_inputs import body_of
from boyin_gateway.types import Forbidden
from boyin_shared.api.mentors import (
    BookIn,
    CancelIn,
    ConsultationMode,
    ConsultationStatus,
    DecisionIn,
    MentorPage,
    MentorStatus,
    MoveIn,
    NoteIn,
    OutcomeIn,
    ReassignIn,
    ScoreIn,
    ScreeningPage,
    ScreeningStatus,
    SubmitIn,
)
from boyin_shared.errors import Message
from boyin_shared.identity import Role

Info = strawberry.Info[Context, None]
MAX_PAGE = 100


class MentorsOnly(Allowed):
    """Mentors themselves (their queue and reviews): staff review nothing."""

    roles: ClassVar[frozenset[Role]] = frozenset({Role.MENTOR})
    message = "仅限导师本人 / Mentors only"


def mentors_only() -> Forbidden:
    return forbidden(Message("仅限导师本人", "mentors only"))


def sign_in_first() -> Forbidden:
    return forbidden(Message("请先登录", "sign in first"), code="SIGN_IN_REQUIRED")


def _profile(input: MentorProfileInput) -> dict[str, Any]:
    body: dict[str, Any] = body_of(input)
    return body


@strawberry.type
class MentorQuery:
    @guarded_field(MentorsOnly(nothing), "The calling mentor's own record (null: none).")
    async def my_mentor_record(self, info: Info) -> MentorRecord | None:
        return await found(info.context.mentors.my_mentor(), showing(MentorRecord))

    @staff_field("A mentor's record with every profile version (staff).", refusal=nothing)
    async def mentor_record(self, info: Info, id: strawberry.ID) -> MentorRecord | None:
        return await found(info.context.mentors.mentor(str(id)), showing(MentorRecord))

    @staff_field("Every mentor, or those of one status (staff).")
    async def mentors(
        self,
        info: Info,
        status: MentorStatus | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> MentorsResult:
        return await paging.paged(
            first,
            after,
            prefix="men_",
            maximum=MAX_PAGE,
            fetch=lambda cursor, size: info.context.mentors.mentors(
                status=status.value if status else None, after=cursor, limit=size
            ),
            shown=mentor_page,
            empty=MentorPage(items=[], next_after=None),
        )

    @guarded_field(MentorsOnly(nothing), "The calling mentor's screenings (blind).")
    async def mentor_queue(self, info: Info) -> list[ScreeningTask] | None:
        return await found(info.context.mentors.queue(), showing_each(ScreeningTask))

    @guarded_field(MentorsOnly(nothing), "A screening of the calling mentor's (its rubric form).")
    async def screening_task(self, info: Info, id: strawberry.ID) -> ScreeningTask | None:
        return await found(info.context.mentors.task(str(id)), showing(ScreeningTask))

    @staff_field("The routing board: every screening, its mentors and reviews (staff).")
    async def screening_board(
        self,
        info: Info,
        status: ScreeningStatus | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> ScreeningsResult:
        return await paging.paged(
            first,
            after,
            prefix="scr_",
            maximum=MAX_PAGE,
            fetch=lambda cursor, size: info.context.mentors.screenings(
                status=status.value if status else None, after=cursor, limit=size
            ),
            shown=screening_page,
            empty=ScreeningPage(items=[], next_after=None),
        )

    @staff_field("A screening, everything about it (staff).", refusal=nothing)
    async def screening(self, info: Info, id: strawberry.ID) -> Screening | None:
        return await found(info.context.mentors.screening(str(id)), showing(Screening))

    @staff_field("Screenings with a review past its deadline (staff).", refusal=nothing)
    async def overdue_screenings(self, info: Info) -> list[Screening] | None:
        return await found(info.context.mentors.overdue(), showing_each(Screening))

    @guarded_field(
        SignedIn(nothing),
        "A demand's aggregated screening result (never the individual reviews), for its "
        "owner and staff once it is out (null otherwise).",
    )
    async def demand_screening_result(
        self, info: Info, demand_id: strawberry.ID
    ) -> ScreeningResult | None:
        return await found(
            info.context.mentors.screening_result(str(demand_id)), showing(ScreeningResult)
        )

    @guarded_field(
        SignedIn(nothing),
        "The caller's consultations: a talent its team's, a mentor theirs, staff every one.",
    )
    async def my_consultations(self, info: Info) -> list[Consultation] | None:
        return await found(info.context.mentors.consultations(), showing_each(Consultation))


@strawberry.type
class MentorMutation:
    @guarded_mutation(MentorsOnly(mentors_only), "Apply as a mentor (operators approve).")
    async def apply_as_mentor(self, info: Info, input: MentorProfileInput) -> MentorResult:
        return await answered(info.context.mentors.apply(_profile(input)), showing(MentorRecord))

    @staff_mutation("Invite the person behind a MENTOR account (staff).")
    async def invite_mentor(
        self, info: Info, account_id: strawberry.ID, input: MentorProfileInput
    ) -> MentorResult:
        body = {"account_id": str(account_id), "profile": _profile(input)}
        return await answered(info.context.mentors.invite(body), showing(MentorRecord))

    @guarded_mutation(
        SignedIn(sign_in_first), "Change a mentor's profile (the mentor or staff): a new version."
    )
    async def update_mentor_profile(
        self, info: Info, id: strawberry.ID, input: MentorProfileInput
    ) -> MentorResult:
        return await answered(
            info.context.mentors.update_profile(str(id), _profile(input)), showing(MentorRecord)
        )

    @staff_mutation("Approve a mentor who applied, was invited or is suspended (staff).")
    async def approve_mentor(self, info: Info, id: strawberry.ID) -> MentorDecisionResult:
        return await answered(
            info.context.mentors.decide(str(id), "approve", sent(DecisionIn.model_construct())),
            showing(Mentor),
        )

    @staff_mutation("Suspend an approved mentor, saying why (staff).")
    async def suspend_mentor(
        self, info: Info, id: strawberry.ID, reason: str
    ) -> MentorDecisionResult:
        return await answered(
            info.context.mentors.decide(
                str(id), "suspend", sent(DecisionIn.model_construct(reason=reason))
            ),
            showing(Mentor),
        )

    @staff_mutation("Retire a mentor, saying why (final; staff).")
    async def retire_mentor(
        self, info: Info, id: strawberry.ID, reason: str
    ) -> MentorDecisionResult:
        return await answered(
            info.context.mentors.decide(
                str(id), "retire", sent(DecisionIn.model_construct(reason=reason))
            ),
            showing(Mentor),
        )

    @guarded_mutation(
        MentorsOnly(mentors_only),
        "Submit the calling mentor's review: every criterion of the rubric, 1–5 with a "
        "comment (once).",
    )
    async def submit_screening_review(
        self, info: Info, screening_id: strawberry.ID, scores: list[RubricScoreInput]
    ) -> ScreeningTaskResult:
        body = sent(
            SubmitIn.model_construct(
                scores={
                    s.criterion.value: ScoreIn.model_construct(score=s.score, comment=s.comment)
                    for s in scores
                }
            )
        )
        return await answered(
            info.context.mentors.submit_review(str(screening_id), body), showing(ScreeningTask)
        )

    @staff_mutation(
        "Move an open review to another mentor, or add one (fromMentorId omitted) (staff)."
    )
    async def reassign_screening(
        self,
        info: Info,
        screening_id: strawberry.ID,
        to_mentor_id: strawberry.ID,
        from_mentor_id: strawberry.ID | None = None,
        reason: str | None = None,
    ) -> ScreeningResultOrProblem:
        body = sent(
            ReassignIn.model_construct(
                from_mentor_id=str(from_mentor_id) if from_mentor_id else None,
                to_mentor_id=str(to_mentor_id),
                reason=reason,
            )
        )
        return await answered(
            info.context.mentors.reassign(str(screening_id), body), showing(Screening)
        )

    @guarded_mutation(
        SignedIn(sign_in_first),
        "A talent books a mentor in one of an edition's slots within the mentor's office "
        "hours, when the talent is free then (their meetings, sessions and blocked windows "
        "in scheduling, their team's consultations) and the mentor's day is not full; on "
        "site only for a talent at the fair, online only with the mentor's link (each slot "
        "of a mentor, and of a talent, once).",
    )
    async def book_consultation(
        self,
        info: Info,
        mentor_id: strawberry.ID,
        edition_id: strawberry.ID,
        slot_id: strawberry.ID,
        mode: ConsultationMode = ConsultationMode.ONLINE,
        topic: str = "",
    ) -> ConsultationResult:
        body = sent(
            BookIn.model_construct(
                edition_id=str(edition_id), slot_id=str(slot_id), mode=mode, topic=topic
            )
        )
        return await answered(
            info.context.mentors.book(str(mentor_id), body), showing(Consultation)
        )

    @guarded_mutation(
        SignedIn(sign_in_first),
        "Call a consultation off before it begins (its talent, its mentor or staff), saying "
        "why: the time is free again, in the talent's agenda and calendar too.",
    )
    async def cancel_consultation(
        self, info: Info, id: strawberry.ID, reason: str
    ) -> ConsultationResult:
        return await answered(
            info.context.mentors.consultation_action(
                str(id), "cancel", sent(CancelIn.model_construct(reason=reason))
            ),
            showing(Consultation),
        )

    @guarded_mutation(
        SignedIn(sign_in_first),
        "Move a consultation before it begins to another of the edition's slots (its talent, "
        "its mentor or staff), checked as a booking is: the mentor's office hours and day, "
        "the talent's agenda and other consultations, the mode.",
    )
    async def move_consultation(
        self, info: Info, id: strawberry.ID, slot_id: strawberry.ID
    ) -> ConsultationResult:
        return await answered(
            info.context.mentors.consultation_action(
                str(id), "move", sent(MoveIn.model_construct(slot_id=str(slot_id)))
            ),
            showing(Consultation),
        )

    @guarded_mutation(
        SignedIn(sign_in_first), "The mentor (or staff) records whether it was held or missed."
    )
    async def record_consultation_outcome(
        self, info: Info, id: strawberry.ID, outcome: ConsultationStatus
    ) -> ConsultationResult:
        return await answered(
            info.context.mentors.consultation_action(
                str(id), "outcome", sent(OutcomeIn.model_construct(outcome=outcome))
            ),
            showing(Consultation),
        )

    @guarded_mutation(
        SignedIn(sign_in_first), "The mentor's guidance note, seen by the team and operators."
    )
    async def add_guidance_note(
        self, info: Info, id: strawberry.ID, text: str
    ) -> ConsultationResult:
        return await answered(
            info.context.mentors.consultation_action(
                str(id), "notes", sent(NoteIn.model_construct(text=text))
            ),
            showing(Consultation),
        )
