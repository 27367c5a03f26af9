"""What a party sees does not depend on the order demands were published in: the labelled
set published through the matching service (``app.wire`` on the embedded store) in random
orders gives every demand the same top 5 once the service settled its lists, the
library's on the final pool, and the library's precision@1; the service settles by
itself once the pool has been quiet; and operators see the lists with no good match yet."""

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
from boyin_matching.ranking.scorer import NO_GOOD_MATCH
from boyin_matching.ranking.taxonomy import TaxonomyTree
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.errors import BoyinError
from boyin_shared.identity import Actor, Role
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
        lists = wire(store, Outbox(store, bus), Matcher(encode, 512, tree), settle_after=2.0).lists
        for item in items:
            await lists.published(profile_of(item))
        assert lists.job.state == "idle"  # postponed by each publication
        for _ in range(100):
            if lists.job.state == "done":
                break
            await asyncio.sleep(0.05)
        assert (lists.job.state, lists.job.total) == ("done", len(items))
        # a change while an operator's rematch runs is settled after it
        lists.start_rematch(Actor("acc_op", Role.OPERATOR))
        await asyncio.sleep(0)
        assert lists.job.state == "running"
        await lists.removed(items[0]["id"], 2)
        for _ in range(200):
            timer = lists._timer
            if lists.job.state == "done" and timer is not None and timer.done():
                break
            await asyncio.sleep(0.05)
        assert (lists.job.state, lists.job.total) == ("done", len(items) - 1)
        for item in items[1:]:  # the removed demand is on no page
            page = await lists.repository.of_demand(item["id"], 20)
            assert page and all(items[0]["id"] not in p.party_ids for p in page)
        await lists.stop()
    finally:
        await store.close()
        await bus.stop()


async def test_operators_see_the_demands_with_no_good_match_yet(
    labelled: tuple[dict[str, Any], TaxonomyTree, Encode],
) -> None:
    """On the labelled set, the lists whose best score is below NO_GOOD_MATCH are all of
    items without a right partner (no-answer demands, supplies without a partner): the
    abstention's precision is 1 there; only operators read them."""
    data, tree, encode = labelled
    partnered = {link[k] for link in data["links"] if link["relevance"] == 2 for k in "ab"}
    store, bus = SqliteStore(":memory:"), EmbeddedBus(":memory:")
    try:
        lists = wire(store, Outbox(store, bus), Matcher(encode, 512, tree)).lists
        for item in data["items"]:
            await lists.published(profile_of(item))
        await lists.settle()
        flagged = await lists.without_a_good_match(Actor("acc_op", Role.OPERATOR))
        ids = {p.demand_id for p, _ in flagged}
        assert ids and not ids & partnered
        assert len(ids & set(data["no_answer"])) >= 3
        bests = [best for _, best in flagged if best is not None]
        assert len(bests) == len(flagged)  # every one has somebody to propose here
        assert all(best < NO_GOOD_MATCH for best in bests)
        assert bests == sorted(bests)  # the worst first
        shown = await lists.repository.of_demand(next(iter(ids)), 5)
        assert shown and not any(p.scores.score >= NO_GOOD_MATCH for p in shown)
        with pytest.raises(BoyinError):
            await lists.without_a_good_match(Actor("acc_t", Role.TALENT, party_id="tal_1"))
    finally:
        await store.close()
        await bus.stop()
