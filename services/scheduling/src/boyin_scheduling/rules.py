"""The rules every feature shares (pure): bilingual text, field errors, time spans,
refusals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from boyin_shared.errors import BoyinError, FieldError, Message, conflict, forbidden


@dataclass(frozen=True)
class Text:
    """Text in Chinese, English or both."""

    zh: str | None = None
    en: str | None = None

    def best(self, lang: str = "zh") -> str:
        first, second = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return first or second or ""

    def __bool__(self) -> bool:
        return bool(self.zh or self.en)


NO_TEXT = Text()


def error(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, code, Message(zh, en))


def aware(value: datetime | None) -> bool:
    return value is None or (value.tzinfo is not None and value.utcoffset() is not None)


def check_span(
    field: str, start: datetime | None, end: datetime | None, out: list[FieldError]
) -> bool:
    """Both ends carry a time zone and ``end`` comes after ``start`` (reported on the end)."""
    ok = True
    for name, value in (("start", start), ("end", end)):
        if not aware(value):
            out.append(
                error(f"{field}.{name}", "NAIVE_DATETIME", "时间必须带时区", "a time needs a zone")
            )
            ok = False
    if ok and start is not None and end is not None and end <= start:
        out.append(
            error(
                f"{field}.end",
                "END_BEFORE_START",
                f"结束时间（{end.isoformat()}）必须晚于开始时间（{start.isoformat()}）",
                f"the end ({end.isoformat()}) must come after the start ({start.isoformat()})",
            )
        )
        return False
    return ok


def refuse(code: str, zh: str, en: str) -> BoyinError:
    """A change the aggregate's state does not allow (HTTP 409)."""
    return conflict(code, Message(zh, en))


def not_yours(zh: str, en: str) -> BoyinError:
    return forbidden(Message(zh, en))
