"""HTTP DTOs of demands."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from boyin_registry.documents import details_state
from boyin_registry.domain.demands import (
    Channel,
    CooperationMode,
    Demand,
    Details,
    IpStatus,
    JobSeeking,
    ProjectCooperation,
    ProjectLanding,
    Stage,
    Status,
    TalentRecruitment,
    WorkMode,
)
from boyin_registry.domain.eligibility import ClaimReview, Criterion
from boyin_registry.domain.profiles import Degree
from boyin_registry.schemas import TextOut


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=20000)


class ProjectCooperationIn(_In):
    channel: Literal["PROJECT_COOPERATION"]
    stage: Stage
    trl: int
    ip_status: IpStatus
    sought: list[CooperationMode]
    funding_sought_wan: int | None = None
    team_size: int = 1

    def to_domain(self) -> ProjectCooperation:
        return ProjectCooperation(
            self.stage,
            self.trl,
            self.ip_status,
            tuple(self.sought),
            self.funding_sought_wan,
            self.team_size,
        )


class JobSeekingIn(_In):
    channel: Literal["JOB_SEEKING"]
    desired_role: str
    work_mode: WorkMode
    earliest_start: date | None = None
    salary_min_wan: int | None = None
    salary_max_wan: int | None = None

    def to_domain(self) -> JobSeeking:
        return JobSeeking(
            self.desired_role,
            self.work_mode,
            self.earliest_start,
            self.salary_min_wan,
            self.salary_max_wan,
        )


class ProjectLandingIn(_In):
    channel: Literal["PROJECT_LANDING"]
    cooperation_modes: list[CooperationMode]
    budget_wan: int | None = None
    facilities: str | None = None
    policies: str | None = None
    wanted_stage: Stage | None = None

    def to_domain(self) -> ProjectLanding:
        return ProjectLanding(
            tuple(self.cooperation_modes),
            self.budget_wan,
            self.facilities,
            self.policies,
            self.wanted_stage,
        )


class TalentRecruitmentIn(_In):
    channel: Literal["TALENT_RECRUITMENT"]
    positions: int
    degree_required: Degree
    work_mode: WorkMode
    package: str | None = None
    location_district: str | None = None

    def to_domain(self) -> TalentRecruitment:
        return TalentRecruitment(
            self.positions,
            self.degree_required,
            self.work_mode,
            self.package,
            self.location_district,
        )


DetailsIn = Annotated[
    ProjectCooperationIn | JobSeekingIn | ProjectLandingIn | TalentRecruitmentIn,
    Field(discriminator="channel"),
]


class ClaimIn(_In):
    criterion: str
    evidence: str | None = None
    evidence_file: str | None = None


class DemandContentIn(_In):
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


class ReasonIn(_In):
    reason: str = Field(min_length=1, max_length=2000)


class OptionalReasonIn(_In):
    reason: str | None = Field(default=None, max_length=2000)


class ClaimReviewIn(_In):
    outcome: Literal["CONFIRMED", "REJECTED"]
    note: str | None = Field(default=None, max_length=2000)


class EditionIn(_In):
    edition: str


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


class AttachmentOut(BaseModel):
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
    attachments: list[AttachmentOut]
    expires_on: date | None
    history: list[TransitionOut]
    revision: int
    external_ref: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, d: Demand) -> DemandOut:
        c = d.content
        return cls(
            id=d.id,
            channel=d.channel,
            owner_id=d.owner_id,
            district_code=d.district_code,
            status=d.status,
            title=TextOut.of(c.title),
            description=TextOut.of(c.description),
            language=c.language,
            taxonomy_codes=list(c.taxonomy_codes),
            keywords=list(c.keywords),
            editions=list(c.editions),
            claims=[
                ClaimOut(
                    criterion=x.criterion,
                    evidence=x.evidence,
                    evidence_file=x.evidence_file,
                    review=x.review,
                    review_note=x.review_note,
                )
                for x in c.claims
            ],
            details={"channel": d.channel.value, **details_state(c.details)},
            attachments=[
                AttachmentOut(id=a.id, name=a.name, content_type=a.content_type, size=a.size)
                for a in c.attachments
            ],
            expires_on=c.expires_on,
            history=[
                TransitionOut(to=t.to, by=t.by, role=t.role, at=t.at, reason=t.reason)
                for t in d.history
            ],
            revision=d.revision,
            external_ref=d.external_ref,
            created_at=d.created_at,
            updated_at=d.updated_at,
        )


def details_to_domain(details: DetailsIn) -> Details:
    return details.to_domain()
