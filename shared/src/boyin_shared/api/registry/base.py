"""The pieces every registry feature's API models are built of: the strict input base,
bilingual text and a page of results."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict


class StrictIn(BaseModel):
    """Base of the registry's request bodies: unknown fields and huge strings are refused."""

    model_config = ConfigDict(extra="forbid", str_max_length=20000)


class TextOut(BaseModel):
    zh: str | None
    en: str | None


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    #: pass as ``after`` to get the next page; None on the last page
    next_after: str | None
