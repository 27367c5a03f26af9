"""The error body every service answers (``{"error": {code, message, fields}}``): written by
``boyin_shared.http`` from a :class:`~boyin_shared.errors.BoyinError`, parsed by the
services' clients (the gateway's) into the same models.
"""

from __future__ import annotations

from pydantic import BaseModel

from boyin_shared.errors import BoyinError, Message


# A message in both languages of the fair (``boyin_shared.errors.Message``). No docstring:
# it would be the model's description in the registry's OpenAPI document (an import's
# messages are MessageOut too), which stays as it is.
class MessageOut(BaseModel):
    zh: str
    en: str

    @classmethod
    def of(cls, message: Message) -> MessageOut:
        return cls(zh=message.zh, en=message.en)


class FieldErrorOut(BaseModel):
    """One problem with one input field."""

    #: a dotted path, e.g. ``rows.12.email``
    field: str
    code: str
    message: MessageOut


class ErrorOut(BaseModel):
    """An expected failure: its code, its message and the fields at fault."""

    code: str
    message: MessageOut
    fields: list[FieldErrorOut] = []

    @classmethod
    def of(cls, error: BoyinError) -> ErrorOut:
        return cls(
            code=error.code,
            message=MessageOut.of(error.message),
            fields=[
                FieldErrorOut(field=f.field, code=f.code, message=MessageOut.of(f.message))
                for f in error.fields
            ],
        )


class ErrorBody(BaseModel):
    """The JSON body of a service's 4xx (and 5xx) answer."""

    error: ErrorOut

    @classmethod
    def of(cls, error: BoyinError) -> ErrorBody:
        return cls(error=ErrorOut.of(error))
