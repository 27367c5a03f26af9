"""Reference data over HTTP: districts, editions, eligibility criteria, the taxonomy.

:data:`Ref` gives any route the current reference data."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request, Response, status

from boyin_registry.reference.domain import Reference
from boyin_registry.reference.schemas import criterion_out, named_out, taxonomy_out
from boyin_registry.reference.service import ReferenceData
from boyin_shared.api.registry import CriterionOut, NamedOut, RenameIn, TaxonomyNodeIn, TaxonomyOut
from boyin_shared.api.registry.names import CRITERIA
from boyin_shared.callers import CurrentActor, CurrentMember

router = APIRouter(prefix="/reference", tags=["reference"])


async def reference_data(request: Request) -> ReferenceData:
    return cast(ReferenceData, request.app.state.service.reference)


async def reference(request: Request) -> Reference:
    """The current reference data (re-read if an operator changed the taxonomy)."""
    return await (await reference_data(request)).current()


Data = Annotated[ReferenceData, Depends(reference_data)]
Ref = Annotated[Reference, Depends(reference)]


@router.get("/districts")
async def districts(_: CurrentActor, ref: Ref) -> list[NamedOut]:
    return [named_out(d) for d in ref.districts.values()]


@router.get("/editions")
async def editions(_: CurrentActor, ref: Ref) -> list[NamedOut]:
    return [named_out(e) for e in ref.editions.values()]


@router.get("/criteria")
async def criteria(_: CurrentActor) -> list[CriterionOut]:
    return [criterion_out(c, info) for c, info in CRITERIA.items()]


@router.get("/taxonomy")
async def taxonomy(_: CurrentActor, ref: Ref) -> TaxonomyOut:
    """Every code, retired ones included (``kind: retired``), with the taxonomy's version."""
    return taxonomy_out(ref)


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
