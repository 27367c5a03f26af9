"""Short-lived access tokens (JWT) and rotating, revocable refresh tokens."""

from __future__ import annotations

import hashlib
import secrets
import time
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


class AccessTokens:
    """:func:`read_access` and :func:`expiry` of the access tokens in use, each token
    verified once and remembered until it expires (a request's rate limit, its context and
    the next requests with the same token read it again for free). Only valid tokens are
    kept; a remembered token is refused once its expiry has passed, as the JWT check
    would. Whether its session was signed out is not remembered here (the caller asks the
    accounts, :meth:`Accounts.session_revoked`)."""

    def __init__(self, secret: str, *, size: int = 10_000) -> None:
        self._secret = secret
        self._size = size
        self._read: dict[str, tuple[Actor, float]] = {}

    def read(self, token: str) -> tuple[Actor, float]:
        """The token's actor and expiry (epoch seconds); 401 unless it is valid."""
        found = self._read.get(token)
        if found is not None:
            if time.time() < found[1]:
                return found
            del self._read[token]
        actor = read_access(token, self._secret)
        found = (actor, expiry(token))
        if len(self._read) >= self._size:
            self._read.clear()
        self._read[token] = found
        return found


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
