"""GraphQL types of demands, built from the registry's demand DTOs."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any

import strawberry

from boyin_gateway.dto import DemandDto
from boyin_gateway.types import Attachment, LocalizedText, Organisation, PageInfo, Talent


@strawberry.enum
class Channel(Enum):
    PROJECT_COOPERATION = "PROJECT_COOPERATION"
    JOB_SEEKING = "JOB_SEEKING"
    PROJECT_LANDING = "PROJECT_LANDING"
    TALENT_RECRUITMENT = "TALENT_RECRUITMENT"


@strawberry.enum
class DemandStatus(Enum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    UNDER_REVIEW = "UNDER_REVIEW"
    PUBLISHED = "PUBLISHED"
    RETURNED = "RETURNED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"
    EXPIRED = "EXPIRED"


@strawberry.type
class ProjectCooperationDetails:
    stage: str
    trl: int
    ip_status: str
    sought: list[str]
    funding_sought_wan: int | None
    team_size: int


@strawberry.type
class JobSeekingDetails:
    desired_role: str
    work_mode: str
    earliest_start: str | None
    salary_min_wan: int | None
    salary_max_wan: int | None


@strawberry.type
class ProjectLandingDetails:
    cooperation_modes: list[str]
    budget_wan: int | None
    facilities: str | None
    policies: str | None
    wanted_stage: str | None


@strawberry.type
class TalentRecruitmentDetails:
    positions: int
    degree_required: str
    work_mode: str
    package: str | None
    location_district: str | None


DemandDetails = Annotated[
    ProjectCooperationDetails
    | JobSeekingDetails
    | ProjectLandingDetails
    | TalentRecruitmentDetails,
    strawberry.union("DemandDetails"),
]

_DETAIL_TYPES: dict[str, type[Any]] = {
    "PROJECT_COOPERATION": ProjectCooperationDetails,
    "JOB_SEEKING": JobSeekingDetails,
    "PROJECT_LANDING": ProjectLandingDetails,
    "TALENT_RECRUITMENT": TalentRecruitmentDetails,
}


def details_of(channel: str, raw: dict[str, Any]) -> Any:
    cls = _DETAIL_TYPES[channel]
    names = set(cls.__annotations__)
    return cls(**{k: v for k, v in raw.items() if k in names})


@strawberry.type
class EligibilityClaim:
    criterion: str
    evidence: str | None
    #: the id of one of the demand's attachments, the claim's documentary evidence
    evidence_file: str | None
    review: str
    review_note: str | None


@strawberry.type
class DemandTransition:
    to: DemandStatus
    role: str
    at: datetime
    reason: str | None


Party = Annotated[Organisation | Talent, strawberry.union("Party")]


@strawberry.type
class Demand:
    id: strawberry.ID
    channel: Channel
    owner_id: str
    district_code: str | None
    status: DemandStatus
    title: LocalizedText
    description: LocalizedText
    language: str
    taxonomy_codes: list[str]
    keywords: list[str]
    editions: list[str]
    claims: list[EligibilityClaim]
    details: DemandDetails
    attachments: list[Attachment]
    expires_on: str | None
    history: list[DemandTransition]
    revision: int
    external_ref: str | None = strawberry.field(
        description="The importer's key of a demand that came from a spreadsheet import."
    )
    updated_at: datetime

    # The talent or organisation the demand belongs to, batched per request.
    @strawberry.field
    async def owner(self, info: strawberry.Info) -> Party | None:
        if self.channel in (Channel.PROJECT_COOPERATION, Channel.JOB_SEEKING):
            talent: Talent | None = await info.context.loaders.talents.load(self.owner_id)
            return talent
        org: Organisation | None = await info.context.loaders.organisations.load(self.owner_id)
        return org

    @classmethod
    def of(cls, dto: DemandDto) -> Demand:
        return cls(
            id=strawberry.ID(dto.id),
            channel=Channel(dto.channel),
            owner_id=dto.owner_id,
            district_code=dto.district_code,
            status=DemandStatus(dto.status),
            title=LocalizedText.of(dto.title),
            description=LocalizedText.of(dto.description),
            language=dto.language,
            taxonomy_codes=list(dto.taxonomy_codes),
            keywords=list(dto.keywords),
            editions=list(dto.editions),
            claims=[
                EligibilityClaim(
                    criterion=c.criterion,
                    evidence=c.evidence,
                    evidence_file=c.evidence_file,
                    review=c.review,
                    review_note=c.review_note,
                )
                for c in dto.claims
            ],
            details=details_of(dto.channel, dict(dto.details)),
            attachments=[Attachment.of(a) for a in dto.attachments],
            expires_on=dto.expires_on,
            history=[
                DemandTransition(to=DemandStatus(t.to), role=t.role, at=t.at, reason=t.reason)
                for t in dto.history
            ],
            revision=dto.revision,
            external_ref=dto.external_ref,
            updated_at=dto.updated_at,
        )


@strawberry.type
class DemandEdge:
    cursor: str
    node: Demand


@strawberry.type(description="A page of demands (Relay-style cursors, 100 at most).")
class DemandConnection:
    edges: list[DemandEdge]
    page_info: PageInfo


@strawberry.input
class ProjectCooperationInput:
    stage: str
    trl: int
    ip_status: str
    sought: list[str]
    funding_sought_wan: int | None = None
    team_size: int = 1


@strawberry.input
class JobSeekingInput:
    desired_role: str
    work_mode: str
    earliest_start: str | None = None
    salary_min_wan: int | None = None
    salary_max_wan: int | None = None


@strawberry.input
class ProjectLandingInput:
    cooperation_modes: list[str]
    budget_wan: int | None = None
    facilities: str | None = None
    policies: str | None = None
    wanted_stage: str | None = None


@strawberry.input
class TalentRecruitmentInput:
    positions: int
    degree_required: str
    work_mode: str
    package: str | None = None
    location_district: str | None = None


@strawberry.input(one_of=True, description="Exactly one: the details of the demand's channel.")
class DemandDetailsInput:
    project_cooperation: ProjectCooperationInput | None = strawberry.UNSET
    job_seeking: JobSeekingInput | None = strawberry.UNSET
    project_landing: ProjectLandingInput | None = strawberry.UNSET
    talent_recruitment: TalentRecruitmentInput | None = strawberry.UNSET

    def to_body(self) -> dict[str, Any]:
        for channel, value in (
            ("PROJECT_COOPERATION", self.project_cooperation),
            ("JOB_SEEKING", self.job_seeking),
            ("PROJECT_LANDING", self.project_landing),
            ("TALENT_RECRUITMENT", self.talent_recruitment),
        ):
            if value is not None and value is not strawberry.UNSET:
                return {"channel": channel, **strawberry.asdict(value)}
        raise ValueError("one channel's details are required")


@strawberry.input
class ClaimInput:
    criterion: str
    evidence: str | None = None
    evidence_file: str | None = strawberry.field(
        default=None, description="An attachment id; it must be in the demand's attachmentIds."
    )


@strawberry.input
class DemandContentInput:
    title_zh: str | None = None
    title_en: str | None = None
    description_zh: str | None = None
    description_en: str | None = None
    taxonomy_codes: list[str] = strawberry.field(default_factory=list)
    keywords: list[str] = strawberry.field(default_factory=list)
    editions: list[str] = strawberry.field(default_factory=list)
    claims: list[ClaimInput] = strawberry.field(default_factory=list)
    details: DemandDetailsInput
    expires_on: str | None = None
    attachment_ids: list[str] = strawberry.field(
        default_factory=list,
        description="Files uploaded with uploadAttachment (yours; staff may attach any).",
    )

    def to_body(self) -> dict[str, Any]:
        body = strawberry.asdict(self)
        body["details"] = self.details.to_body()
        body["claims"] = [strawberry.asdict(c) for c in self.claims]
        return body


@strawberry.input
class DemandFilter:
    channel: Channel | None = None
    status: DemandStatus | None = None
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
