"""What the gateway reads from the services' HTTP APIs (their DTOs, as the gateway sees them)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class _Dto(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class TextDto(_Dto):
    zh: str | None = None
    en: str | None = None


class ContactDto(_Dto):
    name: str
    email: str | None = None
    phone: str | None = None
    role: str | None = None


class PlatformDto(_Dto):
    level: str
    name: str


class OrganisationDto(_Dto):
    id: str
    name: TextDto
    kind: str
    district_code: str
    credit_code: str
    platforms: list[PlatformDto]
    taxonomy_codes: list[str]
    description: TextDto
    contacts: list[ContactDto] | None = None
    revision: int
    registered_at: datetime
    updated_at: datetime


class OrganisationPageDto(_Dto):
    items: list[OrganisationDto]
    next_after: str | None


class TalentDto(_Dto):
    id: str
    name: TextDto
    degree: str
    field: TextDto
    institution: TextDto
    country: str
    location: str
    timezone: str
    languages: list[str]
    taxonomy_codes: list[str]
    revision: int


class FieldErrorDto(_Dto):
    field: str
    code: str
    message: TextDto


class ErrorDto(_Dto):
    code: str
    message: TextDto
    fields: list[FieldErrorDto] = []


class DistrictSupplyDto(_Dto):
    district_code: str
    organisations: int


class AttachmentDto(_Dto):
    id: str
    name: str
    content_type: str
    size: int
    #: given when the file was uploaded, not on a demand's list of attachments
    sha256: str | None = None


class ClaimDto(_Dto):
    criterion: str
    evidence: str | None = None
    evidence_file: str | None = None
    review: str
    review_note: str | None = None


class TransitionDto(_Dto):
    to: str
    by: str
    role: str
    at: datetime
    reason: str | None = None


class DemandDto(_Dto):
    id: str
    channel: str
    owner_id: str
    district_code: str | None
    status: str
    title: TextDto
    description: TextDto
    language: str
    taxonomy_codes: list[str]
    keywords: list[str]
    editions: list[str]
    claims: list[ClaimDto]
    details: dict[str, object]
    attachments: list[AttachmentDto] = []
    expires_on: str | None = None
    history: list[TransitionDto]
    revision: int
    external_ref: str | None = None
    created_at: datetime
    updated_at: datetime


class DemandPageDto(_Dto):
    items: list[DemandDto]
    next_after: str | None


class TalentPageDto(_Dto):
    items: list[TalentDto]
    next_after: str | None


class ExplanationDto(_Dto):
    zh: list[str]
    en: list[str]
    mismatches_zh: list[str]
    mismatches_en: list[str]
    capped_note: dict[str, str] | None = None
    reliability_note: dict[str, str] | None = None


class MeetingOutcomeDto(_Dto):
    meeting_id: str
    outcome: str
    absent: list[str]


class AgreementRefDto(_Dto):
    agreement_id: str
    signed_at: datetime


class MatchDto(_Dto):
    match_id: str
    demand_id: str
    counterpart_demand_id: str
    counterpart_kind: str
    counterpart_party_id: str
    score: float
    status: str
    my_response: str | None
    source: str
    explanation: ExplanationDto | None
    meeting: MeetingOutcomeDto | None = None
    agreement: AgreementRefDto | None = None


# -- reference data and privacy ---------------------------------------------------------


class NamedDto(_Dto):
    code: str
    zh: str
    en: str
    kind: str
    parent: str | None = None


class TaxonomyDto(_Dto):
    version: int
    nodes: list[NamedDto]


class CriterionDto(_Dto):
    code: str
    side: str
    zh: str
    en: str


class NoticeDto(_Dto):
    version: str
    text: dict[str, str]
    purposes: dict[str, dict[str, str]]


class AuditEntryDto(_Dto):
    account_id: str
    role: str
    action: str
    subject: str
    at: datetime


# -- imports ----------------------------------------------------------------------------


class ImportMessageDto(_Dto):
    zh: str
    en: str


class CellErrorDto(_Dto):
    column: str | None
    field: str
    code: str
    message: ImportMessageDto


class RowErrorDto(_Dto):
    row: int
    key: str | None
    errors: list[CellErrorDto]


class ImportErrorsDto(_Dto):
    total: int
    offset: int
    items: list[RowErrorDto]
    next_offset: int | None


class ImportCountsDto(_Dto):
    created: int
    updated: int
    unchanged: int
    failed: int


class JobErrorDto(_Dto):
    code: str
    message: ImportMessageDto


class ImportDto(_Dto):
    id: str
    status: str
    resumable: bool
    scope: str
    filename: str | None
    format: str
    total: int
    processed: int
    counts: ImportCountsDto
    ignored_columns: list[str]
    error: JobErrorDto | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    errors: ImportErrorsDto
