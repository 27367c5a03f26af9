"""Reference data over HTTP: districts, editions, eligibility criteria, the taxonomy."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from boyin_registry.demand_api import Ref
from boyin_registry.domain.eligibility import CRITERIA
from boyin_registry.taxonomy import ReferenceData
from boyin_shared.identity import CurrentActor, CurrentMember

router = APIRouter(prefix="/reference", tags=["reference"])


def reference_data(request: Request) -> ReferenceData:
    return cast(ReferenceData, request.app.state.service.registry.reference_data)


Data = Annotated[ReferenceData, Depends(reference_data)]


class NamedOut(BaseModel):
    code: str
    zh: str
    en: str
    kind: str
    parent: str | None = None


class TaxonomyOut(BaseModel):
    version: int
    nodes: list[NamedOut]


class CriterionOut(BaseModel):
    code: str
    side: str
    zh: str
    en: str


class TaxonomyNodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=32)
    parent: str | None = None
    name_zh: str = Field(max_length=100)
    name_en: str = Field(max_length=200)


class RenameIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name_zh: str = Field(max_length=100)
    name_en: str = Field(max_length=200)


@router.get("/districts")
async def districts(_: CurrentActor, ref: Ref) -> list[NamedOut]:
    return [NamedOut(code=d.code, zh=d.zh, en=d.en, kind=d.kind) for d in ref.districts.values()]


@router.get("/editions")
async def editions(_: CurrentActor, ref: Ref) -> list[NamedOut]:
    return [NamedOut(code=e.code, zh=e.zh, en=e.en, kind=e.kind) for e in ref.editions.values()]


@router.get("/criteria")
async def criteria(_: CurrentActor) -> list[CriterionOut]:
    return [
        CriterionOut(code=c.value, side=info.claimant.value, zh=info.zh, en=info.en)
        for c, info in CRITERIA.items()
    ]


@router.get("/taxonomy")
async def taxonomy(_: CurrentActor, ref: Ref) -> TaxonomyOut:
    """Every code, retired ones included (``kind: retired``), with the taxonomy's version."""
    return TaxonomyOut(
        version=ref.taxonomy_version,
        nodes=[
            NamedOut(code=n.code, zh=n.zh, en=n.en, kind=n.kind or "active", parent=n.parent)
            for n in ref.taxonomy.values()
        ],
    )


@router.post("/taxonomy", status_code=status.HTTP_201_CREATED)
async def add_code(body: TaxonomyNodeIn, actor: CurrentMember, data: Data) -> Response:
    await data.add(actor, body.code, body.parent, body.name_zh, body.name_en)
    return Response(status_code=status.HTTP_201_CREATED)


@router.put("/taxonomy/{code}", status_code=status.HTTP_204_NO_CONTENT)
async def rename_code(code: str, body: RenameIn, actor: CurrentMember, data: Data) -> Response:
    await data.rename(actor, code, body.name_zh, body.name_en)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/taxonomy/{code}/retire", status_code=status.HTTP_204_NO_CONTENT)
async def retire_code(code: str, actor: CurrentMember, data: Data) -> Response:
    await data.retire(actor, code)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
