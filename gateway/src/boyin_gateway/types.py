"""GraphQL types every part of the schema uses (text, pages, problems), and the registry's
parties, derived from its API models (``boyin_shared.api.registry``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, cast
from urllib.parse import quote

import strawberry
from strawberry.types.field import StrawberryField

from boyin_gateway.derived import derived, derived_input, nested_as, shown_as
from boyin_gateway.registry_enums import Degree, OrganisationKind, PlatformLevel
from boyin_shared.api.errors import FieldErrorOut, MessageOut
from boyin_shared.api.matching import DistrictSupplyOut
from boyin_shared.api.registry import (
    ContactIn,
    ContactOut,
    DemandAttachmentOut,
    OrganisationIn,
    OrganisationOut,
    PlatformIn,
    PlatformOut,
    TalentOut,
    TextOut,
)
from boyin_shared.api.scheduling import TextIO

_Decorator = Callable[[Callable[..., Any]], StrawberryField]


def described_field(description: str) -> _Decorator:
    """``@strawberry.field(description=...)``, typed (strawberry types that form as Any)."""
    return cast(_Decorator, strawberry.field(description=description))


def described_mutation(description: str) -> _Decorator:
    """``@strawberry.mutation(description=...)``, typed."""
    return cast(_Decorator, strawberry.mutation(description=description))


@strawberry.type(description="Text in Chinese, English or both.")
class LocalizedText:
    """Written by hand, not derived: it shows any object with ``zh`` and ``en``, where a
    derived type would accept instances of its one model only."""

    zh: str | None
    en: str | None


#: every bilingual text of the services' API models, wherever a derived type nests it: the
#: registry's texts, scheduling's, and the messages of errors (the import's cells too)
for _text in (TextOut, TextIO, MessageOut):
    nested_as(_text, LocalizedText)


@derived(PlatformOut, description="A research or innovation platform an organisation runs.")
class Platform:
    level: PlatformLevel


@derived(
    ContactOut,
    name="Contact",
    description="A person to contact, shown only to those the registry discloses it to.",
)
class Contact:
    pass


#: who is shown a party's contact details (the registry decides; each disclosure to
#: someone but the party itself is in its audit log, ``auditOfParty``)
_DISCLOSURE = (
    "shown to the party itself, operators and administrators{officer} and, once both "
    "sides said yes to a match, to its counterpart; null for anyone else. Asked of the "
    "registry only when selected, and each disclosure to someone but the party is "
    "audit-logged."
)


async def _organisation_contacts(
    root: strawberry.Parent[OrganisationOut], info: strawberry.Info
) -> list[Contact] | None:
    """The registry answered a write with the contacts already (to its writer); a read
    asks for them, batched per request."""
    found: list[ContactOut] | None = (
        root.contacts
        if root.contacts is not None
        else await info.context.loaders.organisation_contacts.load(root.id)
    )
    return None if found is None else [shown_as(Contact, c) for c in found]


async def _talent_contact(
    root: strawberry.Parent[TalentOut], info: strawberry.Info
) -> Contact | None:
    found: ContactOut | None = (
        root.contact
        if root.contact is not None
        else await info.context.loaders.talent_contacts.load(root.id)
    )
    return None if found is None else shown_as(Contact, found)


@derived(OrganisationOut)
class Organisation:
    id: strawberry.ID
    kind: OrganisationKind
    contacts: list[Contact] | None = strawberry.field(
        resolver=_organisation_contacts,
        description="Its contact persons: "
        + _DISCLOSURE.format(officer=", the district officer of its district"),
    )


@derived(TalentOut, exclude=["location", "team", "revision", "registered_at", "updated_at"])
class Talent:
    id: strawberry.ID
    degree: Degree
    contact: Contact | None = strawberry.field(
        resolver=_talent_contact,
        description="How to reach the talent: " + _DISCLOSURE.format(officer=""),
    )


def _download_path(root: strawberry.Parent[DemandAttachmentOut]) -> str:
    return f"/files/attachments/{quote(root.id, safe='')}"


@derived(
    DemandAttachmentOut,
    name="Attachment",
    description="An uploaded file; download it from /files/attachments/{id}.",
)
class Attachment:
    id: strawberry.ID
    download_path: str = strawberry.field(
        resolver=_download_path,
        description="Where the gateway serves the file (GET, with your token).",
    )


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None

    @classmethod
    def of(cls, cursors: Sequence[str], first: int) -> PageInfo:
        """A page asked of a service with ``first + 1``: one more than ``first`` means
        another page follows; the page ends at its ``first``-th cursor."""
        shown = cursors[:first]
        return cls(has_next_page=len(cursors) > first, end_cursor=shown[-1] if shown else None)


@strawberry.type
class OrganisationEdge:
    cursor: str
    node: Organisation


@strawberry.type(description="A page of organisations (Relay-style cursors, 100 at most).")
class OrganisationConnection:
    edges: list[OrganisationEdge]
    page_info: PageInfo


@derived(
    DistrictSupplyOut,
    name="DistrictSupply",
    description="How many organisations of a district are in the matching pool.",
)
class DistrictSupply:
    pass


@derived(FieldErrorOut, name="FieldError", description="One problem with one input field.")
class FieldError:
    pass


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


@derived_input(ContactIn, name="ContactInput")
class ContactInput:
    pass


@derived_input(PlatformIn, name="PlatformInput")
class PlatformInput:
    level: PlatformLevel


@derived_input(OrganisationIn, name="OrganisationInput")
class OrganisationInput:
    kind: OrganisationKind
