"""Helpers of the consultation tests: a grid of slots as scheduling answers it (the fair
in Chongqing, UTC+8) and a stand-in for what scheduling says of a booking."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from boyin_mentors.consultations.booking import TalentSchedule
from boyin_mentors.consultations.domain import Slot
from boyin_shared.identity import Actor

#: Tuesday 2026-12-15, 16:00–18:00 in Chongqing = 09:00–11:00 in Berlin (UTC+1)
FIRST = datetime(2026, 12, 15, 8, 0, tzinfo=UTC)


def grid(count: int = 8, minutes: int = 30) -> list[Slot]:
    """``count`` slots from FIRST, ``s0``, ``s1``, ..."""
    step = timedelta(minutes=minutes)
    return [Slot(f"s{i}", FIRST + i * step, FIRST + (i + 1) * step) for i in range(count)]


def schedule(**changes: Any) -> TalentSchedule:
    """Edition ``2026``'s grid for a talent on site in Chongqing with nothing else on."""
    return dataclasses.replace(TalentSchedule(slots=tuple(grid())), **changes)


class FixedScheduling:
    """What scheduling says of edition ``2026`` (``answer`` None: scheduling unavailable)."""

    def __init__(self, answer: TalentSchedule | None) -> None:
        self.answer = answer
        #: who asked, for whom
        self.asked: list[tuple[str, str | None]] = []

    async def for_booking(
        self, edition_id: str, actor: Actor, party_id: str | None = None
    ) -> TalentSchedule | None:
        self.asked.append((actor.account_id, party_id))
        if self.answer is None:
            return None
        return self.answer if edition_id == "2026" else TalentSchedule(slots=())
