"""The funnel's facts in the store, against the embedded store and the real MongoDB-wire
server: events recorded in any order, twice, and at once on the same item keep one fact
per item, the one the pure merge gives."""

from __future__ import annotations

import asyncio

import pytest

from boyin_agreements.reports.domain import key_of
from boyin_agreements.reports.facts import facts_of
from boyin_agreements.reports.repository import FunnelFacts
from boyin_shared.store import DocumentStore
from tests.agreements.funnel_support import AGR_1, fair, scrambled
from tests.agreements.test_funnel_domain import project


async def facts(store: DocumentStore) -> FunnelFacts:
    repo = FunnelFacts(store)
    await repo.prepare()
    return repo


@pytest.mark.parametrize("seed", [1, 2])
async def test_scrambled_redelivered_events_keep_one_merged_fact_per_item(
    store: DocumentStore, seed: int
) -> None:
    repo = await facts(store)
    for event in scrambled(fair(), seed):
        for fact in facts_of(event):
            await repo.record(fact)
    assert sorted(await repo.every(), key=key_of) == sorted(project(fair()), key=key_of)


async def test_writes_to_the_same_item_at_once_all_end_up_in_it(store: DocumentStore) -> None:
    repo = await facts(store)
    every = [fact for event in fair() for fact in facts_of(event)]
    agreement = [f for f in every if key_of(f) == f"agreement:{AGR_1}"]
    assert len(agreement) > 5
    await asyncio.gather(*(repo.record(f) for f in agreement + agreement))
    (stored,) = await repo.every()
    assert stored == project([e for e in fair() if e.subject == AGR_1])[0]
    assert await store.collection("report_facts").count() == 1
