"""Short-lived access tokens (JWT) and rotating, revocable refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import jwt

from boyin_shared.errors import unauthenticated
from boyin_shared.identity import Actor, decode_actor, encode_actor

ACCESS_AUDIENCE = "boyin-api"
ACCESS_TTL_SECONDS = 15 * 60
REFRESH_TTL_SECONDS = 30 * 24 * 3600


def issue_access(actor: Actor, secret: str, *, ttl: int = ACCESS_TTL_SECONDS) -> str:
    return encode_actor(actor, secret, audience=ACCESS_AUDIENCE, ttl_seconds=ttl)


def read_access(token: str, secret: str) -> Actor:
    """The actor of a person's access token; 401 unless it is valid, unexpired, and names the
    sign-in session it belongs to (which sign-out revokes)."""
    actor = decode_actor(token, secret, audience=ACCESS_AUDIENCE)
    if actor.session_id is None:
        raise unauthenticated()
    return actor


def expiry(token: str) -> float:
    """When an access token already read by :func:`read_access` expires (epoch seconds)."""
    claims = jwt.decode(token, options={"verify_signature": False})
    return float(claims["exp"])


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
