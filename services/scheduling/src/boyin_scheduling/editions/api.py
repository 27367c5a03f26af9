"""HTTP API of editions and their slot grid."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request, status

from boyin_scheduling.editions.schemas import edition_out, edition_plan, slot_out
from boyin_scheduling.editions.service import EditionService
from boyin_shared.api.scheduling import EditionIn, EditionOut, SlotOut
from boyin_shared.callers import CurrentActor


async def _service(request: Request) -> EditionService:
    return cast(EditionService, request.app.state.service.editions)


Editions = Annotated[EditionService, Depends(_service)]
router = APIRouter(tags=["editions"])


@router.post("/editions", status_code=status.HTTP_201_CREATED)
async def create_edition(body: EditionIn, actor: CurrentActor, editions: Editions) -> EditionOut:
    return edition_out(await editions.create(actor, edition_plan(body)))


@router.get("/editions")
async def list_editions(actor: CurrentActor, editions: Editions) -> list[EditionOut]:
    return [edition_out(e) for e in await editions.listed(actor)]


@router.get("/editions/{edition_id}")
async def get_edition(edition_id: str, actor: CurrentActor, editions: Editions) -> EditionOut:
    return edition_out(await editions.edition(actor, edition_id))


@router.put("/editions/{edition_id}")
async def edit_edition(
    edition_id: str, body: EditionIn, actor: CurrentActor, editions: Editions
) -> EditionOut:
    return edition_out(await editions.edit(actor, edition_id, edition_plan(body)))


@router.post("/editions/{edition_id}/open")
async def open_edition(edition_id: str, actor: CurrentActor, editions: Editions) -> EditionOut:
    return edition_out(await editions.open(actor, edition_id))


@router.post("/editions/{edition_id}/close")
async def close_edition(edition_id: str, actor: CurrentActor, editions: Editions) -> EditionOut:
    return edition_out(await editions.close(actor, edition_id))


@router.get("/editions/{edition_id}/slots")
async def slots(edition_id: str, actor: CurrentActor, editions: Editions) -> list[SlotOut]:
    edition = await editions.edition(actor, edition_id)
    return [slot_out(s) for s in edition.slots()]
