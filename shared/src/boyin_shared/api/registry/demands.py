"""Demands over HTTP: their channels, content, review and the feed of changes."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from boyin_shared.api.registry.base import StrictIn, TextOut
from boyin_shared.api.registry.profiles import Degree


class Channel(StrEnum):
    PROJECT_COOPERATION = "PROJECT_COOPERATION"
    JOB_SEEKING = "JOB_SEEKING"
    PROJECT_LANDING = "PROJECT_LANDING"
    TALENT_RECRUITMENT = "TALENT_RECRUITMENT"


class Stage(StrEnum):
    IDEA = "IDEA"
    PROTOTYPE = "PROTOTYPE"
    PILOT = "PILOT"
    PRODUCT = "PRODUCT"


class IpStatus(StrEnum):
    NONE = "NONE"
    FILED = "FILED"
    GRANTED = "GRANTED"
    LICENSED = "LICENSED"


class CooperationMode(StrEnum):
    TECH_TRANSFER = "TECH_TRANSFER"
    JOINT_RD = "JOINT_RD"
    INVESTMENT = "INVESTMENT"
    INCUBATION = "INCUBATION"
    OFFSHORE_RD = "OFFSHORE_RD"


class WorkMode(StrEnum):
    FULL_TIME = "FULL_TIME"
    PART_TIME = "PART_TIME"
    FLEXIBLE = "FLEXIBLE"  # 柔性引才


class Status(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    UNDER_REVIEW = "UNDER_REVIEW"
    PUBLISHED = "PUBLISHED"
    RETURNED = "RETURNED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"
    EXPIRED = "EXPIRED"


class Claimant(StrEnum):
    """Which side of a match may claim a criterion: the supplier (a talent's demands) or
    the demander (an organisation's)."""

    SUPPLIER = "SUPPLIER"
    DEMANDER = "DEMANDER"


class Criterion(StrEnum):
    # the six situations a talent (supplier) may claim
    BOTTLENECK_TECHNOLOGY = "BOTTLENECK_TECHNOLOGY"
    TRANSFER_INTENTION = "TRANSFER_INTENTION"
    INNOVATION_PROJECT = "INNOVATION_PROJECT"
    FINANCING_INTENTION = "FINANCING_INTENTION"
    OFFSHORE_EXPERIENCE = "OFFSHORE_EXPERIENCE"
    CHONGQING_INTENTION = "CHONGQING_INTENTION"
    # the six conditions an organisation (demander) may claim
    FACILITIES_SCENARIOS = "FACILITIES_SCENARIOS"
    KEY_PLATFORMS = "KEY_PLATFORMS"
    INCUBATION_CAPABILITY = "INCUBATION_CAPABILITY"
    INVESTMENT_CAPABILITY = "INVESTMENT_CAPABILITY"
    SUPPORT_POLICIES = "SUPPORT_POLICIES"
    COOPERATION_INTENTION = "COOPERATION_INTENTION"


class ClaimReview(StrEnum):
    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"
    REJECTED = "REJECTED"


# -- requests -----------------------------------------------------------------------------


class ProjectCooperationIn(StrictIn):
    channel: Literal["PROJECT_COOPERATION"]
    stage: Stage
    trl: int
    ip_status: IpStatus
    sought: list[CooperationMode]
    funding_sought_wan: int | None = None
    team_size: int = 1


class JobSeekingIn(StrictIn):
    channel: Literal["JOB_SEEKING"]
    desired_role: str
    work_mode: WorkMode
    earliest_start: date | None = None
    salary_min_wan: int | None = None
    salary_max_wan: int | None = None


class ProjectLandingIn(StrictIn):
    channel: Literal["PROJECT_LANDING"]
    cooperation_modes: list[CooperationMode]
    budget_wan: int | None = None
    facilities: str | None = None
    policies: str | None = None
    wanted_stage: Stage | None = None


class TalentRecruitmentIn(StrictIn):
    channel: Literal["TALENT_RECRUITMENT"]
    positions: int
    degree_required: Degree
    work_mode: WorkMode
    package: str | None = None
    location_district: str | None = None


DetailsIn = Annotated[
    ProjectCooperationIn | JobSeekingIn | ProjectLandingIn | TalentRecruitmentIn,
    Field(discriminator="channel"),
]


class ClaimIn(StrictIn):
    criterion: str
    evidence: str | None = None
    evidence_file: str | None = None


class DemandContentIn(StrictIn):
    title_zh: str | None = None
    title_en: str | None = None
    description_zh: str | None = None
    description_en: str | None = None
    taxonomy_codes: list[str] = Field(default_factory=list, max_length=20)
    keywords: list[str] = Field(default_factory=list, max_length=30)
    editions: list[str] = Field(default_factory=list, max_length=10)
    claims: list[ClaimIn] = Field(default_factory=list, max_length=12)
    details: DetailsIn
    expires_on: date | None = None
    #: uploaded with POST /attachments; a claim's evidence_file must be one of them
    attachment_ids: list[str] = Field(default_factory=list, max_length=10)


class DemandIn(DemandContentIn):
    owner_id: str
    #: submit for review straight away instead of keeping a draft
    submit: bool = False


class ReasonIn(StrictIn):
    reason: str = Field(min_length=1, max_length=2000)


class OptionalReasonIn(StrictIn):
    reason: str | None = Field(default=None, max_length=2000)


class ClaimReviewIn(StrictIn):
    outcome: Literal["CONFIRMED", "REJECTED"]
    note: str | None = Field(default=None, max_length=2000)


class EditionIn(StrictIn):
    edition: str


# -- answers ------------------------------------------------------------------------------


class ClaimOut(BaseModel):
    criterion: Criterion
    evidence: str | None
    evidence_file: str | None
    review: ClaimReview
    review_note: str | None


class TransitionOut(BaseModel):
    to: Status
    by: str
    role: str
    at: datetime
    reason: str | None


class DemandAttachmentOut(BaseModel):
    """A file attached to a demand."""

    id: str
    name: str
    content_type: str
    size: int


class DemandOut(BaseModel):
    id: str
    channel: Channel
    owner_id: str
    district_code: str | None
    status: Status
    title: TextOut
    description: TextOut
    language: str
    taxonomy_codes: list[str]
    keywords: list[str]
    editions: list[str]
    claims: list[ClaimOut]
    details: dict[str, Any]
    attachments: list[DemandAttachmentOut]
    expires_on: date | None
    history: list[TransitionOut]
    revision: int
    external_ref: str | None = Field(
        description="The importer's key of a demand that came from a spreadsheet import."
    )
    created_at: datetime
    updated_at: datetime


class ChangesOut(BaseModel):
    items: list[DemandOut]
    #: pass as ``since`` next time; unchanged when nothing new happened
    cursor: str | None


class ScreeningCriterionOut(BaseModel):
    criterion: str
    mean: float
    spread: int


class DemandScreeningOut(BaseModel):
    """The mentors' aggregated screening of a demand (never the individual reviews), as
    the mentors service published it: mean and spread per criterion and of the total
    (5–25), and the total's mean on a 0–100 scale."""

    demand_id: str
    reviews: int
    criteria: list[ScreeningCriterionOut]
    total_mean: float
    total_spread: int
    score: int
    aggregated_at: datetime
