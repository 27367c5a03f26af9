"""The gateway's expected failures as GraphQL results: the one mapping of a service's (or
the accounts') error to them by HTTP status (:func:`problem`), and the constructors of
the refusals the gateway makes itself. A conflict is always someone's ``BoyinError``
(e.g. ``boyin_shared.errors.conflict``) or a service's 409, mapped by :func:`problem`.

Reads and changes of a service go through one of two shapes: :func:`answered` (the answer,
or the problem, for a result union) and :func:`found` (the answer, or None, for a
nullable field).

Anything else raised in a resolver is a fault, masked by the schema (``MaskErrors``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from boyin_gateway.clients import ServiceError
from boyin_gateway.derived import shown_as
from boyin_gateway.types import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    LocalizedText,
    NotFound,
)
from boyin_shared.api.errors import ErrorOut
from boyin_shared.errors import BoyinError, Message

#: what a refused caller is told where a field refuses everyone but staff
STAFF_ONLY = Message("仅限工作人员", "staff only")


def _text(message: Message) -> LocalizedText:
    return LocalizedText(zh=message.zh, en=message.en)


def forbidden(message: Message, *, code: str = "FORBIDDEN") -> Forbidden:
    """Not allowed for who the caller is (or they are not signed in)."""
    return Forbidden(code=code, message=_text(message), fields=[])


def not_found(message: Message) -> NotFound:
    return NotFound(code="NOT_FOUND", message=_text(message), fields=[])


def staff_only() -> Forbidden:
    return forbidden(STAFF_ONLY)


def problem(error: ServiceError | BoyinError) -> InvalidInput | Conflict | NotFound | Forbidden:
    """A service's expected failure (or the accounts'), by its status: 404 not found,
    401/403 forbidden, 409 conflict, anything else invalid input."""
    e = error.error if isinstance(error, ServiceError) else ErrorOut.of(error)
    status, code = error.status, e.code
    message = shown_as(LocalizedText, e.message)
    fields = [shown_as(FieldError, f) for f in e.fields]
    if status == 404:
        return NotFound(code=code, message=message, fields=fields)
    if status in (401, 403):
        return Forbidden(code=code, message=message, fields=fields)
    if status == 409:
        return Conflict(code=code, message=message, fields=fields)
    return InvalidInput(code=code, message=message, fields=fields)


_Dto = TypeVar("_Dto")
_Out = TypeVar("_Out")


async def answered(
    call: Awaitable[_Dto], to: Callable[[_Dto], _Out]
) -> _Out | InvalidInput | Conflict | NotFound | Forbidden:
    """A service call's answer as a GraphQL type, or its expected failure as a problem."""
    try:
        return to(await call)
    except ServiceError as exc:
        return problem(exc)


async def found(call: Awaitable[_Dto], to: Callable[[_Dto], _Out]) -> _Out | None:
    """A read's answer as a GraphQL type, or None where the service refuses or finds
    nothing (a field whose result is nullable, not a problem union)."""
    try:
        return to(await call)
    except ServiceError:
        return None
