"""HTTP API of editions, their grid and their agenda sessions (with sign-ups)."""

from __future__ import annotations

from fastapi import APIRouter, status

from boyin_scheduling.application import require_staff
from boyin_scheduling.deps import App
from boyin_scheduling.schemas import (
    EditionIn,
    EditionOut,
    SessionIn,
    SessionOut,
    SignUpIn,
    SignUpOut,
    SlotOut,
)
from boyin_shared.identity import CurrentActor

router = APIRouter(tags=["editions"])


@router.post("/editions", status_code=status.HTTP_201_CREATED)
async def create_edition(body: EditionIn, actor: CurrentActor, app: App) -> EditionOut:
    return EditionOut.of(await app.create_edition(actor, body.domain()))


@router.get("/editions")
async def list_editions(actor: CurrentActor, app: App) -> list[EditionOut]:
    return [EditionOut.of(e) for e in await app.editions(actor)]


@router.get("/editions/{edition_id}")
async def get_edition(edition_id: str, actor: CurrentActor, app: App) -> EditionOut:
    return EditionOut.of(await app.edition(actor, edition_id))


@router.put("/editions/{edition_id}")
async def edit_edition(
    edition_id: str, body: EditionIn, actor: CurrentActor, app: App
) -> EditionOut:
    return EditionOut.of(await app.edit_edition(actor, edition_id, body.domain()))


@router.post("/editions/{edition_id}/open")
async def open_edition(edition_id: str, actor: CurrentActor, app: App) -> EditionOut:
    return EditionOut.of(await app.open_edition(actor, edition_id))


@router.post("/editions/{edition_id}/close")
async def close_edition(edition_id: str, actor: CurrentActor, app: App) -> EditionOut:
    return EditionOut.of(await app.close_edition(actor, edition_id))


@router.get("/editions/{edition_id}/slots")
async def slots(edition_id: str, actor: CurrentActor, app: App) -> list[SlotOut]:
    edition = await app.edition(actor, edition_id)
    return [SlotOut(id=s.id, day=s.day, start=s.start, end=s.end) for s in edition.slots()]


@router.post("/editions/{edition_id}/agenda/publish")
async def publish_agenda(edition_id: str, actor: CurrentActor, app: App) -> EditionOut:
    return EditionOut.of(await app.publish_agenda(actor, edition_id))


# -- sessions ----------------------------------------------------------------------


@router.post(
    "/editions/{edition_id}/sessions", status_code=status.HTTP_201_CREATED, tags=["sessions"]
)
async def add_session(
    edition_id: str, body: SessionIn, actor: CurrentActor, app: App
) -> SessionOut:
    return SessionOut.of(await app.add_session(actor, edition_id, body.domain()), actor.party_id)


@router.get("/editions/{edition_id}/sessions", tags=["sessions"])
async def list_sessions(edition_id: str, actor: CurrentActor, app: App) -> list[SessionOut]:
    return [SessionOut.of(s, actor.party_id) for s in await app.sessions(actor, edition_id)]


@router.get("/sessions/{session_id}", tags=["sessions"])
async def get_session(session_id: str, actor: CurrentActor, app: App) -> SessionOut:
    return SessionOut.of(await app.session(actor, session_id), actor.party_id)


@router.put("/sessions/{session_id}", tags=["sessions"])
async def edit_session(
    session_id: str, body: SessionIn, actor: CurrentActor, app: App
) -> SessionOut:
    return SessionOut.of(await app.edit_session(actor, session_id, body.domain()), actor.party_id)


@router.post("/sessions/{session_id}/cancel", tags=["sessions"])
async def cancel_session(session_id: str, actor: CurrentActor, app: App) -> SessionOut:
    return SessionOut.of(await app.cancel_session(actor, session_id), actor.party_id)


@router.post("/sessions/{session_id}/sign-up", tags=["sessions"])
async def sign_up(session_id: str, body: SignUpIn, actor: CurrentActor, app: App) -> SessionOut:
    session = await app.sign_up(actor, session_id, body.party_id)
    return SessionOut.of(session, body.party_id or actor.party_id)


@router.post("/sessions/{session_id}/withdraw", tags=["sessions"])
async def withdraw(session_id: str, body: SignUpIn, actor: CurrentActor, app: App) -> SessionOut:
    session = await app.withdraw(actor, session_id, body.party_id)
    return SessionOut.of(session, body.party_id or actor.party_id)


@router.get("/sessions/{session_id}/sign-ups", tags=["sessions"])
async def sign_ups(session_id: str, actor: CurrentActor, app: App) -> list[SignUpOut]:
    require_staff(actor)
    session = await app.session(actor, session_id)
    return [SignUpOut(party_id=s.party_id, state=s.state.value, at=s.at) for s in session.sign_ups]
