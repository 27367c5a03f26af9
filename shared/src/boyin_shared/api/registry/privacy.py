"""Privacy over HTTP: the notice people agree to when they register."""

from __future__ import annotations

from pydantic import BaseModel


class NoticeOut(BaseModel):
    version: str
    text: dict[str, str]
    purposes: dict[str, dict[str, str]]
