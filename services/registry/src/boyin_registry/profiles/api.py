"""The registry's HTTP API (served to the gateway and to operators' tools)."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel

from boyin_registry.application import Registry
from boyin_registry.demand_api import Ref
from boyin_registry.domain.profiles import (
    OrganisationDetails,
    organisation_details,
    talent_details,
)
from boyin_registry.reference import Reference
from boyin_registry.schemas import OrganisationIn, OrganisationOut, Page, TalentIn, TalentOut
from boyin_shared.errors import Message, forbidden
from boyin_shared.identity import CurrentActor, CurrentMember, Role

router = APIRouter()


def registry(request: Request) -> Registry:
    return cast(Registry, request.app.state.service.registry)


RegistryDep = Annotated[Registry, Depends(registry)]


def _org_details(body: OrganisationIn, ref: Reference) -> OrganisationDetails:
    return organisation_details(
        name_zh=body.name_zh,
        name_en=body.name_en,
        kind=body.kind,
        district_code=body.district_code,
        credit_code_value=body.credit_code,
        platforms=[(p.level, p.name) for p in body.platforms],
        taxonomy_codes=body.taxonomy_codes,
        description_zh=body.description_zh,
        description_en=body.description_en,
        contacts=[c.to_domain() for c in body.contacts],
        ref=ref,
    )


@router.post("/organisations", status_code=status.HTTP_201_CREATED, tags=["organisations"])
async def register_organisation(
    body: OrganisationIn, actor: CurrentMember, reg: RegistryDep, ref: Ref
) -> OrganisationOut:
    org = await reg.register_organisation(actor, _org_details(body, ref))
    return OrganisationOut.of(org, contacts_visible=True)


@router.put("/organisations/{org_id}", tags=["organisations"])
async def update_organisation(
    org_id: str, body: OrganisationIn, actor: CurrentMember, reg: RegistryDep, ref: Ref
) -> OrganisationOut:
    org = await reg.update_organisation(actor, org_id, _org_details(body, ref))
    return OrganisationOut.of(org, contacts_visible=True)


@router.get("/organisations/{org_id}", tags=["organisations"])
async def get_organisation(org_id: str, actor: CurrentActor, reg: RegistryDep) -> OrganisationOut:
    viewed = await reg.organisation(actor, org_id)
    return OrganisationOut.of(viewed.profile, contacts_visible=viewed.contacts_visible)


@router.get("/organisations", tags=["organisations"])
async def list_organisations(
    actor: CurrentActor,
    reg: RegistryDep,
    district_code: str | None = None,
    after: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    ids: Annotated[list[str] | None, Query(max_length=200)] = None,
) -> Page[OrganisationOut]:
    """A page of organisations, or (with ``ids``) exactly those the caller may see."""
    if ids:
        viewed = await reg.organisations_by_id(actor, ids)
        return Page(
            items=[
                OrganisationOut.of(v.profile, contacts_visible=v.contacts_visible) for v in viewed
            ],
            next_after=None,
        )
    viewed = await reg.organisations_page(
        actor, district_code=district_code, after=after, limit=limit
    )
    return Page(
        items=[OrganisationOut.of(v.profile, contacts_visible=v.contacts_visible) for v in viewed],
        next_after=viewed[-1].profile.id if len(viewed) == limit else None,
    )


@router.post("/talents", status_code=status.HTTP_201_CREATED, tags=["talents"])
async def register_talent(
    body: TalentIn, actor: CurrentMember, reg: RegistryDep, ref: Ref
) -> TalentOut:
    details = talent_details(
        name_zh=body.name_zh,
        name_en=body.name_en,
        degree=body.degree,
        field_zh=body.field_zh,
        field_en=body.field_en,
        institution_zh=body.institution_zh,
        institution_en=body.institution_en,
        country=body.country,
        location=body.location,
        timezone=body.timezone,
        languages=body.languages,
        contact=body.contact.to_domain(),
        team=[(m.name, m.role) for m in body.team],
        taxonomy_codes=body.taxonomy_codes,
        ref=ref,
    )
    consent = (body.consent.notice_version, body.consent.purposes)
    talent = await reg.register_talent(actor, details, consent)
    return TalentOut.of(talent, contacts_visible=True)


@router.get("/talents", tags=["talents"])
async def talents_by_id(
    actor: CurrentActor,
    reg: RegistryDep,
    ids: Annotated[list[str], Query(min_length=1, max_length=200)],
) -> Page[TalentOut]:
    viewed = await reg.talents_by_id(actor, ids)
    return Page(
        items=[TalentOut.of(v.profile, contacts_visible=v.contacts_visible) for v in viewed],
        next_after=None,
    )


@router.get("/talents/{talent_id}", tags=["talents"])
async def get_talent(talent_id: str, actor: CurrentActor, reg: RegistryDep) -> TalentOut:
    viewed = await reg.talent(actor, talent_id)
    return TalentOut.of(viewed.profile, contacts_visible=viewed.contacts_visible)


@router.get("/parties/{party_id}/audit", tags=["privacy"])
async def audit_of(party_id: str, actor: CurrentActor, reg: RegistryDep) -> list[dict[str, str]]:
    """Who among the staff read this party's contact details, and when."""
    if not (actor.role in (Role.ADMIN, Role.OPERATOR) or actor.party_id == party_id):
        raise forbidden(Message("无权查看访问记录", "you may not see this audit log"))
    return await reg.audit.of_subject(party_id)


class NoticeOut(BaseModel):
    version: str
    text: dict[str, str]
    purposes: dict[str, dict[str, str]]


@router.get("/privacy/notice", tags=["privacy"])
async def privacy_notice(ref: Ref) -> NoticeOut:
    """The notice people agree to when they register (no sign-in needed to read it)."""
    n = ref.notice
    return NoticeOut(
        version=n.version,
        text={"zh": n.text_zh, "en": n.text_en},
        purposes={k: {"zh": zh, "en": en} for k, (zh, en) in n.purposes.items()},
    )


@router.get("/talents/{talent_id}/personal-data", tags=["privacy"])
async def export_personal_data(
    talent_id: str, actor: CurrentMember, reg: RegistryDep
) -> dict[str, object]:
    return await reg.personal_data(actor, talent_id)


@router.delete("/talents/{talent_id}", tags=["privacy"])
async def erase_talent(
    talent_id: str, actor: CurrentMember, reg: RegistryDep, request: Request
) -> TalentOut:
    """Erase a person's data (their own request, or an administrator's); their open
    demands are withdrawn."""
    erased = await reg.erase_talent(actor, talent_id)
    await request.app.state.service.demands.withdraw_all_of(talent_id, "personal data erased")
    return TalentOut.of(erased, contacts_visible=True)
