"""Who is calling: the identity the gateway vouches for on every internal call.

The gateway authenticates people (its own accounts and tokens) and calls the services with
a short-lived internal token in the ``X-Boyin-Identity`` header, signed with the secret all
services share (``BOYIN_INTERNAL_TOKEN_SECRET``). Services accept no call without one and
decide from the :class:`Actor` what the caller may see and change.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import jwt

from boyin_shared.clock import utcnow
from boyin_shared.errors import BoyinError, Message, unauthenticated

HEADER = "X-Boyin-Identity"
AUDIENCE = "boyin-internal"


class Role(StrEnum):
    #: a visitor the gateway has not authenticated: sees what is published, changes nothing
    PUBLIC = "PUBLIC"
    TALENT = "TALENT"
    ORGANISATION = "ORGANISATION"
    DISTRICT_OFFICER = "DISTRICT_OFFICER"
    INVESTOR = "INVESTOR"
    MENTOR = "MENTOR"
    OPERATOR = "OPERATOR"
    ADMIN = "ADMIN"
    #: another service acting on its own behalf (e.g. a consumer calling an API)
    SERVICE = "SERVICE"


@dataclass(frozen=True)
class Actor:
    account_id: str
    role: Role
    #: the district a district officer serves
    district_code: str | None = None
    #: the talent or organisation this account acts for
    party_id: str | None = None
    #: the sign-in session (refresh-token family) an access token belongs to: signing
    #: out revokes it, and with it every access token of the session
    session_id: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.OPERATOR, Role.ADMIN, Role.SERVICE)


def encode_actor(actor: Actor, secret: str, *, audience: str, ttl_seconds: int) -> str:
    """A signed token (JWT, HS256) naming ``actor``, for ``audience``, valid ``ttl_seconds``.

    The internal identity (services) and the gateway's access tokens (people) both use it,
    with different audiences and secrets."""
    now = int(utcnow().timestamp())
    claims: dict[str, Any] = {
        "sub": actor.account_id,
        "role": actor.role.value,
        "aud": audience,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if actor.district_code:
        claims["district"] = actor.district_code
    if actor.party_id:
        claims["party"] = actor.party_id
    if actor.session_id:
        claims["sid"] = actor.session_id
    return jwt.encode(claims, secret, algorithm="HS256")


def decode_actor(token: str, secret: str, *, audience: str) -> Actor:
    """The actor of a token made by :func:`encode_actor`; 401 if it is not valid."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            audience=audience,
            options={"require": ["exp", "iat", "sub", "aud"]},  # no token lives for ever
        )
        return Actor(
            account_id=str(claims["sub"]),
            role=Role(claims["role"]),
            district_code=claims.get("district"),
            party_id=claims.get("party"),
            session_id=claims.get("sid"),
        )
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise unauthenticated() from exc


#: tokens remembered by :func:`issue` and :func:`verify` before they start afresh
_REMEMBERED = 10_000
_issued: dict[tuple[Actor, str, int], tuple[str, int]] = {}
_verified: dict[tuple[str, str], tuple[Actor, float]] = {}


def issue(actor: Actor, secret: str, *, ttl_seconds: int = 120) -> str:
    """The internal identity of ``actor``, valid ``ttl_seconds`` (at least half of that:
    a token made earlier for the same actor is given again while it has that long to live,
    so one caller's calls carry one token, which each service checks once)."""
    now = int(utcnow().timestamp())
    key = (actor, secret, ttl_seconds)
    kept = _issued.get(key)
    if kept is not None and kept[1] - now >= ttl_seconds / 2:
        return kept[0]
    token = encode_actor(actor, secret, audience=AUDIENCE, ttl_seconds=ttl_seconds)
    if len(_issued) >= _REMEMBERED:
        _issued.clear()
    _issued[key] = (token, now + ttl_seconds)
    return token


def verify(token: str, secret: str) -> Actor:
    """The actor of a valid internal identity; 401 otherwise. A token already found valid
    with this secret is not checked again until it expires."""
    kept = _verified.get((token, secret))
    if kept is not None and time.time() < kept[1]:
        return kept[0]
    actor = decode_actor(token, secret, audience=AUDIENCE)
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    if len(_verified) >= _REMEMBERED:
        _verified.clear()
    _verified[(token, secret)] = (actor, float(expires))
    return actor


def require(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise BoyinError(
            code="FORBIDDEN",
            message=Message("当前身份无权执行此操作", "Your role may not do this"),
            status=403,
        )
