"""What matching knows of a published demand, and which channels meet which."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: supply channel -> the demand channel it meets (and back)
COUNTERPART: dict[str, str] = {
    "PROJECT_COOPERATION": "PROJECT_LANDING",
    "PROJECT_LANDING": "PROJECT_COOPERATION",
    "JOB_SEEKING": "TALENT_RECRUITMENT",
    "TALENT_RECRUITMENT": "JOB_SEEKING",
}
SUPPLY = ("PROJECT_COOPERATION", "JOB_SEEKING")


@dataclass(frozen=True)
class Profile:
    demand_id: str
    channel: str
    owner_kind: str
    owner_id: str
    district_code: str | None
    language: str  # "zh", "en" or "zh+en"
    title_zh: str | None
    title_en: str | None
    description_zh: str | None
    description_en: str | None
    keywords: tuple[str, ...]
    taxonomy_codes: tuple[str, ...]
    details: Mapping[str, Any]
    editions: tuple[str, ...]
    #: eligibility claims reviewers confirmed
    criteria: frozenset[str]
    revision: int
    #: what the owner can take on: meetings for organisations, positions for recruiters
    capacity: int = 10
    #: the owner's degree, for job seekers (from the talent's profile)
    degree: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def is_supply(self) -> bool:
        return self.channel in SUPPLY

    @property
    def counterpart_channel(self) -> str:
        return COUNTERPART[self.channel]

    def texts(self) -> dict[str, str]:
        """The text to embed per language it is written in."""
        out = {}
        for lang, title, desc in (
            ("zh", self.title_zh, self.description_zh),
            ("en", self.title_en, self.description_en),
        ):
            parts = [p for p in (title, desc) if p]
            if parts:
                out[lang] = "。".join(parts) if lang == "zh" else ". ".join(parts)
        return out

    @property
    def primary_language(self) -> str:
        texts = self.texts()
        return "zh" if "zh" in texts else "en"

    def all_text(self) -> str:
        return " ".join([*self.texts().values(), *self.keywords])
