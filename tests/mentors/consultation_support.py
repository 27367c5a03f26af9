"""Helpers of the consultation tests: a grid of slots as scheduling answers it (the fair
in Chongqing, UTC+8) and a stand-in for scheduling's slots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from boyin_mentors.consultations.domain import Slot
from boyin_shared.identity import Actor

#: Tuesday 2026-12-15, 16:00–18:00 in Chongqing = 09:00–11:00 in Berlin (UTC+1)
FIRST = datetime(2026, 12, 15, 8, 0, tzinfo=UTC)


def grid(count: int = 8, minutes: int = 30) -> list[Slot]:
    """``count`` slots from FIRST, ``s0``, ``s1``, ..."""
    step = timedelta(minutes=minutes)
    return [Slot(f"s{i}", FIRST + i * step, FIRST + (i + 1) * step) for i in range(count)]


class FixedSlots:
    """Scheduling's slots of edition ``2026`` (None: scheduling unavailable)."""

    def __init__(self, slots: list[Slot] | None) -> None:
        self.slots = slots

    async def of(self, edition_id: str, actor: Actor) -> list[Slot] | None:
        if self.slots is None:
            return None
        return self.slots if edition_id == "2026" else []
