"""Where mentors are kept, against the embedded store and the real MongoDB-wire server: a
mentor with its versions and history comes back as stored, lists filter by status, and
the taxonomy keeps the latest version of each code."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

from boyin_mentors.mentors.domain import register
from boyin_mentors.mentors.repository import MentorQuery, Mentors, Taxonomy
from boyin_shared.api.mentors import MentorStatus
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.outbox import Outbox
from boyin_shared.store import DocumentStore
from tests.mentors.support import DRAFT, KNOWN, MENTOR, NOW, OPERATOR


async def test_a_mentor_comes_back_as_stored(store: DocumentStore, tmp_path: Path) -> None:
    repo = Mentors(store, Outbox(store, EmbeddedBus(tmp_path / "bus.sqlite")))
    await repo.prepare()
    mentor, events = register(MENTOR, MENTOR.account_id, DRAFT, KNOWN, NOW)
    mentor, _ = mentor.approve(OPERATOR, NOW)
    mentor, _ = mentor.update_profile(
        MENTOR, dataclasses.replace(DRAFT, max_open_reviews=7), KNOWN, NOW + timedelta(days=1)
    )
    await repo.add(mentor, events)
    loaded = await repo.get(mentor.id)
    assert loaded is not None and loaded.aggregate == mentor
    other, _ = register(OPERATOR, "acc_m2", DRAFT, KNOWN, NOW)
    await repo.add(other)
    approved = await repo.page(MentorQuery(status=MentorStatus.APPROVED))
    assert [m.id for m in approved] == [mentor.id]
    assert [m.id for m in await repo.approved()] == [mentor.id]
    assert len(await repo.page(MentorQuery())) == 2


async def test_the_taxonomy_keeps_the_latest_version(store: DocumentStore) -> None:
    taxonomy = Taxonomy(store)
    await taxonomy.put("C16-A", "C16", retired=False, version=3)
    await taxonomy.put("C16-A", "C16", retired=True, version=4)
    await taxonomy.put("C16-A", "C16", retired=False, version=2)  # late and older: ignored
    await taxonomy.put("C33", None, retired=False, version=1)
    known = await taxonomy.known()
    assert (set(known.retired), set(known.active)) == ({"C16-A"}, {"C33"})
    assert await taxonomy.parents() == {"C16-A": "C16", "C33": None}
