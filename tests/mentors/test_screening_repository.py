"""Where screenings are kept, against the embedded store and the real MongoDB-wire server:
a screening with reviews and its result comes back as stored, the board filters by
status and mentor, open loads count open reviews only, and the overdue query finds what
is due."""

from __future__ import annotations

from pathlib import Path

from boyin_mentors.screening.domain import REVIEW_TIME, open_screening
from boyin_mentors.screening.repository import ScreeningQuery, Screenings
from boyin_mentors.screening.routing import Pick
from boyin_shared.api.mentors import ScreeningStatus
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.outbox import Outbox
from boyin_shared.store import DocumentStore
from tests.mentors.screening_support import PROJECT, review
from tests.mentors.support import NOW


async def test_screenings_come_back_as_stored(store: DocumentStore, tmp_path: Path) -> None:
    repo = Screenings(store, Outbox(store, EmbeddedBus(tmp_path / "bus.sqlite")))
    await repo.prepare()
    done, events = open_screening(
        "scr_a", PROJECT, [Pick("m1", 0.9), Pick("m2", None)], 2, "MATCHING", NOW
    )
    done, _ = done.submit("m1", review(4), None, NOW)
    done, _ = done.submit("m2", review(3), None, NOW)
    assert done.result is not None
    await repo.add(done, events)
    other = PROJECT.__class__(**{**PROJECT.__dict__, "demand_id": "dem_b"})
    waiting, _ = open_screening("scr_b", other, [Pick("m1", None)], 1, "CODES", NOW)
    waiting, _ = waiting.overdue(NOW + REVIEW_TIME)
    await repo.add(waiting)

    loaded = await repo.get("scr_a")
    assert loaded is not None and loaded.aggregate == done
    loaded = await repo.get("scr_b")
    assert loaded is not None and loaded.aggregate == waiting
    assert [s.id for s in await repo.page(ScreeningQuery(mentor_id="m1"))] == ["scr_a", "scr_b"]
    assert [s.id for s in await repo.page(ScreeningQuery(mentor_id="m2"))] == ["scr_a"]
    unrouted = ScreeningQuery(status=ScreeningStatus.NO_ELIGIBLE_MENTOR)
    assert [s.id for s in await repo.page(unrouted)] == ["scr_b"]
    assert await repo.open_loads() == {"m1": 1}
    # reminded already: the next thing due is the escalation
    assert await repo.due(NOW + REVIEW_TIME, None) == []
    assert [s.id for s in await repo.due(NOW + 2 * REVIEW_TIME, None)] == ["scr_b"]
    assert [s.id for s in await repo.overdue(NOW + REVIEW_TIME)] == ["scr_b"]
    assert await repo.overdue(NOW) == []
