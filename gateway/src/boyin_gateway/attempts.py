"""Limits on attempts that cost or reveal: the mutations that check or hash a password
(sign-in, sign-up), which cost tens of milliseconds of CPU each by design
(accounts/passwords.py), and a person's registrations of their own profile, whose refusals
("this e-mail is already registered") would otherwise tell who is registered.

Password checks:
Three token buckets, checked before any work is done (a refused attempt is not even
checked), each attempt counted when it starts so that a burst of parallel guesses cannot
outrun the count:

- ``password_checks_per_second`` (20) in all, per gateway process: beyond what it can hash,
  an attempt is refused at once rather than queued behind everyone else's;
- ``password_checks_per_address`` (60) a minute per client address (addresses.py), whether
  or not the caller holds a token, and however many logins it tries;
- for sign-in, ``sign_in_attempts`` (10) per login and address, one regained every
  ``sign_in_window_seconds`` / attempts (90 s): this slows password guessing without locking
  the owner out from elsewhere.

A successful sign-in gives its per-address and per-login attempts back. Refused: ``429`` with
``Retry-After``, the result the ``Forbidden`` problem ``TOO_MANY_SIGN_IN_ATTEMPTS`` (sign-in)
or ``TOO_MANY_SIGN_UP_ATTEMPTS`` (sign-up).

Registrations: ``registrations_per_hour`` (10) registrations of one's own talent or
organisation per account, whatever their outcome but success (staff and district officers,
who register others, are not counted); then ``TOO_MANY_REGISTRATION_ATTEMPTS``.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from starlette.requests import HTTPConnection
from starlette.responses import Response
from strawberry.extensions.field_extension import AsyncExtensionResolver, FieldExtension

from boyin_gateway.accounts.domain import normalise_login
from boyin_gateway.errors import forbidden
from boyin_gateway.limits import Throttle, TokenBuckets
from boyin_gateway.permissions import acts_for_no_party_yet
from boyin_gateway.types import Problem
from boyin_shared.errors import Message


def throttle_of(connection: HTTPConnection | None) -> Throttle | None:
    """The throttle of the gateway app serving ``connection`` (None outside one)."""
    if connection is None:
        return None
    found = getattr(connection.app.state, "throttle", None)
    return found if isinstance(found, Throttle) else None


class PasswordThrottle(FieldExtension):
    """Counts a mutation's password checks (see the module's documentation); ``per_login``
    adds the bucket of the login and address (sign-in). Refused with the problem ``code``."""

    def __init__(self, code: str, *, per_login: bool) -> None:
        super().__init__()
        self.code = code
        self.per_login = per_login

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Any, **kwargs: Any
    ) -> Any:
        connection: HTTPConnection | None = info.context.request
        throttle = throttle_of(connection)
        if throttle is None or connection is None:
            return await next_(source, info, **kwargs)
        address = throttle.client_address(connection.scope)
        buckets: list[tuple[TokenBuckets, Hashable]] = [
            (throttle.all_password_checks, None),
            (throttle.password_checks, address),
        ]
        if self.per_login:
            buckets.append((throttle.sign_ins, (normalise_login(str(kwargs["login"])), address)))
        for bucket, key in buckets:
            if wait := bucket.take(key):
                return _refused(info, wait, self.code)
        result = await next_(source, info, **kwargs)
        if self.per_login and not isinstance(result, Problem):
            for bucket, key in buckets[1:]:
                bucket.give_back(key)
        return result


class RegistrationThrottle(FieldExtension):
    """Counts a person's attempts to register their own profile (see the module's doc)."""

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Any, **kwargs: Any
    ) -> Any:
        connection: HTTPConnection | None = info.context.request
        throttle = throttle_of(connection)
        actor = info.context.actor
        if throttle is None or not acts_for_no_party_yet(actor):
            return await next_(source, info, **kwargs)
        if wait := throttle.registrations.take(actor.account_id):
            return _refused(info, wait, "TOO_MANY_REGISTRATION_ATTEMPTS")
        result = await next_(source, info, **kwargs)
        if not isinstance(result, Problem):
            throttle.registrations.give_back(actor.account_id)
        return result


def _refused(info: Any, wait: int, code: str) -> Problem:
    response = info.context.response
    if isinstance(response, Response):
        response.status_code = 429
        response.headers["Retry-After"] = str(wait)
    return forbidden(
        Message(
            f"尝试过于频繁，请 {wait} 秒后重试",
            f"too many attempts; retry in {wait} s",
        ),
        code=code,
    )
