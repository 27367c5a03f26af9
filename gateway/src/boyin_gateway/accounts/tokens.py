"""Short-lived access tokens (JWT) and rotating, revocable refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

import jwt

from boyin_shared.clock import utcnow
from boyin_shared.errors import unauthenticated
from boyin_shared.identity import Actor, Role

ACCESS_AUDIENCE = "boyin-api"
ACCESS_TTL_SECONDS = 15 * 60
REFRESH_TTL_SECONDS = 30 * 24 * 3600


def issue_access(actor: Actor, secret: str, *, ttl: int = ACCESS_TTL_SECONDS) -> str:
    now = int(utcnow().timestamp())
    claims: dict[str, Any] = {
        "sub": actor.account_id,
        "role": actor.role.value,
        "aud": ACCESS_AUDIENCE,
        "iat": now,
        "exp": now + ttl,
    }
    if actor.district_code:
        claims["district"] = actor.district_code
    if actor.party_id:
        claims["party"] = actor.party_id
    return jwt.encode(claims, secret, algorithm="HS256")


def read_access(token: str, secret: str) -> Actor:
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"], audience=ACCESS_AUDIENCE)
        return Actor(
            str(claims["sub"]), Role(claims["role"]), claims.get("district"), claims.get("party")
        )
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise unauthenticated() from exc


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def refresh_key(token: str) -> str:
    """Refresh tokens are stored only as their hash."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
