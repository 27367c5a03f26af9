"""HTTP API of an edition's agenda: its sessions, sign-ups, and publishing the agenda.

The routes carry the tag ``editions`` besides ``sessions``, as the published API always
has (the OpenAPI document is frozen)."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request, status

from boyin_scheduling.editions.schemas import edition_out
from boyin_scheduling.sessions.schemas import (
    session_out,
    session_plan,
    session_saved_out,
    sign_up_out,
)
from boyin_scheduling.sessions.service import SessionService
from boyin_shared.api.scheduling import (
    EditionOut,
    SessionIn,
    SessionOut,
    SessionSavedOut,
    SignUpIn,
    SignUpOut,
)
from boyin_shared.callers import CurrentActor


def _service(request: Request) -> SessionService:
    return cast(SessionService, request.app.state.service.sessions)


Sessions = Annotated[SessionService, Depends(_service)]
router = APIRouter(tags=["editions"])


@router.post("/editions/{edition_id}/agenda/publish")
async def publish_agenda(edition_id: str, actor: CurrentActor, sessions: Sessions) -> EditionOut:
    return edition_out(await sessions.publish_agenda(actor, edition_id))


# -- sessions ----------------------------------------------------------------------


@router.post(
    "/editions/{edition_id}/sessions", status_code=status.HTTP_201_CREATED, tags=["sessions"]
)
async def add_session(
    edition_id: str, body: SessionIn, actor: CurrentActor, sessions: Sessions
) -> SessionSavedOut:
    """The new session, with ``warnings`` about its presenters (e.g. one whose local time
    for it is at night)."""
    session, warnings = await sessions.add(actor, edition_id, session_plan(body))
    return session_saved_out(session, actor.party_id, warnings)


@router.get("/editions/{edition_id}/sessions", tags=["sessions"])
async def list_sessions(
    edition_id: str, actor: CurrentActor, sessions: Sessions
) -> list[SessionOut]:
    return [session_out(s, actor.party_id) for s in await sessions.listed(actor, edition_id)]


@router.get("/sessions/{session_id}", tags=["sessions"])
async def get_session(session_id: str, actor: CurrentActor, sessions: Sessions) -> SessionOut:
    return session_out(await sessions.session(actor, session_id), actor.party_id)


@router.put("/sessions/{session_id}", tags=["sessions"])
async def edit_session(
    session_id: str, body: SessionIn, actor: CurrentActor, sessions: Sessions
) -> SessionSavedOut:
    """The changed session, with ``warnings`` about its presenters."""
    session, warnings = await sessions.edit(actor, session_id, session_plan(body))
    return session_saved_out(session, actor.party_id, warnings)


@router.post("/sessions/{session_id}/cancel", tags=["sessions"])
async def cancel_session(session_id: str, actor: CurrentActor, sessions: Sessions) -> SessionOut:
    return session_out(await sessions.cancel(actor, session_id), actor.party_id)


@router.post("/sessions/{session_id}/sign-up", tags=["sessions"])
async def sign_up(
    session_id: str, body: SignUpIn, actor: CurrentActor, sessions: Sessions
) -> SessionOut:
    session = await sessions.sign_up(actor, session_id, body.party_id)
    return session_out(session, body.party_id or actor.party_id)


@router.post("/sessions/{session_id}/withdraw", tags=["sessions"])
async def withdraw(
    session_id: str, body: SignUpIn, actor: CurrentActor, sessions: Sessions
) -> SessionOut:
    session = await sessions.withdraw(actor, session_id, body.party_id)
    return session_out(session, body.party_id or actor.party_id)


@router.get("/sessions/{session_id}/sign-ups", tags=["sessions"])
async def sign_ups(session_id: str, actor: CurrentActor, sessions: Sessions) -> list[SignUpOut]:
    return [sign_up_out(x) for x in await sessions.sign_ups(actor, session_id)]
