"""What the gateway reads from the services' HTTP APIs (their DTOs, as the gateway sees them)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Dto(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class TextDto(_Dto):
    zh: str | None = None
    en: str | None = None


class FieldErrorDto(_Dto):
    field: str
    code: str
    message: TextDto


class ErrorDto(_Dto):
    code: str
    message: TextDto
    fields: list[FieldErrorDto] = []
