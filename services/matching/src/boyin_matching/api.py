"""Matching's HTTP API."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from boyin_matching.consumers import RegistryProjection
from boyin_shared.errors import not_found

router = APIRouter()


def projection(request: Request) -> RegistryProjection:
    return cast(RegistryProjection, request.app.state.service.projection)


ProjectionDep = Annotated[RegistryProjection, Depends(projection)]


class CounterpartOut(BaseModel):
    id: str
    kind: str
    name_zh: str | None
    name_en: str | None
    district_code: str | None
    taxonomy_codes: list[str]
    revision: int


class DistrictSupplyOut(BaseModel):
    district_code: str
    organisations: int


@router.get("/counterparts/{party_id}", tags=["pool"])
async def get_counterpart(party_id: str, p: ProjectionDep) -> CounterpartOut:
    loaded = await p.counterparts.get(party_id)
    if loaded is None:
        raise not_found("counterpart", party_id, zh_kind="匹配对象")
    c = loaded.aggregate
    return CounterpartOut(
        id=c.id,
        kind=c.kind,
        name_zh=c.name_zh,
        name_en=c.name_en,
        district_code=c.district_code,
        taxonomy_codes=list(c.taxonomy_codes),
        revision=c.revision,
    )


@router.get("/pool/districts", tags=["pool"])
async def district_supply(p: ProjectionDep) -> list[DistrictSupplyOut]:
    return [
        DistrictSupplyOut(district_code=s.id, organisations=s.organisations)
        for s in await p.supplies.all()
    ]
