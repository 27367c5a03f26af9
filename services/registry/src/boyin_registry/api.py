"""The registry's HTTP API (served to the gateway and to operators' tools)."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Query, Request, status

from boyin_registry.application import Registry
from boyin_registry.domain.profiles import organisation_details, talent_details
from boyin_registry.schemas import OrganisationIn, OrganisationOut, Page, TalentIn, TalentOut

router = APIRouter()


def registry(request: Request) -> Registry:
    return cast(Registry, request.app.state.service)


RegistryDep = Annotated[Registry, Depends(registry)]


def _org_details(body: OrganisationIn, reg: Registry):  # type: ignore[no-untyped-def]
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
        ref=reg.reference,
    )


@router.post("/organisations", status_code=status.HTTP_201_CREATED, tags=["organisations"])
async def register_organisation(body: OrganisationIn, reg: RegistryDep) -> OrganisationOut:
    return OrganisationOut.of(await reg.register_organisation(_org_details(body, reg)))


@router.put("/organisations/{org_id}", tags=["organisations"])
async def update_organisation(
    org_id: str, body: OrganisationIn, reg: RegistryDep
) -> OrganisationOut:
    return OrganisationOut.of(await reg.update_organisation(org_id, _org_details(body, reg)))


@router.get("/organisations/{org_id}", tags=["organisations"])
async def get_organisation(org_id: str, reg: RegistryDep) -> OrganisationOut:
    return OrganisationOut.of(await reg.organisation(org_id))


@router.get("/organisations", tags=["organisations"])
async def list_organisations(
    reg: RegistryDep,
    district_code: str | None = None,
    after: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[OrganisationOut]:
    orgs = await reg.organisations.page(district_code=district_code, after=after, limit=limit)
    return Page(
        items=[OrganisationOut.of(o) for o in orgs],
        next_after=orgs[-1].id if len(orgs) == limit else None,
    )


@router.post("/talents", status_code=status.HTTP_201_CREATED, tags=["talents"])
async def register_talent(body: TalentIn, reg: RegistryDep) -> TalentOut:
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
        ref=reg.reference,
    )
    return TalentOut.of(await reg.register_talent(details))


@router.get("/talents/{talent_id}", tags=["talents"])
async def get_talent(talent_id: str, reg: RegistryDep) -> TalentOut:
    return TalentOut.of(await reg.talent(talent_id))
