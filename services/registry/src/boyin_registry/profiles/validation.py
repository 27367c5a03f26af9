"""Values shared by the registry's aggregates."""

from __future__ import annotations

import re
from dataclasses import dataclass

from boyin_shared.errors import FieldError, Message, invalid
from boyin_shared.text import clean

_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,19}$")


@dataclass(frozen=True)
class Bilingual:
    """Text in Chinese, English or both."""

    zh: str | None = None
    en: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class Contact:
    """Private: shown to the owner, operators, and a counterpart after a mutual match."""

    name: str
    email: str | None = None
    phone: str | None = None
    role: str | None = None


class Problems:
    """Collects every field error of one command, then raises them together."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, code: str, zh: str, en: str) -> None:
        self.errors.append(FieldError(field, code, Message(zh, en)))

    def text(
        self, value: str | None, field: str, *, max_length: int, multiline: bool = False
    ) -> str | None:
        if value is None:
            return None
        result = clean(value, field, max_length=max_length, multiline=multiline)
        if isinstance(result, FieldError):
            self.errors.append(result)
            return None
        return result or None

    def bilingual(
        self, zh: str | None, en: str | None, field: str, *, max_length: int, required: bool = True
    ) -> Bilingual:
        text = Bilingual(
            self.text(zh, f"{field}.zh", max_length=max_length, multiline=max_length > 200),
            self.text(en, f"{field}.en", max_length=max_length, multiline=max_length > 200),
        )
        if required and not (text.zh or text.en) and not self._has(field):
            self.add(
                field, "REQUIRED", "请至少填写中文或英文", "give it in Chinese, English or both"
            )
        return text

    def email(self, value: str | None, field: str) -> str | None:
        if value is None:
            return None
        value = value.strip().lower()
        if not _EMAIL.match(value):
            self.add(field, "EMAIL", "电子邮箱格式不正确", "not a valid e-mail address")
            return None
        return value

    def phone(self, value: str | None, field: str) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if not _PHONE.match(value):
            self.add(field, "PHONE", "电话号码格式不正确", "not a valid phone number")
            return None
        return value

    def _has(self, prefix: str) -> bool:
        return any(e.field.startswith(prefix) for e in self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise invalid(self.errors)
