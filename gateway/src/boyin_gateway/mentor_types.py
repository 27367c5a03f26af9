"""GraphQL types of mentors and screening, derived from the mentors service's API models
(``boyin_shared.api.mentors``), its enums, the inputs (written by hand where the request
holds a map: the rubric's scores by criterion, shown as a list), and the result unions."""

from __future__ import annotations

from typing import Annotated

import strawberry

from boyin_gateway.derived import derived, derived_input, nested_as, shown_as
from boyin_gateway.schedule_inputs import TextInput
from boyin_gateway.types import (
    Conflict,
    Forbidden,
    InvalidInput,
    LocalizedText,
    NotFound,
    PageInfo,
)
from boyin_shared.api import mentors as api
from boyin_shared.api.mentors import (
    AssignmentState,
    ConsultationMode,
    ConsultationStatus,
    Criterion,
    MentorStatus,
    ScreeningStatus,
)

nested_as(api.TextOut, LocalizedText)
strawberry.enum(MentorStatus)
strawberry.enum(Criterion, name="RubricCriterion", description="A criterion of the rubric.")
strawberry.enum(ScreeningStatus)
strawberry.enum(AssignmentState, name="ScreeningAssignmentState")
strawberry.enum(ConsultationStatus)
strawberry.enum(ConsultationMode)

# -- mentors -------------------------------------------------------------------------------


@derived(api.WindowOut, name="AvailabilityWindow", description="Weekly, in the mentor's zone.")
class AvailabilityWindow:
    pass


@derived(api.ConflictsOut, name="DeclaredConflicts", description="Declared conflicts.")
class DeclaredConflicts:
    pass


@derived(api.ProfileOut, name="MentorProfile", description="A mentor's profile.")
class MentorProfile:
    organisation_id: strawberry.ID | None


@derived(api.TransitionOut, name="MentorTransition", description="A decision on a mentor.")
class MentorTransition:
    from_status: MentorStatus | None
    to_status: MentorStatus


@derived(api.ProfileVersionOut, name="MentorProfileVersion", description="A profile version.")
class MentorProfileVersion:
    pass


@derived(api.MentorOut, name="Mentor", description="A mentor: status, profile, decisions.")
class Mentor:
    id: strawberry.ID
    status: MentorStatus


@derived(
    api.MentorDetailOut,
    name="MentorRecord",
    description="A mentor with every version of their profile.",
)
class MentorRecord:
    id: strawberry.ID
    status: MentorStatus


@strawberry.type(description="A page of mentors (staff).")
class MentorConnection:
    nodes: list[Mentor]
    page_info: PageInfo


def mentor_page(page: api.MentorPage) -> MentorConnection:
    nodes = [shown_as(Mentor, m) for m in page.items]
    return MentorConnection(
        nodes=nodes,
        page_info=PageInfo(has_next_page=page.next_after is not None, end_cursor=page.next_after),
    )


# -- screening -----------------------------------------------------------------------------


@derived(api.ScoreOut, name="RubricScore", description="One criterion's score, 1–5.")
class RubricScore:
    criterion: Criterion


@derived(api.ReviewOut, name="ScreeningReview", description="A mentor's review.")
class ScreeningReview:
    mentor_id: strawberry.ID


@derived(api.AssignmentOut, name="ScreeningAssignment", description="A mentor's assignment.")
class ScreeningAssignment:
    mentor_id: strawberry.ID
    state: AssignmentState


@derived(api.CriterionResultOut, name="CriterionResult", description="Mean and spread.")
class CriterionResult:
    criterion: Criterion


@derived(
    api.ResultOut,
    name="ScreeningResult",
    description="The mentors' reviews aggregated: mean and spread per criterion and total.",
)
class ScreeningResult:
    pass


@derived(api.DemandOut, name="ScreenedDemand", description="A demand's content (no owner).")
class ScreenedDemand:
    demand_id: strawberry.ID


@derived(api.ScreeningOut, name="Screening", description="A screening (the routing board).")
class Screening:
    id: strawberry.ID
    owner_id: strawberry.ID
    status: ScreeningStatus


@derived(
    api.TaskOut,
    name="ScreeningTask",
    description="A screening as its mentor sees it: blind (no owner; the others' reviews "
    "only once their own is in).",
)
class ScreeningTask:
    screening_id: strawberry.ID


@strawberry.type(description="A page of screenings (the routing board).")
class ScreeningConnection:
    nodes: list[Screening]
    page_info: PageInfo


def screening_page(page: api.ScreeningPage) -> ScreeningConnection:
    nodes = [shown_as(Screening, s) for s in page.items]
    return ScreeningConnection(
        nodes=nodes,
        page_info=PageInfo(has_next_page=page.next_after is not None, end_cursor=page.next_after),
    )


# -- consultations -------------------------------------------------------------------------


@derived(api.NoteOut, name="GuidanceNote", description="A mentor's guidance note.")
class GuidanceNote:
    pass


@derived(
    api.ConsultationOut,
    name="Consultation",
    description="A talent's consultation with a mentor in one of scheduling's slots.",
)
class Consultation:
    id: strawberry.ID
    mentor_id: strawberry.ID
    party_id: strawberry.ID
    edition_id: strawberry.ID
    slot_id: strawberry.ID
    mode: ConsultationMode
    status: ConsultationStatus


# -- inputs --------------------------------------------------------------------------------


# the profile's text in both languages: the one bilingual input of the schema
api.TextIn._strawberry_input_type = TextInput  # type: ignore[attr-defined]  # strawberry's lookup


@derived_input(
    api.WindowIn,
    name="AvailabilityWindowInput",
    description="A weekly availability window (weekday 0 = Monday; HH:MM).",
)
class AvailabilityWindowInput:
    pass


@derived_input(
    api.ConflictsIn, name="DeclaredConflictsInput", description="Declared conflicts of interest."
)
class DeclaredConflictsInput:
    pass


@derived_input(
    api.ProfileIn,
    name="MentorProfileInput",
    description="A mentor's profile (a change replaces all of it).",
)
class MentorProfileInput:
    # optional here: the service fills in an empty one
    expertise: TextInput | None = None
    organisation_id: strawberry.ID | None = None
    conflicts: DeclaredConflictsInput | None = None


@strawberry.input(description="One criterion's score (1–5) with a comment.")
class RubricScoreInput:
    criterion: Criterion
    score: int
    comment: str = ""


# -- results -------------------------------------------------------------------------------

MentorResult = Annotated[
    MentorRecord | InvalidInput | Conflict | NotFound | Forbidden,
    strawberry.union("MentorResult"),
]
MentorDecisionResult = Annotated[
    Mentor | InvalidInput | Conflict | NotFound | Forbidden,
    strawberry.union("MentorDecisionResult"),
]
MentorsResult = Annotated[
    MentorConnection | InvalidInput | Forbidden, strawberry.union("MentorsResult")
]
ScreeningTaskResult = Annotated[
    ScreeningTask | InvalidInput | Conflict | NotFound | Forbidden,
    strawberry.union("ScreeningTaskResult"),
]
ScreeningResultOrProblem = Annotated[
    Screening | InvalidInput | Conflict | NotFound | Forbidden,
    strawberry.union("ScreeningChangeResult"),
]
ScreeningsResult = Annotated[
    ScreeningConnection | InvalidInput | Forbidden, strawberry.union("ScreeningsResult")
]
ConsultationResult = Annotated[
    Consultation | InvalidInput | Conflict | NotFound | Forbidden,
    strawberry.union("ConsultationResult"),
]
