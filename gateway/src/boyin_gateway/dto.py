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
    expires_on: str | None = None
    history: list[TransitionDto]
    revision: int
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
