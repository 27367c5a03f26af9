"""HTTP API of the pool: the registered parties matching knows, and each district's
organisations."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request

from boyin_matching.pool.schemas import counterpart_out, district_supply_out
from boyin_matching.pool.service import Parties
from boyin_shared.api.matching import CounterpartOut, DistrictSupplyOut

router = APIRouter()


def parties(request: Request) -> Parties:
    return cast(Parties, request.app.state.service.parties)


PartiesDep = Annotated[Parties, Depends(parties)]


@router.get("/counterparts/{party_id}", tags=["pool"])
async def get_counterpart(party_id: str, p: PartiesDep) -> CounterpartOut:
    return counterpart_out(await p.counterpart(party_id))


@router.get("/pool/districts", tags=["pool"])
async def district_supply(p: PartiesDep) -> list[DistrictSupplyOut]:
    return [district_supply_out(s) for s in await p.districts()]
