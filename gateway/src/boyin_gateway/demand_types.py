"""GraphQL types of demands, derived from the registry's demand models
(``boyin_shared.api.registry``); the enums are the registry's own."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, cast

import strawberry
from pydantic import TypeAdapter

from boyin_gateway.derived import derived, derived_input, shown_as
from boyin_gateway.registry_enums import (
    Channel,
    ClaimReview,
    CooperationMode,
    Criterion,
    Degree,
    IpStatus,
    Stage,
    Status,
    WorkMode,
)
from boyin_gateway.types import Organisation, PageInfo, Talent
from boyin_shared.api.registry import (
    ClaimIn,
    ClaimOut,
    DemandContentIn,
    DemandOut,
    DemandScreeningOut,
    DetailsIn,
    JobSeekingIn,
    ProjectCooperationIn,
    ProjectLandingIn,
    ScreeningCriterionOut,
    TalentRecruitmentIn,
    TransitionOut,
)

#: A demand's details answer in the shape its request gave them (``DemandOut.details`` is
#: that model's content, with its channel): the detail types show those models.
_DETAILS: TypeAdapter[DetailsIn] = TypeAdapter(DetailsIn)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


@derived(ProjectCooperationIn, name="ProjectCooperationDetails", exclude=["channel"])
class ProjectCooperationDetails:
    stage: Stage
    ip_status: IpStatus
    sought: list[CooperationMode]


def _earliest_start(root: strawberry.Parent[JobSeekingIn]) -> str | None:
    return _day(root.earliest_start)


@derived(JobSeekingIn, name="JobSeekingDetails", exclude=["channel"])
class JobSeekingDetails:
    work_mode: WorkMode
    earliest_start: str | None = strawberry.field(resolver=_earliest_start)


@derived(ProjectLandingIn, name="ProjectLandingDetails", exclude=["channel"])
class ProjectLandingDetails:
    cooperation_modes: list[CooperationMode]
    wanted_stage: Stage | None


@derived(TalentRecruitmentIn, name="TalentRecruitmentDetails", exclude=["channel"])
class TalentRecruitmentDetails:
    degree_required: Degree
    work_mode: WorkMode


DemandDetails = Annotated[
    ProjectCooperationDetails
    | JobSeekingDetails
    | ProjectLandingDetails
    | TalentRecruitmentDetails,
    strawberry.union("DemandDetails"),
]


@derived(ClaimOut, name="EligibilityClaim")
class EligibilityClaim:
    criterion: Criterion
    review: ClaimReview


@derived(TransitionOut, name="DemandTransition", exclude=["by"])
class DemandTransition:
    pass


Party = Annotated[Organisation | Talent, strawberry.union("Party")]


def _details(root: strawberry.Parent[DemandOut]) -> DemandDetails:
    return cast(DemandDetails, _DETAILS.validate_python(root.details))


def _expires_on(root: strawberry.Parent[DemandOut]) -> str | None:
    return _day(root.expires_on)


async def _owner(root: strawberry.Parent[DemandOut], info: strawberry.Info) -> Party | None:
    """The talent or organisation the demand belongs to, batched per request."""
    if root.channel in (Channel.PROJECT_COOPERATION, Channel.JOB_SEEKING):
        talent: Talent | None = await info.context.loaders.talents.load(root.owner_id)
        return talent
    org: Organisation | None = await info.context.loaders.organisations.load(root.owner_id)
    return org


@derived(ScreeningCriterionOut, name="DemandScreeningCriterion", description="Mean and spread.")
class DemandScreeningCriterion:
    pass


@derived(
    DemandScreeningOut,
    name="DemandScreening",
    description="The mentors' aggregated screening of a demand (never the individual reviews).",
)
class DemandScreening:
    demand_id: strawberry.ID


async def _screening(
    root: strawberry.Parent[DemandOut], info: strawberry.Info
) -> DemandScreening | None:
    found = await info.context.registry.demand_screening(root.id)
    return shown_as(DemandScreening, found) if found else None


@derived(DemandOut, exclude=["created_at"])
class Demand:
    id: strawberry.ID
    details: DemandDetails = strawberry.field(resolver=_details)
    expires_on: str | None = strawberry.field(resolver=_expires_on)
    owner: Party | None = strawberry.field(resolver=_owner)
    screening: DemandScreening | None = strawberry.field(
        resolver=_screening,
        description="The mentors' aggregated screening, for the demand's owner and reviewers "
        "once it is out (null otherwise; one call per demand: ask on a demand, not a list).",
    )


@strawberry.type
class DemandEdge:
    cursor: str
    node: Demand


@strawberry.type(description="A page of demands (Relay-style cursors, 100 at most).")
class DemandConnection:
    edges: list[DemandEdge]
    page_info: PageInfo


@derived_input(ProjectCooperationIn, name="ProjectCooperationInput", exclude=["channel"])
class ProjectCooperationInput:
    stage: Stage
    ip_status: IpStatus
    sought: list[CooperationMode]


@derived_input(JobSeekingIn, name="JobSeekingInput", exclude=["channel"])
class JobSeekingInput:
    work_mode: WorkMode
    earliest_start: str | None


@derived_input(ProjectLandingIn, name="ProjectLandingInput", exclude=["channel"])
class ProjectLandingInput:
    cooperation_modes: list[CooperationMode]
    wanted_stage: Stage | None


@derived_input(TalentRecruitmentIn, name="TalentRecruitmentInput", exclude=["channel"])
class TalentRecruitmentInput:
    degree_required: Degree
    work_mode: WorkMode


@strawberry.input(one_of=True, description="Exactly one: the details of the demand's channel.")
class DemandDetailsInput:
    """Written by hand: GraphQL's one-of input stands for the request's union of channel
    details (``DetailsIn``), which has no one model to derive from."""

    project_cooperation: ProjectCooperationInput | None = strawberry.UNSET
    job_seeking: JobSeekingInput | None = strawberry.UNSET
    project_landing: ProjectLandingInput | None = strawberry.UNSET
    talent_recruitment: TalentRecruitmentInput | None = strawberry.UNSET

    def to_body(self) -> dict[str, Any]:
        for channel, value in (
            (Channel.PROJECT_COOPERATION, self.project_cooperation),
            (Channel.JOB_SEEKING, self.job_seeking),
            (Channel.PROJECT_LANDING, self.project_landing),
            (Channel.TALENT_RECRUITMENT, self.talent_recruitment),
        ):
            if value is not None and value is not strawberry.UNSET:
                return {"channel": channel.value, **strawberry.asdict(value)}
        raise ValueError("one channel's details are required")


@derived_input(ClaimIn, name="ClaimInput")
class ClaimInput:
    criterion: Criterion
    evidence_file: str | None = strawberry.field(
        description="An attachment id; it must be in the demand's attachmentIds."
    )


@derived_input(DemandContentIn, name="DemandContentInput")
class DemandContentInput:
    details: DemandDetailsInput
    expires_on: str | None
    attachment_ids: list[str] = strawberry.field(
        description="Files uploaded with uploadAttachment (yours; staff may attach any)."
    )


def content_body(content: DemandContentInput) -> dict[str, Any]:
    """A demand's content as the registry takes it (``DemandContentIn``)."""
    body = strawberry.asdict(content)
    body["details"] = content.details.to_body()
    return body


@strawberry.input
class DemandFilter:
    """The ``demands`` query's filters: the registry's query parameters (no model of its own)."""

    channel: Channel | None = None
    status: Status | None = None
    district_code: str | None = None
    taxonomy_code: str | None = None
    language: str | None = None
    edition: str | None = None
    owner_id: str | None = None

    def to_params(self) -> dict[str, Any]:
        return {
            "channel": self.channel.value if self.channel else None,
            "status": self.status.value if self.status else None,
            "district_code": self.district_code,
            "taxonomy_code": self.taxonomy_code,
            "language": self.language,
            "edition": self.edition,
            "owner_id": self.owner_id,
        }
