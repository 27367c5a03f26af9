"""GraphQL types, built explicitly from the services' DTOs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar, cast
from urllib.parse import quote

import strawberry
from strawberry.extensions.field_extension import AsyncExtensionResolver, FieldExtension
from strawberry.types.field import StrawberryField

from boyin_gateway.clients import ServiceError
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


def staff_only_problem() -> Forbidden:
    return Forbidden(
        code="FORBIDDEN",
        message=LocalizedText(zh="仅限工作人员", en="staff only"),
        fields=[],
    )


class StaffOnly(FieldExtension):
    """Refuse a field to everyone but operators and administrators in the gateway itself
    (the service refuses them too): a result union answers ``Forbidden``, a nullable
    read ``null``. No service is called for a refused caller."""

    def __init__(self, *, refusal: Callable[[], Any] = staff_only_problem) -> None:
        super().__init__()
        self.refusal = refusal

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Any, **kwargs: Any
    ) -> Any:
        if not info.context.actor.is_staff:
            return self.refusal()
        return await next_(source, info, **kwargs)


def staff_mutation(description: str) -> _Decorator:
    """A mutation for operators and administrators only (see :class:`StaffOnly`)."""
    return cast(_Decorator, strawberry.mutation(description=description, extensions=[StaffOnly()]))


def staff_field(description: str, *, refusal: Callable[[], Any] = staff_only_problem) -> _Decorator:
    """A query field for operators and administrators only (see :class:`StaffOnly`)."""
    return cast(
        _Decorator,
        strawberry.field(description=description, extensions=[StaffOnly(refusal=refusal)]),
    )


def problem(error: ServiceError) -> InvalidInput | Conflict | NotFound | Forbidden:
    e = error.error
    fields = [
        FieldError(field=f.field, code=f.code, message=LocalizedText.of(f.message))
        for f in e.fields
    ]
    message = LocalizedText.of(e.message)
    if error.status == 404:
        return NotFound(code=e.code, message=message, fields=fields)
    if error.status in (401, 403):
        return Forbidden(code=e.code, message=message, fields=fields)
    if error.status == 409:
        return Conflict(code=e.code, message=message, fields=fields)
    return InvalidInput(code=e.code, message=message, fields=fields)


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


_Dto = TypeVar("_Dto")
_Out = TypeVar("_Out")


async def answered(
    call: Awaitable[_Dto], to: Callable[[_Dto], _Out]
) -> _Out | InvalidInput | Conflict | NotFound | Forbidden:
    """A service call's answer as a GraphQL type, or its expected failure as a problem."""
    try:
        return to(await call)
    except ServiceError as exc:
        return problem(exc)
