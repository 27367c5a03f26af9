"""GraphQL types, built explicitly from the services' DTOs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, cast
from urllib.parse import quote

import strawberry
from strawberry.types.field import StrawberryField

from boyin_gateway.dto import (
    AttachmentDto,
    DistrictSupplyDto,
    OrganisationDto,
    TalentDto,
    TextDto,
)

_Decorator = Callable[[Callable[..., Any]], StrawberryField]


def described_field(description: str) -> _Decorator:
    """``@strawberry.field(description=...)``, typed (strawberry types that form as Any)."""
    return cast(_Decorator, strawberry.field(description=description))


def described_mutation(description: str) -> _Decorator:
    """``@strawberry.mutation(description=...)``, typed."""
    return cast(_Decorator, strawberry.mutation(description=description))


@strawberry.type(description="Text in Chinese, English or both.")
class LocalizedText:
    zh: str | None
    en: str | None

    @classmethod
    def of(cls, dto: TextDto) -> LocalizedText:
        return cls(zh=dto.zh, en=dto.en)


@strawberry.type(description="A research or innovation platform an organisation runs.")
class Platform:
    #: NATIONAL, PROVINCIAL or MUNICIPAL
    level: str
    name: str


@strawberry.type
class Organisation:
    id: strawberry.ID
    name: LocalizedText
    kind: str
    district_code: str
    credit_code: str
    platforms: list[Platform]
    taxonomy_codes: list[str]
    description: LocalizedText
    revision: int
    registered_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, dto: OrganisationDto) -> Organisation:
        return cls(
            id=strawberry.ID(dto.id),
            name=LocalizedText.of(dto.name),
            kind=dto.kind,
            district_code=dto.district_code,
            credit_code=dto.credit_code,
            platforms=[Platform(level=p.level, name=p.name) for p in dto.platforms],
            taxonomy_codes=list(dto.taxonomy_codes),
            description=LocalizedText.of(dto.description),
            revision=dto.revision,
            registered_at=dto.registered_at,
            updated_at=dto.updated_at,
        )


@strawberry.type
class Talent:
    id: strawberry.ID
    name: LocalizedText
    degree: str
    field: LocalizedText
    institution: LocalizedText
    country: str
    timezone: str
    languages: list[str]
    taxonomy_codes: list[str]

    @classmethod
    def of(cls, dto: TalentDto) -> Talent:
        return cls(
            id=strawberry.ID(dto.id),
            name=LocalizedText.of(dto.name),
            degree=dto.degree,
            field=LocalizedText.of(dto.field),
            institution=LocalizedText.of(dto.institution),
            country=dto.country,
            timezone=dto.timezone,
            languages=list(dto.languages),
            taxonomy_codes=list(dto.taxonomy_codes),
        )


@strawberry.type(description="An uploaded file; download it from /files/attachments/{id}.")
class Attachment:
    id: strawberry.ID
    name: str
    content_type: str
    size: int

    @described_field("Where the gateway serves the file (GET, with your token).")
    def download_path(self) -> str:
        return f"/files/attachments/{quote(str(self.id), safe='')}"

    @classmethod
    def of(cls, dto: AttachmentDto) -> Attachment:
        return cls(
            id=strawberry.ID(dto.id), name=dto.name, content_type=dto.content_type, size=dto.size
        )


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class OrganisationEdge:
    cursor: str
    node: Organisation


@strawberry.type(description="A page of organisations (Relay-style cursors, 100 at most).")
class OrganisationConnection:
    edges: list[OrganisationEdge]
    page_info: PageInfo


@strawberry.type(description="How many organisations of a district are in the matching pool.")
class DistrictSupply:
    district_code: str
    organisations: int

    @classmethod
    def of(cls, dto: DistrictSupplyDto) -> DistrictSupply:
        return cls(district_code=dto.district_code, organisations=dto.organisations)


@strawberry.type(description="One problem with one input field.")
class FieldError:
    field: str
    code: str
    message: LocalizedText


@strawberry.interface(description="An expected failure, with its reason in zh and en.")
class Problem:
    code: str
    message: LocalizedText
    fields: list[FieldError]


@strawberry.type
class InvalidInput(Problem):
    pass


@strawberry.type
class Conflict(Problem):
    pass


@strawberry.type
class NotFound(Problem):
    pass


@strawberry.type(description="Not allowed for who you are (or you are not signed in).")
class Forbidden(Problem):
    pass


RegisterOrganisationResult = Annotated[
    Organisation | InvalidInput | Conflict | Forbidden,
    strawberry.union("RegisterOrganisationResult"),
]


@strawberry.input
class ContactInput:
    name: str
    email: str | None = None
    phone: str | None = None
    role: str | None = None


@strawberry.input
class PlatformInput:
    level: str
    name: str


@strawberry.input
class OrganisationInput:
    name_zh: str | None = None
    name_en: str | None = None
    kind: str
    district_code: str
    credit_code: str
    platforms: list[PlatformInput] = strawberry.field(default_factory=list)
    taxonomy_codes: list[str] = strawberry.field(default_factory=list)
    description_zh: str | None = None
    description_en: str | None = None
    contacts: list[ContactInput] = strawberry.field(default_factory=list)
