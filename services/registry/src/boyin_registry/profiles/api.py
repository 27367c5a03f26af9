"""Organisations and talents over HTTP (served to the gateway and to operators' tools)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar, cast

from fastapi import APIRouter, Depends, Query, Request, status

from boyin_registry.profiles.schemas import (
    consent_of,
    organisation_details_of,
    organisation_out,
    talent_details_of,
    talent_out,
)
from boyin_registry.profiles.service import Profiles
from boyin_registry.reference.api import Ref, reference
from boyin_registry.reference.domain import Reference
from boyin_shared.api.registry import OrganisationIn, OrganisationOut, Page, TalentIn, TalentOut
from boyin_shared.callers import CurrentActor, CurrentMember
from boyin_shared.errors import BoyinError, FieldError
from boyin_shared.http import Completion, completed_by, read_leniently

#: Endpoints whose refused bodies are still checked in full (see :func:`completed_by`).
_COMPLETIONS: dict[Callable[..., Any], Completion] = {}
router = APIRouter(route_class=completed_by(_COMPLETIONS))
B = TypeVar("B", OrganisationIn, TalentIn)


async def profiles(request: Request) -> Profiles:
    return cast(Profiles, request.app.state.service.profiles)


ProfilesDep = Annotated[Profiles, Depends(profiles)]
#: contact details are answered only when asked for: to those who may see them, each
#: disclosure to someone but the party itself logged (``GET /parties/{id}/audit``)
IncludeContacts = Annotated[
    bool,
    Query(
        description="Answer the contact details too, where the caller may see them "
        "(every disclosure to someone but the party itself is audited)."
    ),
]


@router.post("/organisations", status_code=status.HTTP_201_CREATED, tags=["organisations"])
async def register_organisation(
    body: OrganisationIn, actor: CurrentMember, reg: ProfilesDep, ref: Ref
) -> OrganisationOut:
    org = await reg.register_organisation(actor, organisation_details_of(body, ref))
    return organisation_out(org, contacts_visible=True)


@router.put("/organisations/{org_id}", tags=["organisations"])
async def update_organisation(
    org_id: str, body: OrganisationIn, actor: CurrentMember, reg: ProfilesDep, ref: Ref
) -> OrganisationOut:
    org = await reg.update_organisation(actor, org_id, organisation_details_of(body, ref))
    return organisation_out(org, contacts_visible=True)


@router.get("/organisations/{org_id}", tags=["organisations"])
async def get_organisation(
    org_id: str, actor: CurrentActor, reg: ProfilesDep, include_contacts: IncludeContacts = False
) -> OrganisationOut:
    viewed = await reg.organisation(actor, org_id, contacts=include_contacts)
    return organisation_out(viewed.profile, contacts_visible=viewed.contacts_visible)


@router.get("/organisations", tags=["organisations"])
async def list_organisations(
    actor: CurrentActor,
    reg: ProfilesDep,
    district_code: str | None = None,
    after: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ids: Annotated[list[str] | None, Query(max_length=200)] = None,
    include_contacts: IncludeContacts = False,
) -> Page[OrganisationOut]:
    """A page of organisations, or (with ``ids``) exactly those the caller may see."""
    if ids:
        viewed = await reg.organisations_by_id(actor, ids, contacts=include_contacts)
        return Page(
            items=[
                organisation_out(v.profile, contacts_visible=v.contacts_visible) for v in viewed
            ],
            next_after=None,
        )
    viewed = await reg.organisations_page(
        actor, district_code=district_code, after=after, limit=limit, contacts=include_contacts
    )
    return Page(
        items=[organisation_out(v.profile, contacts_visible=v.contacts_visible) for v in viewed],
        next_after=viewed[-1].profile.id if len(viewed) == limit else None,
    )


@router.post("/talents", status_code=status.HTTP_201_CREATED, tags=["talents"])
async def register_talent(
    body: TalentIn, actor: CurrentMember, reg: ProfilesDep, ref: Ref
) -> TalentOut:
    talent = await reg.register_talent(actor, talent_details_of(body, ref), consent_of(body))
    return talent_out(talent, contacts_visible=True)


@router.get("/talents", tags=["talents"])
async def talents_by_id(
    actor: CurrentActor,
    reg: ProfilesDep,
    ids: Annotated[list[str], Query(min_length=1, max_length=200)],
    include_contacts: IncludeContacts = False,
) -> Page[TalentOut]:
    viewed = await reg.talents_by_id(actor, ids, contacts=include_contacts)
    return Page(
        items=[talent_out(v.profile, contacts_visible=v.contacts_visible) for v in viewed],
        next_after=None,
    )


@router.get("/talents/{talent_id}", tags=["talents"])
async def get_talent(
    talent_id: str, actor: CurrentActor, reg: ProfilesDep, include_contacts: IncludeContacts = False
) -> TalentOut:
    viewed = await reg.talent(actor, talent_id, contacts=include_contacts)
    return talent_out(viewed.profile, contacts_visible=viewed.contacts_visible)


def _completion(model: type[B], details_of: Callable[[B, Reference], object]) -> Completion:
    """The field errors the profile's own checks (``details_of``) find in a body pydantic
    refused in part, so that one answer lists them all."""

    async def complete(request: Request, raw: Any) -> list[FieldError]:
        body = read_leniently(model, raw)
        try:
            details_of(body, await reference(request))
        except BoyinError as error:
            return error.fields
        return []

    return complete


_COMPLETIONS.update(
    {
        register_organisation: _completion(OrganisationIn, organisation_details_of),
        update_organisation: _completion(OrganisationIn, organisation_details_of),
        register_talent: _completion(TalentIn, talent_details_of),
    }
)
