"""The registry's HTTP data transfer objects (never its stored documents)."""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from boyin_registry.domain.common import Bilingual, Contact
from boyin_registry.domain.profiles import (
    ContactInput,
    Degree,
    Organisation,
    OrganisationKind,
    PlatformLevel,
    Talent,
)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=20000)


class TextOut(BaseModel):
    zh: str | None
    en: str | None

    @classmethod
    def of(cls, value: Bilingual) -> TextOut:
        return cls(zh=value.zh, en=value.en)


class ContactIn(_In):
    name: str = Field(min_length=1)
    email: str | None = None
    phone: str | None = None
    role: str | None = None

    def to_domain(self) -> ContactInput:
        return ContactInput(self.name, self.email, self.phone, self.role)


class ContactOut(BaseModel):
    name: str
    email: str | None
    phone: str | None
    role: str | None

    @classmethod
    def of(cls, c: Contact) -> ContactOut:
        return cls(name=c.name, email=c.email, phone=c.phone, role=c.role)


class PlatformIn(_In):
    level: PlatformLevel
    name: str


class OrganisationIn(_In):
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
    #: None when the caller may not see them (see the registry's disclosure rule)
    contacts: list[ContactOut] | None
    revision: int
    registered_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, org: Organisation, *, contacts_visible: bool) -> OrganisationOut:
        d = org.details
        return cls(
            id=org.id,
            name=TextOut.of(d.name),
            kind=d.kind,
            district_code=d.district_code,
            credit_code=d.credit_code,
            platforms=[PlatformOut(level=p.level, name=p.name) for p in d.platforms],
            taxonomy_codes=list(d.taxonomy_codes),
            description=TextOut.of(d.description),
            contacts=[ContactOut.of(c) for c in d.contacts] if contacts_visible else None,
            revision=org.revision,
            registered_at=org.registered_at,
            updated_at=org.updated_at,
        )


class TeamMemberIn(_In):
    name: str
    role: str = ""


class ConsentIn(_In):
    notice_version: str
    purposes: list[str] = Field(max_length=10)


class TalentIn(_In):
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
    #: None when the caller may not see it (see the registry's disclosure rule)
    contact: ContactOut | None
    team: list[TeamMemberOut]
    taxonomy_codes: list[str]
    revision: int
    registered_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, t: Talent, *, contacts_visible: bool) -> TalentOut:
        d = t.details
        return cls(
            id=t.id,
            name=TextOut.of(d.name),
            degree=d.degree,
            field=TextOut.of(d.field_of_study),
            institution=TextOut.of(d.institution),
            country=d.country,
            location=d.location,
            timezone=d.timezone,
            languages=list(d.languages),
            contact=ContactOut.of(d.contact) if contacts_visible else None,
            team=[TeamMemberOut(name=m.name, role=m.role) for m in d.team],
            taxonomy_codes=list(d.taxonomy_codes),
            revision=t.revision,
            registered_at=t.registered_at,
            updated_at=t.updated_at,
        )


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    #: pass as ``after`` to get the next page; None on the last page
    next_after: str | None
