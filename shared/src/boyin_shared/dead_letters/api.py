"""Every service's dead letters over HTTP (internal: the gateway's operator schema calls it)."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Query, Request

from boyin_shared.api.dead_letters import DeadLetterOut, DeadLetterPage, DeadLetterStatus
from boyin_shared.callers import CurrentActor
from boyin_shared.dead_letters.store import DeadLetters

router = APIRouter(prefix="/dead-letters", tags=["dead letters"])


def dead_letters(request: Request) -> DeadLetters:
    return cast(DeadLetters, request.app.state.dead_letters)


Letters = Annotated[DeadLetters, Depends(dead_letters)]


@router.get("")
async def list_dead_letters(
    actor: CurrentActor,
    letters: Letters,
    status: DeadLetterStatus | None = None,
    after: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DeadLetterPage:
    """The events this service's consumers gave up on, oldest id first (operators)."""
    return await letters.page(actor, status, after, limit)


@router.get("/{letter_id}")
async def get_dead_letter(letter_id: str, actor: CurrentActor, letters: Letters) -> DeadLetterOut:
    return await letters.get(actor, letter_id)


@router.post("/{letter_id}/replay")
async def replay_dead_letter(
    letter_id: str, actor: CurrentActor, letters: Letters
) -> DeadLetterOut:
    """Run the letter's handler once more (after a fix); replaying a replayed one does nothing."""
    return await letters.replay(actor, letter_id)
