"""HTTP API of the pool: the registered parties matching knows, and each district's
organisations."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request

from boyin_matching.pool.schemas import counterpart_out, district_supply_out
from boyin_matching.pool.service import Parties, Pool
from boyin_shared.api.matching import CounterpartOut, DistrictSupplyOut, RelevanceIn, RelevanceOut
from boyin_shared.callers import CurrentMember

router = APIRouter()


async def parties(request: Request) -> Parties:
    return cast(Parties, request.app.state.service.parties)


PartiesDep = Annotated[Parties, Depends(parties)]


async def pool(request: Request) -> Pool:
    return cast(Pool, request.app.state.service.pool)


PoolDep = Annotated[Pool, Depends(pool)]


@router.get("/counterparts/{party_id}", tags=["pool"])
async def get_counterpart(party_id: str, p: PartiesDep) -> CounterpartOut:
    return counterpart_out(await p.counterpart(party_id))


@router.get("/pool/districts", tags=["pool"])
async def district_supply(p: PartiesDep) -> list[DistrictSupplyOut]:
    return [district_supply_out(s) for s in await p.districts()]


@router.post("/relevance", tags=["pool"])
async def relevance(body: RelevanceIn, _: CurrentMember, p: PoolDep) -> RelevanceOut:
    """Score candidate texts against a query with the ranking's encoder and semantic
    scorer (0–1 each, in the candidates' order): other services rank with matching's
    notion of meaning without a copy of it (mentors rank mentors for a project)."""
    return RelevanceOut(scores=await p.relevance(body.query, body.candidates))
