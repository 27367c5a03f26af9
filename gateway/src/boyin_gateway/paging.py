"""The paging arguments of the schema's paged fields (``first``, ``after``, the import's
``errorsFirst`` / ``errorsOffset``), checked before any service is called.

A page size must be at least 1 (a larger one than the field's maximum is clamped to it); a
cursor must be one the field hands out (an ``endCursor``: the id of the last item of a page,
``org_...``, ``dem_...``, ``mt_...``). A bad argument is refused with a message in Chinese
and English naming it: through the field's ``InvalidInput`` where its result is a union
that has one (:func:`refused`), else as a GraphQL error (:class:`PagingError`) whose
``extensions`` are ``{"code": "INVALID_ARGUMENT", "argument": ..., "message": {"zh", "en"}}``.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import TypeVar

from graphql import GraphQLError

from boyin_gateway.clients import ServiceError
from boyin_gateway.errors import problem
from boyin_gateway.types import Forbidden, InvalidInput
from boyin_shared.errors import FieldError, Message, invalid

#: a cursor: the prefix of the ids of a field's items, then the id's own characters
_CURSOR = r"[0-9A-Za-z_-]{1,64}"


class PagingError(GraphQLError):
    """A paging argument that cannot be used, as the GraphQL error the caller reads."""

    def __init__(self, argument: str, code: str, message: Message) -> None:
        super().__init__(
            message.en,
            extensions={
                "code": "INVALID_ARGUMENT",
                "argument": argument,
                "reason": code,
                "message": {"zh": message.zh, "en": message.en},
            },
        )
        self.argument = argument
        self.code = code
        self.text = message


def page_size(first: int, maximum: int, *, argument: str = "first") -> int:
    """``first`` clamped to ``maximum``; refused (:class:`PagingError`) below 1."""
    if first < 1:
        raise PagingError(
            argument,
            "PAGE_SIZE_TOO_SMALL",
            Message(
                f"参数 {argument} 须为 1 到 {maximum} 之间的整数（收到 {first}）",
                f"{argument} must be a whole number from 1 to {maximum} (got {first})",
            ),
        )
    return min(first, maximum)


def offset(value: int, *, argument: str) -> int:
    """An offset into a list: refused (:class:`PagingError`) below 0."""
    if value < 0:
        raise PagingError(
            argument,
            "NEGATIVE_OFFSET",
            Message(
                f"参数 {argument} 不能为负数（收到 {value}）",
                f"{argument} must not be negative (got {value})",
            ),
        )
    return value


def cursor(after: str | None, prefix: str, *, argument: str = "after") -> str | None:
    """``after`` when it is a cursor of the field (an id starting with ``prefix``)."""
    if after is None or re.fullmatch(re.escape(prefix) + _CURSOR, after):
        return after
    raise PagingError(
        argument,
        "INVALID_CURSOR",
        Message(
            f"参数 {argument} 不是本字段给出的游标（应为上一页的 endCursor）",
            f"{argument} is not a cursor of this field (use the endCursor of the page before)",
        ),
    )


def refused(error: PagingError) -> InvalidInput:
    """``error`` as the ``InvalidInput`` of a field whose result union has one: the
    argument is its field."""
    result = problem(invalid([FieldError(error.argument, error.code, error.text)]))
    assert isinstance(result, InvalidInput), result
    return result


_Page = TypeVar("_Page")
_Shown = TypeVar("_Shown")


async def paged(
    first: int,
    after: str | None,
    *,
    prefix: str,
    maximum: int,
    fetch: Callable[[str | None, int], Awaitable[_Page]],
    shown: Callable[[_Page], _Shown],
    empty: _Page,
) -> _Shown | InvalidInput | Forbidden:
    """A page for a field whose union has ``InvalidInput`` and ``Forbidden``: the
    arguments checked first (:func:`refused`), then ``fetch(after, size)``; the service's
    refusal as the field's problem, any other failure an ``empty`` page."""
    try:
        size = page_size(first, maximum)
        checked = cursor(after, prefix)
    except PagingError as refusal:
        return refused(refusal)
    try:
        page = await fetch(checked, size)
    except ServiceError as exc:
        result = problem(exc)
        if isinstance(result, InvalidInput | Forbidden):
            return result
        page = empty
    return shown(page)
