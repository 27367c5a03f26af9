"""What a party sees does not depend on the order demands were published in: the labelled
set published through the matching service (``app.wire`` on the embedded store) in random
orders gives every demand the same top 5 once the service settled its lists, the
library's on the final pool, and the library's precision@1; and the service settles by
itself once the pool has been quiet."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest

from boyin_matching.app import encoder, wire
from boyin_matching.bench import order
from boyin_matching.bench.quality import PAIRS, load_tree, profile_of, queries_of
from boyin_matching.ranking.matcher import Matcher
from boyin_matching.ranking.taxonomy import TaxonomyTree
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.outbox import Outbox
from boyin_shared.store.sqlite import SqliteStore

Encode = Callable[[Sequence[str]], Any]


@pytest.fixture(scope="module")
def labelled() -> tuple[dict[str, Any], TaxonomyTree, Encode]:
    model = encoder()
    return (
        json.loads(PAIRS.read_text("utf-8")),
        load_tree(),
        order.cached(lambda texts: np.asarray(model.encode(list(texts)))),
    )


async def test_two_random_orders_give_every_demand_the_librarys_top_5(
    labelled: tuple[dict[str, Any], TaxonomyTree, Encode],
) -> None:
    data, tree, encode = labelled
    groups = queries_of(data)
    plain, pages = order.library(data, tree, encode)
    settled = []
    for seed in (1, 2):
        items = list(data["items"])
        random.Random(seed).shuffle(items)
        before, after = await order.published_in(items, tree, encode)
        # as publication left them, the lists depend on the order (the finding)
        assert order.compare(before, pages, groups).same_top < 0.5
        got = order.compare(after, pages, groups)
        assert got.same_top == 1.0
        assert got.score_gap < 1e-5
        assert got.p_at_1 == order.compare(plain, plain, groups).p_at_1
        settled.append(after)
    first, second = settled
    assert {q: [c for c, _ in v] for q, v in first.items()} == {
        q: [c for c, _ in v] for q, v in second.items()
    }


async def test_the_service_settles_once_the_pool_is_quiet(
    labelled: tuple[dict[str, Any], TaxonomyTree, Encode],
) -> None:
    """With ``settle_after`` set (as the service sets it), publishing starts a settling
    rematch after that much quiet; a publication meanwhile postpones it."""
    data, tree, encode = labelled
    items = [i for i in data["items"] if i["kind"] in ("JOB_SEEKING", "TALENT_RECRUITMENT")]
    store, bus = SqliteStore(":memory:"), EmbeddedBus(":memory:")
    try:
        lists = wire(store, Outbox(store, bus), Matcher(encode, 512, tree), settle_after=0.3).lists
        for item in items:
            await lists.published(profile_of(item))
        assert lists.job.state == "idle"  # postponed by each publication
        for _ in range(100):
            if lists.job.state == "done":
                break
            await asyncio.sleep(0.05)
        assert (lists.job.state, lists.job.total) == ("done", len(items))
        await lists.stop()
    finally:
        await store.close()
        await bus.stop()
