"""How values are written in scheduling's stored documents, for every feature's
repository: bilingual text as ``{"zh", "en"}``, times as ISO-8601 strings with their
offset (enums are stored as their values)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from boyin_scheduling.rules import Text

Doc = dict[str, Any]


def text(t: Text) -> Doc:
    return {"zh": t.zh, "en": t.en}


def text_from(d: Doc | None) -> Text:
    return Text(d.get("zh"), d.get("en")) if d else Text()


def dt(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def dt_from(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def req_dt(value: str) -> datetime:
    return datetime.fromisoformat(value)
