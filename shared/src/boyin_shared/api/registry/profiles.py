"""Organisations and talents over HTTP: what registering sends and what reading returns."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from boyin_shared.api.registry.base import StrictIn, TextOut


class OrganisationKind(StrEnum):
    UNIVERSITY = "UNIVERSITY"
    RESEARCH_INSTITUTE = "RESEARCH_INSTITUTE"
    NEW_RD_INSTITUTION = "NEW_RD_INSTITUTION"
    ENTERPRISE = "ENTERPRISE"
    PUBLIC_INSTITUTION = "PUBLIC_INSTITUTION"
    INCUBATOR_PARK = "INCUBATOR_PARK"
    INVESTOR = "INVESTOR"


class PlatformLevel(StrEnum):
    NATIONAL = "NATIONAL"
    PROVINCIAL = "PROVINCIAL"
    MUNICIPAL = "MUNICIPAL"


class Degree(StrEnum):
    PHD = "PHD"
    PHD_CANDIDATE = "PHD_CANDIDATE"
    POSTDOC = "POSTDOC"
    POSTDOC_IN_STATION = "POSTDOC_IN_STATION"


class ContactIn(StrictIn):
    name: str = Field(min_length=1)
    email: str | None = None
    phone: str | None = None
    role: str | None = None


class ContactOut(BaseModel):
    name: str
    email: str | None
    phone: str | None
    role: str | None


class PlatformIn(StrictIn):
    level: PlatformLevel
    name: str


class OrganisationIn(StrictIn):
    name_zh: str | None = None
    name_en: str | None = None
    kind: OrganisationKind
    district_code: str
    credit_code: str
    platforms: list[PlatformIn] = Field(default_factory=list, max_length=50)
    taxonomy_codes: list[str] = Field(default_factory=list, max_length=30)
    description_zh: str | None = None
    description_en: str | None = None
    contacts: list[ContactIn] = Field(default_factory=list, max_length=10)


class PlatformOut(BaseModel):
    level: PlatformLevel
    name: str


class OrganisationOut(BaseModel):
    id: str
    name: TextOut
    kind: OrganisationKind
    district_code: str
    credit_code: str
    platforms: list[PlatformOut]
    taxonomy_codes: list[str]
    description: TextOut
    #: None unless the caller asked for them (``include_contacts``) and may see them (see
    #: the registry's disclosure rule); a write answers them to its writer
    contacts: list[ContactOut] | None
    revision: int
    registered_at: datetime
    updated_at: datetime


class TeamMemberIn(StrictIn):
    name: str
    role: str = ""


class ConsentIn(StrictIn):
    notice_version: str
    purposes: list[str] = Field(max_length=10)


class TalentIn(StrictIn):
    name_zh: str | None = None
    name_en: str | None = None
    degree: Degree
    field_zh: str | None = None
    field_en: str | None = None
    institution_zh: str | None = None
    institution_en: str | None = None
    country: str
    location: str
    timezone: str
    languages: list[str] = Field(default_factory=list, max_length=10)
    contact: ContactIn
    team: list[TeamMemberIn] = Field(default_factory=list, max_length=30)
    taxonomy_codes: list[str] = Field(default_factory=list, max_length=30)
    #: agreement to the current privacy notice (GET /privacy/notice)
    consent: ConsentIn


class TeamMemberOut(BaseModel):
    name: str
    role: str


class TalentOut(BaseModel):
    id: str
    name: TextOut
    degree: Degree
    field: TextOut
    institution: TextOut
    country: str
    location: str
    timezone: str
    languages: list[str]
    #: None unless the caller asked for it (``include_contacts``) and may see it (see the
    #: registry's disclosure rule); registering answers it to the registrant
    contact: ContactOut | None
    team: list[TeamMemberOut]
    taxonomy_codes: list[str]
    revision: int
    registered_at: datetime
    updated_at: datetime
