"""Value types shared by several contracts."""

from __future__ import annotations

from boyin_shared.events import EventData


class LocalizedText(EventData):
    """Text a person wrote in Chinese, English or both (at least one is set)."""

    zh: str | None = None
    en: str | None = None

    def best(self, lang: str) -> str:
        first, second = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return first or second or ""
