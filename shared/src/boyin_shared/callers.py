"""Who is calling a service's HTTP API: FastAPI dependencies over :mod:`boyin_shared.identity`.

Kept apart from the identity itself so that domain modules can use :class:`Actor` and
:class:`Role` without importing the web framework.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from boyin_shared.errors import BoyinError, Message, unauthenticated
from boyin_shared.identity import HEADER, Actor, Role, verify


async def current_actor(request: Request) -> Actor:
    token = request.headers.get(HEADER)
    if not token:
        raise unauthenticated()
    secret: str = request.app.state.internal_token_secret
    return verify(token, secret)


CurrentActor = Annotated[Actor, Depends(current_actor)]


async def current_member(actor: CurrentActor) -> Actor:
    """The caller, who must be signed in (not a public visitor)."""
    if actor.role is Role.PUBLIC:
        raise BoyinError(
            code="SIGN_IN_REQUIRED",
            message=Message("请先登录", "Sign in first"),
            status=403,
        )
    return actor


CurrentMember = Annotated[Actor, Depends(current_member)]
